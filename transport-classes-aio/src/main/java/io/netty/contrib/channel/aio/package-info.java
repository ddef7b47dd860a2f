/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
/**
 * The transport: {@link io.netty.contrib.channel.aio.Aio} (availability), the event loop driven by AIO
 * completions and by readiness from its epoll set, and the socket channels registered on it. The loop and the
 * socket channels share this package, as in Netty's epoll transport.
 *
 * <p>Layers, each using only those below it (no package cycle):
 * <ol>
 *   <li>{@code core}: the kernel — syscalls, the AIO context and ring, iocbs, flyweights over kernel structs;</li>
 *   <li>{@code internal}: pieces the channel packages share (the receive allocator handle, the per-thread iovec
 *   array, registering a channel's handle); public only so that {@code fd} can reach them, not API;</li>
 *   <li>this package: the loop ({@link io.netty.contrib.channel.aio.AioIoHandler}) and its public extension API
 *   ({@link io.netty.contrib.channel.aio.AioIoHandle}, {@link io.netty.contrib.channel.aio.AioIoRegistration},
 *   {@link io.netty.contrib.channel.aio.AioIoOps}, {@link io.netty.contrib.channel.aio.AioIoEvent}), and the
 *   socket channels;</li>
 *   <li>{@code file}: {@code AioFile} and its hosts, through that extension API;</li>
 *   <li>{@code fd}: {@code AioFdChannel}, any descriptor in a pipeline, through the same API and {@code file}'s
 *   alignment and open options;</li>
 *   <li>{@code handler}: pipeline handlers over {@code file}.</li>
 * </ol>
 *
 * <p>One edge goes upwards at package level: the stream channels read the spans of a {@code DefaultFileRegion}
 * that the page cache lacks through {@code file}'s {@code AioFile} ({@code RegionTransfer}). DESIGN.md puts the
 * channels above the files; it is the loop, sharing this package with them, that {@code file} builds on. At class
 * level there is no cycle: {@code RegionTransfer} uses {@code AioFile}, which uses only the loop's extension API.
 */
package io.netty.contrib.channel.aio;

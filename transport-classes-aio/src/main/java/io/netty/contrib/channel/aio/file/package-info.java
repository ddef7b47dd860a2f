/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
/**
 * Asynchronous file I/O on kernel AIO: {@link io.netty.contrib.channel.aio.file.AioFile} (positional and vectored
 * reads and writes, fsync/fdatasync as AIO operations, fallocate, truncate, size), the per-file
 * {@link io.netty.contrib.channel.aio.file.AioFileAlignment} for {@code O_DIRECT}, the aligned pooled allocator
 * ({@link io.netty.contrib.channel.aio.file.AioBufferAllocator}) and the
 * {@link io.netty.contrib.channel.aio.file.AioFileHost}s that let the same file run on an AIO loop, an epoll
 * loop or a dedicated completion thread.
 *
 * <p>Built only on the loop's public extension API ({@code AioIoHandle}, {@code AioIoOps},
 * {@code AioIoRegistration}, {@code AioIoEvent}) and on the core layer's {@code AioContext} and
 * {@code AioSubmitQueue} for the hosts that are not AIO loops: nothing here reaches into the loop's internals.
 *
 * <p>Inside, {@code AioFile} is a facade: opening, argument checks, the lifecycle on the host, the read policy,
 * the counters and the prebuilt operation descriptions each have a small class, which the request classes
 * ({@code ReadRequest}, {@code WriteRequest}, {@code SyncRequest}, {@code MetadataRequest}) use directly.
 */
package io.netty.contrib.channel.aio.file;

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
/**
 * Pipeline handlers and messages built on this transport's file I/O:
 * {@link io.netty.contrib.channel.aio.handler.AioChunkedFile}, a {@code ChunkedInput} that reads a file region
 * with AIO ahead of the socket, and {@link io.netty.contrib.channel.aio.handler.AioChunkedWriteHandler}, a drop-in
 * {@code ChunkedWriteHandler} that serves Netty's own file inputs ({@code ChunkedFile}, {@code ChunkedNioFile})
 * with it. Uses only the public API of the {@code file} package; needs netty-handler (an
 * optional dependency of this module) on the class path.
 */
package io.netty.contrib.channel.aio.handler;

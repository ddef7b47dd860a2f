/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
/**
 * {@link io.netty.contrib.channel.aio.fd.AioFdChannel}: any descriptor — pipe and FIFO ends, terminals, character
 * devices, USB FunctionFS endpoints, regular files streamed in order — as a Netty channel on an AIO event loop,
 * driven either by asynchronous reads and writes ({@code ASYNC}) or by readiness and non-blocking syscalls
 * ({@code POLL}). Sits above the loop's public extension API and {@code file}'s alignment and open options;
 * nothing below imports it.
 */
package io.netty.contrib.channel.aio.fd;

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
/**
 * The core layer: the JNI binding ({@link io.netty.contrib.channel.aio.core.Native}), flyweights for the kernel
 * structs ({@code Iocb}, {@code IoEventArray}, the ring), {@link io.netty.contrib.channel.aio.core.EventFd}, and the
 * low-level API — {@link io.netty.contrib.channel.aio.core.AioContext} and
 * {@link io.netty.contrib.channel.aio.core.AioBlock} — on which the event loop is built, and the
 * {@link io.netty.contrib.channel.aio.core.AioSubmitQueue} every host of a context shares (the loop, the epoll
 * loop's file host). Owns the iocb slab (the one table of in-flight operations), the one place an opcode becomes
 * iocb fields ({@code AioBlock.fill}), and the rule that a buffer is the kernel's until its completion has been
 * reaped.
 */
package io.netty.contrib.channel.aio.core;

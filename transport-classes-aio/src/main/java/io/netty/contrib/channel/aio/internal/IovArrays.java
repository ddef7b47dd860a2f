/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.internal;

import io.netty.channel.unix.IovArray;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * One native iovec array per event-loop thread for gathering writes, as epoll keeps one per loop: a write
 * fills it, calls writev and is done with it before anything else runs on the thread. Released when the thread
 * ends.
 */
public final class IovArrays {
    private static final FastThreadLocal<IovArray> ARRAYS = new FastThreadLocal<IovArray>() {
        @Override
        protected IovArray initialValue() {
            return new IovArray(Native.IOV_MAX);
        }

        @Override
        protected void onRemoval(IovArray value) {
            value.release();
        }
    };

    private IovArrays() {
    }

    /** The calling thread's array, emptied. */
    public static IovArray clean() {
        IovArray array = ARRAYS.get();
        array.clear();
        return array;
    }
}

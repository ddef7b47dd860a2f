/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import java.io.IOException;

/**
 * A syscall or an AIO operation failed with an errno. The message names the call and the errno symbolically,
 * for example {@code "io_setup(depth=70000) failed: EAGAIN (Resource temporarily unavailable)"}; {@link #errno()}
 * gives the positive number for code that branches on it. Immutable.
 */
public class AioIoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    AioIoException(String call, int errno, String errnoDescription) {
        this(call, errno, errnoDescription, null);
    }

    AioIoException(String call, int errno, String errnoDescription, String hint) {
        super(call + " failed: " + errnoDescription + (hint == null ? "" : ". " + hint));
        this.call = call;
        this.errno = errno;
    }

    /** Creates one for an operation's negative {@code res}, as delivered by a completion. */
    public static AioIoException ofResult(String operation, long res) {
        int errno = (int) -res;
        return new AioIoException(operation, errno, Native.describeErrno(errno));
    }

    /** Creates one with an actionable hint appended to the message. */
    public static AioIoException withHint(String call, int negativeErrno, String hint) {
        return new AioIoException(call, -negativeErrno, Native.describeErrno(-negativeErrno), hint);
    }

    /** The call that failed, as named in the message. */
    public String call() {
        return call;
    }

    /** The positive errno. */
    public int errno() {
        return errno;
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.channel.unix.Errors;

import java.io.IOException;

/**
 * A syscall or an AIO operation failed with an errno. The message names the call and the errno symbolically,
 * for example {@code "io_setup(depth=70000) failed: EAGAIN (Resource temporarily unavailable)"};
 * {@link #expectedErr()} gives the errno negative, as the kernel returned it, for code that branches on it
 * ({@code e.expectedErr() == -Native.EAGAIN}). Immutable.
 *
 * <p>The errno is negative for the same reason as in Netty's {@link Errors.NativeIoException#expectedErr()}: one
 * convention from the kernel's {@code res} to the exception, so a value is never negated on the way. That class is
 * final, so this one cannot extend it; it only shares its accessor's name and sign.
 */
public class AioIoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int expectedErr;

    AioIoException(String call, int negativeErrno, String hint) {
        super(call + " failed: " + Native.describeResult(negativeErrno) + (hint == null ? "" : ". " + hint));
        this.call = call;
        this.expectedErr = negativeErrno;
    }

    /** Creates one for an operation's negative {@code res}, as delivered by a completion. */
    public static AioIoException ofResult(String operation, long res) {
        return new AioIoException(operation, (int) res, null);
    }

    /** Creates one with an actionable hint appended to the message. */
    public static AioIoException withHint(String call, int negativeErrno, String hint) {
        return new AioIoException(call, negativeErrno, hint);
    }

    /** The call that failed, as named in the message. */
    public String call() {
        return call;
    }

    /** The errno, negative ({@code -EAGAIN}), as the kernel returned it and as Netty's exceptions hold it. */
    public int expectedErr() {
        return expectedErr;
    }
}

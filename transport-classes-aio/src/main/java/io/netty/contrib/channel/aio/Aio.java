/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.core.AioBlock;
import io.netty.contrib.channel.aio.core.AioContext;
import io.netty.contrib.channel.aio.core.AioSubmitException;
import io.netty.contrib.channel.aio.core.EventFd;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.internal.SystemPropertyUtil;

import java.util.concurrent.TimeUnit;

/**
 * Tells whether this transport can run here, as {@code Epoll} does for Netty's epoll transport. The check is
 * real: it loads the native library, creates an AIO context ({@code io_setup}) and completes an
 * {@code IOCB_CMD_POLL} on an eventfd through it, so a kernel without AIO (ENOSYS), a seccomp filter (EPERM), an
 * exhausted {@code fs.aio-max-nr} (EAGAIN) or a kernel older than 4.18 (no AIO poll) all show up in
 * {@link #unavailabilityCause()} with what to do about them. Runs once, at class initialisation; thread-safe.
 * {@code -Dio.netty.transport.noNative=true} disables the transport.
 */
public final class Aio {
    private static final Throwable UNAVAILABILITY_CAUSE;

    static {
        Throwable cause = null;
        if (SystemPropertyUtil.getBoolean("io.netty.transport.noNative", false)) {
            cause = new UnsupportedOperationException(
                    "Native transports disabled by -Dio.netty.transport.noNative=true");
        } else {
            try {
                probe();
            } catch (Throwable t) {
                cause = t;
            }
        }
        UNAVAILABILITY_CAUSE = cause;
    }

    private Aio() {
    }

    private static void probe() throws Exception {
        Native.ensureLoaded();
        // io_setup failures (ENOSYS, EPERM, EAGAIN) come out of open() with what to do about them.
        try (AioContext ctx = AioContext.open(1); EventFd efd = EventFd.create()) {
            long[] result = {Long.MIN_VALUE};
            AioBlock poll = AioBlock.poll(efd, Native.POLLIN).callback((b, res, res2) -> result[0] = res);
            efd.write(1);
            int accepted;
            try {
                accepted = ctx.submit(poll);
            } catch (AioSubmitException e) {
                if (e.expectedErr() == -Native.EINVAL) {
                    throw new IllegalStateException("The kernel refuses IOCB_CMD_POLL (EINVAL): AIO poll needs "
                            + "Linux 4.18 or later, this is " + System.getProperty("os.version"), e);
                }
                if (e.expectedErr() == -Native.EPERM || e.expectedErr() == -Native.ENOSYS) {
                    throw new IllegalStateException(e.getMessage() + ". io_setup worked, but io_submit is "
                            + "forbidden here, usually by a seccomp profile (containers); allow io_submit, "
                            + "io_getevents, io_cancel and io_destroy too, or use the epoll or NIO transport", e);
                }
                throw e;
            }
            if (accepted != 1) {
                throw new IllegalStateException("io_submit accepted no IOCB_CMD_POLL on a fresh context (EAGAIN)");
            }
            if (ctx.getEvents(1, 1, TimeUnit.SECONDS.toNanos(5)) == 0) {
                throw new IllegalStateException("IOCB_CMD_POLL on a readable eventfd did not complete within 5 s");
            }
            if (result[0] < 0) {
                throw new IllegalStateException("IOCB_CMD_POLL on a readable eventfd completed with "
                        + Native.describeResult(result[0]));
            }
            if ((result[0] & Native.POLLIN) == 0) {
                throw new IllegalStateException("IOCB_CMD_POLL on a readable eventfd did not report POLLIN (res=0x"
                        + Long.toHexString(result[0]) + ')');
            }
        }
    }

    /** Whether the native library loaded and the kernel runs AIO, including AIO poll. */
    public static boolean isAvailable() {
        return UNAVAILABILITY_CAUSE == null;
    }

    /**
     * Throws if the transport cannot run here.
     *
     * @throws UnsatisfiedLinkError with the cause attached
     */
    public static void ensureAvailability() {
        if (UNAVAILABILITY_CAUSE != null) {
            throw (Error) new UnsatisfiedLinkError("netty-transport-aio is unavailable: "
                    + UNAVAILABILITY_CAUSE.getMessage()).initCause(UNAVAILABILITY_CAUSE);
        }
    }

    /** Why the transport cannot run here, or {@code null} when it can. */
    public static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }
}

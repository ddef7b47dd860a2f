/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The machine-wide AIO budget: every context's depth is charged to {@code fs.aio-nr} and {@code io_setup} fails
 * with EAGAIN once {@code fs.aio-max-nr} would be exceeded. Turns such failures into messages a user can act on.
 * Stateless; any thread.
 */
public final class AioLimits {
    private static final Path AIO_NR = Paths.get("/proc/sys/fs/aio-nr");
    private static final Path AIO_MAX_NR = Paths.get("/proc/sys/fs/aio-max-nr");

    private AioLimits() {
    }

    /** {@code /proc/sys/fs/aio-nr}: request slots all contexts of the machine hold now; -1 if unreadable. */
    public static long aioNr() {
        return readLong(AIO_NR);
    }

    /** {@code /proc/sys/fs/aio-max-nr}: the machine-wide limit; -1 if unreadable. */
    public static long aioMaxNr() {
        return readLong(AIO_MAX_NR);
    }

    private static long readLong(Path p) {
        // One read with a large buffer: sysctl files answer a read at a non-zero offset with EOF, and
        // Files.readString probes a "0-byte" /proc file with a 1-byte read first, which returned "6" for 65536.
        try (BufferedReader in = Files.newBufferedReader(p)) {
            String line = in.readLine();
            return line == null ? -1 : Long.parseLong(line.trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The exception for a failed {@code io_setup(depth)}, with what to do about its errno. */
    public static AioIoException ioSetupFailure(int depth, int negativeErrno) {
        String call = "io_setup(depth=" + depth + ")";
        if (negativeErrno == -Native.EAGAIN) {
            long nr = aioNr();
            long max = aioMaxNr();
            return AioIoException.withHint(call, negativeErrno, "The machine-wide AIO budget is exhausted: fs.aio-nr="
                    + nr + " of fs.aio-max-nr=" + max + " request slots are taken and " + depth
                    + " more were asked for. Use a smaller depth, close unused contexts, or raise the limit: "
                    + "sysctl -w fs.aio-max-nr=" + Math.max(1048576, (nr < 0 ? 0 : nr) + depth * 4L));
        }
        if (negativeErrno == -Native.ENOSYS) {
            return AioIoException.withHint(call, negativeErrno,
                    "This kernel was built without AIO support (CONFIG_AIO=n); use the epoll or NIO transport");
        }
        if (negativeErrno == -Native.EPERM) {
            return AioIoException.withHint(call, negativeErrno, "AIO syscalls are forbidden here, usually by a "
                    + "seccomp profile (containers); allow io_setup, io_submit, io_getevents, io_cancel and "
                    + "io_destroy, or use the epoll or NIO transport");
        }
        if (negativeErrno == -Native.EINVAL) {
            return AioIoException.withHint(call, negativeErrno, "The depth exceeds what the kernel can map");
        }
        return Native.ioException(call, negativeErrno);
    }
}

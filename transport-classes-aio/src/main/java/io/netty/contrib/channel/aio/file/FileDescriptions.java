/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.contrib.channel.aio.AioIoOps;
import io.netty.contrib.channel.aio.core.Native;

/**
 * The {@link AioIoOps} descriptions a file's requests submit — buffered read, {@code RWF_NOWAIT} read, direct read,
 * direct {@code RWF_NOWAIT} read (each single or vectored), write, writev, fsync, fdatasync — with one
 * {@link AioRwOptions}' flags and priority. Each is built at its first use and then reused, so that a read or write
 * with the file's usual options allocates no description. A file keeps one set for {@link AioRwOptions#DEFAULT}
 * and one for the last other options it saw. Host thread only.
 */
final class FileDescriptions {
    private static final int READ = 0;
    private static final int DIRECT_READ = 4;
    private static final int WRITE = 8;
    private static final int FSYNC = 10;
    private static final int FDSYNC = 11;
    private static final int VECTORED = 1;
    private static final int NOWAIT = 2;

    private final AioRwOptions options;
    private final AioIoOps[] built = new AioIoOps[12];
    /** The set for the last other options {@link #of} was asked for. */
    private FileDescriptions other;

    FileDescriptions(AioRwOptions options) {
        this.options = options;
    }

    /**
     * The descriptions for {@code options}: this set for its own options, else a set kept for the last other
     * options asked for (options are immutable and meant to be built once: the same instance comes again).
     */
    FileDescriptions of(AioRwOptions options) {
        if (options == this.options) {
            return this;
        }
        FileDescriptions o = other;
        if (o == null || o.options != options) {
            other = o = new FileDescriptions(options);
        }
        return o;
    }

    /** A read of {@code fd} (the buffered or the direct descriptor); {@code nowait} adds {@code RWF_NOWAIT}. */
    AioIoOps read(int fd, boolean direct, boolean vectored, boolean nowait) {
        int index = (direct ? DIRECT_READ : READ) | (vectored ? VECTORED : 0) | (nowait ? NOWAIT : 0);
        return get(index, vectored ? Native.IOCB_CMD_PREADV : Native.IOCB_CMD_PREAD, fd,
                nowait ? Native.RWF_NOWAIT : 0);
    }

    AioIoOps write(int fd, boolean vectored) {
        return get(WRITE | (vectored ? VECTORED : 0), vectored ? Native.IOCB_CMD_PWRITEV : Native.IOCB_CMD_PWRITE, fd,
                0);
    }

    AioIoOps sync(int fd, boolean dataOnly) {
        return get(dataOnly ? FDSYNC : FSYNC, dataOnly ? Native.IOCB_CMD_FDSYNC : Native.IOCB_CMD_FSYNC, fd, 0);
    }

    private AioIoOps get(int index, int opcode, int fd, int extraRwFlags) {
        AioIoOps ops = built[index];
        // The fd check covers a HYBRID file's direct descriptor, opened at its first page-cache miss.
        if (ops == null || ops.fd() != fd) {
            ops = options.applyTo(AioIoOps.describe(opcode, fd, 0));
            if (extraRwFlags != 0) {
                ops = ops.withRwFlags(ops.rwFlags() | extraRwFlags);
            }
            built[index] = ops;
        }
        return ops;
    }
}

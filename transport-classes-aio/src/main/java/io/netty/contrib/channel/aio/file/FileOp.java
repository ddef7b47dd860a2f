/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.contrib.channel.aio.AioIoOps;

/**
 * One kernel operation an {@link AioFile} hands to its {@link HostLink}: which of the file's
 * {@linkplain FileDescriptions descriptions} to submit, with what memory at what offset, and where the completion
 * goes. Re-pointed and resubmitted by its owner for continuations (the rest of a short write, a page-cache miss
 * re-issued on the direct descriptor). Carries nothing of the hosts': each keeps its own record of what it
 * submitted. Host thread only.
 *
 * <p>Buffers: the host's layer retains them while the kernel holds them; the owner keeps its own reference
 * until {@link #complete(long)}.
 */
abstract class FileOp {
    /** What the operation is: opcode, descriptor, flags, priority. */
    AioIoOps ops;
    /** The memory of PREAD or PWRITE; null otherwise. */
    ByteBuf buffer;
    /** The memory of PREADV or PWRITEV; null otherwise. */
    ByteBuf[] vector;
    /** The file offset. */
    long offset;

    /** Points this operation at {@code ops} with one buffer (or none, for a sync) at {@code offset}. */
    final void set(AioIoOps ops, ByteBuf buffer, long offset) {
        this.ops = ops;
        this.buffer = buffer;
        this.vector = null;
        this.offset = offset;
    }

    /** Points this operation at the vectored {@code ops} with {@code vector} at {@code offset}. */
    final void set(AioIoOps ops, ByteBuf[] vector, long offset) {
        this.ops = ops;
        this.buffer = null;
        this.vector = vector;
        this.offset = offset;
    }

    /** The kernel's {@code res}: bytes transferred, 0, or {@code -errno}. Host thread; exactly once per submit. */
    abstract void complete(long res);

    @Override
    public String toString() {
        return ops + "(offset=" + offset + ", buffers=" + (vector != null ? vector.length : buffer != null ? 1 : 0)
                + ')';
    }
}

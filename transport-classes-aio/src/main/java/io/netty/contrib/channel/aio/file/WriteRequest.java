/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.Promise;

/**
 * A write request: the readable bytes of {@code srcs}, in order, at {@code position}. A short write is continued
 * with what is left until everything is written or the kernel reports an error; a write of zero bytes is an
 * error (it would never end). Sources that cannot carry the I/O as they are (heap or multi-region memory, or
 * unaligned memory on an {@code O_DIRECT} file outside strict mode) are first gathered into one aligned pooled
 * buffer; {@link AioFile} has already refused what cannot be written at all. The request holds one reference to
 * each source from the caller's call until it ends, and never moves their indices.
 */
final class WriteRequest extends FileRequest<Void> {
    private final long position;
    private final long length;
    private final AioRwOptions options;
    private final ByteBuf[] srcs;
    private FileDescriptions descriptions;
    /** The sources as submitted: {@code srcs}, or one bounce buffer holding their bytes. */
    private ByteBuf[] data;
    private ByteBuf bounce;
    private long done;

    WriteRequest(AioFile file, Promise<Void> promise, long position, long length, AioRwOptions options, ByteBuf[] srcs,
            boolean gather) {
        super(file, promise);
        this.position = position;
        this.length = length;
        this.options = options;
        this.srcs = srcs;
        if (gather) {
            bounce = file.allocator().directBuffer((int) length, (int) length);
            for (ByteBuf src : srcs) {
                bounce.writeBytes(src, src.readerIndex(), src.readableBytes());
            }
            data = new ByteBuf[] {bounce};
        } else {
            data = srcs;
        }
    }

    @Override
    String describe() {
        return (srcs.length > 1 ? "writev(position=" : "write(position=") + position + ", length=" + length + ')';
    }

    @Override
    void start() {
        counters.countWrite(bounce != null);
        descriptions = file.descriptions(options);
        submitRest();
    }

    private void submitRest() {
        ByteBuf[] targets = done == 0 ? data : remaining();
        if (targets.length == 1) {
            set(descriptions.write(file.fd(), false), targets[0], position + done);
        } else {
            set(descriptions.write(file.fd(), true), targets, position + done);
        }
        submit();
    }

    /** Read-only views of what is left after {@code done} bytes. */
    private ByteBuf[] remaining() {
        long skip = done;
        int first = 0;
        while (skip >= data[first].readableBytes()) {
            skip -= data[first++].readableBytes();
        }
        ByteBuf[] rest = new ByteBuf[data.length - first];
        for (int i = 0; i < rest.length; i++) {
            ByteBuf d = data[first + i];
            int offset = i == 0 ? (int) skip : 0;
            rest[i] = d.slice(d.readerIndex() + offset, d.readableBytes() - offset);
        }
        return rest;
    }

    @Override
    void complete(long res) {
        if (res < 0) {
            fail(failure(vector != null ? "pwritev" : "pwrite", res));
            return;
        }
        if (res == 0) {
            fail(new java.io.IOException("pwrite on " + file.name() + " wrote no bytes at offset " + (position + done)
                    + " with " + (length - done) + " left, " + describe()));
            return;
        }
        done += res;
        counters.countBytesWritten(res);
        if (done >= length) {
            succeed(null);
            return;
        }
        counters.countShortWrite();
        if (!life.isOpen()) {
            fail(life.closedException(describe()));
        } else if (file.isDirect() && !file.alignment().isOffsetAligned(position + done)) {
            fail(new java.io.IOException("a short O_DIRECT write on " + file.name() + " stopped at unaligned offset "
                    + (position + done) + ", " + describe()));
        } else {
            submitRest();
        }
    }

    @Override
    void releaseResources() {
        if (bounce != null) {
            bounce.release();
            bounce = null;
        }
        for (int i = 0; i < srcs.length; i++) {
            if (srcs[i] != null) {
                srcs[i].release();
                srcs[i] = null;
            }
        }
    }
}

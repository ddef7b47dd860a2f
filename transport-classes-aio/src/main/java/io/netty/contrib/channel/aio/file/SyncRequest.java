/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.Promise;

/** fsync or fdatasync as one AIO operation ({@code IOCB_CMD_FSYNC} / {@code IOCB_CMD_FDSYNC}). */
final class SyncRequest extends FileRequest<Void> {
    private final boolean dataOnly;

    SyncRequest(AioFile file, Promise<Void> promise, boolean dataOnly) {
        super(file, promise);
        this.dataOnly = dataOnly;
    }

    @Override
    String describe() {
        return dataOnly ? "fdatasync()" : "fsync()";
    }

    @Override
    void start() {
        counters.countSync();
        set(file.descriptions(AioRwOptions.DEFAULT).sync(file.fd(), dataOnly), (ByteBuf) null, 0);
        submit();
    }

    @Override
    void complete(long res) {
        if (res < 0) {
            fail(failure(dataOnly ? "fdatasync" : "fsync", res));
        } else {
            succeed(null);
        }
    }

    @Override
    void releaseResources() {
    }
}

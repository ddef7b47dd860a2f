/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

/**
 * {@code io_submit} refused the first block of a batch outright, so nothing of the batch was submitted. The
 * kernel reports such errors only for the first iocb (later ones shorten the accepted count instead), so
 * {@link #block()} is exactly the culprit; it is idle again and the context stays usable.
 */
public final class AioSubmitException extends AioIoException {
    private static final long serialVersionUID = 1L;

    private final transient AioBlock block;

    AioSubmitException(AioBlock block, int negativeErrno) {
        super("io_submit(" + block + ")", negativeErrno, null);
        this.block = block;
    }

    /** The block the kernel refused. */
    public AioBlock block() {
        return block;
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import java.nio.channels.ClosedChannelException;

/**
 * An operation on an {@link AioFile} that was closed — before the operation was asked for, or while it waited to
 * reach the kernel (the close cancelled it). A {@link ClosedChannelException} with a message naming the file and
 * the operation. Immutable.
 */
public final class AioFileClosedException extends ClosedChannelException {
    private static final long serialVersionUID = 1L;

    private final String message;

    AioFileClosedException(String message) {
        this.message = message;
    }

    @Override
    public String getMessage() {
        return message;
    }
}

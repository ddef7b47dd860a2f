/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A received datagram did not fit its receive buffer ({@code MSG_TRUNC}) and was dropped; fired through
 * {@code exceptionCaught} after the read's other datagrams, and the channel goes on reading. Raise the receive
 * allocator's buffer size (or {@link AioChannelOption#MAX_DATAGRAM_PAYLOAD_SIZE}) to take such datagrams.
 * Immutable.
 */
public final class DatagramTruncatedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress sender;
    private final int bufferSize;

    DatagramTruncatedException(InetSocketAddress sender, int bufferSize) {
        super("datagram from " + sender + " is longer than the " + bufferSize
                + "-byte receive buffer (MSG_TRUNC): dropped; raise RCVBUF_ALLOCATOR's buffer size"
                + " or MAX_DATAGRAM_PAYLOAD_SIZE");
        this.sender = sender;
        this.bufferSize = bufferSize;
    }

    /** Who sent the dropped datagram; may be null. */
    public InetSocketAddress sender() {
        return sender;
    }

    /** The bytes its buffer (slot) had room for. */
    public int bufferSize() {
        return bufferSize;
    }
}

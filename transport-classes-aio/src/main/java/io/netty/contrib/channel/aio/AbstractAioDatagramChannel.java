/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.internal.AioRecvByteAllocatorHandle;
import io.netty.util.UncheckedBooleanSupplier;
import io.netty.util.internal.StringUtil;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;

/**
 * A datagram socket on the AIO loop, UDP ({@link AioDatagramChannel}) or Unix domain
 * ({@link AioDomainDatagramChannel}): what both do alike around the family's own send and receive calls —
 * connected or not, active once bound or, with {@code DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION}, once registered;
 * outbound messages copied to direct memory when they are not; a write round that yields to other channels once
 * its quota is spent; and the read loop, its allocator accounting and its error handling, around
 * {@link AioDatagramUnsafe#readDatagrams}.
 *
 * <p>Threading as every Netty channel: I/O and state changes on the channel's event loop.
 *
 * @param <A> the family's address type, which envelopes written to the channel must name as recipient
 */
abstract class AbstractAioDatagramChannel<A extends SocketAddress> extends AbstractAioChannel<A> {
    private static final ChannelMetadata METADATA = new ChannelMetadata(true, 16);

    /** The family's packet and address types, for the message refusing anything else. */
    private final Class<?> packetType;
    private final Class<A> addressType;
    private final Runnable flushTask = () -> aioUnsafe().flush0();
    /** {@code DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION}, kept here for {@link #isActive()}; set through the config. */
    private volatile boolean activeOnOpen;
    volatile boolean connected;

    AbstractAioDatagramChannel(AioSocket socket, boolean active, Class<?> packetType, Class<A> addressType) {
        super(null, socket, active, Native.EPOLLIN);
        this.packetType = packetType;
        this.addressType = addressType;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    /** Open and bound (or connected), or registered with {@code DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION}. */
    @Override
    public boolean isActive() {
        return socket.isOpen() && (active || activeOnOpen && isRegistered());
    }

    public boolean isConnected() {
        return connected;
    }

    final boolean isActiveOnOpen() {
        return activeOnOpen;
    }

    /** For the config: takes effect at registration, so it cannot change once registered. */
    final void setActiveOnOpen(boolean activeOnOpen) {
        if (isRegistered()) {
            throw new IllegalStateException("DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION can only be set before the "
                    + "channel is registered");
        }
        this.activeOnOpen = activeOnOpen;
    }

    @Override
    protected void doClose() throws Exception {
        super.doClose();
        connected = false;
    }

    // ---------------------------------------------------------------- writing

    /**
     * Passes a {@link ByteBuf} or an {@link AddressedEnvelope} of one to a recipient of the family's address type
     * (null: the connected peer), copied to direct memory where the send calls could not take it; refuses other
     * messages. The subclasses take their own packet type first.
     */
    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) {
            ByteBuf buf = (ByteBuf) msg;
            return needsCopy(buf) ? newDirectBuffer(buf) : buf;
        }
        if (msg instanceof AddressedEnvelope) {
            @SuppressWarnings("unchecked")
            AddressedEnvelope<Object, SocketAddress> e = (AddressedEnvelope<Object, SocketAddress>) msg;
            if (e.content() instanceof ByteBuf
                    && (e.recipient() == null || addressType.isInstance(e.recipient()))) {
                A recipient = addressType.cast(e.recipient());
                checkRecipient(recipient);
                ByteBuf content = (ByteBuf) e.content();
                return needsCopy(content) ? new DefaultAddressedEnvelope<ByteBuf, A>(
                        newDirectBuffer(e, content), recipient) : e;
            }
        }
        throw new UnsupportedOperationException("unsupported message type: " + StringUtil.simpleClassName(msg)
                + " (expected: " + StringUtil.simpleClassName(packetType) + ", "
                + StringUtil.simpleClassName(AddressedEnvelope.class) + '<'
                + StringUtil.simpleClassName(ByteBuf.class) + ", " + StringUtil.simpleClassName(addressType)
                + ">, " + StringUtil.simpleClassName(ByteBuf.class) + ')');
    }

    /**
     * Refuses a recipient the socket cannot send to, before the message is queued. Nothing to check by default:
     * any Unix address is worth a try; UDP refuses unresolved and IPv6-on-IPv4 ones.
     */
    void checkRecipient(A recipient) {
    }

    /** The send calls take one block of native memory per datagram: anything else is copied once. */
    static boolean needsCopy(ByteBuf buf) {
        return !buf.hasMemoryAddress();
    }

    /**
     * Ends a {@code doWrite} that did not stop on EAGAIN: the socket took all it was offered, or the per-flush
     * quota is spent — then let other channels run and go on from a task.
     */
    final void endWriteRound(ChannelOutboundBuffer in) throws IOException {
        setOutWanted(false);
        if (!in.isEmpty()) {
            eventLoop().execute(flushTask);
        }
    }

    // ---------------------------------------------------------------- reading

    abstract class AioDatagramUnsafe extends AbstractAioUnsafe {
        /**
         * None: a datagram socket's error (an ICMP error on a connected socket) is no end of anything. Left
         * pending, it fails the next send, or is read as an exception when reading is wanted, as with epoll.
         */
        @Override
        final int hangupEvents() {
            return 0;
        }

        @Override
        final void readReady() {
            final AioRecvByteAllocatorHandle allocHandle = recvBufAllocHandle();
            final ChannelPipeline pipeline = pipeline();
            allocHandle.reset(config());
            // Cleared when the socket answers EAGAIN (or fails for good); set, the loop stopped with more queued.
            maybeMoreData = true;
            Throwable exception = null;
            try {
                do {
                    if (!readDatagrams(allocHandle, pipeline)) {
                        maybeMoreData = false;
                        break;
                    }
                    // Fewer bytes than the buffer held is no sign of an empty queue for datagrams.
                } while (allocHandle.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER));
            } catch (PortUnreachableException | DatagramTruncatedException e) {
                // One datagram's error (only UDP raises these): later ones may be queued already, read on
                // afterwards.
                exception = e;
            } catch (Throwable t) {
                maybeMoreData = false;
                exception = t;
            }
            allocHandle.readComplete();
            pipeline.fireChannelReadComplete();
            if (exception != null) {
                pipeline.fireExceptionCaught(exception);
            }
        }

        /**
         * One receive call into one buffer from {@code allocHandle}: fires what arrived, with the handle told of
         * the bytes and messages read, and clears {@code readPending} once a datagram was handed over. False when
         * nothing was queued (EAGAIN). Throws a read error, or a datagram's own error after its batch was fired.
         */
        abstract boolean readDatagrams(AioRecvByteAllocatorHandle allocHandle, ChannelPipeline pipeline)
                throws Exception;
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.internal.AioRecvByteAllocatorHandle;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.unix.DomainDatagramChannel;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainDatagramSocketAddress;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.CharsetUtil;
import io.netty.util.UncheckedBooleanSupplier;
import io.netty.util.internal.StringUtil;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.NotYetConnectedException;

/**
 * A Unix domain datagram socket ({@code AF_UNIX}, {@code SOCK_DGRAM}) on an {@link AioEventLoop}: Netty's
 * {@link DomainDatagramChannel} with readiness from the loop's epoll set (see {@link AbstractAioChannel}).
 * Addresses are {@link DomainSocketAddress}es, a path on the file system or, starting with a NUL character, a name
 * in the abstract namespace. Connected or not; reads deliver {@link DomainDatagramPacket}s, writes take them (or a
 * {@link ByteBuf} once connected). A datagram longer than the receive buffer is cut to it, as recvfrom does.
 *
 * <p>Threading and ownership as every Netty channel: written messages are released once sent or failed; received
 * packets belong to the pipeline.
 */
public final class AioDomainDatagramChannel extends AbstractAioChannel implements DomainDatagramChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(true, 16);
    private static final String EXPECTED_TYPES = " (expected: "
            + StringUtil.simpleClassName(DomainDatagramPacket.class) + ", "
            + StringUtil.simpleClassName(AddressedEnvelope.class) + '<' + StringUtil.simpleClassName(ByteBuf.class)
            + ", " + StringUtil.simpleClassName(DomainSocketAddress.class) + ">, "
            + StringUtil.simpleClassName(ByteBuf.class) + ')';

    private final AioDomainDatagramChannelConfig config;
    private volatile DomainSocketAddress local;
    private volatile DomainSocketAddress remote;
    private volatile boolean connected;

    public AioDomainDatagramChannel() {
        this(AioSocket.newDomainDatagram(), false);
    }

    /** Wraps an existing Unix datagram socket descriptor, bound or not; it must be non-blocking. */
    public AioDomainDatagramChannel(int fd) {
        this(new AioSocket(fd), true);
    }

    private AioDomainDatagramChannel(AioSocket socket, boolean active) {
        super(null, socket, false, Native.EPOLLIN);
        this.active = active;
        config = new AioDomainDatagramChannelConfig(this);
        if (active) {
            local = socket.localDomainSocketAddress();
            remote = socket.remoteDomainSocketAddress();
            connected = remote != null;
        }
    }

    @Override
    public AioDomainDatagramChannelConfig config() {
        return config;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    /** Open and bound (or connected), or registered with {@code DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION}. */
    @Override
    public boolean isActive() {
        AioDomainDatagramChannelConfig c = config;
        return socket.isOpen() && (active || c != null && c.getActiveOnOpen() && isRegistered());
    }

    @Override
    public DomainSocketAddress localAddress() {
        return (DomainSocketAddress) super.localAddress();
    }

    @Override
    public DomainSocketAddress remoteAddress() {
        return (DomainSocketAddress) super.remoteAddress();
    }

    @Override
    protected DomainSocketAddress localAddress0() {
        return local;
    }

    @Override
    protected DomainSocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        socket.bind(localAddress);
        local = (DomainSocketAddress) localAddress;
        active = true;
        channelBecameActive();
    }

    @Override
    protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        if (localAddress != null) {
            socket.bind(localAddress);
        }
        // Unix datagram sockets connect at once (or fail: ENOENT, ECONNREFUSED, EPROTOTYPE).
        boolean done = socket.connect(remoteAddress);
        if (done) {
            local = localAddress != null ? (DomainSocketAddress) localAddress : socket.localDomainSocketAddress();
            remote = (DomainSocketAddress) remoteAddress;
            connected = true;
        }
        return done;
    }

    @Override
    protected void doDisconnect() throws Exception {
        socket.disconnect();
        connected = false;
        remote = null;
    }

    @Override
    protected void doClose() throws Exception {
        super.doClose();
        connected = false;
        active = false;
    }

    // ---------------------------------------------------------------- writing

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof DomainDatagramPacket) {
            DomainDatagramPacket packet = (DomainDatagramPacket) msg;
            ByteBuf content = packet.content();
            return needsCopy(content) ? new DomainDatagramPacket(newDirectBuffer(packet, content),
                    packet.recipient()) : msg;
        }
        if (msg instanceof ByteBuf) {
            ByteBuf buf = (ByteBuf) msg;
            return needsCopy(buf) ? newDirectBuffer(buf) : buf;
        }
        if (msg instanceof AddressedEnvelope) {
            @SuppressWarnings("unchecked")
            AddressedEnvelope<Object, SocketAddress> e = (AddressedEnvelope<Object, SocketAddress>) msg;
            if (e.content() instanceof ByteBuf
                    && (e.recipient() == null || e.recipient() instanceof DomainSocketAddress)) {
                ByteBuf content = (ByteBuf) e.content();
                return needsCopy(content) ? new DefaultAddressedEnvelope<ByteBuf, DomainSocketAddress>(
                        newDirectBuffer(e, content), (DomainSocketAddress) e.recipient()) : e;
            }
        }
        throw new UnsupportedOperationException(
                "unsupported message type: " + StringUtil.simpleClassName(msg) + EXPECTED_TYPES);
    }

    private static boolean needsCopy(ByteBuf buf) {
        return !buf.hasMemoryAddress();
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        int maxMessagesPerWrite = maxMessagesPerWrite();
        while (maxMessagesPerWrite > 0) {
            Object msg = in.current();
            if (msg == null) {
                break;
            }
            try {
                if (!writeMessage(msg)) {
                    // Socket buffer full (or the receiver's queue, for an unconnected send): wait for EPOLLOUT.
                    setOutWanted(true);
                    return;
                }
                in.remove();
            } catch (IOException | NotYetConnectedException e) {
                // Fail this datagram only: the channel may talk to other peers.
                in.remove(e);
            }
            maxMessagesPerWrite--;
        }
        setOutWanted(false);
        if (!in.isEmpty()) {
            eventLoop().execute(() -> ((AbstractAioUnsafe) unsafe()).flush0());
        }
    }

    /** One sendto/send: true once sent, false when the socket would block. */
    private boolean writeMessage(Object msg) throws IOException {
        ByteBuf data;
        DomainSocketAddress recipient;
        if (msg instanceof AddressedEnvelope) {
            @SuppressWarnings("unchecked")
            AddressedEnvelope<ByteBuf, DomainSocketAddress> envelope =
                    (AddressedEnvelope<ByteBuf, DomainSocketAddress>) msg;
            data = envelope.content();
            recipient = envelope.recipient();
        } else {
            data = (ByteBuf) msg;
            recipient = null;
        }
        long address = data.memoryAddress();
        if (recipient == null) {
            if (!connected) {
                throw new NotYetConnectedException();
            }
            // send(2) of 0 bytes answers 0 like EAGAIN would; an empty datagram is sent and counted as sent.
            return socket.sendAddress(address, data.readerIndex(), data.writerIndex()) > 0
                    || !data.isReadable();
        }
        return socket.sendToAddressDomainSocket(address, data.readerIndex(), data.writerIndex(),
                recipient.path().getBytes(CharsetUtil.UTF_8)) > 0 || !data.isReadable();
    }

    // ---------------------------------------------------------------- reading

    @Override
    protected AbstractAioUnsafe newUnsafe() {
        return new AioDomainDatagramUnsafe();
    }

    private final class AioDomainDatagramUnsafe extends AbstractAioUnsafe {
        @Override
        int hangupEvents() {
            // A datagram socket's error ends nothing (see AioDatagramChannel).
            return 0;
        }

        @Override
        void readReady() {
            final AioDomainDatagramChannelConfig config = config();
            final AioRecvByteAllocatorHandle allocHandle = recvBufAllocHandle();
            final ChannelPipeline pipeline = pipeline();
            allocHandle.reset(config);
            maybeMoreData = true;
            Throwable exception = null;
            try {
                do {
                    ByteBuf buf = allocHandle.allocate(config.getAllocator());
                    boolean handedOver = false;
                    try {
                        int writerIndex = buf.writerIndex();
                        allocHandle.attemptedBytesRead(buf.writableBytes());
                        // recvfrom also when connected: unlike recv, it tells an empty datagram (an address and
                        // 0 bytes) from EAGAIN (null), so an empty datagram cannot stop the loop early.
                        DomainDatagramSocketAddress from = socket.recvFromAddressDomainSocket(buf.memoryAddress(),
                                writerIndex, buf.capacity());
                        if (from == null) {
                            allocHandle.lastBytesRead(-1);
                            maybeMoreData = false;
                            break;
                        }
                        int bytes = from.receivedAmount();
                        DomainSocketAddress sender = connected ? remote : from;
                        buf.writerIndex(writerIndex + bytes);
                        allocHandle.lastBytesRead(Math.max(1, bytes));
                        allocHandle.incMessagesRead(1);
                        readPending = false;
                        handedOver = true;
                        pipeline.fireChannelRead(new DomainDatagramPacket(buf, local, sender));
                    } finally {
                        if (!handedOver) {
                            buf.release();
                        }
                    }
                } while (allocHandle.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER));
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
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.internal.AioRecvByteAllocatorHandle;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.unix.DomainDatagramChannel;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainDatagramSocketAddress;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.CharsetUtil;

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
public final class AioDomainDatagramChannel extends AbstractAioDatagramChannel<DomainSocketAddress>
        implements DomainDatagramChannel {
    private final AioDomainDatagramChannelConfig config;

    public AioDomainDatagramChannel() {
        this(AioSocket.newDomainDatagram(), false);
    }

    /** Wraps an existing Unix datagram socket descriptor, bound or not; it must be non-blocking. */
    public AioDomainDatagramChannel(int fd) {
        this(new AioSocket(fd), true);
    }

    private AioDomainDatagramChannel(AioSocket socket, boolean active) {
        // Not active for the base: it would read the addresses as IP ones.
        super(socket, false, DomainDatagramPacket.class, DomainSocketAddress.class);
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

    // ---------------------------------------------------------------- writing

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof DomainDatagramPacket) {
            DomainDatagramPacket packet = (DomainDatagramPacket) msg;
            ByteBuf content = packet.content();
            return needsCopy(content) ? new DomainDatagramPacket(newDirectBuffer(packet, content),
                    packet.recipient()) : msg;
        }
        return super.filterOutboundMessage(msg);
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
        endWriteRound(in);
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

    private final class AioDomainDatagramUnsafe extends AioDatagramUnsafe {
        /** One recvfrom, one datagram: cut to the buffer when longer (see the class doc). */
        @Override
        boolean readDatagrams(AioRecvByteAllocatorHandle allocHandle, ChannelPipeline pipeline) throws Exception {
            ByteBuf buf = allocHandle.allocate(config().getAllocator());
            boolean handedOver = false;
            try {
                int writerIndex = buf.writerIndex();
                allocHandle.attemptedBytesRead(buf.writableBytes());
                // recvfrom also when connected: unlike recv, it tells an empty datagram (an address and 0 bytes)
                // from EAGAIN (null), so an empty datagram cannot stop the loop early.
                DomainDatagramSocketAddress from = socket.recvFromAddressDomainSocket(buf.memoryAddress(),
                        writerIndex, buf.capacity());
                if (from == null) {
                    allocHandle.lastBytesRead(-1);
                    return false;
                }
                int bytes = from.receivedAmount();
                DomainSocketAddress sender = connected ? (DomainSocketAddress) remote : from;
                buf.writerIndex(writerIndex + bytes);
                allocHandle.lastBytesRead(Math.max(1, bytes));
                allocHandle.incMessagesRead(1);
                readPending = false;
                handedOver = true;
                pipeline.fireChannelRead(new DomainDatagramPacket(buf, (DomainSocketAddress) local, sender));
                return true;
            } finally {
                if (!handedOver) {
                    buf.release();
                }
            }
        }
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.internal.AioRecvByteAllocatorHandle;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.contrib.channel.aio.core.NativeSockets;
import io.netty.util.internal.ObjectUtil;
import io.netty.util.internal.RecyclableArrayList;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;

/**
 * A UDP socket on an {@link AioEventLoop}: Netty's {@link DatagramChannel} with readiness from the loop's epoll set
 * (see {@link AbstractAioChannel}). IPv6 dual-stack by default when the host supports IPv6 (IPv4 peers are
 * reached through mapped addresses and reported as IPv4), or the family given. Connected or not; multicast join,
 * leave, block and unblock (with or without a source, any family on a dual-stack socket).
 *
 * <p>Reads and writes go through {@code recvmmsg}/{@code sendmmsg} with a per-thread native batch: flushed
 * datagrams leave up to 64 per call, and with {@link AioChannelOption#MAX_DATAGRAM_PAYLOAD_SIZE} each receive
 * buffer is cut into slots filled by one call. {@link SegmentedDatagramPacket}s are sent with {@code UDP_SEGMENT}
 * (GSO); with {@link AioChannelOption#UDP_GRO} coalesced reads are split into datagrams again. A datagram larger
 * than its receive buffer is dropped and reported ({@code MSG_TRUNC}) through {@code exceptionCaught}, the channel
 * going on; on a connected socket an ICMP port unreachable surfaces as a {@link PortUnreachableException}, as with
 * epoll and NIO.
 *
 * <p>Threading and ownership as every Netty channel: written messages are released once sent or failed; received
 * {@link DatagramPacket}s belong to the pipeline.
 */
public final class AioDatagramChannel extends AbstractAioDatagramChannel<InetSocketAddress>
        implements DatagramChannel {
    private static final InetAddress INET6_ANY;

    static {
        try {
            INET6_ANY = InetAddress.getByAddress(new byte[16]);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AioDatagramChannelConfig config;
    private final BatchFiller filler = new BatchFiller();

    public AioDatagramChannel() {
        this((SocketProtocolFamily) null);
    }

    public AioDatagramChannel(SocketProtocolFamily family) {
        this(AioSocket.newDatagram(family), false);
    }

    /** @deprecated use {@link #AioDatagramChannel(SocketProtocolFamily)}. */
    @Deprecated
    public AioDatagramChannel(InternetProtocolFamily family) {
        this(family == null ? null : family.toSocketProtocolFamily());
    }

    /** Wraps an existing UDP socket descriptor, bound or not; it must be non-blocking. */
    public AioDatagramChannel(int fd) {
        this(new AioSocket(fd), true);
    }

    private AioDatagramChannel(AioSocket socket, boolean active) {
        super(socket, active, DatagramPacket.class, InetSocketAddress.class);
        config = new AioDatagramChannelConfig(this);
        try {
            // As NIO and epoll: a socket bound to a wildcard address receives the groups it joined, not every
            // group some socket of the host joined on its port (Linux's default).
            socket.setIntOpt(NativeSockets.IPPROTO_IP, NativeSockets.IP_MULTICAST_ALL, 0);
        } catch (IOException ignored) {
            // An IPv6-only socket has no IPv4 memberships to restrict.
        }
        if (active) {
            connected = socket.remoteAddress() != null;
        }
    }

    @Override
    public AioDatagramChannelConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- bind, connect, close

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        if (localAddress instanceof InetSocketAddress) {
            InetSocketAddress address = (InetSocketAddress) localAddress;
            checkResolvable(address);
            // 0.0.0.0 on a dual-stack socket means every address, IPv6 included, as for NIO.
            if (socket.isIpv6() && address.getAddress() instanceof Inet4Address
                    && address.getAddress().isAnyLocalAddress()) {
                localAddress = new InetSocketAddress(INET6_ANY, address.getPort());
            }
        }
        super.doBind(localAddress);
        active = true;
        channelBecameActive();
    }

    @Override
    protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        // UDP connects at once: the kernel only records the peer (and binds an ephemeral port if needed).
        boolean done = super.doConnect(remoteAddress, localAddress);
        connected = done;
        return done;
    }

    /** Forgets the peer (connect to AF_UNSPEC); the socket stays bound and keeps reading, as with NIO. */
    @Override
    protected void doDisconnect() throws Exception {
        socket.disconnect();
        connected = false;
        resetCachedAddresses();
    }

    // ---------------------------------------------------------------- multicast

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress) {
        return joinGroup(multicastAddress, newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, ChannelPromise promise) {
        return joinGroup(multicastAddress, config.getNetworkInterface(), null, promise);
    }

    @Override
    public ChannelFuture joinGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface) {
        return joinGroup(multicastAddress, networkInterface, newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface,
                                   ChannelPromise promise) {
        return joinGroup(ObjectUtil.checkNotNull(multicastAddress, "multicastAddress").getAddress(),
                networkInterface, null, promise);
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                   InetAddress source) {
        return joinGroup(multicastAddress, networkInterface, source, newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                   InetAddress source, ChannelPromise promise) {
        return multicast(NativeSockets.MCAST_JOIN, "join", multicastAddress, networkInterface, source, promise);
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress) {
        return leaveGroup(multicastAddress, newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, ChannelPromise promise) {
        return leaveGroup(multicastAddress, config.getNetworkInterface(), null, promise);
    }

    @Override
    public ChannelFuture leaveGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface) {
        return leaveGroup(multicastAddress, networkInterface, newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface,
                                    ChannelPromise promise) {
        return leaveGroup(ObjectUtil.checkNotNull(multicastAddress, "multicastAddress").getAddress(),
                networkInterface, null, promise);
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                    InetAddress source) {
        return leaveGroup(multicastAddress, networkInterface, source, newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                    InetAddress source, ChannelPromise promise) {
        return multicast(NativeSockets.MCAST_LEAVE, "leave", multicastAddress, networkInterface, source, promise);
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, NetworkInterface networkInterface,
                               InetAddress sourceToBlock) {
        return block(multicastAddress, networkInterface, sourceToBlock, newPromise());
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, NetworkInterface networkInterface,
                               InetAddress sourceToBlock, ChannelPromise promise) {
        ObjectUtil.checkNotNull(sourceToBlock, "sourceToBlock");
        return multicast(NativeSockets.MCAST_BLOCK, "block a source of", multicastAddress, networkInterface,
                sourceToBlock, promise);
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, InetAddress sourceToBlock) {
        return block(multicastAddress, sourceToBlock, newPromise());
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, InetAddress sourceToBlock, ChannelPromise promise) {
        return block(multicastAddress, config.getNetworkInterface(), sourceToBlock, promise);
    }

    /** Lets datagrams from a blocked source of a joined group in again. */
    public ChannelFuture unblock(InetAddress multicastAddress, NetworkInterface networkInterface,
                                 InetAddress sourceToUnblock, ChannelPromise promise) {
        ObjectUtil.checkNotNull(sourceToUnblock, "sourceToUnblock");
        return multicast(NativeSockets.MCAST_UNBLOCK, "unblock a source of", multicastAddress, networkInterface,
                sourceToUnblock, promise);
    }

    /**
     * One membership change; setsockopt may run on any thread. {@code networkInterface} null: the kernel picks the
     * interface by route.
     */
    private ChannelFuture multicast(int op, String what, InetAddress group, NetworkInterface networkInterface,
                                    InetAddress source, ChannelPromise promise) {
        ObjectUtil.checkNotNull(group, "multicastAddress");
        ObjectUtil.checkNotNull(promise, "promise");
        if (!group.isMulticastAddress()) {
            promise.setFailure(new IllegalArgumentException("not a multicast group: " + group.getHostAddress()));
            return promise;
        }
        if (source != null && (source instanceof Inet6Address) != (group instanceof Inet6Address)) {
            promise.setFailure(new IllegalArgumentException("source " + source.getHostAddress()
                    + " and group " + group.getHostAddress() + " are of different families"));
            return promise;
        }
        if (group instanceof Inet6Address && !socket.isIpv6()) {
            promise.setFailure(new IllegalArgumentException("IPv6 group " + group.getHostAddress()
                    + " on an IPv4 socket: create the channel with SocketProtocolFamily.INET6 (or none)"));
            return promise;
        }
        int ifindex = networkInterface == null ? 0 : networkInterface.getIndex();
        int res = NativeSockets.multicast0(socket.intValue(), op, group.getAddress(), ifindex,
                source == null ? null : source.getAddress());
        if (res < 0) {
            promise.setFailure(Errors.newIOException("setsockopt(" + what + " group " + group.getHostAddress()
                    + (source == null ? "" : " source " + source.getHostAddress())
                    + (networkInterface == null ? "" : " on " + networkInterface.getName()) + ')', res));
        } else {
            promise.setSuccess();
        }
        return promise;
    }

    // ---------------------------------------------------------------- writing

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof DatagramPacket) {
            DatagramPacket packet = (DatagramPacket) msg;
            checkRecipient(packet.recipient());
            if (packet instanceof SegmentedDatagramPacket) {
                SegmentedDatagramPacket segmented = (SegmentedDatagramPacket) packet;
                if (segmented.segmentSize() > 0xffff) {
                    throw new IllegalArgumentException("segmentSize " + segmented.segmentSize()
                            + " does not fit UDP_SEGMENT (at most 65535)");
                }
                return needsCopy(packet.content()) ? segmented.replace(newDirectBuffer(packet, packet.content()))
                        : msg;
            }
            return needsCopy(packet.content())
                    ? new DatagramPacket(newDirectBuffer(packet, packet.content()), packet.recipient()) : msg;
        }
        return super.filterOutboundMessage(msg);
    }

    @Override
    void checkRecipient(InetSocketAddress recipient) {
        if (recipient == null) {
            return;
        }
        if (recipient.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        if (!socket.isIpv6() && recipient.getAddress() instanceof Inet6Address) {
            throw new IllegalArgumentException("IPv6 recipient " + recipient
                    + " on an IPv4 socket: create the channel with SocketProtocolFamily.INET6 (or none)");
        }
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        int maxMessagesPerWrite = maxMessagesPerWrite();
        BatchFiller filler = this.filler;
        while (maxMessagesPerWrite > 0 && !in.isEmpty()) {
            filler.start(DatagramBatch.get(), Math.min(DatagramBatch.CAPACITY, maxMessagesPerWrite));
            in.forEachFlushedMessage(filler);
            int count = filler.count;
            if (count == 0) {
                // The first message has no recipient and the socket no peer.
                in.remove(new NotYetConnectedException());
                maxMessagesPerWrite--;
                continue;
            }
            int sent = filler.batch.send(socket.intValue(), count);
            if (sent == Errors.ERRNO_EAGAIN_NEGATIVE || sent == Errors.ERRNO_EWOULDBLOCK_NEGATIVE) {
                setOutWanted(true);
                return;
            }
            if (sent < 0) {
                // The first datagram failed (too large, no route, refused...): fail its write only and go on, a
                // datagram channel talks to many peers.
                in.remove(socketException("sendmmsg", sent));
                maxMessagesPerWrite--;
                continue;
            }
            for (int i = 0; i < sent; i++) {
                in.remove();
            }
            maxMessagesPerWrite -= sent;
        }
        endWriteRound(in);
    }

    /**
     * Puts flushed messages into the thread's batch, in order, until the batch is full or a message without a
     * recipient meets an unconnected socket. One per channel, used on the loop thread only.
     */
    private final class BatchFiller implements ChannelOutboundBuffer.MessageProcessor {
        DatagramBatch batch;
        int count;
        private int limit;

        void start(DatagramBatch batch, int limit) {
            this.batch = batch;
            this.limit = limit;
            count = 0;
        }

        @Override
        public boolean processMessage(Object msg) {
            ByteBuf data;
            InetSocketAddress recipient;
            int segment = 0;
            if (msg instanceof AddressedEnvelope) {
                @SuppressWarnings("unchecked")
                AddressedEnvelope<ByteBuf, InetSocketAddress> envelope =
                        (AddressedEnvelope<ByteBuf, InetSocketAddress>) msg;
                data = envelope.content();
                recipient = envelope.recipient();
                if (msg instanceof SegmentedDatagramPacket) {
                    segment = ((SegmentedDatagramPacket) msg).segmentSize();
                }
            } else {
                data = (ByteBuf) msg;
                recipient = null;
            }
            if (recipient == null && !connected) {
                return false;
            }
            batch.setBuffer(count, data.memoryAddress() + data.readerIndex(), data.readableBytes());
            batch.setDestination(count, recipient, socket.isIpv6());
            batch.setSegment(count, segment);
            return ++count < limit;
        }
    }

    /** The exception for {@code call}'s {@code -errno} {@code res}. */
    private IOException socketException(String call, int res) {
        if (res == Errors.ERROR_ECONNREFUSED_NEGATIVE && connected) {
            // As epoll and NIO: an ICMP port unreachable for an earlier datagram of a connected socket.
            PortUnreachableException e = new PortUnreachableException(
                    call + "(..) failed: Connection refused by " + remoteAddress());
            e.initCause(Errors.newIOException(call, res));
            return e;
        }
        return Errors.newIOException(call, res);
    }

    // ---------------------------------------------------------------- reading

    @Override
    protected AbstractAioUnsafe newUnsafe() {
        return new AioUdpUnsafe();
    }

    private final class AioUdpUnsafe extends AioDatagramUnsafe {
        /**
         * One recvmmsg into one buffer, cut into slots of {@code MAX_DATAGRAM_PAYLOAD_SIZE} when set (and no GRO).
         * Everything is copied out of the per-thread batch before the first {@code fireChannelRead}.
         */
        @Override
        boolean readDatagrams(AioRecvByteAllocatorHandle allocHandle, ChannelPipeline pipeline) throws Exception {
            AioDatagramChannelConfig config = config();
            ByteBuf buf = allocHandle.allocate(config.getAllocator());
            RecyclableArrayList packets = null;
            DatagramTruncatedException truncated = null;
            try {
                int writable = buf.writableBytes();
                int slot = config.getMaxDatagramPayloadSize();
                int count = 1;
                if (slot > 0 && slot < writable && !config.isUdpGro()) {
                    count = Math.min(writable / slot, DatagramBatch.CAPACITY);
                } else {
                    slot = writable;
                }
                DatagramBatch batch = DatagramBatch.get();
                long address = buf.memoryAddress() + buf.writerIndex();
                for (int i = 0; i < count; i++) {
                    batch.setBuffer(i, address + (long) i * slot, slot);
                }
                allocHandle.attemptedBytesRead(count * slot);
                int received = batch.recv(socket.intValue(), count);
                if (received <= 0) {
                    allocHandle.lastBytesRead(-1);
                    if (received == 0 || received == Errors.ERRNO_EAGAIN_NEGATIVE
                            || received == Errors.ERRNO_EWOULDBLOCK_NEGATIVE) {
                        return false;
                    }
                    throw socketException("recvmmsg", received);
                }
                InetSocketAddress bound = AioDatagramChannel.this.localAddress();
                packets = RecyclableArrayList.newInstance();
                int bytes = 0;
                for (int i = 0; i < received; i++) {
                    int length = batch.length(i);
                    InetSocketAddress sender = batch.sender(i);
                    if ((batch.flags(i) & NativeSockets.MSG_TRUNC) != 0) {
                        // The rest of the datagram is gone: hand no partial message to the pipeline.
                        if (truncated == null) {
                            truncated = new DatagramTruncatedException(sender, slot);
                        }
                        continue;
                    }
                    bytes += length;
                    InetSocketAddress recipient = batch.originalDestination(i);
                    if (recipient == null) {
                        recipient = bound;
                    }
                    int start = buf.writerIndex() + i * slot;
                    int segment = batch.segment(i);
                    if (segment > 0 && segment < length) {
                        // UDP_GRO coalesced several datagrams of one flow: split them again.
                        for (int off = 0; off < length; off += segment) {
                            packets.add(new DatagramPacket(buf.retainedSlice(start + off,
                                    Math.min(segment, length - off)), recipient, sender));
                        }
                    } else {
                        packets.add(new DatagramPacket(buf.retainedSlice(start, length), recipient, sender));
                    }
                }
                // Avoid a 0 here, which would read as EOF, for zero-length datagrams.
                allocHandle.lastBytesRead(Math.max(1, bytes));
                allocHandle.incMessagesRead(packets.size());
                for (int i = 0; i < packets.size(); i++) {
                    // The list takes no nulls: a placeholder marks the packet handed over.
                    pipeline.fireChannelRead(packets.set(i, Boolean.FALSE));
                }
                if (truncated != null) {
                    // readPending stays as it was, as for any read that ends in an exception.
                    throw truncated;
                }
                readPending = false;
                return true;
            } finally {
                buf.release();
                if (packets != null) {
                    for (int i = 0; i < packets.size(); i++) {
                        Object left = packets.get(i);
                        if (left instanceof DatagramPacket) {
                            ((DatagramPacket) left).release();
                        }
                    }
                    packets.recycle();
                }
            }
        }
    }
}

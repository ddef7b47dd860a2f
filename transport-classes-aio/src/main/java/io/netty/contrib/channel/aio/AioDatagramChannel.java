/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.internal.AioRecvByteAllocatorHandle;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeSockets;
import io.netty.util.UncheckedBooleanSupplier;
import io.netty.util.internal.ObjectUtil;
import io.netty.util.internal.RecyclableArrayList;
import io.netty.util.internal.StringUtil;

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
public final class AioDatagramChannel extends AbstractAioChannel implements DatagramChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(true, 16);
    private static final String EXPECTED_TYPES = " (expected: " + StringUtil.simpleClassName(DatagramPacket.class)
            + ", " + StringUtil.simpleClassName(AddressedEnvelope.class) + '<'
            + StringUtil.simpleClassName(ByteBuf.class) + ", " + StringUtil.simpleClassName(InetSocketAddress.class)
            + ">, " + StringUtil.simpleClassName(ByteBuf.class) + ')';
    private static final InetAddress INET6_ANY;

    static {
        try {
            INET6_ANY = InetAddress.getByAddress(new byte[16]);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AioDatagramChannelConfig config;
    private final Runnable flushTask = () -> ((AbstractAioUnsafe) unsafe()).flush0();
    private final BatchFiller filler = new BatchFiller();
    private volatile boolean connected;

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
        super(null, socket, active, Native.EPOLLIN);
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
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public AioDatagramChannelConfig config() {
        return config;
    }

    /** Open and bound (or connected), or registered with {@code DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION}. */
    @Override
    public boolean isActive() {
        AioDatagramChannelConfig c = config;
        return socket.isOpen() && (active || c != null && c.getActiveOnOpen() && isRegistered());
    }

    @Override
    public boolean isConnected() {
        return connected;
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

    @Override
    protected void doClose() throws Exception {
        super.doClose();
        connected = false;
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
        if (msg instanceof ByteBuf) {
            ByteBuf buf = (ByteBuf) msg;
            return needsCopy(buf) ? newDirectBuffer(buf) : buf;
        }
        if (msg instanceof AddressedEnvelope) {
            @SuppressWarnings("unchecked")
            AddressedEnvelope<Object, SocketAddress> e = (AddressedEnvelope<Object, SocketAddress>) msg;
            if (e.content() instanceof ByteBuf
                    && (e.recipient() == null || e.recipient() instanceof InetSocketAddress)) {
                checkRecipient((InetSocketAddress) e.recipient());
                ByteBuf content = (ByteBuf) e.content();
                return needsCopy(content) ? new DefaultAddressedEnvelope<ByteBuf, InetSocketAddress>(
                        newDirectBuffer(e, content), (InetSocketAddress) e.recipient()) : e;
            }
        }
        throw new UnsupportedOperationException(
                "unsupported message type: " + StringUtil.simpleClassName(msg) + EXPECTED_TYPES);
    }

    private void checkRecipient(InetSocketAddress recipient) {
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

    /** sendmmsg takes one iovec per datagram: anything not one block of native memory is copied once. */
    private static boolean needsCopy(ByteBuf buf) {
        return !buf.hasMemoryAddress();
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
                in.remove(writeException(sent));
                maxMessagesPerWrite--;
                continue;
            }
            for (int i = 0; i < sent; i++) {
                in.remove();
            }
            maxMessagesPerWrite -= sent;
        }
        setOutWanted(false);
        if (!in.isEmpty()) {
            // The per-flush quota is spent: let other channels run, then go on.
            eventLoop().execute(flushTask);
        }
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

    private IOException writeException(int res) {
        if (res == Errors.ERROR_ECONNREFUSED_NEGATIVE && connected) {
            PortUnreachableException e = new PortUnreachableException(
                    "sendmmsg(..) failed: Connection refused by " + remoteAddress());
            e.initCause(Errors.newIOException("sendmmsg", res));
            return e;
        }
        return Errors.newIOException("sendmmsg", res);
    }

    // ---------------------------------------------------------------- reading

    @Override
    protected AbstractAioUnsafe newUnsafe() {
        return new AioDatagramUnsafe();
    }

    private final class AioDatagramUnsafe extends AbstractAioUnsafe {
        /**
         * None: a datagram socket's error (an ICMP error on a connected socket) is no end of anything. Left
         * pending, it fails the next send, or is read as an exception when reading is wanted, as with epoll.
         */
        @Override
        int hangupEvents() {
            return 0;
        }

        @Override
        void readReady() {
            final AioDatagramChannelConfig config = config();
            final AioRecvByteAllocatorHandle allocHandle = recvBufAllocHandle();
            final ChannelPipeline pipeline = pipeline();
            allocHandle.reset(config);
            // Cleared when recvmmsg answers EAGAIN (or fails for good); set, the loop stopped with more queued.
            maybeMoreData = true;
            Throwable exception = null;
            try {
                do {
                    if (readBatch(allocHandle, config, pipeline) == 0) {
                        maybeMoreData = false;
                        break;
                    }
                    readPending = false;
                    // Fewer bytes than the buffer held is no sign of an empty queue for datagrams.
                } while (allocHandle.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER));
            } catch (PortUnreachableException | DatagramTruncatedException e) {
                // One datagram's error: later ones may be queued already, read on afterwards.
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
         * One recvmmsg into one buffer: fires the datagrams it got and returns how many arrived (0: EAGAIN).
         * Everything is copied out of the per-thread batch before the first {@code fireChannelRead}.
         */
        private int readBatch(AioRecvByteAllocatorHandle allocHandle, AioDatagramChannelConfig config,
                              ChannelPipeline pipeline) throws Exception {
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
                        return 0;
                    }
                    throw readException(received);
                }
                InetSocketAddress local = AioDatagramChannel.this.localAddress();
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
                        recipient = local;
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
                    throw truncated;
                }
                return received;
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

        private IOException readException(int res) {
            if (res == Errors.ERROR_ECONNREFUSED_NEGATIVE && connected) {
                // As epoll and NIO: an ICMP port unreachable for an earlier datagram of a connected socket.
                PortUnreachableException e = new PortUnreachableException(
                        "recvmmsg(..) failed: Connection refused by " + AioDatagramChannel.this.remoteAddress());
                e.initCause(Errors.newIOException("recvmmsg", res));
                return e;
            }
            return Errors.newIOException("recvmmsg", res);
        }
    }
}

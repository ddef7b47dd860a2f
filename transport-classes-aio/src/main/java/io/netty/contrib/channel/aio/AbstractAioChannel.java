/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.internal.ChannelRegistrations;
import io.netty.contrib.channel.aio.internal.IovArrays;
import io.netty.contrib.channel.aio.internal.AioRecvByteAllocatorHandle;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.IovArray;
import io.netty.channel.unix.UnixChannel;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.ObjectUtil;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeUnit;

import static io.netty.channel.unix.UnixChannelUtil.computeRemoteAddr;

/**
 * A channel over a non-blocking socket whose readiness comes from its {@link AioIoHandler} loop's epoll set
 * ({@link AioIoRegistration#watch}): the socket is watched once it is connected, connecting or listening, for
 * {@code EPOLLIN} (and {@code EPOLLRDHUP} on streams) for as long as it is registered, and for {@code EPOLLOUT}
 * only while a connect or a write waits. No AIO slot is held, however long the connection stays idle.
 *
 * <p>The watch is edge-triggered, as Netty epoll's default: an event is reported once per change, so a read loop
 * that stops before {@code EAGAIN} (the allocator's limit, {@code AUTO_READ} off) remembers that more may be queued
 * ({@link #maybeMoreData}) and goes on from a task, or at the next {@code read()}, instead of waiting for an event
 * that will not come.
 *
 * <p>Each registration gets its own {@link Poller}: the descriptor leaves the old loop's set when the channel is
 * deregistered, and events the old loop had already collected reach a poller that is no longer current and are
 * dropped, so a channel moved to another loop is never touched from the old loop's thread.
 *
 * <p>{@code A} is the channel's address type ({@code InetSocketAddress}, {@code DomainSocketAddress}), which its
 * Netty interface names as the return type of {@link #localAddress()} and {@link #remoteAddress()}.
 *
 * <p>Threading as every Netty channel: I/O and state changes on the channel's event loop.
 */
abstract class AbstractAioChannel<A extends SocketAddress> extends AbstractChannel implements UnixChannel {
    // Streams and listeners; the datagram channels override it.
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    final AioSocket socket;
    /** What the socket is always watched for: EPOLLIN, with EPOLLRDHUP on streams to see the peer's FIN. */
    private final int inEvents;
    private final Runnable readTask = this::readScheduled;
    private boolean readTaskScheduled;

    private ChannelPromise connectPromise;
    private Future<?> connectTimeoutFuture;
    private SocketAddress requestedRemoteAddress;
    /**
     * The addresses {@link #localAddress0()} and {@link #remoteAddress0()} answer. Set here from the socket for
     * IP; the Unix domain channels set them themselves, as unix-common's {@code Socket} reads a Unix address only
     * through its own calls ({@code localDomainSocketAddress()}).
     */
    volatile SocketAddress local;
    volatile SocketAddress remote;

    /** The handle of the current registration; null while unregistered. Loop thread. */
    Poller poller;
    boolean inputClosedSeenErrorOnRead;
    /**
     * Readable data (or connections) may be waiting that no edge will report again: an event came that nobody
     * wanted, or the last read loop stopped before EAGAIN. Loop thread.
     */
    boolean maybeMoreData;

    protected volatile boolean active;

    AbstractAioChannel(Channel parent, AioSocket socket, boolean active, int inEvents) {
        super(parent);
        this.socket = ObjectUtil.checkNotNull(socket, "socket");
        this.active = active;
        if (active) {
            this.local = socket.localAddress();
            this.remote = socket.remoteAddress();
        }
        this.inEvents = inEvents;
    }

    AbstractAioChannel(Channel parent, AioSocket socket, SocketAddress remote, int inEvents) {
        super(parent);
        this.socket = ObjectUtil.checkNotNull(socket, "socket");
        this.active = true;
        this.remote = remote;
        this.local = socket.localAddress();
        this.inEvents = inEvents;
    }

    static boolean isSoErrorZero(AioSocket fd) {
        try {
            return fd.getSoError() == 0;
        } catch (IOException e) {
            throw new ChannelException(e);
        }
    }

    @Override
    public final FileDescriptor fd() {
        return socket;
    }

    @Override
    public abstract AioChannelConfig config();

    @Override
    public boolean isActive() {
        return active;
    }

    @SuppressWarnings("unchecked")
    @Override
    public A localAddress() {
        return (A) super.localAddress();
    }

    @SuppressWarnings("unchecked")
    @Override
    public A remoteAddress() {
        return (A) super.remoteAddress();
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return ChannelRegistrations.isCompatible(loop, Poller.class);
    }

    // ---------------------------------------------------------------- registration and readiness

    @Override
    protected void doRegister(ChannelPromise promise) {
        Poller p = new Poller();
        ChannelRegistrations.register(eventLoop(), p, promise, registration -> {
            p.registration = registration;
            poller = p;
            // Re-registered after a deregistration, or registered connected (accepted): watch it now.
            channelBecameActive();
        }, () -> poller = null);
    }

    @Override
    protected void doDeregister() throws Exception {
        Poller p = poller;
        if (p != null) {
            poller = null;
            // Takes the descriptor out of the loop's set (on the loop thread: doDeregister runs there).
            p.registration.cancel();
        }
    }

    /**
     * Puts the socket into (or updates it in) the loop's set: {@link #inEvents}, plus EPOLLOUT while a connect or
     * a write waits. Only once connected, connecting or listening: an unconnected socket reports EPOLLHUP.
     */
    private void watch() throws IOException {
        Poller p = poller;
        if (p != null && p.registration.isValid() && (isActive() || p.outWanted)) {
            p.aio().watch(socket.intValue(), inEvents | (p.outWanted ? Native.EPOLLOUT : 0));
        }
    }

    /** Asks for EPOLLOUT (a write hit EAGAIN, a connect is in progress) or stops asking; loop thread. */
    final void setOutWanted(boolean wanted) throws IOException {
        Poller p = poller;
        if (p != null && p.outWanted != wanted) {
            p.outWanted = wanted;
            watch();
        }
    }

    /**
     * After connect, listen or (re-)registration of a connected channel: watch the socket, and go on with a read
     * asked for while it was not ready.
     */
    final void channelBecameActive() throws IOException {
        watch();
        if (isActive() && maybeMoreData && aioUnsafe().readPending) {
            scheduleRead();
        }
    }

    final boolean isOutWanted() {
        Poller p = poller;
        return p != null && p.outWanted;
    }

    /** Goes on reading from a task: lets the loop serve other channels between two read loops of this one. */
    final void scheduleRead() {
        if (!readTaskScheduled) {
            readTaskScheduled = true;
            eventLoop().execute(readTask);
        }
    }

    private void readScheduled() {
        readTaskScheduled = false;
        if (poller != null && maybeMoreData && isActive()) {
            aioUnsafe().readyToRead(0);
        }
    }

    /**
     * autoRead was switched off: nothing to do. An event that arrives meanwhile finds neither a pending read nor
     * autoRead and is remembered in {@link #maybeMoreData}.
     */
    void autoReadCleared() {
        // Nothing is armed per read: the watch stays as it is.
    }

    @Override
    protected void doBeginRead() throws Exception {
        AbstractAioUnsafe unsafe = aioUnsafe();
        unsafe.readPending = true;
        // Asked from inside a read loop (channelRead/channelReadComplete): the loop's end decides, as with epoll,
        // where such a read() is consumed by the ongoing loop.
        if (!unsafe.inReadLoop && maybeMoreData && isActive()) {
            scheduleRead();
        }
    }

    // ---------------------------------------------------------------- close, bind, connect

    @Override
    protected void doClose() throws Exception {
        active = false;
        // Even with half-closure allowed, give up reading: a read on a socket that never connected may block.
        inputClosedSeenErrorOnRead = true;
        try {
            ChannelPromise promise = connectPromise;
            if (promise != null) {
                promise.tryFailure(new ClosedChannelException());
                connectPromise = null;
            }
            Future<?> future = connectTimeoutFuture;
            if (future != null) {
                future.cancel(false);
                connectTimeoutFuture = null;
            }
            if (isRegistered()) {
                // Leave the set before the descriptor goes (its number may be reused at once). doClose() runs off
                // the loop only with SO_LINGER, whose prepareToClose() deregistered on the loop already.
                EventLoop loop = eventLoop();
                if (loop.inEventLoop()) {
                    doDeregister();
                } else {
                    loop.execute(() -> {
                        try {
                            doDeregister();
                        } catch (Throwable cause) {
                            pipeline().fireExceptionCaught(cause);
                        }
                    });
                }
            }
        } finally {
            socket.close();
        }
    }

    @Override
    protected void doDisconnect() throws Exception {
        doClose();
    }

    @Override
    protected void doBind(SocketAddress local) throws Exception {
        if (local instanceof InetSocketAddress) {
            checkResolvable((InetSocketAddress) local);
        }
        socket.bind(local);
        this.local = socket.localAddress();
    }

    protected static void checkResolvable(InetSocketAddress addr) {
        if (addr.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
    }

    /** Starts a connect; true if it completed at once. On EINPROGRESS asks for EPOLLOUT. */
    protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        if (localAddress instanceof InetSocketAddress) {
            checkResolvable((InetSocketAddress) localAddress);
        }
        InetSocketAddress remoteSocketAddr = remoteAddress instanceof InetSocketAddress
                ? (InetSocketAddress) remoteAddress : null;
        if (remoteSocketAddr != null) {
            checkResolvable(remoteSocketAddr);
        }
        if (remote != null) {
            // A finished earlier attempt would make connect() succeed silently instead of answering EISCONN.
            throw new AlreadyConnectedException();
        }
        if (localAddress != null) {
            socket.bind(localAddress);
        }
        boolean connected = doConnect0(remoteAddress);
        if (connected) {
            remote = remoteSocketAddr == null
                    ? remoteAddress : computeRemoteAddr(remoteSocketAddr, socket.remoteAddress());
        }
        // Bound by now, connected or not.
        local = socket.localAddress();
        return connected;
    }

    boolean doConnect0(SocketAddress remote) throws Exception {
        boolean success = false;
        try {
            boolean connected = socket.connect(remote);
            if (!connected) {
                setOutWanted(true);
            }
            success = true;
            return connected;
        } finally {
            if (!success) {
                doClose();
            }
        }
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    final void resetCachedAddresses() {
        local = socket.localAddress();
        remote = socket.remoteAddress();
    }

    // ---------------------------------------------------------------- byte I/O helpers

    /** A direct copy of {@code buf} (released) for the native write path. */
    protected final ByteBuf newDirectBuffer(ByteBuf buf) {
        return newDirectBuffer(buf, buf);
    }

    protected final ByteBuf newDirectBuffer(Object holder, ByteBuf buf) {
        final int readableBytes = buf.readableBytes();
        if (readableBytes == 0) {
            ReferenceCountUtil.release(holder);
            return Unpooled.EMPTY_BUFFER;
        }
        final ByteBufAllocator alloc = alloc();
        if (!alloc.isDirectBufferPooled()) {
            ByteBuf directBuf = ByteBufUtil.threadLocalDirectBuffer();
            if (directBuf != null) {
                directBuf.writeBytes(buf, buf.readerIndex(), readableBytes);
                ReferenceCountUtil.safeRelease(holder);
                return directBuf;
            }
        }
        ByteBuf directBuf = alloc.directBuffer(readableBytes);
        directBuf.writeBytes(buf, buf.readerIndex(), readableBytes);
        ReferenceCountUtil.safeRelease(holder);
        return directBuf;
    }

    /** recv(2) into {@code byteBuf}'s writable bytes: bytes read, 0 on EAGAIN, -1 at EOF. */
    protected final int doReadBytes(ByteBuf byteBuf) throws Exception {
        int writerIndex = byteBuf.writerIndex();
        int localReadAmount;
        unsafe().recvBufAllocHandle().attemptedBytesRead(byteBuf.writableBytes());
        if (byteBuf.hasMemoryAddress()) {
            localReadAmount = socket.recvAddress(byteBuf.memoryAddress(), writerIndex, byteBuf.capacity());
        } else {
            ByteBuffer buf = byteBuf.internalNioBuffer(writerIndex, byteBuf.writableBytes());
            localReadAmount = socket.recv(buf, buf.position(), buf.limit());
        }
        if (localReadAmount > 0) {
            byteBuf.writerIndex(writerIndex + localReadAmount);
        }
        return localReadAmount;
    }

    /**
     * send(2) of {@code data} without moving its indices, or sendto(2) with MSG_FASTOPEN to {@code remoteAddress}
     * (the connect of a Fast Open client). Returns the bytes sent, 0 on EAGAIN.
     */
    final long doWriteOrSendBytes(ByteBuf data, InetSocketAddress remoteAddress, boolean fastOpen)
            throws IOException {
        if (data.hasMemoryAddress()) {
            long memoryAddress = data.memoryAddress();
            if (remoteAddress == null) {
                return socket.sendAddress(memoryAddress, data.readerIndex(), data.writerIndex());
            }
            return socket.sendToAddress(memoryAddress, data.readerIndex(), data.writerIndex(),
                    remoteAddress.getAddress(), remoteAddress.getPort(), fastOpen);
        }
        if (data.nioBufferCount() > 1) {
            IovArray array = IovArrays.clean();
            array.add(data, data.readerIndex(), data.readableBytes());
            int cnt = array.count();
            if (remoteAddress == null) {
                return socket.writevAddresses(array.memoryAddress(0), cnt);
            }
            return socket.sendToAddresses(array.memoryAddress(0), cnt, remoteAddress.getAddress(),
                    remoteAddress.getPort(), fastOpen);
        }
        ByteBuffer nioData = data.internalNioBuffer(data.readerIndex(), data.readableBytes());
        if (remoteAddress == null) {
            return socket.send(nioData, nioData.position(), nioData.limit());
        }
        return socket.sendTo(nioData, nioData.position(), nioData.limit(), remoteAddress.getAddress(),
                remoteAddress.getPort(), fastOpen);
    }

    final boolean shouldBreakReadReady(ChannelConfig config) {
        return socket.isInputShutdown() && (inputClosedSeenErrorOnRead || !isAllowHalfClosure(config));
    }

    static boolean isAllowHalfClosure(ChannelConfig config) {
        if (config instanceof AioDomainSocketChannelConfig) {
            return ((AioDomainSocketChannelConfig) config).isAllowHalfClosure();
        }
        return config instanceof SocketChannelConfig && ((SocketChannelConfig) config).isAllowHalfClosure();
    }

    @Override
    protected abstract AbstractAioUnsafe newUnsafe();

    /** {@link #unsafe()} as the type {@link #newUnsafe()} made it. */
    @SuppressWarnings("unchecked")
    final AbstractAioUnsafe aioUnsafe() {
        return (AbstractAioUnsafe) unsafe();
    }

    // ---------------------------------------------------------------- the handle

    /**
     * The {@link AioIoHandle} of one registration. Receives the socket's readiness events on the loop thread and
     * hands them to the channel while it is the channel's current poller.
     */
    final class Poller implements AioIoHandle {
        // The loop's wrapper: its cancel() also updates the loop's count of registrations.
        IoRegistration registration;
        boolean outWanted;

        /** The AIO registration the wrapper stands for (its attachment). */
        AioIoRegistration aio() {
            return registration.attachment();
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            AioIoEvent e = (AioIoEvent) event;
            if (poller != this || e.opcode() != AioIoEvent.READINESS) {
                return;
            }
            int events = (int) e.res();
            AbstractAioUnsafe unsafe = aioUnsafe();
            // Writable (or connected) first: a connect that finished with data already queued reads it below.
            if ((events & (Native.EPOLLOUT | Native.EPOLLERR)) != 0 && outWanted) {
                unsafe.pollOutReady();
            }
            if ((events & (Native.EPOLLIN | Native.EPOLLRDHUP | Native.EPOLLHUP | Native.EPOLLERR)) != 0
                    && poller == this && isActive()) {
                maybeMoreData = true;
                unsafe.readyToRead(events);
            }
        }

        @Override
        public void close() {
            // The loop is shutting down.
            unsafe().close(unsafe().voidPromise());
        }

        @Override
        public String toString() {
            return "Poller(" + AbstractAioChannel.this + ')';
        }
    }

    // ---------------------------------------------------------------- unsafe

    abstract class AbstractAioUnsafe extends AbstractUnsafe {
        boolean readPending;
        boolean inReadLoop;
        private AioRecvByteAllocatorHandle allocHandle;

        /**
         * Readable, a hang-up or an error (or a scheduled continuation, {@code events} 0): read (or accept) what is
         * there. Plain data nobody asked for (autoRead off, no read() pending) stays in the socket, remembered in
         * {@link #maybeMoreData} for the next read(); a hang-up or an error is read at once, as epoll does for
         * EPOLLRDHUP and EPOLLERR.
         */
        final void readyToRead(int events) {
            boolean hangup = (events & hangupEvents()) != 0;
            if ((events & (Native.EPOLLRDHUP | Native.EPOLLHUP)) != 0) {
                // The peer's FIN (or both halves down): no later edge comes, so read on to EOF.
                recvBufAllocHandle().receivedRdHup();
            }
            if (!hangup && shouldStopReading(config())) {
                return;
            }
            inReadLoop = true;
            try {
                readReady();
            } finally {
                inReadLoop = false;
            }
            ChannelConfig config = config();
            if (maybeMoreData && isActive() && !shouldBreakReadReady(config) && !shouldStopReading(config)) {
                scheduleRead();
            }
        }

        /**
         * The events that make a read happen even with autoRead off and no read() pending: a stream's hang-up or
         * error ends the connection, so it is read at once.
         */
        int hangupEvents() {
            return Native.EPOLLRDHUP | Native.EPOLLHUP | Native.EPOLLERR;
        }

        /**
         * Reads until EAGAIN, EOF or the allocator says stop; leaves {@link #maybeMoreData} set only when it stopped
         * with data possibly left.
         */
        abstract void readReady();

        /**
         * Whether a read must not start: the input is shut down for good ({@link #shouldBreakReadReady}); a
         * pending {@code read()} is dropped then.
         */
        final boolean isInputDone(ChannelConfig config) {
            if (shouldBreakReadReady(config)) {
                readPending = false;
                return true;
            }
            return false;
        }

        final boolean shouldStopReading(ChannelConfig config) {
            // A read() from channelRead/channelReadComplete leaves readPending set.
            return !readPending && !config.isAutoRead();
        }

        /** Shuts the input down after EOF or a read error; closes instead unless half-closure is allowed. */
        void shutdownInput(boolean allDataRead) {
            if (!socket.isInputShutdown()) {
                if (isAllowHalfClosure(config())) {
                    try {
                        socket.shutdown(true, false);
                    } catch (IOException ignored) {
                        // Failing means the input is effectively shut down already.
                        fireEventAndClose(ChannelInputShutdownEvent.INSTANCE);
                        return;
                    } catch (NotYetConnectedException ignore) {
                        // Same.
                    }
                    if (shouldStopReading(config())) {
                        readPending = false;
                    }
                    pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                } else {
                    close(voidPromise());
                    return;
                }
            }
            if (allDataRead && !inputClosedSeenErrorOnRead) {
                inputClosedSeenErrorOnRead = true;
                pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
            }
        }

        private void fireEventAndClose(Object evt) {
            pipeline().fireUserEventTriggered(evt);
            close(voidPromise());
        }

        @Override
        public AioRecvByteAllocatorHandle recvBufAllocHandle() {
            if (allocHandle == null) {
                allocHandle = new AioRecvByteAllocatorHandle(super.recvBufAllocHandle());
            }
            return allocHandle;
        }

        @Override
        protected final void flush0() {
            // With EPOLLOUT asked for the socket buffer is full (or a connect waits): its event flushes.
            if (!isOutWanted()) {
                super.flush0();
            }
        }

        /** EPOLLOUT (or EPOLLERR) while a connect or a write waited: finish the connect, or flush what waits. */
        final void pollOutReady() {
            if (connectPromise != null) {
                finishConnect();
            } else if (!socket.isOutputShutdown()) {
                super.flush0();
            }
        }

        @Override
        public void connect(final SocketAddress remoteAddress, final SocketAddress localAddress,
                            final ChannelPromise promise) {
            // Not marked uncancellable: a non-blocking connect can be abandoned.
            if (promise.isDone() || !ensureOpen(promise)) {
                return;
            }
            try {
                if (connectPromise != null) {
                    throw new ConnectionPendingException();
                }
                boolean wasActive = isActive();
                if (doConnect(remoteAddress, localAddress)) {
                    fulfillConnectPromise(promise, wasActive);
                } else {
                    connectPromise = promise;
                    requestedRemoteAddress = remoteAddress;
                    final int connectTimeoutMillis = config().getConnectTimeoutMillis();
                    if (connectTimeoutMillis > 0) {
                        connectTimeoutFuture = eventLoop().schedule(() -> {
                            ChannelPromise p = connectPromise;
                            if (p != null && !p.isDone() && p.tryFailure(new ConnectTimeoutException(
                                    "connection timed out after " + connectTimeoutMillis + " ms: "
                                            + remoteAddress))) {
                                close(voidPromise());
                            }
                        }, connectTimeoutMillis, TimeUnit.MILLISECONDS);
                    }
                    promise.addListener(future -> {
                        if (future.isCancelled()) {
                            if (connectTimeoutFuture != null) {
                                connectTimeoutFuture.cancel(false);
                            }
                            connectPromise = null;
                            close(voidPromise());
                        }
                    });
                }
            } catch (Throwable t) {
                closeIfClosed();
                promise.tryFailure(annotateConnectException(t, remoteAddress));
            }
        }

        private void fulfillConnectPromise(ChannelPromise promise, boolean wasActive) {
            if (promise == null) {
                // Cancelled: the promise was notified already.
                return;
            }
            active = true;
            try {
                channelBecameActive();
            } catch (IOException e) {
                fulfillConnectPromise(promise, e);
                return;
            }
            boolean active = isActive();
            // false if the user cancelled the attempt.
            boolean promiseSet = promise.trySuccess();
            // channelActive fires regardless: the connection exists.
            if (!wasActive && active) {
                pipeline().fireChannelActive();
            }
            if (!promiseSet) {
                close(voidPromise());
            }
        }

        private void fulfillConnectPromise(ChannelPromise promise, Throwable cause) {
            if (promise == null) {
                return;
            }
            promise.tryFailure(cause);
            closeIfClosed();
        }

        private void finishConnect() {
            boolean connectStillInProgress = false;
            try {
                boolean wasActive = isActive();
                if (!doFinishConnect()) {
                    connectStillInProgress = true;
                    return;
                }
                // Connected: EPOLLOUT is wanted again only by a write that finds the socket buffer full.
                setOutWanted(false);
                fulfillConnectPromise(connectPromise, wasActive);
                if (isActive()) {
                    // Writes flushed while connecting waited for this EPOLLOUT.
                    super.flush0();
                }
            } catch (Throwable t) {
                fulfillConnectPromise(connectPromise, annotateConnectException(t, requestedRemoteAddress));
            } finally {
                if (!connectStillInProgress) {
                    if (connectTimeoutFuture != null) {
                        connectTimeoutFuture.cancel(false);
                    }
                    connectPromise = null;
                }
            }
        }

        private boolean doFinishConnect() throws Exception {
            if (socket.finishConnect()) {
                if (requestedRemoteAddress instanceof InetSocketAddress) {
                    remote = computeRemoteAddr((InetSocketAddress) requestedRemoteAddress, socket.remoteAddress());
                } else {
                    remote = requestedRemoteAddress;
                }
                requestedRemoteAddress = null;
                return true;
            }
            return false;
        }
    }
}

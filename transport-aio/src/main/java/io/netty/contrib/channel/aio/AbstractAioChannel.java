/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

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
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.RecvByteBufAllocator;
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
 * A channel over a non-blocking socket whose readiness comes from one-shot {@code IOCB_CMD_POLL} iocbs on an
 * {@link AioIoHandler} loop. At most one POLLIN and one POLLOUT iocb are in flight per channel; both are immutable
 * {@link AioIoOps} built once, so arming allocates nothing. POLLIN is armed while the channel wants to read and
 * re-armed after each read loop (the kernel's poll at submit time reports data left behind at once, so stopping
 * before EAGAIN loses nothing); POLLOUT is armed only when a write or a connect hits EAGAIN/EINPROGRESS.
 *
 * <p>Each registration gets its own {@link Poller}: after a deregistration, late completions of the old one
 * (normally {@code -ECANCELED}) reach a poller that is no longer current and are dropped, so a channel moved to
 * another loop is never touched from the old loop's thread. A POLL iocb holds no memory of ours, only the
 * kernel's reference to the socket file, which its (cancelled) completion drops.
 *
 * <p>Threading as every Netty channel: I/O and state changes on the channel's event loop.
 */
abstract class AbstractAioChannel extends AbstractChannel implements UnixChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false);
    static final long POLL_IN = 1;
    static final long POLL_OUT = 2;

    final AioSocket socket;
    private final AioIoOps pollInOps;
    private final AioIoOps pollOutOps;
    /** Stream sockets keep POLLIN armed while idle to see the peer's FIN (POLLRDHUP); listeners do not. */
    private final boolean watchHangup;

    private ChannelPromise connectPromise;
    private Future<?> connectTimeoutFuture;
    private SocketAddress requestedRemoteAddress;
    private volatile SocketAddress local;
    private volatile SocketAddress remote;

    /** The handle of the current registration; null while unregistered. Loop thread. */
    Poller poller;
    boolean inputClosedSeenErrorOnRead;

    protected volatile boolean active;

    AbstractAioChannel(Channel parent, AioSocket socket, boolean active, int pollInEvents) {
        super(parent);
        this.socket = ObjectUtil.checkNotNull(socket, "socket");
        this.active = active;
        if (active) {
            this.local = socket.localAddress();
            this.remote = socket.remoteAddress();
        }
        this.pollInOps = AioIoOps.poll(socket.intValue(), pollInEvents, POLL_IN);
        this.pollOutOps = AioIoOps.poll(socket.intValue(), Native.POLLOUT, POLL_OUT);
        this.watchHangup = (pollInEvents & Native.POLLRDHUP) != 0;
    }

    AbstractAioChannel(Channel parent, AioSocket socket, SocketAddress remote, int pollInEvents) {
        super(parent);
        this.socket = ObjectUtil.checkNotNull(socket, "socket");
        this.active = true;
        this.remote = remote;
        this.local = socket.localAddress();
        this.pollInOps = AioIoOps.poll(socket.intValue(), pollInEvents, POLL_IN);
        this.pollOutOps = AioIoOps.poll(socket.intValue(), Native.POLLOUT, POLL_OUT);
        this.watchHangup = (pollInEvents & Native.POLLRDHUP) != 0;
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
        return loop instanceof IoEventLoop && ((IoEventLoop) loop).isCompatible(Poller.class);
    }

    // ---------------------------------------------------------------- registration and POLL iocbs

    @Override
    protected void doRegister(ChannelPromise promise) {
        Poller p = new Poller();
        ((IoEventLoop) eventLoop()).register(p).addListener(f -> {
            if (f.isSuccess()) {
                p.registration = (IoRegistration) f.getNow();
                poller = p;
                // Re-registered after a deregistration: resume what was wanted before.
                channelBecameActive();
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    @Override
    protected void doDeregister() throws Exception {
        Poller p = poller;
        if (p != null) {
            poller = null;
            p.registration.cancel();
        }
    }

    /**
     * Arms the POLLIN iocb unless it is in flight; loop thread. Only once connected (or listening): a POLL on a
     * socket that is not connected yet reports POLLHUP at once, and reading it gives ENOTCONN. A read asked for
     * earlier stays pending until {@link #channelBecameActive()}.
     */
    final void armPollIn() {
        Poller p = poller;
        if (p != null && !p.inArmed && isActive() && p.registration.isValid()) {
            p.inArmed = true;
            p.registration.submit(pollInOps);
        }
    }

    /** Arms the POLLOUT iocb unless it is in flight; loop thread. */
    final void armPollOut() {
        Poller p = poller;
        if (p != null && !p.outArmed && p.registration.isValid()) {
            p.outArmed = true;
            p.registration.submit(pollOutOps);
        }
    }

    /**
     * After connect, listen or (re-)registration of a connected channel: start the read that was asked for while
     * the socket was not ready, or the watch for the peer's FIN.
     */
    final void channelBecameActive() {
        if (watchHangup || ((AbstractAioUnsafe) unsafe()).readPending) {
            armPollIn();
        }
    }

    final boolean isPollOutArmed() {
        Poller p = poller;
        return p != null && p.outArmed;
    }

    /**
     * autoRead was switched off: nothing to do at once. An armed POLLIN may still fire; the read path then finds
     * neither a pending read nor autoRead and leaves the POLL unarmed.
     */
    void autoReadCleared() {
        // The in-flight POLLIN is not cancelled: cancelling costs a syscall and the event is harmless.
    }

    @Override
    protected void doBeginRead() throws Exception {
        AbstractAioUnsafe unsafe = (AbstractAioUnsafe) unsafe();
        unsafe.readPending = true;
        // Asked from inside a read loop (channelRead/channelReadComplete): the loop's end decides, as with epoll,
        // where such a read() is consumed by the ongoing loop.
        if (!unsafe.inReadLoop) {
            armPollIn();
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
                // Cancel the POLL iocbs before the descriptor goes: doClose() may run off the loop (SO_LINGER).
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

    /** Starts a connect; true if it completed at once. On EINPROGRESS arms POLLOUT. */
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
                armPollOut();
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

    // ---------------------------------------------------------------- the handle

    /**
     * The {@link AioIoHandle} of one registration. Receives the POLL completions on the loop thread and hands
     * them to the channel while it is the channel's current poller.
     */
    final class Poller implements AioIoHandle {
        // The loop wraps the AioIoRegistration; submit, cancel and isValid are all a channel needs.
        IoRegistration registration;
        boolean inArmed;
        boolean outArmed;

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            AioIoEvent e = (AioIoEvent) event;
            boolean in = e.userData() == POLL_IN;
            if (in) {
                inArmed = false;
            } else {
                outArmed = false;
            }
            long res = e.res();
            if (poller != this || res == -Native.ECANCELED) {
                return;
            }
            // Any other negative result (the kernel refused the POLL: EBADF, EINVAL, ...) is handled as an error
            // condition: the I/O attempt below reports the socket's own error, or closes.
            int mask = res < 0 ? Native.POLLERR : (int) res;
            AbstractAioUnsafe unsafe = (AbstractAioUnsafe) unsafe();
            if (in) {
                unsafe.pollInReady(mask);
            } else {
                unsafe.pollOutReady();
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
         * A POLLIN (or RDHUP/ERR/HUP) completion: read (or accept) what is there. Plain data nobody asked for
         * (autoRead off, no read() pending) stays in the socket, unwatched, until read() arms the POLL again; a
         * hang-up or an error is read at once, as epoll does for EPOLLRDHUP and EPOLLERR.
         */
        final void pollInReady(int mask) {
            boolean hangup = (mask & (Native.POLLRDHUP | Native.POLLHUP | Native.POLLERR)) != 0;
            if ((mask & Native.POLLRDHUP) != 0) {
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
            rearmAfterRead();
        }

        /** Reads until EAGAIN, EOF or the allocator says stop. */
        abstract void readReady();

        final boolean shouldStopReading(ChannelConfig config) {
            // A read() from channelRead/channelReadComplete leaves readPending set.
            return !readPending && !config.isAutoRead();
        }

        /**
         * Re-arms POLLIN after a read loop when the channel still wants data, or, for a stream whose buffer was
         * drained, to watch for the peer's FIN. Data possibly left unread (the last read filled its buffer) is not
         * watched while nobody wants it: the POLL would fire at once, again and again.
         */
        private void rearmAfterRead() {
            ChannelConfig config = config();
            if (!isActive() || shouldBreakReadReady(config)) {
                return;
            }
            if (!shouldStopReading(config)) {
                armPollIn();
            } else if (watchHangup) {
                AioRecvByteAllocatorHandle handle = recvBufAllocHandle();
                if (handle.lastBytesRead() <= 0 || handle.lastBytesRead() < handle.attemptedBytesRead()) {
                    armPollIn();
                }
            }
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
                allocHandle = new AioRecvByteAllocatorHandle(
                        (RecvByteBufAllocator.ExtendedHandle) super.recvBufAllocHandle());
            }
            return allocHandle;
        }

        @Override
        protected final void flush0() {
            // With POLLOUT armed the socket buffer is full: the POLLOUT completion flushes.
            if (!isPollOutArmed()) {
                super.flush0();
            }
        }

        /** A POLLOUT completion: finish a connect, or flush what waits. */
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
            channelBecameActive();
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
                fulfillConnectPromise(connectPromise, wasActive);
                if (isActive()) {
                    // Writes flushed while connecting waited for this POLLOUT.
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
            armPollOut();
            return false;
        }
    }
}

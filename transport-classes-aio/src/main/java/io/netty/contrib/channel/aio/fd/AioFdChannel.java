/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.contrib.channel.aio.internal.AioRecvByteAllocatorHandle;
import io.netty.contrib.channel.aio.internal.ChannelRegistrations;
import io.netty.contrib.channel.aio.AioIoHandle;
import io.netty.contrib.channel.aio.AioIoEvent;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioIoRegistration;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFds;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.contrib.channel.aio.file.AioFileAlignment;
import io.netty.contrib.channel.aio.file.AioOpenOption;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.internal.ObjectUtil;
import io.netty.util.internal.StringUtil;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.FileSystemException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * A {@link io.netty.channel.Channel} over any readable and/or writable descriptor — a pipe or FIFO end, a
 * terminal, a character device, an eventfd, a socket, a regular file, a block device, a USB FunctionFS endpoint —
 * registered on an {@link AioEventLoop}. Inbound bytes flow into the pipeline as {@link ByteBuf}s; outbound
 * {@link ByteBuf}s are written in order. There is no bind or connect: the channel is active from creation until it
 * is closed.
 *
 * <p><b>Getting one.</b> {@link #open(Path, OpenOption...)} opens a path (always adding {@code O_NONBLOCK},
 * {@code O_NOCTTY} and {@code O_CLOEXEC}, so a FIFO or a terminal never blocks the open and never becomes the
 * controlling terminal); {@link #adopt(int, boolean)} and {@link #adopt(FileDescriptor, boolean)} take over an open
 * descriptor, closing it on channel close or not, as asked. Either way the descriptor is classified at once, in the
 * calling thread ({@code fcntl(F_GETFL)}, {@code fstat}, {@code lseek}, {@code statx}), and {@code O_NONBLOCK} is
 * set on it — on its open file description, shared with every duplicate of the descriptor — so that no read or
 * write can block the loop. Then set options and {@link EventLoop#register register} it (or use a {@code Bootstrap}
 * with a channel factory and {@code register()}).
 *
 * <p><b>Modes</b> ({@link AioFdIoMode}, {@link AioFdChannelOption#IO_MODE}). <em>Poll</em>: the descriptor sits
 * in the loop's epoll set (edge-triggered, no AIO slot), which announces readiness; then {@code read(2)} until
 * {@code EAGAIN} or the {@link RecvByteBufAllocator} says stop, and {@code writev(2)} until done or {@code EAGAIN}
 * (then {@code EPOLLOUT}). A descriptor epoll refuses (a regular file answers {@code EPERM}) fails the
 * registration with an {@link IOException} naming it. <em>Async</em>: reads and writes are {@code IOCB_CMD_PREAD} and
 * {@code IOCB_CMD_PWRITE} iocbs handed to the kernel, up to {@link AioFdChannelOption#READS_IN_FLIGHT} and
 * {@link AioFdChannelOption#WRITES_IN_FLIGHT} of them, delivered to the pipeline in submission order whatever the
 * order of their completions; read buffers come from an aligned pool; a seekable descriptor is read and written at
 * positions tracked by the channel from the descriptor's position at adoption (its own position does not move, and
 * reads and writes each have their own), a non-seekable one at offset 0, which stream files ignore.
 *
 * <p><b>Pipeline semantics</b>, as a socket channel's: {@code AUTO_READ}, {@code read()},
 * {@code MAX_MESSAGES_PER_READ} and the {@link RecvByteBufAllocator} govern reading (in async mode one completed
 * read is one message). End of input — {@code read} returning 0; a pseudo-terminal master's {@code EIO} once its
 * slave side is closed; in async mode a read of 0 bytes at a seekable position — closes the channel, or, with
 * {@link io.netty.channel.ChannelOption#ALLOW_HALF_CLOSURE}, fires {@link ChannelInputShutdownEvent} and
 * {@link ChannelInputShutdownReadComplete} and keeps it open for writing. In async mode a read of 0 bytes from a
 * stream file (a non-seekable regular file: a FunctionFS endpoint) is a zero-length packet, delivered as an empty
 * buffer, not an end. A write-only
 * descriptor in poll mode watches for {@code EPOLLERR}/{@code EPOLLHUP} (a pipe whose reader is gone) and closes the
 * channel then. A write's promise completes when {@code write(2)} (poll) or the kernel's completion (async) took
 * all its bytes; short writes continue where they stopped. Write watermarks and writability work as everywhere:
 * bytes count as pending until written.
 *
 * <p><b>Errors.</b> A directory, an {@code O_PATH} descriptor or one that is not open is refused by the factory
 * methods with an exception naming it; a mode the descriptor cannot work in is refused by
 * {@link AioFdChannelConfig#setIoMode}; writing to a read-only descriptor fails the write's promise with an
 * {@link IOException} saying so; a read or write the kernel fails fires {@code exceptionCaught} (reads) or fails
 * the promises (writes), and closes the channel as a socket channel would. The loop and its other channels are not
 * affected.
 *
 * <p><b>Closing</b> takes the descriptor out of the epoll set, cancels what is in flight ({@code io_cancel}: file
 * I/O when the device is done; FunctionFS requests are dequeued) and completes the close future only once every
 * iocb of the channel has completed — then the descriptor is closed, if owned. A buffer handed to the kernel is released only after its
 * completion. <b>Deregistering</b> with async reads or writes in flight cancels them, and what the kernel still does
 * counts: their completions come on the old loop and are kept, and the next registration starts only once the
 * last has come. Then the reads that returned data are delivered in order; from the first cancelled read on, a
 * seekable descriptor is read again (nothing twice, no gap). The writes done completely succeed; the rest are
 * written again from the first one not done (at its position on a seekable descriptor; on a stream, one the kernel
 * wrote in part fails the writes, which cannot be resumed without repeating bytes).
 *
 * <p><b>Ownership.</b> Read buffers go to the pipeline, which releases them. Written messages are released by the
 * {@link ChannelOutboundBuffer} once written; in async mode the channel holds its own reference to each message in
 * flight until the kernel's completion. Heap and composite buffers are copied to direct memory before a write; in
 * async mode on an {@code O_DIRECT} descriptor, a buffer whose address is not aligned is copied into an aligned one,
 * and one whose length is not a multiple of the {@code O_DIRECT} length alignment is refused.
 *
 * <p><b>Threading</b> as every Netty channel: I/O and state changes happen on the channel's event loop; the factory
 * methods run in the caller's thread.
 */
public final class AioFdChannel extends AbstractChannel implements UnixChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
    private static final int PAGE_SIZE = AioFileAlignment.DEFAULT;

    // userData of the channel's iocbs.
    static final long READ = 3;
    static final long WRITE = 4;

    private final FileDescriptor fd;
    private final int fdValue;
    private final boolean owned;
    private final String name;
    private final int fileType;
    private final boolean readable;
    private final boolean writable;
    private final boolean direct;
    private final boolean seekable;
    private final boolean terminal;
    private final long initialPosition;
    /** What O_DIRECT asks: for O_DIRECT descriptors and block devices, null otherwise. */
    private final AioFileAlignment dioAlignment;
    private final AioFdChannelConfig config;

    private volatile boolean open = true;
    private volatile boolean active = true;
    private volatile AioFdIo io;

    // Loop-thread state.
    FdHandle handle;
    /**
     * The registration deregistered with iocbs still in flight, until the next registration has waited for them;
     * written on the old loop before the deregistration completes, read on the new one after.
     */
    private volatile FdHandle draining;
    boolean readPending;
    /**
     * From the close's start until the channel is closed, which waits for the hardware: the channel reports itself
     * closed meanwhile, so that it cannot be registered again (its close would fire channelInactive twice).
     */
    volatile boolean closing;
    /** Whether the channel was active when its close started: it owes the pipeline one channelInactive. */
    private boolean activeAtClose;
    private boolean inactiveFired;
    /** A deregistration the user asked for is on its way to {@link #doDeregister()}. */
    private boolean deregistrationAsked;
    private boolean inputShutdown;
    private boolean inputShutdownReadCompleteFired;

    private AioFdChannel(FileDescriptor fd, boolean owned, String name, int statusFlags, int fileType,
                         long position, boolean terminal, AioFileAlignment dioAlignment) {
        super(null);
        this.fd = fd;
        this.fdValue = fd.intValue();
        this.owned = owned;
        this.name = name;
        this.fileType = fileType;
        int accessMode = statusFlags & NativeFiles.O_ACCMODE;
        this.readable = accessMode == Native.O_RDONLY || accessMode == Native.O_RDWR;
        this.writable = accessMode == Native.O_WRONLY || accessMode == Native.O_RDWR;
        this.direct = (statusFlags & Native.O_DIRECT) != 0;
        this.seekable = position >= 0;
        this.initialPosition = Math.max(position, 0);
        this.terminal = terminal;
        this.dioAlignment = dioAlignment;
        this.config = new AioFdChannelConfig(this);
    }

    // ---------------------------------------------------------------- factories

    /**
     * Opens {@code path} and wraps the descriptor, which the channel owns. Options as
     * {@link AioOpenOption#toFlags} maps them ({@code READ} alone when none is given; {@code WRITE}, {@code APPEND},
     * {@code CREATE}, {@code TRUNCATE_EXISTING}, {@code DSYNC}, {@link AioOpenOption#DIRECT}, ...);
     * {@code O_NONBLOCK}, {@code O_NOCTTY} and {@code O_CLOEXEC} are always added.
     *
     * @throws java.nio.file.NoSuchFileException as {@code Files} would
     * @throws java.nio.file.AccessDeniedException as {@code Files} would
     * @throws FileSystemException if {@code path} is a directory
     * @throws IOException naming the errno otherwise — {@code ENXIO} for a FIFO opened write-only while no process
     *         has it open for reading
     */
    public static AioFdChannel open(Path path, OpenOption... options) throws IOException {
        ObjectUtil.checkNotNull(path, "path");
        int flags = AioOpenOption.toFlags(options) | Native.O_NONBLOCK | NativeFiles.O_NOCTTY;
        String file = path.toString();
        int fd = Native.open(file, flags, 0666);
        if (fd < 0) {
            if (fd == -Native.ENXIO) {
                throw new FileSystemException(file, null, "open for writing failed with ENXIO: a FIFO with no "
                        + "reader (open its read end first), or a device that is not there");
            }
            throw AioOpenOption.openFailure(path, fd, flags);
        }
        try {
            return newChannel(new FileDescriptor(fd), true, file, true);
        } catch (Throwable t) {
            Native.close(fd);
            throw t;
        }
    }

    /**
     * Wraps an open descriptor.
     *
     * @param closeOnChannelClose whether closing the channel closes {@code fd}; if not, the caller keeps it (and
     *                            must keep it open as long as the channel is). When this method throws, the
     *                            descriptor is left as it was, open.
     * @throws IllegalArgumentException if {@code fd} is a directory or an {@code O_PATH} descriptor
     * @throws IOException if {@code fd} is not open ({@code EBADF}), or another errno, named
     */
    public static AioFdChannel adopt(int fd, boolean closeOnChannelClose) throws IOException {
        return newChannel(new FileDescriptor(fd), closeOnChannelClose, "fd " + fd, false);
    }

    /** As {@link #adopt(int, boolean)}. */
    public static AioFdChannel adopt(FileDescriptor fd, boolean closeOnChannelClose) throws IOException {
        ObjectUtil.checkNotNull(fd, "fd");
        if (!fd.isOpen()) {
            throw new IOException(fd + " is closed");
        }
        return newChannel(fd, closeOnChannelClose, "fd " + fd.intValue(), false);
    }

    private static AioFdChannel newChannel(FileDescriptor fd, boolean owned, String name, boolean opened)
            throws IOException {
        int value = fd.intValue();
        int flags = NativeFiles.getFileStatusFlags(value);
        if (flags < 0) {
            throw Native.ioException(name + ": fcntl(F_GETFL)", flags);
        }
        if ((flags & NativeFiles.O_PATH) != 0) {
            throw new IllegalArgumentException(name + " was opened with O_PATH: it only names a file, no I/O is "
                    + "possible through it (neither poll nor async mode)");
        }
        int type = NativeFds.fileType(value);
        if (type < 0) {
            throw Native.ioException(name + ": fstat", type);
        }
        if (type == NativeFiles.S_IFDIR) {
            String what = "is a directory: it has no byte stream to read or write (neither poll nor async mode)";
            if (opened) {
                throw new FileSystemException(name, null, what);
            }
            throw new IllegalArgumentException(name + ' ' + what);
        }
        long position = NativeFds.lseek(value, 0, NativeFds.SEEK_CUR);
        if (position < 0 && position != -Native.ESPIPE) {
            throw Native.ioException(name + ": lseek", (int) position);
        }
        int tty = NativeFds.isTerminal(value);
        if (tty < 0) {
            throw Native.ioException(name + ": tcgetattr", tty);
        }
        boolean direct = (flags & Native.O_DIRECT) != 0;
        AioFileAlignment dio = direct || type == NativeFiles.S_IFBLK ? AioFileAlignment.of(value) : null;
        if ((flags & Native.O_NONBLOCK) == 0) {
            int res = NativeFds.setFileStatusFlags(value, flags | Native.O_NONBLOCK);
            if (res < 0) {
                throw Native.ioException(name + ": fcntl(F_SETFL, O_NONBLOCK)", res);
            }
        }
        return new AioFdChannel(fd, owned, name, flags, type, position, tty == 1, dio);
    }

    // ---------------------------------------------------------------- what the descriptor is

    /** Resolves {@code AUTO}; refuses a mode this descriptor cannot work in. */
    AioFdIoMode resolveMode(AioFdIoMode requested) {
        AioFdIo current = io;
        if (current != null) {
            return current.mode();
        }
        switch (requested) {
            case AUTO:
                return fileType == NativeFiles.S_IFREG || fileType == NativeFiles.S_IFBLK
                        ? AioFdIoMode.ASYNC : AioFdIoMode.POLL;
            case ASYNC:
                if (fileType == NativeFiles.S_IFIFO || fileType == NativeFiles.S_IFSOCK) {
                    throw new IllegalArgumentException(describe() + " cannot work in ASYNC mode: the kernel runs "
                            + "AIO reads and writes on pipes, FIFOs and sockets inline (they would block the loop or "
                            + "fail with EAGAIN); use AioFdIoMode.POLL");
                }
                return AioFdIoMode.ASYNC;
            case POLL:
                if (direct) {
                    throw new IllegalArgumentException(describe() + " was opened with O_DIRECT, which needs aligned "
                            + "buffers and offsets: use AioFdIoMode.ASYNC");
                }
                return AioFdIoMode.POLL;
            default:
                throw new IllegalArgumentException("unknown mode " + requested);
        }
    }

    boolean isModeFixed() {
        return io != null;
    }

    /** The O_DIRECT memory alignment this descriptor needs (1 if none). */
    int requiredMemoryAlignment() {
        return direct ? dioAlignment.memory() : 1;
    }

    /** The O_DIRECT length alignment this descriptor needs (1 if none). */
    int requiredSizeMultiple() {
        return direct ? dioAlignment.offset() : 1;
    }

    int defaultBufferAlignment() {
        return dioAlignment != null ? Math.max(dioAlignment.bufferAlignment(), PAGE_SIZE) : PAGE_SIZE;
    }

    /** The descriptor for messages: "fd 7 (a FIFO (pipe), read-only)". */
    String describe() {
        String access = readable && writable ? "read-write" : readable ? "read-only" : "write-only";
        return name + " (" + (terminal ? "a terminal" : NativeFiles.describeFileType(fileType)) + ", " + access
                + (direct ? ", O_DIRECT" : "") + ')';
    }

    int fdValue() {
        return fdValue;
    }

    boolean isReadableFd() {
        return readable;
    }

    boolean isWritableFd() {
        return writable;
    }

    boolean isSeekable() {
        return seekable;
    }

    /** A non-seekable regular file (FunctionFS endpoints): a read of 0 bytes is a zero-length packet, not an end. */
    boolean isStreamFile() {
        return !seekable && fileType == NativeFiles.S_IFREG;
    }

    boolean isDirectIo() {
        return direct;
    }

    /** O_DIRECT reads submitted again after their RWF_NOWAIT met EAGAIN (async mode), for tests; loop thread. */
    long directRetries() {
        AioFdIo current = io;
        return current instanceof AioFdAsyncIo ? ((AioFdAsyncIo) current).directRetries() : 0;
    }

    boolean isCharDevice() {
        return fileType == NativeFiles.S_IFCHR;
    }

    boolean isTerminal() {
        return terminal;
    }

    long initialPosition() {
        return initialPosition;
    }

    /** The mode in effect. */
    public AioFdIoMode ioMode() {
        return config.getIoMode();
    }

    /** Whether the input was shut down (end of input with half-closure allowed). */
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    // ---------------------------------------------------------------- Channel

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public AioFdChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open && !closing;
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return ChannelRegistrations.isCompatible(loop, FdHandle.class);
    }

    @Override
    protected SocketAddress localAddress0() {
        return null;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return null;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new FdUnsafe();
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        FdHandle previous = draining;
        if (previous != null) {
            if (!previous.idle.isDone()) {
                // The old loop still has completions of ours to apply: register once the last has come.
                previous.idle.addListener(f -> eventLoop().execute(() -> doRegister(promise)));
                return;
            }
            draining = null;
        }
        AioFdIo current = io;
        if (current == null) {
            AioFdIoMode mode = config.getIoMode();
            current = mode == AioFdIoMode.ASYNC ? new AioFdAsyncIo(this) : new AioFdPollIo(this);
            io = current;
        }
        AioFdIo modeIo = current;
        FdHandle h = new FdHandle();
        ChannelRegistrations.register(eventLoop(), h, promise, registration -> {
            h.registration = registration;
            handle = h;
            modeIo.registered();
        }, () -> handle = null);
    }

    @Override
    protected void doDeregister() {
        FdHandle h = handle;
        if (h != null) {
            handle = null;
            if (!closing && io.hasDataInFlight()) {
                // Their completions still come, here, and are kept (see the class doc); doRegister waits for them.
                draining = h;
            }
            h.registration.cancel();
        }
        boolean asked = deregistrationAsked;
        deregistrationAsked = false;
        if (asked && closing && activeAtClose && !inactiveFired) {
            // Deregistered by the user while its close waits for the hardware (or ran ahead of the close's own
            // deregistration): Netty fires channelInactive at the close only for a channel still registered, so
            // the pipeline would never hear of it. Fire it now, before the channelUnregistered this deregistration
            // fires, as a close orders them. The close's own deregistration passes here with asked == false.
            inactiveFired = true;
            pipeline().fireChannelInactive();
        }
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("an fd channel has no address to bind");
    }

    @Override
    protected void doDisconnect() throws Exception {
        doClose();
    }

    @Override
    protected void doClose() throws Exception {
        active = false;
        if (!open) {
            return;
        }
        open = false;
        if (owned) {
            fd.close();
        }
    }

    @Override
    protected void doBeginRead() {
        if (!active || inputShutdown || !readable) {
            return;
        }
        readPending = true;
        io.beginRead();
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        io.write(in);
    }

    @Override
    protected void doShutdownOutput() {
        // No syscall: the descriptor stays open for reading; the outbound buffer no longer takes writes.
    }

    @Override
    protected Object filterOutboundMessage(Object msg) throws Exception {
        if (!(msg instanceof ByteBuf)) {
            throw new UnsupportedOperationException("unsupported message type: " + StringUtil.simpleClassName(msg)
                    + " (expected: " + StringUtil.simpleClassName(ByteBuf.class) + ')');
        }
        if (!writable) {
            throw new IOException(describe() + " is open read-only: it cannot be written");
        }
        return io.filterOutbound((ByteBuf) msg);
    }

    // ---------------------------------------------------------------- used by the two I/O modes

    /** Whether the pipeline wants data: a read() pending or AUTO_READ. */
    boolean wantsRead() {
        return readPending || config.isAutoRead();
    }

    boolean isInputOpen() {
        return active && !inputShutdown;
    }

    FdUnsafe fdUnsafe() {
        return (FdUnsafe) unsafe();
    }

    /**
     * End of input (or a read error that ends it): closes the channel, or with half-closure fires the input
     * shutdown events and stops reading.
     */
    void inputEnded() {
        if (!inputShutdown) {
            if (!config.isAllowHalfClosure()) {
                unsafe().close(unsafe().voidPromise());
                return;
            }
            inputShutdown = true;
            readPending = false;
            pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
        if (!inputShutdownReadCompleteFired && isOpen()) {
            inputShutdownReadCompleteFired = true;
            pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        }
    }

    @Override
    public String toString() {
        return "AioFdChannel(" + id().asShortText() + ", " + describe() + (io != null ? ", " + io.mode() : "")
                + (open ? ")" : ", closed)");
    }

    // ---------------------------------------------------------------- the handle

    /**
     * The {@link AioIoHandle} of one registration: receives the completions of the channel's iocbs on the loop
     * thread and hands them to the mode's I/O, telling it whether the registration is still the channel's.
     */
    final class FdHandle implements AioIoHandle {
        // The loop's wrapper: its cancel() also updates the loop's count of registrations.
        IoRegistration registration;
        // Poll mode: whether EPOLLOUT is asked for (a write found the descriptor full).
        boolean outWanted;
        /** Completed once the registration is cancelled and its last iocb has completed. */
        final Promise<Void> idle = ImmediateEventExecutor.INSTANCE.newPromise();
        private boolean unregistered;
        private Runnable closeTask;

        /** The AIO registration the wrapper stands for (its attachment). */
        AioIoRegistration aio() {
            return registration.attachment();
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            io.handle(this, (AioIoEvent) event, handle == this);
        }

        /** Runs the channel's close once every iocb of this registration completed; cancels them all first. */
        void closeWhenIdle(Runnable task) {
            closeTask = task;
            registration.cancel();
            if (unregistered) {
                runCloseTask();
            }
        }

        @Override
        public void close() {
            // The loop is shutting down.
            unsafe().close(unsafe().voidPromise());
        }

        @Override
        public void unregistered() {
            unregistered = true;
            idle.trySuccess(null);
            runCloseTask();
        }

        private void runCloseTask() {
            Runnable task = closeTask;
            if (task != null) {
                closeTask = null;
                task.run();
            }
        }

        @Override
        public String toString() {
            return "FdHandle(" + AioFdChannel.this + ')';
        }
    }

    // ---------------------------------------------------------------- unsafe

    final class FdUnsafe extends AbstractUnsafe {
        private AioRecvByteAllocatorHandle allocHandle;

        @Override
        public AioRecvByteAllocatorHandle recvBufAllocHandle() {
            if (allocHandle == null) {
                allocHandle = new AioRecvByteAllocatorHandle(super.recvBufAllocHandle());
            }
            return allocHandle;
        }

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException("an fd channel does not connect"));
        }

        @Override
        protected void flush0() {
            // Poll mode waiting for EPOLLOUT: the descriptor is full and that event flushes.
            AioFdIo current = io;
            if (current == null || !current.isFlushBlocked()) {
                super.flush0();
            }
        }

        /** Writes what is flushed now, whatever blocks regular flushes (a POLLOUT or an async completion). */
        void flushNow() {
            super.flush0();
        }

        /** A write failed outside {@code doWrite} (an async completion): as Netty handles write errors. */
        void writeFailed(Throwable cause) {
            handleWriteError(cause);
        }

        @Override
        public void deregister(ChannelPromise promise) {
            // Netty's close deregisters through a private path; this one is the user's.
            if (isRegistered()) {
                deregistrationAsked = true;
            }
            super.deregister(promise);
        }

        /**
         * Closing waits for the hardware: stop reading and writing, cancel every iocb of the registration, and run
         * the close (descriptor, close future, inactive) once the last of them has completed.
         */
        @Override
        protected Executor prepareToClose() {
            activeAtClose = active;
            closing = true;
            active = false;
            readPending = false;
            AioFdIo current = io;
            if (current != null) {
                current.closing();
            }
            FdHandle h = handle;
            if (h == null) {
                // Deregistered: the close still waits for what the last registration left with the kernel.
                h = draining;
            }
            if (h == null || h.registration == null || h.idle.isDone()) {
                return null;
            }
            return h::closeWhenIdle;
        }
    }
}

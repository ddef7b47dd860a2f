/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.Promise;
import io.netty.util.internal.ObjectUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A regular file or block device read and written with kernel AIO, bound to an event loop: every future
 * completes on the executor the file was opened with, and no operation blocks that loop on the disk (see
 * {@link ReadPolicy} for the one exception a buffered file can opt into).
 *
 * <p><b>Hosts.</b> {@link #open(EventExecutor, Path, OpenOption...)} takes the executor the caller lives on. On an
 * AIO event loop the file's iocbs go out in the loop's own {@code io_submit} batches; on an epoll loop they go
 * through one AIO context per loop whose eventfd sits in the loop's epoll set; on anything else (NIO, a plain
 * executor) a small dedicated completion thread submits and reaps, and the futures still notify their listeners on
 * the caller's executor. See {@link AioFileEngine}.
 *
 * <p><b>Operations.</b> Positional {@link #read(long, int) read}, {@link #read(long, ByteBuf) read into},
 * {@link #readv(long, ByteBuf...) readv}, {@link #write(long, ByteBuf) write} and
 * {@link #writev(long, ByteBuf...) writev}, each with optional {@link AioIoOptions} ({@code RWF_*} flags, I/O
 * priority); {@link #fsync()} and {@link #fdatasync()} as AIO opcodes; {@link #fallocate}, {@link #truncate} (on a
 * small metadata pool: there is no AIO opcode for them) and {@link #size()}. A write is complete only when every
 * byte is written: short writes are continued. A read returns fewer bytes than asked only at end of file. Operations
 * are not ordered with respect to each other (as with {@code pread}/{@code pwrite} from several threads): wait for a
 * write's future before reading what it wrote.
 *
 * <p><b>Alignment and O_DIRECT.</b> {@link #alignment()} is found at open ({@code statx STATX_DIOALIGN},
 * {@code BLKSSZGET}, else 4096) and {@link #allocator()} hands out buffers aligned for it. On the direct path (a file
 * opened with {@link AioOpenOption#DIRECT}, or the direct descriptor a buffered file reads through) an unaligned read
 * is turned into the aligned superset read into an aligned pooled buffer and copied out — refused with an
 * {@link IllegalArgumentException} in {@linkplain AioFileConfig#strictAlignment strict mode}. A write to an
 * {@code O_DIRECT} file whose position or length is unaligned is always refused: it would need a read-modify-write,
 * which this class does not do behind your back. Unaligned <em>memory</em> with an aligned position and length is
 * copied into an aligned buffer (refused in strict mode).
 *
 * <p><b>Ownership.</b> The file never releases a reference it did not take:
 * <ul>
 *   <li>{@link #read(long, int)}: the result buffer is allocated from {@link #allocator()} and becomes the caller's
 *   when the future succeeds (release it). Its readable bytes are the data; its reader index may be above 0 (the
 *   buffer also covers the aligned superset).</li>
 *   <li>{@link #read(long, ByteBuf)}, {@link #readv}: the file retains each destination from the call until the
 *   future completes, then releases that reference; the caller keeps its own. Data lands from each destination's
 *   writer index at the time of the call, which is advanced by the bytes read on success.</li>
 *   <li>{@link #write}, {@link #writev}: the file retains each source for the same span and never moves its
 *   indices; the readable bytes at the time of the call are written. Do not modify them until the future
 *   completes (a copy is taken only when a bounce is needed).</li>
 * </ul>
 * Releasing your own reference right after the call is safe. The kernel may write into a destination until the
 * future completes: do not read it before.
 *
 * <p><b>Closing.</b> {@link #close()} refuses new operations at once, cancels the ones not yet submitted (their
 * futures fail with {@link AioFileClosedException}), waits for the ones the kernel holds (file I/O cannot be
 * interrupted), then closes the descriptors and completes. Shutting the host loop down closes the file the same
 * way.
 *
 * <p><b>Threading.</b> Every method may be called from any thread. Bad arguments throw in the caller's thread;
 * everything else is reported through the returned future.
 */
public final class AioFile {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AioFile.class);

    /** The largest read one request takes (the kernel caps one transfer just below 2 GiB). */
    public static final int MAX_READ_LENGTH = 1 << 30;
    /** The most buffers a vectored operation takes: {@link Native#IOV_MAX}, from the native library. */
    public static final int MAX_IOVECS = Native.IOV_MAX;

    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;
    /** {@link #directFd} of a HYBRID file before its first page-cache miss: the descriptor is opened then. */
    private static final int DIRECT_FD_LATER = -2;

    private final String name;
    private final int fd;
    /** The O_DIRECT descriptor; -1 if none (not wanted, or refused), {@link #DIRECT_FD_LATER}. Engine thread. */
    private int directFd;
    /** The open(2) flags, for the O_DIRECT descriptor opened later. */
    private final int openFlags;
    private final boolean direct;
    private final boolean readable;
    private final boolean writable;
    private final boolean blockDevice;
    private final AioFileAlignment alignment;
    private final PooledByteBufAllocator allocator;
    private final ReadPolicy readPolicy;
    private final boolean strict;
    private final AioFileEngine engine;
    private final EventExecutor ioExecutor;
    private final EventExecutor completionExecutor;
    private final Promise<Void> closePromise;
    private final Link linkClient = new Link();
    private EngineLink link;
    /** Closes this file when the caller's executor terminates (files run by another thread only). */
    private GenericFutureListener<Future<Object>> callerTermination;

    private volatile int state = OPEN;
    // Engine-thread state.
    private int pending;
    private boolean unlinked;
    private boolean nowaitSupported = true;
    private boolean directNowaitSupported = true;
    private final FileDescriptions defaultDescriptions = new FileDescriptions(AioIoOptions.DEFAULT);
    /** The descriptions of the last options other than the default a request came with. */
    private FileDescriptions otherDescriptions;

    // Statistics, written on the engine thread.
    private long reads;
    private long nowaitHits;
    private long nowaitPartialHits;
    private long nowaitMisses;
    private long directReads;
    private long directRetries;
    private long bufferedReads;
    private long blockingReads;
    private long bouncedReads;
    private long bytesRead;
    private long writes;
    private long shortWrites;
    private long bouncedWrites;
    private long bytesWritten;
    private long syncs;
    private long failures;

    private AioFile(String name, int fd, int directFd, int accessFlags, boolean blockDevice,
                    AioFileAlignment alignment, AioFileConfig config, AioFileEngine engine,
                    EventExecutor completionExecutor) {
        this.name = name;
        this.fd = fd;
        this.directFd = directFd;
        this.openFlags = accessFlags;
        int accessMode = accessFlags & NativeFiles.O_ACCMODE;
        this.direct = (accessFlags & Native.O_DIRECT) != 0;
        this.readable = accessMode == Native.O_RDONLY || accessMode == Native.O_RDWR;
        this.writable = accessMode == Native.O_WRONLY || accessMode == Native.O_RDWR;
        this.blockDevice = blockDevice;
        this.alignment = alignment;
        this.allocator = AioBufferAllocator.forAlignment(alignment);
        this.readPolicy = config.readPolicy();
        this.strict = config.strictAlignment();
        this.engine = engine;
        this.ioExecutor = engine.executor();
        this.completionExecutor = completionExecutor;
        this.closePromise = completionExecutor.newPromise();
    }

    // ---------------------------------------------------------------- opening

    /** Opens {@code path} with the default {@link AioFileConfig}; see {@link #open(EventExecutor, Path, AioFileConfig, OpenOption...)}. */
    public static AioFile open(EventExecutor executor, Path path, OpenOption... options) throws IOException {
        return open(executor, path, new AioFileConfig(), options);
    }

    /**
     * Opens a regular file or block device. Options: {@link StandardOpenOption} {@code READ} (the default when
     * neither READ nor WRITE is given), {@code WRITE}, {@code APPEND}, {@code CREATE}, {@code CREATE_NEW},
     * {@code TRUNCATE_EXISTING}, {@code DSYNC}, {@code SYNC}, {@code SPARSE} (no effect on Linux), and
     * {@link AioOpenOption#DIRECT}, {@link AioOpenOption#NOATIME}. The syscalls ({@code statx}, {@code open}) run in
     * the calling thread: they touch metadata, not file data.
     *
     * @param executor where the futures complete; also picks the {@link AioFileEngine} unless the config names one
     * @throws NoSuchFileException as {@code Files} would
     * @throws AccessDeniedException as {@code Files} would
     * @throws FileAlreadyExistsException as {@code Files} would
     * @throws FileSystemException when {@code path} is a directory, FIFO, socket or character device (use
     *         {@code AioFdChannel} for the latter three)
     * @throws IOException when the filesystem refuses {@code O_DIRECT} ({@link AioOpenOption#DIRECT} or
     *         {@link ReadPolicy#DIRECT}), or another errno, named
     * @throws UnsupportedOperationException for {@code DELETE_ON_CLOSE}, {@code NOFOLLOW_LINKS} or a foreign option
     */
    public static AioFile open(EventExecutor executor, Path path, AioFileConfig config, OpenOption... options)
            throws IOException {
        ObjectUtil.checkNotNull(executor, "executor");
        ObjectUtil.checkNotNull(path, "path");
        config = new AioFileConfig(ObjectUtil.checkNotNull(config, "config"));
        int flags = AioOpenOption.toFlags(options);
        String file = path.toString();

        // Refuse what open(2) would block on (a FIFO waits for its other end) or what is not a file, before opening.
        Statx statx = Statx.current();
        int res = statx.tryFill(file, NativeFiles.STATX_TYPE);
        if (res == 0) {
            checkFileType(statx.type(), file);
        } else if (res != -Native.ENOENT) {
            throw AioOpenOption.openFailure(path, res, flags);
        }
        int fd = Native.open(file, flags, config.permissions());
        if (fd < 0) {
            throw AioOpenOption.openFailure(path, fd, flags);
        }
        try {
            return newFile(file, fd, flags, config, executor, false);
        } catch (Throwable t) {
            Native.close(fd);
            throw t;
        }
    }

    /**
     * Takes over an open descriptor of a regular file or block device: its access mode and {@code O_DIRECT} flag are
     * read with {@code fcntl(F_GETFL)}. On success the file owns the descriptor and closes it on {@link #close()};
     * on failure the descriptor is left as it was.
     *
     * @throws IllegalArgumentException if {@code fd} is a pipe, socket, directory or character device
     * @throws IOException if {@code fd} is not open (EBADF), or another errno, named
     */
    public static AioFile adopt(EventExecutor executor, int fd, AioFileConfig config) throws IOException {
        ObjectUtil.checkNotNull(executor, "executor");
        config = new AioFileConfig(ObjectUtil.checkNotNull(config, "config"));
        String name = "fd " + fd;
        int flags = NativeFiles.getFileStatusFlags(fd);
        if (flags < 0) {
            throw Native.ioException("fcntl(" + name + ", F_GETFL)", flags);
        }
        return newFile(name, fd, flags, config, executor, true);
    }

    /** As {@link #adopt(EventExecutor, int, AioFileConfig)}. */
    public static AioFile adopt(EventExecutor executor, FileDescriptor fd, AioFileConfig config) throws IOException {
        return adopt(executor, fd.intValue(), config);
    }

    private static AioFile newFile(String name, int fd, int flags, AioFileConfig config, EventExecutor executor,
                                   boolean adopted) throws IOException {
        // One statx for the type check and the alignment: a file server adopts a descriptor per response.
        Statx statx = Statx.current().fill(fd, NativeFiles.STATX_TYPE | NativeFiles.STATX_DIOALIGN, name);
        int type = statx.type();
        if (adopted && type != NativeFiles.S_IFREG && type != NativeFiles.S_IFBLK) {
            throw new IllegalArgumentException(name + " is " + NativeFiles.describeFileType(type) + ", not a regular "
                    + "file or block device: AioFile does positional I/O (use AioFdChannel for pipes, sockets and "
                    + "character devices)");
        }
        checkFileType(type, name);
        boolean blockDevice = type == NativeFiles.S_IFBLK;
        AioFileAlignment alignment = AioFileAlignment.of(fd, statx, blockDevice);
        int accessMode = flags & NativeFiles.O_ACCMODE;
        boolean direct = (flags & Native.O_DIRECT) != 0;
        boolean readable = accessMode == Native.O_RDONLY || accessMode == Native.O_RDWR;
        int directFd = -1;
        if (!direct && readable && config.readPolicy() == ReadPolicy.DIRECT) {
            directFd = openDirectDescriptor(name, fd, flags);
        } else if (!direct && readable && config.readPolicy() == ReadPolicy.HYBRID) {
            // Opened at the first page-cache miss: a file served from the cache (most small files a server
            // sends) never pays for the second open and close.
            directFd = DIRECT_FD_LATER;
        }
        AioFileEngine engine = config.engine() != null ? config.engine() : AioFileEngine.of(executor);
        AioFile file = new AioFile(name, fd, directFd, flags, blockDevice, alignment, config, engine, executor);
        try {
            file.link = engine.link(file.linkClient);
        } catch (Throwable t) {
            if (directFd >= 0) {
                Native.close(directFd);
            }
            throw t;
        }
        if (engine.executor() != executor) {
            file.closeWithCaller();
        }
        return file;
    }

    /** A file run by another thread than its caller's closes when the caller's executor terminates. */
    private void closeWithCaller() {
        GenericFutureListener<Future<Object>> listener = f -> close();
        callerTermination = listener;
        completionExecutor.terminationFuture().addListener(listener);
    }

    /** The second, O_DIRECT descriptor the direct path reads through; -1 if the filesystem refuses O_DIRECT. */
    private static int openDirectDescriptor(String name, int fd, int flags) throws IOException {
        int directFd = reopenDirect(fd, flags);
        if (directFd < 0) {
            throw new IOException("ReadPolicy.DIRECT needs O_DIRECT, which " + name + " refuses: "
                    + Native.describeResult(directFd) + " (tmpfs before Linux 6.6 and some FUSE filesystems do not "
                    + "support it; use ReadPolicy.HYBRID or BUFFERED)");
        }
        return directFd;
    }

    /** A new O_DIRECT descriptor for reading {@code fd}'s file, or -errno. */
    private static int reopenDirect(int fd, int flags) {
        // Re-opening through /proc gives a new open file description of the same inode, whatever the path was.
        int directFlags = Native.O_RDONLY | Native.O_DIRECT | Native.O_CLOEXEC | (flags & Native.O_NOATIME);
        return Native.open("/proc/self/fd/" + fd, directFlags, 0);
    }

    private static void checkFileType(int type, String name) throws FileSystemException {
        if (type != NativeFiles.S_IFREG && type != NativeFiles.S_IFBLK) {
            throw new FileSystemException(name, null, "is " + NativeFiles.describeFileType(type) + ", not a regular file or "
                    + "block device: AioFile does positional I/O on files"
                    + (type == NativeFiles.S_IFDIR ? "" : " (use AioFdChannel for pipes, sockets and character devices)"));
        }
    }


    // ---------------------------------------------------------------- reads

    /** {@code read(position, length, AioIoOptions.DEFAULT)}. */
    public Future<ByteBuf> read(long position, int length) {
        return read(position, length, AioIoOptions.DEFAULT);
    }

    /**
     * Reads up to {@code length} bytes at {@code position} into a new buffer from {@link #allocator()}, which the
     * future hands over: the caller releases it. Fewer bytes only at end of file (none at or past it).
     *
     * @throws IllegalArgumentException for a negative position, a length outside 0..{@link #MAX_READ_LENGTH} or one
     *         that overflows the file offset
     * @throws IllegalStateException if the file is not open for reading
     */
    @SuppressWarnings("unchecked")
    public Future<ByteBuf> read(long position, int length, AioIoOptions options) {
        checkReadable();
        checkPosition(position);
        ObjectUtil.checkNotNull(options, "options");
        if (length < 0 || length > MAX_READ_LENGTH) {
            throw new IllegalArgumentException("length must be in 0.." + MAX_READ_LENGTH + ", got " + length);
        }
        checkEnd(position, length);
        if (length == 0) {
            return completionExecutor.newSucceededFuture(Unpooled.EMPTY_BUFFER);
        }
        long alignedStart = alignment.alignDown(position);
        int capacity = (int) (alignment.alignUp(position + length) - alignedStart);
        ByteBuf result = allocator.directBuffer(capacity, capacity);
        int head = (int) (position - alignedStart);
        result.writerIndex(head);
        Promise<Object> promise = (Promise<Object>) (Promise<?>) completionExecutor.<ByteBuf>newPromise();
        ReadOp op = ReadOp.take().init(this, promise, ReadOp.ALLOCATE, position, length, options, result, head,
                alignedStart);
        return (Future<ByteBuf>) (Future<?>) op.dispatch();
    }

    /** {@code read(position, dst, AioIoOptions.DEFAULT)}. */
    public Future<Integer> read(long position, ByteBuf dst) {
        return read(position, dst, AioIoOptions.DEFAULT);
    }

    /**
     * Reads at {@code position} into {@code dst}'s writable bytes (from its writer index at the time of this call),
     * and advances its writer index by what was read. The future gives the byte count: fewer than
     * {@code dst.writableBytes()} only at end of file, 0 at or past it.
     *
     * @throws IllegalArgumentException for a negative position, a released or read-only {@code dst}, more than
     *         {@link #MAX_READ_LENGTH} writable bytes, an end that overflows the file offset, or — in strict mode —
     *         a read on the direct path that is not aligned
     * @throws IllegalStateException if the file is not open for reading
     */
    @SuppressWarnings("unchecked")
    public Future<Integer> read(long position, ByteBuf dst, AioIoOptions options) {
        checkReadable();
        checkPosition(position);
        ObjectUtil.checkNotNull(options, "options");
        checkBuffer(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is read-only: a read needs a writable buffer");
        }
        int start = dst.writerIndex();
        int size = dst.writableBytes();
        if (size > MAX_READ_LENGTH) {
            throw new IllegalArgumentException("a read takes at most " + MAX_READ_LENGTH + " bytes, the buffers offer "
                    + size);
        }
        checkEnd(position, size);
        if (strict && readsDirect() && !(alignment.isOffsetAligned(position) && alignment.isAligned(dst, true))) {
            throw unalignedRead(position);
        }
        Promise<Object> promise = completionExecutor.newPromise();
        if (size == 0) {
            promise.setSuccess(0);
            return (Future<Integer>) (Future<?>) promise;
        }
        ReadOp op = ReadOp.take().init(this, promise, ReadOp.INTO, position, size, options, dst.retain(), start, 0);
        return (Future<Integer>) (Future<?>) op.dispatch();
    }

    private IllegalArgumentException unalignedRead(long position) {
        return new IllegalArgumentException("unaligned read on the direct path of " + name + " (strict alignment): "
                + "position " + position + " and each buffer's address and writable length must be multiples of "
                + alignment + "; use AioFile.allocator() for aligned buffers");
    }

    /** {@code readv(position, AioIoOptions.DEFAULT, dsts)}. */
    public Future<Long> readv(long position, ByteBuf... dsts) {
        return readv(position, AioIoOptions.DEFAULT, dsts);
    }

    /**
     * Scatter read: fills each destination's writable bytes in order, one kernel operation when the memory allows
     * ({@code IOCB_CMD_PREADV}), and advances their writer indices. The future gives the total.
     *
     * @throws IllegalArgumentException as {@link #read(long, ByteBuf, AioIoOptions)} for each destination, for no
     *         destination or more than {@link #MAX_IOVECS}, or a total above {@link #MAX_READ_LENGTH}
     */
    public Future<Long> readv(long position, AioIoOptions options, ByteBuf... dsts) {
        ObjectUtil.checkNotNull(dsts, "dsts");
        if (dsts.length == 0 || dsts.length > MAX_IOVECS) {
            throw new IllegalArgumentException("readv takes 1.." + MAX_IOVECS + " buffers, got " + dsts.length);
        }
        return readVector(position, options, dsts);
    }

    @SuppressWarnings("unchecked")
    private Future<Long> readVector(long position, AioIoOptions options, ByteBuf[] dsts) {
        checkReadable();
        checkPosition(position);
        ObjectUtil.checkNotNull(options, "options");
        long total = 0;
        int[] starts = new int[dsts.length];
        int[] sizes = new int[dsts.length];
        boolean aligned = alignment.isOffsetAligned(position);
        for (int i = 0; i < dsts.length; i++) {
            ByteBuf dst = dsts[i];
            String what = dsts.length == 1 ? "dst" : "dsts[" + i + ']';
            checkBuffer(dst, what);
            if (dst.isReadOnly()) {
                throw new IllegalArgumentException(what + " is read-only: a read needs a writable buffer");
            }
            starts[i] = dst.writerIndex();
            sizes[i] = dst.writableBytes();
            total += sizes[i];
            aligned &= alignment.isAligned(dst, true);
        }
        if (total > MAX_READ_LENGTH) {
            throw new IllegalArgumentException("a read takes at most " + MAX_READ_LENGTH + " bytes, the buffers offer "
                    + total);
        }
        checkEnd(position, total);
        if (strict && !aligned && readsDirect()) {
            throw unalignedRead(position);
        }
        Promise<Object> promise = completionExecutor.newPromise();
        if (total == 0) {
            promise.setSuccess(0L);
            return (Future<Long>) (Future<?>) promise;
        }
        ByteBuf[] held = new ByteBuf[dsts.length];
        for (int i = 0; i < dsts.length; i++) {
            held[i] = dsts[i].retain();
        }
        ReadOp op = ReadOp.take().initVector(this, promise, position, (int) total, options, held, starts, sizes);
        return (Future<Long>) (Future<?>) op.dispatch();
    }

    // ---------------------------------------------------------------- writes

    /** {@code write(position, src, AioIoOptions.DEFAULT)}. */
    public Future<Void> write(long position, ByteBuf src) {
        return write(position, src, AioIoOptions.DEFAULT);
    }

    /**
     * Writes {@code src}'s readable bytes at {@code position}, all of them: the future succeeds when the last byte
     * is written, or fails with the error that stopped it. {@code src}'s indices are not moved.
     *
     * @throws IllegalArgumentException for a negative position, a released {@code src}, an end that overflows the
     *         file offset, or on an {@code O_DIRECT} file a position or length that is not a multiple of
     *         {@link AioFileAlignment#offset()} (and in strict mode unaligned memory)
     * @throws IllegalStateException if the file is not open for writing
     */
    public Future<Void> write(long position, ByteBuf src, AioIoOptions options) {
        return writeFrom(position, options, src);
    }

    /** {@code writev(position, AioIoOptions.DEFAULT, srcs)}. */
    public Future<Void> writev(long position, ByteBuf... srcs) {
        return writev(position, AioIoOptions.DEFAULT, srcs);
    }

    /**
     * Gather write of each source's readable bytes, in order, at {@code position} ({@code IOCB_CMD_PWRITEV}); as
     * {@link #write(long, ByteBuf, AioIoOptions)} otherwise.
     */
    public Future<Void> writev(long position, AioIoOptions options, ByteBuf... srcs) {
        ObjectUtil.checkNotNull(srcs, "srcs");
        if (srcs.length == 0 || srcs.length > MAX_IOVECS) {
            throw new IllegalArgumentException("writev takes 1.." + MAX_IOVECS + " buffers, got " + srcs.length);
        }
        return writeFrom(position, options, srcs);
    }

    private Future<Void> writeFrom(long position, AioIoOptions options, ByteBuf... srcs) {
        if (!writable) {
            throw new IllegalStateException(name + " is not open for writing (open it with StandardOpenOption.WRITE)");
        }
        checkPosition(position);
        ObjectUtil.checkNotNull(options, "options");
        long total = 0;
        boolean memoryUsable = true;
        boolean memoryAligned = true;
        for (int i = 0; i < srcs.length; i++) {
            ByteBuf src = srcs[i];
            checkBuffer(src, srcs.length == 1 ? "src" : "srcs[" + i + ']');
            total += src.readableBytes();
            memoryUsable &= src.isDirect() && src.nioBufferCount() == 1;
            memoryAligned &= alignment.isAligned(src, false);
        }
        checkEnd(position, total);
        if (total == 0) {
            return completionExecutor.newSucceededFuture(null);
        }
        boolean gather = !memoryUsable;
        if (direct) {
            if (!alignment.isOffsetAligned(position) || !alignment.isOffsetAligned(total)) {
                throw new IllegalArgumentException("unaligned O_DIRECT write on " + name + ": position " + position
                        + " and length " + total + " must be multiples of " + alignment.offset() + " (" + alignment
                        + "); AioFile does not read-modify-write partial blocks — write whole aligned blocks");
            }
            if (!memoryAligned) {
                if (strict) {
                    throw new IllegalArgumentException("unaligned buffer memory for an O_DIRECT write on " + name
                            + " (strict alignment): each buffer's address and length must be multiples of "
                            + alignment + "; use AioFile.allocator() for aligned buffers");
                }
                gather = true;
            }
        }
        if (gather && total > Integer.MAX_VALUE - alignment.offset()) {
            throw new IllegalArgumentException("a write that needs a bounce copy takes at most 2 GiB, got " + total);
        }
        ByteBuf[] held = new ByteBuf[srcs.length];
        for (int i = 0; i < srcs.length; i++) {
            held[i] = srcs[i].retain();
        }
        WriteOp op;
        try {
            op = new WriteOp(this, completionExecutor.newPromise(), position, total, options, held, gather);
        } catch (Throwable t) {
            for (ByteBuf b : held) {
                b.release();
            }
            throw t;
        }
        return op.dispatch();
    }

    // ---------------------------------------------------------------- sync and metadata

    /** fsync(2) as an AIO operation: data and metadata durable when the future succeeds. */
    public Future<Void> fsync() {
        return new SyncOp(this, completionExecutor.newPromise(), false).dispatch();
    }

    /** fdatasync(2) as an AIO operation: data (and the metadata needed to read it) durable on success. */
    public Future<Void> fdatasync() {
        return new SyncOp(this, completionExecutor.newPromise(), true).dispatch();
    }

    /** {@code fallocate(0, position, length)}: allocates the range, extending the file if it ends past its size. */
    public Future<Void> fallocate(long position, long length) {
        return fallocate(0, position, length);
    }

    /**
     * fallocate(2) with {@code mode} 0, {@link NativeFiles#FALLOC_FL_KEEP_SIZE},
     * {@code FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE} or {@link NativeFiles#FALLOC_FL_ZERO_RANGE}. Runs on the
     * metadata pool; the future completes on this file's executor.
     *
     * @throws IllegalArgumentException for a negative position, a length below 1 or an end past
     *         {@code Long.MAX_VALUE}
     * @throws IllegalStateException if the file is not open for writing
     */
    public Future<Void> fallocate(int mode, long position, long length) {
        checkWritableForMetadata("fallocate");
        checkPosition(position);
        if (length <= 0) {
            throw new IllegalArgumentException("length must be > 0, got " + length);
        }
        checkEnd(position, length);
        return MetadataOp.fallocate(this, completionExecutor.newPromise(), mode, position, length).dispatch();
    }

    /**
     * ftruncate(2): sets the file's size, cutting or extending with a hole. Runs on the metadata pool.
     *
     * @throws IllegalArgumentException for a negative size
     * @throws IllegalStateException if the file is not open for writing
     */
    public Future<Void> truncate(long size) {
        checkWritableForMetadata("truncate");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        return MetadataOp.truncate(this, completionExecutor.newPromise(), size).dispatch();
    }

    /**
     * The file's size ({@code statx}), or a block device's ({@code BLKGETSIZE64}). Runs in the calling thread: a
     * metadata lookup that does not touch the disk for an open file.
     *
     * @throws AioFileClosedException if the file is closed or closing
     */
    public long size() throws IOException {
        if (!isOpen()) {
            throw closedException("size()");
        }
        if (blockDevice) {
            long size = NativeFiles.blockDeviceSize(fd);
            if (size < 0) {
                throw Native.ioException("ioctl(" + name + ", BLKGETSIZE64)", (int) size);
            }
            return size;
        }
        return Statx.current().fill(fd, NativeFiles.STATX_SIZE, name).size();
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes the file: new operations fail at once with {@link AioFileClosedException}; operations still queued
     * for the kernel are cancelled (same exception); the returned future completes once every operation the
     * kernel holds has completed and the descriptors are closed. Idempotent.
     */
    public Future<Void> close() {
        if (state == OPEN) {
            runOnEngine(this::close0);
        }
        return closePromise;
    }

    /** The future {@link #close()} returns, whoever triggers the close. */
    public Future<Void> closeFuture() {
        return closePromise;
    }

    private void close0() {
        if (state != OPEN) {
            return;
        }
        state = CLOSING;
        link.cancel();
        finishCloseIfIdle();
    }

    private void finishCloseIfIdle() {
        if (state != CLOSING || !unlinked || pending > 0) {
            return;
        }
        state = CLOSED;
        if (callerTermination != null) {
            completionExecutor.terminationFuture().removeListener(callerTermination);
        }
        int res = Native.close(fd);
        if (directFd >= 0) {
            Native.close(directFd);
        }
        if (res < 0) {
            closePromise.tryFailure(Native.ioException("close(" + name + ')', res));
        } else {
            closePromise.trySuccess(null);
        }
    }

    /** Whether the file accepts operations: false from the moment {@link #close()} is called. */
    public boolean isOpen() {
        return state == OPEN;
    }

    // ---------------------------------------------------------------- accessors

    /** The path it was opened with, or {@code "fd N"} when adopted. */
    public String name() {
        return name;
    }

    /** The descriptor, for syscalls of your own while the file is open (do not close it). */
    public int fd() {
        return fd;
    }

    /** The O_DIRECT alignment found at open. */
    public AioFileAlignment alignment() {
        return alignment;
    }

    /** The pooled allocator aligned for this file: use it for buffers you read into or write from. */
    public PooledByteBufAllocator allocator() {
        return allocator;
    }

    /** Whether the file was opened with {@code O_DIRECT}. */
    public boolean isDirect() {
        return direct;
    }

    public boolean isReadable() {
        return readable;
    }

    public boolean isWritable() {
        return writable;
    }

    public boolean isBlockDevice() {
        return blockDevice;
    }

    /** The read policy in effect (irrelevant for a file opened with {@link AioOpenOption#DIRECT}). */
    public ReadPolicy readPolicy() {
        return readPolicy;
    }

    /**
     * Whether buffered reads can reach the disk without blocking: the file is O_DIRECT, or has an O_DIRECT
     * descriptor. With {@link ReadPolicy#HYBRID} that descriptor is opened at the first page-cache miss; until then
     * this answers true, and false once the filesystem has refused it.
     */
    public boolean hasDirectPath() {
        return direct || directFd >= 0 || directFd == DIRECT_FD_LATER;
    }

    /**
     * {@link #hasDirectPath()}, opening the HYBRID file's O_DIRECT descriptor if that is still to do. Engine thread.
     *
     * @throws IOException when that open failed for want of a descriptor or memory (EMFILE, ENFILE, ENOMEM): the
     *         read that needed it fails with this, naming the errno, instead of reading the miss with a buffered
     *         read that would block the loop on the disk; the next miss tries the open again
     */
    boolean openDirectPath() throws IOException {
        if (directFd == DIRECT_FD_LATER) {
            int res = reopenDirect(fd, openFlags);
            if (res >= 0) {
                directFd = res;
            } else if (res == -Native.EMFILE || res == -Native.ENFILE || res == -Native.ENOMEM) {
                throw new IOException(name + ": no O_DIRECT descriptor for a page-cache miss, open: "
                        + Native.describeResult(res) + " (retried at the next miss; not read with a buffered read, "
                        + "which would block the event loop on the disk)");
            } else {
                logger.debug("{}: no O_DIRECT descriptor ({}); page-cache misses will be read with blocking "
                        + "buffered reads", name, Native.describeResult(res));
                directFd = -1;
            }
        }
        return hasDirectPath();
    }

    /** Where the futures complete. */
    public EventExecutor executor() {
        return completionExecutor;
    }

    public AioFileEngine engine() {
        return engine;
    }

    /** A snapshot of the counters; exact on the engine thread ({@code engine().executor()}). */
    public AioFileStats stats() {
        return new AioFileStats(reads, nowaitHits, nowaitPartialHits, nowaitMisses, directReads, directRetries,
                bufferedReads,
                blockingReads, bouncedReads, bytesRead, writes, shortWrites, bouncedWrites, bytesWritten, syncs,
                failures, pending);
    }

    @Override
    public String toString() {
        return "AioFile(" + name + ", fd=" + fd + (direct ? ", O_DIRECT" : ", " + readPolicy)
                + (state == OPEN ? "" : state == CLOSING ? ", closing" : ", closed") + ')';
    }

    // ---------------------------------------------------------------- argument checks

    private void checkReadable() {
        if (!readable) {
            throw new IllegalStateException(name + " is not open for reading (open it with StandardOpenOption.READ)");
        }
    }

    private void checkWritableForMetadata(String what) {
        if (!writable) {
            throw new IllegalStateException(what + " needs " + name + " open for writing (StandardOpenOption.WRITE)");
        }
    }

    private static void checkPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + position);
        }
    }

    private static void checkEnd(long position, long length) {
        if (length > Long.MAX_VALUE - position) {
            throw new IllegalArgumentException("position " + position + " + length " + length
                    + " overflows the largest file offset");
        }
    }

    private static void checkBuffer(ByteBuf buf, String what) {
        if (buf == null) {
            throw new NullPointerException(what);
        }
        if (buf.refCnt() == 0) {
            throw new IllegalArgumentException(what + " was already released (refCnt 0)");
        }
    }

    // ---------------------------------------------------------------- for the requests (engine thread)

    void dispatch(FileRequest<?> request) {
        if (ioExecutor.inEventLoop()) {
            request.run();
            return;
        }
        try {
            ioExecutor.execute(request);
        } catch (RejectedExecutionException e) {
            request.fail(closedException(request.describe() + " (the engine " + engine + " is shut down)"));
        }
    }

    /** Runs {@code task} on the engine thread; inline if the engine is gone (nothing else runs there any more). */
    void runOnEngine(Runnable task) {
        if (ioExecutor.inEventLoop()) {
            task.run();
            return;
        }
        try {
            ioExecutor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    void submit(FileOp op) {
        link.submit(op);
    }

    /** The descriptions for requests with {@code options}: built once per file for the default. Engine thread. */
    FileDescriptions descriptions(AioIoOptions options) {
        if (options == AioIoOptions.DEFAULT) {
            return defaultDescriptions;
        }
        FileDescriptions other = otherDescriptions;
        if (other == null || other.options() != options) {
            otherDescriptions = other = new FileDescriptions(options);
        }
        return other;
    }

    AioFileClosedException closedException(String what) {
        return new AioFileClosedException(this + " is closed: " + what + " was not done");
    }

    void requestStarted() {
        pending++;
    }

    void requestFinished(boolean failed) {
        pending--;
        if (failed) {
            failures++;
        }
        if (state == CLOSING) {
            finishCloseIfIdle();
        }
    }

    int directReadFd() {
        return direct ? fd : directFd;
    }

    /** Whether reads go straight to the direct path. */
    boolean readsDirect() {
        return direct || readPolicy == ReadPolicy.DIRECT;
    }

    /** Whether reads try the page cache first with RWF_NOWAIT. */
    boolean readsNowait() {
        return readPolicy == ReadPolicy.HYBRID && nowaitSupported;
    }

    void nowaitUnsupported() {
        if (nowaitSupported) {
            nowaitSupported = false;
            logger.debug("{}: the filesystem refuses RWF_NOWAIT reads; reading through the direct path", name);
        }
    }

    /** Whether O_DIRECT reads go with RWF_NOWAIT (until the filesystem refuses it once). */
    boolean readsDirectNowait() {
        return directNowaitSupported;
    }

    void directNowaitUnsupported() {
        if (directNowaitSupported) {
            directNowaitSupported = false;
            logger.debug("{}: the filesystem refuses RWF_NOWAIT on O_DIRECT reads; they are submitted without it "
                    + "(io_submit may then wait for the inode lock or the device queue)", name);
        }
    }

    void countDirectRetry() {
        directRetries++;
    }

    /**
     * Runs {@code retry} on the engine thread after {@code delayNanos}; runs {@code abandoned} there instead if the
     * engine shuts down first (its scheduled tasks are cancelled then), so that the request still completes.
     */
    void retryLater(Runnable retry, long delayNanos, Runnable abandoned) {
        io.netty.util.concurrent.ScheduledFuture<?> f;
        try {
            f = ioExecutor.schedule(retry, delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            abandoned.run();
            return;
        }
        f.addListener(done -> {
            if (done.isCancelled()) {
                abandoned.run();
            }
        });
    }

    void countRead() {
        reads++;
    }

    void countNowaitHit() {
        nowaitHits++;
    }

    void countNowaitPartialHit() {
        nowaitPartialHits++;
    }

    void countNowaitMiss() {
        nowaitMisses++;
    }

    void countDirectRead() {
        directReads++;
    }

    void countBufferedRead() {
        bufferedReads++;
    }

    void countBlockingRead() {
        blockingReads++;
    }

    void countBouncedRead() {
        bouncedReads++;
    }

    void countBytesRead(long n) {
        bytesRead += n;
    }

    void countWrite(boolean bounced) {
        writes++;
        if (bounced) {
            bouncedWrites++;
        }
    }

    void countShortWrite() {
        shortWrites++;
    }

    void countBytesWritten(long n) {
        bytesWritten += n;
    }

    void countSync() {
        syncs++;
    }

    /** The file's side of its engine link. */
    private final class Link implements EngineLink.Client {
        @Override
        public void unlinked() {
            unlinked = true;
            finishCloseIfIdle();
        }

        @Override
        public void hostClosing() {
            close0();
        }
    }
}

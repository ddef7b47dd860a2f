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
import io.netty.util.concurrent.Promise;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A regular file or block device read and written with kernel AIO, bound to an event loop: every future
 * completes on the executor the file was opened with, and no operation blocks that loop on the disk (see
 * {@link AioReadPolicy} for the one exception a buffered file can opt into).
 *
 * <p><b>Hosts.</b> {@link #open(EventExecutor, Path, OpenOption...)} takes the executor the caller lives on. On an
 * AIO event loop the file's iocbs go out in the loop's own {@code io_submit} batches; on an epoll loop they go
 * through one AIO context per loop whose eventfd sits in the loop's epoll set; on anything else (NIO, a plain
 * executor) a small dedicated completion thread submits and reaps, and the futures still notify their listeners on
 * the caller's executor. See {@link AioFileHost}.
 *
 * <p><b>Operations.</b> Positional {@link #read(long, int) read}, {@link #read(long, ByteBuf) read into},
 * {@link #readv(long, ByteBuf...) readv}, {@link #write(long, ByteBuf) write} and
 * {@link #writev(long, ByteBuf...) writev}, each with optional {@link AioRwOptions} ({@code RWF_*} flags, I/O
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
 *
 * <p><b>Structure.</b> This class is a facade over small package-private classes, one concern each:
 * {@link FileOpener} (opening), {@link FileArguments} (the checks that throw in the caller's thread),
 * {@link FileLifecycle} (requests on the host thread, the link to the host, closing), {@link ReadPath} (the read
 * policy and the {@code O_DIRECT} descriptor), {@link FileCounters} (what {@link #stats()} reports) and
 * {@link FileDescriptions} (the operations the requests submit). The requests ({@code ReadRequest},
 * {@code WriteRequest}, {@code SyncRequest}, {@code MetadataRequest}) use those, not this class.
 */
public final class AioFile {
    /** The largest read one request takes (the kernel caps one transfer just below 2 GiB). */
    public static final int MAX_READ_LENGTH = 1 << 30;
    /** The most buffers a vectored operation takes: {@link Native#IOV_MAX}, from the native library. */
    public static final int MAX_IOVECS = Native.IOV_MAX;

    private final String name;
    private final int fd;
    private final boolean direct;
    private final boolean readable;
    private final boolean writable;
    private final boolean blockDevice;
    private final AioFileAlignment alignment;
    private final PooledByteBufAllocator allocator;
    private final AioFileHost host;
    private final EventExecutor completionExecutor;
    private final FileArguments arguments;
    private final ReadPath readPath;
    private final FileLifecycle lifecycle;
    private final FileCounters counters = new FileCounters();
    /** Host thread. */
    private final FileDescriptions descriptions = new FileDescriptions(AioRwOptions.DEFAULT);

    AioFile(String name, int fd, int openFlags, int directFd, boolean blockDevice, AioFileAlignment alignment,
            AioFileConfig config, AioFileHost host, EventExecutor completionExecutor) {
        this.name = name;
        this.fd = fd;
        int accessMode = openFlags & NativeFiles.O_ACCMODE;
        this.direct = (openFlags & Native.O_DIRECT) != 0;
        this.readable = accessMode == Native.O_RDONLY || accessMode == Native.O_RDWR;
        this.writable = accessMode == Native.O_WRONLY || accessMode == Native.O_RDWR;
        this.blockDevice = blockDevice;
        this.alignment = alignment;
        this.allocator = AioBufferAllocator.forAlignment(alignment);
        this.host = host;
        this.completionExecutor = completionExecutor;
        this.readPath = new ReadPath(name, fd, openFlags, config.readPolicy(), directFd);
        this.arguments = new FileArguments(name, readable, writable, direct, config.strictAlignment(),
                readPath.readsDirect(), alignment);
        this.lifecycle = new FileLifecycle(this, fd, readPath, host, completionExecutor);
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
     * @param executor where the futures complete; also picks the {@link AioFileHost} unless the config names one
     * @throws NoSuchFileException as {@code Files} would
     * @throws AccessDeniedException as {@code Files} would
     * @throws FileAlreadyExistsException as {@code Files} would
     * @throws FileSystemException when {@code path} is a directory, FIFO, socket or character device (use
     *         {@code AioFdChannel} for the latter three)
     * @throws IOException when the filesystem refuses {@code O_DIRECT} ({@link AioOpenOption#DIRECT} or
     *         {@link AioReadPolicy#DIRECT}), or another errno, named
     * @throws UnsupportedOperationException for {@code DELETE_ON_CLOSE}, {@code NOFOLLOW_LINKS} or a foreign option
     */
    public static AioFile open(EventExecutor executor, Path path, AioFileConfig config, OpenOption... options)
            throws IOException {
        return FileOpener.open(executor, path, config, options);
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
        return FileOpener.adopt(executor, fd, config);
    }

    /** As {@link #adopt(EventExecutor, int, AioFileConfig)}. */
    public static AioFile adopt(EventExecutor executor, FileDescriptor fd, AioFileConfig config) throws IOException {
        return adopt(executor, fd.intValue(), config);
    }

    /**
     * A second, read-only {@code AioFile} of the file open as {@code fd}, which stays the caller's: a descriptor of
     * its own is opened through {@code /proc/self/fd/fd}, so it reads the same inode whatever became of the path
     * (a file deleted after it was opened is still read). With {@code direct} that descriptor is {@code O_DIRECT}
     * (every read goes past the page cache, so the kernel's readahead does not read the same blocks again);
     * without, reads follow {@code config}'s {@link AioReadPolicy}. For code that holds a descriptor from elsewhere
     * (a {@code FileChannel}, a region being sent) and wants its reads done with AIO. {@code name} names the file in
     * messages. Any thread; the open looks up a magic link and reads nothing from the disk.
     *
     * @throws IllegalArgumentException if {@code fd} is not a regular file or block device
     * @throws IOException naming the errno when the open fails: EINVAL with {@code direct} on a filesystem that
     *         refuses {@code O_DIRECT}, EMFILE, ENFILE, EBADF ({@code fd} not open)
     */
    public static AioFile reopen(EventExecutor executor, int fd, String name, boolean direct, AioFileConfig config)
            throws IOException {
        return FileOpener.reopen(executor, fd, name, direct, config);
    }

    // ---------------------------------------------------------------- reads

    /** {@code read(position, length, AioRwOptions.DEFAULT)}. */
    public Future<ByteBuf> read(long position, int length) {
        return read(position, length, AioRwOptions.DEFAULT);
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
    public Future<ByteBuf> read(long position, int length, AioRwOptions options) {
        arguments.checkRead(position, length, options);
        if (length == 0) {
            return completionExecutor.newSucceededFuture(Unpooled.EMPTY_BUFFER);
        }
        // The result buffer covers the aligned superset, so that the direct path reads into it in place.
        long alignedStart = alignment.alignDown(position);
        int capacity = (int) (alignment.alignUp(position + length) - alignedStart);
        ByteBuf result = allocator.directBuffer(capacity, capacity);
        int head = (int) (position - alignedStart);
        result.writerIndex(head);
        Promise<Object> promise = (Promise<Object>) (Promise<?>) completionExecutor.<ByteBuf>newPromise();
        ReadRequest op = ReadRequest.take().init(this, promise, ReadRequest.ALLOCATE, position, length, options,
                result, head, alignedStart);
        return (Future<ByteBuf>) (Future<?>) op.dispatch();
    }

    /** {@code read(position, dst, AioRwOptions.DEFAULT)}. */
    public Future<Integer> read(long position, ByteBuf dst) {
        return read(position, dst, AioRwOptions.DEFAULT);
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
    public Future<Integer> read(long position, ByteBuf dst, AioRwOptions options) {
        int size = arguments.checkReadInto(position, dst, options);
        Promise<Object> promise = completionExecutor.newPromise();
        if (size == 0) {
            promise.setSuccess(0);
            return (Future<Integer>) (Future<?>) promise;
        }
        ReadRequest op = ReadRequest.take().init(this, promise, ReadRequest.INTO, position, size, options, dst.retain(),
                dst.writerIndex(), 0);
        return (Future<Integer>) (Future<?>) op.dispatch();
    }

    /** {@code readv(position, AioRwOptions.DEFAULT, dsts)}. */
    public Future<Long> readv(long position, ByteBuf... dsts) {
        return readv(position, AioRwOptions.DEFAULT, dsts);
    }

    /**
     * Scatter read: fills each destination's writable bytes in order, one kernel operation when the memory allows
     * ({@code IOCB_CMD_PREADV}), and advances their writer indices. The future gives the total.
     *
     * @throws IllegalArgumentException as {@link #read(long, ByteBuf, AioRwOptions)} for each destination, for no
     *         destination or more than {@link #MAX_IOVECS}, or a total above {@link #MAX_READ_LENGTH}
     */
    @SuppressWarnings("unchecked")
    public Future<Long> readv(long position, AioRwOptions options, ByteBuf... dsts) {
        FileArguments.checkVector(dsts, "readv", "dsts");
        int[] starts = new int[dsts.length];
        int[] sizes = new int[dsts.length];
        long total = arguments.checkReadv(position, options, dsts, starts, sizes);
        Promise<Object> promise = completionExecutor.newPromise();
        if (total == 0) {
            promise.setSuccess(0L);
            return (Future<Long>) (Future<?>) promise;
        }
        ByteBuf[] held = new ByteBuf[dsts.length];
        for (int i = 0; i < dsts.length; i++) {
            held[i] = dsts[i].retain();
        }
        ReadRequest op = ReadRequest.take().initVector(this, promise, position, (int) total, options, held, starts,
                sizes);
        return (Future<Long>) (Future<?>) op.dispatch();
    }

    // ---------------------------------------------------------------- writes

    /** {@code write(position, src, AioRwOptions.DEFAULT)}. */
    public Future<Void> write(long position, ByteBuf src) {
        return write(position, src, AioRwOptions.DEFAULT);
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
    public Future<Void> write(long position, ByteBuf src, AioRwOptions options) {
        return writeFrom(position, options, src);
    }

    /** {@code writev(position, AioRwOptions.DEFAULT, srcs)}. */
    public Future<Void> writev(long position, ByteBuf... srcs) {
        return writev(position, AioRwOptions.DEFAULT, srcs);
    }

    /**
     * Gather write of each source's readable bytes, in order, at {@code position} ({@code IOCB_CMD_PWRITEV}); as
     * {@link #write(long, ByteBuf, AioRwOptions)} otherwise.
     */
    public Future<Void> writev(long position, AioRwOptions options, ByteBuf... srcs) {
        FileArguments.checkVector(srcs, "writev", "srcs");
        return writeFrom(position, options, srcs);
    }

    private Future<Void> writeFrom(long position, AioRwOptions options, ByteBuf... srcs) {
        long total = arguments.checkWrite(position, options, srcs);
        if (total == 0) {
            return completionExecutor.newSucceededFuture(null);
        }
        boolean gather = arguments.checkWriteMemory(position, total, srcs);
        ByteBuf[] held = new ByteBuf[srcs.length];
        for (int i = 0; i < srcs.length; i++) {
            held[i] = srcs[i].retain();
        }
        WriteRequest op;
        try {
            op = new WriteRequest(this, completionExecutor.newPromise(), position, total, options, held, gather);
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
        return new SyncRequest(this, completionExecutor.newPromise(), false).dispatch();
    }

    /** fdatasync(2) as an AIO operation: data (and the metadata needed to read it) durable on success. */
    public Future<Void> fdatasync() {
        return new SyncRequest(this, completionExecutor.newPromise(), true).dispatch();
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
        arguments.checkFallocate(position, length);
        return MetadataRequest.fallocate(this, completionExecutor.newPromise(), mode, position, length).dispatch();
    }

    /**
     * ftruncate(2): sets the file's size, cutting or extending with a hole. Runs on the metadata pool.
     *
     * @throws IllegalArgumentException for a negative size
     * @throws IllegalStateException if the file is not open for writing
     */
    public Future<Void> truncate(long size) {
        arguments.checkTruncate(size);
        return MetadataRequest.truncate(this, completionExecutor.newPromise(), size).dispatch();
    }

    /**
     * The file's size ({@code statx}), or a block device's ({@code BLKGETSIZE64}). Runs in the calling thread: a
     * metadata lookup that does not touch the disk for an open file.
     *
     * @throws AioFileClosedException if the file is closed or closing
     */
    public long size() throws IOException {
        if (!isOpen()) {
            throw lifecycle.closedException("size()");
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
        return lifecycle.close();
    }

    /** The future {@link #close()} returns, whoever triggers the close. */
    public Future<Void> closeFuture() {
        return lifecycle.closeFuture();
    }

    /** Whether the file accepts operations: false from the moment {@link #close()} is called. */
    public boolean isOpen() {
        return lifecycle.isOpen();
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
    public AioReadPolicy readPolicy() {
        return readPath.policy();
    }

    /**
     * Whether buffered reads can reach the disk without blocking: the file is O_DIRECT, or has an O_DIRECT
     * descriptor. With {@link AioReadPolicy#HYBRID} that descriptor is opened at the first page-cache miss; until then
     * this answers true, and false once the filesystem has refused it.
     */
    public boolean hasDirectPath() {
        return readPath.hasDirectPath();
    }

    /** Where the futures complete. */
    public EventExecutor executor() {
        return completionExecutor;
    }

    public AioFileHost host() {
        return host;
    }

    /** A snapshot of the counters; exact on the host thread ({@code host().executor()}). */
    public AioFileStats stats() {
        return counters.snapshot(lifecycle.pending());
    }

    @Override
    public String toString() {
        return "AioFile(" + name + ", fd=" + fd + (direct ? ", O_DIRECT" : ", " + readPath.policy())
                + lifecycle.describeState() + ')';
    }

    // ---------------------------------------------------------------- the parts, for the requests

    FileLifecycle lifecycle() {
        return lifecycle;
    }

    FileCounters counters() {
        return counters;
    }

    ReadPath readPath() {
        return readPath;
    }

    /** The descriptions for requests with {@code options}: built once per file for the default. Host thread. */
    FileDescriptions descriptions(AioRwOptions options) {
        return descriptions.of(options);
    }
}

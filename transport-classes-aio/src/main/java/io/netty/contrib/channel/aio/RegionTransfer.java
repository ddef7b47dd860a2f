/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoop;
import io.netty.contrib.channel.aio.core.AioIoException;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.contrib.channel.aio.core.NativeSockets;
import io.netty.contrib.channel.aio.file.AioFile;
import io.netty.contrib.channel.aio.file.AioFileConfig;
import io.netty.contrib.channel.aio.file.AioReadPolicy;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.netty.util.internal.SystemPropertyUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static io.netty.channel.internal.ChannelUtils.WRITE_STATUS_SNDBUF_FULL;

/**
 * How one stream channel sends {@link DefaultFileRegion}s without its event loop waiting for the disk. Per span
 * the page cache is asked ({@code cachestat}): a span it holds whole goes out with {@code sendfile}, zero copy; a
 * span it does not is read with AIO ({@link AioFile#reopen}: an {@code O_DIRECT} descriptor of the same file, so
 * the kernel's readahead does not read the blocks a second time) into aligned pooled buffers, at most
 * {@link #READ_AHEAD} reads of {@link #READ_SIZE} bytes ahead of the socket, and written from there. The region
 * stays at the head of the outbound buffer meanwhile: {@link #write} answers {@link #WAITING} and the completion
 * of the read resumes the flush. A region made of a {@link File} and not open yet is opened with
 * {@code openat2(RESOLVE_CACHED)}, or, when that would wait, on {@link RegionOpens}' pool.
 *
 * <p><b>Threading.</b> The channel's event loop only: {@link #write} from {@code doWrite}, the read and open
 * completions (their futures complete on that loop), {@link #closing} from {@code prepareToClose}.
 *
 * <p><b>Ownership.</b> The region stays the outbound buffer's, which releases it once sent or failed. A read's
 * buffer is the reader's ({@link AioFile}) until its future completes — the kernel's until then — and this object's
 * from then on: released once written, or at once when the transfer was abandoned meanwhile. {@link #closing}
 * makes the channel's close wait for the reads still in flight, so no buffer is freed under the kernel and the
 * close future completes after the last completion (DESIGN.md, memory rules 2 and 4).
 */
final class RegionTransfer {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(RegionTransfer.class);

    /**
     * Bytes per AIO read of a span not in the page cache: 128 KiB, the kernel's default readahead window (what
     * a buffered read of the same span would have asked of the device) and a multiple of every O_DIRECT
     * alignment. Property {@code io.netty.aio.region.readSize}, rounded to 4096, 4 KiB..16 MiB.
     */
    static final int READ_SIZE;
    /**
     * AIO reads kept ahead of the socket per channel: 4, so 512 KiB of buffers at most per connection that sends
     * a cold region; the device has the next reads queued while the socket drains the first. Property
     * {@code io.netty.aio.region.readAhead}, 1..64.
     */
    static final int READ_AHEAD;
    /** {@link #write}'s answer while a read or an open is in flight: no progress, and no EPOLLOUT to wait for. */
    static final int WAITING = Integer.MIN_VALUE;
    /** The most one sendfile is asked for when the cache holds it all; the socket takes less anyway. */
    private static final long SENDFILE_SPAN = 4L << 20;
    private static final AioFileConfig HYBRID = new AioFileConfig().readPolicy(AioReadPolicy.HYBRID);
    private static final AioFileConfig DIRECT = new AioFileConfig();
    /** cachestat(2) answered ENOSYS once (a kernel before 6.5, or seccomp): every span is probed by reading it. */
    private static volatile boolean cachestatMissing;

    static {
        int size = SystemPropertyUtil.getInt("io.netty.aio.region.readSize", 128 * 1024);
        READ_SIZE = Math.max(4096, Math.min(16 << 20, size & ~4095));
        READ_AHEAD = Math.max(1, Math.min(64, SystemPropertyUtil.getInt("io.netty.aio.region.readAhead", 4)));
    }

    private final AbstractAioStreamChannel<?> channel;

    /** The region being sent, or null; {@link #fd} its file's descriptor once open. */
    private DefaultFileRegion region;
    private int fd = -1;
    private String name;
    /** Reads the region's spans that are not in the page cache; opened at the first one, closed with the region. */
    private AioFile reader;
    /** No cachestat for this file: spans are read with RWF_NOWAIT first (a hit costs a copy, not a wait). */
    private boolean probeByRead;
    /** The filesystem refuses O_DIRECT: sendfile, as epoll (a miss then waits for the disk on the loop). */
    private boolean sendfileOnly;
    /** The region's file is being opened on the open pool. */
    private boolean opening;
    private IOException openFailure;
    /** Bumped when a transfer is abandoned: a completion of an older one only gives its buffer back. */
    private int generation;

    /** The reads of the region in order, a ring of {@link #READ_AHEAD}: in flight or done and not yet written. */
    private Slot[] slots;
    private int head;
    private int queued;
    /** Region offset where the next read starts. */
    private long nextRead;
    /** Reads the kernel has, of any generation: the close waits for them. */
    private int inFlight;
    private Runnable whenIdle;

    RegionTransfer(AbstractAioStreamChannel<?> channel) {
        this.channel = channel;
    }

    /**
     * Writes what can be written of {@code region}, the outbound buffer's current message, and removes it once all
     * of it is sent. Returns 1 when bytes went out, {@code WRITE_STATUS_SNDBUF_FULL} when the socket took none,
     * 0 when the region was removed without progress, {@link #WAITING} while a read or the open is in flight.
     *
     * @throws IOException the region cannot be sent (its file is shorter than the region, is not a regular file,
     *         cannot be opened or read); the transfer is abandoned
     */
    int write(ChannelOutboundBuffer in, DefaultFileRegion region) throws Exception {
        try {
            if (region.transferred() >= region.count()) {
                // Nothing (left) to send: not even opened, as on epoll.
                if (region == this.region) {
                    end();
                }
                in.remove();
                return 0;
            }
            if (region != this.region && !begin(region)) {
                return WAITING;
            }
            if (opening) {
                return WAITING;
            }
            if (openFailure != null) {
                IOException e = openFailure;
                openFailure = null;
                throw e;
            }
            long count = region.count();
            long sent = region.transferred();
            if (queued > 0) {
                return writeHead(in, count);
            }
            long left = count - sent;
            long filePosition = region.position() + sent;
            if (!probeByRead && !sendfileOnly) {
                long span = Math.min(left, SENDFILE_SPAN);
                if (resident(filePosition, span)) {
                    return sendfile(in, sent, span);
                }
                long first = Math.min(left, firstRead(filePosition));
                if (first < span && resident(filePosition, first)) {
                    return sendfile(in, sent, first);
                }
            }
            if (sendfileOnly || reader == null && !openReader()) {
                return sendfile(in, sent, Math.min(left, SENDFILE_SPAN));
            }
            nextRead = sent;
            issueReads(count);
            return writeHead(in, count);
        } catch (Throwable t) {
            abandon();
            throw t;
        }
    }

    /**
     * The output was shut down: Netty fails the outbound buffer, region included, and writes no more. Buffers read
     * and not written are released now, reads in flight when they complete; a later close still waits for those.
     */
    void outputShutdown() {
        abandon();
    }

    /**
     * The channel closes: abandons the transfer (buffers read and not written are released now, those still in
     * the kernel's hands when their reads complete) and answers where the close is to run — {@code next} (the
     * loop when null) if no read is in flight, else an executor that hands the close to {@code next} once the last
     * read has completed.
     */
    Executor closing(Executor next) {
        abandon();
        if (inFlight == 0) {
            return next;
        }
        return task -> whenIdle = next == null ? task : () -> next.execute(task);
    }

    // ---------------------------------------------------------------- a region's start and end

    /** Starts on a new region; false while its file is being opened off the loop. */
    private boolean begin(DefaultFileRegion region) throws IOException {
        if (this.region != null) {
            abandon();
        }
        this.region = region;
        probeByRead = cachestatMissing;
        sendfileOnly = false;
        openFailure = null;
        int regionFd = NativeSockets.regionFd(region);
        if (regionFd >= 0) {
            return opened(regionFd, NativeFiles.fdType(regionFd));
        }
        File file = NativeSockets.regionPath(region);
        if (file == null || region.refCnt() == 0) {
            throw new IOException(describe() + ": the region's file is closed (the region was released)");
        }
        // Absolute as File resolves it, against user.dir: RandomAccessFile, which open() uses, does the same.
        String path = file.getAbsolutePath();
        int res = NativeFiles.openat2(-1, path, RegionOpens.FLAGS, NativeFiles.RESOLVE_CACHED);
        if (res >= 0) {
            return install(res, NativeFiles.fdType(res));
        }
        if (res == -Native.EAGAIN || res == -Native.EINVAL || res == -Native.ENOSYS) {
            // Not in the dentry cache (or no RESOLVE_CACHED before Linux 5.12): open where waiting is allowed.
            RegionOpens.open(this, region, generation, path);
            opening = true;
            return false;
        }
        throw RegionOpens.openFailure(path, res);
    }

    /** A descriptor opened for a region made of a File: the region owns it from now on. */
    private boolean install(int newFd, int type) throws IOException {
        FileChannel fileChannel;
        try {
            fileChannel = new FileInputStream(NativeFiles.newFileDescriptor(newFd)).getChannel();
        } catch (RuntimeException e) {
            Native.close(newFd);
            throw e;
        }
        if (NativeSockets.regionSetChannel(region, fileChannel) != 0) {
            // Opened meanwhile by someone calling region.open(): use that one.
            fileChannel.close();
            newFd = NativeSockets.regionFd(region);
            type = NativeFiles.fdType(newFd);
        }
        return opened(newFd, type);
    }

    private boolean opened(int regionFd, int type) throws IOException {
        if (type != NativeFiles.S_IFREG && type != NativeFiles.S_IFBLK) {
            throw new IOException(describe() + ": " + name(regionFd) + " is "
                    + (type < 0 ? "not readable (fstat: " + Native.describeResult(type) + ')'
                            : NativeFiles.describeFileType(type))
                    + ", not a regular file: a DefaultFileRegion sends part of a file");
        }
        fd = regionFd;
        return true;
    }

    /** Completion of an open on the pool, on the loop: {@code res} a descriptor or -errno. */
    void openedOffLoop(DefaultFileRegion region, int gen, String path, int res, int type) {
        if (gen != generation || region != this.region || region.refCnt() == 0) {
            if (res >= 0) {
                Native.close(res);
            }
            return;
        }
        opening = false;
        AioIoHandler handler = handler();
        if (handler != null) {
            handler.countRegionOffLoopOpen();
        }
        if (res < 0) {
            openFailure = RegionOpens.openFailure(path, res);
        } else {
            try {
                install(res, type);
            } catch (IOException | RuntimeException e) {
                openFailure = e instanceof IOException ? (IOException) e : new IOException(e);
            }
        }
        resume();
    }

    /** The region was sent: the reader goes (nothing of it is in flight), the channel's state stays for reuse. */
    private void end() {
        closeReader();
        region = null;
        fd = -1;
        name = null;
        nextRead = 0;
    }

    /**
     * Gives the transfer up (failure, close, a region that left the outbound buffer under it): buffers read are
     * released, reads in flight are left to complete into a ring of their own, the reader closes once they have.
     */
    private void abandon() {
        generation++;
        Slot[] s = slots;
        boolean pending = false;
        for (int i = 0; i < queued; i++) {
            Slot slot = s[(head + i) % s.length];
            if (slot.inFlight) {
                pending = true;
            } else {
                slot.clear();
            }
        }
        if (pending) {
            // Their completions still come to those slots; the next region starts with new ones.
            slots = null;
        }
        head = 0;
        queued = 0;
        opening = false;
        end();
    }

    private void closeReader() {
        AioFile r = reader;
        if (r != null) {
            reader = null;
            // Completes once the reads it still has are done; then its O_DIRECT descriptor closes.
            r.close();
        }
    }

    // ---------------------------------------------------------------- the two paths

    /** Whether the page cache holds all of {@code [position, position + length)}; false if it cannot tell. */
    private boolean resident(long position, long length) {
        long pages = (position + length - 1) / NativeFiles.PAGE_SIZE - position / NativeFiles.PAGE_SIZE + 1;
        long res = NativeFiles.cachestat(fd, position, length);
        if (res < 0) {
            // ENOSYS (Linux before 6.5, or a seccomp filter), EOPNOTSUPP (hugetlbfs): read every span with
            // RWF_NOWAIT first instead, which a hit completes from the cache without waiting either.
            probeByRead = true;
            if (res == -Native.ENOSYS && !cachestatMissing) {
                cachestatMissing = true;
                logger.debug("cachestat(2) is not available ({}): DefaultFileRegions are read with RWF_NOWAIT "
                        + "and AIO instead of sendfile", Native.describeResult(res));
            }
            return false;
        }
        return res == pages;
    }

    private int sendfile(ChannelOutboundBuffer in, long offset, long length) throws IOException {
        long n = channel.socket.sendFile(region, offset, length);
        if (n > 0) {
            in.progress(n);
            AioIoHandler handler = handler();
            if (handler != null) {
                handler.countRegionSendfile(n);
            }
            if (region.transferred() >= region.count()) {
                end();
                in.remove();
            }
            return 1;
        }
        // 0: a full socket buffer, or the end of the file (sendfile answers 0 there too).
        long size = NativeFiles.fdSize(fd);
        if (size >= 0 && region.position() + offset >= size) {
            throw truncated(offset, size);
        }
        return WRITE_STATUS_SNDBUF_FULL;
    }

    /** Opens the reader at the region's first span the cache lacks; false if the filesystem refuses O_DIRECT. */
    private boolean openReader() throws IOException {
        try {
            reader = AioFile.reopen(channel.eventLoop(), fd, name(fd), !probeByRead, probeByRead ? HYBRID : DIRECT);
            return true;
        } catch (AioIoException e) {
            if (e.expectedErr() != -Native.EINVAL) {
                throw new IOException(describe() + ": no descriptor to read the spans the page cache lacks", e);
            }
            // tmpfs before 6.6, some FUSE: no O_DIRECT. Reading through the cache could wait on the loop anyway.
            sendfileOnly = true;
            logger.debug("{}: O_DIRECT refused ({}); sent with sendfile, which may wait for the disk on the loop",
                    name(fd), e.getMessage());
            return false;
        } catch (IllegalArgumentException e) {
            throw new IOException(describe() + ": " + e.getMessage(), e);
        }
    }

    /** Bytes from {@code position} to the next multiple of {@link #READ_SIZE}: later reads start aligned. */
    private static long firstRead(long position) {
        return READ_SIZE - position % READ_SIZE;
    }

    private void issueReads(long count) {
        Slot[] s = slots;
        if (s == null) {
            s = slots = new Slot[READ_AHEAD];
            for (int i = 0; i < s.length; i++) {
                s[i] = new Slot();
            }
        }
        while (queued < s.length && nextRead < count) {
            long position = region.position() + nextRead;
            int length = (int) Math.min(firstRead(position), count - nextRead);
            if (queued > 0 && !probeByRead && resident(position, length)) {
                // Cached: sendfile takes it once the reads before it are written.
                break;
            }
            Slot slot = s[(head + queued) % s.length];
            slot.start(generation, length);
            queued++;
            inFlight++;
            nextRead += length;
            AioIoHandler handler = handler();
            if (handler != null) {
                handler.countRegionAioRead();
            }
            // A completion that comes at once (a failure) runs the listener now: writeHead looks at the slot next.
            reader.read(position, length).addListener(slot);
        }
    }

    /** Writes from the oldest read, if it has completed. */
    private int writeHead(ChannelOutboundBuffer in, long count) throws Exception {
        Slot[] s = slots;
        Slot slot = s[head];
        if (slot.inFlight) {
            return WAITING;
        }
        long offset = region.transferred();
        if (slot.cause != null) {
            throw new IOException(describe() + ": reading " + slot.length + " bytes at offset " + offset
                    + " failed: " + slot.cause.getMessage(), slot.cause);
        }
        ByteBuf data = slot.data;
        if (!data.isReadable()) {
            // The read came back short: the file ends before the region does.
            throw truncated(offset, NativeFiles.fdSize(fd));
        }
        long n = channel.doWriteOrSendBytes(data, null, false);
        if (n <= 0) {
            return WRITE_STATUS_SNDBUF_FULL;
        }
        data.skipBytes((int) n);
        slot.remaining -= (int) n;
        in.progress(n);
        NativeSockets.regionAddTransferred(region, n);
        AioIoHandler handler = handler();
        if (handler != null) {
            handler.countRegionAioBytes(n);
        }
        if (slot.remaining == 0) {
            boolean eof = slot.eof;
            slot.clear();
            head = (head + 1) % s.length;
            queued--;
            if (eof) {
                // What the file had is sent; the reads after this one lie past its end.
                throw truncated(region.transferred(), NativeFiles.fdSize(fd));
            }
            if (region.transferred() >= count) {
                end();
                in.remove();
            } else {
                issueReads(count);
            }
        }
        return 1;
    }

    // ---------------------------------------------------------------- completions

    /** A read completed (or an open): go on with the flush, unless one is running (it looks again itself). */
    private void resume() {
        AbstractAioChannel<?>.AbstractAioUnsafe unsafe = channel.aioUnsafe();
        if (channel.isActive()) {
            unsafe.flush0();
        }
    }

    private void idle() {
        Runnable task = whenIdle;
        if (task != null && inFlight == 0) {
            whenIdle = null;
            task.run();
        }
    }

    private AioIoHandler handler() {
        AbstractAioChannel<?>.Poller p = channel.poller;
        return p == null ? null : p.aio().handler();
    }

    // ---------------------------------------------------------------- messages

    private IOException truncated(long offset, long size) {
        return new IOException(describe() + ": the file ends at " + (size < 0 ? "an unknown size ("
                + Native.describeResult(size) + ')' : size + " bytes") + ", before the region's byte at offset "
                + offset + " (file position " + (region.position() + offset) + "): it was truncated while sent");
    }

    /** The region named for messages: file, position and count. */
    private String describe() {
        DefaultFileRegion r = region;
        if (r == null) {
            return "DefaultFileRegion";
        }
        return "DefaultFileRegion(" + (fd >= 0 ? name(fd) : String.valueOf(NativeSockets.regionPath(r)))
                + ", position " + r.position() + ", count " + r.count() + ')';
    }

    /** The file's path: the region's File, else where the descriptor's magic link points (messages only). */
    private String name(int regionFd) {
        String n = name;
        if (n == null) {
            File f = region == null ? null : NativeSockets.regionPath(region);
            if (f != null) {
                n = f.getPath();
            } else {
                int[] err = new int[1];
                byte[] target = NativeFiles.readlinkat(-1, "/proc/self/fd/" + regionFd, err);
                n = target != null ? new String(target, StandardCharsets.UTF_8) : "fd " + regionFd;
            }
            name = n;
        }
        return n;
    }

    /** One read of the ring: in flight, then its data until written. Loop thread. */
    private final class Slot implements FutureListener<ByteBuf> {
        private int gen;
        int length;
        int remaining;
        boolean inFlight;
        /** The read came back short: the file ended inside it. */
        boolean eof;
        ByteBuf data;
        Throwable cause;

        void start(int gen, int length) {
            this.gen = gen;
            this.length = length;
            this.remaining = length;
            inFlight = true;
            eof = false;
        }

        void clear() {
            if (data != null) {
                data.release();
                data = null;
            }
            cause = null;
        }

        @Override
        public void operationComplete(Future<ByteBuf> f) {
            inFlight = false;
            RegionTransfer.this.inFlight--;
            if (gen != generation) {
                if (f.isSuccess()) {
                    f.getNow().release();
                }
                idle();
                return;
            }
            if (f.isSuccess()) {
                data = f.getNow();
                // Fewer bytes only at the end of the file: the region reaches past it.
                eof = data.readableBytes() < length;
                remaining = Math.min(remaining, data.readableBytes());
            } else {
                cause = f.cause();
            }
            idle();
            resume();
        }
    }

    /**
     * The pool that opens the files of regions the dentry cache cannot answer for: {@link #THREADS} daemon
     * threads ({@code aio-region-open}, idle ones stop after 30 s), a queue of {@link #QUEUE} opens; an open
     * beyond that fails its region rather than queue without bound. Threads start at the first miss.
     */
    static final class RegionOpens {
        /** O_NONBLOCK: a FIFO's open would otherwise wait for a writer; a regular file's reads ignore it. */
        static final int FLAGS = Native.O_RDONLY | Native.O_CLOEXEC | Native.O_NONBLOCK;
        static final int THREADS = Math.max(1, SystemPropertyUtil.getInt("io.netty.aio.region.openThreads", 4));
        static final int QUEUE = Math.max(1, SystemPropertyUtil.getInt("io.netty.aio.region.openQueue", 1024));

        private RegionOpens() {
        }

        private static final class Pool {
            static final ThreadPoolExecutor EXECUTOR;

            static {
                EXECUTOR = new ThreadPoolExecutor(THREADS, THREADS, 30,
                        TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                        new DefaultThreadFactory("aio-region-open", true));
                EXECUTOR.allowCoreThreadTimeOut(true);
            }
        }

        /** Queues the open; its completion goes to {@link RegionTransfer#openedOffLoop} on the channel's loop. */
        static void open(RegionTransfer transfer, DefaultFileRegion region, int gen, String path)
                throws IOException {
            EventLoop loop = transfer.channel.eventLoop();
            try {
                Pool.EXECUTOR.execute(() -> {
                    int res = Native.open(path, FLAGS, 0);
                    int type = res >= 0 ? NativeFiles.fdType(res) : 0;
                    try {
                        loop.execute(() -> transfer.openedOffLoop(region, gen, path, res, type));
                    } catch (RejectedExecutionException e) {
                        // The loop is gone: nobody will take the descriptor.
                        if (res >= 0) {
                            Native.close(res);
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                throw new IOException("open(" + path + "): " + QUEUE + " opens already wait for "
                        + "the " + THREADS + " aio-region-open threads (the filesystem is slow to answer); raise "
                        + "io.netty.aio.region.openQueue or openThreads", e);
            }
        }

        static IOException openFailure(String path, int res) {
            if (res == -Native.ENOENT) {
                return new FileNotFoundException(path + " (open: " + Native.describeResult(res) + ')');
            }
            return Native.ioException("open(" + path + ")", res);
        }
    }
}

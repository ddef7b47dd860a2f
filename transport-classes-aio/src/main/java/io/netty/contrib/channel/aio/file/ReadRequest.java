/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.internal.NowaitBackoff;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Promise;

import java.io.IOException;

/**
 * A read request: {@code length} bytes at {@code position} into the writable regions of {@code dsts}, in order,
 * through up to two kernel operations:
 * <ol>
 *   <li>on a buffered descriptor under {@link AioReadPolicy#HYBRID}: {@code RWF_NOWAIT} straight into the
 *   destination — a page-cache hit ends here;</li>
 *   <li>on the direct path (an {@code O_DIRECT} file, {@link AioReadPolicy#DIRECT}, or the rest after a miss or a
 *   partial hit): the aligned superset of what is left, into the destination itself when it is aligned (or is
 *   the file's own result buffer, allocated with room for the superset), else into an aligned bounce buffer that
 *   is copied out;</li>
 *   <li>or, without a direct path, a plain buffered read.</li>
 * </ol>
 * A short result on the direct or buffered path ends the request only at end of file; in the middle of the file
 * the rest is read (see {@link #continueAfterShortRead}). The request holds one reference to each destination from
 * the caller's call until it ends.
 *
 * <p><b>No allocation per read.</b> Requests are pooled per thread ({@link #take()}; a request returns to the pool of
 * the thread it ends on, its host thread), one destination is kept in fields rather than one-element arrays, and
 * each kernel operation is one of the file's prebuilt {@link FileDescriptions}: a read into an aligned buffer, or
 * into a result buffer of {@code read(position, length)}, allocates nothing but its promise (and that result
 * buffer). Slices of a destination are made only when a read continues after part of it (a partial page-cache hit,
 * a short read), arrays only for {@code readv}.
 */
final class ReadRequest extends FileRequest<Object> {
    /** read(position, length): the result buffer is ours and handed over on success. */
    static final int ALLOCATE = 0;
    /** read(position, dst): completes with the byte count. */
    static final int INTO = 1;
    /** readv(position, dsts...): completes with the byte count as a Long. */
    static final int VECTOR = 2;

    private static final int STAGE_NOWAIT = 0;
    private static final int STAGE_DIRECT = 1;
    private static final int STAGE_BUFFERED = 2;
    /** Requests a thread keeps for reuse: a loop's reads in flight at once, with room to spare. */
    private static final int POOL_CAPACITY = 256;
    private static final FastThreadLocal<Pool> POOL = new FastThreadLocal<Pool>() {
        @Override
        protected Pool initialValue() {
            return new Pool();
        }
    };

    private int kind;
    private long position;
    private int length;
    private AioRwOptions options;
    private ReadPath path;
    private FileDescriptions descriptions;
    /** The one destination of ALLOCATE and INTO; its region starts at {@link #dstStart}, {@link #length} long. */
    private ByteBuf dst;
    private int dstStart;
    /** VECTOR: the destinations, each one's writerIndex when the request was made, and each one's share. */
    private ByteBuf[] dsts;
    private int[] starts;
    private int[] sizes;
    /** ALLOCATE: the file offset of the result buffer's index 0 (the aligned start of the request). */
    private long bufferBase;

    private int done;
    private int stage;
    /** Bytes asked of the kernel in the current operation, from {@code position + done}. */
    private int asked;
    /** The aligned bounce buffer of the current operation, or null. */
    private ByteBuf bounce;
    /** The file offset of the current operation's first byte (an aligned start on the direct path). */
    private long opStart;
    /** Whether the current direct operation carries our RWF_NOWAIT. */
    private boolean directNowait;
    private int directRetries;
    /** The last count boxed for a {@code Future<Integer>}: reads of one size box it once. Kept across reuse. */
    private Integer boxedCount;
    private ReadRequest nextFree;

    private ReadRequest() {
    }

    /** A request from the calling thread's pool, or a new one; to be {@linkplain #init initialised}. */
    static ReadRequest take() {
        return POOL.get().take();
    }

    /** read(position, length) ({@code ALLOCATE}) or read(position, dst) ({@code INTO}): one destination. */
    ReadRequest init(AioFile file, Promise<Object> promise, int kind, long position, int length, AioRwOptions options,
                ByteBuf dst, int dstStart, long bufferBase) {
        init(file, promise);
        this.path = file.readPath();
        this.kind = kind;
        this.position = position;
        this.length = length;
        this.options = options;
        this.dst = dst;
        this.dstStart = dstStart;
        this.bufferBase = bufferBase;
        return this;
    }

    /** readv(position, dsts...): each destination's region from {@code starts[i]}, {@code sizes[i]} long. */
    ReadRequest initVector(AioFile file, Promise<Object> promise, long position, int length, AioRwOptions options,
                      ByteBuf[] dsts, int[] starts, int[] sizes) {
        init(file, promise);
        this.path = file.readPath();
        this.kind = VECTOR;
        this.position = position;
        this.length = length;
        this.options = options;
        this.dsts = dsts;
        this.starts = starts;
        this.sizes = sizes;
        return this;
    }

    @Override
    void ended() {
        file = null;
        life = null;
        counters = null;
        path = null;
        promise = null;
        options = null;
        descriptions = null;
        dst = null;
        dsts = null;
        starts = null;
        sizes = null;
        set(null, (ByteBuf) null, 0);
        done = 0;
        stage = 0;
        asked = 0;
        opStart = 0;
        directNowait = false;
        directRetries = 0;
        POOL.get().put(this);
    }

    @Override
    String describe() {
        return (kind == VECTOR ? "readv(position=" : "read(position=") + position + ", length=" + length + ')';
    }

    @Override
    void start() {
        counters.countRead();
        descriptions = file.descriptions(options);
        if (path.readsDirect()) {
            submitDirect();
        } else if (options.nowait() || path.readsNowait()) {
            submitBuffered(STAGE_NOWAIT);
        } else if (path.policy() == AioReadPolicy.HYBRID) {
            // HYBRID on a filesystem without RWF_NOWAIT reads: the direct path is the one that cannot block.
            readPastTheCache();
        } else {
            submitBuffered(STAGE_BUFFERED);
        }
    }

    // ---------------------------------------------------------------- destinations

    private int count() {
        return dsts == null ? 1 : dsts.length;
    }

    private ByteBuf dst(int i) {
        return dsts == null ? dst : dsts[i];
    }

    private int start(int i) {
        return dsts == null ? dstStart : starts[i];
    }

    private int size(int i) {
        return dsts == null ? length : sizes[i];
    }

    // ---------------------------------------------------------------- submission

    /** The buffered path: into the destination's remaining regions (or a direct bounce if they cannot take AIO). */
    private void submitBuffered(int stage) {
        this.stage = stage;
        int rest = length - done;
        asked = rest;
        opStart = position + done;
        boolean nowait = stage == STAGE_NOWAIT;
        if (!targetRegions(file.fd(), false, nowait, false)) {
            bounce = file.allocator().directBuffer(rest, rest);
            set(descriptions.read(file.fd(), false, false, nowait), bounce, opStart);
        }
        if (!nowait) {
            counters.countBufferedRead();
        }
        submit();
    }

    /** The direct path: the aligned superset of what is left. */
    private void submitDirect() {
        submitDirect(false);
    }

    /** {@code again}: the same operation once more (after EAGAIN or EOPNOTSUPP), not counted as another read. */
    private void submitDirect(boolean again) {
        stage = STAGE_DIRECT;
        AioFileAlignment alignment = file.alignment();
        long from = position + done;
        long end = position + length;
        long alignedStart = alignment.alignDown(from);
        long alignedEnd = alignment.alignUp(end);
        int size = (int) (alignedEnd - alignedStart);
        opStart = alignedStart;
        asked = size;
        int fd = path.directReadFd();
        directNowait = !options.nowait() && path.readsDirectNowait() && NowaitBackoff.mayWait(directRetries);
        boolean targeted = false;
        if (kind == ALLOCATE) {
            ByteBuf result = dst;
            if (alignedEnd == bufferBase + result.capacity()
                    && alignment.isRegionAligned(result.memoryAddress() + (alignedStart - bufferBase), size)) {
                // Our own result buffer spans the whole superset: read into it in place.
                result.writerIndex((int) (alignedStart - bufferBase));
                set(descriptions.read(fd, true, false, directNowait), result, alignedStart);
                targeted = true;
            }
        } else if (alignedStart == from && alignedEnd == end) {
            // An aligned request goes straight into aligned memory.
            targeted = targetRegions(fd, true, directNowait, true);
        }
        if (!targeted) {
            bounce = file.allocator().directBuffer(size, size);
            set(descriptions.read(fd, true, false, directNowait), bounce, alignedStart);
            if (!again) {
                counters.countBouncedRead();
            }
        }
        if (!directNowait && !NowaitBackoff.mayWait(directRetries)) {
            counters.countBlockingRead();
        }
        if (!again) {
            counters.countDirectRead();
        }
        submit();
    }

    /**
     * Points this operation at the destination regions left after {@code done} bytes, from {@link #opStart}: the
     * destination itself when nothing was read yet and its writable bytes are exactly the region, else slices.
     * Returns false, leaving the operation as it was, when a region cannot carry AIO (heap or multi-region memory)
     * or, with {@code mustAlign}, is not aligned for O_DIRECT.
     */
    private boolean targetRegions(int fd, boolean direct, boolean nowait, boolean mustAlign) {
        if (dsts == null) {
            if (!dst.isDirect() || dst.nioBufferCount() != 1) {
                return false;
            }
            ByteBuf target = done == 0 && dst.writerIndex() == dstStart && dst.writableBytes() == length ? dst
                    : dst.slice(dstStart + done, length - done).writerIndex(0);
            if (mustAlign && !file.alignment().isAligned(target, true)) {
                return false;
            }
            set(descriptions.read(fd, direct, false, nowait), target, opStart);
            return true;
        }
        ByteBuf[] regions = remainingRegions();
        if (regions == null || mustAlign && !allAligned(regions, file.alignment())) {
            return false;
        }
        if (regions.length == 1) {
            set(descriptions.read(fd, direct, false, nowait), regions[0], opStart);
        } else {
            set(descriptions.read(fd, direct, true, nowait), regions, opStart);
        }
        return true;
    }

    private static boolean allAligned(ByteBuf[] targets, AioFileAlignment alignment) {
        for (ByteBuf t : targets) {
            if (!alignment.isAligned(t, true)) {
                return false;
            }
        }
        return true;
    }

    /**
     * readv's destination regions left after {@code done} bytes, as buffers whose writable bytes are exactly those
     * regions (the destinations themselves when nothing was read yet and they fit exactly), or {@code null} when
     * one cannot carry AIO (heap or multi-region memory).
     */
    private ByteBuf[] remainingRegions() {
        int skip = done;
        int first = 0;
        while (first < dsts.length && skip >= sizes[first]) {
            skip -= sizes[first++];
        }
        int count = dsts.length - first;
        boolean exact = skip == 0;
        for (int i = first; i < dsts.length; i++) {
            ByteBuf d = dsts[i];
            if (!d.isDirect() || d.nioBufferCount() != 1) {
                return null;
            }
            exact &= d.writerIndex() == starts[i] && d.writableBytes() == sizes[i];
        }
        if (exact && first == 0) {
            return dsts;
        }
        ByteBuf[] regions = new ByteBuf[count];
        for (int i = 0; i < count; i++) {
            int d = first + i;
            int offset = i == 0 ? skip : 0;
            regions[i] = dsts[d].slice(starts[d] + offset, sizes[d] - offset).writerIndex(0);
        }
        return regions;
    }

    // ---------------------------------------------------------------- completion

    @Override
    void complete(long res) {
        if (res < 0) {
            releaseBounce();
            if (stage == STAGE_NOWAIT && !options.nowait()) {
                if (res == -Native.EAGAIN) {
                    counters.countNowaitMiss();
                    continueAfterNowait();
                    return;
                }
                if (res == -Native.EOPNOTSUPP) {
                    // The file's filesystem cannot do RWF_NOWAIT reads: stop trying, and read this one otherwise.
                    path.nowaitUnsupported();
                    continueAfterNowait();
                    return;
                }
            }
            if (stage == STAGE_DIRECT && directNowait) {
                if (res == -Native.EAGAIN) {
                    counters.countDirectRetry();
                    long pause = NowaitBackoff.refused(path.directReadFd(), opStart, asked, directRetries++);
                    life.retryLater(this::retryDirect, pause, () -> fail(life.closedException(describe())));
                    return;
                }
                if (res == -Native.EOPNOTSUPP) {
                    // The filesystem has no RWF_NOWAIT for O_DIRECT (FMODE_NOWAIT): read as before, and stop trying.
                    path.directNowaitUnsupported();
                    submitDirect(true);
                    return;
                }
            }
            fail(failure(stage == STAGE_DIRECT ? "O_DIRECT " + call() : call(), res));
            return;
        }
        // Bytes of the request in what the kernel returned (the direct path reads from an aligned start).
        long skip = position + done - opStart;
        int got = (int) Math.max(0, Math.min(res - skip, length - done));
        if (bounce != null) {
            scatter(bounce, (int) skip, got);
            releaseBounce();
        }
        boolean wasFirstNowait = stage == STAGE_NOWAIT && done == 0;
        done += got;
        if (stage == STAGE_NOWAIT && res > 0 && done < length && !options.nowait()) {
            // A partial hit: the cache had the first pages; the rest comes from the direct path.
            counters.countNowaitPartialHit();
            continueAfterNowait();
            return;
        }
        if (wasFirstNowait) {
            counters.countNowaitHit();
        }
        if (got > 0 && done < length && stage != STAGE_NOWAIT) {
            continueAfterShortRead(res);
            return;
        }
        finish();
    }

    /**
     * The kernel returned fewer bytes than asked, some of them the request's: end of file, or a filesystem or
     * device that answers in pieces (FUSE with direct_io, network filesystems). Which one, the file's size says
     * (one statx, only on this path); in the middle of the file the rest is read from where the result ended.
     * The direct path can only start at an alignment boundary: when the result did not reach the next one, the
     * request fails naming the short count rather than loop on the same block or call the rest end of file.
     */
    private void continueAfterShortRead(long res) {
        long at = position + done;
        long size;
        try {
            size = file.size();
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (at >= size) {
            finish();
        } else if (stage == STAGE_BUFFERED) {
            submitBuffered(STAGE_BUFFERED);
        } else if (file.alignment().alignDown(at) > opStart) {
            submitDirect();
        } else {
            fail(new IOException("O_DIRECT " + call() + " on " + file.name() + ", " + describe() + ": " + res
                    + " of " + asked + " bytes at " + opStart + ", short of the next alignment boundary ("
                    + file.alignment() + ") in the middle of the file (size " + size + "): the rest cannot be read"
                    + " with O_DIRECT; use AioReadPolicy.BUFFERED for this filesystem"));
        }
    }

    private void retryDirect() {
        if (!life.isOpen()) {
            fail(life.closedException(describe()));
        } else {
            submitDirect(true);
        }
    }

    private void continueAfterNowait() {
        if (!life.isOpen()) {
            fail(life.closedException(describe()));
        } else {
            readPastTheCache();
        }
    }

    /**
     * The direct path; a blocking buffered read only where the filesystem refuses O_DIRECT for good. When the
     * O_DIRECT descriptor cannot be had for now (EMFILE), the request fails rather than block the loop.
     */
    private void readPastTheCache() {
        try {
            if (path.openDirectPath()) {
                submitDirect();
                return;
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        counters.countBlockingRead();
        submitBuffered(STAGE_BUFFERED);
    }

    private String call() {
        return count() > 1 || vector != null ? "preadv" : "pread";
    }

    /** Copies {@code n} bytes from {@code src} at {@code srcIndex} into the destination regions after {@code done}. */
    private void scatter(ByteBuf src, int srcIndex, int n) {
        int skip = done;
        for (int i = 0; i < count() && n > 0; i++) {
            if (skip >= size(i)) {
                skip -= size(i);
                continue;
            }
            int len = Math.min(size(i) - skip, n);
            dst(i).setBytes(start(i) + skip, src, srcIndex, len);
            srcIndex += len;
            n -= len;
            skip = 0;
        }
    }

    private void finish() {
        counters.countBytesRead(done);
        if (kind == ALLOCATE) {
            ByteBuf result = dst;
            result.setIndex(dstStart, dstStart + done);
            // Ownership passes to the promise: do not release it in releaseResources().
            dst = null;
            succeed(result);
            return;
        }
        if (dsts == null) {
            dst.writerIndex(dstStart + done);
            succeed(boxCount(done));
            return;
        }
        int left = done;
        for (int i = 0; i < dsts.length; i++) {
            int n = Math.min(sizes[i], left);
            dsts[i].writerIndex(starts[i] + n);
            left -= n;
        }
        succeed((long) done);
    }

    /** {@code n} as an Integer, reusing the last one boxed when equal (Integer is immutable: sharing it is safe). */
    private Integer boxCount(int n) {
        Integer boxed = boxedCount;
        if (boxed == null || boxed != n) {
            boxedCount = boxed = n;
        }
        return boxed;
    }

    private void releaseBounce() {
        if (bounce != null) {
            bounce.release();
            bounce = null;
        }
    }

    @Override
    void releaseResources() {
        releaseBounce();
        if (dst != null) {
            dst.release();
            dst = null;
        }
        if (dsts != null) {
            for (int i = 0; i < dsts.length; i++) {
                if (dsts[i] != null) {
                    dsts[i].release();
                    dsts[i] = null;
                }
            }
        }
    }

    @Override
    void discard(Object result) {
        if (result instanceof ByteBuf) {
            ((ByteBuf) result).release();
        }
    }

    /** A thread's spare requests: a stack, touched only by its thread. */
    private static final class Pool {
        private ReadRequest head;
        private int size;

        ReadRequest take() {
            ReadRequest op = head;
            if (op == null) {
                return new ReadRequest();
            }
            head = op.nextFree;
            op.nextFree = null;
            size--;
            return op;
        }

        void put(ReadRequest op) {
            if (size < POOL_CAPACITY) {
                op.nextFree = head;
                head = op;
                size++;
            }
        }
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.channel.unix.Buffer;
import io.netty.util.internal.CleanableDirectBuffer;
import io.netty.util.internal.ObjectUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A kernel AIO context ({@code io_setup}) with its iocb slab: the low-level API of this transport, in the spirit
 * of python-libaio's {@code AIOContext}, and the engine under {@code AioIoHandler}.
 *
 * <p><b>Slots.</b> The context owns {@code depth} iocbs in native memory. {@link #submit} writes each accepted
 * {@link AioBlock} into a free slot, which stays taken (and in place, since {@code io_cancel} finds requests by
 * iocb address) until the block's completion is reaped. {@code aio_data} carries the slot and a per-slot
 * generation, so a completion can only ever be delivered to the submission it belongs to.
 *
 * <p><b>Reaping.</b> Completions are read from the ring mapped in user space (no syscall) when its header is
 * understood, else with {@code io_getevents}; {@link ReapMode#SYSCALL} forces the latter. Each completion runs
 * its block's {@link AioCallback} exactly once, after releasing the buffers the context retained for it.
 *
 * <p><b>Close.</b> {@link #close()} cancels what can be cancelled, then waits until every in-flight block has
 * completed and its callback has run, and only then destroys the context and frees the slab.
 *
 * <p><b>Threading.</b> Not thread-safe: one thread at a time submits, reaps, cancels and closes (an event loop,
 * or a thread the caller synchronises). Callbacks run on that thread, inside {@link #getEvents}, {@link #reap()}
 * or {@link #close()}; they may submit and cancel but not reap or close.
 */
public final class AioContext implements AutoCloseable {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AioContext.class);

    /** Largest depth accepted: keeps slab sizes within an int and far above any sensible fs.aio-max-nr. */
    public static final int MAX_DEPTH = 1 << 20;

    /**
     * How completions are collected. The process-wide default, used by {@link #open(int)}, is RING unless the
     * system property {@value #REAP_MODE_PROPERTY} says {@code SYSCALL}: the switch that forces syscalls
     * everywhere without code changes (to compare both paths, or if a kernel's ring misbehaves).
     */
    public enum ReapMode {
        /** From the ring in user space when its header is understood, else with {@code io_getevents}. */
        RING,
        /** Always with the {@code io_getevents} syscall. */
        SYSCALL;

        /**
         * The default: {@code -D}{@value #REAP_MODE_PROPERTY}{@code =RING|SYSCALL} (any case), RING when unset;
         * read once.
         *
         * @throws IllegalArgumentException when the property has another value, naming it and the accepted ones
         */
        public static ReapMode defaultMode() {
            return AioSystemProperties.result(DefaultReapMode.VALUE, ReapMode.class);
        }
    }

    /** The system property naming the default {@link ReapMode} ({@code RING} or {@code SYSCALL}). */
    public static final String REAP_MODE_PROPERTY = "io.netty.aio.reapMode";

    /** {@link ReapMode#defaultMode()}, read on first use, so that a bad value fails that use and not class loading. */
    private static final class DefaultReapMode {
        static final Object VALUE = AioSystemProperties.attempt(
                () -> AioSystemProperties.enumValue(REAP_MODE_PROPERTY, ReapMode.class, ReapMode.RING));
    }

    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;
    private static final long CLOSE_WARN_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final long ctx;
    private final int depth;
    // One native allocation: the iocb slab | the iocb pointer array io_submit reads | the io_event array
    // io_getevents fills | the io_event io_cancel may fill. Freed by close(), after io_destroy.
    private final CleanableDirectBuffer memory;
    private final Iocb iocb;
    private final ByteBuffer pointers;
    private final long pointersAddress;
    private final long eventsAddress;
    private final IoEventArray events;
    private final long cancelResultAddress;
    private final IoEventArray cancelResult;
    private final AioRing ring;
    private final AioBlock[] owners;
    private final int[] generations;
    private final int[] freeSlots;
    private final AioBlock[] listScratch;
    private final AioBlock[] singleScratch = new AioBlock[1];
    private final CompletionSink sink = this::dispatch;
    private CleanableDirectBuffer iovScratchMemory;
    private ByteBuffer iovScratch;
    private long iovScratchAddress;
    private int freeCount;
    private int inFlight;
    private int state = OPEN;
    private boolean reaping;

    private long submitCalls;
    private long submitted;
    private long eagainCount;
    private long completions;
    private long staleCompletions;
    private long cancelRequests;

    private AioContext(long ctx, int depth, ReapMode mode) {
        this.ctx = ctx;
        this.depth = depth;
        ring = mode == ReapMode.RING ? AioRing.map(ctx) : null;
        owners = new AioBlock[depth];
        generations = new int[depth];
        freeSlots = new int[depth];
        listScratch = new AioBlock[depth];
        // Hand out low slots first: their iocbs share cache lines.
        for (int i = 0; i < depth; i++) {
            freeSlots[i] = depth - 1 - i;
        }
        freeCount = depth;
        // Last, so that nothing after it can fail and leak it.
        int slabBytes = depth * Native.SIZEOF_IOCB;
        int pointerBytes = depth * Long.BYTES;
        int eventsAt = slabBytes + pointerBytes;
        int cancelAt = eventsAt + depth * Native.SIZEOF_IO_EVENT;
        memory = Buffer.allocateDirectBufferWithNativeOrder(cancelAt + Native.SIZEOF_IO_EVENT);
        ByteBuffer all = memory.buffer();
        long base = Buffer.memoryAddress(all);
        iocb = new Iocb(all.slice(0, slabBytes).order(ByteOrder.nativeOrder()), depth);
        pointers = all.slice(slabBytes, pointerBytes).order(ByteOrder.nativeOrder());
        pointersAddress = base + slabBytes;
        eventsAddress = base + eventsAt;
        events = new IoEventArray(all, eventsAt, depth);
        cancelResultAddress = base + cancelAt;
        cancelResult = new IoEventArray(all, cancelAt, 1);
    }

    /**
     * Opens a context of {@code depth} slots reaping with {@link ReapMode#defaultMode()}; see
     * {@link #open(int, ReapMode)}.
     */
    public static AioContext open(int depth) throws IOException {
        return open(depth, ReapMode.defaultMode());
    }

    /**
     * Opens a context able to hold {@code depth} operations in flight.
     *
     * @throws IllegalArgumentException if depth is not in 1..{@link #MAX_DEPTH}
     * @throws AioIoException from io_setup: EAGAIN when the machine-wide {@code fs.aio-max-nr} would be exceeded
     *         (the message gives {@code aio-nr}, {@code aio-max-nr} and the sysctl that raises it), ENOSYS when
     *         the kernel lacks AIO, EPERM when a seccomp filter forbids it, ENOMEM
     */
    public static AioContext open(int depth, ReapMode mode) throws IOException {
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("depth must be in 1.." + MAX_DEPTH + ", got " + depth);
        }
        ObjectUtil.checkNotNull(mode, "mode");
        long ctx = Native.ioSetup(depth);
        if (ctx < 0) {
            throw AioLimits.ioSetupFailure(depth, (int) ctx);
        }
        try {
            return new AioContext(ctx, depth, mode);
        } catch (Throwable t) {
            Native.ioDestroy(ctx);
            throw t;
        }
    }

    // ---------------------------------------------------------------- submission

    /** Submits one block; returns 1 if the kernel accepted it, 0 if there was no room (slab full or EAGAIN). */
    public int submit(AioBlock block) throws IOException {
        singleScratch[0] = ObjectUtil.checkNotNull(block, "block");
        try {
            return submit(singleScratch, 0, 1);
        } finally {
            singleScratch[0] = null;
        }
    }

    /** Submits {@code blocks} in order; see {@link #submit(AioBlock[], int, int)}. */
    public int submit(AioBlock... blocks) throws IOException {
        return submit(blocks, 0, blocks.length);
    }

    /** Submits {@code blocks} in order; see {@link #submit(AioBlock[], int, int)}. */
    public int submit(List<? extends AioBlock> blocks) throws IOException {
        int done = 0;
        int size = blocks.size();
        while (done < size) {
            int n = Math.min(size - done, listScratch.length);
            for (int i = 0; i < n; i++) {
                listScratch[i] = blocks.get(done + i);
            }
            int accepted;
            try {
                accepted = submit(listScratch, 0, n);
            } finally {
                Arrays.fill(listScratch, 0, n, null);
            }
            done += accepted;
            if (accepted < n) {
                break;
            }
        }
        return done;
    }

    /**
     * Submits {@code length} blocks from {@code blocks[offset]} in ONE {@code io_submit} and returns how many were
     * accepted: always a prefix. The rest are untouched and idle — nothing of theirs is retained or known to the
     * kernel — and may be submitted again. As with {@code io_submit} itself, only the first block of a batch can
     * make this throw; a problem with a later one shortens the count instead, so that resubmitting the rest
     * reports it. A short count therefore means one of:
     * <ul>
     *   <li>the slab has fewer free slots ({@link #available()}) — reap completions first;</li>
     *   <li>the kernel answered EAGAIN (out of request slots, counted in {@link #eagainCount()});</li>
     *   <li>the kernel stopped at an iocb it refused (EBADF, EINVAL, ...): that block comes first next time and
     *       its error is thrown then;</li>
     *   <li>a later block is not submittable (in flight, unprepared, a buffer released): likewise.</li>
     * </ul>
     * Each accepted block's buffers are retained before {@code io_submit} and released when its completion is
     * reaped.
     *
     * @throws IllegalStateException if the context is closing or closed, or the first block is already in flight
     *         (here or on another context) or was never prepared
     * @throws IllegalArgumentException if a buffer of the first block was released since the block was prepared
     * @throws AioSubmitException when the kernel refused the first block outright (io_submit returned -errno:
     *         EBADF for a closed or wrong descriptor, EINVAL for an operation or flag the file does not support,
     *         EOPNOTSUPP for {@code RWF_NOWAIT} where unsupported, ...); nothing was submitted, the exception names
     *         the block, and the context stays usable
     */
    public int submit(AioBlock[] blocks, int offset, int length) throws IOException {
        checkOpen();
        Objects.checkFromIndexSize(offset, length, blocks.length);
        int n = claim(blocks, offset, Math.min(length, freeCount));
        if (n == 0) {
            return 0;
        }
        n = prepare(blocks, offset, n);
        int res = Native.ioSubmit(ctx, n, pointersAddress);
        submitCalls++;
        int accepted = Math.max(res, 0);
        inFlight += accepted;
        submitted += accepted;
        for (int i = accepted; i < n; i++) {
            unclaim(blocks[offset + i]);
        }
        if (res == -Native.EAGAIN) {
            eagainCount++;
        } else if (res < 0) {
            throw new AioSubmitException(blocks[offset], res);
        }
        return accepted;
    }

    /**
     * Validates the first {@code n} blocks and marks the valid prefix as owned by this context. Returns its
     * length; throws only when the very first block is not submittable.
     */
    private int claim(AioBlock[] blocks, int offset, int n) {
        for (int i = 0; i < n; i++) {
            AioBlock b = blocks[offset + i];
            try {
                if (b == null) {
                    throw new NullPointerException("blocks[" + (offset + i) + "]");
                }
                b.checkSubmittable(this);
            } catch (RuntimeException e) {
                if (i == 0) {
                    throw e;
                }
                return i;
            }
            b.context = this; // a second occurrence in the same batch now fails the check above
        }
        return n;
    }

    /**
     * Gives the {@code n} claimed blocks their slots, iocbs and buffer references, and returns how many are ready
     * for {@code io_submit}: all of them, or the prefix before one that could not be prepared (a buffer released
     * since the claim, memory for the iovecs not to be had). Whatever is not ready is unclaimed as if never
     * offered — no slot, no reference, submittable again — so a throw here leaks nothing and poisons no block;
     * it propagates only when the first block failed, as {@link #submit(AioBlock[], int, int)} promises.
     */
    private int prepare(AioBlock[] blocks, int offset, int n) {
        int ready = 0;
        try {
            int iovecs = 0;
            for (int i = 0; i < n; i++) {
                iovecs += blocks[offset + i].iovecCount();
            }
            ensureIovScratch(iovecs);
            int iovOffset = 0;
            for (; ready < n; ready++) {
                AioBlock b = blocks[offset + ready];
                int slot = freeSlots[--freeCount];
                int generation = ++generations[slot];
                b.slot = slot;
                owners[slot] = b;
                b.fill(iocb.at(slot), aioData(slot, generation), iovScratch, iovOffset,
                        iovScratchAddress + iovOffset);
                iovOffset += b.iovecCount() * Native.SIZEOF_IOVEC;
                pointers.putLong(ready * Long.BYTES, iocb.address());
                // Before io_submit: from the moment the kernel may touch the memory, it holds a reference.
                b.retainBuffers();
            }
            return n;
        } catch (RuntimeException | Error e) {
            for (int i = ready; i < n; i++) {
                unclaim(blocks[offset + i]);
            }
            if (ready == 0) {
                throw e;
            }
            return ready;
        }
    }

    /** Returns a claimed block that did not reach the kernel to idle: its slot freed, its references dropped. */
    private void unclaim(AioBlock b) {
        if (b.slot >= 0) {
            owners[b.slot] = null;
            freeSlots[freeCount++] = b.slot;
            b.slot = -1;
        }
        b.context = null;
        b.releaseBuffers();
    }

    private void ensureIovScratch(int iovecs) {
        int needed = iovecs * Native.SIZEOF_IOVEC;
        if (needed == 0 || iovScratch != null && iovScratch.capacity() >= needed) {
            return;
        }
        // The kernel copied the previous iovecs during their io_submit: the old area is free.
        freeIovScratch();
        iovScratchMemory = Buffer.allocateDirectBufferWithNativeOrder(Math.max(needed, 64 * Native.SIZEOF_IOVEC));
        iovScratch = iovScratchMemory.buffer();
        iovScratchAddress = Buffer.memoryAddress(iovScratch);
    }

    private void freeIovScratch() {
        if (iovScratchMemory != null) {
            iovScratchMemory.clean();
            iovScratchMemory = null;
            iovScratch = null;
        }
    }

    private static long aioData(int slot, int generation) {
        return (long) slot << 32 | generation & 0xFFFFFFFFL;
    }

    // ---------------------------------------------------------------- completion

    /**
     * Reaps whatever has completed, without blocking, and runs the callbacks. The event loop's call.
     *
     * @return the number of completions delivered
     */
    public int reap() throws IOException {
        return getEvents(0, depth, 0);
    }

    /**
     * Waits for at least {@code minNr} and delivers at most {@code maxNr} completions, running each block's
     * callback.
     *
     * @param timeout {@code null} to wait as long as it takes, {@link Duration#ZERO} to only poll
     * @return the number of completions delivered; fewer than {@code minNr} if the timeout expired
     * @throws IllegalArgumentException if {@code minNr > maxNr}, or a blocking wait for more completions than
     *         are in flight (it could never return)
     * @throws IllegalStateException if closed, or called from a completion callback
     */
    public int getEvents(int minNr, int maxNr, Duration timeout) throws IOException {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be null (block), zero (poll) or positive, got "
                    + timeout);
        }
        return getEvents(minNr, maxNr, timeout == null ? -1 : saturatedNanos(timeout));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** As {@link #getEvents(int, int, Duration)} with the timeout in nanoseconds; negative blocks. */
    public int getEvents(int minNr, int maxNr, long timeoutNanos) throws IOException {
        checkNotClosed();
        if (minNr < 0 || maxNr < 1 || minNr > maxNr) {
            throw new IllegalArgumentException("need 0 <= minNr <= maxNr and maxNr >= 1, got minNr=" + minNr
                    + ", maxNr=" + maxNr);
        }
        if (timeoutNanos < 0 && minNr > inFlight) {
            throw new IllegalArgumentException("waiting for " + minNr + " completions with only " + inFlight
                    + " operations in flight would never return");
        }
        if (reaping) {
            throw new IllegalStateException("getEvents called from a completion callback");
        }
        reaping = true;
        try {
            int n = 0;
            if (ring != null) {
                n = ring.reap(sink, maxNr);
                if (n >= minNr) {
                    return n;
                }
            }
            int max = Math.min(maxNr - n, depth);
            if (max <= 0) {
                return n;
            }
            int res = Native.ioGetEvents(ctx, Math.max(minNr - n, 0), max, eventsAddress, timeoutNanos);
            if (res < 0) {
                throw Native.ioException("io_getevents", res);
            }
            for (int i = 0; i < res; i++) {
                events.at(i);
                dispatch(events.data(), events.res(), events.res2());
            }
            return n + res;
        } finally {
            reaping = false;
        }
    }

    /** Whether the ring holds undelivered completions (always {@code false} when reaping by syscall). */
    public boolean hasCompletions() {
        return ring != null && state != CLOSED && ring.hasCompletions();
    }

    private void dispatch(long data, long res, long res2) {
        int slot = (int) (data >>> 32);
        int generation = (int) data;
        AioBlock b = slot >= 0 && slot < depth ? owners[slot] : null;
        if (b == null || generations[slot] != generation) {
            staleCompletions++;
            logger.warn("Dropped an AIO completion for no in-flight operation (aio_data=0x{}, res={})",
                    Long.toHexString(data), res);
            return;
        }
        owners[slot] = null;
        freeSlots[freeCount++] = slot;
        inFlight--;
        completions++;
        // The kernel is done with the memory: drop our references now, and make the block idle before its
        // callback so that the callback may re-prepare and resubmit it.
        b.slot = -1;
        b.context = null;
        b.releaseBuffers();
        if (res == 0 && b.opcode() == Native.IOCB_CMD_POLL) {
            // fs/aio.c completes a cancelled POLL (io_cancel, io_destroy) with an empty mask, while a live one
            // completes only once an event, POLLERR or POLLHUP is ready: 0 means cancelled. Deliver it as every
            // other cancelled operation is delivered.
            res = -Native.ECANCELED;
        }
        try {
            AioCallback callback = b.callbackOrNull();
            if (callback != null) {
                callback.onComplete(b, res, res2);
            }
        } catch (Throwable t) {
            logger.warn("The completion callback of {} threw", b, t);
        }
    }

    // ---------------------------------------------------------------- cancellation

    /**
     * Asks the kernel to cancel {@code block}. The outcome arrives as the block's completion, through
     * {@link #getEvents}: {@code -ECANCELED}, or the real result when the operation won the race.
     *
     * @return {@code true} if a cancellation was requested (io_cancel answered EINPROGRESS, or 0 on kernels
     *         that complete synchronously — then the callback has already run); {@code false} if the block is
     *         not in flight here or its operation cannot be cancelled (EINVAL: most file reads and writes,
     *         which complete on their own)
     * @throws IllegalStateException if closed
     */
    public boolean cancel(AioBlock block) throws IOException {
        checkNotClosed();
        if (block.context != this || block.slot < 0 || owners[block.slot] != block) {
            return false;
        }
        int res = Native.ioCancel(ctx, iocb.at(block.slot).address(), cancelResultAddress);
        if (res == 0) {
            // Pre-4.19 semantics: the kernel reported the cancelled event here instead of in the ring.
            cancelResult.at(0);
            dispatch(cancelResult.data(), cancelResult.res(), cancelResult.res2());
            cancelRequests++;
            return true;
        }
        if (res == -Native.EINPROGRESS) {
            cancelRequests++;
            return true;
        }
        if (res == -Native.EINVAL || res == -Native.EAGAIN) {
            return false;
        }
        throw Native.ioException("io_cancel(" + block + ")", res);
    }

    /**
     * Requests cancellation of every in-flight block; returns how many requests the kernel took. Outcomes arrive
     * as completions, as for {@link #cancel(AioBlock)}.
     *
     * @throws IllegalStateException if closed
     */
    public int cancelAll() throws IOException {
        checkNotClosed();
        int n = 0;
        for (int slot = 0; slot < depth; slot++) {
            AioBlock b = owners[slot];
            if (b != null && cancel(b)) {
                n++;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- close

    /**
     * Cancels every in-flight block, waits until each has completed and its callback has run, then destroys
     * the context and frees the slab. Operations that cannot be cancelled (file I/O) are waited for; a warning
     * naming them is logged every 5 seconds while they are outstanding. Idempotent.
     *
     * @throws IllegalStateException if called from a completion callback
     */
    @Override
    public void close() throws IOException {
        close(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * As {@link #close()}, but waits for completions at most {@code timeout}. Past it, completions already there
     * are still delivered with their real results; a warning names the operations still outstanding, and
     * {@code io_destroy} — which itself cancels what it can and waits until the kernel has finished every request,
     * so no memory is freed under a running transfer — ends them. Their results cannot be read any more (the ring
     * is unmapped): their callbacks run with {@code -ECANCELED}, whether or not the kernel had done the work.
     * Every in-flight block's callback has run when this returns. A zero timeout delivers what is there, then
     * destroys.
     *
     * @return {@code true} if every completion was reaped within the timeout
     */
    public boolean close(long timeout, TimeUnit unit) throws IOException {
        if (state == CLOSED) {
            return true;
        }
        if (reaping) {
            throw new IllegalStateException("close called from a completion callback");
        }
        state = CLOSING;
        IOException failure = null;
        long start = System.nanoTime();
        long timeoutNanos = unit.toNanos(timeout);
        try {
            cancelAll();
            long lastReport = start;
            while (inFlight > 0) {
                long now = System.nanoTime();
                long left = timeoutNanos - (now - start);
                if (left <= 0) {
                    // What has completed already keeps its real result; only the rest is reported as cancelled.
                    getEvents(0, depth, 0);
                    if (inFlight > 0) {
                        logger.warn("{} operations did not complete within {} ms of close, e.g. {}; io_destroy "
                                + "waits for the kernel to finish them", inFlight,
                                TimeUnit.NANOSECONDS.toMillis(timeoutNanos), describeInFlight(4));
                    }
                    break;
                }
                getEvents(1, depth, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
                if (inFlight > 0 && System.nanoTime() - lastReport > CLOSE_WARN_NANOS) {
                    lastReport = System.nanoTime();
                    logger.warn("AioContext.close() still waits for {} operations, e.g. {}", inFlight,
                            describeInFlight(4));
                    cancelAll();
                }
            }
        } catch (IOException e) {
            failure = e;
        }
        boolean drained = inFlight == 0;
        state = CLOSED;
        // io_destroy waits for whatever the kernel still runs; after it no buffer of ours is touched.
        int res = Native.ioDestroy(ctx);
        if (res < 0 && failure == null) {
            failure = Native.ioException("io_destroy", res);
        }
        // Only after a timeout or failure: nothing can be reaped any more, finish the stragglers as cancelled.
        for (int slot = 0; slot < depth; slot++) {
            if (owners[slot] != null) {
                dispatch(aioData(slot, generations[slot]), -Native.ECANCELED, 0);
            }
        }
        memory.clean();
        freeIovScratch();
        if (failure != null) {
            throw failure;
        }
        return drained;
    }

    private String describeInFlight(int max) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int slot = 0; slot < depth && shown < max; slot++) {
            if (owners[slot] != null) {
                sb.append(shown++ == 0 ? "" : ", ").append(owners[slot]);
            }
        }
        return sb.toString();
    }

    private void checkNotClosed() {
        if (state == CLOSED) {
            throw new IllegalStateException("AioContext is closed");
        }
    }

    private void checkOpen() {
        if (state != OPEN) {
            throw new IllegalStateException(state == CLOSED ? "AioContext is closed" : "AioContext is closing");
        }
    }

    // ---------------------------------------------------------------- state and stats

    /** The kernel's context id ({@code aio_context_t}, the ring's address). */
    public long id() {
        return ctx;
    }

    /** The number of slots: at most this many operations are in flight. */
    public int depth() {
        return depth;
    }

    /** Operations accepted by the kernel whose completion has not been delivered yet. */
    public int inFlight() {
        return inFlight;
    }

    /** Free slots: how many more operations {@link #submit} can take now. */
    public int available() {
        return freeCount;
    }

    /** How completions are really reaped: {@link ReapMode#SYSCALL} if asked for or if the ring is not usable. */
    public ReapMode reapMode() {
        return ring != null ? ReapMode.RING : ReapMode.SYSCALL;
    }

    public boolean isOpen() {
        return state == OPEN;
    }

    /** {@code io_submit} calls made. */
    public long submitCalls() {
        return submitCalls;
    }

    /** Operations the kernel accepted, in total. */
    public long submittedCount() {
        return submitted;
    }

    /** {@code io_submit} calls answered with EAGAIN. */
    public long eagainCount() {
        return eagainCount;
    }

    /** Completions delivered, in total. */
    public long completionCount() {
        return completions;
    }

    /** Completions that matched no in-flight slot and generation (should stay 0). */
    public long staleCompletionCount() {
        return staleCompletions;
    }

    /** Cancellation requests the kernel accepted. */
    public long cancelRequestCount() {
        return cancelRequests;
    }

    @Override
    public String toString() {
        return "AioContext(0x" + Long.toHexString(ctx) + ", depth=" + depth + ", inFlight=" + inFlight
                + ", reap=" + reapMode() + (state == OPEN ? "" : state == CLOSING ? ", closing" : ", closed") + ')';
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.util.internal.ObjectUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

/**
 * The operations waiting for {@code io_submit} on one {@link AioContext}, in order: what every host of a context
 * (the AIO event loop, the epoll loop's file host) needs between "an operation is ready" and "the kernel has it",
 * written once.
 *
 * <ul>
 *   <li><b>Batches.</b> {@link #submit(int)} sends as many queued operations as the context has free slots in ONE
 *   {@code io_submit}. What the kernel does not take goes back to the front of its lane, in order: nothing is
 *   dropped.</li>
 *   <li><b>Two lanes.</b> The main lane goes first; the rationed lane then gets at most the budget the caller passes
 *   (the loop keeps its POLLs to a share of the slots, so that they cannot starve file I/O). Each lane keeps its
 *   order.</li>
 *   <li><b>EAGAIN.</b> When the kernel answers EAGAIN (out of request slots, {@code fs.aio-max-nr}), the queue is
 *   {@linkplain #isBlocked() blocked} until the context delivers a completion (which frees a slot) or the host
 *   {@linkplain #unblock() unblocks} it after waiting {@link #EAGAIN_RETRY_NANOS} — the only way out when nothing is
 *   in flight, so no completion will come.</li>
 *   <li><b>Refusals.</b> When the kernel refuses the first iocb of a batch outright ({@link AioSubmitException}:
 *   -EBADF, -EINVAL, ...) that operation alone is {@linkplain Owner#refused refused} with the errno, negative as
 *   every result here; the rest stay queued. An operation whose buffer was released since it was queued (a caller
 *   breaking the ownership contract) is refused with -EINVAL.</li>
 * </ul>
 *
 * <p>Each queued entry carries a prepared, idle {@link AioBlock} whose callback receives the completion; the owner
 * learns through {@link Owner} which operations the kernel took and which it never will.
 *
 * <p><b>Threading.</b> Not thread-safe: the thread that owns the context. {@link Owner} methods run inside
 * {@link #submit(int)} and must not call it again. <b>Ownership:</b> the queue holds its entries, never their
 * buffers; the context retains those while the kernel has them.
 *
 * @param <T> the host's own record of an operation
 */
public final class AioSubmitQueue<T extends AioSubmitQueue.Entry> {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AioSubmitQueue.class);

    /**
     * How long a host waits at most before trying again after the kernel answered {@code io_submit} with EAGAIN
     * while nothing of its context was in flight: then no completion will come to free a request slot, which are
     * shared by every context of the machine.
     */
    public static final long EAGAIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A queued operation: the host's record, with the prepared block to submit. */
    public interface Entry {
        /** The prepared, idle block; its callback receives the completion once the kernel took it. */
        AioBlock block();
    }

    /** What a host learns about the operations of one {@link #submit(int)}. */
    public interface Owner<T> {
        /** The kernel took {@code op}: its completion comes through its block's callback. */
        void accepted(T op);

        /**
         * {@code op} left the queue without reaching the kernel, and never will: {@code io_submit} refused it
         * ({@code res}: -EBADF, -EINVAL, ...), or a buffer of it was released since it was queued (-EINVAL). The host
         * completes it with {@code res}, negative as the kernel's.
         */
        void refused(T op, int res);
    }

    private final AioContext context;
    private final Owner<? super T> owner;
    private final ArrayDeque<T> main = new ArrayDeque<>();
    private final ArrayDeque<T> rationed = new ArrayDeque<>();
    private final AioBlock[] batch;
    private final Object[] batchOps;
    private boolean eagainBlocked;
    private long completionsAtEagain;
    private boolean submitting;

    /** A queue feeding {@code context}; {@code owner} hears of each operation's fate. */
    public AioSubmitQueue(AioContext context, Owner<? super T> owner) {
        this.context = ObjectUtil.checkNotNull(context, "context");
        this.owner = ObjectUtil.checkNotNull(owner, "owner");
        batch = new AioBlock[context.depth()];
        batchOps = new Object[context.depth()];
    }

    /** Queues {@code op} at the back of the main lane. */
    public void add(T op) {
        main.addLast(op);
    }

    /** Queues {@code op} at the back of the rationed lane. */
    public void addRationed(T op) {
        rationed.addLast(op);
    }

    /** Operations queued in both lanes. */
    public int size() {
        return main.size() + rationed.size();
    }

    /** Operations queued in the main lane. */
    public int mainSize() {
        return main.size();
    }

    /** Operations queued in the rationed lane. */
    public int rationedSize() {
        return rationed.size();
    }

    public boolean isEmpty() {
        return main.isEmpty() && rationed.isEmpty();
    }

    /**
     * The queued operations, the main lane first, each in order; {@link Iterator#remove()} takes one out (a host
     * cancelling it), and nobody hears of it then.
     */
    public Iterator<T> iterator() {
        return new LaneIterator();
    }

    /**
     * Whether the kernel answered the last {@code io_submit} with EAGAIN and no completion has freed a slot since
     * (nor {@link #unblock()} been called): submitting again now would only get EAGAIN again.
     */
    public boolean isBlocked() {
        if (eagainBlocked && context.completionCount() != completionsAtEagain) {
            eagainBlocked = false;
        }
        return eagainBlocked;
    }

    /** Ends the EAGAIN wait: the host waited {@link #EAGAIN_RETRY_NANOS}, or slept until something happened. */
    public void unblock() {
        eagainBlocked = false;
    }

    /**
     * Whether {@link #submit(int)} with this budget would send something now: a free slot, no EAGAIN wait, and an
     * operation the budget lets go.
     */
    public boolean canSubmitNow(int rationedBudget) {
        if (isBlocked() || context.available() == 0) {
            return false;
        }
        return !main.isEmpty() || !rationed.isEmpty() && rationedBudget > 0;
    }

    /**
     * Whether only a timer can end the EAGAIN wait: the queue is blocked and nothing of its context is in flight, so
     * no completion will come to free a request slot. The host then tries again after {@link #EAGAIN_RETRY_NANOS}.
     */
    public boolean needsRetryTimer() {
        return isBlocked() && context.inFlight() == 0;
    }

    /**
     * {@code delayNanos}, or {@link #EAGAIN_RETRY_NANOS} if shorter while {@linkplain #needsRetryTimer() only a timer
     * ends the EAGAIN wait}: how long a host may sleep without missing the moment to try again.
     */
    public long boundSleep(long delayNanos) {
        return needsRetryTimer() ? Math.min(delayNanos, EAGAIN_RETRY_NANOS) : delayNanos;
    }

    /**
     * Sends what is queued in ONE {@code io_submit}: the main lane first, then at most {@code rationedBudget} of the
     * rationed lane, within the context's free slots. Each operation is then either {@linkplain Owner#accepted
     * accepted}, {@linkplain Owner#refused refused}, or back at the front of its lane in its place.
     *
     * @return how many the kernel accepted
     * @throws IllegalStateException if called from an {@link Owner} method
     */
    public int submit(int rationedBudget) {
        if (submitting) {
            throw new IllegalStateException("AioSubmitQueue.submit called from its owner's callback");
        }
        int free = context.available();
        int fromMain = fill(main, 0, free, Integer.MAX_VALUE);
        int n = fill(rationed, fromMain, free, rationedBudget);
        if (n == 0) {
            return 0;
        }
        submitting = true;
        try {
            return submitBatch(n, fromMain);
        } finally {
            submitting = false;
        }
    }

    private int fill(ArrayDeque<T> lane, int n, int free, int limit) {
        int taken = 0;
        while (n < free && taken < limit) {
            T op = lane.pollFirst();
            if (op == null) {
                break;
            }
            batch[n] = op.block();
            batchOps[n] = op;
            n++;
            taken++;
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private int submitBatch(int n, int fromMain) {
        int accepted = 0;
        int refusedRes = 0;
        long eagainBefore = context.eagainCount();
        try {
            accepted = context.submit(batch, 0, n);
            // A short count without EAGAIN means the kernel stopped at an iocb it refuses: the next io_submit starts
            // with it and gets the errno. EAGAIN means the kernel's request slots are busy: wait for a completion.
            eagainBlocked = context.eagainCount() != eagainBefore;
            completionsAtEagain = context.completionCount();
        } catch (AioSubmitException e) {
            // The kernel refused the first iocb outright: it alone fails, with that errno.
            if (logger.isDebugEnabled()) {
                logger.debug("io_submit refused {}", batch[0], e);
            }
            refusedRes = e.expectedErr();
        } catch (IOException | RuntimeException e) {
            // Only a caller breaking the ownership contract gets here (a buffer released by another thread since it
            // was queued): refuse the operations whose buffers are gone, or the first one; keep the rest queued.
            logger.warn("io_submit of {} operations failed", n, e);
            refusedRes = -Native.EINVAL;
        }
        int settled = accepted;
        if (refusedRes != 0) {
            // The refused ones lose their block here and keep their op until the end, when they are refused after
            // the rest is back in the queue.
            for (int i = 0; i < n; i++) {
                if (i == 0 || refusedRes == -Native.EINVAL && batch[i].hasReleasedBuffer()) {
                    batch[i] = null;
                }
            }
            settled = 1;
        }
        for (int i = 0; i < accepted; i++) {
            owner.accepted((T) batchOps[i]);
            batchOps[i] = null;
            batch[i] = null;
        }
        // What the kernel did not take goes back to the front of its lane, in order.
        for (int i = n - 1; i >= settled; i--) {
            if (batch[i] != null) {
                (i < fromMain ? main : rationed).addFirst((T) batchOps[i]);
                batchOps[i] = null;
                batch[i] = null;
            }
        }
        for (int i = 0; i < n; i++) {
            Object op = batchOps[i];
            if (op != null) {
                batchOps[i] = null;
                batch[i] = null;
                owner.refused((T) op, refusedRes);
            }
        }
        return accepted;
    }

    /** Both lanes in turn, with removal. */
    private final class LaneIterator implements Iterator<T> {
        private Iterator<T> current = main.iterator();
        private boolean inMain = true;

        @Override
        public boolean hasNext() {
            if (current.hasNext()) {
                return true;
            }
            if (inMain) {
                inMain = false;
                current = rationed.iterator();
                return current.hasNext();
            }
            return false;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }

        @Override
        public void remove() {
            current.remove();
        }
    }
}

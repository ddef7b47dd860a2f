/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.contrib.channel.aio.core.AioBlock;
import io.netty.contrib.channel.aio.core.AioCallback;
import io.netty.contrib.channel.aio.core.AioContext;
import io.netty.contrib.channel.aio.core.AioIoException;
import io.netty.contrib.channel.aio.core.AioLimits;
import io.netty.contrib.channel.aio.core.AioSubmitException;
import io.netty.contrib.channel.aio.core.EventFd;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.netty.util.internal.ObjectUtil;
import io.netty.util.internal.StringUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link IoHandler} of an AIO event loop: one {@link AioContext} and one eventfd per loop; every iocb carries
 * {@code IOCB_FLAG_RESFD} pointing at that eventfd, so the loop can sleep in {@code ppoll} on it and wake for
 * completions, timers and tasks alike.
 *
 * <p>One iteration ({@link #run}): reap the ring in user space and deliver each completion to its handle; send
 * everything queued — re-armed POLLs included — in ONE {@code io_submit} (a partial submission or EAGAIN leaves the
 * rest queued in order); if nothing happened and the loop may block, mark it sleeping, reset the eventfd,
 * re-check the ring and the task queue, and {@code ppoll} the eventfd for the nanoseconds until the next timer.
 *
 * <p>Threading: everything but {@link #wakeup()}, {@link AioIoRegistration#submit} and
 * {@link AioIoRegistration#cancel} runs on the loop thread. Ownership: see {@link AioIoOps} (buffers) and
 * {@link AioIoHandle} (events and unregistration). Shutdown cancels everything, drains the ring, destroys the
 * context, then frees the slab and releases buffers — in that order.
 */
public final class AioIoHandler implements IoHandler {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AioIoHandler.class);
    private static final AtomicBoolean DEPTH_REDUCTION_LOGGED = new AtomicBoolean();

    private static final int AWAKE = 0;
    private static final int SLEEPING = 1;

    private final ThreadAwareExecutor executor;
    private final AioIoHandlerConfig config;
    private final AioContext context;
    private final EventFd eventFd;
    private final int resfd;
    private final int pollLimit;
    private final AtomicInteger wakeState = new AtomicInteger(AWAKE);
    private final AtomicLong nextId = new AtomicLong(1);
    private final ArrayDeque<AioOp> ioQueue = new ArrayDeque<>();
    private final ArrayDeque<AioOp> pollQueue = new ArrayDeque<>();
    private final AioBlock[] batch;
    private final AioOp[] batchOps;
    private final List<Registration> registrations = new ArrayList<>();
    private AioOp freeOps;
    private int pollsInFlight;
    private boolean destroyed;

    // Statistics: written by the loop thread only.
    private long queuedWhenFull;
    private long completions;
    private long maxCompletionsPerIteration;
    private long iterations;
    private long sleeps;
    private final AtomicLong wakeups = new AtomicLong();
    private long failedSubmissions;

    private AioIoHandler(ThreadAwareExecutor executor, AioIoHandlerConfig config) throws IOException {
        Aio.ensureAvailability();
        this.executor = ObjectUtil.checkNotNull(executor, "executor");
        this.config = config;
        this.context = openContext(config);
        EventFd efd = null;
        try {
            efd = EventFd.create();
        } catch (IOException e) {
            context.close();
            throw e;
        }
        this.eventFd = efd;
        this.resfd = efd.intValue();
        int depth = context.depth();
        this.pollLimit = depth - config.reserveFor(depth);
        this.batch = new AioBlock[depth];
        this.batchOps = new AioOp[depth];
    }

    /** Opens the loop's context, halving the depth on EAGAIN (machine-wide budget) down to the floor. */
    private static AioContext openContext(AioIoHandlerConfig config) throws IOException {
        int depth = config.depth();
        for (;;) {
            try {
                AioContext ctx = AioContext.open(depth, config.reapMode());
                if (depth != config.depth() && DEPTH_REDUCTION_LOGGED.compareAndSet(false, true)) {
                    logger.warn("AIO event loop opened with depth {} instead of {}: the machine-wide budget is "
                            + "nearly used up (fs.aio-nr={}, fs.aio-max-nr={}). Each in-flight operation, an armed "
                            + "socket POLL included, needs a slot; raise the budget with "
                            + "'sysctl -w fs.aio-max-nr=1048576'.", depth, config.depth(), AioLimits.aioNr(),
                            AioLimits.aioMaxNr());
                }
                return ctx;
            } catch (AioIoException e) {
                if (e.errno() != Native.EAGAIN || depth <= config.minDepth()) {
                    throw e;
                }
                depth = Math.max(depth / 2, config.minDepth());
            }
        }
    }

    /** A factory with the default {@link AioIoHandlerConfig}. */
    public static IoHandlerFactory newFactory() {
        return newFactory(new AioIoHandlerConfig());
    }

    /** A factory of handlers configured by a copy of {@code config}. */
    public static IoHandlerFactory newFactory(AioIoHandlerConfig config) {
        Aio.ensureAvailability();
        AioIoHandlerConfig copy = new AioIoHandlerConfig(ObjectUtil.checkNotNull(config, "config"));
        return executor -> {
            try {
                return new AioIoHandler(executor, copy);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create an AIO event loop: " + e.getMessage(), e);
            }
        };
    }

    // ---------------------------------------------------------------- the loop

    @Override
    public int run(IoHandlerContext ctx) {
        iterations++;
        int handled = reap();
        submitPending();
        if (handled == 0 && ctx.canBlock() && !canSubmitMore()) {
            handled = sleepAndReap(ctx);
            submitPending();
        }
        if (handled > maxCompletionsPerIteration) {
            maxCompletionsPerIteration = handled;
        }
        return handled;
    }

    /** Whether a queued operation could go to the kernel now (then the loop must not sleep). */
    private boolean canSubmitMore() {
        int free = context.available();
        return free > 0 && (!ioQueue.isEmpty() || !pollQueue.isEmpty() && pollsInFlight < pollLimit);
    }

    private int reap() {
        try {
            int n = context.reap();
            completions += n;
            return n;
        } catch (IOException e) {
            // io_getevents failing means a broken context; report and keep the loop alive for its tasks.
            logger.warn("Reaping AIO completions failed", e);
            return 0;
        }
    }

    private int sleepAndReap(IoHandlerContext ctx) {
        // Dekker pair with wakeup(): the volatile store below, then the task-queue check in canBlock(); wakeup()
        // enqueues its task, then getAndSets this state. One of the two sees the other.
        wakeState.set(SLEEPING);
        try {
            // Reset the eventfd BEFORE the last look at the ring: the kernel fills the ring before it signals, so
            // a completion is either visible below or signals the eventfd again after this read.
            Native.eventFdRead(resfd);
            int n = reap();
            if (n > 0 || !ctx.canBlock()) {
                return n;
            }
            long delay = ctx.delayNanos(System.nanoTime());
            if (delay > 0) {
                sleeps++;
                int res = Native.ppoll(resfd, Native.POLLIN, delay);
                if (res < 0) {
                    logger.warn("ppoll on the loop's eventfd failed: {}", Native.describeErrno(-res));
                }
            }
            return reap();
        } finally {
            wakeState.set(AWAKE);
        }
    }

    @Override
    public void wakeup() {
        if (!executor.isExecutorThread(Thread.currentThread()) && wakeState.get() == SLEEPING
                && wakeState.getAndSet(AWAKE) == SLEEPING) {
            wakeups.incrementAndGet();
            Native.eventFdWrite(resfd, 1L);
        }
    }

    // ---------------------------------------------------------------- submission

    private AioOp newOp() {
        AioOp op = freeOps;
        if (op == null) {
            return new AioOp();
        }
        freeOps = op.nextFree;
        op.nextFree = null;
        return op;
    }

    private void recycle(AioOp op) {
        op.registration = null;
        op.ops = null;
        op.nextFree = freeOps;
        freeOps = op;
    }

    /** Loop thread: puts one operation in its queue. */
    private void enqueue(Registration registration, AioIoOps ops, long id) {
        AioOp op = newOp();
        op.registration = registration;
        op.ops = ops;
        op.id = id;
        registration.pending++;
        ArrayDeque<AioOp> queue = ops.isPoll() ? pollQueue : ioQueue;
        boolean mustWait = !queue.isEmpty() || context.available() == 0
                || ops.isPoll() && pollsInFlight >= pollLimit;
        if (mustWait) {
            queuedWhenFull++;
        }
        if (registration.cancelled) {
            // Raced with cancel(): it never reaches the kernel, but it still completes.
            complete(op, -Native.ECANCELED, 0);
            return;
        }
        if (mustWait && ops.isFailFast()) {
            complete(op, -Native.EAGAIN, 0);
            return;
        }
        queue.add(op);
    }

    /** Sends what is queued in ONE io_submit: file I/O first, then POLLs within their share of the slots. */
    private void submitPending() {
        int free = context.available();
        int n = 0;
        n = fillBatch(ioQueue, n, free, Integer.MAX_VALUE);
        n = fillBatch(pollQueue, n, free, pollLimit - pollsInFlight);
        int off = 0;
        while (off < n) {
            int accepted;
            try {
                accepted = context.submit(batch, off, n - off);
            } catch (AioSubmitException e) {
                // The kernel refused the first iocb outright: that operation alone fails; the rest go on.
                failedSubmissions++;
                AioOp op = batchOps[off];
                batch[off] = null;
                batchOps[off++] = null;
                if (logger.isDebugEnabled()) {
                    logger.debug("io_submit refused {}", op.ops, e);
                }
                complete(op, -e.errno(), 0);
                continue;
            } catch (IOException | RuntimeException e) {
                // A buffer released between submit() and now, or a broken context: fail the first, go on.
                failedSubmissions++;
                AioOp op = batchOps[off];
                batch[off] = null;
                batchOps[off++] = null;
                logger.warn("Could not submit {}", op.ops, e);
                complete(op, -Native.EINVAL, 0);
                continue;
            }
            for (int i = off; i < off + accepted; i++) {
                if (batchOps[i].ops.isPoll()) {
                    pollsInFlight++;
                }
                batchOps[i].inFlight = true;
                batchOps[i].registration.link(batchOps[i]);
                batch[i] = null;
                batchOps[i] = null;
            }
            off += accepted;
            if (off < n) {
                // EAGAIN or a short count: the rest go back to the front of their queues, in order.
                for (int i = n - 1; i >= off; i--) {
                    AioOp op = batchOps[i];
                    (op.ops.isPoll() ? pollQueue : ioQueue).addFirst(op);
                    batch[i] = null;
                    batchOps[i] = null;
                }
                break;
            }
        }
    }

    private int fillBatch(ArrayDeque<AioOp> queue, int n, int free, int limit) {
        int taken = 0;
        while (n < free && taken < limit) {
            AioOp op = queue.poll();
            if (op == null) {
                break;
            }
            if (op.registration.cancelled) {
                complete(op, -Native.ECANCELED, 0);
                continue;
            }
            try {
                op.ops.prepare(op.block, resfd);
            } catch (RuntimeException e) {
                // Validated at submit(); only a buffer released since then gets here.
                failedSubmissions++;
                logger.warn("Could not prepare {}", op.ops, e);
                complete(op, -Native.EINVAL, 0);
                continue;
            }
            batch[n] = op.block;
            batchOps[n] = op;
            n++;
            taken++;
        }
        return n;
    }

    // ---------------------------------------------------------------- completion

    /** Delivers the one and only event of {@code op}, then frees it; the registration may end here. */
    private void complete(AioOp op, long res, long res2) {
        Registration registration = op.registration;
        AioIoOps ops = op.ops;
        long id = op.id;
        if (op.inFlight) {
            op.inFlight = false;
            if (ops.isPoll()) {
                pollsInFlight--;
            }
        }
        recycle(op);
        registration.pending--;
        registration.deliver(res, res2, ops.opcode(), ops.userData(), id);
        if (registration.pending == 0 && registration.cancelled) {
            registration.remove();
        }
    }

    /** Cancels the operation {@code id} of {@code registration}, on the loop thread. */
    private boolean cancelOp(Registration registration, long id) {
        if (cancelQueued(ioQueue, registration, id) || cancelQueued(pollQueue, registration, id)) {
            return true;
        }
        AioOp op = registration.findInFlight(id);
        return op != null && requestCancel(op);
    }

    private boolean cancelQueued(ArrayDeque<AioOp> queue, Registration registration, long id) {
        for (AioOp op : queue) {
            if (op.id == id && op.registration == registration) {
                queue.remove(op);
                complete(op, -Native.ECANCELED, 0);
                return true;
            }
        }
        return false;
    }

    private boolean requestCancel(AioOp op) {
        try {
            return context.cancel(op.block);
        } catch (IOException e) {
            logger.warn("io_cancel of {} failed", op.ops, e);
            return false;
        }
    }

    // ---------------------------------------------------------------- registration

    @Override
    public AioIoRegistration register(IoHandle handle) {
        if (!(handle instanceof AioIoHandle)) {
            throw new IllegalArgumentException("IoHandle of type " + StringUtil.simpleClassName(handle)
                    + " is not supported by AioIoHandler (it takes AioIoHandle)");
        }
        if (destroyed) {
            throw new IllegalStateException("AioIoHandler is shut down");
        }
        Registration registration = new Registration((AioIoHandle) handle);
        registrations.add(registration);
        handle.registered();
        return registration;
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return AioIoHandle.class.isAssignableFrom(handleType);
    }

    // ---------------------------------------------------------------- shutdown

    @Override
    public void prepareToDestroy() {
        // Handles cancel their own registrations (channels close, files fail their futures).
        for (Registration registration : registrations.toArray(new Registration[0])) {
            try {
                registration.handle.close();
            } catch (Exception e) {
                logger.debug("Failed to close {}", registration.handle, e);
            }
        }
    }

    @Override
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        for (Registration registration : registrations.toArray(new Registration[0])) {
            registration.cancel0();
        }
        // 1. Nothing queued reaches the kernel any more: complete it as cancelled.
        drainQueues();
        // 2.-4. Cancel what is in flight, drain the ring (bounded), io_destroy, free the slab; every in-flight
        // operation's event is delivered and its buffers released in the course of this call.
        try {
            if (!context.close(config.shutdownTimeoutNanos(), TimeUnit.NANOSECONDS)) {
                logger.warn("AIO event loop shutdown: operations outlived the {} ms timeout and were ended by "
                        + "io_destroy", TimeUnit.NANOSECONDS.toMillis(config.shutdownTimeoutNanos()));
            }
        } catch (IOException e) {
            logger.warn("Closing the AIO context failed", e);
        }
        // Handles may have queued more while receiving their last events.
        drainQueues();
        try {
            eventFd.close();
        } catch (IOException e) {
            logger.debug("Closing the eventfd failed", e);
        }
    }

    private void drainQueues() {
        AioOp op;
        while ((op = ioQueue.poll()) != null || (op = pollQueue.poll()) != null) {
            complete(op, -Native.ECANCELED, 0);
        }
    }

    // ---------------------------------------------------------------- stats

    /** A snapshot of this loop's counters; see {@link AioIoStats} for exactness off the loop thread. */
    public AioIoStats stats() {
        return new AioIoStats(context.depth(), context.inFlight(), ioQueue.size() + pollQueue.size(),
                context.submitCalls(), context.submittedCount(), context.eagainCount(), queuedWhenFull, completions,
                maxCompletionsPerIteration, iterations, sleeps, wakeups.get(), failedSubmissions,
                context.staleCompletionCount());
    }

    /** The context's depth: how many operations this loop keeps in flight at most. */
    public int depth() {
        return context.depth();
    }

    @Override
    public String toString() {
        return "AioIoHandler(" + context + ')';
    }

    // ---------------------------------------------------------------- inner types

    /** A pooled in-flight (or queued) operation; its block is reused from one operation to the next. */
    private final class AioOp implements AioCallback {
        final AioBlock block = new AioBlock().callback(this);
        Registration registration;
        AioIoOps ops;
        long id;
        boolean inFlight;
        AioOp nextFree;
        // The registration's in-flight list, for cancellation by id and of the whole registration.
        AioOp prev;
        AioOp next;

        @Override
        public void onComplete(AioBlock block, long res, long res2) {
            registration.unlink(this);
            complete(this, res, res2);
        }
    }

    private final class Registration implements AioIoRegistration {
        final AioIoHandle handle;
        private final AioIoEvent event = new AioIoEvent();
        private final AtomicBoolean cancelRequested = new AtomicBoolean();
        // Loop-thread state.
        boolean cancelled;
        int pending;
        private AioOp inFlightHead;
        private boolean removed;

        Registration(AioIoHandle handle) {
            this.handle = handle;
        }

        @Override
        public long submit(IoOps ops) {
            if (!(ops instanceof AioIoOps)) {
                throw new IllegalArgumentException("AioIoHandler takes AioIoOps, not "
                        + StringUtil.simpleClassName(ops));
            }
            if (cancelRequested.get()) {
                throw new IllegalStateException("registration of " + handle + " is cancelled");
            }
            AioIoOps aioOps = (AioIoOps) ops;
            long id = nextId.getAndIncrement();
            if (executor.isExecutorThread(Thread.currentThread())) {
                enqueue(this, aioOps, id);
            } else {
                executor.execute(() -> enqueue(this, aioOps, id));
            }
            return id;
        }

        void link(AioOp op) {
            op.prev = null;
            op.next = inFlightHead;
            if (inFlightHead != null) {
                inFlightHead.prev = op;
            }
            inFlightHead = op;
        }

        void unlink(AioOp op) {
            if (op.prev != null) {
                op.prev.next = op.next;
            } else if (inFlightHead == op) {
                inFlightHead = op.next;
            }
            if (op.next != null) {
                op.next.prev = op.prev;
            }
            op.prev = null;
            op.next = null;
        }

        AioOp findInFlight(long id) {
            for (AioOp op = inFlightHead; op != null; op = op.next) {
                if (op.id == id) {
                    return op;
                }
            }
            return null;
        }

        void deliver(long res, long res2, int opcode, long userData, long id) {
            try {
                handle.handle(this, event.update(res, res2, opcode, userData, id));
            } catch (Throwable t) {
                logger.warn("{} threw while handling {}", handle, event, t);
            }
        }

        @Override
        public boolean cancel(long id) {
            if (executor.isExecutorThread(Thread.currentThread())) {
                return cancelOp(this, id);
            }
            executor.execute(() -> cancelOp(this, id));
            return true;
        }

        @Override
        public int pendingOperations() {
            return pending;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T attachment() {
            return (T) AioIoHandler.this;
        }

        @Override
        public boolean isValid() {
            return !cancelRequested.get();
        }

        @Override
        public boolean cancel() {
            if (!cancelRequested.compareAndSet(false, true)) {
                return false;
            }
            if (executor.isExecutorThread(Thread.currentThread())) {
                cancel0();
            } else {
                executor.execute(this::cancel0);
            }
            return true;
        }

        void cancel0() {
            cancelRequested.set(true);
            if (cancelled) {
                return;
            }
            cancelled = true;
            // Queued operations are completed as cancelled by the next submitPending(); in-flight ones get
            // io_cancel, and their completions arrive through the ring.
            for (AioOp op = inFlightHead; op != null; op = op.next) {
                requestCancel(op);
            }
            if (pending == 0) {
                remove();
            }
        }

        void remove() {
            if (removed) {
                return;
            }
            removed = true;
            registrations.remove(this);
            try {
                handle.unregistered();
            } catch (Throwable t) {
                logger.warn("{}.unregistered() threw", handle, t);
            }
        }

        @Override
        public String toString() {
            return "AioIoRegistration(" + handle + ", pending=" + pending + (cancelled ? ", cancelled" : "") + ')';
        }
    }
}

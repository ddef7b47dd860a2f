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
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link IoHandler} of an AIO event loop: one {@link AioContext} and one eventfd per loop; every iocb carries
 * {@code IOCB_FLAG_RESFD} pointing at that eventfd, so the loop sleeps in {@code ppoll} on it and wakes for
 * completions and for tasks alike.
 *
 * <p>One iteration ({@link #run}): reap the ring in user space and deliver each completion to its handle; send
 * everything queued since the last iteration — operations submitted by tasks and POLLs re-armed by handles — to
 * the kernel in ONE {@code io_submit} (what the kernel does not take stays queued, in order) and reap again what it
 * completed inline; if nothing happened and the loop may block, mark it sleeping, reset the eventfd, look at the
 * ring and the task queue once more and {@code ppoll} the eventfd for the nanoseconds until the next scheduled
 * task. One exception to the single {@code io_submit}: while completions are delivered, reads and writes the
 * handles queue leave as soon as {@link AioIoHandlerConfig#ioSubmitBatch(int) ioSubmitBatch} of them wait, so a
 * device is not left idle while the rest of the iteration's completions are handled (see that method).
 *
 * <p><b>Slots.</b> At most {@link #depth()} operations are in flight; more wait in the loop's queue (counted in
 * {@link AioIoStats#queuedWhenFull()}) unless {@linkplain AioIoOps#withFailFast() fail-fast}. POLLs never take the
 * last {@link AioIoHandlerConfig#fileIoReserve(int) reserve} slots, so idle connections cannot starve file I/O.
 *
 * <p><b>Threading.</b> Everything but {@link #wakeup()}, {@link #stats()} and the {@link AioIoRegistration}
 * methods runs on the loop thread. Ownership: see {@link AioIoOps} (buffers) and {@link AioIoHandle} (events and
 * unregistration). Shutdown cancels everything, drains the ring (bounded, logging the operations that outlive the
 * {@linkplain AioIoHandlerConfig#shutdownTimeout timeout}), destroys the context, then frees the slab and releases
 * the buffers — in that order.
 */
public final class AioIoHandler implements IoHandler {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AioIoHandler.class);

    /** How long the loop sleeps at most while the kernel answers io_submit with EAGAIN and nothing is in flight. */
    private static final long EAGAIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long DRAIN_STEP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int STUCK_OPS_SHOWN = 8;

    private static final int AWAKE = 0;
    private static final int SLEEPING = 1;

    private final ThreadAwareExecutor executor;
    private final AioIoHandlerConfig config;
    private final AioContext context;
    private final EventFd eventFd;
    private final int resfd;
    private final int pollLimit;
    private final int ioSubmitBatch;
    // How many queued reads and writes make a delivered completion submit them at once: ioSubmitBatch while the
    // device works asynchronously, MAX_VALUE while reads and writes complete inside io_submit (see run()).
    private int earlySubmitAt;
    // Reads and writes (not POLLs) the kernel accepted in this iteration, and completed since the loop started.
    private int ioSubmittedThisIteration;
    private long ioCompletions;
    // SLEEPING from the loop's "about to ppoll" until it woke; wakeup() writes the eventfd only on SLEEPING -> AWAKE.
    private final AtomicInteger wakeState = new AtomicInteger(AWAKE);
    // Wakers between their look at wakeState and their eventfd write: destroy() waits for them before closing it.
    private final AtomicInteger wakersInFlight = new AtomicInteger();
    private final AtomicLong nextId = new AtomicLong(1);
    private final ArrayDeque<AioOp> ioQueue = new ArrayDeque<>();
    private final ArrayDeque<AioOp> pollQueue = new ArrayDeque<>();
    // Operations finished without reaching the kernel (cancelled while queued, fail-fast, refused): delivered
    // after the iteration's io_submit, never from inside submit() or cancel(), so handles see no re-entrant events.
    private final ArrayDeque<AioOp> deferred = new ArrayDeque<>();
    private final AioBlock[] batch;
    private final AioOp[] batchOps;
    private Registration registrationsHead;
    private int registrationCount;
    private AioOp freeOps;
    private int pollsInFlight;
    private boolean eagainBlocked;
    private boolean pollLimitLogged;
    private boolean destroyed;

    // Statistics: written by the loop thread only.
    private long queuedWhenFull;
    private long completions;
    private long maxCompletionsPerIteration;
    private long iterations;
    private long sleeps;
    private final AtomicLong wakeups = new AtomicLong();
    private long failedSubmissions;

    private AioIoHandler(ThreadAwareExecutor executor, AioIoHandlerConfig config, AtomicBoolean reductionLogged)
            throws IOException {
        Aio.ensureAvailability();
        this.executor = ObjectUtil.checkNotNull(executor, "executor");
        this.config = config;
        this.context = openContext(config, reductionLogged);
        EventFd efd;
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
        this.ioSubmitBatch = config.ioSubmitBatch();
        this.earlySubmitAt = ioSubmitBatch;
        this.batch = new AioBlock[depth];
        this.batchOps = new AioOp[depth];
    }

    /**
     * Opens the loop's context, halving the depth on EAGAIN (the machine-wide {@code fs.aio-max-nr} budget is used
     * up) down to the configured floor; logs the first reduction of each factory, naming the budget and the sysctl.
     */
    private static AioContext openContext(AioIoHandlerConfig config, AtomicBoolean reductionLogged)
            throws IOException {
        int depth = config.depth();
        for (;;) {
            try {
                AioContext ctx = AioContext.open(depth, config.reapMode());
                if (depth != config.depth() && reductionLogged.compareAndSet(false, true)) {
                    logger.warn("AIO event loop opened with depth {} instead of {}: the machine-wide AIO budget is "
                            + "nearly used up (fs.aio-nr={}, fs.aio-max-nr={}). Every in-flight operation, an armed "
                            + "socket POLL included, needs a slot; raise the budget with "
                            + "'sysctl -w fs.aio-max-nr=1048576' (persist it in /etc/sysctl.d/).", depth,
                            config.depth(), AioLimits.aioNr(), AioLimits.aioMaxNr());
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

    /**
     * A factory of handlers configured by a copy of {@code config}.
     *
     * @throws UnsatisfiedLinkError if AIO is not available here ({@link Aio#unavailabilityCause()})
     */
    public static IoHandlerFactory newFactory(AioIoHandlerConfig config) {
        Aio.ensureAvailability();
        AioIoHandlerConfig copy = new AioIoHandlerConfig(ObjectUtil.checkNotNull(config, "config"));
        AtomicBoolean reductionLogged = new AtomicBoolean();
        return executor -> {
            try {
                return new AioIoHandler(executor, copy, reductionLogged);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create an AIO event loop: " + e.getMessage(), e);
            }
        };
    }

    // ---------------------------------------------------------------- the loop

    @Override
    public int run(IoHandlerContext ctx) {
        iterations++;
        boolean report = ctx.shouldReportActiveIoTime();
        long start = report ? System.nanoTime() : 0;
        ioSubmittedThisIteration = 0;
        int handled = reap();
        if (submitPending() || ioSubmittedThisIteration > 0) {
            // io_submit completes many operations inline (a POLL whose descriptor is ready, a page-cache read, a
            // read of zram): deliver them now, from user space, rather than after the eventfd read and the ring
            // check that sleepAndReap would spend on them. What their handles queue goes out in the next iteration.
            int ioSubmitted = ioSubmittedThisIteration;
            long ioCompletionsBefore = ioCompletions;
            handled += reap();
            if (ioSubmitted > 0) {
                // Submitting early only helps a device that works while the loop goes on. If three quarters of
                // this iteration's reads and writes were back already (they completed inside io_submit), the extra
                // io_submit calls would cost syscalls and gain nothing: batch per iteration until that changes.
                boolean inline = 4 * (ioCompletions - ioCompletionsBefore) >= 3L * ioSubmitted;
                earlySubmitAt = inline ? Integer.MAX_VALUE : ioSubmitBatch;
            }
        }
        handled += deliverDeferred();
        if (handled == 0 && deferred.isEmpty() && !canSubmitNow() && ctx.canBlock()) {
            if (report) {
                ctx.reportActiveIoTime(System.nanoTime() - start);
            }
            handled = sleepAndReap(ctx);
            // What the handles queued while receiving these events goes out in the next iteration's io_submit,
            // together with what the tasks running in between submit.
        } else if (report) {
            ctx.reportActiveIoTime(System.nanoTime() - start);
        }
        if (handled > maxCompletionsPerIteration) {
            maxCompletionsPerIteration = handled;
        }
        return handled;
    }

    /** Whether a queued operation could go to the kernel now (then the loop must not sleep). */
    private boolean canSubmitNow() {
        if (eagainBlocked || context.available() == 0) {
            return false;
        }
        return !ioQueue.isEmpty() || !pollQueue.isEmpty() && pollsInFlight < pollLimit;
    }

    private int reap() {
        try {
            int n = context.reap();
            completions += n;
            return n;
        } catch (IOException e) {
            // io_getevents failing means a broken context; report it and keep the loop serving its tasks.
            logger.warn("Reaping AIO completions failed", e);
            return 0;
        }
    }

    private int sleepAndReap(IoHandlerContext ctx) {
        // Dekker pair with wakeup(): this volatile store, then the task-queue load in canBlock(); wakeup()'s caller
        // enqueued its task before wakeup() loads this state. At least one of the two sees the other: the task,
        // or SLEEPING (and then the eventfd write).
        wakeState.set(SLEEPING);
        try {
            // Reset the eventfd BEFORE the last look at the ring: the kernel publishes a completion in the ring
            // before it signals the eventfd, so each completion is either reaped below or signals the eventfd after
            // this read and ends the ppoll.
            Native.eventFdRead(resfd);
            int n = reap();
            if (n > 0 || !ctx.canBlock()) {
                return n;
            }
            long delay = ctx.delayNanos(System.nanoTime());
            if (eagainBlocked && context.inFlight() == 0) {
                // No completion will come to free the kernel's request slots: retry the submission soon.
                delay = Math.min(delay, EAGAIN_RETRY_NANOS);
            }
            if (delay > 0) {
                sleeps++;
                int res = Native.ppoll(resfd, Native.POLLIN, delay);
                if (res < 0) {
                    logger.warn("ppoll on the loop's eventfd failed: {}", Native.describeErrno(-res));
                }
                eagainBlocked = false;
            }
            return reap();
        } finally {
            wakeState.set(AWAKE);
        }
    }

    @Override
    public void wakeup() {
        if (wakeState.get() != SLEEPING || executor.isExecutorThread(Thread.currentThread())) {
            return;
        }
        wakersInFlight.incrementAndGet();
        try {
            if (wakeState.getAndSet(AWAKE) == SLEEPING) {
                wakeups.incrementAndGet();
                int res = Native.eventFdWrite(resfd, 1L);
                if (res < 0) {
                    logger.warn("Waking the AIO event loop failed: {}", Native.describeErrno(-res));
                }
            }
        } finally {
            wakersInFlight.decrementAndGet();
        }
    }

    // ---------------------------------------------------------------- submission

    private AioOp newOp(Registration registration, AioIoOps ops, long id) {
        AioOp op = freeOps;
        if (op == null) {
            op = new AioOp();
        } else {
            freeOps = op.nextFree;
            op.nextFree = null;
        }
        op.registration = registration;
        op.ops = ops;
        op.id = id;
        return op;
    }

    private void recycle(AioOp op) {
        op.registration = null;
        op.ops = null;
        op.nextFree = freeOps;
        freeOps = op;
    }

    /** Loop thread: queues one operation for the next io_submit, or finishes it at once. */
    void enqueue(Registration registration, AioIoOps ops, long id) {
        AioOp op = newOp(registration, ops, id);
        registration.pending++;
        if (registration.cancelled || destroyed) {
            // Raced with cancel() or shutdown: it never reaches the kernel, but it still completes.
            finishLater(op, -Native.ECANCELED);
            return;
        }
        boolean poll = ops.isPoll();
        // Operations ahead of it take the free slots first: I/O before POLLs, each queue in order.
        int ahead = poll ? ioQueue.size() + pollQueue.size() : ioQueue.size();
        boolean pollsFull = poll && pollsInFlight + pollQueue.size() >= pollLimit;
        if (eagainBlocked || ahead >= context.available() || pollsFull) {
            if (ops.isFailFast()) {
                finishLater(op, -Native.EAGAIN);
                return;
            }
            queuedWhenFull++;
            if (pollsFull && !pollLimitLogged) {
                pollLimitLogged = true;
                logger.warn("{}: all {} slots POLLs may use are taken ({} more are kept for file I/O); further "
                        + "POLLs wait in the loop's queue until others complete. Raise io.netty.aio.depth (and "
                        + "fs.aio-max-nr) for this many connections per loop.", this, pollLimit,
                        context.depth() - pollLimit);
            }
        }
        registration.queued++;
        (poll ? pollQueue : ioQueue).add(op);
    }

    /**
     * Sends what is queued in ONE io_submit: file I/O first, then POLLs within their share of the slots. Returns
     * whether the kernel took any.
     */
    private boolean submitPending() {
        if (ioQueue.isEmpty() && pollQueue.isEmpty()) {
            return false;
        }
        int free = context.available();
        int n = fillBatch(ioQueue, 0, free, Integer.MAX_VALUE);
        n = fillBatch(pollQueue, n, free, pollLimit - pollsInFlight);
        if (n == 0) {
            return false;
        }
        int accepted = 0;
        int failed = 0;
        long eagainBefore = context.eagainCount();
        try {
            accepted = context.submit(batch, 0, n);
            // A short count without EAGAIN means the kernel stopped at an iocb it refuses: the next iteration's
            // io_submit starts with it and gets the errno. EAGAIN means its request slots are busy: wait for a
            // completion before trying again.
            eagainBlocked = context.eagainCount() != eagainBefore;
        } catch (AioSubmitException e) {
            // The kernel refused the first iocb outright (EBADF, EINVAL, ...): it alone fails, with that errno.
            failedSubmissions++;
            failed = 1;
            if (logger.isDebugEnabled()) {
                logger.debug("io_submit refused {}", batchOps[0].ops, e);
            }
            finishLater(batchOps[0], -e.errno());
        } catch (IOException | RuntimeException e) {
            // Only a caller breaking the ownership contract gets here: a buffer released by another thread since
            // submit(). Fail the operations whose buffers are gone (or the first one), keep the rest queued.
            logger.warn("io_submit of {} operations failed", n, e);
            for (int i = 0; i < n; i++) {
                if (batchOps[i].ops.hasReleasedBuffer() || i == 0) {
                    failedSubmissions++;
                    finishLater(batchOps[i], -Native.EINVAL);
                    batchOps[i] = null;
                }
            }
            failed = 1;
        }
        for (int i = 0; i < accepted; i++) {
            AioOp op = batchOps[i];
            op.inFlight = true;
            if (op.ops.isPoll()) {
                pollsInFlight++;
            } else {
                ioSubmittedThisIteration++;
            }
            op.registration.link(op);
        }
        // What the kernel did not take goes back to the front of its queue, in order.
        for (int i = n - 1; i >= accepted + failed; i--) {
            AioOp op = batchOps[i];
            if (op != null) {
                op.registration.queued++;
                (op.ops.isPoll() ? pollQueue : ioQueue).addFirst(op);
            }
        }
        for (int i = 0; i < n; i++) {
            batch[i] = null;
            batchOps[i] = null;
        }
        return accepted > 0;
    }

    private int fillBatch(ArrayDeque<AioOp> queue, int n, int free, int limit) {
        int taken = 0;
        while (n < free && taken < limit) {
            AioOp op = queue.poll();
            if (op == null) {
                break;
            }
            op.registration.queued--;
            try {
                op.ops.prepare(op.block, resfd);
            } catch (RuntimeException e) {
                // Validated at submit(); only a buffer released since then gets here.
                failedSubmissions++;
                logger.warn("Could not prepare {}", op.ops, e);
                finishLater(op, -Native.EINVAL);
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

    /** Finishes an operation that never reached the kernel; its event is delivered by {@link #deliverDeferred}. */
    private void finishLater(AioOp op, long res) {
        op.res = res;
        deferred.add(op);
    }

    /** Delivers the deferred events queued before this call (those queued while delivering wait a round). */
    private int deliverDeferred() {
        int n = deferred.size();
        for (int i = 0; i < n; i++) {
            AioOp op = deferred.poll();
            complete(op, op.res, 0);
        }
        return n;
    }

    /** Delivers the one and only event of {@code op}, then frees it; the registration may end here. */
    private void complete(AioOp op, long res, long res2) {
        Registration registration = op.registration;
        AioIoOps ops = op.ops;
        long id = op.id;
        if (op.inFlight) {
            op.inFlight = false;
            registration.unlink(op);
            if (ops.isPoll()) {
                pollsInFlight--;
            }
        }
        recycle(op);
        registration.pending--;
        registration.deliver(res, res2, ops, id);
        if (registration.pending == 0 && registration.cancelled) {
            registration.remove();
        }
    }

    /** Cancels the operation {@code id} of {@code registration}, on the loop thread. */
    private boolean cancelOp(Registration registration, long id) {
        if (registration.queued > 0
                && (cancelQueued(ioQueue, registration, id) || cancelQueued(pollQueue, registration, id))) {
            return true;
        }
        AioOp op = registration.findInFlight(id);
        return op != null && requestCancel(op);
    }

    private boolean cancelQueued(ArrayDeque<AioOp> queue, Registration registration, long id) {
        for (Iterator<AioOp> it = queue.iterator(); it.hasNext();) {
            AioOp op = it.next();
            if (op.id == id && op.registration == registration) {
                it.remove();
                registration.queued--;
                finishLater(op, -Native.ECANCELED);
                return true;
            }
        }
        return false;
    }

    /** Takes every queued operation of {@code registration} out of {@code queue}, finishing it as cancelled. */
    private void cancelAllQueued(ArrayDeque<AioOp> queue, Registration registration) {
        for (Iterator<AioOp> it = queue.iterator(); it.hasNext() && registration.queued > 0;) {
            AioOp op = it.next();
            if (op.registration == registration) {
                it.remove();
                registration.queued--;
                finishLater(op, -Native.ECANCELED);
            }
        }
    }

    private boolean requestCancel(AioOp op) {
        try {
            return context.cancel(op.block);
        } catch (IOException | RuntimeException e) {
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
        registration.next = registrationsHead;
        if (registrationsHead != null) {
            registrationsHead.prev = registration;
        }
        registrationsHead = registration;
        registrationCount++;
        handle.registered();
        return registration;
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return AioIoHandle.class.isAssignableFrom(handleType);
    }

    private Registration[] registrationsSnapshot() {
        Registration[] all = new Registration[registrationCount];
        int i = 0;
        for (Registration r = registrationsHead; r != null; r = r.next) {
            all[i++] = r;
        }
        return all;
    }

    // ---------------------------------------------------------------- shutdown

    @Override
    public void prepareToDestroy() {
        // Netty calls this in every iteration while the loop shuts down: close each handle once. Handles cancel
        // their own registrations (channels close, files fail their futures).
        for (Registration registration : registrationsSnapshot()) {
            if (!registration.closeCalled) {
                registration.closeCalled = true;
                try {
                    registration.handle.close();
                } catch (Exception e) {
                    logger.debug("Failed to close {}", registration.handle, e);
                }
            }
        }
    }

    @Override
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        // Netty skips prepareToDestroy() when the shutdown request lands between its isShuttingDown() check and
        // confirmShutdown() (SingleThreadIoEventLoop.run): close the handles that were not closed yet.
        prepareToDestroy();
        // 1. Cancel everything: queued operations finish as cancelled, in-flight ones get io_cancel.
        for (Registration registration : registrationsSnapshot()) {
            registration.cancel0();
        }
        while (!deferred.isEmpty()) {
            deliverDeferred();
        }
        // 2. Drain the ring, bounded: cancelled POLLs come back at once, file I/O when the device is done.
        drainInFlight();
        // 3.-5. io_destroy (it waits for whatever the kernel still runs), free the slab; operations that outlived
        // the drain are completed as cancelled after io_destroy, which is when their buffers are released.
        try {
            context.close(0, TimeUnit.NANOSECONDS);
        } catch (IOException | RuntimeException e) {
            logger.warn("Closing the AIO context failed", e);
        }
        while (!deferred.isEmpty()) {
            deliverDeferred();
        }
        // A waker that saw SLEEPING may still be about to write: let it finish before the descriptor is reused.
        while (wakersInFlight.get() != 0) {
            Thread.onSpinWait();
        }
        try {
            eventFd.close();
        } catch (IOException e) {
            logger.debug("Closing the eventfd failed", e);
        }
    }

    private void drainInFlight() {
        long timeout = config.shutdownTimeoutNanos();
        long start = System.nanoTime();
        while (context.inFlight() > 0) {
            long left = timeout - (System.nanoTime() - start);
            if (left <= 0) {
                logger.warn("AIO event loop shutdown: {} operations did not complete within {} ms: {}; io_destroy "
                        + "now waits for the kernel to finish them, then they complete with -ECANCELED",
                        context.inFlight(), TimeUnit.NANOSECONDS.toMillis(timeout), describeInFlight());
                return;
            }
            try {
                completions += context.getEvents(1, context.depth(), Math.min(left, DRAIN_STEP_NANOS));
            } catch (IOException | RuntimeException e) {
                logger.warn("Draining AIO completions at shutdown failed", e);
                return;
            }
        }
    }

    private String describeInFlight() {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Registration r = registrationsHead; r != null && shown < STUCK_OPS_SHOWN; r = r.next) {
            for (AioOp op = r.inFlightHead; op != null && shown < STUCK_OPS_SHOWN; op = op.next) {
                sb.append(shown++ == 0 ? "" : ", ").append(op.ops).append(" id=").append(op.id).append(" of ")
                        .append(r.handle);
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- stats

    /** A snapshot of this loop's counters; see {@link AioIoStats} for exactness off the loop thread. */
    public AioIoStats stats() {
        return new AioIoStats(context.depth(), pollLimit, context.inFlight(), pollsInFlight,
                ioQueue.size() + pollQueue.size(), context.submitCalls(), context.submittedCount(),
                context.eagainCount(), queuedWhenFull, completions, maxCompletionsPerIteration, iterations, sleeps,
                wakeups.get(), failedSubmissions, context.staleCompletionCount());
    }

    /** The context's depth: how many operations this loop keeps in flight at most. */
    public int depth() {
        return context.depth();
    }

    /** The slots POLLs may take: the depth minus the {@linkplain AioIoHandlerConfig#fileIoReserve reserve}. */
    public int pollSlots() {
        return pollLimit;
    }

    /** Whether the loop is in (or about to enter) its ppoll, for tests of this package. */
    boolean isSleeping() {
        return wakeState.get() == SLEEPING;
    }

    /** The loop's context, for tests of this package. */
    AioContext context() {
        return context;
    }

    @Override
    public String toString() {
        return "AioIoHandler(" + context + ')';
    }

    // ---------------------------------------------------------------- inner types

    /** A pooled queued or in-flight operation; its block is reused from one operation to the next. */
    private final class AioOp implements AioCallback {
        final AioBlock block = new AioBlock().callback(this);
        Registration registration;
        AioIoOps ops;
        long id;
        long res;
        boolean inFlight;
        AioOp nextFree;
        // The registration's in-flight list, for cancellation by id and of the whole registration.
        AioOp prev;
        AioOp next;

        @Override
        public void onComplete(AioBlock block, long res, long res2) {
            // The kernel freed a request slot: a submission refused with EAGAIN may go now.
            eagainBlocked = false;
            if (!ops.isPoll()) {
                ioCompletions++;
            }
            complete(this, res, res2);
            if (ioQueue.size() >= earlySubmitAt) {
                // A device starts on a request only when io_submit returns (the block layer plugs a batch): let the
                // handles' follow-up reads and writes go now, not after every other completion of this iteration.
                submitPending();
            }
        }
    }

    private final class Registration implements AioIoRegistration {
        final AioIoHandle handle;
        private final AioIoEvent event = new AioIoEvent();
        private final AtomicBoolean cancelRequested = new AtomicBoolean();
        // Loop-thread state.
        Registration prev;
        Registration next;
        boolean cancelled;
        boolean closeCalled;
        int pending;
        int queued;
        AioOp inFlightHead;
        private boolean removed;

        Registration(AioIoHandle handle) {
            this.handle = handle;
        }

        @Override
        public long submit(IoOps ops) {
            if (!(ops instanceof AioIoOps)) {
                throw new IllegalArgumentException("AioIoHandler takes AioIoOps, not "
                        + (ops == null ? "null" : StringUtil.simpleClassName(ops)));
            }
            AioIoOps aioOps = (AioIoOps) ops;
            aioOps.checkBuffersLive();
            if (cancelRequested.get()) {
                return INVALID_ID;
            }
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
            } else {
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

        void deliver(long res, long res2, AioIoOps ops, long id) {
            try {
                handle.handle(this, event.update(res, res2, ops.opcode(), ops.userData(), id));
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
            return (T) this;
        }

        @Override
        public AioIoHandler handler() {
            return AioIoHandler.this;
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
            // Queued operations finish as cancelled in this iteration; in-flight ones get io_cancel and their
            // completions arrive through the ring (a POLL at once, file I/O when the device is done with it).
            if (queued > 0) {
                cancelAllQueued(ioQueue, this);
                cancelAllQueued(pollQueue, this);
            }
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
            if (prev != null) {
                prev.next = next;
            } else {
                registrationsHead = next;
            }
            if (next != null) {
                next.prev = prev;
            }
            prev = null;
            next = null;
            registrationCount--;
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

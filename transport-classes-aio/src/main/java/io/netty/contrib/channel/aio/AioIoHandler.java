/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEvent;
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
import io.netty.contrib.channel.aio.core.AioSubmitQueue;
import io.netty.contrib.channel.aio.core.EpollEventArray;
import io.netty.contrib.channel.aio.core.EventFd;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.netty.util.internal.ObjectUtil;
import io.netty.util.internal.StringUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link IoHandler} of an AIO event loop: one {@link AioContext}, one eventfd and one epoll set per loop. The
 * context carries what is really asynchronous (file and device reads and writes, fsync, {@code IOCB_CMD_POLL}s of
 * handles); every iocb carries {@code IOCB_FLAG_RESFD} pointing at the eventfd. The epoll set carries readiness:
 * sockets, listeners and poll-mode descriptors are {@linkplain AioIoRegistration#watch watched} there once,
 * edge-triggered, and hold no slot of the context however long they stay idle.
 *
 * <p>One iteration ({@link #run}): reap the ring in user space and deliver each completion to its handle; send
 * everything queued since the last iteration to the kernel in ONE {@code io_submit} (what the kernel does not take
 * stays queued, in order) and reap again what it completed inline; then either look at the epoll set without
 * waiting (the loop is busy) or sleep: mark the loop sleeping, look at the ring and the task queue once more and
 * block until the next scheduled task — in {@code epoll_wait} on the set, which also holds the eventfd
 * ({@link AioIoHandlerConfig.WakeMode#EPOLL_WAIT}, the default), or in {@code ppoll} on the eventfd after arming one
 * {@code IOCB_CMD_POLL} on the set ({@link AioIoHandlerConfig.WakeMode#AIO_POLL}). Either way a completion, a
 * readiness event and a {@link #wakeup()} each end the sleep. One exception to the single {@code io_submit}: while
 * completions are delivered, reads and writes the handles queue leave as soon as
 * {@link AioIoHandlerConfig#ioSubmitBatch(int) ioSubmitBatch} of them wait, so a device is not left idle while the
 * rest of the iteration's completions are handled (see that method).
 *
 * <p><b>Slots.</b> At most {@link #depth()} operations are in flight; more wait in the loop's queue (counted in
 * {@link AioIoStats#queuedWhenFull()}) unless {@linkplain AioIoOps#withFailFast() fail-fast}. Handles' POLLs never
 * take the last {@link AioIoHandlerConfig#fileIoReserve(int) reserve} slots, so they cannot starve file I/O.
 *
 * <p><b>Threading.</b> Everything but {@link #wakeup()}, {@link #stats()} and the {@link AioIoRegistration}
 * methods that say otherwise runs on the loop thread. Ownership: see {@link AioIoOps} (buffers) and
 * {@link AioIoHandle} (events and unregistration). Shutdown cancels everything (watched descriptors leave the set),
 * drains the ring (bounded, logging the operations that outlive the
 * {@linkplain AioIoHandlerConfig#shutdownTimeout timeout}), destroys the context, then frees the slab and releases
 * the buffers — in that order — and closes the epoll set and the eventfd. When operations outlive the timeout (a
 * device or FUSE daemon that does not answer), the loop still ends then: {@code io_destroy}, which waits for the
 * kernel to finish them, runs on a daemon thread of its own ({@code aio-io-destroy-<loop thread>}), which frees
 * the slab and releases their buffers once it returns.
 */
public final class AioIoHandler implements IoHandler {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AioIoHandler.class);

    private static final long DRAIN_STEP_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long the shutdown's last turns wait for a completion before running tasks again. */
    private static final long SHUTDOWN_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int STUCK_OPS_SHOWN = 8;

    private static final int AWAKE = 0;
    private static final int SLEEPING = 1;

    /** The epoll data of the loop's own eventfd in the set (WakeMode.EPOLL_WAIT): no registration has fd -1. */
    private static final long EVENTFD_TOKEN = 0xffffffffL;
    /** Readiness events one epoll_wait takes at most; more stay in the set for the next call. */
    private static final int EPOLL_EVENTS = 256;
    /** Completions reaped with the eventfd in the set after which it leaves the set (the loop does file I/O). */
    private static final int EVENTFD_OUT_OF_SET_AFTER = 64;
    /** How many busy-poll rounds look only at the ring and the tasks between two looks at the epoll set. */
    private static final int BUSY_POLL_EPOLL_EVERY = 64;
    private static final int WATCHABLE = Native.EPOLLIN | Native.EPOLLOUT | Native.EPOLLRDHUP;

    private final ThreadAwareExecutor executor;
    private final AioIoHandlerConfig config;
    private final AioContext context;
    private final EventFd eventFd;
    private final int resfd;
    // The readiness set: sockets, listeners and poll-mode fd channels, each watched once (edge-triggered).
    private final int epfd;
    private final EpollEventArray epollEvents;
    private final IntObjectMap<Registration> watched = new IntObjectHashMap<>();
    private final AioIoHandlerConfig.WakeMode wakeMode;
    private final long busyPollNanos;
    // WakeMode.AIO_POLL: one IOCB_CMD_POLL on epfd, armed before the loop sleeps; while it is in flight the set had
    // no event when it was armed and none since (the POLL completes on the first).
    private Registration epollPollRegistration;
    private AioIoOps epollPollOps;
    private boolean epollPollArmed;
    private int watchSerial;
    // WakeMode.EPOLL_WAIT: whether the eventfd is in the set now (see unwatchEventFdIfBusyWithFiles()).
    private boolean eventFdInSet;
    private long completionsAtEventFdAdd;
    private long completionsAtLastSleep;
    private final int pollLimit;
    private final int ioSubmitBatch;
    // How many queued reads and writes make a delivered completion submit them at once: ioSubmitBatch while the
    // device works asynchronously, MAX_VALUE while reads and writes complete inside io_submit (see run()).
    private int earlySubmitAt;
    // Reads and writes (not POLLs) the kernel accepted in this iteration, and completed since the loop started.
    private int ioSubmittedThisIteration;
    private long ioCompletions;
    // SLEEPING from the loop's "about to sleep" until it woke; wakeup() writes the eventfd only on SLEEPING -> AWAKE.
    private final AtomicInteger wakeState = new AtomicInteger(AWAKE);
    // Wakers between their look at wakeState and their eventfd write: destroy() waits for them before closing it.
    private final AtomicInteger wakersInFlight = new AtomicInteger();
    private final AtomicLong nextId = new AtomicLong(1);
    // Reads, writes and syncs in the main lane; POLLs in the rationed one, within pollLimit.
    private final AioSubmitQueue<AioOp> queue;
    // Operations finished without reaching the kernel (cancelled while queued, fail-fast, refused): delivered
    // after the iteration's io_submit, never from inside submit() or cancel(), so handles see no re-entrant events.
    private final ArrayDeque<AioOp> deferred = new ArrayDeque<>();
    private Registration registrationsHead;
    private int registrationCount;
    private AioOp freeOps;
    private int pollsInFlight;
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
    private long readinessEvents;
    private long epollWaits;
    // DefaultFileRegions sent by this loop's stream channels: which path each byte took (see AioIoStats).
    private long regionSendfileBytes;
    private long regionAioBytes;
    private long regionAioReads;
    private long regionOffLoopOpens;

    /** The loop as an {@link EventExecutor} (to see its shutdown begin), or {@code null} if it is not one. */
    private final EventExecutor shutdownSource;
    /** Whether {@link #closeAllBeforeDestroy} was queued as a task of the loop, which happens once. */
    private final AtomicBoolean shutdownTaskQueued = new AtomicBoolean();

    private AioIoHandler(ThreadAwareExecutor executor, AioIoHandlerConfig config, AtomicBoolean reductionLogged)
            throws IOException {
        Aio.ensureAvailability();
        this.executor = ObjectUtil.checkNotNull(executor, "executor");
        this.shutdownSource = executor instanceof EventExecutor ? (EventExecutor) executor : null;
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
        this.wakeMode = config.wakeMode();
        this.busyPollNanos = config.busyPollNanos();
        int ep = Native.epollCreate();
        if (ep < 0) {
            closeQuietly(efd);
            context.close();
            throw Native.ioException("epoll_create1", ep);
        }
        this.epfd = ep;
        if (wakeMode == AioIoHandlerConfig.WakeMode.EPOLL_WAIT) {
            // Edge-triggered: every eventfd signal (a completion, a wakeup()) reports it once, so while it is in
            // the set the loop never reads the counter back to zero; the ring is reaped after each report, which
            // sees every completion published before its signal.
            int res = Native.epollCtl(epfd, Native.EPOLL_CTL_ADD, resfd, Native.EPOLLIN | Native.EPOLLET,
                    EVENTFD_TOKEN);
            if (res < 0) {
                Native.close(epfd);
                closeQuietly(efd);
                context.close();
                throw Native.ioException("epoll_ctl(EPOLL_CTL_ADD, eventfd " + resfd + ')', res);
            }
            eventFdInSet = true;
        }
        this.epollEvents = new EpollEventArray(EPOLL_EVENTS);
        int depth = context.depth();
        this.pollLimit = depth - config.reserveFor(depth);
        this.ioSubmitBatch = config.ioSubmitBatch();
        this.earlySubmitAt = ioSubmitBatch;
        this.queue = new AioSubmitQueue<>(context, new Submissions());
        if (wakeMode == AioIoHandlerConfig.WakeMode.AIO_POLL) {
            epollPollOps = AioIoOps.poll(epfd, Native.POLLIN, 0);
            epollPollRegistration = (Registration) register(new EpollPollHandle());
        }
    }

    private static void closeQuietly(EventFd efd) {
        try {
            efd.close();
        } catch (IOException e) {
            logger.debug("Closing the eventfd failed", e);
        }
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
                            + "nearly used up (fs.aio-nr={}, fs.aio-max-nr={}). Every in-flight file or device "
                            + "operation needs a slot (more wait in the loop's queue); raise the budget with "
                            + "'sysctl -w fs.aio-max-nr=1048576' (persist it in /etc/sysctl.d/).", depth,
                            config.depth(), AioLimits.aioNr(), AioLimits.aioMaxNr());
                }
                return ctx;
            } catch (AioIoException e) {
                if (e.expectedErr() != -Native.EAGAIN || depth <= config.minDepth()) {
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

    /** Loop thread, before its first iteration: the per-thread settings of the config. */
    @Override
    public void initialize() {
        long slack = config.timerSlackNanos();
        if (slack > 0) {
            int res = Native.setTimerSlack(slack);
            if (res < 0) {
                // Timers still fire, only as late as before: not a reason to refuse to run.
                logger.warn("prctl(PR_SET_TIMERSLACK, {}) failed on the AIO loop thread: {}", slack,
                        Native.describeResult(res));
            }
        }
    }

    @Override
    public int run(IoHandlerContext ctx) {
        iterations++;
        boolean report = ctx.shouldReportActiveIoTime();
        long start = report ? System.nanoTime() : 0;
        ioSubmittedThisIteration = 0;
        int handled = reap();
        if (submitPending() || ioSubmittedThisIteration > 0) {
            // io_submit completes many operations inline (a page-cache read, a read of zram, a POLL whose
            // descriptor is ready): deliver them now, from user space, rather than after the sleep. What their
            // handles queue goes out in the next iteration.
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
        unwatchEventFdIfBusyWithFiles();
        if (handled == 0 && deferred.isEmpty() && !canSubmitNow() && ctx.canBlock()) {
            if (report) {
                ctx.reportActiveIoTime(System.nanoTime() - start);
            }
            // The sleep looks at the readiness set too (it is the epoll_wait, or the armed POLL on the set).
            handled = sleepAndReap(ctx);
            // What the handles queued while receiving these events goes out in the next iteration's io_submit,
            // together with what the tasks running in between submit.
        } else {
            // Busy (tasks, completions, or operations to submit): a look at the set that never waits, so sockets
            // are served between tasks. An armed POLL on the set means it had nothing and has had nothing since.
            // An iteration with nothing but tasks makes that syscall even when nothing is watched, as epoll's loop
            // does: without it the loop spins on the task queue against the threads filling it (execute() from
            // another thread: 0.59x epoll's throughput without, 1.03x with, benchmarks/loop.sh).
            if (!epollPollArmed && (handled == 0 || !watched.isEmpty())) {
                handled += epollWait(0);
            }
            if (report) {
                ctx.reportActiveIoTime(System.nanoTime() - start);
            }
        }
        if (handled > maxCompletionsPerIteration) {
            maxCompletionsPerIteration = handled;
        }
        return handled;
    }

    /** Whether a queued operation could go to the kernel now (then the loop must not sleep). */
    private boolean canSubmitNow() {
        return queue.canSubmitNow(pollLimit - pollsInFlight);
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

    // ---------------------------------------------------------------- readiness

    /** epoll_wait without waiting, when anything is watched; delivers what it returns. */
    private int epollWaitNow() {
        if (watched.isEmpty()) {
            // A loop of files alone reaps its ring in user space; the eventfd's reports wait for the sleep.
            return 0;
        }
        return epollWait(0);
    }

    /** One epoll_wait of at most {@code timeoutNanos} (0: none, negative: forever); delivers what it returns. */
    private int epollWait(long timeoutNanos) {
        epollWaits++;
        int n = Native.epollWait(epfd, epollEvents.memoryAddress(), epollEvents.capacity(), timeoutNanos);
        if (n < 0) {
            logger.warn("epoll_wait on the loop's readiness set failed: {}", Native.describeResult(n));
            return 0;
        }
        int handled = 0;
        for (int i = 0; i < n; i++) {
            long data = epollEvents.data(i);
            if (data == EVENTFD_TOKEN) {
                // A completion was published (or wakeup() was called): the ring has it.
                handled += reap();
                continue;
            }
            Registration r = watched.get((int) data);
            if (r == null || r.watchToken != data) {
                // Collected before its registration stopped watching (closed by an earlier event of this batch),
                // perhaps with the descriptor number reused since: not for whoever holds that number now.
                continue;
            }
            readinessEvents++;
            handled++;
            r.deliverReadiness(epollEvents.events(i));
        }
        return handled;
    }

    private int sleepAndReap(IoHandlerContext ctx) {
        // Dekker pair with wakeup(): this volatile store, then the task-queue load in canBlock(); wakeup()'s caller
        // enqueued its task before wakeup() loads this state. At least one of the two sees the other: the task,
        // or SLEEPING (and then the eventfd write).
        wakeState.set(SLEEPING);
        try {
            if (busyPollNanos > 0) {
                int n = busyPoll(ctx);
                if (n > 0 || !ctx.canBlock()) {
                    return n;
                }
            }
            return wakeMode == AioIoHandlerConfig.WakeMode.EPOLL_WAIT ? sleepInEpollWait(ctx) : sleepInPpoll(ctx);
        } finally {
            wakeState.set(AWAKE);
        }
    }

    /**
     * Spins on the ring, the task queue and now and then the readiness set for {@link #busyPollNanos} before the
     * loop sleeps: a completion that arrives meanwhile is handled without the wake-up's latency.
     */
    private int busyPoll(IoHandlerContext ctx) {
        long deadline = System.nanoTime() + busyPollNanos;
        int round = 0;
        do {
            int n = reap();
            if (n == 0 && ++round % BUSY_POLL_EPOLL_EVERY == 0 && !epollPollArmed) {
                n = epollWaitNow();
            }
            if (n > 0 || !ctx.canBlock()) {
                return n;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - deadline < 0);
        return 0;
    }

    /**
     * The sleep of {@link AioIoHandlerConfig.WakeMode#EPOLL_WAIT}: epoll_wait on the set that holds the eventfd —
     * or, while the loop is busy with file I/O and the eventfd is out of the set, ppoll on the eventfd and the set.
     */
    private int sleepInEpollWait(IoHandlerContext ctx) {
        boolean completionsSinceLastSleep = completions != completionsAtLastSleep;
        completionsAtLastSleep = completions;
        if (!eventFdInSet && !completionsSinceLastSleep) {
            // No completion since the last sleep: readiness is all this loop waits for now, and one epoll_wait is
            // the cheapest sleep for it. Reset the counter first, so that the edge-triggered ADD does not report
            // signals of completions the reap below takes anyway.
            Native.eventFdRead(resfd);
            watchEventFd(Native.EPOLL_CTL_ADD);
        }
        if (!eventFdInSet) {
            return sleepOnEventFd(ctx, true);
        }
        // A completion published before this reap signalled the eventfd already: the epoll_wait below then
        // returns at once and reaps (nothing, or what came since). One published after it signals the eventfd
        // after it, and ends the epoll_wait.
        int n = reap();
        if (n > 0 || !ctx.canBlock()) {
            return n;
        }
        long delay = sleepNanos(ctx);
        if (delay <= 0) {
            return epollWait(0);
        }
        sleeps++;
        n = epollWait(delay);
        queue.unblock();
        return n;
    }

    /**
     * While the eventfd is in the set, every completion's signal runs epoll's wake-up callback inside the
     * syscall that completed it (~0.4 us a read on zram at queue depth 1: 316k against 361k IOPS without it).
     * A loop that reaps many completions takes the eventfd out of the set until a sleep finds that none came.
     */
    private void unwatchEventFdIfBusyWithFiles() {
        if (eventFdInSet && completions - completionsAtEventFdAdd >= EVENTFD_OUT_OF_SET_AFTER) {
            watchEventFd(Native.EPOLL_CTL_DEL);
        }
    }

    private void watchEventFd(int op) {
        int res = Native.epollCtl(epfd, op, resfd, Native.EPOLLIN | Native.EPOLLET, EVENTFD_TOKEN);
        if (res < 0) {
            // Either state works (the sleep follows it): keep the one we have.
            logger.debug("epoll_ctl({}, eventfd {}) failed: {}", op, resfd, Native.describeResult(res));
            return;
        }
        eventFdInSet = op == Native.EPOLL_CTL_ADD;
        completionsAtEventFdAdd = completions;
    }



    /**
     * The sleep of {@link AioIoHandlerConfig.WakeMode#AIO_POLL}: arm the POLL on the set, then ppoll the eventfd,
     * which every completion (that POLL's included) signals.
     */
    private int sleepInPpoll(IoHandlerContext ctx) {
        if (!epollPollArmed && !watched.isEmpty()) {
            epollPollArmed = true;
            epollPollRegistration.submit(epollPollOps);
            // The kernel polls the set inside io_submit: an event since the last epoll_wait completes it at once.
            if (submitPending()) {
                int n = reap();
                if (n > 0) {
                    return n + readinessIfPollFired();
                }
            }
        }
        return sleepOnEventFd(ctx, false);
    }

    /**
     * Sleeps in ppoll on the eventfd — and on the epoll set too if {@code andSet} (an EPOLL_WAIT loop whose eventfd
     * is out of the set) — then takes what the ring and the set hold.
     */
    private int sleepOnEventFd(IoHandlerContext ctx, boolean andSet) {
        // Reset the eventfd BEFORE the last look at the ring: the kernel publishes a completion in the ring before
        // it signals the eventfd, so each completion is either reaped below or signals the eventfd after this read
        // and ends the ppoll.
        Native.eventFdRead(resfd);
        int n = reap();
        if (n > 0 || !ctx.canBlock()) {
            return n + readinessIfPollFired();
        }
        long delay = sleepNanos(ctx);
        if (delay > 0) {
            sleeps++;
            int res = andSet ? Native.ppoll2(resfd, epfd, delay) : Native.ppoll(resfd, Native.POLLIN, delay);
            if (res < 0) {
                logger.warn("ppoll on the loop's eventfd{} failed: {}", andSet ? " and epoll set" : "",
                        Native.describeResult(res));
            }
            queue.unblock();
        }
        return reap() + readinessIfPollFired();
    }

    /**
     * After a reap: the set's events, unless the AIO_POLL loop's POLL on the set is still armed (then the set had
     * none since it was armed).
     */
    private int readinessIfPollFired() {
        return epollPollArmed ? 0 : epollWaitNow();
    }

    private long sleepNanos(IoHandlerContext ctx) {
        // Blocked by EAGAIN with nothing in flight, no completion will come to free a request slot: wake to retry.
        return queue.boundSleep(ctx.delayNanos(System.nanoTime()));
    }

    @Override
    public void wakeup() {
        if (shutdownSource != null && shutdownSource.isShuttingDown()
                && shutdownTaskQueued.compareAndSet(false, true)) {
            queueCloseAll(shutdownSource);
        }
        if (wakeState.get() != SLEEPING || executor.isExecutorThread(Thread.currentThread())) {
            return;
        }
        wakersInFlight.incrementAndGet();
        try {
            if (wakeState.getAndSet(AWAKE) == SLEEPING) {
                wakeups.incrementAndGet();
                int res = Native.eventFdWrite(resfd, 1L);
                if (res < 0) {
                    logger.warn("Waking the AIO event loop failed: {}", Native.describeResult(res));
                }
            }
        } finally {
            wakersInFlight.decrementAndGet();
        }
    }

    // ---------------------------------------------------------------- submission

    private AioOp newOp(Registration registration, AioIoOps ops, Object attachment, long id) {
        AioOp op = freeOps;
        if (op == null) {
            op = new AioOp();
        } else {
            freeOps = op.nextFree;
            op.nextFree = null;
        }
        op.registration = registration;
        op.ops = ops;
        op.attachment = attachment;
        op.id = id;
        return op;
    }

    private void recycle(AioOp op) {
        op.registration = null;
        op.ops = null;
        op.attachment = null;
        op.nextFree = freeOps;
        freeOps = op;
    }

    /**
     * Loop thread: queues one operation for the next io_submit, or finishes it at once. {@code ops} with
     * {@code buffer} or {@code vector} (or neither) at {@code offset}, as {@link AioIoOps#applyTo} takes them.
     */
    void enqueue(Registration registration, AioIoOps ops, ByteBuf buffer, ByteBuf[] vector, long offset,
                 Object attachment, long id) {
        AioOp op = newOp(registration, ops, attachment, id);
        registration.pending++;
        if (registration.cancelled || destroyed) {
            // Raced with cancel() or shutdown: it never reaches the kernel, but it still completes.
            finishLater(op, -Native.ECANCELED);
            return;
        }
        boolean poll = ops.isPoll();
        // Operations ahead of it take the free slots first: I/O before POLLs, each queue in order.
        int ahead = poll ? queue.size() : queue.mainSize();
        boolean pollsFull = poll && pollsInFlight + queue.rationedSize() >= pollLimit;
        if (queue.isBlocked() || ahead >= context.available() || pollsFull) {
            if (ops.isFailFast()) {
                finishLater(op, -Native.EAGAIN);
                return;
            }
            queuedWhenFull++;
            if (pollsFull && !pollLimitLogged) {
                pollLimitLogged = true;
                logger.warn("{}: all {} slots POLLs may use are taken ({} more are kept for file I/O); further "
                        + "POLLs wait in the loop's queue until others complete. Raise io.netty.aio.depth (and "
                        + "fs.aio-max-nr) for this many IOCB_CMD_POLLs per loop, or watch the descriptors with "
                        + "AioIoRegistration.watch, which takes no slot.", this, pollLimit,
                        context.depth() - pollLimit);
            }
        }
        try {
            ops.applyTo(op.block, buffer, vector, offset);
        } catch (RuntimeException e) {
            // submit() ran every check applyTo() could make (AioBlock's), so nothing is expected here; if it ever
            // is, only that operation fails, once, and the loop goes on.
            failedSubmissions++;
            logger.warn("Could not prepare {}", ops, e);
            finishLater(op, -Native.EINVAL);
            return;
        }
        registration.queued++;
        if (poll) {
            queue.addRationed(op);
        } else {
            queue.add(op);
        }
    }

    /**
     * Sends what is queued in ONE io_submit: file I/O first, then POLLs within their share of the slots. Returns
     * whether the kernel took any.
     */
    private boolean submitPending() {
        return !queue.isEmpty() && queue.submit(pollLimit - pollsInFlight) > 0;
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
        Object attachment = op.attachment;
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
        registration.deliver(res, res2, ops, id, attachment);
        if (registration.pending == 0 && registration.cancelled && registration.handovers.get() == 0) {
            registration.remove();
        }
    }

    /** Cancels the operation {@code id} of {@code registration}, on the loop thread. */
    private boolean cancelOp(Registration registration, long id) {
        if (registration.queued > 0) {
            for (Iterator<AioOp> it = queue.iterator(); it.hasNext();) {
                AioOp op = it.next();
                if (op.id == id && op.registration == registration) {
                    it.remove();
                    registration.queued--;
                    finishLater(op, -Native.ECANCELED);
                    return true;
                }
            }
        }
        AioOp op = registration.findInFlight(id);
        return op != null && requestCancel(op);
    }

    /** Takes every queued operation of {@code registration} out of the queue, finishing it as cancelled. */
    private void cancelAllQueued(Registration registration) {
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

    /**
     * Netty's shutdownGracefully wakes the loop once it has set the state to shutting down, from whatever thread
     * called it, and a loop in that state still accepts tasks: the last turns go in as a task, which the loop runs
     * before it refuses tasks, whoever built it and whatever the quiet period. (Netty's shutdown hooks would not
     * do: with a quiet period of 0 it runs them only after it refuses tasks when tasks were pending.)
     */
    private void queueCloseAll(EventExecutor loop) {
        try {
            loop.execute(this::closeAllBeforeDestroy);
        } catch (RejectedExecutionException e) {
            // shutdown() (deprecated) refuses tasks at once, and a loop may finish its whole shutdown between the
            // state change and this call: destroy() closes what is left.
            logger.debug("The loop refused its last turns: {}", e.getMessage());
        }
    }

    /**
     * The loop's last turns, a task queued when the shutdown begins ({@link #queueCloseAll}): it runs before
     * {@link #destroy()}, while the loop still accepts tasks. Netty calls
     * {@link #prepareToDestroy()} only from an iteration that saw the shutdown begin; with a quiet period of 0 a
     * busy loop often leaves before any did, and then the handles were closed in {@code destroy()}, when the
     * executor refuses tasks: a channel's {@code channelInactive} and the release of its unwritten messages, which
     * Netty runs as tasks after a close, were lost. Here every handle is closed, what is left is cancelled, and
     * completions are delivered until the kernel holds no operation (or {@code shutdownTimeout} has passed); the
     * tasks all this queued run next, in the same pass over the task queue. {@code destroy()} deals with what
     * remains.
     */
    private void closeAllBeforeDestroy() {
        if (destroyed) {
            return;
        }
        prepareToDestroy();
        for (Registration registration : registrationsSnapshot()) {
            registration.cancel0();
        }
        long deadline = System.nanoTime() + config.shutdownTimeoutNanos();
        for (;;) {
            deliverDeferred();
            if (registrationCount == 0 || context.inFlight() == 0 && deferred.isEmpty()) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                completions += context.getEvents(1, context.depth(), Math.min(left, SHUTDOWN_STEP_NANOS));
            } catch (IOException | RuntimeException e) {
                logger.warn("Reaping AIO completions at shutdown failed", e);
                return;
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
        if (context.inFlight() == 0) {
            destroyContext();
        } else {
            // io_destroy waits as long as the kernel holds a request: forever for a FUSE daemon that never
            // answers. A thread of its own waits instead, so that the loop ends within its shutdown timeout; from
            // here on that thread owns the context, the stragglers and the loop state their completions touch.
            Thread destroyer = new Thread(this::destroyContext, "aio-io-destroy-" + Thread.currentThread().getName());
            destroyer.setDaemon(true);
            destroyer.start();
        }
        // A waker that saw SLEEPING may still be about to write: let it finish before the descriptor is reused.
        while (wakersInFlight.get() != 0) {
            Thread.onSpinWait();
        }
        int res = Native.close(epfd);
        if (res < 0) {
            logger.debug("Closing the epoll set failed: {}", Native.describeResult(res));
        }
        epollEvents.free();
        closeQuietly(eventFd);
    }

    /** io_destroy, then the stragglers' events (as cancelled) and the slab; see {@link AioContext#close()}. */
    private void destroyContext() {
        try {
            context.close(0, TimeUnit.NANOSECONDS);
        } catch (IOException | RuntimeException e) {
            logger.warn("Closing the AIO context failed", e);
        }
        while (!deferred.isEmpty()) {
            deliverDeferred();
        }
    }

    private void drainInFlight() {
        long timeout = config.shutdownTimeoutNanos();
        long start = System.nanoTime();
        while (context.inFlight() > 0) {
            long left = timeout - (System.nanoTime() - start);
            if (left <= 0) {
                logger.warn("AIO event loop shutdown: {} operations did not complete within {} ms: {}; the loop "
                        + "ends now, and a thread of its own waits in io_destroy for the kernel to finish them, then "
                        + "completes them with -ECANCELED and releases their buffers",
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
                queue.size(), context.submitCalls(), context.submittedCount(),
                context.eagainCount(), queuedWhenFull, completions, maxCompletionsPerIteration, iterations, sleeps,
                wakeups.get(), failedSubmissions, context.staleCompletionCount(), watched.size(), readinessEvents,
                epollWaits, regionSendfileBytes, regionAioBytes, regionAioReads, regionOffLoopOpens);
    }

    // Counted by the loop's stream channels as they send DefaultFileRegions; loop thread.

    void countRegionSendfile(long bytes) {
        regionSendfileBytes += bytes;
    }

    void countRegionAioBytes(long bytes) {
        regionAioBytes += bytes;
    }

    void countRegionAioRead() {
        regionAioReads++;
    }

    void countRegionOffLoopOpen() {
        regionOffLoopOpens++;
    }

    /** The context's depth: how many operations this loop keeps in flight at most. */
    public int depth() {
        return context.depth();
    }

    /** The slots POLLs may take: the depth minus the {@linkplain AioIoHandlerConfig#fileIoReserve reserve}. */
    public int pollSlots() {
        return pollLimit;
    }

    /** Whether the loop is in (or about to enter) its sleep, for tests of this package. */
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

    /**
     * A pooled queued or in-flight operation; its block is reused from one operation to the next. The pool is a free
     * list, not a table: a completion finds its op through the context's slot, whose block's callback it is.
     */
    private final class AioOp implements AioCallback, AioSubmitQueue.Entry {
        final AioBlock block = new AioBlock().callback(this).resfd(resfd);
        Registration registration;
        AioIoOps ops;
        Object attachment;
        long id;
        long res;
        boolean inFlight;
        AioOp nextFree;
        // The registration's in-flight list, for cancellation by id and of the whole registration.
        AioOp prev;
        AioOp next;

        @Override
        public AioBlock block() {
            return block;
        }

        @Override
        public void onComplete(AioBlock block, long res, long res2) {
            // The kernel freed a request slot: the queue sees it in the context's completion count, so a submission
            // refused with EAGAIN may go now.
            if (!ops.isPoll()) {
                ioCompletions++;
            }
            complete(this, res, res2);
            if (queue.mainSize() >= earlySubmitAt) {
                // A device starts on a request only when io_submit returns (the block layer plugs a batch): let the
                // handles' follow-up reads and writes go now, not after every other completion of this iteration.
                submitPending();
            }
        }
    }

    /** What the loop does when the queue's io_submit has decided an operation's fate. */
    private final class Submissions implements AioSubmitQueue.Owner<AioOp> {
        @Override
        public void accepted(AioOp op) {
            op.registration.queued--;
            op.inFlight = true;
            if (op.ops.isPoll()) {
                pollsInFlight++;
            } else {
                ioSubmittedThisIteration++;
            }
            op.registration.link(op);
        }

        @Override
        public void refused(AioOp op, int res) {
            op.registration.queued--;
            failedSubmissions++;
            finishLater(op, res);
        }
    }

    /** The handle of the POLL on the loop's own epoll set ({@link AioIoHandlerConfig.WakeMode#AIO_POLL}). */
    private final class EpollPollHandle implements AioIoHandle {
        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            // The set has events (or the POLL was cancelled at shutdown): the next iteration's epoll_wait takes them.
            epollPollArmed = false;
        }

        @Override
        public void close() {
            // The loop's own: destroy() cancels it with the rest.
        }

        @Override
        public String toString() {
            return "EpollPoll(epfd " + epfd + ')';
        }
    }

    private final class Registration implements AioIoRegistration {
        final AioIoHandle handle;
        private final AioIoEvent event = new AioIoEvent();
        private final AtomicBoolean cancelRequested = new AtomicBoolean();
        /**
         * Submissions accepted on another thread whose enqueue task has not run yet. A cancel racing with them
         * must not end the registration (unregistered()) before they have been enqueued, completed and delivered.
         * Both sides use sequentially consistent accesses (submit: increment, then read cancelRequested; cancel:
         * set cancelRequested, then read this on the loop), so one of them sees the other.
         */
        final AtomicInteger handovers = new AtomicInteger();
        // Loop-thread state.
        Registration prev;
        Registration next;
        boolean cancelled;
        boolean closeCalled;
        int watchedFd = -1;
        int watchedEvents;
        long watchToken;
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
            aioOps.checkComplete();
            return submit0(aioOps, aioOps.ownBuffer(), aioOps.ownVector(), aioOps.offset(), null);
        }

        @Override
        public long submit(AioIoOps ops, ByteBuf buffer, long offset, Object attachment) {
            ObjectUtil.checkNotNull(ops, "ops").checkOperand(buffer);
            checkOffset(offset);
            return submit0(ops, buffer, null, offset, attachment);
        }

        @Override
        public long submit(AioIoOps ops, ByteBuf[] buffers, long offset, Object attachment) {
            ByteBuf[] vector = ObjectUtil.checkNotNull(ops, "ops").checkOperand(buffers);
            checkOffset(offset);
            return submit0(ops, null, vector, offset, attachment);
        }

        private void checkOffset(long offset) {
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be >= 0, got " + offset);
            }
        }

        private long submit0(AioIoOps ops, ByteBuf buffer, ByteBuf[] vector, long offset, Object attachment) {
            if (executor.isExecutorThread(Thread.currentThread())) {
                if (cancelRequested.get()) {
                    return INVALID_ID;
                }
                long id = nextId.getAndIncrement();
                enqueue(this, ops, buffer, vector, offset, attachment, id);
                return id;
            }
            handovers.incrementAndGet(); // seq_cst, before the look at cancelRequested (seq_cst)
            if (cancelRequested.get()) {
                handoverDone();
                return INVALID_ID;
            }
            long id = nextId.getAndIncrement();
            try {
                executor.execute(() -> {
                    enqueue(this, ops, buffer, vector, offset, attachment, id);
                    // After enqueue counted it in pending: the registration never looks idle in between.
                    if (handovers.decrementAndGet() == 0 && cancelled && pending == 0) {
                        remove();
                    }
                });
            } catch (RuntimeException e) {
                handoverDone();
                throw e;
            }
            return id;
        }

        /**
         * A submission from another thread that was not handed over after all. The cancel may have run meanwhile
         * and seen it in transit: then ending the registration is left to the loop, from a task.
         */
        private void handoverDone() {
            if (handovers.decrementAndGet() == 0 && cancelRequested.get()) {
                try {
                    executor.execute(() -> {
                        if (cancelled && pending == 0 && handovers.get() == 0) {
                            remove();
                        }
                    });
                } catch (RuntimeException e) {
                    // The loop is gone: its shutdown ended every registration.
                }
            }
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

        void deliverReadiness(int events) {
            try {
                handle.handle(this, event.update(events, 0, AioIoEvent.READINESS, 0, 0, null));
            } catch (Throwable t) {
                logger.warn("{} threw while handling {}", handle, event, t);
            }
        }

        @Override
        public void watch(int fd, int events) throws IOException {
            if (!executor.isExecutorThread(Thread.currentThread())) {
                throw new IllegalStateException("watch() must be called on the loop thread");
            }
            if ((events & ~WATCHABLE) != 0) {
                throw new IllegalArgumentException("events 0x" + Integer.toHexString(events) + " of fd " + fd
                        + " has bits other than EPOLLIN, EPOLLOUT and EPOLLRDHUP");
            }
            if (fd < 0) {
                throw new IllegalArgumentException("fd must be >= 0, got " + fd);
            }
            if (cancelRequested.get() || destroyed) {
                throw new IllegalStateException(this + " is cancelled: fd " + fd + " cannot be watched");
            }
            int ev = events | Native.EPOLLET;
            if (watchedFd >= 0) {
                if (fd != watchedFd) {
                    throw new IllegalArgumentException(this + " watches fd " + watchedFd + " already, not fd " + fd);
                }
                if (ev == watchedEvents) {
                    return;
                }
                int res = Native.epollCtl(epfd, Native.EPOLL_CTL_MOD, fd, ev, watchToken);
                if (res < 0) {
                    throw watchFailed("EPOLL_CTL_MOD", fd, res);
                }
                watchedEvents = ev;
                return;
            }
            // The serial tells this watch of fd from an earlier one of the same number whose events may still sit
            // in the array of an ongoing dispatch.
            long token = (long) ++watchSerial << 32 | fd & 0xffffffffL;
            int res = Native.epollCtl(epfd, Native.EPOLL_CTL_ADD, fd, ev, token);
            if (res < 0) {
                throw watchFailed("EPOLL_CTL_ADD", fd, res);
            }
            watchedFd = fd;
            watchedEvents = ev;
            watchToken = token;
            // A registration whose descriptor was closed without unwatching left its entry: it has no events now
            // (the kernel removed the closed file from the set) and must not remove this one later.
            watched.put(fd, this);
        }

        private IOException watchFailed(String op, int fd, int res) {
            String why = res == -Native.EPERM ? ": the descriptor does not support readiness (a regular file or a "
                    + "directory is always ready; read it with asynchronous I/O)"
                    : res == -Native.EEXIST ? ": another registration of this loop watches it" : "";
            return new IOException("epoll_ctl(" + op + ", fd " + fd + ") of " + handle + " failed: "
                    + Native.describeResult(res) + why, Native.ioException("epoll_ctl", res));
        }

        /** Takes the descriptor out of the set, if this registration still owns its entry. Loop thread. */
        void unwatch() {
            int fd = watchedFd;
            if (fd < 0) {
                return;
            }
            watchedFd = -1;
            if (watched.get(fd) == this) {
                watched.remove(fd);
                int res = Native.epollCtl(epfd, Native.EPOLL_CTL_DEL, fd, 0, 0);
                // EBADF/ENOENT: the descriptor was closed first, which took it out of the set.
                if (res < 0 && res != -Native.EBADF && res != -Native.ENOENT) {
                    logger.debug("epoll_ctl(EPOLL_CTL_DEL, fd {}) failed: {}", fd, Native.describeResult(res));
                }
            }
        }

        void deliver(long res, long res2, AioIoOps ops, long id, Object attachment) {
            try {
                handle.handle(this, event.update(res, res2, ops.opcode(), ops.userData(), id, attachment));
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
            unwatch();
            // Queued operations finish as cancelled in this iteration; in-flight ones get io_cancel and their
            // completions arrive through the ring (a POLL at once, file I/O when the device is done with it).
            if (queued > 0) {
                cancelAllQueued(this);
            }
            for (AioOp op = inFlightHead; op != null; op = op.next) {
                requestCancel(op);
            }
            if (pending == 0 && handovers.get() == 0) { // seq_cst, after cancelRequested was set
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

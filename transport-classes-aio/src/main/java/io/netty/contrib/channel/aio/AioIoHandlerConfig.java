/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.core.AioContext;
import io.netty.contrib.channel.aio.core.AioSystemProperties;

import java.util.concurrent.TimeUnit;

/**
 * Settings of an {@link AioIoHandler}. Mutable until handed to {@link AioIoHandler#newFactory(AioIoHandlerConfig)}
 * (or an {@link AioEventLoopGroup} constructor), which copies it. Defaults come from system properties:
 * <ul>
 *   <li>{@code io.netty.aio.depth} (256): iocb slots of each loop — at most this many file and device operations in
 *   flight (sockets and poll-mode descriptors take none: their readiness is in the loop's epoll set).</li>
 *   <li>{@code io.netty.aio.minDepth} (64): when {@code io_setup} answers EAGAIN (the machine's budget is used up)
 *   the depth is halved down to this floor, and the group logs it once.</li>
 *   <li>{@code io.netty.aio.fileIoReserve} (depth / 8): slots {@code IOCB_CMD_POLL}s submitted by handles may never
 *   take, so a handle polling many descriptors through AIO cannot starve file reads and writes.</li>
 *   <li>{@code io.netty.aio.wakeMode} ({@code EPOLL_WAIT}): how the loop sleeps, see {@link WakeMode}.</li>
 *   <li>{@code io.netty.aio.busyPollNanos} (0): how long the loop spins before it sleeps, see
 *   {@link #busyPoll(long, TimeUnit)}.</li>
 *   <li>{@code io.netty.aio.reapMode} ({@code RING}): {@code RING} reads completions from the user-space ring,
 *   {@code SYSCALL} with {@code io_getevents}.</li>
 *   <li>{@code io.netty.aio.shutdownTimeoutMs} (10000): how long loop shutdown waits for in-flight operations
 *   before it logs them, ends, and leaves a thread of its own to wait in {@code io_destroy} for the kernel.</li>
 *   <li>{@code io.netty.aio.ioSubmitBatch} (8): while the loop delivers completions, the reads and writes (any
 *   operation but POLL) that handles queue go to the kernel in an {@code io_submit} of their own as soon as this
 *   many wait, instead of waiting for the iteration's one {@code io_submit}. {@link Integer#MAX_VALUE} keeps
 *   one {@code io_submit} per iteration.</li>
 * </ul>
 *
 * <p><b>Why reads and writes leave in batches of 8.</b> The kernel plugs the block requests of an
 * {@code io_submit} of more than two iocbs and hands them to the device only when the call returns, so the
 * device idles while the loop first delivers every completion of an iteration and then submits every follow-up
 * read in one call: at queue depth 32 on a virtio disk the loop reaped ~30 completions per wake-up and resubmitted
 * them in one 100 us call, the queue drained in bursts, and a reader that resubmits each completed read (as
 * {@code fio} does by default) got 0.74x fio's IOPS. Submitting as soon as a few are queued keeps the device fed;
 * every extra {@code io_submit} costs a syscall, which counts when the device completes reads inside
 * {@code io_submit} (zram, the page cache). Measured with {@code benchmarks/storage.sh}'s driver, 4 KiB random
 * O_DIRECT reads through {@code AioFile} from one loop, medians of interleaved runs (IOPS; file = ext4 on a
 * virtio disk, zram = {@code /dev/zram0}):
 * <pre>
 * ioSubmitBatch        1      2      4      8     16    one per iteration
 * file  QD 32      66.7k  65.8k  74.2k  73.8k  68.4k  61.1k
 * file  QD 128     71.0k  74.0k  80.9k  83.3k  79.4k  79.9k
 * zram  QD 32          -      -   341k   321k   364k   354k
 * zram  QD 128     270k      -   312k   352k   367k   341k
 * </pre>
 * Small batches pay a syscall (and, on a virtual disk, a doorbell write) per read; large ones keep the device
 * waiting; 4-16 sit on a plateau within this machine's noise (±10 %), and 8 is in its middle. POLLs do not count
 * toward the batch.
 *
 * <p><b>Why the default depth is 256.</b> Every context's depth is charged, whether used or not, to the
 * machine-wide {@code fs.aio-max-nr}, which is 65536 on a stock kernel (and on CI machines); {@code io_setup}
 * answers EAGAIN once the sum would pass it. Netty makes two loops per core by default, and one process often holds
 * several groups (boss and worker, client and server, one per test class in a test suite) while other processes use
 * AIO too. Connections cost no slot (their readiness is in the loop's epoll set), so the depth sizes file and
 * device I/O alone: reads and writes in flight at once on one loop. 256 is past what one loop keeps a device busy
 * with (the storage benchmark's loop reaches its plateau at queue depth 32-128 on a virtio disk and on zram; a
 * virtio-blk queue holds 256, an NVMe queue 1023) and leaves the budget to everyone else: a default group costs
 * 2 x cores x 256 — 1024 on a 2-core machine (64 such groups fit), 16384 on 32 cores. Operations beyond the depth
 * wait in the loop's queue, in order (counted in {@link AioIoStats#queuedWhenFull()}), which is backpressure, not
 * failure. Machines whose budget runs out get smaller loops (halved down to {@code minDepth}) and one warning
 * naming {@code aio-nr}, {@code aio-max-nr} and the sysctl.
 *
 * <p>Not thread-safe: configure, then pass it on.
 */
public final class AioIoHandlerConfig {
    private int depth;
    private int minDepth;
    private int fileIoReserve;
    private AioContext.ReapMode reapMode;
    private int ioSubmitBatch;
    private long shutdownTimeoutNanos;
    private WakeMode wakeMode;
    private long busyPollNanos;
    private long timerSlackNanos;

    /**
     * How the loop sleeps and learns of readiness in its epoll set. Both keep sockets, listeners and poll-mode fd
     * channels in the set (no AIO slot per connection) and the eventfd as the target of every iocb's
     * {@code IOCB_FLAG_RESFD}; they differ in what the loop blocks in.
     */
    public enum WakeMode {
        /**
         * The loop sleeps in {@code epoll_wait} on its set, which also holds the eventfd (edge-triggered): a
         * completion or a {@code wakeup()} reports the eventfd, readiness reports the socket, in one syscall.
         */
        EPOLL_WAIT,
        /**
         * The loop sleeps in {@code ppoll} on its eventfd; before it does, one {@code IOCB_CMD_POLL} on the epoll
         * set is armed, so readiness too arrives as an AIO completion signalled through the eventfd. While busy the
         * loop looks at the set with {@code epoll_wait(0)} each iteration and re-arms only before sleeping.
         */
        AIO_POLL
    }

    /**
     * A config with the defaults above. The system properties are read once, when the first config is made; names
     * of constants are taken in any case.
     *
     * @throws IllegalArgumentException when one of the properties has a value that is not accepted, naming the
     *         property, the value and what it accepts (every config made in this JVM fails the same way: a typo in
     *         a deployment's {@code -D} is reported, not ignored)
     */
    public AioIoHandlerConfig() {
        copy(AioSystemProperties.result(FromSystemProperties.DEFAULTS, AioIoHandlerConfig.class));
    }

    /** Reads the system properties; only {@link FromSystemProperties} calls it. */
    private AioIoHandlerConfig(Void fromSystemProperties) {
        depth = AioSystemProperties.intValue("io.netty.aio.depth", 256, 1, AioContext.MAX_DEPTH);
        minDepth = AioSystemProperties.intValue("io.netty.aio.minDepth", 64, 1, AioContext.MAX_DEPTH);
        fileIoReserve = AioSystemProperties.intValue("io.netty.aio.fileIoReserve", -1, -1, AioContext.MAX_DEPTH);
        // The context's own default: one reading of io.netty.aio.reapMode for the whole transport.
        reapMode = AioContext.ReapMode.defaultMode();
        ioSubmitBatch = AioSystemProperties.intValue("io.netty.aio.ioSubmitBatch", 8, 1, Integer.MAX_VALUE);
        shutdownTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(AioSystemProperties.longValue(
                "io.netty.aio.shutdownTimeoutMs", 10_000, 0, TimeUnit.NANOSECONDS.toMillis(Long.MAX_VALUE)));
        wakeMode = AioSystemProperties.enumValue("io.netty.aio.wakeMode", WakeMode.class, WakeMode.EPOLL_WAIT);
        busyPollNanos = AioSystemProperties.longValue("io.netty.aio.busyPollNanos", 0, 0, Long.MAX_VALUE);
        timerSlackNanos = AioSystemProperties.longValue("io.netty.aio.timerSlackNanos", 0, 0, Long.MAX_VALUE);
    }

    /** The defaults from the system properties, or why they could not be read; computed once, on first use. */
    private static final class FromSystemProperties {
        static final Object DEFAULTS = AioSystemProperties.attempt(() -> new AioIoHandlerConfig((Void) null));
    }

    AioIoHandlerConfig(AioIoHandlerConfig other) {
        copy(other);
    }

    private void copy(AioIoHandlerConfig other) {
        depth = other.depth;
        minDepth = other.minDepth;
        fileIoReserve = other.fileIoReserve;
        reapMode = other.reapMode;
        shutdownTimeoutNanos = other.shutdownTimeoutNanos;
        ioSubmitBatch = other.ioSubmitBatch;
        wakeMode = other.wakeMode;
        busyPollNanos = other.busyPollNanos;
        timerSlackNanos = other.timerSlackNanos;
    }

    /** How the loop sleeps; see {@link WakeMode} and the README's Event loop section for the measurements. */
    public AioIoHandlerConfig wakeMode(WakeMode wakeMode) {
        if (wakeMode == null) {
            throw new NullPointerException("wakeMode");
        }
        this.wakeMode = wakeMode;
        return this;
    }

    /**
     * How long the loop spins on its completion ring, its task queue and its readiness set before it sleeps (0, the
     * default: it sleeps at once). Spinning trades a core for the wake-up's latency: worth it for a loop that
     * serves a device at queue depth 1, wasteful on a shared machine.
     */
    public AioIoHandlerConfig busyPoll(long duration, TimeUnit unit) {
        if (duration < 0) {
            throw new IllegalArgumentException("busy-poll duration must be >= 0, got " + duration);
        }
        this.busyPollNanos = unit.toNanos(duration);
        return this;
    }

    /**
     * The loop thread's timer slack ({@code prctl(PR_SET_TIMERSLACK)}): how late the kernel may end the loop's timed
     * sleeps to group them with other timers. Linux gives each thread 50 us, so a scheduled task on a sleeping loop
     * runs 50 us late at the least; a slack of 1 ns makes that the wake-up alone (measured in
     * {@code benchmarks/loop.sh}, {@code timer_late_us}), at the price of wake-ups the kernel could otherwise have
     * merged. Default 0: the thread keeps the slack it was started with. Set on the loop thread when it starts.
     */
    public AioIoHandlerConfig timerSlack(long duration, TimeUnit unit) {
        if (duration <= 0) {
            throw new IllegalArgumentException("timer slack must be > 0 (at least 1 ns), got " + duration + ' ' + unit);
        }
        this.timerSlackNanos = unit.toNanos(duration);
        return this;
    }

    /** The timer slack the loop thread sets, in ns; 0 when it keeps its own. */
    public long timerSlackNanos() {
        return timerSlackNanos;
    }

    public WakeMode wakeMode() {
        return wakeMode;
    }

    public long busyPollNanos() {
        return busyPollNanos;
    }

    /** Iocb slots per loop, 1..{@link AioContext#MAX_DEPTH}. */
    public AioIoHandlerConfig depth(int depth) {
        if (depth < 1 || depth > AioContext.MAX_DEPTH) {
            throw new IllegalArgumentException("depth must be in 1.." + AioContext.MAX_DEPTH + ", got " + depth);
        }
        this.depth = depth;
        return this;
    }

    /** The smallest depth accepted when the machine's AIO budget forces a smaller context (at least 1). */
    public AioIoHandlerConfig minDepth(int minDepth) {
        if (minDepth < 1) {
            throw new IllegalArgumentException("minDepth must be >= 1, got " + minDepth);
        }
        this.minDepth = minDepth;
        return this;
    }

    /** Slots kept free of POLLs for file I/O; -1 for depth / 8. POLLs always keep at least one slot. */
    public AioIoHandlerConfig fileIoReserve(int fileIoReserve) {
        if (fileIoReserve < -1) {
            throw new IllegalArgumentException("fileIoReserve must be >= 0 (or -1 for the default), got "
                    + fileIoReserve);
        }
        this.fileIoReserve = fileIoReserve;
        return this;
    }

    /** How completions are collected; see {@link AioContext.ReapMode}. */
    public AioIoHandlerConfig reapMode(AioContext.ReapMode reapMode) {
        if (reapMode == null) {
            throw new NullPointerException("reapMode");
        }
        this.reapMode = reapMode;
        return this;
    }

    /**
     * How long shutdown waits for in-flight operations before logging them and leaving them to io_destroy, which
     * waits for the kernel on a daemon thread of its own: the loop's termination is not held up beyond this.
     */
    public AioIoHandlerConfig shutdownTimeout(long timeout, TimeUnit unit) {
        if (timeout < 0) {
            throw new IllegalArgumentException("shutdown timeout must be >= 0, got " + timeout);
        }
        this.shutdownTimeoutNanos = unit.toNanos(timeout);
        return this;
    }

    /**
     * How many reads and writes queued by handles while the loop delivers completions make it call
     * {@code io_submit} at once rather than at the end of the iteration (at least 1; {@link Integer#MAX_VALUE}
     * for one {@code io_submit} per iteration). See the class javadoc for the measurements behind the default, 8.
     */
    public AioIoHandlerConfig ioSubmitBatch(int ioSubmitBatch) {
        if (ioSubmitBatch < 1) {
            throw new IllegalArgumentException("ioSubmitBatch must be >= 1, got " + ioSubmitBatch);
        }
        this.ioSubmitBatch = ioSubmitBatch;
        return this;
    }

    public int depth() {
        return depth;
    }

    public int ioSubmitBatch() {
        return ioSubmitBatch;
    }

    public int minDepth() {
        return Math.min(minDepth, depth);
    }

    /** The reserve for a context of {@code actualDepth} slots. */
    int reserveFor(int actualDepth) {
        int reserve = fileIoReserve < 0 ? Math.max(1, actualDepth / 8) : fileIoReserve;
        return Math.min(reserve, actualDepth - 1);
    }

    public AioContext.ReapMode reapMode() {
        return reapMode;
    }

    public long shutdownTimeoutNanos() {
        return shutdownTimeoutNanos;
    }

    @Override
    public String toString() {
        return "AioIoHandlerConfig(depth=" + depth + ", minDepth=" + minDepth + ", fileIoReserve="
                + (fileIoReserve < 0 ? "depth/8" : String.valueOf(fileIoReserve)) + ", reapMode=" + reapMode
                + ", shutdownTimeoutMs=" + TimeUnit.NANOSECONDS.toMillis(shutdownTimeoutNanos) + ", ioSubmitBatch="
                + ioSubmitBatch + ", wakeMode=" + wakeMode + ", busyPollNanos=" + busyPollNanos + ", timerSlackNanos="
                + timerSlackNanos + ')';
    }
}

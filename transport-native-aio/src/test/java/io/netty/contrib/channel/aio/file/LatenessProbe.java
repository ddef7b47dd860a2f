/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.util.concurrent.EventExecutor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * A task that runs on a loop every {@code period} and measures how late each run is, in two ways:
 * <ul>
 *   <li>raw: the wall-clock delay past the time it was scheduled for;</li>
 *   <li>net: the raw delay minus what this machine and the JVM did to the loop thread meanwhile — the time the
 *   thread spent runnable but waiting for a CPU ({@code /proc/thread-self/schedstat}, run_delay) and the time the
 *   JVM stopped every thread at safepoints (GC pauses among them; {@code sun.rt.safepointTime} from the JVM's perf
 *   data). What is left is the time the loop thread was busy or blocked by its own doing, for example sleeping in
 *   an {@code io_submit} that waits for the disk.</li>
 * </ul>
 * The build machines are shared (two cores, several builds at once): the raw figure measures them as much as the
 * code, the net one measures the code. Loop thread only, but for {@link #start()} and the getters.
 */
final class LatenessProbe implements Runnable {
    private final EventExecutor loop;
    private final long period;
    private final ByteBuffer buffer = ByteBuffer.allocate(128);
    private long cpu;
    private FileChannel schedstat;
    private long expected;
    private long lastRunDelay;
    private long lastSafepoint;
    private long lastCpu;
    private volatile String worst = "";
    private volatile boolean stopped;
    private volatile long maxRawNanos;
    private volatile long maxNetNanos;
    private volatile int ticks;

    LatenessProbe(EventExecutor loop, long period, TimeUnit unit) {
        this.loop = loop;
        this.period = unit.toNanos(period);
    }

    /** Starts ticking; from the loop thread (it opens the thread's own schedstat). */
    void start() {
        try {
            schedstat = FileChannel.open(Paths.get("/proc/thread-self/schedstat"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lastRunDelay = runDelay();
        lastCpu = cpu;
        lastSafepoint = safepointNanos();
        expected = System.nanoTime() + period;
        loop.schedule(this, period, TimeUnit.NANOSECONDS);
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        long runDelay = runDelay();
        long safepoint = safepointNanos();
        long raw = now - expected;
        long net = raw - (runDelay - lastRunDelay) - (safepoint - lastSafepoint);
        ticks++;
        maxRawNanos = Math.max(maxRawNanos, raw);
        if (net > maxNetNanos) {
            maxNetNanos = net;
            worst = "at=" + ManagementFactory.getRuntimeMXBean().getUptime() + "ms raw=" + raw / 1000 + "us rundelay=" + (runDelay - lastRunDelay) / 1000 + "us safepoints=" + (safepoint - lastSafepoint) / 1000
                    + "us cpu=" + (cpu - lastCpu) / 1000 + "us";
        }
        if (stopped) {
            try {
                schedstat.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            return;
        }
        // Each interval on its own: the next run is due one period after this one ran.
        lastRunDelay = runDelay;
        lastCpu = cpu;
        lastSafepoint = safepoint;
        expected = now + period;
        loop.schedule(this, expected - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** The second field of schedstat: nanoseconds this thread spent runnable on a run queue, not running. */
    private long runDelay() {
        try {
            buffer.clear();
            schedstat.read(buffer, 0);
            String[] fields = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim()
                    .split(" ");
            cpu = Long.parseLong(fields[0]);
            return Long.parseLong(fields[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Nanoseconds the JVM has spent at safepoints (GC pauses included), from its perf data. */
    private static long safepointNanos() {
        return SafepointClock.nanos();
    }

    int ticks() {
        return ticks;
    }

    long maxRawMillis() {
        return TimeUnit.NANOSECONDS.toMillis(maxRawNanos);
    }

    long maxNetNanos() {
        return maxNetNanos;
    }

    @Override
    public String toString() {
        return ticks + " ticks, max lateness " + TimeUnit.NANOSECONDS.toMicros(maxNetNanos) + " us net of CPU "
                + "contention and GC (" + maxRawMillis() + " ms raw) worst " + worst;
    }
}

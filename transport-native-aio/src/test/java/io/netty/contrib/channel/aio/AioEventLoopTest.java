/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.EventLoop;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop as a task executor: timers from ppoll's nanosecond timeout, the sleep/wakeup protocol, task storms.
 * Timing figures are printed, never asserted: the build machines have 2 cores shared with others, and
 * {@code benchmarks/loop.sh} ({@code timer_late_us}, {@code wakeup_us}) measures them side by side with Netty's own
 * loops.
 */
class AioEventLoopTest {
    private static AioEventLoopGroup group;
    private static AioEventLoop loop;

    @BeforeAll
    static void start() {
        group = new AioEventLoopGroup(1);
        loop = group.next();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        assertTrue(group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS));
    }

    @Test
    void scheduledTasksFireOnTime() throws Exception {
        long[][] results = {
                lateness(TimeUnit.MICROSECONDS.toNanos(100), 400),
                lateness(TimeUnit.MILLISECONDS.toNanos(1), 150),
                lateness(TimeUnit.MILLISECONDS.toNanos(10), 25),
        };
        String[] names = {"100us", "1ms", "10ms"};
        for (int i = 0; i < results.length; i++) {
            long[] l = results[i];
            System.out.printf(Locale.ROOT, "scheduled %-5s lateness us: min=%.1f p50=%.1f p90=%.1f p99=%.1f max=%.1f "
                            + "(n=%d)%n", names[i], us(l[0]), us(pct(l, 50)), us(pct(l, 90)), us(pct(l, 99)),
                    us(l[l.length - 1]), l.length);
            // Never early: Netty runs a scheduled task only once its deadline has passed.
            assertTrue(l[0] >= 0, names[i] + " fired early by " + -l[0] + " ns");
        }
        // How late is timing, not a property: benchmarks/loop.sh (timer_late_us) measures it against Netty's loops
        // (the nanosecond timeout included: rounded up to milliseconds, a 100 us timer would be ~900 us late).
    }

    @Test
    void theLoopThreadTakesTheConfiguredTimerSlack() throws Exception {
        // Default: the loop thread keeps what it inherited from the thread that started it (this one).
        assertEquals(Native.timerSlack(), loop.submit(Native::timerSlack).get(10, TimeUnit.SECONDS));
        AioEventLoopGroup precise = new AioEventLoopGroup(1, (ThreadFactory) null,
                new AioIoHandlerConfig().timerSlack(1, TimeUnit.NANOSECONDS));
        try {
            EventLoop preciseLoop = precise.next();
            assertEquals(1L, preciseLoop.submit(Native::timerSlack).get(10, TimeUnit.SECONDS));
            // Its timers still run, and never early.
            long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(100);
            long ranAt = preciseLoop.schedule(System::nanoTime, 100, TimeUnit.MICROSECONDS).get(10, TimeUnit.SECONDS);
            assertTrue(ranAt - deadline >= 0, "fired early by " + (deadline - ranAt) + " ns");
        } finally {
            assertTrue(precise.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AioIoHandlerConfig().timerSlack(0, TimeUnit.NANOSECONDS));
        assertTrue(e.getMessage().contains("timer slack"), e.getMessage());
    }

    /** Schedules {@code n} tasks one after the other from the loop and returns their sorted lateness in ns. */
    private static long[] lateness(long delayNanos, int n) throws Exception {
        long[] late = new long[n];
        long sleepsBefore = stats().sleeps();
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(new Runnable() {
            int i;
            long deadline;

            @Override
            public void run() {
                if (deadline != 0) {
                    late[i++] = System.nanoTime() - deadline;
                }
                if (i == n) {
                    done.complete(null);
                    return;
                }
                deadline = System.nanoTime() + delayNanos;
                loop.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
            }
        });
        done.get(60, TimeUnit.SECONDS);
        // The loop waited in its poll for its timers rather than spinning. Not for each one: a loop preempted past
        // a deadline finds its timer due without sleeping, and how often that happens is the machine's business.
        long slept = stats().sleeps() - sleepsBefore;
        assertTrue(slept > 0, "slept " + slept + " times for " + n + " timers");
        Arrays.sort(late);
        return late;
    }

    @Test
    void wakeupFromAnotherThreadEndsTheSleep() throws Exception {
        // Nothing else would wake the loop for a minute: each task below must be delivered by the eventfd write.
        ScheduledFuture<?> far = loop.schedule(() -> { }, 60, TimeUnit.SECONDS);
        try {
            int n = 200;
            long[] latency = new long[n];
            long wakeupsBefore = stats().wakeups();
            for (int i = 0; i < n; i++) {
                awaitSleeping();
                long start = System.nanoTime();
                CompletableFuture<Long> ran = new CompletableFuture<>();
                loop.execute(() -> ran.complete(System.nanoTime()));
                latency[i] = ran.get(10, TimeUnit.SECONDS) - start;
            }
            long wakeups = stats().wakeups() - wakeupsBefore;
            Arrays.sort(latency);
            System.out.printf(Locale.ROOT, "wakeup latency us: p50=%.1f p90=%.1f p99=%.1f max=%.1f, eventfd writes=%d "
                    + "for %d tasks%n", us(pct(latency, 50)), us(pct(latency, 90)), us(pct(latency, 99)),
                    us(latency[n - 1]), wakeups, n);
            // About one write per task given to the sleeping loop (plus the one for the stats() above). Fewer when a
            // waker was preempted between its state change and its write: the late write then ends a later sleep
            // early, and the next task finds the loop awake.
            assertTrue(wakeups >= n / 2 && wakeups <= n + 1, "eventfd writes: " + wakeups + " for " + n + " tasks");
        } finally {
            far.cancel(false);
        }
    }

    @Test
    void wakeupDoesNotWriteWhileTheLoopIsAwake() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            busy.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        // The loop is held in the task above; the counter is an AtomicLong, exact from any thread.
        long wakeupsBefore = loop.stats().wakeups();
        CountDownLatch ran = new CountDownLatch(1000);
        for (int i = 0; i < 1000; i++) {
            loop.execute(ran::countDown);
        }
        long wakeupsWhileBusy = loop.stats().wakeups() - wakeupsBefore;
        release.countDown();
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        assertEquals(0, wakeupsWhileBusy, "eventfd writes while the loop ran a task");
    }

    @Test
    void noWakeupIsLostInPingPong() throws Exception {
        // With a timer a minute away, a lost wakeup stalls a round trip until the 10 s timeout below.
        ScheduledFuture<?> far = loop.schedule(() -> { }, 60, TimeUnit.SECONDS);
        try {
            int n = 20_000;
            long wakeupsBefore = stats().wakeups();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                CompletableFuture<Void> ran = new CompletableFuture<>();
                loop.execute(() -> ran.complete(null));
                ran.get(10, TimeUnit.SECONDS);
            }
            long elapsed = System.nanoTime() - start;
            long wakeups = stats().wakeups() - wakeupsBefore;
            System.out.printf(Locale.ROOT, "ping-pong: %d round trips in %.1f ms (%.2f us each), %d eventfd writes%n",
                    n, elapsed / 1e6, elapsed / 1e3 / n, wakeups);
            assertTrue(wakeups <= n, "at most one eventfd write per task: " + wakeups);
        } finally {
            far.cancel(false);
        }
    }

    @Test
    void executeStormsFromSeveralThreadsRunEveryTaskInOrder() throws Exception {
        int producers = 4;
        int perProducer = 50_000;
        CountDownLatch done = new CountDownLatch(producers * perProducer);
        int[] next = new int[producers]; // loop-thread state
        AtomicReference<String> failure = new AtomicReference<>();
        Thread[] threads = new Thread[producers];
        CountDownLatch go = new CountDownLatch(1);
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads[p] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    int seq = i;
                    loop.execute(() -> {
                        if (!loop.inEventLoop()) {
                            failure.compareAndSet(null, "task ran off the loop thread");
                        }
                        if (next[producer] != seq) {
                            failure.compareAndSet(null, "producer " + producer + ": task " + seq + " ran when "
                                    + next[producer] + " was expected");
                        }
                        next[producer] = seq + 1;
                        done.countDown();
                    });
                }
            }, "producer-" + p);
            threads[p].start();
        }
        long start = System.nanoTime();
        go.countDown();
        assertTrue(done.await(60, TimeUnit.SECONDS), done.getCount() + " tasks never ran");
        long elapsed = System.nanoTime() - start;
        for (Thread t : threads) {
            t.join();
        }
        assertNull(failure.get());
        AioIoStats stats = stats();
        System.out.printf(Locale.ROOT, "execute storm: %d tasks from %d threads in %.1f ms; loop: %d iterations, %d "
                + "sleeps, %d eventfd writes%n", producers * perProducer, producers, elapsed / 1e6, stats.iterations(),
                stats.sleeps(), stats.wakeups());
    }

    /** Waits until the loop has marked itself sleeping (it is then in, or about to enter, its ppoll). */
    private static void awaitSleeping() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!loop.aioHandler().isSleeping()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the idle loop never went to sleep");
            }
            Thread.onSpinWait();
        }
    }

    /** The loop's stats taken on the loop thread: exact. */
    private static AioIoStats stats() throws Exception {
        return loop.submit(loop::stats).get(10, TimeUnit.SECONDS);
    }

    static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static double us(long nanos) {
        return nanos / 1000.0;
    }
}

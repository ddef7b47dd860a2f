/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.benchmarks.loop;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.concurrent.TimeUnit;

/**
 * Lateness of a loop's timers: each invocation runs {@link #TIMERS} tasks on the loop one after the other, each
 * scheduled by the one before for {@code delayUs} after it ran; the figure is the time per timer, so the delay plus
 * the lateness (plus a {@link #TIMERS}th of one hand-over to and from the benchmark thread, the same for every
 * transport). {@code loop.sh} subtracts the delay. The loop sleeps between the tasks (nothing else is on it), so
 * what is measured is the sleep's timeout (a loop that rounds it up to whole milliseconds makes a 100 us timer
 * ~900 us late), the timer slack and the way back from the wake-up to the task.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(LoopTimerBenchmark.TIMERS)
public class LoopTimerBenchmark extends AbstractLoopBenchmark {
    @Param({"100", "1000"})
    public long delayUs;

    /** Timers per invocation: enough that the hand-over to and from the benchmark thread is small beside them. */
    static final int TIMERS = 20;

    private Chain chain;

    @Setup
    public void newChain() {
        chain = new Chain(TimeUnit.MICROSECONDS.toNanos(delayUs));
    }

    @Benchmark
    public void timers() {
        chain.run(this);
    }

    /** A chain of timers on the loop; its fields are the loop thread's while a chain runs. */
    private static final class Chain implements Runnable {
        private final long delayNanos;
        private LoopTimerBenchmark bench;
        private int left;
        private volatile boolean done;

        Chain(long delayNanos) {
            this.delayNanos = delayNanos;
        }

        void run(LoopTimerBenchmark bench) {
            this.bench = bench;
            done = false;
            bench.loop.execute(() -> {
                left = TIMERS;
                scheduleNext();
            });
            while (!done) {
                Thread.onSpinWait();
            }
        }

        private void scheduleNext() {
            bench.loop.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            if (--left > 0) {
                scheduleNext();
            } else {
                done = true;
            }
        }
    }
}

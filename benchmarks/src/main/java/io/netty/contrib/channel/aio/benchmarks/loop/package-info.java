/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
/**
 * Event-loop micro-benchmarks, each run with {@code AioIoHandler} side by side with Netty's {@code EpollIoHandler},
 * {@code NioIoHandler} and {@code IoUringIoHandler} in one JMH run ({@code benchmarks/loop.sh}): readiness round trips
 * on the loop ({@link io.netty.contrib.channel.aio.benchmarks.loop.LoopRoundTripBenchmark}), {@code execute()}
 * throughput ({@link io.netty.contrib.channel.aio.benchmarks.loop.LoopExecuteBenchmark}) and the latency of waking a
 * sleeping loop ({@link io.netty.contrib.channel.aio.benchmarks.loop.LoopWakeupBenchmark}).
 */
package io.netty.contrib.channel.aio.benchmarks.loop;

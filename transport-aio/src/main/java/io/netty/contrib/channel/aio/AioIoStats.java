/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

/**
 * A snapshot of an {@link AioIoHandler}'s counters. Immutable. Taken on the loop thread it is exact; taken from
 * another thread each figure is a recent value (the loop writes them without synchronisation).
 *
 * @param depth iocb slots of the loop's context (after any reduction forced by {@code fs.aio-max-nr})
 * @param inFlight operations the kernel holds now
 * @param queued operations waiting in the loop's queue for a slot or the next {@code io_submit}
 * @param submitCalls {@code io_submit} calls made
 * @param submitted operations the kernel accepted
 * @param eagain {@code io_submit} calls answered EAGAIN (the rest stayed queued)
 * @param queuedWhenFull operations that had to wait because every slot (or every slot POLLs may use) was taken
 * @param completions completions delivered to handles
 * @param maxCompletionsPerIteration the most completions delivered in one loop iteration
 * @param iterations loop iterations ({@code run} calls)
 * @param sleeps times the loop blocked in {@code ppoll} on its eventfd
 * @param wakeups eventfd writes by {@code wakeup()} from other threads
 * @param failedSubmissions operations the kernel refused outright at {@code io_submit}, delivered as -errno events
 * @param staleCompletions completions that matched no in-flight operation (should be 0)
 */
public record AioIoStats(int depth, int inFlight, int queued, long submitCalls, long submitted, long eagain,
                         long queuedWhenFull, long completions, long maxCompletionsPerIteration, long iterations,
                         long sleeps, long wakeups, long failedSubmissions, long staleCompletions) {
}

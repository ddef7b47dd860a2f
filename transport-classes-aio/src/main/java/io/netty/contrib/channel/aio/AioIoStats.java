/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

/**
 * A snapshot of an {@link AioIoHandler}'s counters. Immutable. Taken on the loop thread it is exact; taken from
 * another thread each figure is a recent value (the loop writes them without synchronisation, so figures of one
 * snapshot may come from slightly different moments).
 *
 * @param depth iocb slots of the loop's context (after any reduction forced by {@code fs.aio-max-nr})
 * @param pollSlots slots POLLs may take: {@code depth} minus the reserve kept for file I/O
 * @param inFlight operations the kernel holds now
 * @param pollsInFlight POLLs among them
 * @param queued operations waiting in the loop's queue for a slot or the next {@code io_submit}
 * @param submitCalls {@code io_submit} calls made
 * @param submitted operations the kernel accepted
 * @param eagain {@code io_submit} calls answered EAGAIN (the operations stayed queued)
 * @param queuedWhenFull operations that found every slot they may use taken (or the kernel answering EAGAIN) when
 *        submitted, and waited in the queue for one
 * @param completions completions reaped from the kernel and delivered to handles
 * @param maxCompletionsPerIteration the most events delivered in one loop iteration
 * @param iterations loop iterations ({@code run} calls)
 * @param sleeps times the loop blocked: in {@code epoll_wait} on its set ({@code EPOLL_WAIT} mode) or in
 *        {@code ppoll} on its eventfd ({@code AIO_POLL} mode)
 * @param wakeups eventfd writes by {@code wakeup()} from other threads (only made while the loop sleeps)
 * @param failedSubmissions operations the kernel refused outright at {@code io_submit}, delivered as -errno events
 * @param staleCompletions completions that matched no in-flight operation's slot and generation (should be 0;
 *        they are dropped, never delivered to whoever holds the slot now)
 * @param watched descriptors in the loop's epoll set (sockets, listeners, poll-mode fd channels): none of them
 *        holds an AIO slot
 * @param readinessEvents readiness events delivered from the epoll set
 * @param epollWaits {@code epoll_wait} calls (the sleeps of {@code EPOLL_WAIT} mode among them)
 * @param regionSendfileBytes bytes of {@code DefaultFileRegion}s the loop's stream channels sent with
 *        {@code sendfile}: spans the page cache held whole ({@code cachestat}), zero copy
 * @param regionAioBytes bytes of {@code DefaultFileRegion}s sent from buffers read with AIO: spans that were not
 *        all in the page cache, read past it ({@code O_DIRECT}) so the loop did not wait for the disk
 * @param regionAioReads AIO reads issued for those spans (each at most the region read size)
 * @param regionOffLoopOpens files of {@code DefaultFileRegion(File, ...)}s that could not be opened from the dentry
 *        cache ({@code openat2(RESOLVE_CACHED)} answered EAGAIN) and were opened on the open pool instead
 */
public record AioIoStats(int depth, int pollSlots, int inFlight, int pollsInFlight, int queued, long submitCalls,
                         long submitted, long eagain, long queuedWhenFull, long completions,
                         long maxCompletionsPerIteration, long iterations, long sleeps, long wakeups,
                         long failedSubmissions, long staleCompletions, int watched, long readinessEvents,
                         long epollWaits, long regionSendfileBytes, long regionAioBytes, long regionAioReads,
                         long regionOffLoopOpens) {

    /** Completions per loop iteration, on average. */
    public double completionsPerIteration() {
        return iterations == 0 ? 0 : (double) completions / iterations;
    }

    /** Operations per {@code io_submit} call, on average: how well submissions are batched. */
    public double operationsPerSubmit() {
        return submitCalls == 0 ? 0 : (double) submitted / submitCalls;
    }
}

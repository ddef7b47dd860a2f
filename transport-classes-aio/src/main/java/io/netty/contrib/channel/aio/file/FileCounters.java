/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

/**
 * The counters of one {@link AioFile}: which path each read took, writes, syncs, failures. Written on the file's
 * host thread only, without synchronisation; {@link AioFileStats} is their snapshot (exact on that thread, a recent
 * value elsewhere). See {@link AioFileStats} for what each one counts.
 */
final class FileCounters {
    private long reads;
    private long nowaitHits;
    private long nowaitPartialHits;
    private long nowaitMisses;
    private long directReads;
    private long directRetries;
    private long bufferedReads;
    private long blockingReads;
    private long bouncedReads;
    private long bytesRead;
    private long writes;
    private long shortWrites;
    private long bouncedWrites;
    private long bytesWritten;
    private long syncs;
    private long failures;

    AioFileStats snapshot(int pending) {
        return new AioFileStats(reads, nowaitHits, nowaitPartialHits, nowaitMisses, directReads, directRetries,
                bufferedReads, blockingReads, bouncedReads, bytesRead, writes, shortWrites, bouncedWrites,
                bytesWritten, syncs, failures, pending);
    }

    void countRead() {
        reads++;
    }

    void countNowaitHit() {
        nowaitHits++;
    }

    void countNowaitPartialHit() {
        nowaitPartialHits++;
    }

    void countNowaitMiss() {
        nowaitMisses++;
    }

    void countDirectRead() {
        directReads++;
    }

    void countDirectRetry() {
        directRetries++;
    }

    void countBufferedRead() {
        bufferedReads++;
    }

    void countBlockingRead() {
        blockingReads++;
    }

    void countBouncedRead() {
        bouncedReads++;
    }

    void countBytesRead(long n) {
        bytesRead += n;
    }

    void countWrite(boolean bounced) {
        writes++;
        if (bounced) {
            bouncedWrites++;
        }
    }

    void countShortWrite() {
        shortWrites++;
    }

    void countBytesWritten(long n) {
        bytesWritten += n;
    }

    void countSync() {
        syncs++;
    }

    void countFailure() {
        failures++;
    }
}

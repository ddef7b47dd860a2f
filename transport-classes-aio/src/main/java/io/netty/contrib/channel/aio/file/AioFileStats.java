/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

/**
 * A snapshot of an {@link AioFile}'s counters. Immutable. Taken on the file's host thread it is exact; from
 * another thread each figure is a recent value (the host thread writes them without synchronisation).
 *
 * <p>Which path each read took: a read of a file opened without {@link AioOpenOption#DIRECT} under
 * {@link AioReadPolicy#HYBRID} ends up in exactly one of {@code nowaitHits}, {@code nowaitPartialHits} and
 * {@code nowaitMisses}; {@code directReads} and {@code bufferedReads} count kernel operations on each kind of
 * descriptor, so a miss counts once in {@code nowaitMisses} and once in {@code directReads}.
 *
 * @param reads read requests (read and readv)
 * @param nowaitHits reads served whole from the page cache by their {@code RWF_NOWAIT} attempt
 * @param nowaitPartialHits reads whose {@code RWF_NOWAIT} attempt returned part of the data; the rest was read
 *        on the direct path
 * @param nowaitMisses reads whose {@code RWF_NOWAIT} attempt answered {@code EAGAIN} (not cached) and that went
 *        to the direct path (or, without one, to a blocking buffered read)
 * @param directReads read operations submitted on an {@code O_DIRECT} descriptor (not counting their
 *        {@code directRetries})
 * @param directRetries {@code O_DIRECT} reads answered {@code EAGAIN} to their {@code RWF_NOWAIT} (the inode lock
 *        held by a writer or a truncate, the device queue full, dirty pages in the range) and submitted again
 *        after a pause instead of waiting inside {@code io_submit}
 * @param bufferedReads read operations submitted without {@code RWF_NOWAIT} on a buffered descriptor: these
 *        block {@code io_submit} on a cache miss
 * @param blockingReads reads submitted in a way that may wait inside {@code io_submit}, for lack of a better
 *        one: buffered reads of a {@link AioReadPolicy#HYBRID} file that has no direct path, and {@code O_DIRECT}
 *        reads sent without {@code RWF_NOWAIT} after {@code EAGAIN} kept coming for about two seconds
 * @param bouncedReads reads that went through an aligned bounce buffer and were copied out
 * @param bytesRead bytes delivered to readers
 * @param writes write requests (write and writev)
 * @param shortWrites times a write completed short and the rest was submitted again
 * @param bouncedWrites writes copied into an aligned (or direct) bounce buffer first
 * @param bytesWritten bytes written
 * @param syncs fsync and fdatasync requests
 * @param failures requests that completed with an exception
 * @param pending requests started and not yet completed
 */
public record AioFileStats(long reads, long nowaitHits, long nowaitPartialHits, long nowaitMisses, long directReads,
                           long directRetries, long bufferedReads, long blockingReads, long bouncedReads, long bytesRead, long writes,
                           long shortWrites, long bouncedWrites, long bytesWritten, long syncs, long failures,
                           int pending) {
}

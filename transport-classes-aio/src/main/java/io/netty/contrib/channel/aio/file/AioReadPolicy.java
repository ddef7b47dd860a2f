/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

/**
 * How an {@link AioFile} opened without {@link AioOpenOption#DIRECT} reads. Kernel AIO is only asynchronous for
 * {@code O_DIRECT}: a buffered read that misses the page cache runs inside {@code io_submit}, on the loop thread,
 * for as long as the disk takes. The policies trade that against the page cache's benefits.
 * {@link AioFileStats} counts which path each read took.
 */
public enum AioReadPolicy {
    /**
     * Every read goes to the disk through a second, {@code O_DIRECT} descriptor (aligned superset, copied out when
     * the request is not aligned). Never blocks; never uses the page cache.
     */
    DIRECT,
    /**
     * The default. A read first goes out with {@code RWF_NOWAIT}: a page-cache hit completes inside
     * {@code io_submit} without touching the disk; a miss ({@code -EAGAIN}) is re-issued as {@code O_DIRECT} AIO on
     * the second descriptor, so the loop never waits for the disk. A partial hit reads the rest directly. Where
     * {@code O_DIRECT} is not available (tmpfs before Linux 6.6, some FUSE filesystems) a miss falls back to a
     * blocking buffered read, counted in {@link AioFileStats#blockingReads()}; where the descriptor cannot be had
     * for now ({@code EMFILE}, {@code ENFILE}, {@code ENOMEM}) the read fails naming the errno instead, and the
     * next miss tries again.
     */
    HYBRID,
    /** Plain buffered reads, as a {@code FileChannel} does: a page-cache miss blocks the loop thread. */
    BUFFERED
}

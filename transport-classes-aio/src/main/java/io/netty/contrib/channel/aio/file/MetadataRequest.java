/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Promise;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code fallocate} or {@code ftruncate}: kernel AIO has no opcode for them and both may wait for the disk
 * (allocating extents, journaling, dropping cached pages), so they run on a small shared pool of daemon threads
 * ({@code aio-file-metadata}, up to 4, idle ones stop after 30 s) and complete back on the file's host thread.
 * Like every request they keep the file's descriptors open until they end.
 */
final class MetadataRequest extends FileRequest<Void> {
    private static final ExecutorService POOL;

    static {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("aio-file-metadata", true));
        pool.allowCoreThreadTimeOut(true);
        POOL = pool;
    }

    private final boolean truncate;
    private final int mode;
    private final long offset;
    private final long length;

    private MetadataRequest(AioFile file, Promise<Void> promise, boolean truncate, int mode, long offset, long length) {
        super(file, promise);
        this.truncate = truncate;
        this.mode = mode;
        this.offset = offset;
        this.length = length;
    }

    static MetadataRequest truncate(AioFile file, Promise<Void> promise, long size) {
        return new MetadataRequest(file, promise, true, 0, size, 0);
    }

    static MetadataRequest fallocate(AioFile file, Promise<Void> promise, int mode, long offset, long length) {
        return new MetadataRequest(file, promise, false, mode, offset, length);
    }

    @Override
    String describe() {
        return truncate ? "truncate(size=" + offset + ')'
                : "fallocate(mode=0x" + Integer.toHexString(mode) + ", offset=" + offset + ", length=" + length + ')';
    }

    @Override
    void start() {
        int fd = file.fd();
        try {
            POOL.execute(() -> {
                int res = truncate ? NativeFiles.ftruncate(fd, offset) : NativeFiles.fallocate(fd, mode, offset, length);
                life.runOnHost(() -> complete(res));
            });
        } catch (RejectedExecutionException e) {
            fail(e);
        }
    }

    @Override
    void complete(long res) {
        if (res < 0) {
            String call = truncate ? "ftruncate" : "fallocate";
            if (res == -Native.EOPNOTSUPP && !truncate) {
                fail(failure(call + " (the filesystem does not support this mode)", res));
            } else {
                fail(failure(call, res));
            }
        } else {
            succeed(null);
        }
    }

    @Override
    void releaseResources() {
    }
}

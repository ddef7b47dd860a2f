/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testing;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A thread that writes a file the way a journal or a log writer does: buffered writes of 8 MiB from {@code from}
 * on, over 32 MiB and round again, with a 1 ms pause between them. ext4 holds the file's inode lock exclusive
 * while each write copies, so an {@code O_DIRECT} read of the file submitted meanwhile meets the lock — outside the
 * bytes written, whose pages stay clean for such a read. Rewriting the same 32 MiB keeps the dirty data (and the
 * write-back competing with the reads for the device) small.
 */
public final class InodeLockWriter implements AutoCloseable {
    private static final long CHUNK = 8 << 20;
    private static final long SPAN = 32 << 20;

    private final AtomicLong writes = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stop;

    private InodeLockWriter(Path path, long from) {
        thread = new Thread(() -> {
            ByteBuffer chunk = ByteBuffer.allocateDirect((int) CHUNK);
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                long at = from;
                while (!stop) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        at += ch.write(chunk, at);
                    }
                    writes.incrementAndGet();
                    if (at >= from + SPAN) {
                        at = from;
                    }
                    Thread.sleep(1);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "inode-lock-writer");
        thread.start();
    }

    /** Starts writing {@code path} from byte {@code from} on. */
    public static InodeLockWriter start(Path path, long from) {
        return new InodeLockWriter(path, from);
    }

    /** Writes done so far. */
    public long writes() {
        return writes.get();
    }

    /** Stops the thread and waits for it; throws what it failed with, if anything. */
    @Override
    public void close() throws Exception {
        stop = true;
        thread.join();
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the writer failed", t);
        }
    }
}

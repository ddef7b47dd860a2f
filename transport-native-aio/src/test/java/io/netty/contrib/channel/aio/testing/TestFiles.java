/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testing;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.contrib.channel.aio.core.Native;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real files for tests, under {@code target/} of the module (ext4 on the build machines, never tmpfs, so that
 * {@code O_DIRECT} and page-cache behaviour are the disk's), and a 4096-aligned pooled allocator.
 */
public final class TestFiles {
    private static final AtomicLong COUNTER = new AtomicLong();

    /** Direct buffers aligned to 4096 bytes, as O_DIRECT on ext4 needs. */
    public static final ByteBufAllocator ALIGNED = new PooledByteBufAllocator(true, 0, 2, 8192, 9, 0, 0, false, 4096);

    private TestFiles() {
    }

    public static Path dir() {
        Path dir = Paths.get("target", "aio-test-files").toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** A new, unique path under {@link #dir()}; the file is not created. */
    public static Path newPath(String prefix) {
        return dir().resolve(prefix + '-' + ProcessHandle.current().pid() + '-' + COUNTER.incrementAndGet());
    }

    /** A file of {@code size} bytes whose byte at offset i is {@link #patternByte(long)}. */
    public static Path patternFile(String prefix, int size) throws IOException {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = patternByte(i);
        }
        Path p = newPath(prefix);
        Files.write(p, data);
        return p;
    }

    public static byte patternByte(long offset) {
        return (byte) (offset * 31 + (offset >>> 8) * 7 + 1);
    }

    /**
     * Writes back what the kernel has of {@code path} and drops {@code length} bytes from {@code offset} (0: to the
     * end) from the page cache, checked with cachestat(2).
     */
    public static void evict(Path path, long offset, long length) {
        int fd = open(path, Native.O_RDONLY);
        try {
            // Dirty pages cannot be dropped: make them clean first.
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path,
                    java.nio.file.StandardOpenOption.READ)) {
                ch.force(true);
            }
            // DONTNEED skips a page whose reference count is up for a moment (the kernel's DAMON thread, kdamond,
            // takes one while it samples accesses on these machines): check with cachestat(2), and ask again.
            for (int attempt = 0; ; attempt++) {
                int res = Native.fadvise(fd, offset, length, Native.POSIX_FADV_DONTNEED);
                if (res != 0) {
                    throw new IOException("posix_fadvise(DONTNEED): " + Native.describeResult(res));
                }
                long cached = io.netty.contrib.channel.aio.core.NativeFiles.cachestat(fd, offset, length);
                if (cached == 0) {
                    return;
                }
                if (attempt >= 1000) {
                    throw new IllegalStateException(cached + " pages of " + path + " still cached after 1000 "
                            + "DONTNEEDs");
                }
                Thread.sleep(1); // nothing to wait on: the other reference goes when it goes
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            close(fd);
        }
    }

    /** open(2) with any flags; fails the test with the errno when the kernel refuses. */
    public static int open(Path path, int flags) {
        int fd = Native.open(path.toString(), flags | Native.O_CLOEXEC, 0644);
        if (fd < 0) {
            throw new UncheckedIOException(Native.ioException("open(" + path + ")", fd));
        }
        return fd;
    }

    public static void close(int fd) {
        Native.close(fd);
    }
}

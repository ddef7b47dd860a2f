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

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
            // DONTNEED skips a page whose reference count is up: the kernel's DAMON thread (kdamond) takes one while
            // it samples accesses on these machines, and a file just sent with sendfile(2) has its pages in socket
            // buffers the receiver has read but whose freeing the kernel deferred to the CPU that allocated them (it
            // happens in that CPU's next network receive, which on an idle CPU may be long in coming). Check with
            // cachestat(2), make every CPU receive a packet now and then, and ask again.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            for (int attempt = 0; ; attempt++) {
                int res = Native.fadvise(fd, offset, length, Native.POSIX_FADV_DONTNEED);
                if (res != 0) {
                    throw new IOException("posix_fadvise(DONTNEED): " + Native.describeResult(res));
                }
                long cached = io.netty.contrib.channel.aio.core.NativeFiles.cachestat(fd, offset, length);
                if (cached == 0) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(cached + " pages of " + path + " still cached after " + attempt
                            + " DONTNEEDs in 60 s");
                }
                if (attempt % 50 == 49) {
                    receiveOnEveryCpu();
                }
                Thread.sleep(attempt < 100 ? 1 : 10);
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

    /**
     * Makes every online CPU run its network receive, which frees the socket buffers deferred to it: a connection to
     * a loopback listener from a shell pinned to that CPU with taskset(1).
     */
    private static void receiveOnEveryCpu() throws IOException, InterruptedException {
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(30_000);
            for (int cpu : onlineCpus()) {
                Process p = new ProcessBuilder("taskset", "--cpu-list", Integer.toString(cpu), "bash", "-c",
                        "exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort() + " && echo received >&3")
                        .redirectErrorStream(true).start();
                try (java.net.Socket s = listener.accept()) {
                    s.getInputStream().readAllBytes();
                }
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IOException("taskset --cpu-list " + cpu + " bash: "
                            + new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** The CPUs of {@code /sys/devices/system/cpu/online}, a list such as {@code 0-3,6}. */
    public static java.util.List<Integer> onlineCpus() throws IOException {
        java.util.List<Integer> cpus = new java.util.ArrayList<>();
        for (String range : Files.readString(Path.of("/sys/devices/system/cpu/online")).trim().split(",")) {
            String[] bounds = range.split("-");
            int first = Integer.parseInt(bounds[0]);
            int last = bounds.length == 1 ? first : Integer.parseInt(bounds[1]);
            for (int cpu = first; cpu <= last; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
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

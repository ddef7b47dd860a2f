/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.benchmarks.storage;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.contrib.channel.aio.AioIoHandler;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.file.AioFile;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * How late a 1 ms task runs on the caller's event loop while {@link AioFile} reads a cold file from it, for each
 * kind of host loop (AIO, epoll, NIO; the NIO loop's files run on the shared completion thread and only their
 * listeners run on the NIO loop). Each host is measured twice in the same process: idle (the probe alone, the
 * anchor) and while {@code --reads} random 4 KiB reads of an evicted file run {@code --qd} at a time. One line per
 * host and phase:
 * <pre>lateness host=nio phase=reads ticks=N raw_p50_us=.. raw_p99_us=.. raw_max_us=.. net_p99_us=.. net_max_us=..
 *   gc_ms=.. misses=..</pre>
 * {@code net} subtracts the time the loop thread waited for a CPU (run_delay in /proc/thread-self/schedstat): what
 * is left was spent by the loop itself. Lateness is the delay past the due time of each run; runs are one period
 * apart, each scheduled when the previous one ran.
 */
@Command(name = "host-lateness", mixinStandardHelpOptions = true,
        description = "Lateness of a periodic loop task while AioFile reads a cold file, per host loop.")
public final class HostLatenessBench implements Callable<Integer> {
    @Option(names = "--path", required = true, description = "The file to read (evicted before each phase).")
    Path path;

    @Option(names = "--hosts", split = ",", defaultValue = "aio,epoll,nio", description = "aio, epoll, nio.")
    List<String> hosts;

    @Option(names = "--reads", defaultValue = "4000", description = "Reads per phase.")
    int reads;

    @Option(names = "--qd", defaultValue = "16", description = "Reads in flight.")
    int qd;

    @Option(names = "--idle-ms", defaultValue = "2000", description = "Length of the idle phase.")
    long idleMillis;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HostLatenessBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (String host : hosts) {
            IoHandlerFactory factory = switch (host) {
                case "aio" -> AioIoHandler.newFactory();
                case "epoll" -> EpollIoHandler.newFactory();
                case "nio" -> NioIoHandler.newFactory();
                default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown host " + host);
            };
            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, factory);
            try {
                IoEventLoop loop = (IoEventLoop) group.next();
                AioFile file = AioFile.open(loop, path);
                try {
                    phase(host, "idle", loop, null);
                    // Twice: the first pass warms the JIT up on the read path.
                    phase(host, "warmup", loop, file);
                    phase(host, "reads", loop, file);
                } finally {
                    file.close().sync();
                }
            } finally {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
        }
        return 0;
    }

    private void phase(String host, String name, IoEventLoop loop, AioFile file) throws Exception {
        evict(path);
        long gc0 = gcMillis();
        long misses0 = file != null ? missesOf(file) : 0;
        Probe probe = new Probe(loop, 1_000_000L, 1 << 20);
        Promise<Void> done = loop.newPromise();
        loop.submit(() -> {
            probe.start();
            if (file != null) {
                try {
                    new Reader(file, reads, qd, done).start();
                } catch (IOException e) {
                    done.setFailure(e);
                }
            }
        }).sync();
        if (file != null) {
            done.get(5, TimeUnit.MINUTES);
        } else {
            Thread.sleep(idleMillis);
        }
        loop.submit(probe::stop).sync();
        long misses = file != null ? missesOf(file) - misses0 : 0;
        if (!"warmup".equals(name)) {
            System.out.println(probe.report(host, name) + " gc_ms=" + (gcMillis() - gc0) + " misses=" + misses);
        }
    }

    /** Page-cache misses the file counted (its stats are read on its engine's thread). */
    private static long missesOf(AioFile file) {
        try {
            return file.host().executor().submit(() -> file.stats().nowaitMisses()).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    private static void evict(Path path) throws IOException {
        int fd = Native.open(path.toString(), Native.O_RDONLY, 0);
        if (fd < 0) {
            throw Native.ioException("open(" + path + ")", fd);
        }
        try {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                ch.force(true);
            }
            for (int i = 0; i < 3; i++) {
                Native.fadvise(fd, 0, 0, Native.POSIX_FADV_DONTNEED);
            }
        } finally {
            Native.close(fd);
        }
    }

    /** Keeps {@code depth} random 4 KiB reads in flight, each into one of {@code depth} reused buffers. */
    private static final class Reader {
        private final AioFile file;
        private final int total;
        private final Promise<Void> done;
        private final SplittableRandom random = new SplittableRandom(42);
        private final long blocks;
        private final ByteBuf[] buffers;
        private int issued;
        private int completed;

        Reader(AioFile file, int total, int depth, Promise<Void> done) throws IOException {
            this.file = file;
            this.total = total;
            this.done = done;
            this.blocks = file.size() / 4096 - 1;
            this.buffers = new ByteBuf[depth];
        }

        void start() {
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = file.allocator().directBuffer(4096, 4096);
                next(i);
            }
        }

        private void next(int slot) {
            if (issued == total) {
                buffers[slot].release();
                return;
            }
            issued++;
            ByteBuf buf = buffers[slot].clear();
            file.read(random.nextLong(blocks) * 4096, buf).addListener((Future<Integer> f) -> {
                if (!f.isSuccess()) {
                    done.tryFailure(f.cause());
                }
                if (++completed == total) {
                    done.trySuccess(null);
                }
                next(slot);
            });
        }
    }

    /** The periodic task: lateness of each run, raw and net of the loop thread's run-queue wait. */
    private static final class Probe implements Runnable {
        private final IoEventLoop loop;
        private final long period;
        private final long[] raw;
        private final long[] net;
        private final ByteBuffer buffer = ByteBuffer.allocate(128);
        private FileChannel schedstat;
        private long expected;
        private long lastRunDelay;
        private int ticks;
        private boolean stopped;

        Probe(IoEventLoop loop, long periodNanos, int capacity) {
            this.loop = loop;
            this.period = periodNanos;
            this.raw = new long[capacity];
            this.net = new long[capacity];
        }

        void start() {
            try {
                schedstat = FileChannel.open(Paths.get("/proc/thread-self/schedstat"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lastRunDelay = runDelay();
            expected = System.nanoTime() + period;
            loop.schedule(this, period, TimeUnit.NANOSECONDS);
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            if (stopped) {
                return;
            }
            long now = System.nanoTime();
            long runDelay = runDelay();
            if (ticks < raw.length) {
                raw[ticks] = now - expected;
                net[ticks] = now - expected - (runDelay - lastRunDelay);
                ticks++;
            }
            lastRunDelay = runDelay;
            expected = now + period;
            loop.schedule(this, period, TimeUnit.NANOSECONDS);
        }

        private long runDelay() {
            try {
                buffer.clear();
                schedstat.read(buffer, 0);
                String[] fields = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim()
                        .split(" ");
                return Long.parseLong(fields[1]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String report(String host, String phase) {
            long[] r = Arrays.copyOf(raw, ticks);
            long[] n = Arrays.copyOf(net, ticks);
            Arrays.sort(r);
            Arrays.sort(n);
            try {
                schedstat.close();
            } catch (IOException ignored) {
                // read-only
            }
            return String.format(Locale.ROOT, "lateness host=%s phase=%s ticks=%d raw_p50_us=%d raw_p99_us=%d "
                            + "raw_max_us=%d net_p50_us=%d net_p99_us=%d net_max_us=%d", host, phase, ticks,
                    pct(r, 50), pct(r, 99), pct(r, 100), pct(n, 50), pct(n, 99), pct(n, 100));
        }

        private static long pct(long[] sorted, int p) {
            if (sorted.length == 0) {
                return -1;
            }
            int i = (int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p / 100.0) - 1);
            return sorted[Math.max(0, i)] / 1000;
        }
    }
}

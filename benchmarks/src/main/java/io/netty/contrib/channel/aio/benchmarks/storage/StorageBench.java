/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.benchmarks.storage;

import com.sun.nio.file.ExtendedOpenOption;
import io.netty.buffer.ByteBuf;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.core.AioBlock;
import io.netty.contrib.channel.aio.core.AioContext;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.file.AioBufferAllocator;
import io.netty.contrib.channel.aio.file.AioFile;
import io.netty.contrib.channel.aio.file.AioOpenOption;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java side of {@code benchmarks/storage.sh}: {@code O_DIRECT} reads of a file or block device at a fixed
 * queue depth, through {@link AioFile} from ONE AIO event loop, or through the JDK's
 * {@link AsynchronousFileChannel} with a pool of 8 threads, the way fio's {@code randread}/{@code read} jobs do
 * (random offsets aligned to the block size, or sequential ones that wrap around). Each case runs a warm-up, then
 * counts completions for the measured time; one line per case:
 * <pre>result engine=aio pattern=rand bs=4096 qd=32 iops=123456 seconds=3.00</pre>
 */
@Command(name = "storage-bench", mixinStandardHelpOptions = true,
        description = "O_DIRECT reads at a fixed queue depth through AioFile or AsynchronousFileChannel.")
public final class StorageBench implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--path", required = true, description = "File or block device to read.")
    Path path;

    @Option(names = "--size", description = "Bytes of the target to read from (default: its size).")
    long size;

    @Option(names = "--engine", split = ",", defaultValue = "aio,jdk",
            description = "aio (AioFile on one AIO loop), jdk (AsynchronousFileChannel), core (core's AioContext "
                    + "driven by a plain thread: submit what completed, wait in io_getevents; no loop, no futures).")
    List<String> engines;

    @Option(names = "--pattern", defaultValue = "rand", description = "rand or seq.")
    String pattern;

    @Option(names = "--bs", defaultValue = "4096", description = "Block size in bytes.")
    int blockSize;

    @Option(names = "--qd", split = ",", defaultValue = "1,32,128", description = "Queue depths.")
    List<Integer> queueDepths;

    @Option(names = "--warmup", defaultValue = "1", description = "Warm-up seconds per case.")
    double warmupSeconds;

    @Option(names = "--seconds", defaultValue = "3", description = "Measured seconds per case.")
    double seconds;

    @Option(names = "--verbose", description = "Print the AIO loop's counters after each case.")
    boolean verbose;

    @Option(names = "--jdk-threads", defaultValue = "8", description = "Threads of the JDK channel's pool.")
    int jdkThreads;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StorageBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (int qd : queueDepths) {
            for (String engine : engines) {
                long iops = "aio".equals(engine) ? runAio(qd) : "core".equals(engine) ? runCore(qd) : runJdk(qd);
                System.out.printf("result engine=%s pattern=%s bs=%d qd=%d iops=%d seconds=%.2f%n", engine, pattern,
                        blockSize, qd, iops, seconds);
            }
        }
        return 0;
    }

    /** Offsets: random blocks of the target, or consecutive ones wrapping at its end. One per submitter. */
    private static final class Offsets {
        private final SplittableRandom random = new SplittableRandom(42);
        private final long blocks;
        private final int blockSize;
        private final boolean sequential;
        private long next;

        Offsets(StorageBench bench, long targetSize) {
            blockSize = bench.blockSize;
            sequential = "seq".equals(bench.pattern);
            blocks = targetSize / blockSize;
            if (blocks == 0) {
                throw new IllegalArgumentException(bench.path + " holds less than one block of " + blockSize);
            }
        }

        long next() {
            if (sequential) {
                long block = next++;
                if (next == blocks) {
                    next = 0;
                }
                return block * blockSize;
            }
            return random.nextLong(blocks) * blockSize;
        }
    }

    /**
     * One case's shared state: where the readers read next, the completions they count (the measured window
     * opens after the warm-up), the stop flag, and the latch each reader counts down when it has stopped.
     */
    private static final class Meter {
        final AtomicLong completions = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch stopped;
        Offsets offsets;

        Meter(int readers) {
            stopped = new CountDownLatch(readers);
        }
        /** The loop thread, when one thread does all the work: its CPU time per completion is reported. */
        volatile Thread worker;
        long cpuNanosPerOp = -1;

        long measure(double warmupSeconds, double seconds) throws InterruptedException {
            Thread.sleep((long) (warmupSeconds * 1000));
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            Thread w = worker;
            long cpu0 = w != null ? threads.getThreadCpuTime(w.getId()) : 0;
            long start = completions.get();
            long t0 = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            long n = completions.get() - start;
            long t1 = System.nanoTime();
            if (w != null && n > 0) {
                cpuNanosPerOp = (threads.getThreadCpuTime(w.getId()) - cpu0) / n;
            }
            stop.set(true);
            return Math.round(n * 1e9 / (t1 - t0));
        }
    }

    // ---------------------------------------------------------------- AioFile, one AIO loop

    private long runAio(int qd) throws Exception {
        AioEventLoopGroup group = new AioEventLoopGroup(1, (ThreadFactory) null,
                new AioIoHandlerConfig().depth(Math.max(256, 2 * qd)));
        try {
            AioEventLoop loop = group.next();
            AioFile file = AioFile.open(loop, path, StandardOpenOption.READ, AioOpenOption.DIRECT);
            long target = size > 0 ? size : file.size();
            Meter meter = new Meter(qd);
            loop.execute(() -> {
                meter.worker = Thread.currentThread();
                meter.offsets = new Offsets(this, target);
                for (int i = 0; i < qd; i++) {
                    new AioReader(file, meter).next();
                }
            });
            long iops = meter.measure(warmupSeconds, seconds);
            meter.stopped.await(30, TimeUnit.SECONDS);
            if (verbose) {
                System.out.println("# aio qd=" + qd + " loop CPU per read " + meter.cpuNanosPerOp + " ns, "
                        + loop.submit(loop::stats).get());
            }
            file.close().sync();
            return iops;
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    /** One slot of the queue: a buffer that is read into again as soon as its read completes. */
    private final class AioReader implements GenericFutureListener<Future<Integer>> {
        private final AioFile file;
        private final Meter meter;
        private final ByteBuf buffer;

        AioReader(AioFile file, Meter meter) {
            this.file = file;
            this.meter = meter;
            this.buffer = file.allocator().directBuffer(blockSize, blockSize);
        }

        void next() {
            buffer.clear();
            file.read(meter.offsets.next(), buffer).addListener(this);
        }

        @Override
        public void operationComplete(Future<Integer> f) {
            if (!f.isSuccess()) {
                f.cause().printStackTrace();
                meter.stop.set(true);
            } else {
                meter.completions.incrementAndGet();
            }
            if (meter.stop.get()) {
                buffer.release();
                meter.stopped.countDown();
            } else {
                next();
            }
        }
    }

    // ---------------------------------------------------------------- core's AioContext, one plain thread

    /** The floor under AioFile: the same reads through the low-level API, without the loop and futures. */
    private long runCore(int qd) throws Exception {
        int fd = Native.open(path.toString(), Native.O_RDONLY | Native.O_DIRECT | Native.O_CLOEXEC, 0);
        if (fd < 0) {
            throw Native.ioException("open(" + path + ")", fd);
        }
        long target = size > 0 ? size : java.nio.file.Files.size(path);
        Meter meter = new Meter(1);
        Thread thread = new Thread(() -> {
            try (AioContext context = AioContext.open(Math.max(256, 2 * qd))) {
                Offsets offsets = new Offsets(this, target);
                List<AioBlock> resubmit = new ArrayList<>(qd);
                AioBlock[] blocks = new AioBlock[qd];
                ByteBuf[] buffers = new ByteBuf[qd];
                for (int i = 0; i < qd; i++) {
                    ByteBuf buffer = buffers[i] = AioBufferAllocator.forAlignment(4096).directBuffer(blockSize,
                            blockSize);
                    blocks[i] = new AioBlock().prepPread(fd, buffer, offsets.next()).callback((b, res, res2) -> {
                        meter.completions.incrementAndGet();
                        if (!meter.stop.get()) {
                            b.prepPread(fd, buffer.clear(), offsets.next());
                            resubmit.add(b);
                        }
                    });
                }
                context.submit(blocks);
                while (context.inFlight() > 0) {
                    context.getEvents(1, context.depth(), -1);
                    if (!resubmit.isEmpty()) {
                        context.submit(resubmit);
                        resubmit.clear();
                    }
                }
                for (ByteBuf b : buffers) {
                    b.release();
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "core-reader");
        meter.worker = thread;
        thread.start();
        long iops = meter.measure(warmupSeconds, seconds);
        thread.join();
        Native.close(fd);
        if (verbose) {
            System.out.println("# core qd=" + qd + " thread CPU per read " + meter.cpuNanosPerOp + " ns");
        }
        return iops;
    }

    // ---------------------------------------------------------------- AsynchronousFileChannel, pool of 8

    private long runJdk(int qd) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(jdkThreads);
        try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(path,
                Set.of(StandardOpenOption.READ, ExtendedOpenOption.DIRECT), pool)) {
            long target = size > 0 ? size : channel.size();
            Meter meter = new Meter(qd);
            meter.offsets = new Offsets(this, target);
            for (int i = 0; i < qd; i++) {
                new JdkReader(channel, meter).next();
            }
            long iops = meter.measure(warmupSeconds, seconds);
            meter.stopped.await(30, TimeUnit.SECONDS);
            return iops;
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private final class JdkReader implements CompletionHandler<Integer, Void> {
        private final AsynchronousFileChannel channel;
        private final Meter meter;
        private final ByteBuffer buffer;

        JdkReader(AsynchronousFileChannel channel, Meter meter) {
            this.channel = channel;
            this.meter = meter;
            this.buffer = ByteBuffer.allocateDirect(blockSize + 4096).alignedSlice(4096);
            buffer.limit(blockSize);
        }

        void next() {
            long offset;
            // The completion threads share the offset generator.
            synchronized (meter.offsets) {
                offset = meter.offsets.next();
            }
            buffer.clear().limit(blockSize);
            channel.read(buffer, offset, null, this);
        }

        @Override
        public void completed(Integer result, Void attachment) {
            meter.completions.incrementAndGet();
            if (meter.stop.get()) {
                meter.stopped.countDown();
            } else {
                next();
            }
        }

        @Override
        public void failed(Throwable t, Void attachment) {
            t.printStackTrace();
            meter.stop.set(true);
            meter.stopped.countDown();
        }
    }
}

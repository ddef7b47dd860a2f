/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.benchmarks.storage;

import com.sun.nio.file.ExtendedOpenOption;
import io.netty.buffer.ByteBuf;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioIoHandle;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.AioIoOps;
import io.netty.contrib.channel.aio.AioIoRegistration;
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

    /** The busy-poll of engine aiobusy: longer than a QD 1 read on the test devices (~16-60 us). */
    static final long BUSY_POLL_NANOS = 100_000;

    @Option(names = "--size", description = "Bytes of the target to read from (default: its size).")
    long size;

    @Option(names = "--engine", split = ",", defaultValue = "aio,jdk",
            description = "aio (AioFile on one AIO loop), aiobusy (the same, the loop busy-polling "
                    + BUSY_POLL_NANOS / 1000 + " us before it sleeps), "
                    + "jdk (AsynchronousFileChannel on a pool of --jdk-threads), "
                    + "jdk1 (the same on a pool of one thread: as many threads as AioFile's one loop), loop (the AIO "
                    + "loop's own AioIoHandle API, no AioFile), core (core's AioContext driven by a plain thread: "
                    + "resubmit what completed, wait in io_getevents; no loop, no futures).")
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

    @Option(names = "--core-reap", defaultValue = "1048576",
            description = "core engine: the most completions taken per io_getevents (each round resubmits them in one io_submit).")
    int coreReap;

    @Option(names = "--core-eventfd", description = "core engine: completions signal an eventfd the thread ppolls, as the loop does.")
    boolean coreEventFd;

    @Option(names = "--jdk-threads", defaultValue = "8", description = "Threads of the JDK channel's pool.")
    int jdkThreads;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StorageBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (int qd : queueDepths) {
            for (String engine : engines) {
                long iops = switch (engine) {
                    case "aio" -> runAio(qd, 0);
                    case "aiobusy" -> runAio(qd, BUSY_POLL_NANOS);
                    case "jdk" -> runJdk(qd, jdkThreads);
                    case "jdk1" -> runJdk(qd, 1);
                    case "loop" -> runLoop(qd);
                    case "core" -> runCore(qd);
                    default -> throw new CommandLine.ParameterException(new CommandLine(this),
                            "unknown engine " + engine + " (aio, aiobusy, jdk, jdk1, loop, core)");
                };
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
        long bytesPerOp = -1;

        long measure(double warmupSeconds, double seconds) throws InterruptedException {
            Thread.sleep((long) (warmupSeconds * 1000));
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            Thread w = worker;
            long cpu0 = w != null ? threads.getThreadCpuTime(w.getId()) : 0;
            long bytes0 = w != null ? threads.getThreadAllocatedBytes(w.getId()) : 0;
            long start = completions.get();
            long t0 = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            long n = completions.get() - start;
            long t1 = System.nanoTime();
            if (w != null && n > 0) {
                cpuNanosPerOp = (threads.getThreadCpuTime(w.getId()) - cpu0) / n;
                bytesPerOp = (threads.getThreadAllocatedBytes(w.getId()) - bytes0) / n;
            }
            stop.set(true);
            return Math.round(n * 1e9 / (t1 - t0));
        }

        /** What {@code --verbose} prints about the worker thread. */
        String perOp() {
            return "CPU per read " + cpuNanosPerOp + " ns, " + bytesPerOp + " bytes allocated per read";
        }
    }

    // ---------------------------------------------------------------- AioFile, one AIO loop

    private long runAio(int qd, long busyPollNanos) throws Exception {
        AioEventLoopGroup group = new AioEventLoopGroup(1, (ThreadFactory) null,
                new AioIoHandlerConfig().depth(Math.max(256, 2 * qd)).busyPoll(busyPollNanos, TimeUnit.NANOSECONDS));
        try {
            AioEventLoop loop = group.next();
            AioFile file = AioFile.open(loop, path, StandardOpenOption.READ, AioOpenOption.DIRECT);
            long target = size > 0 ? size : file.size();
            if (verbose) {
                ByteBuf probe = file.allocator().directBuffer(blockSize, blockSize);
                System.out.println("# aio " + file.alignment() + ", a buffer's address mod 4096: "
                        + (probe.memoryAddress() & 4095));
                probe.release();
            }
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
                System.out.println("# aio qd=" + qd + " loop " + meter.perOp() + ", "
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

    // ---------------------------------------------------------------- the AIO loop's own API, no AioFile

    /**
     * The layer between core and AioFile: an {@link AioIoHandle} that resubmits each read from its event, with one
     * read description built up front and the buffer as the attachment that comes back (no allocation per read).
     */
    private long runLoop(int qd) throws Exception {
        AioEventLoopGroup group = new AioEventLoopGroup(1, (ThreadFactory) null,
                new AioIoHandlerConfig().depth(Math.max(256, 2 * qd)));
        int fd = Native.open(path.toString(), Native.O_RDONLY | Native.O_DIRECT | Native.O_CLOEXEC, 0);
        if (fd < 0) {
            throw Native.ioException("open(" + path + ")", fd);
        }
        try {
            AioEventLoop loop = group.next();
            long target = size > 0 ? size : java.nio.file.Files.size(path);
            Meter meter = new Meter(1);
            ByteBuf[] buffers = new ByteBuf[qd];
            Offsets offsets = new Offsets(this, target);
            AioIoOps read = AioIoOps.describe(Native.IOCB_CMD_PREAD, fd, 0);
            AioIoHandle handle = new AioIoHandle() {
                int live = qd;

                @Override
                public void handle(io.netty.channel.IoRegistration registration, io.netty.channel.IoEvent event) {
                    meter.completions.incrementAndGet();
                    ByteBuf buffer = (ByteBuf) ((io.netty.contrib.channel.aio.AioIoEvent) event).attachment();
                    if (meter.stop.get()) {
                        if (--live == 0) {
                            meter.stopped.countDown();
                        }
                        return;
                    }
                    ((AioIoRegistration) registration).submit(read, buffer.clear(), offsets.next(), buffer);
                }

                @Override
                public void close() {
                }
            };
            io.netty.channel.IoRegistration reg = loop.register(handle).sync().getNow();
            AioIoRegistration aioReg = reg.attachment();
            loop.execute(() -> {
                meter.worker = Thread.currentThread();
                for (int i = 0; i < qd; i++) {
                    buffers[i] = AioBufferAllocator.forAlignment(4096).directBuffer(blockSize, blockSize);
                    aioReg.submit(read, buffers[i], offsets.next(), buffers[i]);
                }
            });
            long iops = meter.measure(warmupSeconds, seconds);
            meter.stopped.await(30, TimeUnit.SECONDS);
            if (verbose) {
                System.out.println("# loop qd=" + qd + " loop " + meter.perOp() + ", "
                        + loop.submit(loop::stats).get());
            }
            loop.submit(() -> {
                reg.cancel();
                for (ByteBuf b : buffers) {
                    b.release();
                }
            }).sync();
            return iops;
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            Native.close(fd);
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
            try (AioContext context = AioContext.open(Math.max(256, 2 * qd));
                 io.netty.contrib.channel.aio.core.EventFd efd = io.netty.contrib.channel.aio.core.EventFd.create()) {
                int resfd = coreEventFd ? efd.intValue() : -1;
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
                            if (resfd >= 0) {
                                b.resfd(resfd);
                            }
                            resubmit.add(b);
                        }
                    });
                }
                if (resfd >= 0) {
                    for (AioBlock b : blocks) {
                        b.resfd(resfd);
                    }
                }
                context.submit(blocks);
                while (context.inFlight() > 0) {
                    if (resfd < 0) {
                        context.getEvents(1, Math.min(coreReap, context.depth()), -1);
                    } else if (context.getEvents(0, coreReap, 0) == 0) {
                        Native.eventFdRead(resfd);
                        if (context.getEvents(0, coreReap, 0) == 0) {
                            Native.ppoll(resfd, Native.POLLIN, 1_000_000_000L);
                        }
                    }
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
            System.out.println("# core qd=" + qd + " thread " + meter.perOp());
        }
        return iops;
    }

    // ---------------------------------------------------------------- AsynchronousFileChannel, pool of 8

    private long runJdk(int qd, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
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

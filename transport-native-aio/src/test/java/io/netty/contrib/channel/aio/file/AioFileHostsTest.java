/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.contrib.channel.aio.AioIoHandler;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same file behaviour from an AIO loop, an epoll loop and a NIO loop (dedicated completion thread). */
class AioFileHostsTest {
    enum Host {
        AIO(AioIoHandler.newFactory(new AioIoHandlerConfig().depth(512))),
        EPOLL(EpollIoHandler.newFactory()),
        NIO(NioIoHandler.newFactory());

        final IoHandlerFactory factory;

        Host(IoHandlerFactory factory) {
            this.factory = factory;
        }
    }

    private static MultiThreadIoEventLoopGroup group(Host host) {
        return new MultiThreadIoEventLoopGroup(1, host.factory);
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void futuresCompleteOnTheCallersLoop(Host host) throws Exception {
        MultiThreadIoEventLoopGroup group = group(host);
        IoEventLoop loop = (IoEventLoop) group.next();
        Path path = TestFiles.patternFile("host-" + host, 200_000);
        try {
            AioFile file = AioFile.open(loop, path, READ, WRITE);
            assertEquals(host == Host.NIO ? AioFileHost.sharedCompletionThread().executor() : loop,
                    file.host().executor());
            Promise<byte[]> done = loop.newPromise();
            AtomicInteger offLoop = new AtomicInteger();
            // A read, a write of what was read elsewhere, a read-back, chained in listeners on the caller's loop.
            file.read(1000, 5000).addListener((Future<ByteBuf> r) -> {
                if (!loop.inEventLoop()) {
                    offLoop.incrementAndGet();
                }
                ByteBuf data = r.getNow();
                file.write(150_000, data).addListener(w -> {
                    data.release();
                    if (!loop.inEventLoop()) {
                        offLoop.incrementAndGet();
                    }
                    file.read(150_000, 5000).addListener((Future<ByteBuf> back) -> {
                        if (!loop.inEventLoop()) {
                            offLoop.incrementAndGet();
                        }
                        if (!back.isSuccess()) {
                            done.setFailure(back.cause());
                            return;
                        }
                        done.setSuccess(AioFileTest.bytes(back.getNow()));
                        back.getNow().release();
                    });
                });
            });
            assertArrayEquals(AioFileTest.pattern(1000, 5000), done.get(10, TimeUnit.SECONDS));
            assertEquals(0, offLoop.get(), "listeners ran off the caller's loop");
            file.fsync().sync();
            file.close().sync();
            assertFalse(file.isOpen());
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * While 1 000 cold 4 KiB reads run (16 at a time, each through RWF_NOWAIT, then O_DIRECT on a miss), no read
     * takes the blocking buffered path (the file's stats count each path) and the caller's loop keeps running a
     * task every millisecond. How late that task ran is printed, not asserted: on a shared 2-core machine it
     * measures the neighbours as much as the loop (this test once failed a 5 ms bound only while another build
     * ran beside it); the loop's latency is a benchmark's to measure.
     */
    @ParameterizedTest
    @EnumSource(Host.class)
    void coldReadsNeverTakeTheBlockingPathAndTheLoopKeepsRunningTasks(Host host) throws Exception {
        MultiThreadIoEventLoopGroup group = group(host);
        IoEventLoop loop = (IoEventLoop) group.next();
        Path path = TestFiles.patternFile("cold-" + host, 16 << 20);
        try {
            AioFile file = AioFile.open(loop, path);
            long size = file.size();
            AioFileTest.evict(path);
            AioFileStats before = file.host().executor().submit(file::stats).get();
            LatenessProbe probe = new LatenessProbe(loop, 1, TimeUnit.MILLISECONDS);
            Promise<Void> done = loop.newPromise();
            AtomicInteger failures = new AtomicInteger();
            loop.submit(() -> {
                probe.start();
                new ColdReader(file, size, 1000, 16, done, failures).start();
            }).sync();
            done.get(60, TimeUnit.SECONDS);
            probe.stop();
            assertEquals(0, failures.get(), "reads returned wrong data or failed");
            AioFileStats after = file.host().executor().submit(file::stats).get();
            long reads = after.reads() - before.reads();
            long misses = after.nowaitMisses() - before.nowaitMisses()
                    + after.nowaitPartialHits() - before.nowaitPartialHits();
            long direct = after.directReads() - before.directReads();
            long buffered = after.bufferedReads() - before.bufferedReads();
            String what = host + ": reads=" + reads + " misses=" + misses + " direct=" + direct + " buffered="
                    + buffered + ", " + probe;
            System.out.println(what);
            assertEquals(1000, reads, what);
            assertEquals(0, buffered, "a cold read took the blocking buffered path: " + what);
            assertTrue(misses > 0, "no read missed the page cache: " + what);
            assertEquals(misses, direct, "every miss went to the direct path: " + what);
            assertTrue(probe.ticks() > 0, "the 1 ms task never ran while the reads were in flight: " + what);
            file.close().sync();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * Keeps {@code depth} random 4 KiB reads in flight until {@code total} have completed, each into one of
     * {@code depth} reused buffers (little work per completion on the loop), and checks a sample of each.
     */
    private static final class ColdReader {
        private final AioFile file;
        private final int total;
        private final Promise<Void> done;
        private final AtomicInteger failures;
        private final SplittableRandom random = new SplittableRandom(42);
        private final long blocks;
        private final ByteBuf[] buffers;
        private int issued;
        private int completed;

        ColdReader(AioFile file, long size, int total, int depth, Promise<Void> done, AtomicInteger failures) {
            this.file = file;
            this.total = total;
            this.done = done;
            this.failures = failures;
            this.blocks = size / 4096 - 1;
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
            long position = random.nextLong(blocks) * 4096 + random.nextInt(100);
            ByteBuf buf = buffers[slot].clear();
            file.read(position, buf).addListener((Future<Integer> f) -> {
                if (!f.isSuccess() || f.getNow() != 4096 || buf.getByte(0) != TestFiles.patternByte(position)
                        || buf.getByte(4095) != TestFiles.patternByte(position + 4095)) {
                    failures.incrementAndGet();
                }
                if (++completed == total) {
                    done.setSuccess(null);
                }
                next(slot);
            });
        }
    }

    /**
     * Closing the file, or shutting its loop down, with reads in flight: every read completes (data or
     * AioFileClosedException), the close completes after them, nothing leaks (the leak extension checks).
     */
    @ParameterizedTest
    @EnumSource(Host.class)
    void closeAndShutdownWithReadsInFlight(Host host) throws Exception {
        Path path = TestFiles.patternFile("inflight-" + host, 4 << 20);
        for (boolean shutdown : new boolean[] {false, true}) {
            AioFileTest.evict(path);
            MultiThreadIoEventLoopGroup group = group(host);
            IoEventLoop loop = (IoEventLoop) group.next();
            AioFile file = AioFile.open(loop, path);
            List<Future<ByteBuf>> reads = new ArrayList<>();
            loop.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    reads.add(file.read(i * 20_000L + 7, 20_000));
                }
            }).sync();
            if (shutdown) {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
                // The loop's shutdown closes the file: during it (AIO, epoll), or right after its termination
                // (epoll when Netty skipped prepareToDestroy; NIO, whose file lives on the completion thread).
                file.closeFuture().await(10, TimeUnit.SECONDS);
            } else {
                file.close().await(10, TimeUnit.SECONDS);
            }
            assertTrue(file.closeFuture().isDone(), "the file did not close: " + file + " shutdown=" + shutdown + " " + file.stats());
            assertFalse(file.isOpen());
            for (int i = 0; i < reads.size(); i++) {
                Future<ByteBuf> f = reads.get(i);
                assertTrue(f.await(10, TimeUnit.SECONDS), "read " + i + " never completed");
                if (f.isSuccess()) {
                    assertArrayEquals(AioFileTest.pattern(i * 20_000L + 7, 20_000), AioFileTest.bytes(f.getNow()));
                    f.getNow().release();
                } else {
                    assertInstanceOf(AioFileClosedException.class, f.cause());
                }
            }
            if (!shutdown) {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
        }
    }

    /**
     * An epoll loop whose shutdown begins inside a task — after that iteration's look for a shutdown, so Netty never
     * calls {@code prepareToDestroy()} — still closes its files on the loop thread: the reads in flight then
     * complete there, and their listeners and the close future's run on the loop (a future of a terminated loop
     * completed from another thread would never notify its listeners).
     */
    @Test
    void epollLoopShutDownFromATaskClosesItsFilesOnTheLoopThread() throws Exception {
        MultiThreadIoEventLoopGroup group = group(Host.EPOLL);
        IoEventLoop loop = (IoEventLoop) group.next();
        Path path = TestFiles.patternFile("epoll-skip", 1 << 20);
        try {
            AioFile file = AioFile.open(loop, path);
            int reads = 8;
            List<Thread> listenerThreads = new CopyOnWriteArrayList<>();
            CountDownLatch listened = new CountDownLatch(reads + 1);
            Thread loopThread = loop.submit(() -> {
                for (int i = 0; i < reads; i++) {
                    file.read(i * 4096L, 4096).addListener((Future<ByteBuf> f) -> {
                        listenerThreads.add(Thread.currentThread());
                        if (f.isSuccess()) {
                            f.getNow().release();
                        }
                        listened.countDown();
                    });
                }
                file.closeFuture().addListener(f -> {
                    listenerThreads.add(Thread.currentThread());
                    listened.countDown();
                });
                loop.shutdownGracefully(0, 5, TimeUnit.SECONDS);
                return Thread.currentThread();
            }).get(10, TimeUnit.SECONDS);
            assertTrue(loop.terminationFuture().await(10, TimeUnit.SECONDS), "the loop did not terminate");
            assertTrue(listened.await(10, TimeUnit.SECONDS), (reads + 1 - listenerThreads.size())
                    + " listeners never ran; file " + file + ", " + file.stats());
            for (Thread t : listenerThreads) {
                assertSame(loopThread, t, "a listener ran on " + t.getName());
            }
            assertFalse(file.isOpen());
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }
}

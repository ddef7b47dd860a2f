/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AioFile on an AIO event loop: reads, writes, sync, metadata, and the path each read takes. */
class AioFileTest {
    private static AioEventLoopGroup group;
    private static AioEventLoop loop;

    @BeforeAll
    static void startLoop() {
        group = new AioEventLoopGroup(1, (java.util.concurrent.ThreadFactory) null,
                new AioIoHandlerConfig().depth(512));
        loop = group.next();
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 5, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }

    static byte[] pattern(long offset, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = TestFiles.patternByte(offset + i);
        }
        return b;
    }

    /** Reads through AioFile and checks the bytes against the pattern. */
    private static void assertReads(AioFile file, long position, int length, int expected) throws Exception {
        ByteBuf buf = file.read(position, length).get();
        try {
            assertEquals(expected, buf.readableBytes(), "bytes read at " + position);
            assertArrayEquals(pattern(position, expected), bytes(buf), "data at " + position);
        } finally {
            buf.release();
        }
    }

    /** Writes back what the kernel has and drops this file's pages from the page cache. */
    static void evict(Path path) {
        evict(path, 0, 0);
    }

    /** As {@link #evict(Path)} for {@code length} bytes from {@code offset} (0: to the end). */
    static void evict(Path path, long offset, long length) {
        TestFiles.evict(path, offset, length);
    }

    @Test
    void readAtPositionReturnsTheBytesThereAndShortAtEof() throws Exception {
        Path path = TestFiles.patternFile("read", 10_000);
        AioFile file = AioFile.open(loop, path);
        try {
            assertReads(file, 0, 100, 100);
            assertReads(file, 4095, 3, 3);
            assertReads(file, 1234, 5000, 5000);
            assertReads(file, 9_990, 100, 10);
            assertReads(file, 10_000, 100, 0);
            assertReads(file, 50_000, 100, 0);
        } finally {
            file.close().sync();
        }
    }

    @Test
    void readIntoAdvancesTheWriterIndexAndReportsTheCount() throws Exception {
        Path path = TestFiles.patternFile("readinto", 8192);
        AioFile file = AioFile.open(loop, path);
        ByteBuf dst = Unpooled.directBuffer(300);
        try {
            dst.writeBytes(new byte[7]);
            int n = file.read(8000, dst).get();
            assertEquals(192, n, "short read at EOF reports the count");
            assertEquals(7 + 192, dst.writerIndex());
            assertArrayEquals(pattern(8000, 192), Arrays.copyOfRange(bytes(dst), 7, 7 + 192));
            assertEquals(0, file.read(8192, dst).get(), "0 at EOF");
            ByteBuf heap = Unpooled.buffer(64, 64);
            assertEquals(64, file.read(100, heap).get(), "heap destinations are bounced");
            assertArrayEquals(pattern(100, 64), bytes(heap));
        } finally {
            dst.release();
            file.close().sync();
        }
    }

    @Test
    void writeThenReadRoundTripsAndWritevGathers() throws Exception {
        Path path = TestFiles.newPath("write");
        AioFile file = AioFile.open(loop, path, READ, WRITE, CREATE);
        try {
            ByteBuf a = Unpooled.directBuffer().writeBytes(pattern(0, 1000));
            file.write(0, a).sync();
            assertEquals(0, a.readerIndex(), "indices of the source are not moved");
            a.release();
            ByteBuf b1 = Unpooled.directBuffer().writeBytes(pattern(1000, 10));
            ByteBuf b2 = Unpooled.buffer().writeBytes(pattern(1010, 20)); // heap: gathered into a direct bounce
            ByteBuf b3 = Unpooled.directBuffer().writeBytes(pattern(1030, 4000));
            file.writev(1000, b1, b2, b3).sync();
            b1.release();
            b2.release();
            b3.release();
            assertEquals(5030, Files.size(path));
            assertArrayEquals(pattern(0, 5030), Files.readAllBytes(path));

            ByteBuf r1 = Unpooled.directBuffer(17, 17);
            ByteBuf r2 = Unpooled.directBuffer(6000, 6000);
            try {
                long n = file.readv(3, r1, r2).get();
                assertEquals(5027, n, "short at EOF");
                assertArrayEquals(pattern(3, 17), bytes(r1));
                assertArrayEquals(pattern(20, 5010), bytes(r2));
            } finally {
                r1.release();
                r2.release();
            }
            assertEquals(1, file.stats().bouncedWrites());
        } finally {
            file.close().sync();
        }
    }

    @Test
    void fsyncAndFdatasyncComplete() throws Exception {
        Path path = TestFiles.newPath("sync");
        AioFile file = AioFile.open(loop, path, WRITE, CREATE, StandardOpenOption.DSYNC);
        try {
            ByteBuf buf = file.allocator().directBuffer(4096).writeBytes(pattern(0, 4096));
            file.write(0, buf).sync();
            buf.release();
            file.fsync().sync();
            file.fdatasync().sync();
            assertEquals(2, file.stats().syncs());
        } finally {
            file.close().sync();
        }
    }

    @Test
    void fallocateTruncateAndSizeAgreeWithFilesSize() throws Exception {
        Path path = TestFiles.newPath("meta");
        AioFile file = AioFile.open(loop, path, READ, WRITE, CREATE);
        try {
            assertEquals(0, file.size());
            file.fallocate(0, 1 << 20).sync();
            assertEquals(1 << 20, file.size());
            assertEquals(Files.size(path), file.size());
            file.fallocate(NativeFiles.FALLOC_FL_KEEP_SIZE, 1 << 20, 1 << 20).sync();
            assertEquals(1 << 20, Files.size(path), "KEEP_SIZE allocates without growing");
            file.truncate(12345).sync();
            assertEquals(12345, file.size());
            assertEquals(Files.size(path), file.size());
            file.truncate(3 << 20).sync();
            assertEquals(3 << 20, Files.size(path));
            assertEquals(Files.size(path), file.size());
            ByteBuf zeros = file.read((3 << 20) - 100, 100).get();
            assertEquals(100, zeros.readableBytes());
            assertArrayEquals(new byte[100], bytes(zeros), "the extension reads as zeros");
            zeros.release();
        } finally {
            file.close().sync();
        }
    }

    @Test
    void cachedReadCompletesThroughNowaitWithoutTheDirectPath() throws Exception {
        Path path = TestFiles.patternFile("cached", 64 * 1024);
        Files.readAllBytes(path); // in the page cache for sure
        AioFile file = AioFile.open(loop, path);
        try {
            assertTrue(file.hasDirectPath(), "ext4 under target/ supports O_DIRECT");
            assertEquals(AioReadPolicy.HYBRID, file.readPolicy());
            assertReads(file, 100, 30_000, 30_000);
            AioFileStats stats = stats(file);
            assertEquals(1, stats.reads());
            assertEquals(1, stats.nowaitHits());
            assertEquals(0, stats.nowaitMisses());
            assertEquals(0, stats.directReads());
            assertEquals(0, stats.bufferedReads());
        } finally {
            file.close().sync();
        }
    }

    /**
     * Evicts {@code path} and reads {@code length} bytes at {@code position}, then at {@code position + step}, ...,
     * until a read misses the page cache; returns how many reads it took. A RWF_NOWAIT read of an evicted page
     * starts the kernel's readahead of it before it answers EAGAIN, and on a fast virtual disk that I/O sometimes
     * lands before the read looks at the page again: a hit (about one read in six here). Every read is checked.
     */
    private static int readUntilAMiss(AioFile file, Path path, long position, int length, long step)
            throws Exception {
        long size = Files.size(path);
        for (int reads = 1; reads <= 200; reads++) {
            long missesBefore = stats(file).nowaitMisses();
            evict(path);
            assertReads(file, (position + (reads - 1) * step) % (size - length), length, length);
            if (stats(file).nowaitMisses() > missesBefore) {
                return reads;
            }
            // A hit: readahead a miss started may still be landing (pages under I/O escape DONTNEED). Let it.
            Thread.sleep(5);
        }
        throw new AssertionError("200 reads of evicted pages all hit the page cache: " + stats(file));
    }

    @Test
    void evictedReadGoesThroughTheDirectPath() throws Exception {
        Path path = TestFiles.patternFile("evicted", 4 << 20);
        AioFile file = AioFile.open(loop, path);
        try {
            int reads = readUntilAMiss(file, path, 100_001, 5000, 100_000);
            AioFileStats stats = stats(file);
            assertEquals(reads, stats.reads());
            assertEquals(reads - 1, stats.nowaitHits());
            assertEquals(1, stats.nowaitMisses());
            assertEquals(1, stats.directReads());
            assertEquals(0, stats.bufferedReads());
            assertEquals(0, stats.bouncedReads(), "read(position, length) of an unaligned range reads the superset"
                    + " into its own result buffer: no bounce");
        } finally {
            file.close().sync();
        }
    }

    @Test
    void directDescriptorIsOpenedAtTheFirstMissOnly() throws Exception {
        Path path = TestFiles.patternFile("lazy-direct", 8 << 20);
        Files.readAllBytes(path);
        AioFile file = AioFile.open(loop, path);
        try {
            assertEquals(1, descriptorsOf(path), "a HYBRID file opens one descriptor");
            assertReads(file, 0, 4096, 4096);
            assertEquals(1, descriptorsOf(path), "a page-cache hit needs no O_DIRECT descriptor");
            readUntilAMiss(file, path, 65536, 4096, 200_000);
            assertEquals(1, stats(file).directReads());
            assertEquals(2, descriptorsOf(path), "the first miss opened the O_DIRECT descriptor");
            assertReads(file, 8192, 4096, 4096);
            assertEquals(2, descriptorsOf(path), "and it is kept for the next misses");
        } finally {
            file.close().sync();
        }
        assertEquals(0, descriptorsOf(path), "close closes both");
    }

    @Test
    void aMissWithNoDescriptorLeftFailsNamingEmfileInsteadOfBlockingAndTheNextMissReads() throws Exception {
        Path path = TestFiles.patternFile("emfile-miss", 8 << 20);
        // While the table is full, a class not loaded yet cannot be read from target/classes: load the read path's
        // (a miss on another file) and the test's own first.
        Path other = TestFiles.patternFile("emfile-warm-up", 8192);
        evict(other);
        AioFile warmUp = AioFile.open(loop, other);
        assertReads(warmUp, 0, 4096, 4096);
        warmUp.close().sync();
        int emfile = Native.EMFILE;
        AioFile file = AioFile.open(loop, path);
        try {
            Future<ByteBuf> starved = null;
            // A read that hits (see readUntilAMiss) is no test of a miss: evict and try the next page.
            for (long position = 0; position < 200 * 30_000 && (starved == null || starved.isSuccess());
                    position += 30_000) {
                if (starved != null) {
                    starved.getNow().release();
                    Thread.sleep(5); // a hit: let readahead still landing land before the next eviction
                }
                evict(path);
                List<Integer> fillers = new ArrayList<>();
                try {
                    // Every descriptor this process may have, taken: the O_DIRECT reopen at the miss gets EMFILE.
                    for (;;) {
                        int fd = Native.open("/dev/null", Native.O_RDONLY | Native.O_CLOEXEC, 0);
                        if (fd < 0) {
                            assertEquals(-emfile, fd, "open(/dev/null) until the table is full");
                            break;
                        }
                        fillers.add(fd);
                    }
                    starved = file.read(position, 4096).await();
                } finally {
                    for (int fd : fillers) {
                        TestFiles.close(fd);
                    }
                }
                assertEquals(starved.isSuccess() ? 0 : 1, stats(file).nowaitMisses(),
                        "a read that succeeded hit the cache, one that failed missed it: " + stats(file));
            }
            assertFalse(starved.isSuccess(), "the miss was read anyway");
            String message = String.valueOf(starved.cause().getMessage());
            assertTrue(starved.cause() instanceof IOException, String.valueOf(starved.cause()));
            assertTrue(message.contains("EMFILE") && message.contains(path.getFileName().toString()), message);
            AioFileStats stats = stats(file);
            assertEquals(0, stats.bufferedReads(), "no blocking buffered read: " + stats);
            assertEquals(0, stats.blockingReads(), "no blocking buffered read: " + stats);
            assertEquals(1, descriptorsOf(path), "no O_DIRECT descriptor yet");
            // Descriptors back: the next miss opens the direct path and reads. (The RWF_NOWAIT miss started the
            // kernel's readahead near the start, which may still be landing: read far from it.)
            readUntilAMiss(file, path, 3 << 20, 4096, 150_000);
            assertEquals(1, stats(file).directReads());
            assertEquals(2, descriptorsOf(path));
        } finally {
            file.close().sync();
        }
    }

    /** How many of this process's descriptors are open on {@code path}. */
    private static long descriptorsOf(Path path) throws IOException {
        Path real = path.toRealPath();
        try (java.util.stream.Stream<Path> fds = Files.list(Paths.get("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                    return false; // closed since the listing
                }
            }).count();
        }
    }

    static AioFileStats stats(AioFile file) throws Exception {
        return file.host().executor().submit(file::stats).get();
    }

    @Test
    void closeWaitsForInFlightReadsAndFailsLaterOnes() throws Exception {
        Path path = TestFiles.patternFile("close", 1 << 20);
        evict(path);
        AioFile file = AioFile.open(loop, path);
        @SuppressWarnings("unchecked")
        Future<ByteBuf>[] reads = new Future[64];
        AtomicReference<Future<Void>> close = new AtomicReference<>();
        // Half the reads reach the kernel in one loop iteration; the close comes with the other half, which are
        // still queued when the file is closed.
        loop.submit(() -> {
            for (int i = 0; i < reads.length / 2; i++) {
                reads[i] = file.read(i * 16384L, 16384);
            }
        }).sync();
        loop.submit(() -> {
            for (int i = reads.length / 2; i < reads.length; i++) {
                reads[i] = file.read(i * 16384L, 16384);
            }
            close.set(file.close());
        }).sync();
        close.get().sync();
        assertFalse(file.isOpen());
        int completed = 0;
        int cancelled = 0;
        for (int i = 0; i < reads.length; i++) {
            Future<ByteBuf> f = reads[i];
            assertTrue(f.isDone(), "close completed before a read it was waiting for");
            if (f.isSuccess()) {
                completed++;
                assertArrayEquals(pattern(i * 16384L, 16384), bytes(f.getNow()));
                f.getNow().release();
            } else {
                cancelled++;
                assertTrue(f.cause() instanceof AioFileClosedException, f.cause().toString());
            }
        }
        assertEquals(reads.length, completed + cancelled);
        assertTrue(cancelled >= reads.length / 2, "the reads queued behind the close were cancelled: " + cancelled);
        Future<ByteBuf> late = file.read(0, 10);
        assertTrue(late.await().cause() instanceof AioFileClosedException);
        assertTrue(late.cause().getMessage().contains(path.toString()), late.cause().getMessage());
        assertSame(close.get(), file.close(), "close is idempotent");
    }
}

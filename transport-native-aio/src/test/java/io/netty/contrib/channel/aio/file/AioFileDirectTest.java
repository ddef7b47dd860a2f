/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.core.AioBlock;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.testing.FsSleepSampler;
import io.netty.contrib.channel.aio.testing.InodeLockWriter;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** O_DIRECT files, alignment, bounce buffers, strict mode and the read policies. */
class AioFileDirectTest {
    private static AioEventLoopGroup group;
    private static AioEventLoop loop;

    @BeforeAll
    static void startLoop() {
        group = new AioEventLoopGroup(1, (ThreadFactory) null, new AioIoHandlerConfig().depth(256));
        loop = group.next();
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void alignmentComesFromStatxAndTheAllocatorHonoursIt() throws Exception {
        Path path = TestFiles.patternFile("align", 4096);
        AioFile file = AioFile.open(loop, path, AioOpenOption.DIRECT);
        try {
            AioFileAlignment alignment = file.alignment();
            // ext4 on Linux 6.1+ reports STATX_DIOALIGN.
            assertEquals(AioFileAlignment.Source.STATX_DIOALIGN, alignment.source(), alignment.toString());
            assertTrue(alignment.offset() >= 512 && alignment.memory() >= 1, alignment.toString());
            PooledByteBufAllocator allocator = file.allocator();
            assertSame(AioBufferAllocator.forAlignment(alignment.bufferAlignment()), allocator);
            // Whole pages even where the device takes 512-byte aligned memory: a 4 KiB buffer never spans two.
            assertTrue(alignment.bufferAlignment() >= 4096 && alignment.bufferAlignment() % alignment.memory() == 0
                    && alignment.bufferAlignment() % alignment.offset() == 0, alignment.toString());
            for (int size : new int[] {1, 100, 512, 4096, 5000, 65536, 1 << 20}) {
                ByteBuf buf = allocator.directBuffer(size);
                try {
                    assertEquals(0, buf.memoryAddress() % alignment.bufferAlignment(), "address of a " + size
                            + "-byte buffer");
                } finally {
                    buf.release();
                }
            }
        } finally {
            file.close().sync();
        }
    }

    @Test
    void unalignedReadsOnADirectFileAreBouncedAndAlignedOnesGoStraightIn() throws Exception {
        Path path = TestFiles.patternFile("directread", 100_000);
        AioFile file = AioFile.open(loop, path, AioOpenOption.DIRECT);
        try {
            int block = file.alignment().offset();
            ByteBuf dst = Unpooled.directBuffer(333, 333);
            try {
                assertEquals(333, file.read(777, dst).get());
                assertArrayEquals(AioFileTest.pattern(777, 333), AioFileTest.bytes(dst));
            } finally {
                dst.release();
            }
            ByteBuf aligned = file.allocator().directBuffer(4 * block, 4 * block);
            try {
                assertEquals(4 * block, file.read(2L * block, aligned).get());
                assertArrayEquals(AioFileTest.pattern(2L * block, 4 * block), AioFileTest.bytes(aligned));
            } finally {
                aligned.release();
            }
            // Past the end, an aligned read is short: what is left of the file.
            ByteBuf tail = file.allocator().directBuffer(4 * block, 4 * block);
            try {
                long start = file.alignment().alignDown(100_000 - 10);
                assertEquals((int) (100_000 - start), file.read(start, tail).get());
            } finally {
                tail.release();
            }
            ByteBuf allocated = file.read(99_990, 50).get();
            assertArrayEquals(AioFileTest.pattern(99_990, 10), AioFileTest.bytes(allocated));
            allocated.release();
            AioFileStats stats = AioFileTest.stats(file);
            assertEquals(4, stats.directReads());
            assertEquals(1, stats.bouncedReads(), "only the unaligned read into a caller's buffer is bounced");
            assertEquals(0, stats.nowaitHits() + stats.nowaitMisses() + stats.bufferedReads());
        } finally {
            file.close().sync();
        }
    }

    @Test
    void strictModeRefusesWhatWouldNeedABounce() throws Exception {
        Path path = TestFiles.patternFile("strict", 65536);
        AioFile file = AioFile.open(loop, path, new AioFileConfig().strictAlignment(true), READ, WRITE,
                AioOpenOption.DIRECT);
        try {
            int block = file.alignment().offset();
            ByteBuf unaligned = Unpooled.directBuffer(100, 100);
            try {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> file.read(block, unaligned));
                assertTrue(e.getMessage().contains("strict alignment"), e.getMessage());
            } finally {
                unaligned.release();
            }
            ByteBuf aligned = file.allocator().directBuffer(block, block);
            ByteBuf misplaced = file.allocator().directBuffer(2 * block, 2 * block);
            try {
                assertEquals(block, file.read(block, aligned).get());
                misplaced.writerIndex(1).writeZero(block);
                misplaced.readerIndex(1);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> file.write(0, misplaced));
                assertTrue(e.getMessage().contains("unaligned buffer memory"), e.getMessage());
            } finally {
                aligned.release();
                misplaced.release();
            }
            // read(position, length) allocates its own aligned buffer: allowed, nothing to bounce.
            ByteBuf got = file.read(3, 10).get();
            assertArrayEquals(AioFileTest.pattern(3, 10), AioFileTest.bytes(got));
            got.release();
        } finally {
            file.close().sync();
        }
    }

    @Test
    void directWritesFromUnalignedMemoryAreCopiedAndShortOnesRefused() throws Exception {
        Path path = TestFiles.newPath("directwrite");
        Files.write(path, new byte[0]);
        AioFile file = AioFile.open(loop, path, READ, WRITE, AioOpenOption.DIRECT);
        try {
            int block = file.alignment().offset();
            ByteBuf heap = Unpooled.buffer(2 * block).writeBytes(AioFileTest.pattern(0, 2 * block));
            file.write(0, heap).sync();
            heap.release();
            ByteBuf aligned = file.allocator().directBuffer(block).writeBytes(AioFileTest.pattern(2L * block, block));
            file.write(2L * block, aligned, AioRwOptions.DEFAULT.withRwFlags(Native.RWF_DSYNC)).sync();
            aligned.release();
            assertArrayEquals(AioFileTest.pattern(0, 3 * block), Files.readAllBytes(path));
            AioFileStats stats = AioFileTest.stats(file);
            assertEquals(2, stats.writes());
            assertEquals(1, stats.bouncedWrites());
        } finally {
            file.close().sync();
        }
    }

    @Test
    void readPolicyDirectReadsThroughTheDirectDescriptorAndBufferedNeverDoes() throws Exception {
        Path path = TestFiles.patternFile("policy", 50_000);
        Files.readAllBytes(path);
        AioFile direct = AioFile.open(loop, path, new AioFileConfig().readPolicy(AioReadPolicy.DIRECT));
        AioFile buffered = AioFile.open(loop, path, new AioFileConfig().readPolicy(AioReadPolicy.BUFFERED));
        try {
            for (AioFile f : new AioFile[] {direct, buffered}) {
                ByteBuf buf = f.read(1001, 20_000).get();
                assertArrayEquals(AioFileTest.pattern(1001, 20_000), AioFileTest.bytes(buf));
                buf.release();
            }
            AioFileStats d = AioFileTest.stats(direct);
            assertEquals(1, d.directReads());
            assertEquals(0, d.nowaitHits() + d.bufferedReads());
            AioFileStats b = AioFileTest.stats(buffered);
            assertEquals(1, b.bufferedReads());
            assertEquals(0, b.directReads() + b.nowaitHits() + b.nowaitMisses());
            assertTrue(!buffered.hasDirectPath(), "BUFFERED opens no O_DIRECT descriptor");
        } finally {
            direct.close().sync();
            buffered.close().sync();
        }
    }

    @Test
    void partiallyCachedReadTakesTheRestFromTheDirectPath() throws Exception {
        Path path = TestFiles.patternFile("partial", 1 << 20);
        AioFile file = AioFile.open(loop, path);
        try {
            // The readahead the read starts at its first missing page sometimes lands before the read looks
            // again, and it is a whole hit (see AioFileTest readUntilAMiss): set the cache up and read again.
            for (int attempt = 1; attempt <= 30 && AioFileTest.stats(file).nowaitPartialHits() == 0; attempt++) {
                AioFileTest.evict(path);
                // Bring the first 64 KiB into the page cache with a buffered read of our own.
                ByteBuf warm = Unpooled.directBuffer(65536, 65536);
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path, READ)) {
                    ch.read(warm.nioBuffer(0, 65536), 0);
                }
                warm.release();
                // ... and only those: drop what readahead added after them.
                AioFileTest.evict(path, 65536, 0);
                ByteBuf buf = file.read(60_000, 200_000).get();
                try {
                    assertArrayEquals(AioFileTest.pattern(60_000, 200_000), AioFileTest.bytes(buf));
                } finally {
                    buf.release();
                }
                AioFileStats stats = AioFileTest.stats(file);
                assertEquals(attempt, stats.reads());
                assertEquals(attempt - stats.nowaitPartialHits(), stats.nowaitHits(), stats.toString());
            }
            AioFileStats stats = AioFileTest.stats(file);
            assertEquals(1, stats.nowaitPartialHits(), stats.toString());
            assertEquals(0, stats.nowaitMisses(), stats.toString());
            assertEquals(1, stats.directReads(), stats.toString());
            assertEquals(0, stats.bufferedReads(), stats.toString());
        } finally {
            file.close().sync();
        }
    }

    @Test
    void perOperationFlagsAndPriorityReachTheKernel() throws Exception {
        Path path = TestFiles.patternFile("flags", 8192);
        AioFile file = AioFile.open(loop, path, READ, WRITE);
        try {
            AioRwOptions idle = AioRwOptions.DEFAULT.withIoPriority(AioBlock.IOPRIO_CLASS_IDLE, 7);
            ByteBuf buf = file.read(10, 100, idle).get();
            assertArrayEquals(AioFileTest.pattern(10, 100), AioFileTest.bytes(buf));
            buf.release();
            ByteBuf src = Unpooled.directBuffer(4).writeBytes(new byte[] {1, 2, 3, 4});
            AioRwOptions append = AioRwOptions.DEFAULT.withRwFlags(Native.RWF_APPEND | Native.RWF_DSYNC)
                    .withIoPriority(AioBlock.IOPRIO_CLASS_BE, 0);
            file.write(0, src, append).sync();
            src.release();
            byte[] content = Files.readAllBytes(path);
            assertEquals(8196, content.length, "RWF_APPEND wrote at the end, not at position 0");
            assertArrayEquals(new byte[] {1, 2, 3, 4}, java.util.Arrays.copyOfRange(content, 8192, 8196));
            assertEquals(TestFiles.patternByte(0), content[0]);
        } finally {
            file.close().sync();
        }
    }

    /**
     * An O_DIRECT read of a file a writer is writing: ext4 takes the inode lock shared for the read and exclusive
     * for each buffered write, so a read submitted while a write holds it waited inside {@code io_submit}, on the
     * loop thread, for the rest of that write. With {@code RWF_NOWAIT} the kernel answers EAGAIN instead and the
     * read is submitted again after a pause. Asserted without timing: a thread samples the loop thread's state in
     * {@code /proc} and no sample finds it asleep in the filesystem (state D, in an ext4, rwsem, iomap, filemap
     * or folio function); the reads met the lock (retries counted) and returned the file's bytes. Before reads
     * carried RWF_NOWAIT, the samples found it in {@code ext4_file_read_iter}.
     */
    @Test
    void directReadsDoNotWaitOnTheLoopForTheInodeLockAWriterHolds() throws Exception {
        Path path = TestFiles.patternFile("locked", 16 << 20);
        // Written back first: dirty pages in a read's range are the other reason for EAGAIN (and for an O_DIRECT
        // read without RWF_NOWAIT to wait, on the loop, for their write-back); here the lock is the subject.
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        AioFile file = AioFile.open(loop, path, AioOpenOption.DIRECT);
        FsSleepSampler sampler = FsSleepSampler.start(loop);
        InodeLockWriter writer = InodeLockWriter.start(path, 16 << 20);
        try {
            java.util.SplittableRandom random = new java.util.SplittableRandom(7);
            for (int i = 0; i < 200; i++) {
                long position = random.nextInt(255) * 65536L;
                ByteBuf b = file.read(position, 65536).get(60, TimeUnit.SECONDS);
                try {
                    assertEquals(65536, b.readableBytes());
                    for (int j = 0; j < 65536; j += 4093) {
                        assertEquals(TestFiles.patternByte(position + j), b.getByte(b.readerIndex() + j));
                    }
                } finally {
                    b.release();
                }
            }
        } finally {
            writer.close();
            sampler.close();
        }
        AioFileStats stats = loop.submit(file::stats).get(30, TimeUnit.SECONDS);
        file.close().sync();
        String what = stats + ", " + writer.writes() + " writes, " + sampler.samples() + " samples of the loop thread";
        System.out.println("directReadsDoNotWaitOnTheLoop...: " + what);
        assertTrue(sampler.sleptOn().isEmpty(), "the loop thread slept on the inode lock in " + sampler.sleptOn() + ": "
                + what);
        assertTrue(stats.directRetries() > 0, "no read met the writer's lock (nothing tested): " + what);
        assertEquals(0, stats.blockingReads(), what);
    }
}

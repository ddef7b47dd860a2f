/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.FaultFs;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AioFile on files that fail for real (a FUSE filesystem the test mounts, {@link FaultFs}): reads answered in
 * pieces, EIO at an offset, a read that hangs. What is asserted: the bytes, the exception and what it names, that
 * every read completes exactly once, and that the loop goes on serving.
 */
class AioFileFaultsTest {
    private static final int SIZE = 256 * 1024;
    private static AioEventLoopGroup group;
    private static AioEventLoop loop;

    @BeforeAll
    static void startLoop() {
        group = new AioEventLoopGroup(1, (java.util.concurrent.ThreadFactory) null,
                new AioIoHandlerConfig().depth(64));
        loop = group.next();
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static AioFile open(Path path, AioReadPolicy policy) throws IOException {
        return AioFile.open(loop, path, new AioFileConfig().readPolicy(policy));
    }

    private static void assertReads(AioFile file, long position, int length, int expected) throws Exception {
        ByteBuf buf = file.read(position, length).get(30, TimeUnit.SECONDS);
        try {
            assertEquals(expected, buf.readableBytes(), "bytes read at " + position + " of " + file);
            assertArrayEquals(AioFileTest.pattern(position, expected), AioFileTest.bytes(buf),
                    "data at " + position + " of " + file);
        } finally {
            buf.release();
        }
    }

    @Test
    void readsAnsweredInPiecesInTheMiddleOfTheFileAreContinuedToTheEnd() throws Exception {
        try (FaultFs fs = FaultFs.mount("pieces:" + SIZE + ":short=1000", "blocks:" + SIZE + ":short=8192")) {
            for (AioReadPolicy policy : AioReadPolicy.values()) {
                // Buffered: in 1000-byte pieces; the direct path: in 8192-byte pieces, each on a block boundary.
                AioFile file = open(fs.file(policy == AioReadPolicy.BUFFERED ? "pieces" : "blocks"), policy);
                try {
                    assertReads(file, 0, 65536, 65536);
                    assertReads(file, 12345, 100_000, 100_000);
                    assertReads(file, SIZE - 5000, 65536, 5000);
                    assertReads(file, SIZE, 100, 0);
                } finally {
                    file.close().sync();
                }
            }
        }
    }

    @Test
    void aDirectReadShortOfABlockBoundaryFailsSayingSoAndTheLoopGoesOn() throws Exception {
        try (FaultFs fs = FaultFs.mount("pieces:" + SIZE + ":short=1000")) {
            AioFile file = open(fs.file("pieces"), AioReadPolicy.DIRECT);
            try {
                Future<ByteBuf> read = file.read(4096, 65536).await();
                assertFalse(read.isSuccess(), "the rest of the block cannot be read with O_DIRECT");
                assertInstanceOf(IOException.class, read.cause());
                String message = read.cause().getMessage();
                assertTrue(message.contains("1000 of") && message.contains("alignment")
                        && message.contains("AioReadPolicy.BUFFERED"), message);
                // The same file, another way, on the same loop.
                AioFile buffered = open(fs.file("pieces"), AioReadPolicy.BUFFERED);
                assertReads(buffered, 4096, 65536, 65536);
                buffered.close().sync();
            } finally {
                file.close().sync();
            }
        }
    }

    @Test
    void eioAtAnOffsetFailsTheReadsOverItNamingEioAndTheRestOfTheFileReads() throws Exception {
        try (FaultFs fs = FaultFs.mount("bad:" + SIZE + ":eio=100000", "bad-direct:" + SIZE + ":eio=100000:direct")) {
            for (AioReadPolicy policy : AioReadPolicy.values()) {
                for (String name : new String[] {"bad", "bad-direct"}) {
                    AioFile file = open(fs.file(name), policy);
                    try {
                        Future<ByteBuf> read = file.read(98304, 8192).await();
                        String what = policy + " " + name;
                        assertFalse(read.isSuccess(), what);
                        String message = String.valueOf(read.cause().getMessage());
                        assertTrue(message.contains("EIO") && message.contains(name)
                                && message.contains("position=98304"), what + ": " + message);
                        assertReads(file, 0, 8192, 8192);
                        assertReads(file, 106496, 8192, 8192);
                    } finally {
                        file.close().sync();
                    }
                }
            }
        }
    }

    @Test
    void aWriteBeyondTheSpaceLeftFailsNamingEnospcAndTheFileStaysUsable() throws Exception {
        try (FaultFs fs = FaultFs.mount("full:0:direct:enospc=8192")) {
            AioFile file = AioFile.open(loop, fs.file("full"), java.nio.file.StandardOpenOption.READ,
                    java.nio.file.StandardOpenOption.WRITE);
            ByteBuf block = io.netty.contrib.channel.aio.testing.TestFiles.ALIGNED.directBuffer(4096);
            try {
                block.writeBytes(AioFileTest.pattern(0, 4096));
                file.write(0, block).get(30, TimeUnit.SECONDS);
                Future<?> full = file.write(8192, block).await();
                assertFalse(full.isSuccess(), "a write past the space left");
                String message = String.valueOf(full.cause().getMessage());
                assertTrue(message.contains("ENOSPC") && message.contains("full") && message.contains("8192"),
                        message);
                // Within the space left it still writes, and reads back.
                block.setBytes(0, AioFileTest.pattern(4096, 4096));
                file.write(4096, block).get(30, TimeUnit.SECONDS);
                assertReads(file, 0, 8192, 8192);
            } finally {
                block.release();
                file.close().sync();
            }
        }
    }

    @Test
    void loopShutdownEndsAfterItsTimeoutWhileTheFilesystemHoldsAReadWhichCompletesOnceReleased() throws Exception {
        Path flag = FaultFs.newReleaseFlag();
        try (FaultFs fs = FaultFs.mount("held:" + SIZE + ":direct:hang=" + flag)) {
            AioEventLoopGroup own = new AioEventLoopGroup(1, (java.util.concurrent.ThreadFactory) null,
                    new AioIoHandlerConfig().depth(16).shutdownTimeout(1, TimeUnit.SECONDS));
            AioEventLoop ownLoop = own.next();
            AioFile file = AioFile.open(ownLoop, fs.file("held"), new AioFileConfig().readPolicy(AioReadPolicy.DIRECT));
            Future<ByteBuf> read = file.read(0, 8192);
            awaitWithTheKernel(ownLoop);
            assertEquals(1, AioFileTest.stats(file).directReads(), "the read is with the kernel");
            own.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            // Without a thread of its own for io_destroy the loop would wait as long as the filesystem: forever.
            assertTrue(own.terminationFuture().await(60, TimeUnit.SECONDS),
                    "the loop did not end after its shutdown timeout while the filesystem holds a read");
            assertFalse(read.isDone(), "the read cannot have completed: the filesystem holds it");
            FaultFs.release(flag);
            // The read completes once the filesystem answers, once: with its bytes if the destroying thread
            // reaped it before io_destroy, else as cancelled (its result can no longer be read from the ring).
            // Either way its buffer goes back (paranoid leak detection).
            assertTrue(read.await(60, TimeUnit.SECONDS), "the read completed once the filesystem let it go");
            if (read.isSuccess()) {
                assertArrayEquals(AioFileTest.pattern(0, 8192), AioFileTest.bytes(read.getNow()));
                read.getNow().release();
            } else {
                assertTrue(String.valueOf(read.cause()).contains("ECANCELED")
                        || read.cause() instanceof AioFileClosedException, String.valueOf(read.cause()));
            }
        }
    }

    @Test
    void closeWaitsForAReadTheFilesystemHoldsAndTheReadCompletesOnce() throws Exception {
        Path flag = FaultFs.newReleaseFlag();
        try (FaultFs fs = FaultFs.mount("held:" + SIZE + ":direct:hang=" + flag)) {
            AioFile file = open(fs.file("held"), AioReadPolicy.DIRECT);
            Future<ByteBuf> read = file.read(0, 8192);
            // Two turns of the loop: the read has left in an io_submit, and the filesystem holds it.
            awaitWithTheKernel(loop);
            assertEquals(1, AioFileTest.stats(file).directReads(), "the read is with the kernel");
            Future<Void> closed = file.close();
            // The loop keeps running while the filesystem holds the read: a task gets through.
            assertEquals(1, loop.submit(() -> 1).get(30, TimeUnit.SECONDS));
            assertFalse(closed.isDone(), "close completed while the kernel still had the read");
            assertFalse(read.isDone(), "the read completed while the filesystem held it");
            FaultFs.release(flag);
            assertTrue(closed.await(30, TimeUnit.SECONDS), "close completes once the read is back");
            assertTrue(read.isDone());
            if (read.isSuccess()) {
                assertArrayEquals(AioFileTest.pattern(0, 8192), AioFileTest.bytes(read.getNow()));
                read.getNow().release();
            }
        }
    }

    /**
     * Waits until the loop has an operation in the kernel: the read leaves in an io_submit at the end of an
     * iteration, one more when the filesystem first refused RWF_NOWAIT on O_DIRECT (EOPNOTSUPP) and the read was
     * submitted again without it.
     */
    private static void awaitWithTheKernel(AioEventLoop l) throws Exception {
        AioTests.awaitStats(l, st -> st.inFlight() > 0);
    }
}

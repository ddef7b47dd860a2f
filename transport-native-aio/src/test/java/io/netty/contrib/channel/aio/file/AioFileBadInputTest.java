/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input gets a clear exception, and the file and the loop go on working. */
class AioFileBadInputTest {
    private static AioEventLoopGroup group;
    private static AioEventLoop loop;
    private Path path;
    private AioFile file;

    @BeforeAll
    static void startLoop() {
        group = new AioEventLoopGroup(1, (ThreadFactory) null, new AioIoHandlerConfig().depth(256));
        loop = group.next();
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void openFile() throws Exception {
        path = TestFiles.patternFile("bad", 16384);
        file = AioFile.open(loop, path, READ, WRITE);
    }

    @AfterEach
    void closeFile() throws Exception {
        file.close().sync();
    }

    /** The file still serves a good read after the bad input. */
    private void assertStillUsable(AioFile f) throws Exception {
        ByteBuf buf = f.read(1000, 100).get(5, TimeUnit.SECONDS);
        try {
            assertArrayEquals(AioFileTest.pattern(1000, 100), AioFileTest.bytes(buf));
        } finally {
            buf.release();
        }
    }

    private static <T extends Throwable> void assertRefused(Class<T> type, String messagePart, Executable call) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(messagePart),
                "message should mention '" + messagePart + "': " + e.getMessage());
    }

    @Test
    void negativePositionIsRefused() throws Exception {
        ByteBuf dst = Unpooled.directBuffer(10);
        try {
            assertRefused(IllegalArgumentException.class, "position must be >= 0, got -1", () -> file.read(-1, 10));
            assertRefused(IllegalArgumentException.class, "position must be >= 0", () -> file.read(-5, dst));
            assertRefused(IllegalArgumentException.class, "position must be >= 0", () -> file.write(-1, dst));
            assertRefused(IllegalArgumentException.class, "position must be >= 0", () -> file.fallocate(-1, 10));
        } finally {
            dst.release();
        }
        assertStillUsable(file);
    }

    @Test
    void lengthOverflowIsRefused() throws Exception {
        assertRefused(IllegalArgumentException.class, "overflows", () -> file.read(Long.MAX_VALUE - 5, 100));
        assertRefused(IllegalArgumentException.class, "length must be in 0..", () -> file.read(0, -1));
        assertRefused(IllegalArgumentException.class, "length must be in 0..", () -> file.read(0, Integer.MAX_VALUE));
        ByteBuf src = Unpooled.directBuffer(10).writeZero(10);
        try {
            assertRefused(IllegalArgumentException.class, "overflows", () -> file.write(Long.MAX_VALUE - 3, src));
            assertRefused(IllegalArgumentException.class, "overflows", () -> file.fallocate(Long.MAX_VALUE, 2));
            assertRefused(IllegalArgumentException.class, "size must be >= 0", () -> file.truncate(-1));
        } finally {
            src.release();
        }
        assertStillUsable(file);
    }

    @Test
    void readIntoReadOnlyBufferIsRefused() throws Exception {
        ByteBuf buf = Unpooled.directBuffer(100);
        try {
            assertRefused(IllegalArgumentException.class, "dst is read-only",
                    () -> file.read(0, buf.asReadOnly()));
            assertRefused(IllegalArgumentException.class, "dsts[1] is read-only",
                    () -> file.readv(0, Unpooled.EMPTY_BUFFER, buf.asReadOnly()));
        } finally {
            buf.release();
        }
        assertStillUsable(file);
    }

    @Test
    void readIntoReleasedBufferIsRefused() throws Exception {
        ByteBuf buf = Unpooled.directBuffer(100);
        buf.release();
        assertRefused(IllegalArgumentException.class, "dst was already released", () -> file.read(0, buf));
        assertRefused(IllegalArgumentException.class, "src was already released", () -> file.write(0, buf));
        assertStillUsable(file);
    }

    @Test
    void unalignedDirectWriteIsRefused() throws Exception {
        AioFile direct = AioFile.open(loop, path, READ, WRITE, AioOpenOption.DIRECT);
        try {
            int block = direct.alignment().offset();
            ByteBuf src = direct.allocator().directBuffer(block).writeZero(block);
            try {
                assertRefused(IllegalArgumentException.class, "unaligned O_DIRECT write",
                        () -> direct.write(1, src));
                ByteBuf shorter = src.slice(0, block - 1);
                assertRefused(IllegalArgumentException.class, "does not read-modify-write",
                        () -> direct.write(0, shorter));
            } finally {
                src.release();
            }
            assertStillUsable(direct);
        } finally {
            direct.close().sync();
        }
        assertArrayEquals(AioFileTest.pattern(0, 16384), Files.readAllBytes(path), "nothing was written");
    }

    @Test
    void writeToReadOnlyFileIsRefused() throws Exception {
        AioFile readOnly = AioFile.open(loop, path);
        try {
            ByteBuf src = Unpooled.directBuffer(10).writeZero(10);
            try {
                assertRefused(IllegalStateException.class, "is not open for writing", () -> readOnly.write(0, src));
                assertRefused(IllegalStateException.class, "open for writing", () -> readOnly.truncate(0));
            } finally {
                src.release();
            }
            assertStillUsable(readOnly);
        } finally {
            readOnly.close().sync();
        }
    }

    @Test
    void directoryPathIsRefused() throws Exception {
        assertRefused(FileSystemException.class, "is a directory", () -> AioFile.open(loop, TestFiles.dir()));
        assertRefused(FileSystemException.class, "is a directory",
                () -> AioFile.open(loop, TestFiles.dir(), READ, WRITE));
        assertStillUsable(file);
    }

    @Test
    void missingFileIsRefused() throws Exception {
        Path missing = TestFiles.newPath("missing");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> AioFile.open(loop, missing));
        assertEquals(missing.toString(), e.getFile());
        assertStillUsable(file);
    }

    @Test
    void closedFileFailsEveryOperation() throws Exception {
        AioFile other = AioFile.open(loop, path, READ, WRITE);
        other.close().sync();
        ByteBuf buf = Unpooled.directBuffer(10).writeZero(10);
        try {
            for (Future<?> f : new Future<?>[] {other.read(0, 10), other.read(0, buf.duplicate().clear()),
                    other.write(0, buf), other.fsync(), other.fdatasync(), other.truncate(10), other.fallocate(0, 10)}) {
                Throwable cause = f.await().cause();
                assertTrue(cause instanceof AioFileClosedException, String.valueOf(cause));
                assertTrue(cause.getMessage().contains("is closed"), cause.getMessage());
            }
            assertEquals(1, buf.refCnt(), "refused operations dropped their references");
        } finally {
            buf.release();
        }
        assertRefused(AioFileClosedException.class, "is closed", other::size);
        assertStillUsable(file);
    }

    @Test
    void pipeDescriptorIsRefused() throws Exception {
        FileDescriptor[] pipe = FileDescriptor.pipe();
        try {
            assertRefused(IllegalArgumentException.class, "is a FIFO (pipe), not a regular file",
                    () -> AioFile.adopt(loop, pipe[0], new AioFileConfig()));
            assertTrue(pipe[0].isOpen(), "the descriptor was left to its owner");
        } finally {
            pipe[0].close();
            pipe[1].close();
        }
        assertStillUsable(file);
    }

    @Test
    void unknownFlagsAndOptionsAreRefused() throws Exception {
        assertRefused(IllegalArgumentException.class, "unknown RWF_* bits",
                () -> AioRwOptions.DEFAULT.withRwFlags(1 << 30));
        assertRefused(IllegalArgumentException.class, "I/O priority class",
                () -> AioRwOptions.DEFAULT.withIoPriority(9, 0));
        assertRefused(UnsupportedOperationException.class, "DELETE_ON_CLOSE",
                () -> AioFile.open(loop, path, java.nio.file.StandardOpenOption.DELETE_ON_CLOSE));
        assertStillUsable(file);
    }

    @Test
    void nowaitReadOfAnEvictedFileFailsWithEagainInsteadOfWaiting() throws Exception {
        AioRwOptions nowait = AioRwOptions.DEFAULT.withRwFlags(io.netty.contrib.channel.aio.core.Native.RWF_NOWAIT);
        Throwable cause = null;
        // The readahead such a read starts sometimes lands before it answers (a hit: see AioFileTest
        // readUntilAMiss); on a file of a few pages it nearly always does. So: a larger file, evicted before each
        // attempt, read at a new place each time.
        Path large = TestFiles.patternFile("nowait-eagain", 64 << 20);
        AioFile big = AioFile.open(loop, large);
        try {
            for (int attempt = 0; attempt < 200 && cause == null; attempt++) {
                AioFileTest.evict(large);
                io.netty.util.concurrent.Future<io.netty.buffer.ByteBuf> read =
                        big.read(8192 + attempt * 300_000L, 512, nowait).await();
                if (read.isSuccess()) {
                    read.getNow().release();
                    Thread.sleep(5); // a hit: let readahead still landing land before the next eviction
                } else {
                    cause = read.cause();
                }
            }
        } finally {
            big.close().sync();
        }
        assertTrue(cause != null && cause.getMessage().contains("EAGAIN"), String.valueOf(cause));
        assertStillUsable(file);
    }
}

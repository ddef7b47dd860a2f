/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NativeFiles.fileChannelFd: the JDK channel's own descriptor, -EBADF once closed or for a foreign channel. */
class NativeFilesFileChannelFdTest {

    @Test
    void givesTheDescriptorTheChannelReadsThrough() throws Exception {
        Path p = TestFiles.patternFile("channel-fd", 4096);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
             RandomAccessFile raf = new RandomAccessFile(p.toFile(), "r")) {
            for (FileChannel c : new FileChannel[] {ch, raf.getChannel()}) {
                int fd = NativeFiles.fileChannelFd(c);
                assertTrue(fd >= 0, "fd " + fd);
                assertEquals(Files.readSymbolicLink(Paths.get("/proc/self/fd/" + fd)), p.toAbsolutePath());
            }
        }
    }

    @Test
    void aClosedChannelGivesEbadf() throws Exception {
        Path p = TestFiles.patternFile("channel-fd-closed", 10);
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
        ch.close();
        assertEquals(-Native.EBADF, NativeFiles.fileChannelFd(ch));
        assertEquals(-Native.EBADF, NativeFiles.fileChannelFd(null));
    }

    @Test
    void aChannelTheJdkDidNotMakeGivesEbadf() {
        assertEquals(-Native.EBADF, NativeFiles.fileChannelFd(new ForeignChannel()));
    }

    /** A FileChannel of another provider: no descriptor behind it. */
    private static final class ForeignChannel extends FileChannel {
        @Override
        public int read(ByteBuffer dst) {
            return -1;
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            return -1;
        }

        @Override
        public int write(ByteBuffer src) {
            return 0;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            return 0;
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        public FileChannel position(long newPosition) {
            return this;
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public FileChannel truncate(long size) {
            return this;
        }

        @Override
        public void force(boolean metaData) {
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            return 0;
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            return 0;
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            return -1;
        }

        @Override
        public int write(ByteBuffer src, long position) {
            return 0;
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void implCloseChannel() {
        }
    }
}

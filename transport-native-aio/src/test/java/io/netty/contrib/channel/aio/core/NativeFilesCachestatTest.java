/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cachestat(2) against the page cache as posix_fadvise and reads change it. */
class NativeFilesCachestatTest {
    private static final int PAGE = NativeFiles.PAGE_SIZE;

    @Test
    void countsThePagesOfARangeInThePageCache() throws Exception {
        Path path = TestFiles.patternFile("cachestat", 64 * PAGE);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.force(true); // clean pages: DONTNEED drops them
        }
        int fd = TestFiles.open(path, Native.O_RDONLY);
        try {
            Files.readAllBytes(path);
            assertEquals(64, NativeFiles.cachestat(fd, 0, 0), "a file just read is all in the cache");
            assertEquals(3, NativeFiles.cachestat(fd, PAGE - 1, 2 * PAGE), "a range counts every page it touches");
            assertTrue(NativeFiles.isCached(fd, PAGE - 1, 2 * PAGE));
            assertTrue(NativeFiles.isCached(fd, 0, 64 * PAGE));

            assertEquals(0, Native.fadvise(fd, 8 * PAGE, 16 * PAGE, Native.POSIX_FADV_DONTNEED));
            assertEquals(48, NativeFiles.cachestat(fd, 0, 0), "16 pages evicted");
            assertEquals(0, NativeFiles.cachestat(fd, 8 * PAGE, 16 * PAGE), "none of them left");
            assertEquals(8, NativeFiles.cachestat(fd, 0, 16 * PAGE), "half of this range");
            assertFalse(NativeFiles.isCached(fd, 0, 16 * PAGE));
            assertTrue(NativeFiles.isCached(fd, 7 * PAGE + 100, PAGE - 100), "the last page before the hole");
            assertFalse(NativeFiles.isCached(fd, 7 * PAGE + 100, PAGE - 99), "and one byte of the hole");

            assertEquals(0, Native.fadvise(fd, 0, 0, Native.POSIX_FADV_DONTNEED));
            assertEquals(0, NativeFiles.cachestat(fd, 0, 0), "the whole file evicted");
        } finally {
            TestFiles.close(fd);
        }
        assertEquals(-Native.EBADF, NativeFiles.cachestat(-1, 0, 0), "no descriptor: -EBADF");
    }
}

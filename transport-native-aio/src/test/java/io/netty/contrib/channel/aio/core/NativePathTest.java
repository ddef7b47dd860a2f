/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Paths reach the kernel encoded as the JDK encodes file names, so every file the JDK can create can be opened
 * and stat'ed natively — including names outside the Basic Multilingual Plane, which JNI's modified UTF-8 would
 * turn into surrogate pairs — and a NUL cannot cut a path short.
 */
class NativePathTest {

    @Test
    void namesOutsideTheBmpOpenAndStat() throws Exception {
        Path dir = Files.createDirectories(TestFiles.newPath("native-path"));
        for (String name : new String[] {"plain.txt", "ünïcødé-日本語.txt", "emoji-😀-𝄞.txt", "quote\"and space"}) {
            Path p = dir.resolve(name);
            Files.writeString(p, name);
            int fd = Native.open(p.toString(), Native.O_RDONLY | Native.O_CLOEXEC, 0);
            assertTrue(fd >= 0, name + ": " + Native.describeResult(fd));
            Native.close(fd);
            long statx = io.netty.util.internal.PlatformDependent.allocateMemory(NativeFiles.SIZEOF_STATX);
            try {
                assertEquals(0, NativeFiles.statx(p.toString(), 0, NativeFiles.STATX_SIZE, statx), name);
            } finally {
                io.netty.util.internal.PlatformDependent.freeMemory(statx);
            }
        }
    }

    @Test
    void aFifoNamedOutsideTheBmpIsCreatedUnderThatName() throws Exception {
        Path dir = Files.createDirectories(TestFiles.newPath("native-fifo"));
        Path fifo = dir.resolve("fifo-😀");
        int res = NativeFds.mkfifo(fifo.toString(), 0600);
        assertEquals(0, res, () -> Native.describeResult(res));
        int mode = (Integer) Files.getAttribute(fifo, "unix:mode");
        assertEquals(010000, mode & 0170000, "the JDK finds a FIFO under that name, mode " + Integer.toOctalString(mode));
        int again = NativeFds.mkfifo(fifo.toString(), 0600);
        assertTrue(again < 0 && Native.describeResult(again).startsWith("EEXIST"), "the same name again: " + again);
        assertThrows(IllegalArgumentException.class, () -> NativeFds.mkfifo(fifo + "\0x", 0600));
    }

    @Test
    void aNulInAPathIsRefusedInsteadOfTruncatingIt() throws Exception {
        Path p = Files.writeString(TestFiles.newPath("native-nul"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Native.open(p + "\0ignored", Native.O_RDONLY, 0));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.statx(p + "\0", 0, NativeFiles.STATX_SIZE, 0));
    }

    @Test
    void pathBytesAreTheFileNameEncodingNulTerminated() {
        byte[] b = Native.pathBytes("a😀");
        assertEquals(1 + 4 + 1, b.length, "UTF-8, four bytes for U+1F600, then NUL");
        assertEquals(0, b[b.length - 1]);
        assertEquals((byte) 0xF0, b[1]);
    }
}

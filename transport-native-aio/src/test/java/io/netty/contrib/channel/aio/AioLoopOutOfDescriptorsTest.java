/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.testing.AioTests;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An AIO loop created while the process has no descriptor left, or one (each of the two a loop opens fails in
 * turn): the group's constructor fails with a cause naming EMFILE, and nothing is left behind — no eventfd or epoll
 * descriptor, no AIO context (the machine-wide {@code fs.aio-nr} is back where it was). Then a loop starts.
 */
class AioLoopOutOfDescriptorsTest {

    /** This process's eventfd and epoll descriptors: what a loop opens (the JVM opens and closes others). */
    private static long loopDescriptors() throws Exception {
        try (Stream<java.nio.file.Path> fds = Files.list(Paths.get("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.equals("anon_inode:[eventfd]") || target.equals("anon_inode:[eventpoll]");
                } catch (java.io.IOException closed) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void aLoopThatCannotGetItsDescriptorsFailsNamingEmfileAndLeavesNothingBehind() throws Exception {
        // Load what a failing start touches while descriptors are plentiful (a class not loaded yet cannot be
        // read from target/classes once the table is full).
        new AioEventLoopGroup(1).shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        int emfile = Native.EMFILE;
        for (int spare = 0; spare <= 1; spare++) {
            long fdsBefore = loopDescriptors();
            String aioBefore = AioTests.aioRings();
            List<Integer> fillers = new ArrayList<>();
            Throwable failure;
            try {
                for (;;) {
                    int fd = Native.open("/dev/null", Native.O_RDONLY | Native.O_CLOEXEC, 0);
                    if (fd < 0) {
                        assertEquals(-emfile, fd, "open(/dev/null) until the table is full");
                        break;
                    }
                    fillers.add(fd);
                }
                // Leave `spare` descriptors: the eventfd (none left), then the epoll set (one left) fails.
                for (int i = 0; i < spare; i++) {
                    Native.close(fillers.remove(fillers.size() - 1));
                }
                int probe = Native.open("/dev/null", Native.O_RDONLY | Native.O_CLOEXEC, 0);
                if (probe >= 0) {
                    Native.close(probe);
                }
                assertEquals(spare == 0 ? -emfile : probe, probe, "the table is full but for " + spare);
                failure = assertThrows(Throwable.class, () -> new AioEventLoopGroup(1));
            } finally {
                for (int fd : fillers) {
                    Native.close(fd);
                }
            }
            StringBuilder causes = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                causes.append(t).append(" / ");
            }
            assertTrue(causes.toString().contains("EMFILE"), spare + " spare: " + causes);
            assertEquals(fdsBefore, loopDescriptors(), spare + " spare: no eventfd or epoll descriptor left behind");
            assertEquals(aioBefore, AioTests.aioRings(), spare + " spare: no AIO context left behind");
        }
        // Descriptors back: a loop starts and runs a task.
        AioEventLoopGroup group = new AioEventLoopGroup(1);
        try {
            assertEquals(1, (int) group.next().submit(() -> 1).get(30, TimeUnit.SECONDS));
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }
}

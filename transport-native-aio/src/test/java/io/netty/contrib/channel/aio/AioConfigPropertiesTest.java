/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.core.AioContext;
import io.netty.contrib.channel.aio.core.AioSystemProperties;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code io.netty.aio.*} system properties: read once, lenient about case and blanks, and a value that is not
 * accepted fails every config with a message naming the property, the value and what is accepted. The defaults are
 * read once per JVM, so each case runs in a JVM of its own ({@link Probe}).
 */
class AioConfigPropertiesTest {

    @Test
    void constantNamesAreTakenInAnyCase() throws Exception {
        String out = probe("-Dio.netty.aio.reapMode=ring", "-Dio.netty.aio.wakeMode= aio_poll ");
        assertTrue(out.contains("config reapMode=RING wakeMode=AIO_POLL"), out);
        assertTrue(out.contains("loop ok"), "a loop starts with those settings: " + out);
    }

    @Test
    void aBadValueFailsEveryConfigNamingThePropertyAndTheAcceptedValues() throws Exception {
        String[][] cases = {
                {"-Dio.netty.aio.wakeMode=epoll", "-Dio.netty.aio.wakeMode=epoll: expected one of EPOLL_WAIT, AIO_POLL"},
                {"-Dio.netty.aio.reapMode=mmap", "-Dio.netty.aio.reapMode=mmap: expected one of RING, SYSCALL"},
                {"-Dio.netty.aio.depth=lots", "-Dio.netty.aio.depth=lots: expected a whole number from 1 to"},
                {"-Dio.netty.aio.depth=0", "-Dio.netty.aio.depth=0: expected a whole number from 1 to"},
                {"-Dio.netty.aio.ioSubmitBatch=-3", "-Dio.netty.aio.ioSubmitBatch=-3: expected a whole number"},
        };
        for (String[] c : cases) {
            String out = probe(c[0]);
            // Twice: the first config and the next one made in the same JVM fail alike.
            assertEquals(2, count(out, "config failed: IllegalArgumentException: " + c[1]), c[0] + ": " + out);
            assertTrue(out.contains("group failed: IllegalArgumentException: " + c[1]), c[0] + ": " + out);
        }
        String out = probe("-Dio.netty.aio.reapMode=mmap");
        assertTrue(out.contains("context failed: IllegalArgumentException: -Dio.netty.aio.reapMode=mmap"), out);
    }

    @Test
    void theParserAcceptsOnlyWhatItSays() {
        String p = "io.netty.aio.test.parser";
        try {
            System.setProperty(p, "  ");
            assertEquals(7, AioSystemProperties.intValue(p, 7, 1, 10), "blank is unset");
            System.setProperty(p, "10");
            assertEquals(10, AioSystemProperties.intValue(p, 7, 1, 10));
            System.setProperty(p, "11");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AioSystemProperties.intValue(p, 7, 1, 10));
            assertEquals("-D" + p + "=11: expected a whole number from 1 to 10", e.getMessage());
            System.setProperty(p, "syscall");
            assertEquals(AioContext.ReapMode.SYSCALL,
                    AioSystemProperties.enumValue(p, AioContext.ReapMode.class, AioContext.ReapMode.RING));
        } finally {
            System.clearProperty(p);
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static String probe(String... properties) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xcheck:jni");
        cmd.addAll(List.of(properties));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM ends: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The child JVM: makes configs, a group and a context, and prints what each did. */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            for (int i = 0; i < 2; i++) {
                try {
                    AioIoHandlerConfig c = new AioIoHandlerConfig();
                    System.out.println("config reapMode=" + c.reapMode() + " wakeMode=" + c.wakeMode());
                } catch (IllegalArgumentException e) {
                    System.out.println("config failed: IllegalArgumentException: " + e.getMessage());
                }
            }
            try {
                AioEventLoopGroup group = new AioEventLoopGroup(1);
                group.submit(() -> { }).sync();
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
                System.out.println("loop ok");
            } catch (IllegalArgumentException e) {
                System.out.println("group failed: IllegalArgumentException: " + e.getMessage());
            }
            try (AioContext ctx = AioContext.open(1)) {
                System.out.println("context ok " + ctx);
            } catch (IllegalArgumentException e) {
                System.out.println("context failed: IllegalArgumentException: " + e.getMessage());
            }
        }
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.testing.TestNatives;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container case this transport exists for: under a seccomp filter that refuses {@code io_uring_setup},
 * {@code io_uring_enter} and {@code io_uring_register} with EPERM, as Docker's default profile does (moby pull
 * request 46762) and containerd's (9320, which Kubernetes applies for {@code RuntimeDefault}), Netty's io_uring
 * transport reports itself unavailable, while a plain {@code DefaultFileRegion} server on AIO serves files kept out
 * of the page cache byte for byte with its loop never found asleep in the filesystem.
 */
class ContainerProfileTest {

    @Test
    void underDockersDefaultProfileIoUringIsRefusedAndAioServesColdRegionsWithoutBlocking() throws Exception {
        Path launcher = TestNatives.build("seccomp_launcher");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(launcher.toString(), "io_uring_setup=EPERM", "io_uring_enter=EPERM",
                "io_uring_register=EPERM", "--", java, "-Xcheck:jni", "-Dio.netty.leakDetection.level=paranoid",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), ContainerProfileServer.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child JVM ends: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(!out.contains("LEAK:"), "no leak report: " + out);
        Map<String, String> r = new HashMap<>();
        out.lines().filter(l -> l.indexOf('=') > 0)
                .forEach(l -> r.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));

        assertEquals("false", r.get("io_uring.available"), out);
        assertTrue(r.getOrDefault("io_uring.cause", "").contains("EPERM")
                || r.getOrDefault("io_uring.cause", "").contains("Operation not permitted"),
                "io_uring names the refusal: " + out);
        assertEquals("true", r.get("aio.available"), out);
        assertEquals("true", r.get("bytes.exact"), out);
        assertTrue(Long.parseLong(r.get("loop.samples")) > 0, out);
        assertEquals("[]", r.get("loop.sleptOn"), "the loop was never found asleep in the filesystem: " + out);
        // 12 files of 6 MiB, every one evicted before it was asked for: read with AIO, not sendfile'd from disk.
        assertTrue(Long.parseLong(r.get("region.aioBytes")) > 0, "cold spans went through AIO reads: " + out);
    }
}

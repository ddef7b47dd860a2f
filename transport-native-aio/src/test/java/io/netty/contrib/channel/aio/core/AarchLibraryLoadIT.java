/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The aarch64 library, as its {@code linux-aarch_64} jar ships it, loaded by Debian's arm64 JVM under
 * {@code qemu-aarch64-static} (user-mode emulation: aarch64 instructions, this machine's kernel). Asserts that the
 * library loaded and registered its natives and that the struct layout it reports is the ABI's; records the
 * availability probe's outcome in {@code target/qemu-aarch64-probe.txt} without asserting availability (qemu-user
 * may not forward every AIO syscall), only that a failure is named by an errno, never a link error.
 *
 * <p>Needs {@code qemu-user-static} and Debian's arm64 {@code openjdk-17-jre-headless}, {@code libc6},
 * {@code libgcc-s1}, {@code libstdc++6} and {@code zlib1g} unpacked under {@code -Darm64.root}
 * ({@code /opt/netty-aio-arm64-root}); {@code ./run-tests} prepares both. Without them this test fails, saying so.
 */
class AarchLibraryLoadIT {

    @Test
    void theAarch64LibraryLoadsOnAnAarch64Jvm() throws Exception {
        Path root = Paths.get(System.getProperty("aio.arm64.root"));
        Path java = root.resolve("usr/lib/jvm/java-17-openjdk-arm64/bin/java");
        Path qemu = Paths.get("/usr/bin/qemu-aarch64-static");
        Path jar = Paths.get(System.getProperty("aio.native.aarch64.jar"));
        assertTrue(Files.isExecutable(qemu), qemu + " (Debian: apt-get install qemu-user-static; ./run-tests does)");
        assertTrue(Files.isRegularFile(java), "an arm64 JVM at " + java + " (./run-tests unpacks Debian's "
                + "openjdk-17-jre-headless:arm64 there; -Darm64.root=DIR to use another root)");
        assertTrue(Files.isRegularFile(jar), "the linux-aarch_64 jar at " + jar + " (the build skips it without "
                + "aarch64-linux-gnu-gcc; ./run-tests installs the cross compiler and builds with -Prelease)");

        // The runtime class path (classes jar, Netty) from the build, this module's test classes for the probe,
        // and the aarch64 jar: the library can only come from there.
        List<String> classPath = new ArrayList<>();
        classPath.add(jar.toString());
        classPath.add(Paths.get("target", "test-classes").toAbsolutePath().toString());
        for (String entry : Files.readString(Paths.get("target", "runtime.classpath")).trim().split(":")) {
            classPath.add(entry);
        }

        List<String> command = List.of(qemu.toString(), "-L", root.toString(), java.toString(),
                "-Xcheck:jni", "-Dio.netty.leakDetection.level=paranoid",
                "-Djava.io.tmpdir=" + Paths.get("target", "tmp").toAbsolutePath(),
                "-cp", String.join(":", classPath), AarchProbe.class.getName());
        Files.createDirectories(Paths.get("target", "tmp"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("the aarch64 JVM did not finish in 5 minutes; output:\n" + output);
        }
        record(String.join(" ", command), process.exitValue(), output);

        Map<String, String> found = parse(output);
        assertEquals("yes", found.get("loaded"), "the library loaded and registered its natives:\n" + output);
        assertEquals(0, process.exitValue(), output);
        assertEquals("aarch_64", found.get("normalizedArch"), output);
        assertTrue(found.getOrDefault("library", "").startsWith("jar:file:" + jar.toAbsolutePath() + "!/"),
                "the library came from the linux-aarch_64 jar:\n" + output);
        assertEquals("64", found.get("sizeof.iocb"), output);
        assertEquals("32", found.get("sizeof.io_event"), output);
        assertTrue(found.getOrDefault("errno.EAGAIN", "").startsWith("EAGAIN"), output);
        if ("no".equals(found.get("available"))) {
            // Not asserted available; but the cause must name what the (emulated) kernel answered.
            String cause = found.getOrDefault("cause", "");
            assertTrue(cause.matches(".*\\bE[A-Z0-9]+ \\(.*"), "the probe's cause names an errno:\n" + output);
            assertTrue(!found.getOrDefault("cause.type", "").contains("LinkError"), output);
        } else {
            assertEquals("yes", found.get("available"), output);
        }
    }

    private static Map<String, String> parse(String output) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).indexOf(' ') < 0) {
                found.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return found;
    }

    private static void record(String command, int exit, String output) throws IOException {
        String report = "command: " + command + "\nexit: " + exit + "\n" + output;
        Files.writeString(Paths.get("target", "qemu-aarch64-probe.txt"), report);
        System.out.println(report);
    }
}

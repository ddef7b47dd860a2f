/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.contrib.channel.aio.testing.TestNatives;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The availability probe where AIO is refused for real: a JVM started under a seccomp filter (built by the test,
 * {@code src/test/c/seccomp_launcher.c}) that makes one AIO system call fail, as a container profile would.
 * {@code Aio.unavailabilityCause()} must name the call and the errno, and say what to do.
 */
class AioRefusedBySeccompTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "io_setup=EPERM, io_setup, EPERM, seccomp",
            "io_setup=ENOSYS, io_setup, ENOSYS, CONFIG_AIO",
            "io_setup=EAGAIN, io_setup, EAGAIN, fs.aio-max-nr",
            "io_submit=EPERM, io_submit, EPERM, seccomp",
            "io_submit=ENOSYS, io_submit, ENOSYS, seccomp",
    })
    void theCauseNamesTheRefusedCallAndItsErrno(String rule, String call, String errno, String advice)
            throws Exception {
        Path launcher = TestNatives.build("seccomp_launcher");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(launcher.toString(), rule, "--", java, "-Xcheck:jni",
                "-cp", System.getProperty("java.class.path"), AvailabilityProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM ends");
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.contains("available=false"), rule + ": " + out);
        String cause = lines.stream().filter(l -> l.startsWith("cause=")).findFirst().orElse("");
        assertTrue(cause.contains(call) && cause.contains(errno) && cause.contains(advice),
                rule + ": the cause names " + call + ", " + errno + " and what to do (" + advice + "): " + out);
    }
}

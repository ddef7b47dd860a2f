/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tests' own programs in {@code src/test/c} ({@code faultfs.c}, {@code seccomp_launcher.c}), built with gcc into
 * {@code target/} the first time a test asks for one (again when the source is newer). A missing compiler or
 * library is an {@link IOException} saying what to install, so the test fails rather than skips. Thread-safe.
 */
public final class TestNatives {
    private TestNatives() {
    }

    /**
     * Builds {@code src/test/c/NAME.c} into {@code target/NAME}, with the compiler and linker flags of the
     * pkg-config packages given, and returns the program's path.
     */
    public static synchronized Path build(String name, String... pkgConfigPackages)
            throws IOException, InterruptedException {
        Path source = Paths.get("src", "test", "c", name + ".c").toAbsolutePath();
        Path binary = Paths.get("target", name).toAbsolutePath();
        if (Files.exists(binary)
                && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return binary;
        }
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Werror", "-o", binary.toString(),
                source.toString()));
        if (pkgConfigPackages.length > 0) {
            List<String> pkg = new ArrayList<>(List.of("pkg-config", "--cflags", "--libs"));
            pkg.addAll(Arrays.asList(pkgConfigPackages));
            cmd.addAll(Arrays.asList(run(pkg).trim().split("\\s+")));
        }
        run(cmd);
        return binary;
    }

    /** Runs {@code cmd} to its end; its output, or an IOException naming it and what it printed. */
    public static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(cmd.get(0) + " is missing (./run-tests installs what the tests build with: gcc, "
                    + "pkg-config, libfuse3-dev, fuse3)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        if (exit != 0) {
            throw new IOException(String.join(" ", cmd) + " exited with " + exit + ": " + out
                    + " (./run-tests installs what the tests build with: gcc, pkg-config, libfuse3-dev, fuse3)");
        }
        return out;
    }
}

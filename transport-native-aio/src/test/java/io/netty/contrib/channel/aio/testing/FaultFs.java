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
import java.util.concurrent.TimeUnit;

/**
 * A FUSE filesystem of files that fail on purpose ({@code src/test/c/faultfs.c}), built with gcc against libfuse3
 * the first time a test asks for it and mounted under {@code target/}: short reads, EIO at an offset, delays, reads
 * that hang until released, ENOSPC past a size. Files start with {@link TestFiles#patternByte} content. Needs root
 * (for {@code /dev/fuse} and mount), gcc, {@code libfuse3-dev}, {@code fuse3} and {@code pkg-config}, which
 * {@code .ci/run} installs; when one is missing, {@link #mount} throws saying which, so that the test fails
 * rather than skips. Not thread-safe; close it to unmount.
 */
public final class FaultFs implements AutoCloseable {
    private static final Path SOURCE = Paths.get("src", "test", "c", "faultfs.c").toAbsolutePath();
    private static final Path BINARY = Paths.get("target", "faultfs").toAbsolutePath();

    private final Path mountPoint;
    private final Process daemon;

    private FaultFs(Path mountPoint, Process daemon) {
        this.mountPoint = mountPoint;
        this.daemon = daemon;
    }

    /**
     * Mounts a new instance holding the files given as {@code NAME:SIZE[:FAULT]...} (see faultfs.c: {@code short=N},
     * {@code eio=OFFSET}, {@code delay=MS}, {@code hang=PATH}, {@code enospc=MAX}, {@code direct}), and returns once
     * they are visible.
     */
    public static FaultFs mount(String... files) throws IOException, InterruptedException {
        build();
        Path mountPoint = TestFiles.newPath("faultfs-mnt");
        Files.createDirectories(mountPoint);
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), mountPoint.toString()));
        cmd.addAll(Arrays.asList(files));
        Process daemon = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(TestFiles.dir().resolve(mountPoint.getFileName() + ".log").toFile()).start();
        FaultFs fs = new FaultFs(mountPoint, daemon);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String first = files[0].substring(0, files[0].indexOf(':'));
        while (!Files.exists(mountPoint.resolve(first))) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                fs.close();
                throw new IOException("faultfs did not mount at " + mountPoint + " (exit "
                        + (daemon.isAlive() ? "none yet" : daemon.exitValue()) + "): "
                        + Files.readString(TestFiles.dir().resolve(mountPoint.getFileName() + ".log")));
            }
            Thread.sleep(10); // nothing to wait on: the mount appears in the file system
        }
        return fs;
    }

    /** A file of this filesystem. */
    public Path file(String name) {
        return mountPoint.resolve(name);
    }

    /** A path under {@code target/} for a {@code hang=} fault; create it to let hung reads go. */
    public static Path newReleaseFlag() {
        return TestFiles.newPath("faultfs-release");
    }

    /** Creates {@code flag}: every read waiting on it completes. */
    public static void release(Path flag) throws IOException {
        Files.createFile(flag);
    }

    @Override
    public void close() throws IOException {
        try {
            // Lazily: a descriptor a test failed to close must not keep the daemon (and the build) waiting.
            run(List.of("umount", "-l", mountPoint.toString()), false);
            if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + mountPoint, e);
        }
    }

    private static synchronized void build() throws IOException, InterruptedException {
        if (Files.exists(BINARY) && Files.getLastModifiedTime(BINARY).compareTo(Files.getLastModifiedTime(SOURCE)) > 0) {
            return;
        }
        String flags = run(List.of("pkg-config", "--cflags", "--libs", "fuse3"), true);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Werror", "-o", BINARY.toString(),
                SOURCE.toString()));
        cmd.addAll(Arrays.asList(flags.trim().split("\\s+")));
        run(cmd, true);
    }

    /** Runs {@code cmd}; its output, or an IOException naming it and what it printed when {@code check} fails. */
    private static String run(List<String> cmd, boolean check) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(cmd.get(0) + " is missing: install gcc, libfuse3-dev, fuse3 and pkg-config "
                    + "(.ci/run does)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        if (check && exit != 0) {
            throw new IOException(String.join(" ", cmd) + " exited with " + exit + ": " + out
                    + " (faultfs needs gcc, libfuse3-dev, fuse3 and pkg-config; .ci/run installs them)");
        }
        return out;
    }
}

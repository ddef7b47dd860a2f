/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A FUSE filesystem of files that fail on purpose ({@code src/test/c/faultfs.c}), built with gcc against libfuse3
 * the first time a test asks for it and mounted under {@code target/}: short reads, EIO at an offset, delays, reads
 * that hang until released, ENOSPC past a size. Files start with {@link TestFiles#patternByte} content. Needs root
 * (for {@code /dev/fuse} and mount), gcc, {@code libfuse3-dev}, {@code fuse3} and {@code pkg-config}, which
 * {@code ./run-tests} installs; when one is missing, {@link #mount} throws saying which, so that the test fails
 * rather than skips. Not thread-safe; close it to unmount.
 */
public final class FaultFs implements AutoCloseable {
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
        Path binary = TestNatives.build("faultfs", "fuse3");
        Path mountPoint = TestFiles.newPath("faultfs-mnt");
        Files.createDirectories(mountPoint);
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), mountPoint.toString()));
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

    /** A path under {@code target/} for a {@code hang=} fault; create it to let the held reads and writes go. */
    public static Path newReleaseFlag() {
        return TestFiles.newPath("faultfs-release");
    }

    /** Creates {@code flag}: every read and write waiting on it goes on. */
    public static void release(Path flag) throws IOException {
        if (!Files.exists(flag)) {
            Files.createFile(flag);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            // Lazily: a descriptor a test failed to close must not keep the daemon (and the build) waiting.
            new ProcessBuilder("umount", "-l", mountPoint.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + mountPoint, e);
        }
    }
}

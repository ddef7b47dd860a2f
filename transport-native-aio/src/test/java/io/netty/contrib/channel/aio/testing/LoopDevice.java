/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * A loop block device the test attaches ({@code losetup}) over a file of its own under {@code target/}: a real block
 * device, with the logical sector size asked for (4096 shows what 512-byte alignment would get wrong). Needs root
 * and util-linux ({@code ./run-tests} installs it). Close it to detach.
 */
public final class LoopDevice implements AutoCloseable {
    private final Path device;

    private LoopDevice(Path device) {
        this.device = device;
    }

    /** Attaches {@code backing} with {@code sectorSize}-byte logical sectors; the loop's own I/O is direct. */
    public static LoopDevice attach(Path backing, int sectorSize) throws IOException, InterruptedException {
        String node = TestNatives.run(List.of("losetup", "--find", "--show", "--sector-size",
                Integer.toString(sectorSize), "--direct-io=on", backing.toString())).trim();
        return new LoopDevice(Paths.get(node));
    }

    /** The device node, {@code /dev/loopN}. */
    public Path path() {
        return device;
    }

    @Override
    public void close() throws IOException {
        try {
            TestNatives.run(List.of("losetup", "--detach", device.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while detaching " + device, e);
        }
    }
}

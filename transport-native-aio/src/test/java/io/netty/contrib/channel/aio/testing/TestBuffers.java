/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testing;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * The buffers a test allocates, released together at its end (so that paranoid leak detection stays quiet
 * whatever the test's path). Single-threaded.
 */
public final class TestBuffers implements AutoCloseable {
    private final List<ByteBuf> buffers = new ArrayList<>();

    /** A 4096-aligned pooled direct buffer of exactly {@code capacity} bytes ({@link TestFiles#ALIGNED}). */
    public ByteBuf aligned(int capacity) {
        return track(TestFiles.ALIGNED.directBuffer(capacity, capacity));
    }

    /** Releases {@code buf} at {@link #close()} (once, if the test has not released it by then). */
    public <T extends ByteBuf> T track(T buf) {
        buffers.add(buf);
        return buf;
    }

    @Override
    public void close() {
        for (ByteBuf b : buffers) {
            if (b.refCnt() > 0) {
                b.release();
            }
        }
        buffers.clear();
    }
}

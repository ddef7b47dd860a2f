/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.channel.uring.IoUring;

import java.util.ArrayList;
import java.util.List;

/**
 * The transports the end-to-end tests run the server on. epoll and NIO always (a Linux build machine has
 * both; if epoll fails to start, the test fails). io_uring when the kernel allows it here — it is often disabled
 * in containers ({@code kernel.io_uring_disabled}), which is a property of the machine, not of this code; the
 * reason is printed. The aio transport is not listed while the server reports it unavailable (see
 * {@code CommandLineIT}, which asserts exactly that).
 */
final class Transports {
    private static final List<String> AVAILABLE;

    static {
        List<String> t = new ArrayList<>(List.of("epoll", "nio"));
        if (IoUring.isAvailable()) {
            t.add(1, "io_uring");
        } else {
            System.err.println("io_uring is not available on this machine, not tested: " + IoUring.unavailabilityCause());
        }
        AVAILABLE = List.copyOf(t);
    }

    private Transports() {
    }

    /** For {@code @MethodSource}. */
    static List<String> available() {
        return AVAILABLE;
    }
}

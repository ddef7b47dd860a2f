/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.channel.uring.IoUring;

import java.util.ArrayList;
import java.util.List;

/**
 * The transports the end-to-end tests run the server on. aio, epoll and NIO always: if one of them cannot start,
 * the test fails (no skipping the transport this project is about). io_uring when the kernel allows it here — it
 * is often disabled in containers ({@code kernel.io_uring_disabled}), which is a property of the machine, not of
 * this code; the reason is printed.
 */
final class Transports {
    private static final List<String> AVAILABLE;

    static {
        List<String> t = new ArrayList<>(List.of("aio", "epoll", "nio"));
        if (IoUring.isAvailable()) {
            t.add(2, "io_uring");
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

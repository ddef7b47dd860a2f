/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.contrib.channel.aio.Aio;

/**
 * Prints what {@link Aio} says of this process, for {@link AioRefusedBySeccompTest}, which runs it under a seccomp
 * filter: {@code available=<bool>}, then the cause's class and message, one line each, down the cause chain.
 */
public final class AvailabilityProbe {
    private AvailabilityProbe() {
    }

    public static void main(String[] args) {
        System.out.println("available=" + Aio.isAvailable());
        for (Throwable t = Aio.unavailabilityCause(); t != null; t = t.getCause()) {
            System.out.println("cause=" + t.getClass().getName() + ": " + t.getMessage());
        }
    }
}

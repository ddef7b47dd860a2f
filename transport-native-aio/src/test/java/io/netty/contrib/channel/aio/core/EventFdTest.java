/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.contrib.channel.aio.testing.AioTests;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EventFd}: counter semantics, flags, and refusal after close. */
class EventFdTest {

    @Test
    void writesAddUpAndAReadResetsTheCounter() throws Exception {
        try (EventFd efd = EventFd.create()) {
            assertEquals(0, efd.read(), "non-blocking and zero: read answers 0");
            efd.write(3);
            efd.write(4);
            efd.write(0);
            assertEquals(7, efd.read());
            assertEquals(0, efd.read());
        }
    }

    @Test
    void theInitialValueIsReadable() throws Exception {
        try (EventFd efd = EventFd.create(42, Native.EFD_NONBLOCK | Native.EFD_CLOEXEC)) {
            assertEquals(42, efd.read());
        }
    }

    @Test
    void semaphoreModeDecrementsByOne() throws Exception {
        try (EventFd efd = EventFd.create(2, Native.EFD_SEMAPHORE | Native.EFD_NONBLOCK | Native.EFD_CLOEXEC)) {
            assertEquals(1, efd.read());
            assertEquals(1, efd.read());
            assertEquals(0, efd.read());
        }
    }

    @Test
    void aBlockingReadWaitsForAWrite() throws Exception {
        try (EventFd efd = EventFd.create(0, Native.EFD_CLOEXEC)) {
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    return efd.read();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            efd.write(9);
            assertEquals(9, reader.get(AioTests.PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aFullNonBlockingCounterRefusesAWriteWithEagain() throws Exception {
        try (EventFd efd = EventFd.create()) {
            efd.write(-2L); // 2^64-2, the maximum
            AioIoException e = assertThrows(AioIoException.class, () -> efd.write(1));
            assertEquals(-Native.EAGAIN, e.expectedErr());
            assertTrue(e.getMessage().contains("EAGAIN"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> efd.write(-1L));
        }
    }

    @Test
    void badFlagsAndValuesAreRefused() {
        AioIoException e = assertThrows(AioIoException.class, () -> EventFd.create(0, 0x40000000));
        assertEquals(-Native.EINVAL, e.expectedErr());
        assertTrue(e.getMessage().contains("eventfd"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventFd.create(-1, 0));
    }

    @Test
    void readAndWriteAfterCloseAreRefused() throws Exception {
        EventFd efd = EventFd.create();
        efd.close();
        assertFalse(efd.isOpen());
        assertEquals(-Native.EBADF, assertThrows(AioIoException.class, () -> efd.write(1)).expectedErr());
        AioIoException e = assertThrows(AioIoException.class, efd::read);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        efd.close(); // idempotent
    }
}

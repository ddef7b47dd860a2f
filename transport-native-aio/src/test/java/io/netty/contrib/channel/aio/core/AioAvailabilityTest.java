/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.contrib.channel.aio.Aio;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The availability probe and its messages. On this machine the transport must be available: if the native library
 * does not load or the kernel refuses AIO, this fails the build, with the cause.
 */
class AioAvailabilityTest {

    @Test
    void theTransportIsAvailableHere() {
        Throwable cause = Aio.unavailabilityCause();
        if (cause != null) {
            throw new AssertionError("AIO unavailable", cause);
        }
        assertTrue(Aio.isAvailable());
        Aio.ensureAvailability();
    }

    @Test
    void testsRunWithJniCheckingAndParanoidLeakDetection() {
        assertTrue(ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-Xcheck:jni"),
                "the parent pom's test.jvm.args reach this JVM");
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
    }

    @Test
    void theNativeLibraryIsBundledWhereNativeLibraryLoaderLooks() {
        URL lib = Native.class.getClassLoader().getResource("META-INF/native/libnetty_transport_aio_x86_64.so");
        assertNotNull(lib, "META-INF/native/libnetty_transport_aio_x86_64.so on the class path");
    }

    @Test
    void ioSetupFailuresSayWhatToDo() {
        AioIoException eagain = AioLimits.ioSetupFailure(4096, -Native.EAGAIN);
        assertEquals(-Native.EAGAIN, eagain.expectedErr());
        assertContains(eagain.getMessage(), "io_setup(depth=4096) failed: EAGAIN", "fs.aio-nr=", "fs.aio-max-nr=",
                "sysctl -w fs.aio-max-nr=");
        assertContains(AioLimits.ioSetupFailure(1, -Native.ENOSYS).getMessage(), "ENOSYS", "CONFIG_AIO");
        assertContains(AioLimits.ioSetupFailure(1, -Native.EPERM).getMessage(), "EPERM", "seccomp");
        assertContains(AioLimits.ioSetupFailure(1, -Native.ENOMEM).getMessage(), "ENOMEM");
    }

    @Test
    void theDefaultReapModeIsTheRingUnlessForced() {
        assertNull(System.getProperty(AioContext.REAP_MODE_PROPERTY), "the test JVM does not force a mode");
        assertEquals(AioContext.ReapMode.RING, AioContext.ReapMode.defaultMode());
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "'" + message + "' should mention '" + p + "'");
        }
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.contrib.channel.aio.Aio;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transport shaded as applications shade Netty ({@code io.netty} relocated to {@code shaded.io.netty}, the
 * library renamed {@code libshaded_netty_transport_aio_x86_64.so} as Netty's loader then expects) loads, binds its
 * natives and unix-common's to the relocated classes, and works — in the same JVM as the unshaded transport.
 * Runs after {@code package} (failsafe), on the jar the build shaded.
 */
class ShadedLibraryIT {

    @Test
    void theShadedTransportLoadsAndRunsNextToTheUnshadedOne() throws Exception {
        assertNull(Aio.unavailabilityCause(), "the unshaded transport first");

        Path jar = Paths.get(System.getProperty("aio.shaded.jar"));
        assertTrue(Files.isRegularFile(jar), "the build's shaded jar at " + jar);
        // The renamed library, where the shaded NativeLibraryLoader looks for it.
        Path nativeDir = Paths.get("target", "shading", "native-classpath").toAbsolutePath();
        Path lib = nativeDir.resolve("META-INF/native/libshaded_netty_transport_aio_x86_64.so");
        Files.createDirectories(lib.getParent());
        URL original = Native.class.getClassLoader().getResource("META-INF/native/libnetty_transport_aio_x86_64.so");
        assertNotNull(original);
        try (InputStream in = original.openStream()) {
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
        }

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL(), nativeDir.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> aio = loader.loadClass("shaded.io.netty.contrib.channel.aio.Aio");
            Method cause = aio.getMethod("unavailabilityCause");
            Throwable t = (Throwable) cause.invoke(null);
            if (t != null) {
                throw new AssertionError("the shaded transport is unavailable", t);
            }
            // The probe above ran io_setup, IOCB_CMD_POLL on an eventfd and closed it through the shaded
            // unix-common FileDescriptor: both native tables are bound to the relocated names. Use one more.
            Class<?> nativeClass = loader.loadClass("shaded.io.netty.contrib.channel.aio.core.Native");
            String eagain = (String) nativeClass.getMethod("describeResult", long.class).invoke(null, -Native.EAGAIN);
            assertEquals(Native.describeResult(-Native.EAGAIN), eagain);
            assertEquals(Native.SIZEOF_IOCB, nativeClass.getField("SIZEOF_IOCB").getInt(null));
        }
        assertNull(Aio.unavailabilityCause(), "the unshaded transport still there");
        assertEquals(-Native.EAGAIN, Native.ioException("x", -Native.EAGAIN).expectedErr());
    }
}

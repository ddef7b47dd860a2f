/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.contrib.channel.aio.Aio;
import io.netty.util.internal.PlatformDependent;

import java.net.URL;

/**
 * The program {@link AarchLibraryLoadIT} runs on an aarch64 JVM (under qemu-user): loads the transport's library
 * from the class path as an application would, reads the struct layout from it, runs the availability probe, and
 * prints one {@code key=value} line per finding. Exit status 0 when the library loaded and registered its natives
 * (whether or not the probe then found AIO usable), 2 when it did not.
 */
public final class AarchProbe {
    private AarchProbe() {
    }

    public static void main(String[] args) {
        String arch = PlatformDependent.normalizedArch();
        String name = "META-INF/native/libnetty_transport_aio_" + arch + ".so";
        URL library = AarchProbe.class.getClassLoader().getResource(name);
        System.out.println("os.arch=" + System.getProperty("os.arch"));
        System.out.println("normalizedArch=" + arch);
        System.out.println("library=" + library);
        try {
            Native.ensureLoaded();
        } catch (Throwable t) {
            System.out.println("loaded=no");
            System.out.println("loadError=" + t);
            t.printStackTrace(System.out);
            System.exit(2);
        }
        // Each value below comes from a native method the library registered (offsetof/sizeof in C).
        System.out.println("loaded=yes");
        System.out.println("sizeof.iocb=" + Native.SIZEOF_IOCB);
        System.out.println("sizeof.io_event=" + Native.SIZEOF_IO_EVENT);
        System.out.println("offsetof.iocb.aio_rw_flags=" + Native.IOCB_AIO_RW_FLAGS);
        System.out.println("offsetof.iocb.aio_key=" + Native.IOCB_AIO_KEY);
        System.out.println("errno.EAGAIN=" + Native.describeResult(-Native.EAGAIN));

        Throwable cause = Aio.unavailabilityCause();
        System.out.println("available=" + (cause == null ? "yes" : "no"));
        if (cause != null) {
            System.out.println("cause.type=" + cause.getClass().getName());
            System.out.println("cause=" + cause.getMessage());
            if (cause instanceof AioIoException) {
                int expectedErr = ((AioIoException) cause).expectedErr();
                System.out.println("cause.expectedErr=" + expectedErr + ' ' + Native.describeResult(expectedErr));
            }
        }
    }
}

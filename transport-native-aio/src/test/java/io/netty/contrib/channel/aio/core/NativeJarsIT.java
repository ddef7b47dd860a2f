/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jars this module packages, as Netty lays out netty-transport-native-epoll: one library per classified jar,
 * none in the unclassified one, each manifest naming its module. Runs after {@code package} (failsafe).
 */
class NativeJarsIT {
    private static final String BASE = System.getProperty("aio.native.jar.base");

    @Test
    void eachClassifiedJarHoldsExactlyItsOwnLibrary() throws IOException {
        assertEquals(List.of("META-INF/native/libnetty_transport_aio_x86_64.so"), libraries("-linux-x86_64"));
        assertEquals(List.of("META-INF/native/libnetty_transport_aio_aarch_64.so"), libraries("-linux-aarch_64"));
    }

    @Test
    void theUnclassifiedJarHoldsNoLibrary() throws IOException {
        assertEquals(List.of(), libraries(""));
    }

    @Test
    void everyJarNamesItsModule() throws IOException {
        assertEquals("io.netty.contrib.transport.aio.linux.x86_64", moduleName("-linux-x86_64"));
        assertEquals("io.netty.contrib.transport.aio.linux.aarch_64", moduleName("-linux-aarch_64"));
        assertEquals("io.netty.contrib.transport.aio", moduleName(""));
    }

    @Test
    void sourcesAndJavadocJarsArePackaged() throws IOException {
        try (JarFile sources = new JarFile(jar("-sources").toFile())) {
            assertTrue(sources.getEntry("netty_aio_native.c") != null, "the C sources in the -sources jar");
        }
        try (JarFile javadoc = new JarFile(jar("-javadoc").toFile())) {
            assertTrue(javadoc.getEntry("README.txt") != null, "the -javadoc jar's pointer to the classes' javadoc");
        }
    }

    private static List<String> libraries(String classifier) throws IOException {
        try (JarFile jar = new JarFile(jar(classifier).toFile())) {
            return jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".so")).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static String moduleName(String classifier) throws IOException {
        try (JarFile jar = new JarFile(jar(classifier).toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
        }
    }

    private static Path jar(String classifier) {
        Path jar = Paths.get(BASE + classifier + ".jar");
        assertTrue(Files.isRegularFile(jar), jar + " was packaged" + (classifier.contains("aarch")
                ? " (the build skips it without aarch64-linux-gnu-gcc; ./run-tests installs the cross compiler "
                + "and builds with -Prelease, which requires it)" : ""));
        return jar;
    }
}

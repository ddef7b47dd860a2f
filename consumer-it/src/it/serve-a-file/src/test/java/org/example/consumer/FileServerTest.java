package org.example.consumer;

import io.netty.contrib.channel.aio.Aio;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileServerTest {

    @Test
    void servesAFileOverTheAioTransport() throws Exception {
        assertTrue(Aio.isAvailable(), () -> "unavailable: " + Aio.unavailabilityCause());
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(18).nextBytes(content);
        Path dir = Files.createDirectories(Paths.get("target", "served"));
        File file = Files.write(dir.resolve("file.bin"), content).toFile();

        try (FileServer server = new FileServer(file, new InetSocketAddress("127.0.0.1", 0));
             Socket client = new Socket()) {
            client.connect(server.address(), 10_000);
            client.setSoTimeout(30_000);
            try (InputStream in = client.getInputStream()) {
                assertArrayEquals(content, in.readAllBytes());
            }
        }
    }

    @Test
    void theLibraryAndClassesComeFromTheStagedArtifacts() throws Exception {
        URL library = getClass().getClassLoader().getResource("META-INF/native/libnetty_transport_aio_x86_64.so");
        assertNotNull(library);
        assertTrue(library.toString().matches(
                "jar:file:.*/it-repo/io/netty/contrib/netty-transport-native-aio/[^/]+/"
                        + "netty-transport-native-aio-[^/]+-linux-x86_64\\.jar!/.*"), library.toString());
        String classes = AioEventLoopGroup.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        assertTrue(classes.matches(".*/it-repo/io/netty/contrib/netty-transport-classes-aio/.*\\.jar"), classes);
        try (JarFile jar = new JarFile(classes)) {
            assertEquals("io.netty.contrib.transport.classes.aio",
                    jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
        }
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.reactor;

import io.netty.channel.Channel;
import io.netty.contrib.channel.aio.handler.AioChunkedWriteHandler;
import io.netty.contrib.channel.aio.handler.AioChunkedWriteStats;
import io.netty.contrib.channel.aio.testing.FsSleepSampler;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reactor Netty's {@code sendFile} on AIO loops with {@link AioChunkedWrites#configurer()}: over HTTPS Reactor
 * chunks the file through the {@link AioChunkedWriteHandler} the configurer installed (found by Reactor's own
 * check, for every request of a keep-alive connection), over HTTP it sends a {@code DefaultFileRegion}. The files
 * are dropped from the page cache before each request; the bodies must arrive byte for byte and no sample may
 * find a server loop asleep in the filesystem.
 */
class AioChunkedWritesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static AioLoopResources loops;
    private static SelfSignedCertificate certificate;

    @BeforeAll
    static void start() throws Exception {
        loops = AioLoopResources.create("reactor-chunked", 2, true);
        certificate = new SelfSignedCertificate("localhost");
    }

    @AfterAll
    static void stop() {
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(TIMEOUT);
        certificate.delete();
    }

    /** The ChunkedWriteHandler each request found in its pipeline. */
    private static final List<ChunkedWriteHandler> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static DisposableServer serve(Path file, boolean tls, Set<Channel> connections) {
        HttpServer server = HttpServer.create().runOn(loops).host("127.0.0.1").port(0)
                .doOnChannelInit(AioChunkedWrites.configurer())
                .doOnConnection(c -> connections.add(c.channel()))
                .route(routes -> routes.get("/file", (request, response) -> response
                        .withConnection(c -> seen.add(c.channel().pipeline().get(ChunkedWriteHandler.class)))
                        .sendFile(file)));
        if (tls) {
            server = server.secure(spec -> spec.sslContext(
                    Http11SslContextSpec.forServer(certificate.key(), certificate.cert())));
        }
        return server.bindNow(TIMEOUT);
    }

    private static HttpClient client(DisposableServer server, boolean tls, ConnectionProvider pool) {
        HttpClient client = HttpClient.create(pool).baseUrl((tls ? "https://127.0.0.1:" : "http://127.0.0.1:")
                + server.port());
        return tls ? client.secure(spec -> spec.sslContext(Http11SslContextSpec.forClient()
                .configure(b -> b.trustManager(InsecureTrustManagerFactory.INSTANCE)))) : client;
    }

    /** Requests the file {@code requests} times over one client (its pool keeps the connection alive). */
    private static void assertServed(boolean tls, int requests, Set<Channel> connections) throws Exception {
        int size = (5 << 20) + 4321;
        Path file = TestFiles.patternFile("reactor-chunked", size);
        byte[] expected = Files.readAllBytes(file);
        DisposableServer server = serve(file, tls, connections);
        List<FsSleepSampler> samplers = new ArrayList<>();
        // One connection in the pool: the requests must share it, as keep-alive allows.
        ConnectionProvider pool = ConnectionProvider.create("reactor-chunked-client", 1);
        try {
            HttpClient client = client(server, tls, pool);
            // A first request before sampling: the loops then load the TLS and HTTP classes from the jars (a read
            // the page cache may miss), which is not what this test is about.
            assertArrayEquals(expected, client.get().uri("/file").responseContent().aggregate().asByteArray()
                    .block(TIMEOUT), "warm-up response");
            for (EventExecutor loop : loops.onServer(true)) {
                samplers.add(FsSleepSampler.start(loop));
            }
            for (int i = 0; i < requests; i++) {
                TestFiles.evict(file, 0, 0);
                byte[] got = client.get().uri("/file").responseContent().aggregate().asByteArray().block(TIMEOUT);
                assertArrayEquals(expected, got, "response " + i);
            }
        } finally {
            for (FsSleepSampler s : samplers) {
                s.close();
            }
            server.disposeNow(TIMEOUT);
            pool.disposeLater().block(TIMEOUT);
        }
        for (FsSleepSampler s : samplers) {
            assertTrue(s.samples() > 0);
            assertTrue(s.sleptOn().isEmpty(), "a server loop slept in the filesystem, in " + s.sleptOn());
        }
    }

    private static void awaitFilesClosed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (AioChunkedWriteHandler.totalStats().openFiles() != 0) {
            assertTrue(System.nanoTime() - deadline < 0, "files open: " + AioChunkedWriteHandler.totalStats());
            Thread.sleep(1);
        }
    }

    @Test
    void httpsSendFileIsReadWithAioForEveryRequestOfAKeepAliveConnection() throws Exception {
        AioChunkedWriteStats before = AioChunkedWriteHandler.totalStats();
        Set<Channel> connections = ConcurrentHashMap.newKeySet();
        seen.clear();
        assertServed(true, 3, connections);
        awaitFilesClosed();
        AioChunkedWriteStats after = AioChunkedWriteHandler.totalStats();
        assertEquals(1, connections.size(), "the four requests went over one connection");
        assertEquals(4, seen.size(), "one handler seen per request");
        assertInstanceOf(AioChunkedWriteHandler.class, seen.get(0), "the configurer's handler, in place at init");
        assertTrue(seen.stream().allMatch(h -> h == seen.get(0)), "the same handler for every request: " + seen);
        // Reactor's own check found it: it added none, so every file went through this one.
        assertEquals(4, ((AioChunkedWriteHandler) seen.get(0)).stats().aioInputs(), after.toString());
        assertEquals(4, after.aioInputs() - before.aioInputs(), after.toString());
        assertEquals(0, after.fallbacks() - before.fallbacks(), after.toString());
        assertEquals(4L * ((5 << 20) + 4321), after.aioBytes() - before.aioBytes(), after.toString());
        assertTrue(after.directReads() > before.directReads(), "evicted files read with O_DIRECT: " + after);
        assertEquals(before.blockingReads(), after.blockingReads(), after.toString());
    }

    @Test
    void httpSendFileGoesAsAFileRegionByteForByteWithoutTheLoopWaitingForTheDisk() throws Exception {
        AioChunkedWriteStats before = AioChunkedWriteHandler.totalStats();
        Set<Channel> connections = ConcurrentHashMap.newKeySet();
        assertServed(false, 2, connections);
        assertEquals(before.aioInputs(), AioChunkedWriteHandler.totalStats().aioInputs(),
                "without TLS Reactor sends a DefaultFileRegion, not a chunked input");
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.vertx;

import io.netty.contrib.channel.aio.handler.AioChunkedWriteHandler;
import io.netty.contrib.channel.aio.handler.AioChunkedWriteStats;
import io.netty.contrib.channel.aio.testing.FsSleepSampler;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vert.x's {@code HttpServerResponse.sendFile} on the AIO transport with {@link AioChunkedWrites}: over HTTPS
 * Vert.x chunks the file through the {@link AioChunkedWriteHandler} the connection handler put in place of its
 * own, for every request of a keep-alive connection; over HTTP it sends a {@code DefaultFileRegion}. The file is
 * dropped from the page cache before each request; bodies must arrive byte for byte and no sample may find a
 * Vert.x event loop asleep in the filesystem.
 */
class AioChunkedWritesTest {
    private static final int SIZE = (5 << 20) + 777;
    static Vertx vertx;
    static SelfSignedCertificate certificate;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.builder().withTransport(AioVertxTransport.AIO).build();
        certificate = SelfSignedCertificate.create("localhost");
    }

    @AfterAll
    static void stopVertx() throws Exception {
        await(vertx.close());
        certificate.delete();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Serves the file {@code requests} times to one client over one pooled connection; returns install results. */
    private static List<Boolean> assertServed(boolean tls, int requests, java.util.Set<String> sleptOn)
            throws Exception {
        Path file = TestFiles.patternFile("vertx-chunked", SIZE);
        byte[] expected = Files.readAllBytes(file);
        List<Boolean> installed = new CopyOnWriteArrayList<>();
        HttpServerOptions serverOptions = new HttpServerOptions();
        HttpClientOptions clientOptions = new HttpClientOptions();
        if (tls) {
            serverOptions.setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
            clientOptions.setSsl(true).setTrustAll(true).setVerifyHost(false);
        }
        HttpServer server = vertx.createHttpServer(serverOptions)
                .connectionHandler(connection -> installed.add(AioChunkedWrites.install(connection)))
                .requestHandler(req -> req.response().sendFile(file.toString()));
        await(server.listen(0, "127.0.0.1"));
        HttpClient client = vertx.createHttpClient(clientOptions, new PoolOptions().setHttp1MaxSize(1));
        List<FsSleepSampler> samplers = new ArrayList<>();
        try {
            // A first request before sampling: the loops then load the TLS and HTTP classes from the jars (a read
            // the page cache may miss), which is not what this test is about.
            Buffer warm = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/file")
                    .compose(req -> req.send()).compose(HttpClientResponse::body));
            assertArrayEquals(expected, warm.getBytes(), "warm-up response");
            for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
                samplers.add(FsSleepSampler.start(loop));
            }
            for (int i = 0; i < requests; i++) {
                TestFiles.evict(file, 0, 0);
                Buffer got = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/file")
                        .compose(req -> req.send()).compose(HttpClientResponse::body));
                assertArrayEquals(expected, got.getBytes(), "response " + i);
            }
        } finally {
            for (FsSleepSampler s : samplers) {
                s.close();
            }
            await(client.close());
            await(server.close());
        }
        for (FsSleepSampler s : samplers) {
            assertTrue(s.samples() > 0);
            sleptOn.addAll(s.sleptOn());
        }
        return installed;
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
        java.util.Set<String> sleptOn = new java.util.HashSet<>();
        List<Boolean> installed = assertServed(true, 3, sleptOn);
        awaitFilesClosed();
        AioChunkedWriteStats after = AioChunkedWriteHandler.totalStats();
        assertEquals(List.of(true), installed, "one connection, its chunkedWriter replaced");
        assertEquals(4, after.aioInputs() - before.aioInputs(), after.toString());
        assertEquals(0, after.fallbacks() - before.fallbacks(), after.toString());
        assertEquals(4L * SIZE, after.aioBytes() - before.aioBytes(), after.toString());
        assertTrue(after.directReads() > before.directReads(), "evicted file read with O_DIRECT: " + after);
        assertEquals(before.blockingReads(), after.blockingReads(), after.toString());
        assertTrue(sleptOn.isEmpty(), "an event loop slept in the filesystem, in " + sleptOn);
    }

    @Test
    void httpSendFileGoesAsAFileRegionByteForByteWithoutTheLoopWaitingForTheDisk() throws Exception {
        AioChunkedWriteStats before = AioChunkedWriteHandler.totalStats();
        java.util.Set<String> sleptOn = new java.util.HashSet<>();
        List<Boolean> installed = assertServed(false, 2, sleptOn);
        assertEquals(List.of(false), installed, "plain HTTP: Vert.x adds no chunkedWriter, nothing to replace");
        assertEquals(before.aioInputs(), AioChunkedWriteHandler.totalStats().aioInputs());
        assertTrue(sleptOn.isEmpty(), "an event loop slept in the filesystem, in " + sleptOn);
    }
}

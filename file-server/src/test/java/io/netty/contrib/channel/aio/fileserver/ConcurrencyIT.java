/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 200 clients at once, each getting its file byte for byte, with raw sockets, the JDK HttpClient and curl. */
class ConcurrencyIT {
    private static final int CLIENTS = 200;
    /** Two loops: 100 connections each, so every loop multiplexes many responses. */
    private static final Servers SERVERS = new Servers("--threads", "2");

    @AfterAll
    static void stopServers() throws Exception {
        SERVERS.stopAllCleanly();
    }

    @OnEveryTransport
    void twoHundredConnectionsOpenAtOnceAllGetTheirFiles(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        byte[] expected = Files.readAllBytes(TestTree.file(TestTree.MEDIUM));
        // Every client connects, then all send together: 200 connections are open while the responses flow.
        CyclicBarrier allConnected = new CyclicBarrier(CLIENTS);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<byte[]>> bodies = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                bodies.add(pool.submit(() -> {
                    try (Http.RawConnection c = new Http.RawConnection(server.port)) {
                        allConnected.await(60, TimeUnit.SECONDS);
                        c.send("GET " + TestTree.MEDIUM + " HTTP/1.1\r\nHost: t\r\n\r\n");
                        Http.RawResponse r = c.read(false);
                        assertEquals(200, r.status);
                        return r.body;
                    }
                }));
            }
            for (Future<byte[]> f : bodies) {
                assertArrayEquals(expected, f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @OnEveryTransport
    void twoHundredConcurrentHttpClientRequests(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        byte[] expected = Files.readAllBytes(TestTree.file(TestTree.MEDIUM));
        List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            all.add(Http.CLIENT.sendAsync(Http.get(server.uri(TestTree.MEDIUM)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> f : all) {
            HttpResponse<byte[]> r = f.get(120, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertTrue(Arrays.equals(expected, r.body()), "body differs");
        }
    }

    @OnEveryTransport
    void curlWithTwoHundredParallelTransfers(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        Path dir = Files.createDirectories(TestTree.WORK.resolve("tmp/curl-" + transport));
        List<String> args = new ArrayList<>(List.of("--parallel", "--parallel-immediate", "--parallel-max",
                Integer.toString(CLIENTS), "--fail"));
        for (int i = 0; i < CLIENTS; i++) {
            args.addAll(List.of("--output", dir.resolve("out-" + i).toString(),
                    server.uri(TestTree.sized(TestTree.SIZES[i % TestTree.SIZES.length])).toString()));
        }
        Process p = Http.curl(args.toArray(new String[0]));
        String err = new String(p.getErrorStream().readAllBytes());
        assertEquals(0, p.waitFor(), err);
        for (int i = 0; i < CLIENTS; i++) {
            Path out = dir.resolve("out-" + i);
            assertArrayEquals(Files.readAllBytes(TestTree.file(TestTree.sized(TestTree.SIZES[i % TestTree.SIZES.length]))),
                    Files.readAllBytes(out), "transfer " + i);
            Files.delete(out);
        }
    }
}

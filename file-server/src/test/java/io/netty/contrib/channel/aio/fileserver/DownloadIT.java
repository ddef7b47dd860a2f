/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Whole-file downloads, byte for byte, from 0 B to 512 MiB, with the JDK's HttpClient and with curl. */
class DownloadIT {
    private static final Servers SERVERS = new Servers();

    @AfterAll
    static void stopServers() throws Exception {
        SERVERS.stopAllCleanly();
    }

    @OnEveryTransport
    void everySizeDownloadsByteExactWithHttpClient(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        for (long size : TestTree.SIZES) {
            HttpResponse<byte[]> r = Http.get(server, TestTree.sized(size));
            assertEquals(200, r.statusCode());
            assertEquals(size, r.headers().firstValueAsLong("content-length").orElse(-1));
            assertArrayEquals(Files.readAllBytes(TestTree.file(TestTree.sized(size))), r.body(), "size " + size);
        }
    }

    @OnEveryTransport
    void everySizeDownloadsByteExactWithCurl(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        for (long size : TestTree.SIZES) {
            Http.assertCurlDownload(server, TestTree.sized(size));
        }
    }

    @OnEveryTransport
    void sparse512MiBFileDownloadsByteExactWithHttpClientAndCurl(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        Http.assertDownload(server, TestTree.BIG);
        Http.assertCurlDownload(server, TestTree.BIG);
    }

    @OnEveryTransport
    void keepAliveConnectionServesManyFilesInARow(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        // curl reuses its connection for URLs of one command line; --write-out shows how many it opened.
        List<String> args = new ArrayList<>();
        for (long size : TestTree.SIZES) {
            args.addAll(List.of(server.uri(TestTree.sized(size)).toString(), "--output", "/dev/null"));
        }
        args.addAll(List.of("--write-out", "%{http_code}:%{size_download}:%{num_connects} "));
        Process p = Http.curl(args.toArray(new String[0]));
        String out = new String(p.getInputStream().readAllBytes()).trim();
        String err = new String(p.getErrorStream().readAllBytes());
        assertEquals(0, p.waitFor(), err);
        String[] results = out.split("\\s+");
        assertEquals(TestTree.SIZES.length, results.length, out);
        for (int k = 0; k < results.length; k++) {
            // The first transfer connects, all the others reuse that connection.
            assertEquals("200:" + TestTree.SIZES[k] + ':' + (k == 0 ? 1 : 0), results[k], out);
        }
    }
}

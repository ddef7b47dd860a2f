/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --precompressed}: {@code f.br} or {@code f.gz} served for {@code f} by Accept-Encoding, with
 * Content-Encoding, Vary, the file's content type, an ETag per coding, and ranges over the encoded bytes.
 */
class PrecompressedIT {
    private static final Servers SERVERS = new Servers("--precompressed");

    @AfterAll
    static void stopServers() {
        Servers.stopAllCleanly(SERVERS);
    }

    @OnEveryTransport
    void siblingsAreChosenByAcceptEncoding(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        Path dir = Files.createDirectories(TestTree.ROOT.resolve("pre-" + transport));
        byte[] page = "<!DOCTYPE html><p>precompressed page</p>\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        byte[] gz = gzip(page);
        // Not real brotli (the JDK has no encoder): the server never decodes, so any bytes show which file it sent.
        byte[] br = "pretend-brotli-bytes-of-the-page".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("page.html"), page);
        Files.write(dir.resolve("page.html.gz"), gz);
        Files.write(dir.resolve("page.html.br"), br);
        Files.write(dir.resolve("only-gz.css"), page);
        Files.write(dir.resolve("only-gz.css.gz"), gz);
        String path = "/pre-" + transport + "/page.html";

        HttpResponse<byte[]> identity = Http.get(server, path);
        assertArrayEquals(page, identity.body());
        assertFalse(identity.headers().firstValue("content-encoding").isPresent());
        assertEquals("accept-encoding", identity.headers().firstValue("vary").orElse("").toLowerCase());

        HttpResponse<byte[]> gzipped = Http.get(server, path, "Accept-Encoding", "gzip");
        assertEquals("gzip", gzipped.headers().firstValue("content-encoding").orElse(""));
        assertArrayEquals(gz, gzipped.body());
        assertArrayEquals(page, gunzip(gzipped.body()));
        assertTrue(gzipped.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertEquals("accept-encoding", gzipped.headers().firstValue("vary").orElse("").toLowerCase());
        assertEquals(gz.length, gzipped.headers().firstValueAsLong("content-length").orElse(-1));

        HttpResponse<byte[]> brotli = Http.get(server, path, "Accept-Encoding", "gzip, deflate, br");
        assertEquals("br", brotli.headers().firstValue("content-encoding").orElse(""));
        assertArrayEquals(br, brotli.body());
        assertArrayEquals(gz, Http.get(server, path, "Accept-Encoding", "gzip;q=0.8, br;q=0.2").body());
        assertArrayEquals(gz, Http.get(server, path, "Accept-Encoding", "br;q=0, *").body());
        assertArrayEquals(page, Http.get(server, path, "Accept-Encoding", "deflate, identity").body());
        assertArrayEquals(page, Http.get(server, path, "Accept-Encoding", "gzip;q=0").body());
        assertArrayEquals(gz, Http.get(server, "/pre-" + transport + "/only-gz.css", "Accept-Encoding", "br, gzip")
                .body());

        String identityTag = identity.headers().firstValue("etag").orElseThrow();
        String gzipTag = gzipped.headers().firstValue("etag").orElseThrow();
        String brTag = brotli.headers().firstValue("etag").orElseThrow();
        assertNotEquals(identityTag, gzipTag);
        assertNotEquals(gzipTag, brTag);
        assertEquals(304, Http.get(server, path, "Accept-Encoding", "gzip", "If-None-Match", gzipTag).statusCode());
        assertEquals(200, Http.get(server, path, "If-None-Match", gzipTag).statusCode());

        HttpResponse<byte[]> range = Http.get(server, path, "Accept-Encoding", "gzip", "Range", "bytes=10-29");
        assertEquals(206, range.statusCode());
        assertEquals("gzip", range.headers().firstValue("content-encoding").orElse(""));
        assertEquals("bytes 10-29/" + gz.length, range.headers().firstValue("content-range").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(gz, 10, 30), range.body());
        // Several ranges of a coded representation: the whole of it.
        HttpResponse<byte[]> ranges = Http.get(server, path, "Accept-Encoding", "gzip", "Range", "bytes=0-9,20-29");
        assertEquals(200, ranges.statusCode());
        assertArrayEquals(gz, ranges.body());

        HttpResponse<byte[]> head = Http.send(Http.get(server.uri(path)).header("Accept-Encoding", "gzip")
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertEquals(gz.length, head.headers().firstValueAsLong("content-length").orElse(-1));
        assertEquals("gzip", head.headers().firstValue("content-encoding").orElse(""));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] data) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }
}

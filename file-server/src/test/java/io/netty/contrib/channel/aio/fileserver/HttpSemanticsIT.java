/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ranges, HEAD, conditional requests, content types, error statuses, keep-alive and pipelining — over the wire, on
 * every transport.
 */
class HttpSemanticsIT {
    private static final Servers SERVERS = new Servers();
    private static final String FILE = TestTree.MEDIUM;
    private static final long LEN = (1 << 20) + 3;

    @AfterAll
    static void stopServers() throws Exception {
        SERVERS.stopAllCleanly();
    }

    private static HttpResponse<byte[]> range(ServerProcess server, String range) throws Exception {
        return Http.get(server, FILE, "Range", range);
    }

    private static void assertSingleRange(ServerProcess server, String header, long first, long last)
            throws Exception {
        HttpResponse<byte[]> r = range(server, header);
        assertEquals(206, r.statusCode(), header);
        assertEquals("bytes " + first + '-' + last + '/' + LEN, r.headers().firstValue("content-range").orElse(null));
        assertEquals(last - first + 1, r.headers().firstValueAsLong("content-length").orElse(-1));
        assertArrayEquals(TestTree.bytes(FILE, first, (int) (last - first + 1)), r.body(), header);
    }

    @OnEveryTransport
    void singleRangesReturnExactlyTheBytesAsked(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        assertSingleRange(server, "bytes=0-0", 0, 0);
        assertSingleRange(server, "bytes=0-4095", 0, 4095);
        assertSingleRange(server, "bytes=" + (LEN - 1) + '-' + (LEN - 1), LEN - 1, LEN - 1);
        assertSingleRange(server, "bytes=-1", LEN - 1, LEN - 1);
        assertSingleRange(server, "bytes=123456-654321", 123456, 654321);
        assertSingleRange(server, "bytes=-70000", LEN - 70000, LEN - 1);
        assertSingleRange(server, "bytes=1000000-", 1000000, LEN - 1);
        assertSingleRange(server, "bytes=1000000-99999999", 1000000, LEN - 1);
        assertSingleRange(server, "bytes=5000000-,10-19", 10, 19);
        // And with curl, which sends the same header for -r.
        Process p = Http.curl("-r", "4096-8191", server.uri(FILE).toString());
        byte[] body = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        assertArrayEquals(TestTree.bytes(FILE, 4096, 4096), body);
    }

    @OnEveryTransport
    void severalRangesComeAsMultipartByteranges(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        long[][] asked = {{0, 9}, {500000, 565535}, {LEN - 5, LEN - 1}, {100, 100}};
        HttpResponse<byte[]> r = range(server, "bytes=0-9, 500000-565535,-5,100-100");
        assertEquals(206, r.statusCode());
        String type = r.headers().firstValue("content-type").orElseThrow();
        Matcher m = Pattern.compile("^multipart/byteranges; boundary=(\\S+)$").matcher(type);
        assertTrue(m.matches(), type);
        assertEquals(r.body().length, r.headers().firstValueAsLong("content-length").orElse(-1));
        byte[] expected = multipart(m.group(1), asked);
        assertArrayEquals(expected, r.body(), "multipart body");
    }

    /** The multipart body RFC 9110 14.6 describes, built independently of the server's code. */
    private static byte[] multipart(String boundary, long[][] ranges) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < ranges.length; i++) {
            long first = ranges[i][0];
            long last = ranges[i][1];
            String head = (i > 0 ? "\r\n" : "") + "--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Range: bytes " + first + '-' + last + '/' + LEN + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(TestTree.bytes(FILE, first, (int) (last - first + 1)));
        }
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @OnEveryTransport
    void unsatisfiableRangesAre416WithTheLength(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        for (String header : new String[] {"bytes=" + LEN + '-', "bytes=" + (LEN + 100) + "-" + (LEN + 200),
                "bytes=-0"}) {
            HttpResponse<byte[]> r = range(server, header);
            assertEquals(416, r.statusCode(), header);
            assertEquals("bytes */" + LEN, r.headers().firstValue("content-range").orElse(null), header);
        }
        HttpResponse<byte[]> empty = Http.get(server, TestTree.sized(0), "Range", "bytes=0-");
        assertEquals(416, empty.statusCode());
        assertEquals("bytes */0", empty.headers().firstValue("content-range").orElse(null));
    }

    @OnEveryTransport
    void invalidOrStaleRangesGetTheWholeFile(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        byte[] whole = Files.readAllBytes(TestTree.file(FILE));
        for (String header : new String[] {"bytes=5-4", "lines=0-1", "bytes=x-y", "bytes=0-,0-"}) {
            HttpResponse<byte[]> r = range(server, header);
            assertEquals(200, r.statusCode(), header);
            assertArrayEquals(whole, r.body(), header);
        }
        String etag = Http.get(server, FILE).headers().firstValue("etag").orElseThrow();
        String lastModified = Http.get(server, FILE).headers().firstValue("last-modified").orElseThrow();
        assertEquals(206, Http.get(server, FILE, "Range", "bytes=0-9", "If-Range", etag).statusCode());
        assertEquals(206, Http.get(server, FILE, "Range", "bytes=0-9", "If-Range", lastModified).statusCode());
        HttpResponse<byte[]> stale = Http.get(server, FILE, "Range", "bytes=0-9", "If-Range", "\"stale\"");
        assertEquals(200, stale.statusCode());
        assertArrayEquals(whole, stale.body());
        assertEquals(200, Http.get(server, FILE, "Range", "bytes=0-9", "If-Range", "W/" + etag).statusCode());
    }

    @OnEveryTransport
    void headSendsTheHeadersOfGetAndNoBody(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            // HEAD then GET on one connection: a body after the HEAD response would corrupt the GET's.
            c.send("HEAD " + FILE + " HTTP/1.1\r\nHost: t\r\n\r\nGET " + TestTree.sized(4097)
                    + " HTTP/1.1\r\nHost: t\r\n\r\n");
            Http.RawResponse head = c.read(true);
            Http.RawResponse get = c.read(false);
            assertEquals(200, head.status);
            assertEquals(Long.toString(LEN), head.header("content-length"));
            assertEquals("application/octet-stream", head.header("content-type"));
            assertEquals("bytes", head.header("accept-ranges"));
            assertNotNull(head.header("etag"));
            assertNotNull(head.header("last-modified"));
            assertEquals(200, get.status);
            assertArrayEquals(Files.readAllBytes(TestTree.file(TestTree.sized(4097))), get.body);
            // HEAD of a missing file: 404 headers, no body either.
            c.send("HEAD /missing HTTP/1.1\r\nHost: t\r\n\r\nGET " + TestTree.sized(1) + " HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(404, c.read(true).status);
            Http.RawResponse after = c.read(false);
            assertEquals(200, after.status);
            assertEquals(1, after.body.length);
        }
        HttpResponse<Void> viaClient = Http.CLIENT.send(HttpRequest.newBuilder(server.uri(FILE))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, viaClient.statusCode());
        assertEquals(LEN, viaClient.headers().firstValueAsLong("content-length").orElse(-1));
    }

    @OnEveryTransport
    void conditionalRequestsGet304WhenTheFileIsUnchanged(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        HttpResponse<byte[]> first = Http.get(server, FILE);
        String etag = first.headers().firstValue("etag").orElseThrow();
        String lastModified = first.headers().firstValue("last-modified").orElseThrow();

        HttpResponse<byte[]> byTag = Http.get(server, FILE, "If-None-Match", etag);
        assertEquals(304, byTag.statusCode());
        assertEquals(0, byTag.body().length);
        assertEquals(etag, byTag.headers().firstValue("etag").orElse(null));
        assertEquals(304, Http.get(server, FILE, "If-None-Match", "\"other\", " + etag).statusCode());
        assertEquals(304, Http.get(server, FILE, "If-None-Match", "*").statusCode());
        assertEquals(304, Http.get(server, FILE, "If-Modified-Since", lastModified).statusCode());

        assertEquals(200, Http.get(server, FILE, "If-None-Match", "\"other\"").statusCode());
        assertEquals(200, Http.get(server, FILE, "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").statusCode());
        // If-None-Match wins over If-Modified-Since.
        assertEquals(200, Http.get(server, FILE, "If-None-Match", "\"other\"", "If-Modified-Since", lastModified)
                .statusCode());
        assertEquals(200, Http.get(server, FILE, "If-Modified-Since", "not a date").statusCode());
    }

    @OnEveryTransport
    void contentTypeComesFromTheExtension(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        String[][] expected = {{"/types/page.html", "text/html; charset=utf-8"}, {"/types/style.css",
                "text/css; charset=utf-8"}, {"/types/data.json", "application/json"}, {"/types/image.PNG",
                "image/png"}, {"/types/noextension", "application/octet-stream"}};
        for (String[] e : expected) {
            HttpResponse<byte[]> r = Http.get(server, e[0]);
            assertEquals(200, r.statusCode(), e[0]);
            assertEquals(e[1], r.headers().firstValue("content-type").orElse(null), e[0]);
            assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElse(null));
        }
    }

    @OnEveryTransport
    void errorsHaveTheirStatus(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        assertEquals(404, Http.get(server, "/no/such/file").statusCode());
        assertEquals(404, Http.get(server, TestTree.sized(1) + "/below-a-file").statusCode());
        for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
            HttpResponse<byte[]> r = Http.send(Http.get(server.uri(FILE))
                    .method(method, HttpRequest.BodyPublishers.ofString("x")));
            assertEquals(405, r.statusCode(), method);
            assertEquals("GET, HEAD", r.headers().firstValue("allow").orElse(null), method);
        }
        char[] longPath = new char[FileServer.MAX_REQUEST_LINE + 10];
        Arrays.fill(longPath, 'a');
        Http.RawResponse tooLong = Http.raw(server.port, "GET /" + new String(longPath) + " HTTP/1.1\r\nHost: t\r\n\r\n");
        assertEquals(414, tooLong.status);
        char[] bigHeader = new char[FileServer.MAX_HEADER_SIZE + 10];
        Arrays.fill(bigHeader, 'b');
        Http.RawResponse tooBig = Http.raw(server.port, "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + new String(bigHeader)
                + "\r\n\r\n");
        assertEquals(431, tooBig.status);
        assertEquals(400, Http.raw(server.port, "GARBAGE\r\n\r\n").status);
        // A directory without its slash is redirected to the canonical form.
        HttpResponse<byte[]> redirect = Http.get(server, "/types");
        assertEquals(301, redirect.statusCode());
        assertEquals("/types/", redirect.headers().firstValue("location").orElse(null));
        assertEquals("/types/", Http.get(server, "//types").headers().firstValue("location").orElse(null));
    }

    @OnEveryTransport
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        StringBuilder requests = new StringBuilder();
        int n = 40; // more than the server lets wait before it stops reading
        for (int i = 0; i < n; i++) {
            requests.append("GET ").append(TestTree.sized(TestTree.SIZES[i % 6]))
                    .append(" HTTP/1.1\r\nHost: t\r\n\r\n");
        }
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            c.send(requests.toString());
            for (int i = 0; i < n; i++) {
                Http.RawResponse r = c.read(false);
                assertEquals(200, r.status, "response " + i);
                assertArrayEquals(Files.readAllBytes(TestTree.file(TestTree.sized(TestTree.SIZES[i % 6]))), r.body,
                        "response " + i);
            }
            // Still open: keep-alive.
            c.send("GET " + TestTree.sized(1) + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            Http.RawResponse last = c.read(false);
            assertEquals("close", last.header("connection"));
            assertTrue(c.closedByServer(), "Connection: close honoured");
        }
    }

    @OnEveryTransport
    void http10ClosesUnlessKeepAliveIsAsked(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            c.send("GET " + TestTree.sized(4096) + " HTTP/1.0\r\n\r\n");
            assertEquals(4096, c.read(false).body.length);
            assertTrue(c.closedByServer());
        }
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            c.send("GET " + TestTree.sized(4096) + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Http.RawResponse r = c.read(false);
            assertEquals("keep-alive", r.header("connection"));
            c.send("GET " + TestTree.sized(1) + " HTTP/1.0\r\n\r\n");
            assertEquals(1, c.read(false).body.length);
            assertTrue(c.closedByServer());
        }
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Request smuggling, on every transport: heads a proxy in front could frame otherwise than the server does, each
 * with a second request hidden where the body would be. Every one is answered 400 and its connection closed: one
 * response, never the hidden request's, and an access-log line for the refusal.
 */
class SmugglingIT {
    private static final Servers SERVERS = new Servers("--access-log");

    /** The request hidden in each body: answered, it would be a 200 with one byte. */
    private static final String HIDDEN = "GET " + TestTree.sized(1) + " HTTP/1.1\r\nHost: t\r\n\r\n";
    private static final int N = HIDDEN.length();

    /** Name to bytes sent; the outer request's URI is /case-NAME, so its access-log line can be found. */
    private static final Map<String, String> CORPUS = new LinkedHashMap<>();

    static {
        String hex = Integer.toHexString(N);
        head("cl-te", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + HIDDEN);
        head("te-cl", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + HIDDEN);
        head("te-xchunked", "Transfer-Encoding: xchunked\r\n\r\n" + HIDDEN);
        head("te-chunked-identity", "Transfer-Encoding: chunked, identity\r\n\r\n" + HIDDEN);
        head("te-identity", "Transfer-Encoding: identity\r\n\r\n" + HIDDEN);
        head("te-twice", "Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n" + HIDDEN);
        head("te-space-before-colon", "Transfer-Encoding : chunked\r\n\r\n" + HIDDEN);
        head("te-chunked-body", "Transfer-Encoding: chunked\r\n\r\n" + hex + "\r\n" + HIDDEN + "\r\n0\r\n\r\n"
                + HIDDEN);
        head("cl-body", "Content-Length: " + N + "\r\n\r\n" + HIDDEN + HIDDEN);
        head("cl-twice", "Content-Length: 0\r\nContent-Length: " + N + "\r\n\r\n" + HIDDEN);
        head("cl-twice-equal", "Content-Length: " + N + "\r\nContent-Length: " + N + "\r\n\r\n" + HIDDEN);
        head("cl-list", "Content-Length: 0, " + N + "\r\n\r\n" + HIDDEN);
        head("cl-signed", "Content-Length: +" + N + "\r\n\r\n" + HIDDEN);
        head("cl-negative", "Content-Length: -1\r\n\r\n" + HIDDEN);
        head("cl-trailing-junk", "Content-Length: " + N + "x\r\n\r\n" + HIDDEN);
        head("obs-fold-te", "X-A: 1\r\n Transfer-Encoding: chunked\r\n\r\n" + HIDDEN);
        head("obs-fold-cl-htab", "X-A: 1\r\n\tContent-Length: " + N + "\r\n\r\n" + HIDDEN);
        head("obs-fold-value", "X-A: 1\r\n 2\r\n\r\n" + HIDDEN);
        CORPUS.put("obs-fold-first-line", "GET /case-obs-fold-first-line HTTP/1.1\r\n Transfer-Encoding: chunked\r\n"
                + "Host: t\r\n\r\n" + HIDDEN);
        CORPUS.put("bare-lf", "GET /case-bare-lf HTTP/1.1\nHost: t\nContent-Length: " + N + "\n\n" + HIDDEN);
        CORPUS.put("bare-lf-in-fields", "GET /case-bare-lf-in-fields HTTP/1.1\r\nHost: t\nContent-Length: " + N
                + "\r\n\r\n" + HIDDEN);
        CORPUS.put("http10-te", "GET /case-http10-te HTTP/1.0\r\nConnection: keep-alive\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + HIDDEN);
        CORPUS.put("head-cl", "HEAD /case-head-cl HTTP/1.1\r\nHost: t\r\nContent-Length: " + N + "\r\n\r\n" + HIDDEN);
        CORPUS.put("head-te", "HEAD /case-head-te HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + HIDDEN);
    }

    private static void head(String name, String rest) {
        CORPUS.put(name, "GET /case-" + name + " HTTP/1.1\r\nHost: t\r\n" + rest);
    }

    @AfterAll
    static void stopServers() throws Exception {
        SERVERS.stopAllCleanly();
    }

    /** Sends {@code bytes} at once; asserts one 400 with Connection: close, then nothing but the close. */
    private static void assertOneRefusalThenClose(ServerProcess server, String name, String bytes) throws Exception {
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            c.send(bytes);
            Http.RawResponse r = c.read(bytes.startsWith("HEAD "));
            assertEquals(400, r.status, name + ": " + r);
            assertEquals("close", r.header("connection"), name);
            assertEquals(0, c.readToEnd(), name + ": bytes after the refusal (a second response)");
        }
    }

    @OnEveryTransport
    void everyAmbiguousFramingIsRefusedAndClosed(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        for (Map.Entry<String, String> e : CORPUS.entrySet()) {
            assertOneRefusalThenClose(server, e.getKey(), e.getValue());
        }
        for (String name : CORPUS.keySet()) {
            // A bare LF in the request line leaves the codec no request line: Netty names it /bad-request.
            String uri = name.equals("bare-lf") ? "/bad-request" : "/case-" + name + " ";
            server.awaitLine(l -> l.contains(uri) && l.contains("\" 400 "), "the access-log line of " + name, 30,
                    TimeUnit.SECONDS);
        }
    }

    @OnEveryTransport
    void requestsPipelinedAheadOfASmuggledOneAreStillAnswered(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        for (String name : new String[] {"te-xchunked", "obs-fold-te", "cl-body", "bare-lf-in-fields"}) {
            try (Http.RawConnection c = new Http.RawConnection(server.port)) {
                c.send(HIDDEN + "\r\n" + HIDDEN + CORPUS.get(name));
                for (int i = 0; i < 2; i++) {
                    Http.RawResponse ok = c.read(false);
                    assertEquals(200, ok.status, name + ": pipelined request " + i);
                    assertEquals(1, ok.body.length, name);
                }
                Http.RawResponse refused = c.read(false);
                assertEquals(400, refused.status, name + ": " + refused);
                assertEquals(0, c.readToEnd(), name + ": bytes after the refusal (a second response)");
            }
        }
    }

    @OnEveryTransport
    void emptyBodiesAndFieldsWithInnerWhitespaceKeepTheConnection(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            c.send("GET " + TestTree.sized(1) + " HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n"
                    + "User-Agent: a b\tc\r\n\r\n" + HIDDEN);
            for (int i = 0; i < 2; i++) {
                Http.RawResponse r = c.read(false);
                assertEquals(200, r.status, "request " + i);
                assertEquals(null, r.header("connection"), "kept alive");
            }
        }
    }
}

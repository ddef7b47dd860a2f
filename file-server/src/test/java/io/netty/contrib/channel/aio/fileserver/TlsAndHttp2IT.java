/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTPS and HTTP/2 (over TLS by ALPN, and h2c with prior knowledge): byte-exact downloads with curl, the JDK's
 * HttpClient and h2load; the HTTP/1.1 semantics over HTTP/2; stream resets mid-body; session resumption; the
 * JDK provider; and the startup errors of a bad certificate or key. Leaks are caught when the servers stop.
 */
class TlsAndHttp2IT {
    private static final Servers TLS = new Servers(TlsFiles.serverArgs());
    private static final Servers CLEARTEXT = new Servers();
    private static final Servers JDK_TLS = new Servers(concat(TlsFiles.serverArgs(), "--tls-provider", "jdk"));
    private static final long[] SIZES = {0, 1, 4097, 65537, (1 << 20) + 3, 16 << 20};

    @AfterAll
    static void stopServers() {
        Servers.stopAllCleanly(TLS, CLEARTEXT, JDK_TLS);
    }

    private static ServerProcess tls(String transport) throws Exception {
        TlsFiles.ensureMade();
        return TLS.get(transport);
    }

    @OnEveryTransport
    void httpsAndHttp2DownloadsAreByteExact(String transport) throws Exception {
        ServerProcess server = tls(transport);
        ServerProcess cleartext = CLEARTEXT.get(transport);
        String cacert = TlsFiles.CERT.toString();
        for (long size : SIZES) {
            String path = TestTree.sized(size);
            Http.assertCurlDownload(server, path, "--cacert", cacert, "--http1.1");
            Http.assertCurlDownload(server, path, "--cacert", cacert, "--http2");
            Http.assertCurlDownload(cleartext, path, "--http2-prior-knowledge");
            HttpResponse<InputStream> r = TlsFiles.http2Client().send(
                    Http.get(server.uri(path)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                assertEquals(HttpClient.Version.HTTP_2, r.version());
                assertEquals(200, r.statusCode());
                TestTree.assertStreamEquals(TestTree.file(path), 0, size, in, transport + " h2 HttpClient " + path);
            }
        }
        // curl says which protocol it spoke.
        for (String[] how : new String[][] {{"--http2", "2"}, {"--http1.1", "1.1"}}) {
            Process p = Http.curl("--cacert", cacert, how[0], "--output", "/dev/null", "--write-out",
                    "%{http_version}", server.uri(TestTree.sized(1)).toString());
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            Http.assertCurlSucceeded(p, 60, "curl " + how[0]);
            assertEquals(how[1], version);
        }
    }

    @OnEveryTransport
    void h2loadDownloadsEveryByteOverManyStreams(String transport) throws Exception {
        ServerProcess server = tls(transport);
        int requests = 96;
        long size = 65537;
        for (ServerProcess s : List.of(server, CLEARTEXT.get(transport))) {
            String out = TlsFiles.run("h2load", "-n", Integer.toString(requests), "-c", "2", "-m", "8",
                    s.uri(TestTree.sized(size)).toString());
            assertTrue(out.contains(requests + " succeeded, 0 failed, 0 errored"), out);
            assertTrue(out.contains(requests + " 2xx"), out);
            Matcher m = Pattern.compile("\\((\\d+)\\) data").matcher(out);
            assertTrue(m.find(), out);
            assertEquals(requests * size, Long.parseLong(m.group(1)), out);
        }
    }

    @OnEveryTransport
    void http2KeepsRangesConditionalsHeadListingsAndIndex(String transport) throws Exception {
        ServerProcess server = tls(transport);
        HttpClient h2 = TlsFiles.http2Client();
        String path = TestTree.MEDIUM;

        HttpResponse<byte[]> range = h2.send(Http.get(server.uri(path)).header("Range", "bytes=1000-1999").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(HttpClient.Version.HTTP_2, range.version());
        assertEquals(206, range.statusCode());
        assertEquals("bytes 1000-1999/" + ((1 << 20) + 3), range.headers().firstValue("content-range").orElse(""));
        assertArrayEquals(TestTree.bytes(path, 1000, 1000), range.body());

        HttpResponse<byte[]> multi = h2.send(Http.get(server.uri(path)).header("Range", "bytes=0-9,500-509").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, multi.statusCode());
        assertTrue(multi.headers().firstValue("content-type").orElse("").startsWith("multipart/byteranges"));
        String body = new String(multi.body(), StandardCharsets.ISO_8859_1);
        assertTrue(body.contains(new String(TestTree.bytes(path, 500, 10), StandardCharsets.ISO_8859_1)));

        HttpResponse<byte[]> full = h2.send(Http.get(server.uri(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String etag = full.headers().firstValue("etag").orElseThrow();
        HttpResponse<byte[]> notModified = h2.send(Http.get(server.uri(path)).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, notModified.statusCode());
        assertEquals(0, notModified.body().length);

        HttpResponse<byte[]> unsatisfiable = h2.send(Http.get(server.uri(path)).header("Range", "bytes=9999999-")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(416, unsatisfiable.statusCode());

        HttpResponse<byte[]> head = h2.send(Http.get(server.uri(path)).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals((1 << 20) + 3, head.headers().firstValueAsLong("content-length").orElse(-1));

        HttpResponse<String> listing = h2.send(Http.get(server.uri("/types/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, listing.statusCode());
        assertTrue(listing.body().contains("style.css"), listing.body());

        HttpResponse<String> index = h2.send(Http.get(server.uri("/site/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(TestTree.SITE_INDEX, index.body());
        HttpResponse<String> redirect = h2.send(Http.get(server.uri("/site")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(301, redirect.statusCode());
        assertEquals(404, h2.send(Http.get(server.uri("/no-such-file")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(403, h2.send(Http.get(server.uri("/links/outside-link.txt")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(405, h2.send(Http.get(server.uri(path)).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    /**
     * The JDK's client resets a stream whose body stream is closed before the end (RST_STREAM CANCEL): each
     * reset response releases its buffers and file (the leak check when the server stops), and the connection
     * keeps serving.
     */
    @OnEveryTransport
    void streamResetsMidBodyReleaseEverythingAndTheConnectionServesOn(String transport) throws Exception {
        ServerProcess server = tls(transport);
        HttpClient h2 = TlsFiles.http2Client();
        for (int i = 0; i < 16; i++) {
            HttpResponse<InputStream> r = h2.send(Http.get(server.uri(TestTree.LARGE)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            try (InputStream in = r.body()) {
                assertEquals(100_000, in.readNBytes(100_000).length);
            }
        }
        HttpResponse<InputStream> whole = h2.send(Http.get(server.uri(TestTree.LARGE)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = whole.body()) {
            TestTree.assertStreamEquals(TestTree.file(TestTree.LARGE), 0, 16 << 20, in, transport + " after resets");
        }
        // curl cut off mid-body (--max-filesize does not apply to a known length; a range of the whole
        // read partly and the process killed does): the connection is reset under open streams.
        Process curl = Http.curl("--cacert", TlsFiles.CERT.toString(), "--http2", "--limit-rate", "1M",
                server.uri(TestTree.LARGE).toString());
        try (InputStream in = curl.getInputStream()) {
            assertEquals(200_000, in.readNBytes(200_000).length);
        }
        curl.destroyForcibly().waitFor();
        Http.assertCurlDownload(server, TestTree.sized(4097), "--cacert", TlsFiles.CERT.toString(), "--http2");
    }

    @Test
    void tlsSessionsAreResumed() throws Exception {
        ServerProcess server = tls("aio");
        for (ServerProcess s : List.of(server, JDK_TLS.get("aio"))) {
            for (String version : new String[] {"-tls1_2", "-tls1_3"}) {
                java.nio.file.Path session = TlsFiles.DIR.resolve("session" + version);
                Files.deleteIfExists(session);
                String first = sClient(s.port, version, "-sess_out", session.toString());
                assertTrue(first.contains("New, TLSv1."), first);
                String second = sClient(s.port, version, "-sess_in", session.toString());
                assertTrue(second.contains("Reused, TLSv1."), second);
            }
        }
    }

    @Test
    void jdkProviderServesHttpsAndHttp2() throws Exception {
        TlsFiles.ensureMade();
        ServerProcess server = JDK_TLS.get("aio");
        assertTrue(server.output().contains("tls=JDK"), server.output());
        Http.assertCurlDownload(server, TestTree.MEDIUM, "--cacert", TlsFiles.CERT.toString(), "--http2");
        Http.assertCurlDownload(server, TestTree.MEDIUM, "--cacert", TlsFiles.CERT.toString(), "--http1.1");
    }

    @Test
    void badCertificatesAndKeysAreClearStartupErrors() throws Exception {
        TlsFiles.ensureMade();
        String root = TestTree.ROOT.toString();
        String cert = TlsFiles.CERT.toString();
        String key = TlsFiles.KEY.toString();
        assertStartupError("certificate expired on 2020-01-03", "--root", root, "--tls-cert",
                TlsFiles.EXPIRED_CERT.toString(), "--tls-key", TlsFiles.EXPIRED_KEY.toString());
        assertStartupError("--tls-cert " + TlsFiles.DIR.resolve("missing.pem") + ": no such file", "--root", root,
                "--tls-cert", TlsFiles.DIR.resolve("missing.pem").toString(), "--tls-key", key);
        assertStartupError("this key does not belong to the certificate", "--root", root, "--tls-cert", cert,
                "--tls-key", TlsFiles.EXPIRED_KEY.toString());
        assertStartupError("only unencrypted PKCS#8", "--root", root, "--tls-cert", cert, "--tls-key",
                TlsFiles.PKCS1_KEY.toString());
        assertStartupError("no certificate in it", "--root", root, "--tls-cert", key, "--tls-key", key);
        assertStartupError("--tls-cert needs --tls-key", "--root", root, "--tls-cert", cert);
    }

    private static void assertStartupError(String expected, String... args) throws Exception {
        ServerProcess.Result r = ServerProcess.run(args);
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertTrue(!r.out().contains("listening"), r.out());
    }

    private static String sClient(int port, String version, String... sessionArgs) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                version, "-alpn", "http/1.1", "-ign_eof"));
        cmd.addAll(List.of(sessionArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // A whole exchange, the server closing: a TLS 1.3 ticket arrives after the handshake, and s_client
        // saves the session only once it has read it.
        p.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "s_client hangs");
        return out;
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static {
        // HttpClient's h2 over a connection it keeps: no idle shutdown in the middle of a test.
        System.setProperty("jdk.httpclient.keepalive.timeout", Long.toString(Duration.ofMinutes(10).toSeconds()));
    }
}

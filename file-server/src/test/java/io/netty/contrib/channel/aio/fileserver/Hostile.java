/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the hostile-client tests share: servers of their own, a normal client, and the server's descriptors and the
 * objects a client makes it keep (connections, streams, requests, HPACK entries) back to their baseline.
 */
final class Hostile {
    static final String SMALL = TestTree.sized(4097);

    private Hostile() {
    }

    /** A server of the test's own (its shutdown line is read), over TLS when {@code tls}. */
    static ServerProcess start(String transport, boolean tls, String... args) throws Exception {
        List<String> all = new ArrayList<>();
        if (tls) {
            TlsFiles.ensureMade();
            all.addAll(List.of(TlsFiles.serverArgs()));
        }
        all.addAll(List.of(args));
        return ServerProcess.start(transport, all.toArray(new String[0]));
    }

    /** A normal client's GET of a small file on a new connection: answered, every byte there. */
    static void assertNormalGet(ServerProcess server) throws Exception {
        if (server.scheme.equals("https")) {
            Process curl = Http.curl("--insecure", "--http2", "--output", "/dev/null", "--write-out",
                    "%{http_code} %{size_download}", server.uri(SMALL).toString());
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            Http.assertCurlSucceeded(curl, 60, "a normal client during the attack");
            assertEquals("200 4097", out);
            return;
        }
        Http.RawResponse r = Http.raw(server.port, "GET " + SMALL + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertEquals(200, r.status);
        assertEquals(4097, r.body.length);
    }

    /**
     * The classes whose instances a client makes the server keep, one or more per connection, stream or request
     * (a class not loaded counts 0): after an attack, their live counts must be back where they were.
     */
    private static final List<String> PER_CLIENT_CLASSES = List.of(
            "io.netty.contrib.channel.aio.fileserver.HttpFileHandler",
            "io.netty.contrib.channel.aio.fileserver.Http2Guard",
            "io.netty.contrib.channel.aio.fileserver.SendRateGuard",
            "io.netty.contrib.channel.aio.fileserver.ObsFoldGuard",
            "io.netty.handler.codec.http2.DefaultHttp2Connection",
            "io.netty.handler.codec.http2.DefaultHttp2Connection$DefaultStream",
            "io.netty.handler.codec.http2.HpackEncoder$HeaderEntry",
            "io.netty.handler.codec.http.DefaultHttpRequest",
            "io.netty.handler.codec.http.DefaultFullHttpRequest",
            "io.netty.handler.ssl.SslHandler");

    /** The server's open descriptors and its live {@link #PER_CLIENT_CLASSES} instances at one moment. */
    record Baseline(int fds, Map<String, Long> objects) {
    }

    /** The baseline the server must come back to once an attack is over. */
    static Baseline baseline(ServerProcess server) throws Exception {
        // jcmd first: its first attach makes the server open its attach listener's socket, for good.
        Map<String, Long> objects = liveObjects(server);
        return new Baseline(server.fdCount(), objects);
    }

    /**
     * Waits until the server holds no more descriptors, and no more live instances of each per-client class, than
     * at {@code baseline} (failing after a minute): what the attack made it hold was all let go.
     */
    static void awaitBaseline(ServerProcess server, Baseline baseline) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.fdCount() > baseline.fds()) {
            assertTrue(System.nanoTime() < deadline, "descriptors never came back: " + server.fdCount()
                    + " against a baseline of " + baseline.fds());
            Thread.sleep(50);
        }
        while (true) {
            Map<String, Long> now = liveObjects(server);
            List<String> above = new ArrayList<>();
            for (String c : PER_CLIENT_CLASSES) {
                if (now.get(c) > baseline.objects().get(c)) {
                    above.add(c + ": " + now.get(c) + " against " + baseline.objects().get(c));
                }
            }
            if (above.isEmpty()) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "objects the attack made the server keep: " + above);
            Thread.sleep(500);
        }
    }

    /**
     * Live instances of each of {@link #PER_CLIENT_CLASSES} in the server, from {@code jcmd GC.class_histogram}
     * (which runs a full collection first, so only reachable objects count).
     */
    private static Map<String, Long> liveObjects(ServerProcess server) throws Exception {
        String out = server.jcmd("GC.class_histogram");
        // "   7:          1024          32768  io.netty.Foo" (a module in parentheses after a JDK class)
        Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(\\S+)", Pattern.MULTILINE);
        Map<String, Long> all = new HashMap<>();
        Matcher m = row.matcher(out);
        while (m.find()) {
            all.put(m.group(2), Long.parseLong(m.group(1)));
        }
        assertTrue(all.containsKey("java.lang.String"), "no histogram in: " + out);
        Map<String, Long> counts = new HashMap<>();
        for (String c : PER_CLIENT_CLASSES) {
            counts.put(c, all.getOrDefault(c, 0L));
        }
        return counts;
    }

    /** Stops the server cleanly (no leak report, nothing logged at WARNING) and returns its shutdown line. */
    static String stop(ServerProcess server) throws Exception {
        server.stopCleanly();
        for (String l : server.lines()) {
            if (l.startsWith(FileServerCommand.NAME + ": stopped")) {
                return l;
            }
        }
        throw new AssertionError("no shutdown line:\n" + server.output());
    }

    /** A count the shutdown line reports, from the words before {@code label}. */
    static long reported(String shutdownLine, String label) {
        Matcher m = Pattern.compile("(\\d+) " + Pattern.quote(label)).matcher(shutdownLine);
        assertTrue(m.find(), "'" + label + "' in: " + shutdownLine);
        return Long.parseLong(m.group(1));
    }
}

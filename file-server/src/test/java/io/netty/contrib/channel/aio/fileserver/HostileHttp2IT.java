/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Settings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * HTTP/2 bounds a hostile client pushes on (issue 28), each attack made with {@link H2Client} (frames of the
 * test's choosing) over h2c and, where the attack concerns the connection, h2 over TLS; on every transport. Each
 * test also has a normal client served during the attack, and the server's descriptors and per-client objects
 * back to their baseline after it; each server is stopped with a leak check. Rounds of the attacking client are bounded only to turn a
 * server that never cuts it into a failure instead of a hang.
 */
class HostileHttp2IT {
    private static final int GUARD_ROUNDS = 60;

    /**
     * Streams whose window the client keeps at 0, the client sending a PING every second: each stream is reset at
     * its deadline (--idle-timeout), then the connection, left without streams, is closed with a GOAWAY; the files
     * and buffers the streams held are released (descriptors back, no leak report).
     */
    @OnEveryTransport
    void streamsStalledByAClosedWindowAreResetDespitePings(String transport) throws Exception {
        for (boolean tls : new boolean[] {false, true}) {
            try (ServerProcess server = Hostile.start(transport, tls, "--idle-timeout", "2", "--min-send-rate",
                    "off")) {
                Hostile.assertNormalGet(server);
                Hostile.Baseline baseline = Hostile.baseline(server);
                int streams = 8;
                try (H2Client c = H2Client.connect(server, new Http2Settings().initialWindowSize(0))) {
                    for (int i = 0; i < streams; i++) {
                        c.get(1 + 2 * i, TestTree.LARGE);
                    }
                    c.flush();
                    assertTrue(c.readUntil(() -> c.status.size() == streams), "every stream answered its head");
                    System.out.println(transport + (tls ? " h2" : " h2c") + ": descriptors " + baseline.fds()
                            + " before, " + server.fdCount() + " with " + streams + " stalled streams");
                    Hostile.assertNormalGet(server);
                    pingUntilClosed(c);
                    assertEquals(streams, c.resets.size(), "every stalled stream was reset: " + c.resets);
                    assertEquals(Http2Error.NO_ERROR.code(), (long) c.goAwayError, "GOAWAY once no stream was left");
                    assertTrue(c.pingAcks > 0, "the PINGs were answered");
                }
                Hostile.awaitBaseline(server, baseline);
                Hostile.stop(server);
            }
        }
    }

    /**
     * Connections each opening many streams for a file they grant no window for, so that every response stalls:
     * on each, only as many responses as {@code --http2-response-memory} holds are answered (their heads arrive;
     * the other streams wait, holding no file and no buffer), so the server's descriptors grow by at most that
     * many responses per connection, whatever SETTINGS_MAX_CONCURRENT_STREAMS allows; a normal client is served
     * meanwhile. Once one connection grants window, its waiting streams are answered in turn, every byte there;
     * closing the clients brings the descriptors back.
     */
    @OnEveryTransport
    void stalledStreamsHoldAtMostWhatTheConnectionsResponseMemoryAllows(String transport) throws Exception {
        int connections = 3;
        int streams = 48;
        long size = (1 << 20) + 3;
        for (boolean tls : new boolean[] {false, true}) {
            try (ServerProcess server = Hostile.start(transport, tls, "--idle-timeout", "60", "--min-send-rate",
                    "off", "--http2-response-memory", "1m")) {
                int perConnection = responsesPerConnection(server);
                assertTrue(perConnection < streams / 4, perConnection + " responses per connection: the test "
                        + "needs streams that wait");
                Hostile.assertNormalGet(server);
                Hostile.Baseline baseline = Hostile.baseline(server);
                List<H2Client> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < connections; i++) {
                        H2Client c = H2Client.connect(server, new Http2Settings().initialWindowSize(0));
                        clients.add(c);
                        for (int s = 0; s < streams; s++) {
                            c.get(1 + 2 * s, TestTree.MEDIUM);
                        }
                        c.flush();
                    }
                    for (H2Client c : clients) {
                        assertTrue(c.readUntil(() -> c.status.size() >= perConnection), "heads: " + c.status);
                        c.readAllFor(1000); // any head beyond the bound would come now
                        assertEquals(perConnection, c.status.size(), "responses under way on one connection");
                        assertTrue(c.resets.isEmpty(), "no stream reset: " + c.resets);
                    }
                    int held = server.fdCount() - baseline.fds();
                    System.out.println(transport + (tls ? " h2" : " h2c") + ": " + perConnection
                            + " responses per connection, descriptors " + baseline.fds() + " before, " + held
                            + " more with " + connections + " x " + streams + " stalled streams");
                    // A connection's socket, and a response's file (on aio, also its O_DIRECT twin).
                    assertTrue(held <= connections * (1 + 2 * perConnection), held + " descriptors held");
                    Hostile.assertNormalGet(server);

                    H2Client first = clients.get(0);
                    first.windowUpdate(0, 1 << 30);
                    for (int s = 0; s < streams; s++) {
                        first.windowUpdate(1 + 2 * s, 2 << 20);
                    }
                    first.flush();
                    assertTrue(first.readUntil(() -> first.ended.size() == streams), "ended: " + first.ended.size()
                            + ", resets " + first.resets + ", GOAWAY " + first.goAwayError);
                    for (int s = 0; s < streams; s++) {
                        assertEquals(200, first.status.get(1 + 2 * s));
                        assertEquals(size, first.dataBytes.get(1 + 2 * s), "bytes of stream " + (1 + 2 * s));
                    }
                } finally {
                    for (H2Client c : clients) {
                        c.close();
                    }
                }
                Hostile.awaitBaseline(server, baseline);
                String line = Hostile.stop(server);
                assertEquals(perConnection, Hostile.reported(line.replace("at most ", ""),
                        "HTTP/2 response(s) at once on one connection"), line);
                assertTrue(Hostile.reported(line, "stream(s) waited their turn")
                        >= (long) connections * (streams - perConnection), line);
            }
        }
    }

    /** The responses one HTTP/2 connection may have under way, as the server's startup line states. */
    private static int responsesPerConnection(ServerProcess server) {
        for (String l : server.lines()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("http2-responses-per-connection=(\\d+)")
                    .matcher(l);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no http2-responses-per-connection in:\n" + server.output());
    }

    /**
     * A client that grants 4 KiB of window a second (below --min-send-rate 64k) keeps its stream progressing
     * within the stream deadline, but the send-rate guard counts the seconds its response waits on flow control:
     * the connection is cut within the rate window.
     */
    @OnEveryTransport
    void aWindowOpenedByATrickleIsCutByTheSendRate(String transport) throws Exception {
        try (ServerProcess server = Hostile.start(transport, false, "--min-send-rate", "64k",
                "--send-rate-window", "2")) {
            Hostile.assertNormalGet(server);
            Hostile.Baseline baseline = Hostile.baseline(server);
            try (H2Client c = H2Client.connect(server, new Http2Settings().initialWindowSize(0))) {
                c.get(1, TestTree.LARGE);
                c.flush();
                assertTrue(c.readUntil(() -> c.status.containsKey(1)));
                Hostile.assertNormalGet(server);
                int rounds = 0;
                while (!c.closed) {
                    assertTrue(++rounds < GUARD_ROUNDS, "a client granting 4 KiB/s was never cut");
                    try {
                        c.windowUpdate(1, 4096);
                        c.flush();
                    } catch (IOException closed) {
                        break;
                    }
                    c.readAllFor(1000);
                }
                assertFalse(c.resets.containsKey(1), "cut by the rate, not by the stream deadline");
            }
            Hostile.awaitBaseline(server, baseline);
            String line = Hostile.stop(server);
            assertEquals(1, Hostile.reported(line, "cut below --min-send-rate"), line);
        }
    }

    /**
     * 300 connections without streams, each sending a PING a second, on a server allowing 301: each is closed at
     * the idle timeout (GOAWAY, then the close), a normal client is served meanwhile, and every descriptor comes
     * back.
     */
    @OnEveryTransport
    void pingOnlyConnectionsAreClosedAtTheIdleTimeout(String transport) throws Exception {
        try (ServerProcess server = Hostile.start(transport, false, "--idle-timeout", "2", "--max-connections",
                "301")) {
            Hostile.assertNormalGet(server);
            Hostile.Baseline baseline = Hostile.baseline(server);
            List<H2Client> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    clients.add(H2Client.connect(server, new Http2Settings()));
                }
                int rounds = 0;
                long open;
                while ((open = clients.stream().filter(c -> !c.closed).count()) > 0) {
                    assertTrue(++rounds < GUARD_ROUNDS, open + " PING-only connections never closed");
                    long start = System.nanoTime();
                    for (H2Client c : clients) {
                        if (!c.closed) {
                            try {
                                c.ping(rounds);
                                c.flush();
                            } catch (IOException closed) {
                                c.closed = true;
                                continue;
                            }
                            c.readFor(1);
                        }
                    }
                    if (rounds == 1) {
                        Hostile.assertNormalGet(server);
                    }
                    long left = 1000 - (System.nanoTime() - start) / 1_000_000;
                    if (left > 0) {
                        Thread.sleep(left);
                    }
                }
                // Those whose close was seen by a failed write may have missed the GOAWAY; most read it.
                long goAways = clients.stream().filter(c -> c.goAwayError != null).count();
                System.out.println(transport + ": 300 PING-only connections closed in " + rounds + " rounds, "
                        + goAways + " GOAWAYs read");
                assertTrue(clients.stream().allMatch(c -> c.goAwayError == null
                        || c.goAwayError == Http2Error.NO_ERROR.code()));
            } finally {
                for (H2Client c : clients) {
                    c.close();
                }
            }
            Hostile.awaitBaseline(server, baseline);
            Hostile.assertNormalGet(server);
            Hostile.stop(server);
        }
    }

    /**
     * MadeYouReset (CVE-2025-55163): streams each provoked into a stream error (a WINDOW_UPDATE of 0) are reset
     * with PROTOCOL_ERROR, which the reset limit counts: before 1 000 of them, the connection ends with GOAWAY
     * ENHANCE_YOUR_CALM.
     */
    @OnEveryTransport
    void provokedStreamErrorsEndInEnhanceYourCalm(String transport) throws Exception {
        for (boolean tls : new boolean[] {false, true}) {
            try (ServerProcess server = Hostile.start(transport, tls)) {
                Hostile.assertNormalGet(server);
                Hostile.Baseline baseline = Hostile.baseline(server);
                int provoked = 0;
                try (H2Client c = H2Client.connect(server, new Http2Settings())) {
                    int id = 1;
                    while (c.goAwayError == null && !c.closed && provoked < 1000) {
                        List<Integer> batch = new ArrayList<>();
                        for (int i = 0; i < 50; i++, id += 2, provoked++) {
                            c.get(id, TestTree.LARGE);
                            c.windowUpdate(id, 0);
                            batch.add(id);
                        }
                        try {
                            c.flush();
                        } catch (IOException closed) {
                            break;
                        }
                        if (provoked == 100) {
                            Hostile.assertNormalGet(server);
                        }
                        c.readUntil(() -> c.goAwayError != null || c.resets.keySet().containsAll(batch));
                    }
                    c.readUntil(() -> c.goAwayError != null);
                    long cancels = c.resets.values().stream().filter(e -> e == Http2Error.CANCEL.code()).count();
                    System.out.println(transport + (tls ? " h2" : " h2c") + ": " + provoked
                            + " provoked stream errors, " + c.resets.size() + " resets (" + cancels + " CANCEL), "
                            + "GOAWAY " + (c.goAwayError == null ? "none" : H2Client.name(c.goAwayError)));
                    assertEquals(Http2Error.ENHANCE_YOUR_CALM.code(), c.goAwayError == null ? -1 : c.goAwayError,
                            "GOAWAY after " + provoked + " provoked stream errors");
                    assertEquals(0, cancels, "stream errors are answered with their own code");
                }
                Hostile.awaitBaseline(server, baseline);
                Hostile.assertNormalGet(server);
                String line = Hostile.stop(server);
                assertTrue(Hostile.reported(line, "HTTP/2 protocol error(s)") > Http2Guard.MAX_RESETS_PER_WINDOW, line);
            }
        }
    }

    /**
     * A client announcing SETTINGS_HEADER_TABLE_SIZE = 2^32-1 and asking for 50 000 responses with distinct field
     * values (one-byte ranges): the HPACK table the server's encoder keeps, which this client's decoder mirrors
     * entry for entry, stays within 4 KiB.
     */
    @OnEveryTransport
    void theHpackEncoderTableStaysCappedWhateverTheClientAllows(String transport) throws Exception {
        try (ServerProcess server = Hostile.start(transport, false)) {
            Hostile.assertNormalGet(server);
            Hostile.Baseline baseline = Hostile.baseline(server);
            int total = 50_000;
            try (H2Client c = H2Client.connect(server, new Http2Settings().headerTableSize(0xFFFFFFFFL))) {
                c.windowUpdate(0, Integer.MAX_VALUE - 65535);
                int id = 1;
                for (int sent = 0; sent < total; ) {
                    List<Integer> batch = new ArrayList<>();
                    for (int i = 0; i < 100 && sent < total; i++, sent++, id += 2) {
                        c.get(id, TestTree.MEDIUM, "range", "bytes=" + sent + "-" + sent);
                        batch.add(id);
                    }
                    c.flush();
                    assertTrue(c.readUntil(() -> c.ended.containsAll(batch)), "the server closed after " + sent);
                    if (sent == total / 2) {
                        Hostile.assertNormalGet(server);
                    }
                }
                assertEquals(total, c.status.values().stream().filter(s -> s == 206).count());
                assertEquals(total, c.dataBytes.values().stream().mapToLong(Long::longValue).sum());
                System.out.println(transport + ": after " + total + " responses the HPACK table holds "
                        + c.hpackTableSize() + " bytes, capacity " + c.hpackTableCapacity());
                assertTrue(c.hpackTableCapacity() <= 4096, "capacity " + c.hpackTableCapacity());
                assertTrue(c.hpackTableSize() <= 4096, "size " + c.hpackTableSize());
            }
            Hostile.awaitBaseline(server, baseline);
            Hostile.stop(server);
        }
    }

    /**
     * A connection error (a WINDOW_UPDATE of 0 on stream 0) ends in GOAWAY PROTOCOL_ERROR, and a stream error in
     * RST_STREAM PROTOCOL_ERROR; each costs the server exactly one log line (no stack trace), and both are counted
     * at shutdown.
     */
    @OnEveryTransport
    void aProtocolErrorCostsOneLogLine(String transport) throws Exception {
        try (ServerProcess server = Hostile.start(transport, false)) {
            Hostile.assertNormalGet(server);
            int before = server.lines().size();
            try (H2Client c = H2Client.connect(server, new Http2Settings())) {
                c.windowUpdate(0, 0);
                c.flush();
                assertTrue(c.readUntil(() -> c.goAwayError != null));
                assertEquals("PROTOCOL_ERROR", H2Client.name(c.goAwayError));
            }
            server.awaitLine("HTTP/2 connection error PROTOCOL_ERROR", 60, java.util.concurrent.TimeUnit.SECONDS);
            try (H2Client c = H2Client.connect(server, new Http2Settings())) {
                c.get(1, TestTree.LARGE);
                c.windowUpdate(1, 0);
                c.flush();
                assertTrue(c.readUntil(() -> c.resets.containsKey(1)));
                assertEquals("PROTOCOL_ERROR", H2Client.name(c.resets.get(1)));
            }
            server.awaitLine("HTTP/2 stream error PROTOCOL_ERROR", 60, java.util.concurrent.TimeUnit.SECONDS);
            List<String> added = server.lines().subList(before, server.lines().size());
            assertEquals(2, added.size(), String.join("\n", added));
            String line = Hostile.stop(server);
            assertEquals(2, Hostile.reported(line, "HTTP/2 protocol error(s)"), line);
        }
    }

    private static void pingUntilClosed(H2Client c) throws IOException {
        int rounds = 0;
        while (!c.closed) {
            if (++rounds >= GUARD_ROUNDS) {
                fail("a stalled client sending PINGs was never cut: resets " + c.resets + ", GOAWAY "
                        + c.goAwayError);
            }
            try {
                c.ping(rounds);
                c.flush();
            } catch (IOException closed) {
                break;
            }
            c.readAllFor(1000);
        }
    }
}

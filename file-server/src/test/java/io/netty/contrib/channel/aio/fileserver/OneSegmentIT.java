/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On the sendfile path the head and a small body leave in one TCP segment (the socket corked around the response),
 * counted by the kernel: {@code data_segs_out} of the server's socket ({@code ss -ti}) grows by one per response, where
 * an uncorked head would be a segment of its own (the connection has TCP_NODELAY). NIO has no TCP_CORK and is not
 * checked.
 */
class OneSegmentIT {
    /** aio sends every wholly cached file with sendfile; the other transports always do. */
    private static final Servers SERVERS = new Servers("--sendfile-threshold", "0");
    private static final Pattern SEGS_OUT = Pattern.compile("\\bdata_segs_out:(\\d+)");
    private static final int REQUESTS = 40;

    @AfterAll
    static void stopServers() {
        Servers.stopAllCleanly(SERVERS);
    }

    @OnEveryTransport
    void headAndBodyLeaveInOneSegment(String transport) throws Exception {
        if (transport.equals("nio")) {
            return; // no TCP_CORK in the JDK's socket options
        }
        ServerProcess server = SERVERS.get(transport);
        String path = TestTree.sized(4096);
        byte[] expected = Files.readAllBytes(TestTree.file(path));
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            // Warm: the file cached, the code paths compiled.
            for (int i = 0; i < REQUESTS; i++) {
                get(c, path, expected);
            }
            long before = segsOut(server.port, c.socket.getLocalPort());
            for (int i = 0; i < REQUESTS; i++) {
                get(c, path, expected);
            }
            long sent = segsOut(server.port, c.socket.getLocalPort()) - before;
            // One per response; a few more allowed for a cork that timed out (200 ms) on a stalled, busy machine.
            // Uncorked, it would be two per response.
            assertTrue(sent >= REQUESTS && sent <= REQUESTS + REQUESTS / 4,
                    transport + ": " + sent + " segments for " + REQUESTS + " responses");
        }
    }

    private static void get(Http.RawConnection c, String path, byte[] expected) throws Exception {
        c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
        Http.RawResponse r = c.read(false);
        assertEquals(200, r.status);
        assertArrayEquals(expected, r.body);
    }

    /** The server socket's data_segs_out (segments with data, not pure ACKs) on the connection from clientPort. */
    private static long segsOut(int serverPort, int clientPort) throws Exception {
        String out = TlsFiles.run("ss", "-tinH", "state", "established",
                "( sport = :" + serverPort + " and dport = :" + clientPort + " )");
        Matcher m = SEGS_OUT.matcher(out);
        assertTrue(m.find(), "ss: " + out);
        long segs = Long.parseLong(m.group(1));
        assertTrue(!m.find(), "more than one socket: " + out);
        return segs;
    }
}

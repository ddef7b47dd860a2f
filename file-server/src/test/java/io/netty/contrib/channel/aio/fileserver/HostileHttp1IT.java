/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP/1.1 bounds a hostile client pushes on (issue 28): the Host field, and pipelined requests held decoded. */
class HostileHttp1IT {
    @OnEveryTransport
    void aRequestWithoutHostOrWithTwoIsRefused(String transport) throws Exception {
        try (ServerProcess server = Hostile.start(transport, false)) {
            String path = TestTree.sized(1);
            for (String request : new String[] {"GET " + path + " HTTP/1.1\r\n\r\n",
                "GET " + path + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                "GET " + path + " HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n"}) {
                try (Http.RawConnection c = new Http.RawConnection(server.port)) {
                    c.send(request);
                    assertEquals(400, c.read(false).status, request);
                    assertTrue(c.closedByServer(), "closed after the 400: " + request);
                }
            }
            // HTTP/1.0 may leave Host out.
            assertEquals(200, Http.raw(server.port, "GET " + path + " HTTP/1.0\r\n\r\n").status);
            Hostile.stop(server);
        }
    }

    /**
     * 20 connections each pipeline 64 KiB of GETs behind a large response they never read: the server keeps at
     * most 16 of them decoded per connection (the rest stay bytes), by its own count, and serves a normal client
     * meanwhile.
     */
    @OnEveryTransport
    void pipelinedRequestsBehindAnUnreadResponseStayWithinTheBound(String transport) throws Exception {
        try (ServerProcess server = Hostile.start(transport, false)) {
            Hostile.assertNormalGet(server);
            Hostile.Baseline baseline = Hostile.baseline(server);
            StringBuilder flood = new StringBuilder("GET " + TestTree.LARGE + " HTTP/1.1\r\nHost: t\r\n\r\n");
            String small = "GET " + TestTree.sized(1) + " HTTP/1.1\r\nHost: t\r\n\r\n";
            int pipelined = 0;
            while (flood.length() + small.length() <= 65536) {
                flood.append(small);
                pipelined++;
            }
            byte[] bytes = flood.toString().getBytes(StandardCharsets.US_ASCII);
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    Socket s = new Socket();
                    s.setReceiveBufferSize(4096);
                    s.connect(new InetSocketAddress("127.0.0.1", server.port), 10_000);
                    OutputStream out = s.getOutputStream();
                    out.write(bytes);
                    out.flush();
                    clients.add(s);
                }
                // Each connection's first response has started (its head is there): the rest wait behind it.
                for (Socket s : clients) {
                    s.setSoTimeout(60_000);
                    assertEquals("HTTP/1.1 200", new String(s.getInputStream().readNBytes(12),
                            StandardCharsets.US_ASCII));
                }
                Hostile.assertNormalGet(server);
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            Hostile.awaitBaseline(server, baseline);
            String line = Hostile.stop(server);
            long most = Hostile.reported(line.replace("at most ", ""), "pipelined request(s) waited");
            System.out.println(transport + ": 20 x " + pipelined + " pipelined GETs: at most " + most
                    + " decoded requests waited on one connection");
            assertTrue(most <= 16, line);
            assertTrue(most >= 1, line);
        }
    }
}

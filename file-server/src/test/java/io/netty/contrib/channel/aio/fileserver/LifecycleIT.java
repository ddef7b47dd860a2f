/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Graceful shutdown on SIGTERM (responses in progress finish, idle connections close, new connections are
 * refused) and the idle timeout (silent, trickling and non-reading clients are cut loose).
 */
class LifecycleIT {
    private static final Servers IDLE_1S = new Servers("--idle-timeout", "1");
    /** The default idle timeout (60 s): longer than any wait here, so it cannot be what closes a connection. */
    private static final Servers DEFAULTS = new Servers();

    @AfterAll
    static void stopServers() {
        Servers.stopAllCleanly(IDLE_1S, DEFAULTS);
    }

    @OnEveryTransport
    void sigtermDuringALargeDownloadLetsItFinish(String transport) throws Exception {
        try (ServerProcess server = ServerProcess.start(transport);
             Http.RawConnection download = new Http.RawConnection(server.port);
             Http.RawConnection idle = new Http.RawConnection(server.port)) {
            idle.send("GET " + TestTree.sized(1) + " HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(200, idle.read(false).status);

            download.send("GET " + TestTree.BIG + " HTTP/1.1\r\nHost: t\r\n\r\n");
            Http.RawResponse head = download.readHead();
            assertEquals(200, head.status);
            InputStream body = download.input();
            byte[] start = body.readNBytes(1 << 20);
            assertArrayEquals(TestTree.bytes(TestTree.BIG, 0, 1 << 20), start);

            server.assertCleanOutput();
            server.process.destroy(); // SIGTERM
            server.awaitLine(FileServerCommand.NAME + ": stopping", 30, TimeUnit.SECONDS);

            assertNewConnectionsRefused(server.port);
            assertTrue(idle.closedByServer(), "idle keep-alive connection closed on shutdown");

            // The download is still going: the rest arrives intact, then the server closes.
            TestTree.assertStreamEquals(TestTree.file(TestTree.BIG), 1 << 20, TestTree.BIG_SIZE - (1 << 20),
                    new LimitedStream(body, TestTree.BIG_SIZE - (1 << 20)), transport + " download across SIGTERM");
            assertTrue(download.closedByServer(), "connection closed after the last response");

            assertTrue(server.process.waitFor(60, TimeUnit.SECONDS), "server exits");
            assertEquals(143, server.process.exitValue(), server.output());
            server.awaitLine(FileServerCommand.NAME + ": stopped", 10, TimeUnit.SECONDS);
            assertTrue(server.lines().stream().noneMatch(l -> l.contains("shutdown timeout")), server.output());
            assertTrue(server.lines().stream().noneMatch(l -> l.contains("LEAK")), server.output());
        }
    }

    private static void assertNewConnectionsRefused(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                // Accepted just before the listening socket closed: the server drops it.
            } catch (ConnectException e) {
                return;
            }
            Thread.sleep(20);
        }
        fail("new connections still accepted 20 s after SIGTERM");
    }

    /** A view of the first {@code limit} bytes of a stream, so that the check can also see where it ends. */
    private static final class LimitedStream extends InputStream {
        private final InputStream in;
        private long left;

        LimitedStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    @OnEveryTransport
    void aFileThatShrinksDuringItsResponseClosesTheConnection(String transport) throws Exception {
        ServerProcess server = DEFAULTS.get(transport);
        Path file = TestTree.ROOT.resolve("shrinking-" + transport + ".bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(64 << 20);
            raf.write(TestTree.randomBytes(1 << 20, 7));
        }
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            c.socket.setSoTimeout(20_000);
            c.send("GET /" + file.getFileName() + " HTTP/1.1\r\nHost: t\r\n\r\n");
            Http.RawResponse head = c.readHead();
            assertEquals(Long.toString(64 << 20), head.header("content-length"));
            assertEquals(1 << 20, c.input().readNBytes(1 << 20).length);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(1 << 20);
            }
            long received = (1 << 20) + c.readToEnd();
            // Not a complete response followed by an open connection: the client must not wait for the rest.
            assertTrue(received < 64 << 20, "received " + received);
        } finally {
            Files.delete(file);
        }
        assertEquals(200, Http.get(server, TestTree.sized(1)).statusCode());
    }

    @OnEveryTransport
    void silentConnectionsAreClosedAfterTheIdleTimeout(String transport) throws Exception {
        ServerProcess server = IDLE_1S.get(transport);
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            c.socket.setSoTimeout(20_000);
            assertTrue(c.closedByServer(), "connection without a request closed");
        }
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            c.socket.setSoTimeout(20_000);
            c.send("GET " + TestTree.sized(1) + " HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(200, c.read(false).status);
            assertTrue(c.closedByServer(), "idle keep-alive connection closed");
        }
    }

    @OnEveryTransport
    void clientsTricklingTheirHeadersAreCut(String transport) throws Exception {
        ServerProcess server = IDLE_1S.get(transport);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + TestTree.sized(1) + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII));
            // One header byte every 100 ms: always some traffic, never a complete head.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            try {
                while (System.nanoTime() < deadline) {
                    out.write('X');
                    out.flush();
                    Thread.sleep(100);
                    if (s.getInputStream().available() > 0) {
                        fail("the server answered an incomplete request");
                    }
                }
                fail("a trickling client kept its connection for 20 s");
            } catch (SocketException closed) {
                // Broken pipe or reset: the server hung up, as it should.
            }
        }
    }

    @OnEveryTransport
    void responsesToClientsThatStopReadingAreAbandoned(String transport) throws Exception {
        ServerProcess server = IDLE_1S.get(transport);
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            c.socket.setSoTimeout(20_000);
            c.send("GET " + TestTree.BIG + " HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(200, c.readHead().status);
            Thread.sleep(3000); // not reading: the socket buffers fill and the response stalls
            long received = c.readToEnd();
            assertTrue(received < TestTree.BIG_SIZE, "the stalled response was abandoned after "
                    + received + " bytes");
        }
        assertEquals(200, Http.get(server, TestTree.sized(1)).statusCode());
    }
}

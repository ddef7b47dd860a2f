/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 10 000 downloads aborted mid-body — by reset or by close, after a random part of the body, of whole files,
 * ranges and multipart ranges — leave no descriptor open in the server ({@code /proc/PID/fd} before and after) and
 * no buffer unreleased (paranoid leak detection in the server, checked when the class's servers stop).
 */
class AbortedDownloadsIT {
    private static final int ABORTS = 10_000;
    private static final int CLIENT_THREADS = 16;
    private static final Servers SERVERS = new Servers("--threads", "2");

    @AfterAll
    static void stopServers() throws Exception {
        SERVERS.stopAllCleanly();
    }

    private static final String[] REQUESTS = {
            "GET " + TestTree.BIG + " HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET " + TestTree.LARGE + " HTTP/1.1\r\nHost: t\r\nRange: bytes=1000-\r\n\r\n",
            "GET " + TestTree.LARGE + " HTTP/1.1\r\nHost: t\r\nRange: bytes=0-99,5000-2000000,-3000000\r\n\r\n",
            "GET " + TestTree.MEDIUM + " HTTP/1.1\r\nHost: t\r\n\r\nGET " + TestTree.BIG + " HTTP/1.1\r\nHost: t\r\n\r\n",
    };

    /** One aborted download; {@code i} picks the request, how much body to read and how to hang up. */
    private static void abort(int port, int i) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Http.RawConnection c = new Http.RawConnection(port)) {
            c.send(REQUESTS[i % REQUESTS.length]);
            if (i % 7 != 0) {
                c.readHead();
                InputStream in = c.input();
                int want = random.nextInt(256 * 1024);
                byte[] buf = new byte[16384];
                for (int got = 0; got < want; ) {
                    int n = in.read(buf, 0, Math.min(buf.length, want - got));
                    if (n < 0) {
                        break;
                    }
                    got += n;
                }
            }
            if (i % 2 == 0) {
                c.socket.setSoLinger(true, 0); // RST instead of FIN
            }
        }
    }

    /** Waits for the server's descriptor count to come down to {@code expected}; returns the last count seen. */
    private static int settledFdCount(ServerProcess server, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int count;
        do {
            count = server.fdCount();
            if (count <= expected) {
                return count;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return count;
    }

    /** The server's descriptor count once it has not changed for half a second. */
    private static int stableFdCount(ServerProcess server) throws Exception {
        int last = server.fdCount();
        for (int same = 0; same < 5; ) {
            Thread.sleep(100);
            int now = server.fdCount();
            same = now == last ? same + 1 : 0;
            last = now;
        }
        return last;
    }

    private static void abortMany(ServerProcess server, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
        AtomicInteger next = new AtomicInteger();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < CLIENT_THREADS; t++) {
                workers.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < count) {
                        abort(server.port, i);
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @OnEveryTransport
    void tenThousandAbortedDownloadsLeakNoDescriptor(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        abortMany(server, 200); // warm up: lazily opened descriptors (jars, loops) are part of the baseline
        int before = stableFdCount(server);
        abortMany(server, ABORTS);
        int after = settledFdCount(server, before);
        assertEquals(before, after, "descriptors open in the server before and after " + ABORTS + " aborts");
        Http.assertDownload(server, TestTree.LARGE);
    }
}

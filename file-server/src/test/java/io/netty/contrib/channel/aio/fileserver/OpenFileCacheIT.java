/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The open-file cache: a file replaced, rewritten or deleted is never served as it was once the validity bound has
 * passed (its new bytes and a new ETag, or a 404), a request for a kept file makes no {@code openat}, {@code statx}
 * or {@code close} on the event loop, and on aio one for a kept small file makes two syscalls in all (strace on the
 * loop thread, every syscall of it recorded).
 */
class OpenFileCacheIT {
    /** The bound the first test checks; the second keeps entries for the whole test. */
    private static final int VALID_SECONDS = 1;
    private static final Servers BOUNDED = new Servers("--threads", "1", "--open-file-cache", "100",
            "--open-file-cache-valid", Integer.toString(VALID_SECONDS));
    private static final Servers KEPT = new Servers("--threads", "1", "--open-file-cache", "100",
            "--open-file-cache-valid", "3600");
    /** What a lookup makes: never on a hit, on any transport. */
    private static final Pattern LOOKUP = Pattern.compile("^(openat|openat2|open|statx)\\(");
    /**
     * What closing or checking a file makes: never on a hit on aio and epoll. Netty's io_uring transport splices a
     * file region through a pipe it makes and closes per region, and NIO's {@code transferTo} fstat()s the file
     * per call: the transports' own, not the server's.
     */
    private static final Pattern CLOSE_OR_STAT = Pattern.compile("^(close|newfstatat|fstat)\\(");

    @AfterAll
    static void stopServers() {
        Servers.stopAllCleanly(BOUNDED, KEPT);
    }

    @OnEveryTransport
    void replacedAndDeletedFilesAreNotServedStaleAfterTheBound(String transport) throws Exception {
        ServerProcess server = BOUNDED.get(transport);
        Path dir = Files.createDirectories(TestTree.ROOT.resolve("cache-" + transport));
        Path file = dir.resolve("f.bin");
        String path = "/cache-" + transport + "/f.bin";
        byte[] v1 = TestTree.randomBytes(5000, 1);
        byte[] v2 = TestTree.randomBytes(7001, 2);
        Files.write(file, v1);
        Http.RawResponse first;
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            first = get(c, path);
            assertArrayEquals(v1, first.body);
            assertArrayEquals(v1, get(c, path).body); // a hit
        }
        Path next = dir.resolve("f.bin.new");
        Files.write(next, v2);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
        waitPastTheBound();
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            Http.RawResponse second = get(c, path);
            assertArrayEquals(v2, second.body, "old bytes served after the bound");
            assertNotEquals(first.header("etag"), second.header("etag"));
        }
        // Rewritten in place (the same inode, the same size): on aio the entry keeps this small file's contents,
        // which must not outlive the bound either.
        byte[] v3 = TestTree.randomBytes(7001, 3);
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            assertArrayEquals(v2, get(c, path).body);
            assertArrayEquals(v2, get(c, path).body); // a hit, from the kept contents on aio
        }
        Files.write(file, v3);
        waitPastTheBound();
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            assertArrayEquals(v3, get(c, path).body, "old bytes served after the bound (rewritten in place)");
        }
        Files.delete(file);
        waitPastTheBound();
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(404, c.read(false).status);
        }
    }

    @OnEveryTransport
    void requestsForAKeptFileMakeNoOpenStatOrClose(String transport) throws Exception {
        ServerProcess server = KEPT.get(transport);
        String path = TestTree.sized(4096);
        byte[] expected = Files.readAllBytes(TestTree.file(path));
        List<String> calls;
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(expected, get(c, path).body);
            }
            calls = traceLoop(server, "strace-" + transport + ".txt", () -> {
                for (int i = 0; i < 50; i++) {
                    assertArrayEquals(expected, get(c, path).body);
                }
            });
        }
        List<String> fileCalls = new ArrayList<>();
        boolean ownBodies = transport.equals("aio") || transport.equals("epoll");
        for (String call : calls) {
            if (LOOKUP.matcher(call).find() || ownBodies && CLOSE_OR_STAT.matcher(call).find()) {
                fileCalls.add(call);
            }
        }
        // The loop made syscalls for the requests (at least one per request: reading it), none of them a lookup.
        assertTrue(calls.size() >= 50, "strace saw too little of the loop thread:\n" + String.join("\n", calls));
        assertEquals(List.of(), fileCalls, "the event loop opened, stat'ed or closed something on hot hits");
    }

    /**
     * A kept file read cold (on aio: no page cached, so O_DIRECT from the start through the entry's second
     * AioFile), then partly or wholly cached (on aio: the page-cache AioFile, or sendfile): the same bytes.
     */
    @OnEveryTransport
    void aKeptFileIsServedByteExactCold(String transport) throws Exception {
        ServerProcess server = KEPT.get(transport);
        Path dir = Files.createDirectories(TestTree.ROOT.resolve("kept-" + transport));
        Path file = dir.resolve("cold.bin");
        Files.write(file, TestTree.randomBytes((1 << 20) + 3, 7));
        String path = "/kept-" + transport + "/cold.bin";
        // curl: each download on a connection of its own, so that no socket still holds sent pages.
        DownloadIT.evict(server, file);
        Http.assertCurlDownload(server, path);
        Http.assertCurlDownload(server, path); // partly or wholly cached now
    }

    /**
     * On aio, a small file the cache keeps with its contents costs the loop two syscalls per keep-alive request
     * besides its sleep ({@code epoll_pwait2}/{@code epoll_wait}): the request's {@code recvfrom} and the
     * response's {@code writev} — no read, no {@code io_submit}. Counted with strace over 200 requests after 10 000
     * of warm-up; the slack of 20 is for the JVM's own wake-ups of its threads on the loop thread ({@code futex}:
     * the JIT's queue, safepoints), about 0.06 a request once warm. Reading the file per request (3 a request)
     * fails it.
     */
    @Test
    void aKeptSmallFileCostsTheLoopTwoSyscallsPerRequestOnAio() throws Exception {
        ServerProcess server = KEPT.get("aio");
        String path = TestTree.sized(4096);
        byte[] expected = Files.readAllBytes(TestTree.file(path));
        int requests = 200;
        List<String> calls;
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            for (int i = 0; i < 10_000; i++) {
                assertArrayEquals(expected, get(c, path).body);
            }
            calls = traceLoop(server, "strace-small-aio.txt", () -> {
                for (int i = 0; i < requests; i++) {
                    assertArrayEquals(expected, get(c, path).body);
                }
            });
        }
        List<String> counted = new ArrayList<>();
        for (String call : calls) {
            if (!SLEEP.matcher(call).find()) {
                counted.add(call);
            }
        }
        long reads = counted.stream().filter(l -> l.startsWith("recvfrom(") || l.startsWith("read(")).count();
        System.out.println("aio: " + counted.size() + " syscalls besides the sleep for " + requests
                + " requests of a kept 4 KiB file");
        assertTrue(reads >= requests, "strace saw too little of the loop thread:\n" + String.join("\n", calls));
        assertTrue(counted.size() <= 2 * requests + 20, counted.size() + " syscalls for " + requests
                + " requests: " + summary(counted));
    }

    /** The loop's sleep and wake-up: shared by every channel of the loop, not a request's cost. */
    private static final Pattern SLEEP = Pattern.compile("^(epoll_wait|epoll_pwait2|epoll_pwait)\\(");

    /** Calls by name with their counts, for a failure message. */
    private static String summary(List<String> calls) {
        java.util.Map<String, Integer> byName = new java.util.TreeMap<>();
        for (String call : calls) {
            int paren = call.indexOf('(');
            byName.merge(paren > 0 ? call.substring(0, paren) : call, 1, Integer::sum);
        }
        return byName.toString();
    }

    /** Every syscall the server's event loop thread makes while {@code work} runs, one line each (strace). */
    private static List<String> traceLoop(ServerProcess server, String traceName, ThrowingRunnable work)
            throws Exception {
        String loop = loopThread(server);
        Path trace = TestTree.WORK.resolve(traceName);
        Files.deleteIfExists(trace);
        Process strace = new ProcessBuilder("strace", "-p", loop, "-o", trace.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(strace.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = err.readLine();
            assertTrue(line != null && line.contains("attached"), "strace: " + line);
            work.run();
        } finally {
            strace.destroy();
            assertTrue(strace.waitFor(60, TimeUnit.SECONDS), "strace did not stop");
        }
        return Files.readAllLines(trace);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static Http.RawResponse get(Http.RawConnection c, String path) throws Exception {
        c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
        Http.RawResponse r = c.read(false);
        assertEquals(200, r.status, r.toString());
        return r;
    }

    /** Sleeps until more than the validity bound has passed since the call (monotonic clock). */
    private static void waitPastTheBound() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(VALID_SECONDS) + TimeUnit.MILLISECONDS.toNanos(100);
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** The thread id of the server's only event loop (its threads are named aio-file-server-TRANSPORT-...). */
    static String loopThread(ServerProcess server) throws Exception {
        List<String> loops = new ArrayList<>();
        try (var tasks = Files.list(Paths.get("/proc", Long.toString(server.pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                // comm holds the first 15 bytes of the thread's name.
                String comm = Files.readString(task.resolve("comm")).trim();
                if (comm.equals("aio-file-server".substring(0, 15))) {
                    loops.add(task.getFileName().toString());
                }
            }
        }
        assertEquals(1, loops.size(), "event loop threads: " + loops);
        return loops.get(0);
    }
}

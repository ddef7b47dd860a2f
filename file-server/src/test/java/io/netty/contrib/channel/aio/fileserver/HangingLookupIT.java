/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A lookup that hangs in the file system (a FUSE file system of our own, {@code src/test/c/hanglookupfs.c}, whose
 * lookups of names starting with "hang" wait until the test lets them go) holds a lookup thread, never the event
 * loop: meanwhile another client on the same loop is answered. With one lookup thread and a queue of one, the next
 * cold lookup waits in the queue and the one after is answered 503 and counted. A connection closed while its
 * lookup hangs leaves no descriptor open once the lookup returns. Nothing here is timed: the test waits for what
 * the file system reports (a lookup entered) and for responses.
 */
class HangingLookupIT {
    private ServerProcess server;
    private Path mountPoint;
    private Process daemon;

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null) {
            server.close();
        }
        if (mountPoint != null) {
            unmount();
        }
    }

    @OnEveryTransport
    void aHangingLookupHoldsAPoolThreadNotTheLoop(String transport) throws Exception {
        server = ServerProcess.start(transport, "--threads", "1", "--lookup-threads", "1", "--lookup-queue", "1",
                "--open-file-cache", "10", "--open-file-cache-valid", "3600");
        Path flags = Files.createDirectories(TestTree.WORK.resolve("hang-flags-" + transport));
        mount("hang-" + transport, flags, "hang-a", "hang-b", "hang-c", "ok.txt");
        String base = "/hang-" + transport + "/";
        String hot = TestTree.sized(4096);
        byte[] hotBytes = Files.readAllBytes(TestTree.file(hot));
        try (Http.RawConnection h = new Http.RawConnection(server.port)) {
            assertArrayEquals(hotBytes, get(h, hot).body); // now kept open: answered on the loop from here on

            Http.RawConnection a = new Http.RawConnection(server.port);
            a.send("GET " + base + "hang-a HTTP/1.1\r\nHost: t\r\n\r\n");
            awaitFile(flags.resolve("entered-hang-a"));
            // The only lookup thread waits in the file system; the loop answers another client.
            assertArrayEquals(hotBytes, get(h, hot).body);

            // One more cold lookup fits the queue, the next is refused: which of the two comes first is the loop's
            // order of reading them, so the test takes whichever answers first (the refusal, at once).
            try (Http.RawConnection b = new Http.RawConnection(server.port);
                 Http.RawConnection c = new Http.RawConnection(server.port)) {
                b.send("GET " + base + "hang-b HTTP/1.1\r\nHost: t\r\n\r\n");
                c.send("GET " + base + "hang-c HTTP/1.1\r\nHost: t\r\n\r\n");
                CompletableFuture<Http.RawResponse> fromB = read(b);
                CompletableFuture<Http.RawResponse> fromC = read(c);
                CompletableFuture.anyOf(fromB, fromC).get(60, TimeUnit.SECONDS);
                Http.RawResponse refused = fromB.isDone() ? fromB.get() : fromC.get();
                assertEquals(503, refused.status, refused.toString());
                assertEquals("1", refused.header("retry-after"));

                // A client gives up on its hanging lookup; the loop still answers others meanwhile.
                a.close();
                assertArrayEquals(hotBytes, get(h, hot).body);

                Files.createFile(flags.resolve("release"));
                CompletableFuture<Http.RawResponse> queued = fromB.isDone() ? fromC : fromB;
                String name = queued == fromB ? "hang-b" : "hang-c";
                Http.RawResponse served = queued.get(60, TimeUnit.SECONDS);
                assertEquals(200, served.status, served.toString());
                assertEquals("content of " + name + "\n", served.bodyText());
            }
            // One lookup thread, first in first out: hang-a's result reached the loop (and, its connection gone,
            // was closed there) before the queued lookup ran. (The served file's own descriptor closes once its
            // response is written, which the client cannot observe: only hang-a's is checked.)
            assertEquals(List.of(), descriptorsUnder(mountPoint.resolve("hang-a")), "hang-a left open");
            assertEquals("content of ok.txt\n", get(h, base + "ok.txt").bodyText());
        }
        server.stopCleanly();
        ServerProcess.LookupCounts counts = server.lookupCounts();
        assertEquals(1, counts.refused(), counts.toString());
        assertTrue(counts.offLoop() >= 3, counts.toString()); // hang-a, the queued one, ok.txt
        assertTrue(counts.onLoop() >= 3, counts.toString()); // the hot file
    }

    private static CompletableFuture<Http.RawResponse> read(Http.RawConnection c) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return c.read(false);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Http.RawResponse get(Http.RawConnection c, String path) throws Exception {
        c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
        Http.RawResponse r = c.read(false);
        assertEquals(200, r.status, path + ": " + r);
        return r;
    }

    /** The server's descriptors that lead to a file under {@code dir}. */
    private List<String> descriptorsUnder(Path dir) throws IOException {
        List<String> found = new ArrayList<>();
        try (var fds = Files.list(Paths.get("/proc", Long.toString(server.pid()), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(dir)) {
                        found.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException closedMeanwhile) {
                    // not one of ours any more
                }
            }
        }
        return found;
    }

    /** Waits for the file system to report, by creating {@code file}, that a lookup is held. */
    private void awaitFile(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file)) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                fail("the lookup never reached the file system (" + file + ")");
            }
            Thread.sleep(10); // nothing to wait on: the daemon creates a file
        }
    }

    /** Builds hanglookupfs (gcc, libfuse3) and mounts it at {@code name} under the served root. */
    private void mount(String name, Path flags, String... files) throws Exception {
        Path source = Paths.get("src", "test", "c", "hanglookupfs.c").toAbsolutePath();
        Path binary = Paths.get("target", "hanglookupfs").toAbsolutePath();
        if (!Files.exists(binary)
                || Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) < 0) {
            String flagsOut = run(List.of("pkg-config", "--cflags", "--libs", "fuse3"));
            List<String> gcc = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Werror", "-o", binary.toString(),
                    source.toString()));
            gcc.addAll(List.of(flagsOut.trim().split("\\s+")));
            run(gcc);
        }
        mountPoint = Files.createDirectories(TestTree.ROOT.resolve(name));
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), mountPoint.toString(), flags.toString()));
        cmd.addAll(List.of(files));
        Path log = TestTree.WORK.resolve(name + "-fuse.log");
        daemon = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // The mount is there once its root is no longer the empty directory under it (a listing names the files).
        while (!hasEntries(mountPoint)) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                fail("hanglookupfs did not mount at " + mountPoint + ": " + Files.readString(log));
            }
            Thread.sleep(10); // nothing to wait on: the mount appears in the file system
        }
    }

    private static boolean hasEntries(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    private void unmount() throws Exception {
        // Lazily: a descriptor left open by a failed test must not keep the daemon (and the build) waiting.
        new ProcessBuilder("umount", "-l", mountPoint.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
            daemon.destroyForcibly().waitFor();
        }
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out
                + " (./run-tests installs what the tests build with: gcc, pkg-config, libfuse3-dev, fuse3)");
        return out;
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterEach;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lookups on a cold dentry and inode cache (dropped for real: {@code echo 2 > /proc/sys/vm/drop_caches}, which
 * needs root) never wait for the disk on the event loop: strace of the loop thread shows every {@code openat2} it
 * made carried {@code RESOLVE_CACHED}, every {@code statx} named a descriptor, not a path, and no directory was read
 * there; the stop line's counters show lookups went off the loop; bytes, listings, index files, precompressed
 * siblings and the order of pipelined responses are as with warm caches.
 */
class ColdLookupIT {
    private static final int DIRECTORIES = 5;
    private static final int FILES = 12;
    /** A lookup on the loop: must be cached-only. */
    private static final Pattern OPENAT2 = Pattern.compile("^openat2\\(");
    /** A stat of a descriptor ({@code AT_EMPTY_PATH}), which reads an inode already in memory. */
    private static final Pattern STAT_OF_DESCRIPTOR = Pattern.compile("^(statx|newfstatat)\\(\\d+, \"\",");
    private static final Pattern STAT = Pattern.compile("^(statx|newfstatat|fstatat64)\\(");
    /** Opens that are not lookups under the root: a descriptor reopened through /proc, a directory's ".". */
    private static final Pattern REOPEN = Pattern.compile("^openat\\((AT_FDCWD, \"/proc/self/fd/\\d+\"|\\d+, \"\\.\"),");
    private static final Pattern OTHER_LOOKUP = Pattern.compile("^(openat|open|readlinkat|getdents64|getdents)\\(");
    /**
     * An absolute path outside the served tree, which is not this server's lookup: glibc loads its message
     * catalogs ({@code /usr/share/locale/.../libc.mo}) the first time anything asks it for an error text.
     */
    private static final Pattern NOT_UNDER_ROOT = Pattern.compile("^\\w+\\(AT_FDCWD, \"/(?!proc/self/fd/)");

    private ServerProcess server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @OnEveryTransport
    void coldLookupsRunOffTheLoopAndAnswerAsWarmOnes(String transport) throws Exception {
        server = ServerProcess.start(transport, "--threads", "1", "--precompressed");
        String base = "/cold-" + transport;
        Path dir = TestTree.ROOT.resolve(base.substring(1));
        for (int d = 0; d < DIRECTORIES; d++) {
            Files.createDirectories(dir.resolve("d" + d));
            for (int f = 0; f < FILES; f++) {
                Files.write(dir.resolve("d" + d + "/f" + f + ".bin"), TestTree.randomBytes(100 + 250 * f, d * 100 + f));
            }
        }
        Files.writeString(dir.resolve("d0/index.html"), "<p>index of d0</p>");
        byte[] gz = TestTree.randomBytes(333, 77);
        Files.write(dir.resolve("d2/f0.bin.gz"), gz);
        dropDentriesAndInodes();

        String loop = OpenFileCacheIT.loopThread(server);
        Path trace = TestTree.WORK.resolve("strace-cold-" + transport + ".txt");
        Files.deleteIfExists(trace);
        Process strace = new ProcessBuilder("strace", "-p", loop, "-o", trace.toString(),
                "-e", "trace=%file,%desc").redirectErrorStream(true).start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(strace.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = err.readLine();
            assertTrue(line != null && line.contains("attached"), "strace: " + line);
            try (Http.RawConnection c = new Http.RawConnection(server.port)) {
                for (int d = 1; d < DIRECTORIES - 1; d++) {
                    for (int f = 0; f < FILES; f++) {
                        String path = base + "/d" + d + "/f" + f + ".bin";
                        assertArrayEquals(Files.readAllBytes(TestTree.file(path)), get(c, path, "").body, path);
                    }
                }
                assertEquals("<p>index of d0</p>", get(c, base + "/d0/", "").bodyText());
                String listing = get(c, base + "/d1/", "").bodyText();
                for (int f = 0; f < FILES; f++) {
                    assertTrue(listing.contains("<a href=\"f" + f + ".bin\">f" + f + ".bin</a>"), listing);
                }
                Http.RawResponse coded = get(c, base + "/d2/f0.bin", "Accept-Encoding: gzip\r\n");
                assertEquals("gzip", coded.header("content-encoding"));
                assertArrayEquals(gz, coded.body);
                // Pipelined, all cold: each answered in order although each was looked up on the pool.
                StringBuilder pipelined = new StringBuilder();
                for (int f = 0; f < FILES; f++) {
                    pipelined.append("GET ").append(base).append("/d").append(DIRECTORIES - 1).append("/f").append(f)
                            .append(".bin HTTP/1.1\r\nHost: t\r\n\r\n");
                }
                c.send(pipelined.toString());
                for (int f = 0; f < FILES; f++) {
                    String path = base + "/d" + (DIRECTORIES - 1) + "/f" + f + ".bin";
                    Http.RawResponse r = c.read(false);
                    assertEquals(200, r.status, path);
                    assertArrayEquals(Files.readAllBytes(TestTree.file(path)), r.body, path);
                }
                // Warm now: answered on the loop.
                for (int f = 0; f < FILES; f++) {
                    String path = base + "/d1/f" + f + ".bin";
                    assertArrayEquals(Files.readAllBytes(TestTree.file(path)), get(c, path, "").body, path);
                }
            }
        } finally {
            strace.destroy();
            assertTrue(strace.waitFor(60, TimeUnit.SECONDS), "strace did not stop");
        }

        List<String> calls = Files.readAllLines(trace);
        List<String> blocking = new ArrayList<>();
        int cachedOnly = 0;
        for (String call : calls) {
            if (OPENAT2.matcher(call).find()) {
                if (call.contains("RESOLVE_CACHED")) {
                    cachedOnly++;
                } else {
                    blocking.add(call);
                }
            } else if (STAT.matcher(call).find() && !STAT_OF_DESCRIPTOR.matcher(call).find()
                    || OTHER_LOOKUP.matcher(call).find() && !REOPEN.matcher(call).find()
                    && !(NOT_UNDER_ROOT.matcher(call).find() && !call.contains(TestTree.ROOT.toString()))) {
                blocking.add(call);
            }
        }
        assertTrue(cachedOnly > 0, "no cached-only lookup on the loop:\n" + String.join("\n", calls));
        assertEquals(List.of(), blocking, "the event loop made a lookup that may wait for the disk");

        server.stopCleanly();
        ServerProcess.LookupCounts counts = server.lookupCounts();
        // The listing always goes off the loop: at least one file lookup must have gone there too.
        assertTrue(counts.offLoop() > 1, counts.toString());
        assertTrue(counts.onLoop() > 0, counts.toString());
        assertEquals(0, counts.refused(), counts.toString());
    }

    /** Writes back dirty inodes (only clean ones can be dropped), then drops dentries and inodes machine-wide. */
    static void dropDentriesAndInodes() throws Exception {
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        assertEquals(0, sync.waitFor(), "sync");
        Files.writeString(Paths.get("/proc/sys/vm/drop_caches"), "2");
    }

    private static Http.RawResponse get(Http.RawConnection c, String path, String headers) throws Exception {
        c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n" + headers + "\r\n");
        Http.RawResponse r = c.read(false);
        assertEquals(200, r.status, path + ": " + r);
        return r;
    }
}

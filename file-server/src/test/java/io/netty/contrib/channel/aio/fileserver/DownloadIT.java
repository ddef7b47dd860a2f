/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole-file downloads, byte for byte, from 0 B to 512 MiB, with the JDK's HttpClient and with curl. */
class DownloadIT {
    private static final Servers SERVERS = new Servers();
    /** aio with every body read by AIO, none sent with sendfile. */
    private static final Servers AIO_READS_ONLY = new Servers("--sendfile-threshold", "off");

    @AfterAll
    static void stopServers() {
        Servers.stopAllCleanly(SERVERS, AIO_READS_ONLY);
    }

    @Test
    void aioSendsCachedLargeFilesWithSendfileAndReadsEvictedOnesByteExact() throws Exception {
        ServerProcess server = SERVERS.get("aio");
        // Files of this test's own: the other tests' downloads would bring shared ones back into the cache.
        Path dir = TestTree.ROOT.resolve("evicted");
        Files.createDirectories(dir);
        for (int size : new int[] {(1 << 20) + 3, 16 << 20}) {
            byte[] data = new byte[size];
            ThreadLocalRandom.current().nextBytes(data);
            Files.write(dir.resolve(size + ".bin"), data);
        }
        for (String path : new String[] {"/evicted/" + ((1 << 20) + 3) + ".bin", "/evicted/" + (16 << 20) + ".bin"}) {
            // curl, whose connection closes after each download: the socket of a kept-alive one may still
            // reference pages that sendfile sent, and those cannot be evicted until it lets them go.
            Files.readAllBytes(TestTree.file(path)); // all cached: sendfile
            Http.assertCurlDownload(server, path);
            evict(server, TestTree.file(path)); // none cached: AIO reads, O_DIRECT
            Http.assertCurlDownload(server, path);
            evict(server, TestTree.file(path), 1 << 20, 0); // partly cached: AIO reads, page cache and O_DIRECT
            Http.assertCurlDownload(server, path);
        }
    }

    @Test
    void aioWithoutSendfileReadsEveryBodyByteExact() throws Exception {
        ServerProcess server = AIO_READS_ONLY.get("aio");
        for (long size : TestTree.SIZES) {
            Http.assertDownload(server, TestTree.sized(size));
        }
        Http.assertDownload(server, TestTree.BIG);
    }

    /** Drops the pages of {@code [offset, offset + length)} (0: to the end) of one file from the page cache. */
    static void evict(ServerProcess server, Path file, long offset, long length)
            throws IOException, InterruptedException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true); // dirty pages cannot be dropped
        }
        int fd = Native.open(file.toString(), Native.O_RDONLY | Native.O_CLOEXEC, 0);
        assertTrue(fd >= 0, "open " + file + ": " + fd);
        try {
            // Pages that sendfile sent stay referenced after the connection is gone: the receiver, having read an
            // skb, leaves it to be freed by the CPU that allocated it (skb_attempt_defer_free), and that CPU does so
            // only the next time it processes received packets. An idle CPU held the tail of a 16 MiB file that way
            // for good (seen here: 226 pages for 10 s, all gone right after one loopback packet from that CPU), so
            // each retry sends one from every CPU first.
            boolean whole = offset == 0 && length == 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                assertEquals(0, Native.fadvise(fd, offset, length, Native.POSIX_FADV_DONTNEED));
                if (!whole || NativeFiles.cachestat(fd, 0, 0) == 0 || System.nanoTime() > deadline) {
                    break;
                }
                receiveOnEveryCpu(server);
                Thread.sleep(10);
            }
            if (whole) {
                assertEquals(0, NativeFiles.cachestat(fd, 0, 0), file + " evicted");
            }
        } finally {
            Native.close(fd);
        }
    }

    static void evict(ServerProcess server, Path file) throws IOException, InterruptedException {
        evict(server, file, 0, 0);
    }

    /** Makes every online CPU process received packets: a HEAD request to the server from curl pinned to it. */
    private static void receiveOnEveryCpu(ServerProcess server) throws IOException, InterruptedException {
        for (int cpu : io.netty.contrib.channel.aio.testing.TestFiles.onlineCpus()) {
            List<String> taskset = List.of("taskset", "--cpu-list", Integer.toString(cpu));
            Process p = Http.curl(taskset, "--head", "--output", "/dev/null", server.uri("/").toString());
            Http.assertCurlSucceeded(p, 30, String.join(" ", taskset) + " curl");
        }
    }

    @OnEveryTransport
    void everySizeDownloadsByteExactWithHttpClient(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        for (long size : TestTree.SIZES) {
            HttpResponse<byte[]> r = Http.get(server, TestTree.sized(size));
            assertEquals(200, r.statusCode());
            assertEquals(size, r.headers().firstValueAsLong("content-length").orElse(-1));
            assertArrayEquals(Files.readAllBytes(TestTree.file(TestTree.sized(size))), r.body(), "size " + size);
        }
    }

    @OnEveryTransport
    void everySizeDownloadsByteExactWithCurl(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        for (long size : TestTree.SIZES) {
            Http.assertCurlDownload(server, TestTree.sized(size));
        }
    }

    @OnEveryTransport
    void sparse512MiBFileDownloadsByteExactWithHttpClientAndCurl(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        Http.assertDownload(server, TestTree.BIG);
        Http.assertCurlDownload(server, TestTree.BIG);
    }

    @OnEveryTransport
    void keepAliveConnectionServesManyFilesInARow(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        // curl reuses its connection for URLs of one command line; --write-out shows how many it opened.
        List<String> args = new ArrayList<>();
        for (long size : TestTree.SIZES) {
            args.addAll(List.of(server.uri(TestTree.sized(size)).toString(), "--output", "/dev/null"));
        }
        args.addAll(List.of("--write-out", "%{http_code}:%{size_download}:%{num_connects} "));
        Process p = Http.curl(args.toArray(new String[0]));
        String out = new String(p.getInputStream().readAllBytes()).trim();
        String err = new String(p.getErrorStream().readAllBytes());
        assertEquals(0, p.waitFor(), err);
        String[] results = out.split("\\s+");
        assertEquals(TestTree.SIZES.length, results.length, out);
        for (int k = 0; k < results.length; k++) {
            // The first transfer connects, all the others reuse that connection.
            assertEquals("200:" + TestTree.SIZES[k] + ':' + (k == 0 ? 1 : 0), results[k], out);
        }
    }
}

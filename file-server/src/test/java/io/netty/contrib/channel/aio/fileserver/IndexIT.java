/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A directory that holds {@code index.html} (or the file {@code --index} names) is answered with that file, with
 * everything a file gets (validators, ranges, HEAD); with {@code --index off}, or when the index is not a regular
 * file, with its listing. An index a request would be refused is refused the same way.
 */
class IndexIT {
    private static final Servers SERVERS = new Servers();
    private static final Servers NO_INDEX = new Servers("--index", "off");
    private static final Servers OTHER_INDEX = new Servers("--index", "other.txt");
    private static final Servers NO_SYMLINKS = new Servers("--no-symlinks");

    @AfterAll
    static void stopServers() {
        Servers.stopAllCleanly(SERVERS, NO_INDEX, OTHER_INDEX, NO_SYMLINKS);
    }

    @OnEveryTransport
    void aDirectoryWithAnIndexIsAnsweredWithItAsAFile(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        HttpResponse<byte[]> r = assertServes(server, "/site/", TestTree.SITE_INDEX);
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("content-type").orElse(null));
        String etag = r.headers().firstValue("etag").orElseThrow();
        // The same validators as /site/index.html itself.
        assertEquals(etag, Http.get(server, "/site/index.html").headers().firstValue("etag").orElse(null));
        assertEquals(304, Http.get(server, "/site/", "If-None-Match", etag).statusCode());
        HttpResponse<byte[]> range = Http.get(server, "/site/", "Range", "bytes=2-8");
        assertEquals(206, range.statusCode());
        assertEquals(TestTree.SITE_INDEX.substring(2, 9), new String(range.body(), StandardCharsets.UTF_8));
        Http.RawResponse head = Http.raw(server.port, "HEAD /site/ HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertEquals(200, head.status);
        assertEquals(Integer.toString(TestTree.SITE_INDEX.length()), head.headers.get("content-length").get(0));
        assertEquals(0, head.body.length);
        // Without its slash the directory is still redirected first.
        assertEquals(301, Http.raw(server.port, "GET /site HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").status);
    }

    @OnEveryTransport
    void anIndexThatIsADirectoryOrAbsentLeavesTheListing(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        String dirIndex = listing(server, "/site/dir-index/");
        assertTrue(dirIndex.contains("href=\"index.html/\""), dirIndex);
        String noIndex = listing(server, "/types/");
        assertTrue(noIndex.contains("href=\"page.html\""), noIndex);
    }

    @OnEveryTransport
    void indexOffAlwaysLists(String transport) throws Exception {
        String page = listing(NO_INDEX.get(transport), "/site/");
        assertTrue(page.contains("href=\"index.html\""), page);
        assertTrue(page.contains("href=\"other.txt\""), page);
    }

    @OnEveryTransport
    void theIndexNameIsChosenOnTheCommandLine(String transport) throws Exception {
        ServerProcess server = OTHER_INDEX.get(transport);
        HttpResponse<byte[]> r = assertServes(server, "/site/", "other");
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"), r.headers().toString());
    }

    @OnEveryTransport
    void anIndexBehindASymlinkIsServedOrRefusedAsItsOwnRequestWouldBe(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        assertServes(server, "/site/linked/", TestTree.SITE_INDEX);
        HttpResponse<byte[]> outside = Http.get(server, "/site/escaping/");
        assertEquals(403, outside.statusCode());
        assertFalse(new String(outside.body(), StandardCharsets.UTF_8).contains(TestTree.SECRET));
        assertEquals(403, Http.get(server, "/site/escaping/index.html").statusCode());
        HttpResponse<byte[]> refused = Http.get(NO_SYMLINKS.get(transport), "/site/linked/");
        assertEquals(403, refused.statusCode());
    }

    private static HttpResponse<byte[]> assertServes(ServerProcess server, String path, String body)
            throws Exception {
        HttpResponse<byte[]> r = Http.get(server, path);
        assertEquals(200, r.statusCode(), path);
        assertEquals(body, new String(r.body(), StandardCharsets.UTF_8), path);
        return r;
    }

    private static String listing(ServerProcess server, String path) throws Exception {
        HttpResponse<byte[]> r = Http.get(server, path);
        assertEquals(200, r.statusCode(), path);
        String page = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(page.contains("<table"), path + " is a listing: " + page);
        return page;
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Directory listings: hostile names are shown escaped, never interpreted, and every link leads back to exactly
 * the file it names; entries the server would refuse are not listed.
 */
class ListingIT {
    private static final Servers SERVERS = new Servers();
    private static final Pattern ROW = Pattern.compile("<tr><td><a href=\"([^\"]*)\">([^<]*)</a></td>");

    @AfterAll
    static void stopServers() throws Exception {
        SERVERS.stopAllCleanly();
    }

    private static String html(String escaped) {
        return escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    @OnEveryTransport
    void hostileNamesAreEscapedAndTheirLinksLeadToTheirFiles(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        HttpResponse<byte[]> r = Http.get(server, "/listing/");
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("content-type").orElse(null));
        String page = new String(r.body(), StandardCharsets.UTF_8);

        // Nothing a browser would run or parse as markup comes from a name.
        assertFalse(page.contains("<script"), page);
        assertFalse(page.contains("<img"), page);
        assertFalse(page.contains("<b>dir"), page);
        assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;.txt"), page);
        assertTrue(page.contains("&quot;quoted&quot; name.txt"), page);
        assertTrue(page.contains("a&amp;b&amp;amp;c.txt"), page);

        List<String> shown = new ArrayList<>();
        Matcher m = ROW.matcher(page);
        URI base = server.uri("/listing/");
        while (m.find()) {
            String href = html(m.group(1));
            String name = html(m.group(2));
            if (name.equals("../")) {
                continue;
            }
            shown.add(name);
            assertTrue(href.chars().allMatch(c -> c > 0x20 && c < 0x7f && "<>\"'\\ ".indexOf(c) < 0),
                    "link not fully percent-encoded: " + href);
            URI target = base.resolve(href);
            assertEquals("/listing/", target.getRawPath().substring(0, "/listing/".length()),
                    "link escapes its directory: " + href);
            if (name.endsWith("/")) {
                HttpResponse<byte[]> inner = Http.send(Http.get(target.resolve("inner.txt")));
                assertEquals(200, inner.statusCode(), href);
                assertEquals("inner of " + name.substring(0, name.length() - 1),
                        new String(inner.body(), StandardCharsets.UTF_8));
            } else {
                HttpResponse<byte[]> file = Http.send(Http.get(target));
                assertEquals(200, file.statusCode(), href);
                assertEquals("content of " + name, new String(file.body(), StandardCharsets.UTF_8), href);
            }
        }
        List<String> expected = new ArrayList<>();
        for (String n : TestTree.HOSTILE_NAMES) {
            if (n.indexOf('\\') < 0) {
                expected.add(n.equals("<b>dir") ? n + "/" : n);
            }
        }
        expected.sort((a, b) -> a.endsWith("/") != b.endsWith("/") ? (a.endsWith("/") ? -1 : 1) : a.compareTo(b));
        assertEquals(expected, shown, "directories first, then files, by name; names with a backslash left out");
    }

    @OnEveryTransport
    void symlinksLeadingOutsideAreNotListedAndNamesWithBackslashesAreRefused(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        String page = new String(Http.get(server, "/links/").body(), StandardCharsets.UTF_8);
        assertTrue(page.contains(">inside-link.bin<"), page);
        assertTrue(page.contains(">inside-dir/<"), page);
        assertTrue(page.contains(">relative-inside.bin<"), page);
        assertFalse(page.contains("outside"), page);
        assertTrue(page.contains(">../<"), "a parent link below the root");
        assertFalse(new String(Http.get(server, "/").body(), StandardCharsets.UTF_8).contains(">../<"),
                "no parent link at the root");
        assertEquals(403, Http.raw(server.port, "GET /listing/back%5Cslash.txt HTTP/1.1\r\nHost: t\r\n\r\n").status);
    }

    @OnEveryTransport
    void listingsAreStreamedChunkedAndHeadHasNoBody(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        byte[] page = Http.get(server, "/sizes/").body();
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            c.send("HEAD /sizes/ HTTP/1.1\r\nHost: t\r\n\r\nGET /sizes/ HTTP/1.1\r\nHost: t\r\n\r\nGET "
                    + TestTree.sized(1) + " HTTP/1.1\r\nHost: t\r\n\r\n");
            Http.RawResponse head = c.read(true);
            assertEquals(200, head.status);
            assertEquals("chunked", head.header("transfer-encoding"));
            assertEquals(null, head.header("content-length"));
            Http.RawResponse get = c.read(false);
            assertEquals("chunked", get.header("transfer-encoding"));
            assertArrayEquals(page, get.body, "the same page over HttpClient and raw, chunked");
            assertEquals(1, c.read(false).body.length, "the next pipelined response is intact");
        }
        // HTTP/1.0 has no chunked coding: the page ends with the connection.
        try (Http.RawConnection c = new Http.RawConnection(server.port)) {
            c.send("GET /sizes/ HTTP/1.0\r\n\r\n");
            Http.RawResponse get = c.read(false);
            assertEquals(200, get.status);
            assertEquals(null, get.header("transfer-encoding"));
            assertArrayEquals(page, get.body);
        }
    }
}

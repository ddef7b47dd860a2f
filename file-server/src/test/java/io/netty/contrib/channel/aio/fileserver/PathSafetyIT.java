/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way out of the root is refused — raw and percent-encoded dot segments, encoded slashes and backslashes,
 * NUL bytes, overlong UTF-8, symlinks leading outside — while symlinks inside the root are served (or refused
 * altogether with {@code --no-symlinks}). The secret next to the root never appears in any answer.
 */
class PathSafetyIT {
    private static final Servers SERVERS = new Servers();
    private static final Servers NO_SYMLINKS = new Servers("--no-symlinks");

    /** Request targets that reach outside the root, each sent byte for byte, with the status expected. */
    private static final Object[][] ESCAPES = {
            {"/../outside/secret.txt", 403},
            {"/../../it/outside/secret.txt", 403},
            {"/sizes/../../outside/secret.txt", 403},
            {"/./../outside/secret.txt", 403},
            {"/%2e%2e/outside/secret.txt", 403},
            {"/%2E%2E/outside/secret.txt", 403},
            {"/.%2e/outside/secret.txt", 403},
            {"/%2e./outside/secret.txt", 403},
            {"/sizes/%2e%2e/%2e%2e/outside/secret.txt", 403},
            {"/..%2foutside%2fsecret.txt", 403},
            {"/%2e%2e%2foutside%2fsecret.txt", 403},
            {"/%2E%2E%2Foutside%2Fsecret.txt", 403},
            {"/..%5coutside%5csecret.txt", 403},
            {"/..\\outside\\secret.txt", 403},
            {"/sizes\\..\\..\\outside\\secret.txt", 403},
            {"/links/outside-link.txt", 403},
            {"/links/relative-outside.txt", 403},
            {"/links/outside-dir/secret.txt", 403},
            {"/links/outside-dir/", 403},
            {"/sizes/file-1.bin%00.html", 403},
            {"/%00/../outside/secret.txt", 403},
            {"/%c0%ae%c0%ae/outside/secret.txt", 400},
            {"/%e0%80%ae%e0%80%ae/outside/secret.txt", 400},
            {"/%%32%65%%32%65/outside/secret.txt", 400},
            {"/%252e%252e/outside/secret.txt", 404},
            {"http://localhost/../outside/secret.txt", 403},
    };

    @AfterAll
    static void stopServers() {
        Servers.stopAllCleanly(SERVERS, NO_SYMLINKS);
    }

    @OnEveryTransport
    void everyTraversalFormIsRefused(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        for (Object[] e : ESCAPES) {
            String target = (String) e[0];
            Http.RawResponse r = Http.raw(server.port, "GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(e[1], r.status, target);
            assertFalse(r.bodyText().contains(TestTree.SECRET), target + " leaked the secret");
        }
        // A raw NUL byte in the request line: refused, whatever layer notices it first.
        Http.RawResponse nul = Http.raw(server.port, "GET /sizes/file-1.bin\0.html HTTP/1.1\r\nHost: t\r\n\r\n");
        assertTrue(nul.status == 400 || nul.status == 403, nul.toString());
    }

    @OnEveryTransport
    void curlWithUnnormalisedPathsIsRefusedToo(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        for (String path : new String[] {"/../outside/secret.txt", "/sizes/../../outside/secret.txt",
                "/%2e%2e/outside/secret.txt", "/links/outside-link.txt"}) {
            Process p = Http.curl("--path-as-is", "--write-out", "\n%{http_code}", server.uri(path).toString());
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor());
            assertTrue(out.endsWith("\n403"), path + " -> " + out);
            assertFalse(out.contains(TestTree.SECRET), path);
        }
    }

    @OnEveryTransport
    void symlinksInsideTheRootAreServed(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        assertArrayEquals(Files.readAllBytes(TestTree.file(TestTree.sized(4097))),
                Http.get(server, "/links/inside-link.bin").body());
        assertArrayEquals(Files.readAllBytes(TestTree.file(TestTree.sized(1))),
                Http.get(server, "/links/relative-inside.bin").body());
        assertEquals("{}", new String(Http.get(server, "/links/inside-dir/data.json").body(),
                StandardCharsets.UTF_8));
    }

    @OnEveryTransport
    void noSymlinksRefusesEverySymlink(String transport) throws Exception {
        ServerProcess server = NO_SYMLINKS.get(transport);
        for (String path : new String[] {"/links/inside-link.bin", "/links/relative-inside.bin",
                "/links/inside-dir/data.json", "/links/outside-link.txt"}) {
            assertEquals(403, Http.get(server, path).statusCode(), path);
        }
        assertEquals(200, Http.get(server, TestTree.sized(1)).statusCode());
        String page = new String(Http.get(server, "/links/").body(), StandardCharsets.UTF_8);
        assertFalse(page.contains("-link") || page.contains("inside-dir") || page.contains("relative-"),
                "symlinks are not listed: " + page);
        assertFalse(page.contains(">fifo<"), "only what can be served is listed: " + page);
        assertTrue(page.endsWith("</table>\n</body></html>\n"), "the whole page: " + page);
    }

    @OnEveryTransport
    void aFifoIsRefusedWithoutBlockingTheServer(String transport) throws Exception {
        ServerProcess server = SERVERS.get(transport);
        long start = System.nanoTime();
        assertEquals(403, Http.get(server, "/links/fifo").statusCode());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "answered without opening the FIFO");
        assertEquals(200, Http.get(server, TestTree.sized(1)).statusCode());
    }
}

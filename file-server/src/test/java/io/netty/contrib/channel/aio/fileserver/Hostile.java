/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the hostile-client tests share: servers of their own, a normal client, descriptors back to baseline. */
final class Hostile {
    static final String SMALL = TestTree.sized(4097);

    private Hostile() {
    }

    /** A server of the test's own (its shutdown line is read), over TLS when {@code tls}. */
    static ServerProcess start(String transport, boolean tls, String... args) throws Exception {
        List<String> all = new ArrayList<>();
        if (tls) {
            TlsFiles.ensureMade();
            all.addAll(List.of(TlsFiles.serverArgs()));
        }
        all.addAll(List.of(args));
        return ServerProcess.start(transport, all.toArray(new String[0]));
    }

    /** A normal client's GET of a small file on a new connection: answered, every byte there. */
    static void assertNormalGet(ServerProcess server) throws Exception {
        if (server.scheme.equals("https")) {
            Process curl = Http.curl("--insecure", "--http2", "--output", "/dev/null", "--write-out",
                    "%{http_code} %{size_download}", server.uri(SMALL).toString());
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            Http.assertCurlSucceeded(curl, 60, "a normal client during the attack");
            assertEquals("200 4097", out);
            return;
        }
        Http.RawResponse r = Http.raw(server.port, "GET " + SMALL + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertEquals(200, r.status);
        assertEquals(4097, r.body.length);
    }

    /** Waits until the server holds no more descriptors than {@code baseline} (failing after a minute). */
    static void awaitDescriptors(ServerProcess server, int baseline) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.fdCount() > baseline) {
            assertTrue(System.nanoTime() < deadline, "descriptors never came back: " + server.fdCount()
                    + " against a baseline of " + baseline);
            Thread.sleep(50);
        }
    }

    /** Stops the server cleanly (no leak report, nothing logged at WARNING) and returns its shutdown line. */
    static String stop(ServerProcess server) throws Exception {
        server.stopCleanly();
        for (String l : server.lines()) {
            if (l.startsWith(FileServerCommand.NAME + ": stopped")) {
                return l;
            }
        }
        throw new AssertionError("no shutdown line:\n" + server.output());
    }

    /** A count the shutdown line reports, from the words before {@code label}. */
    static long reported(String shutdownLine, String label) {
        Matcher m = Pattern.compile("(\\d+) " + Pattern.quote(label)).matcher(shutdownLine);
        assertTrue(m.find(), "'" + label + "' in: " + shutdownLine);
        return Long.parseLong(m.group(1));
    }
}

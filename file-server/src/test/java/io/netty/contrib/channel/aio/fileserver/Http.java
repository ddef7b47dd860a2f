/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The clients of the end-to-end tests: the JDK's {@link HttpClient}, curl, and a raw socket for what a well-behaved
 * client will not send (NUL bytes, backslashes, unnormalised paths, pipelining, aborts).
 */
final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private Http() {
    }

    static HttpRequest.Builder get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120));
    }

    static HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> get(ServerProcess server, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = get(server.uri(path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    /** Downloads {@code path} and checks it against the file byte for byte, streaming. */
    static void assertDownload(ServerProcess server, String path) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = CLIENT.send(get(server.uri(path)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Path file = TestTree.file(path);
        long size = java.nio.file.Files.size(file);
        try (InputStream in = r.body()) {
            assertEquals(200, r.statusCode(), path);
            assertEquals(size, r.headers().firstValueAsLong("content-length").orElse(-1), path);
            TestTree.assertStreamEquals(file, 0, size, in, server.transport + " HttpClient " + path);
        }
    }

    // ------------------------------------------------------------------------------------------------- curl

    /** curl's exit status, stdout (as a stream the caller consumes) and, after exit, its stderr. */
    static Process curl(String... args) throws IOException {
        return curl(List.of(), args);
    }

    /** As {@link #curl(String...)}, curl started by {@code launcher} (such as {@code taskset --cpu-list 1}). */
    static Process curl(List<String> launcher, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of("curl", "--silent", "--show-error"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        return p;
    }

    /** Downloads {@code path} with curl and checks it byte for byte as it streams out of curl. */
    static void assertCurlDownload(ServerProcess server, String path, String... extraArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of(extraArgs));
        args.add("--fail");
        args.add(server.uri(path).toString());
        Process p = curl(args.toArray(new String[0]));
        Path file = TestTree.file(path);
        try (InputStream in = p.getInputStream()) {
            TestTree.assertStreamEquals(file, 0, java.nio.file.Files.size(file), in,
                    server.transport + " curl " + path);
        }
        assertCurlSucceeded(p, 120, "curl " + path);
    }

    /** Waits for a curl whose output has been consumed to exit, and asserts it succeeded; {@code what} names it. */
    static void assertCurlSucceeded(Process p, long timeoutSeconds, String what)
            throws IOException, InterruptedException {
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "curl hangs");
        assertEquals(0, p.exitValue(), what + ": " + err);
    }

    // ------------------------------------------------------------------------------------------ raw sockets

    /** A response read off a raw socket; header names lower-cased. */
    static final class RawResponse {
        final int status;
        final String statusLine;
        final Map<String, List<String>> headers;
        final byte[] body;

        RawResponse(String statusLine, Map<String, List<String>> headers, byte[] body) {
            this.statusLine = statusLine;
            this.status = Integer.parseInt(statusLine.split(" ")[1]);
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return statusLine + " " + headers;
        }
    }

    /** One request on a fresh connection; the request text is sent as ISO-8859-1 (one byte per char). */
    static RawResponse raw(int port, String request) throws IOException {
        try (RawConnection c = new RawConnection(port)) {
            c.send(request);
            return c.read(request.startsWith("HEAD "));
        }
    }

    /** A client connection for hand-written requests, pipelining and keep-alive checks. */
    static final class RawConnection implements AutoCloseable {
        final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        RawConnection(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(60_000);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
            out = socket.getOutputStream();
        }

        void send(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        InputStream input() {
            return in;
        }

        /** Reads and drops what arrives until the server closes the connection, with a FIN or a reset; the count. */
        long readToEnd() throws IOException {
            long received = 0;
            byte[] buf = new byte[65536];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    received += n;
                }
            } catch (SocketException reset) {
                // closed all the same
            }
            return received;
        }

        /**
         * Reads one response head, then a body as framed by Content-Length or the chunked coding (none for HEAD,
         * 304, 1xx), else to the end of the connection.
         */
        RawResponse read(boolean head) throws IOException {
            String statusLine = line();
            if (statusLine == null) {
                fail("connection closed before a response");
            }
            Map<String, List<String>> headers = readHeaders();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            byte[] body;
            List<String> cl = headers.get("content-length");
            if (head || status == 304 || status < 200) {
                body = new byte[0];
            } else if (cl != null) {
                body = in.readNBytes(Integer.parseInt(cl.get(0)));
            } else if (String.valueOf(headers.get("transfer-encoding")).contains("chunked")) {
                body = readChunked();
            } else {
                body = in.readAllBytes();
            }
            return new RawResponse(statusLine, headers, body);
        }

        private byte[] readChunked() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (;;) {
                String size = line();
                if (size == null) {
                    fail("connection closed inside a chunked body");
                }
                int n = Integer.parseInt(size.trim(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) {
                        // trailers: none expected, skipped
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(n));
                line(); // the CRLF after the chunk
            }
        }

        /** Reads a response head only, leaving the body in {@link #input()}. */
        RawResponse readHead() throws IOException {
            String statusLine = line();
            if (statusLine == null) {
                fail("connection closed before a response");
            }
            return new RawResponse(statusLine, readHeaders(), new byte[0]);
        }

        private Map<String, List<String>> readHeaders() throws IOException {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String h;
            while ((h = line()) != null && !h.isEmpty()) {
                int colon = h.indexOf(':');
                headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(h.substring(colon + 1).trim());
            }
            return headers;
        }

        /** Whether the server closed the connection (EOF or reset) within the socket timeout. */
        boolean closedByServer() throws IOException {
            try {
                return in.read() < 0;
            } catch (java.net.SocketException e) {
                return true; // reset
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    byte[] bytes = b.toByteArray();
                    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
                }
                b.write(c);
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

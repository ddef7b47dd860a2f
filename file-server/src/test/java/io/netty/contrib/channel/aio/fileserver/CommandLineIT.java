/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: transport choice and fallback, validation, port conflicts, help, the access log. */
class CommandLineIT {

    /** Disables every native transport, as a seccomp-confined or non-Linux machine would. */
    private static final List<String> NO_NATIVE = List.of("-Dio.netty.transport.noNative=true");

    @Test
    void aioIsTheDefaultTransport() throws Exception {
        ServerProcess.Result help = ServerProcess.run("--help");
        assertTrue(help.out().contains("Transport (default: aio)"), help.out());
        try (ServerProcess server = ServerProcess.startWithJvmArgs(List.of(), "aio")) {
            assertEquals("aio", server.transport);
            assertTrue(server.output().contains("bodies=AioChunkedFile(read-ahead 4 x 65536 bytes"),
                    server.output());
            server.stopCleanly();
        }
    }

    @Test
    void anUnavailableTransportIsNamedWithItsCauseAndTheServerStops() throws Exception {
        for (String transport : new String[] {"aio", "epoll", "io_uring"}) {
            ServerProcess.Result r = ServerProcess.runWithJvmArgs(NO_NATIVE, "--root", TestTree.WORK.toString(),
                    "--port", "0", "--transport", transport);
            assertEquals(1, r.status(), r.err());
            assertTrue(r.err().contains("aio-file-server: transport " + transport + " is not available: "), r.err());
            assertTrue(r.err().contains("noNative"), "the cause is named: " + r.err());
            assertTrue(r.err().contains("--fallback"), r.err());
            assertTrue(r.out().isEmpty(), "no listening line: " + r.out());
        }
    }

    @Test
    void fallbackServesOnTheFirstAvailableTransport() throws Exception {
        try (ServerProcess server = ServerProcess.startWithJvmArgs(NO_NATIVE, "aio", "--fallback")) {
            assertEquals("nio", server.transport);
            assertTrue(server.output().contains("transport aio is not available: "), server.output());
            assertTrue(server.output().contains("--fallback: using nio"), server.output());
            Http.assertDownload(server, TestTree.MEDIUM);
            server.stopCleanly();
        }
    }

    /**
     * The transport's seccomp launcher ({@code seccomp_launcher.c} of the transport module's tests, path from the
     * build), built here with gcc: a JVM under it gets the errno asked for from the AIO call named.
     */
    private static List<String> seccomp(String rule) throws Exception {
        Path source = Paths.get(System.getProperty("seccomp.launcher.source",
                "../transport-native-aio/src/test/c/seccomp_launcher.c")).toAbsolutePath();
        Path binary = Paths.get("target", "seccomp_launcher").toAbsolutePath();
        if (!Files.exists(binary)
                || Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) < 0) {
            Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Werror", "-o", binary.toString(),
                    source.toString()).redirectErrorStream(true).start();
            String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, gcc.waitFor(), "gcc " + source + ": " + out);
        }
        return List.of(binary.toString(), rule, "--");
    }

    @Test
    void aioRefusedByASeccompFilterIsNamedAndFallbackServesOnEpoll() throws Exception {
        for (String rule : new String[] {"io_setup=EPERM", "io_submit=EPERM"}) {
            String call = rule.substring(0, rule.indexOf('='));
            ServerProcess.Result r = ServerProcess.runUnder(seccomp(rule), List.of(), "--root",
                    TestTree.WORK.toString(), "--port", "0", "--transport", "aio");
            assertEquals(1, r.status(), r.err());
            assertTrue(r.err().contains("transport aio is not available: ") && r.err().contains(call)
                    && r.err().contains("EPERM") && r.err().contains("seccomp"), rule + ": " + r.err());
            try (ServerProcess server = ServerProcess.startUnder(seccomp(rule), List.of(), "aio", "--fallback")) {
                assertEquals("epoll", server.transport, rule);
                Http.assertDownload(server, TestTree.MEDIUM);
                server.stopCleanly();
            }
        }
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() throws Exception {
        String[][] cases = {
                {"--transport", "bogus", "unknown transport 'bogus'"},
                {"--chunk-size", "1000", "--chunk-size 1000: must be a multiple of 4096"},
                {"--chunk-size", "12q", "'12q' is not a byte count"},
                {"--read-ahead", "0", "--read-ahead 0: not in 1..1024"},
                {"--port", "70000", "--port 70000: not in 0..65535"},
                {"--root", "/nonexistent/dir", "--root /nonexistent/dir"},
                {"--idle-timeout", "0", "--idle-timeout 0"},
                {"--index", "a/index.html", "--index 'a/index.html': must be a file name"},
                {"--index", "..", "--index '..': must be a file name"},
                {"--no-such-option", "x", "Unknown option"},
        };
        for (String[] c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of(c[0], c[1]));
            if (!c[0].equals("--transport")) {
                args.addAll(List.of("--transport", "nio"));
            }
            if (!c[0].equals("--port")) {
                args.addAll(List.of("--port", "0"));
            }
            ServerProcess.Result r = ServerProcess.run(args.toArray(new String[0]));
            assertEquals(2, r.status(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains(c[2]), String.join(" ", c) + ": " + r.err());
            // One line naming the option, then where to look: not the whole usage.
            assertTrue(r.err().startsWith("aio-file-server: "), r.err());
            assertTrue(r.err().contains("Try 'aio-file-server --help' for the options."), r.err());
            assertTrue(!r.err().contains("Usage: aio-file-server"), "no usage dump: " + r.err());
        }
    }

    @Test
    void aBusyPortIsReported() throws Exception {
        try (ServerProcess first = ServerProcess.start("nio")) {
            ServerProcess.Result r = ServerProcess.run("--root", TestTree.ROOT.toString(), "--transport", "nio",
                    "--port", Integer.toString(first.port));
            assertEquals(1, r.status(), r.err());
            assertTrue(r.err().contains("cannot listen on 127.0.0.1:" + first.port), r.err());
            assertTrue(r.err().toLowerCase().contains("address already in use"), r.err());
            assertTrue(r.err().contains("--port (0 picks a free one)"), "says what to do: " + r.err());
            first.stopCleanly();
        }
    }

    @Test
    void versionNamesTheComponentsAndTheKernelFeaturesFound() throws Exception {
        ServerProcess.Result r = ServerProcess.run("--version");
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        String project = System.getProperty("project.version");
        assertTrue(out.startsWith("aio-file-server " + project + "\n"), out);
        assertTrue(out.contains("\nnetty-transport-aio " + project + "\n"), out);
        assertTrue(out.contains("\nNetty " + io.netty.util.Version.identify().get("netty-transport")
                .artifactVersion() + "\n"), out);
        assertTrue(out.contains("\nkernel: Linux " + System.getProperty("os.version") + ' '), out);
        // Probed on this machine (Linux 6.18): every transport loads, openat2 and cachestat answer.
        for (String t : new String[] {"aio", "epoll", "io_uring", "nio"}) {
            assertTrue(out.contains("  transport " + t + ": available\n"), t + ": " + out);
        }
        assertTrue(out.contains("  openat2: yes"), out);
        assertTrue(out.contains("  cachestat: yes"), out);
        // Under -Dio.netty.transport.noNative the native transports say why they are out.
        ServerProcess.Result noNative = ServerProcess.runWithJvmArgs(NO_NATIVE, "--version");
        assertEquals(0, noNative.status(), noNative.err());
        assertTrue(noNative.out().contains("  transport aio: unavailable: "), noNative.out());
        assertTrue(noNative.out().contains("  transport nio: available"), noNative.out());
    }

    @Test
    void helpListsEveryOption() throws Exception {
        ServerProcess.Result r = ServerProcess.run("--help");
        assertEquals(0, r.status());
        for (String option : new String[] {"--root", "--port", "--bind", "--transport", "--fallback", "--threads",
                "--read-ahead", "--chunk-size", "--direct-io-threshold", "--sendfile-threshold", "--access-log",
                "--no-symlinks", "--index",
                "--idle-timeout", "--shutdown-timeout"}) {
            assertTrue(r.out().contains(option), option);
        }
    }

    @Test
    void accessLogHasOneEscapedLinePerResponse() throws Exception {
        try (ServerProcess server = ServerProcess.start("epoll", "--access-log", "--read-ahead", "8")) {
            assertEquals(200, Http.get(server, TestTree.sized(4096)).statusCode());
            assertEquals(404, Http.raw(server.port, "GET /a\"b%0a HTTP/1.1\r\nHost: t\r\n\r\n").status);
            server.awaitLine("\"GET /a\\x22b%0a HTTP/1.1\" 404 ", 10, java.util.concurrent.TimeUnit.SECONDS);
            Pattern ok = Pattern.compile("^127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] "
                    + "\"GET /sizes/file-4096\\.bin HTTP/1\\.1\" 200 4096 \\d+\\.\\d{6}$");
            // Responses on different connections are logged by different loops: in either order.
            server.awaitLine(l -> ok.matcher(l).matches(), "a 200 line", 10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(server.output().contains("--read-ahead applies to --transport aio only"), server.output());
            server.stopCleanly();
        }
    }
}

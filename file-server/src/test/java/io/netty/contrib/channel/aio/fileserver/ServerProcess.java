/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The server under test: {@code java -jar target/aio-file-server.jar} in its own JVM, with JNI checking and
 * paranoid leak detection, on an ephemeral port read from its startup line. Collects everything it prints, so
 * tests can wait for lines and fail on leak reports, JNI warnings or logged errors.
 */
final class ServerProcess implements AutoCloseable {
    private static final Path JAR = Paths.get(System.getProperty("fileserver.jar", "target/aio-file-server.jar"));
    private static final Pattern LISTENING = Pattern.compile("listening on (https?)://(\\S+):(\\d+)/ transport=(\\S+)");
    /** Lines that fail a run: buffer leaks, JNI misuse, anything logged at WARNING or worse. */
    private static final Pattern BAD = Pattern.compile("LEAK:|WARNING in native method|^WARNING:|^SEVERE:|"
            + "^\\S+ \\S+ WARN |Exception in thread");

    final Process process;
    /** The transport the server reports (differs from the one asked for with --fallback). */
    String transport;
    int port = -1;
    /** {@code http}, or {@code https} when started with TLS. */
    String scheme = "http";
    private final List<String> lines = new ArrayList<>();
    private boolean tailDone;
    private static final AtomicInteger LOG_COUNTER = new AtomicInteger();

    private ServerProcess(Process process, Path log) {
        this.process = process;
        tail(log);
    }

    /** Starts a server on {@link TestTree#ROOT} with {@code --transport transport --port 0} and {@code extra}. */
    static ServerProcess start(String transport, String... extra) throws Exception {
        return startWithJvmArgs(List.of(), transport, extra);
    }

    /** As {@link #start}, with more options for the server's JVM. */
    static ServerProcess startWithJvmArgs(List<String> jvmArgs, String transport, String... extra) throws Exception {
        return startUnder(List.of(), jvmArgs, transport, extra);
    }

    /** As {@link #startWithJvmArgs}, the JVM started by {@code launcher} (such as {@code prlimit --nofile=...}). */
    static ServerProcess startUnder(List<String> launcher, List<String> jvmArgs, String transport, String... extra)
            throws Exception {
        TestTree.ensureBuilt();
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of(javaBinary(), "-Xcheck:jni",
                "-Dio.netty.leakDetection.level=paranoid", "-Dio.netty.leakDetection.targetRecords=32",
                "-Xmx256m"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", JAR.toString(), "--root", TestTree.ROOT.toString(), "--port", "0",
                "--transport", transport));
        cmd.addAll(List.of(extra));
        return launch(cmd);
    }

    /** Runs the jar with exactly {@code args}; for command-line tests that expect it to stop by itself. */
    static Result run(String... args) throws Exception {
        return runWithJvmArgs(List.of(), args);
    }

    /** As {@link #run}, with options for the server's JVM. */
    static Result runWithJvmArgs(List<String> jvmArgs, String... args) throws Exception {
        return runUnder(List.of(), jvmArgs, args);
    }

    /** As {@link #runWithJvmArgs}, the JVM started by {@code launcher}. */
    static Result runUnder(List<String> launcher, List<String> jvmArgs, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(javaBinary());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "server did not stop by itself");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    record Result(int status, String out, String err) {
    }

    static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static ServerProcess launch(List<String> cmd) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " missing: run the package phase first");
        // Output goes to a file, not a pipe: a JDK process pipe read while the process exits may fail with
        // "Stream closed" and lose the last lines, which are the ones shutdown tests look for.
        Path logs = Files.createDirectories(TestTree.WORK.resolve("logs"));
        Path log = logs.resolve("server-" + LOG_COUNTER.incrementAndGet() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        ServerProcess server = new ServerProcess(p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (server.lines) {
            while (server.port < 0 && System.nanoTime() < deadline && (p.isAlive() || !server.tailDone)) {
                server.lines.wait(100);
            }
            if (server.port < 0) {
                p.destroyForcibly();
                fail("server did not start: " + cmd + "\n" + String.join("\n", server.lines));
            }
        }
        return server;
    }

    /** Follows the log file until the process has exited and everything it wrote has been read. */
    private void tail(Path log) {
        Thread t = new Thread(() -> {
            java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try (InputStream in = Files.newInputStream(log)) {
                for (;;) {
                    boolean exited = !process.isAlive();
                    int n = in.read(buf);
                    if (n < 0) {
                        if (exited) {
                            break;
                        }
                        Thread.sleep(20);
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            add(partial.toString(StandardCharsets.UTF_8));
                            partial.reset();
                        } else {
                            partial.write(buf[i]);
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                add("[test: reading server output failed: " + e + "]");
            }
            if (partial.size() > 0) {
                add(partial.toString(StandardCharsets.UTF_8));
            }
            synchronized (lines) {
                tailDone = true;
                lines.notifyAll();
            }
        }, "server-output-" + process.pid());
        t.setDaemon(true);
        t.start();
    }

    private void add(String line) {
        synchronized (lines) {
            lines.add(line);
            if (port < 0) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    scheme = m.group(1);
                    port = Integer.parseInt(m.group(3));
                    transport = m.group(4);
                }
            }
            lines.notifyAll();
        }
    }

    List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    String output() {
        return String.join("\n", lines());
    }

    /** Waits until the server prints a line containing {@code text}. */
    void awaitLine(String text, long timeout, TimeUnit unit) throws InterruptedException {
        awaitLine(l -> l.contains(text), "'" + text + "'", timeout, unit);
    }

    /** Waits until the server prints a line matching {@code test}. */
    void awaitLine(java.util.function.Predicate<String> test, String what, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lines) {
            while (lines.stream().noneMatch(test)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("server never printed " + what + ":\n" + String.join("\n", lines));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    long pid() {
        return process.pid();
    }

    URI uri(String path) {
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    /** Open descriptors of the server process right now. */
    int fdCount() throws IOException {
        try (var s = Files.list(Paths.get("/proc", Long.toString(pid()), "fd"))) {
            return (int) s.count();
        }
    }

    /** Runs {@code jcmd <server> command} and returns what it printed; fails the test if jcmd fails. */
    String jcmd(String command) throws Exception {
        Process jcmd = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), command).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS) && jcmd.exitValue() == 0, "jcmd " + command + " failed: "
                + out);
        return out;
    }

    /**
     * Makes pending leak reports appear (a full GC, then allocations: Netty reports a collected, unreleased
     * buffer on the next tracked allocation) and fails on any of them or any other bad line so far.
     */
    void assertCleanOutput() throws Exception {
        for (int round = 0; round < 3; round++) {
            jcmd("GC.run");
            for (int i = 0; i < 8; i++) {
                if (scheme.equals("https")) {
                    Process curl = Http.curl("--insecure", "--output", "/dev/null", "--write-out", "%{http_code}",
                            uri(TestTree.sized(4097)).toString());
                    String code = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    Http.assertCurlSucceeded(curl, 60, "curl after GC");
                    assertEquals("200", code);
                    continue;
                }
                Http.RawResponse r = Http.raw(port, "GET " + TestTree.sized(4097) + " HTTP/1.1\r\nHost: t\r\n"
                        + "Connection: close\r\n\r\n");
                assertEquals(200, r.status);
            }
        }
        List<String> bad = new ArrayList<>();
        for (String l : lines()) {
            if (BAD.matcher(l).find()) {
                bad.add(l);
            }
        }
        if (!bad.isEmpty()) {
            fail("server (" + transport + ") reported problems:\n" + String.join("\n", bad) + "\n--- full output:\n"
                    + output());
        }
    }

    /** The lookup counters of the stop line, once the server has stopped. */
    record LookupCounts(long onLoop, long offLoop, long refused) {
    }

    private static final Pattern LOOKUPS = Pattern.compile(
            "lookups: (\\d+) on the loop \\(dentry cache\\), (\\d+) off the loop, (\\d+) refused over --lookup-queue");

    /** Parses the lookup counters from the stop line; fails when the server printed none. */
    LookupCounts lookupCounts() {
        for (String l : lines()) {
            Matcher m = LOOKUPS.matcher(l);
            if (m.find()) {
                return new LookupCounts(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)));
            }
        }
        return fail("no lookup counters in the stop line:\n" + output());
    }

    /** SIGTERM, then waits for the exit; returns the exit status. */
    int terminate(long timeout, TimeUnit unit) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout, unit)) {
            process.destroyForcibly();
            fail("server did not stop within " + timeout + " " + unit + " of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    /** Checks the output, stops the server with SIGTERM and checks that it stopped cleanly. */
    void stopCleanly() throws Exception {
        assertCleanOutput();
        int status = terminate(60, TimeUnit.SECONDS);
        awaitLine(FileServerCommand.NAME + ": stopped", 10, TimeUnit.SECONDS);
        // 143 = 128 + SIGTERM: the JVM's status after running its shutdown hooks on that signal.
        assertEquals(143, status, output());
        assertTrue(lines().stream().noneMatch(l -> l.contains("shutdown timeout")), output());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}

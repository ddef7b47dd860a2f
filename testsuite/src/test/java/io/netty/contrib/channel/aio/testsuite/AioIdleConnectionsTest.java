/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testsuite;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.netty.contrib.channel.aio.testing.AioTests.aioRings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An AIO TCP echo server in the default configuration ({@code new AioEventLoopGroup()}: Netty's default thread
 * count, the default depth and file I/O reserve) and the machine's {@code fs.aio-max-nr} as it is holds a very large
 * number of idle connections, and proves that an idle connection costs no AIO request slot:
 * <ol>
 *   <li>every connection is accepted (the server sees {@code channelActive} for all N);</li>
 *   <li>at every 5 000 connections (and at N) a new client is still answered: connect, write, read the echo, within
 *       10 s (the measured time is printed, not asserted: CI is a loaded 2-core machine);</li>
 *   <li>this process's AIO contexts do not change as connections are added: their number and the size of their
 *       rings (the {@code [aio]} mappings in {@code /proc/self/maps}, one per {@code io_setup}, sized by its
 *       depth) equal, at every checkpoint and at the end, what they were once the group's loops had all started,
 *       the server was bound and one probe was served. The system-wide charge {@code /proc/sys/fs/aio-nr} is
 *       printed beside it, not asserted: other processes on the machine move it;</li>
 *   <li>closing 1 000 of the idle clients is seen by the server: {@code channelInactive} for each of them
 *       (within 60 s);</li>
 * </ol>
 * and that the server never closes an idle connection on its own: no idle channel goes inactive before its client
 * closes it, exactly the 1 000 closed ones do, none raises an exception, and every client still open reads neither
 * end of stream, a reset nor data.
 *
 * <p><b>Why N is what it is.</b> The machine's hard {@code RLIMIT_NOFILE} is 20 000 per process and cannot be
 * raised (prlimit answers EPERM, even as root), and the server holds one descriptor per connection. So the client
 * ends live in {@link IdleClients} processes (3, plain JDK, at most 9 000 connections each, each connection from its
 * own 127.P.x.y source address so ephemeral ports never run out), and this JVM holds only the server ends. N is
 * what this JVM can still open: {@code min(20 000, RLIMIT_NOFILE - descriptors open at the start - 200)}, rounded
 * down to a multiple of 1 000 (the 200 cover the loops' eventfds and epoll descriptors, the listener, the probe's
 * two ends and the pipes to the client processes). The test fails, not skips, when that leaves fewer than 15 000:
 * a machine that cannot hold them does not prove the point. The JVM raises its soft limit to the hard one
 * ({@code -XX:+MaxFDLimit}, the default on Linux); the test checks that they are equal.
 *
 * <p>Connections are opened in steps of 1 000 (split over the processes), and each step waits until the server has
 * accepted all of them, so the accept queue (backlog 4 096, the default {@code somaxconn}) never overflows.
 */
public class AioIdleConnectionsTest {
    private static final int MAX_CONNECTIONS = 20_000;
    private static final int MIN_CONNECTIONS = 15_000;
    private static final int DESCRIPTOR_MARGIN = 200;
    private static final int PROCESSES = 3;
    private static final int MAX_PER_PROCESS = 9_000;
    private static final int STEP = 1_000;
    private static final int CHECKPOINT = 5_000;
    private static final int CLOSED = 1_000;
    private static final int BACKLOG = 4_096;
    private static final long PROBE_TIMEOUT_MILLIS = 10_000;
    private static final long STEP_TIMEOUT_SECONDS = 30;
    private static final long CLOSE_TIMEOUT_SECONDS = 60;
    private static final String SERVER_HOST = "127.0.0.1";

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void idleConnectionsTakeNoAioSlotsAndNeverBlockAccept() throws Exception {
        long[] limit = IdleClients.openFilesLimit();
        assertEquals(limit[1], limit[0], "this JVM's soft RLIMIT_NOFILE should be at its hard limit "
                + "(the JVM raises it with -XX:+MaxFDLimit, the default on Linux): soft " + limit[0]
                + ", hard " + limit[1]);
        int openAtStart = openDescriptors();
        long room = limit[0] < 0 ? MAX_CONNECTIONS : limit[0] - openAtStart - DESCRIPTOR_MARGIN;
        int n = (int) (Math.min(MAX_CONNECTIONS, room) / 1000 * 1000);
        System.out.printf("RLIMIT_NOFILE soft %d hard %d, %d descriptors open at start, margin %d: "
                        + "N = min(%d, %d) rounded down to 1 000 = %d idle connections%n",
                limit[0], limit[1], openAtStart, DESCRIPTOR_MARGIN, MAX_CONNECTIONS, room, n);
        assertTrue(n >= MIN_CONNECTIONS, "this JVM can hold only " + n + " connections (limit " + limit[0] + ", "
                + openAtStart + " descriptors open): fewer than " + MIN_CONNECTIONS);
        assertTrue(n <= PROCESSES * MAX_PER_PROCESS);

        System.out.printf("fs.aio-max-nr=%d, fs.aio-nr=%d before the group%n", aioMaxNr(), aioNr());
        Counters counters = new Counters();
        EventLoopGroup group = new AioEventLoopGroup();
        List<ClientProcess> clients = new ArrayList<>();
        Channel server = null;
        Throwable failure = null;
        try {
            server = new ServerBootstrap()
                    .group(group)
                    .channel(AioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, BACKLOG)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(isProbe(ch.remoteAddress()) ? counters.probes : counters.idle);
                        }
                    })
                    .bind(SERVER_HOST, 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            startEveryLoop(group);
            int probes = 0;
            long firstProbeMillis = probe(port, counters, ++probes, 0);
            String baseline = aioRings();
            System.out.printf("group of %d loops started, server on %s:%d, first probe answered in %d ms; "
                            + "AIO rings: %s (the baseline), fs.aio-nr=%d, %d descriptors open%n", loops(group),
                    SERVER_HOST, port, firstProbeMillis, baseline, aioNr(), openDescriptors());

            for (int p = 0; p < PROCESSES; p++) {
                clients.add(ClientProcess.start(port, p + 1));
            }
            for (ClientProcess client : clients) {
                String[] ready = client.await("ready", 30, TimeUnit.SECONDS);
                long soft = Long.parseLong(ready[1]);
                long hard = Long.parseLong(ready[2]);
                System.out.printf("%s: RLIMIT_NOFILE soft %d hard %d%n", client, soft, hard);
                assertTrue(soft < 0 || soft >= share(n, PROCESSES, client.index) + DESCRIPTOR_MARGIN,
                        client + " may open only " + soft + " descriptors");
            }

            int total = 0;
            while (total < n) {
                int step = Math.min(STEP, n - total);
                long start = System.nanoTime();
                for (ClientProcess client : clients) {
                    client.send("open " + share(step, PROCESSES, client.index));
                }
                for (ClientProcess client : clients) {
                    int k = share(step, PROCESSES, client.index);
                    String[] opened = client.await("opened", STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    client.holding += k;
                    assertEquals(client.holding, Integer.parseInt(opened[2]), client + " holds");
                }
                total += step;
                long connectedMillis = millisSince(start);
                assertTrue(counters.idle.active.awaitAtLeast(total, STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS),
                        "the server accepted " + counters.idle.active.get() + " of " + total
                                + " connections in " + STEP_TIMEOUT_SECONDS + " s");
                assertEquals(total, counters.idle.active.get(), "idle connections active on the server");
                assertEquals(0, counters.idle.inactive.get(), "idle connections the server closed on its own");
                assertNull(counters.error.get(), "exception on a server channel at " + total + " connections");
                if (total % CHECKPOINT == 0 || total == n) {
                    long probeMillis = probe(port, counters, ++probes, total);
                    String rings = aioRings();
                    System.out.printf("%6d idle connections (last %d connected in %d ms, all accepted in %d ms): "
                                    + "new client answered in %d ms; AIO rings: %s (baseline %s), fs.aio-nr=%d; "
                                    + "%d descriptors open%n", total, step, connectedMillis, millisSince(start),
                            probeMillis, rings, baseline, aioNr(), openDescriptors());
                    assertEquals(baseline, rings, "this process's AIO contexts at " + total + " idle connections: "
                            + "the AIO charge moved with the connections");
                }
            }
            assertIdleClients(clients, n, "with all " + n + " open");

            long start = System.nanoTime();
            for (ClientProcess client : clients) {
                client.send("close " + share(CLOSED, PROCESSES, client.index));
            }
            for (ClientProcess client : clients) {
                String[] closed = client.await("closed", STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                client.holding -= share(CLOSED, PROCESSES, client.index);
                assertEquals(client.holding, Integer.parseInt(closed[2]), client + " holds");
            }
            assertTrue(counters.idle.inactive.awaitAtLeast(CLOSED, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "the server saw " + counters.idle.inactive.get() + " of the " + CLOSED
                            + " closed connections go inactive in " + CLOSE_TIMEOUT_SECONDS + " s");
            long inactiveMillis = millisSince(start);
            assertIdleClients(clients, n - CLOSED, "after " + CLOSED + " were closed");
            assertEquals(CLOSED, counters.idle.inactive.get(), "idle connections inactive on the server");
            assertEquals(n, counters.idle.active.get(), "idle connections active on the server");
            String rings = aioRings();
            System.out.printf("%d clients closed: the server saw all go inactive in %d ms; AIO rings: %s "
                    + "(baseline %s), fs.aio-nr=%d%n", CLOSED, inactiveMillis, rings, baseline, aioNr());
            assertEquals(baseline, rings, "this process's AIO contexts at the end");
            assertNull(counters.error.get(), "exception on a server channel");

            for (ClientProcess client : clients) {
                client.send("exit");
            }
            for (ClientProcess client : clients) {
                assertTrue(client.process.waitFor(30, TimeUnit.SECONDS), client + " did not exit");
                assertEquals(0, client.process.exitValue(), client + " exit status");
            }
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            cleanUp(clients, server, group, failure);
        }
    }

    /** Shares of {@code total} over {@code parts} as even as possible; the first ones take the remainder. */
    private static int share(int total, int parts, int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    private static boolean isProbe(SocketAddress remote) {
        // Probes come from 127.0.0.1, idle clients from 127.P.x.y with P >= 1 (IPv4-mapped if the listener is IPv6).
        byte[] address = ((InetSocketAddress) remote).getAddress().getAddress();
        return address[address.length - 3] == 0;
    }

    /** Every loop's thread has run a task: whatever a loop sets up when it starts is in the baseline. */
    private static void startEveryLoop(EventLoopGroup group) throws InterruptedException {
        for (EventExecutor loop : group) {
            Future<?> started = loop.submit(() -> { });
            assertTrue(started.await(10, TimeUnit.SECONDS), loop + " did not start");
            assertTrue(started.isSuccess(), loop + " did not start: " + started.cause());
        }
    }

    private static int loops(EventLoopGroup group) {
        int loops = 0;
        for (EventExecutor ignored : group) {
            loops++;
        }
        return loops;
    }

    /**
     * A new client from this JVM: connects, writes a few bytes and reads them back within {@link
     * #PROBE_TIMEOUT_MILLIS}, closes, and waits (as long again) for the server to see it go inactive.
     * Returns the milliseconds from connect to the echo.
     */
    private static long probe(int port, Counters counters, int number, int idle) throws Exception {
        byte[] message = ("probe " + number + " at " + idle + " idle\n").getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(PROBE_TIMEOUT_MILLIS);
        long millis;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(SERVER_HOST, port), (int) PROBE_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(message);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] echo = new byte[message.length];
            int read = 0;
            while (read < echo.length) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                socket.setSoTimeout((int) left);
                int r = in.read(echo, read, echo.length - read);
                if (r < 0) {
                    fail("the server closed probe " + number + " at " + idle + " idle connections after " + read
                            + " of " + echo.length + " bytes");
                }
                read += r;
            }
            millis = millisSince(start);
            assertArrayEquals(message, echo, "echo of probe " + number);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("a new client was not answered within " + PROBE_TIMEOUT_MILLIS + " ms at "
                    + idle + " idle connections (server accepted " + counters.probes.active.get() + " of "
                    + number + " probes)", e);
        }
        assertTrue(counters.probes.inactive.awaitAtLeast(number, PROBE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS),
                "the server did not see probe " + number + " close");
        return millis;
    }

    /** Asks every client process to read its connections: all {@code expected} alive, none closed nor written. */
    private static void assertIdleClients(List<ClientProcess> clients, int expected, String when)
            throws InterruptedException {
        int alive = 0;
        int dead = 0;
        int data = 0;
        for (ClientProcess client : clients) {
            client.send("check");
        }
        for (ClientProcess client : clients) {
            String[] check = client.await("alive", STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            alive += Integer.parseInt(check[1]);
            dead += Integer.parseInt(check[3]);
            data += Integer.parseInt(check[5]);
        }
        System.out.printf("client processes %s: %d alive, %d closed by the server, %d written to%n",
                when, alive, dead, data);
        assertEquals(0, dead, "idle connections the server closed (end of stream or reset), " + when);
        assertEquals(0, data, "idle connections the server wrote to, " + when);
        assertEquals(expected, alive, "idle connections alive, " + when);
    }

    private static void cleanUp(List<ClientProcess> clients, Channel server, EventLoopGroup group,
                                Throwable failure) throws Exception {
        List<Throwable> problems = new ArrayList<>();
        for (ClientProcess client : clients) {
            try {
                client.stop();
            } catch (Throwable t) {
                problems.add(t);
            }
        }
        try {
            if (server != null && !server.close().await(10, TimeUnit.SECONDS)) {
                problems.add(new AssertionError("the listener did not close in 10 s"));
            }
        } catch (Throwable t) {
            problems.add(t);
        }
        try {
            Future<?> terminated = group.shutdownGracefully(100, 10_000, TimeUnit.MILLISECONDS);
            if (!terminated.await(30, TimeUnit.SECONDS)) {
                problems.add(new AssertionError("the event loop group did not terminate in 30 s"));
            }
        } catch (Throwable t) {
            problems.add(t);
        }
        if (problems.isEmpty()) {
            return;
        }
        if (failure != null) {
            problems.forEach(failure::addSuppressed);
            return;
        }
        AssertionError error = new AssertionError("clean-up failed");
        problems.forEach(error::addSuppressed);
        throw error;
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static int openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        }
    }

    private static long aioNr() throws IOException {
        return sysctl("/proc/sys/fs/aio-nr");
    }

    private static long aioMaxNr() throws IOException {
        return sysctl("/proc/sys/fs/aio-max-nr");
    }

    private static long sysctl(String path) throws IOException {
        // Not Files.readString: it reads a "0-byte" /proc file one byte first, and a sysctl read at a non-zero
        // offset is empty ("6" for 65536). A buffered reader asks for the whole value in one read.
        return Long.parseLong(Files.readAllLines(Path.of(path)).get(0).trim());
    }

    /** An event count that can be waited on. */
    private static final class Counter {
        private int value;

        synchronized void increment() {
            value++;
            notifyAll();
        }

        synchronized int get() {
            return value;
        }

        synchronized boolean awaitAtLeast(int target, long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (value < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    /** Echoes what it reads (the write takes over the buffer) and counts its channels' activation and closing. */
    @Sharable
    private static final class CountingEcho extends ChannelInboundHandlerAdapter {
        final Counter active = new Counter();
        final Counter inactive = new Counter();
        private final AtomicReference<Throwable> error;

        CountingEcho(AtomicReference<Throwable> error) {
            this.error = error;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active.increment();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive.increment();
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            error.compareAndSet(null, cause);
            ctx.close();
        }
    }

    private static final class Counters {
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final CountingEcho idle = new CountingEcho(error);
        final CountingEcho probes = new CountingEcho(error);
    }

    /** One {@link IdleClients} process and its line protocol. */
    private static final class ClientProcess {
        private static final List<String> REPLIES = List.of("ready", "opened", "closed", "alive", "error");

        final int index;
        final Process process;
        private final PrintWriter commands;
        private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        int holding;

        private ClientProcess(int index, Process process) {
            this.index = index;
            this.process = process;
            commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII));
            Thread reader = new Thread(this::readReplies, "idle-clients-" + index + "-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Starts the process whose connections come from 127.{@code prefix}.x.y. */
        static ClientProcess start(int port, int prefix) throws IOException, URISyntaxException {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String classes = Path.of(IdleClients.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
            List<String> command = List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-XX:+MaxFDLimit", "-cp", classes, IdleClients.class.getName(), SERVER_HOST,
                    String.valueOf(port), String.valueOf(prefix));
            // stdout is the protocol; stderr joins it and is echoed (never inherited: surefire owns this JVM's).
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new ClientProcess(prefix - 1, process);
        }

        private void readReplies() {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String word = line.split(" ", 2)[0];
                    if (REPLIES.contains(word)) {
                        replies.add(line);
                    } else {
                        System.out.println(this + ": " + line);
                    }
                }
            } catch (IOException e) {
                replies.add("eof " + e);
                return;
            }
            replies.add("eof");
        }

        void send(String command) {
            commands.println(command);
            commands.flush();
            assertTrue(!commands.checkError(), this + " did not take '" + command + "'");
        }

        /** The next reply's words; fails on a timeout, another reply, an error or the process's end. */
        String[] await(String expected, long timeout, TimeUnit unit) throws InterruptedException {
            String reply = replies.poll(timeout, unit);
            if (reply == null) {
                fail(this + " did not answer '" + expected + "' in " + timeout + ' ' + unit);
            }
            String[] words = reply.split(" ");
            if (!words[0].equals(expected)) {
                fail(this + " answered '" + reply + "' instead of '" + expected + "'"
                        + (words[0].equals("eof") ? " (process ended: " + exitStatus() + ')' : ""));
            }
            return words;
        }

        private String exitStatus() {
            try {
                return process.waitFor(5, TimeUnit.SECONDS) ? "exit " + process.exitValue() : "still running";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        /** Closes its stdin (it exits by itself then), and kills it if it has not ended in 10 s. */
        void stop() throws InterruptedException {
            commands.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new AssertionError(this + " (pid " + process.pid() + ") could not be killed");
                }
            }
        }

        @Override
        public String toString() {
            return "idle clients 127." + (index + 1) + ".x.y";
        }
    }
}

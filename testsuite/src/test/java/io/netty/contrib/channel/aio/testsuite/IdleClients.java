/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testsuite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A separate process holding idle TCP connections for {@link AioIdleConnectionsTest} (plain JDK, no Netty), so that
 * the server's JVM holds only the server's side of each connection under its descriptor limit. Each connection is
 * bound to its own loopback source address {@code 127.P.x.y} ({@code P} from the arguments), so the ephemeral ports
 * of one source address never run out, and is left idle: nothing is written.
 *
 * <p>Arguments: {@code serverHost serverPort P}. Control is line based on stdin/stdout; every reply is one line:
 * <ul>
 *   <li>at start: {@code ready SOFT HARD} — this process's {@code RLIMIT_NOFILE} (from /proc/self/limits);</li>
 *   <li>{@code open K}: connects K more, one after another (blocking connect, 5 s timeout each) —
 *       {@code opened K TOTAL}, or {@code error DONE TOTAL MESSAGE} when a connect failed after DONE of them;</li>
 *   <li>{@code close K}: closes the K oldest with a normal close (FIN) — {@code closed K TOTAL};</li>
 *   <li>{@code check}: one non-blocking read on each open connection — {@code alive A dead D data X}: D saw end
 *       of stream or a reset (the server closed it), X received bytes (the server wrote to an idle connection);</li>
 *   <li>{@code exit}, or end of stdin (the test's JVM died): closes everything and exits.</li>
 * </ul>
 * Anything else it prints (JVM warnings, a stack trace) does not start with those words.
 */
public final class IdleClients {
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final InetSocketAddress server;
    private final int prefix;
    private final Deque<SocketChannel> open = new ArrayDeque<>();
    private int connected;

    private IdleClients(InetSocketAddress server, int prefix) {
        this.server = server;
        this.prefix = prefix;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: IdleClients serverHost serverPort sourcePrefix(1..254)");
            System.exit(2);
        }
        int prefix = Integer.parseInt(args[2]);
        if (prefix < 1 || prefix > 254) {
            throw new IllegalArgumentException("source prefix must be in 1..254: " + prefix);
        }
        IdleClients clients = new IdleClients(new InetSocketAddress(args[0], Integer.parseInt(args[1])), prefix);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        try {
            clients.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)), out);
        } finally {
            clients.closeAll();
        }
        System.exit(0);
    }

    private void run(BufferedReader in, PrintStream out) throws IOException {
        long[] limit = openFilesLimit();
        out.println("ready " + limit[0] + ' ' + limit[1]);
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            switch (words[0]) {
                case "open":
                    out.println(open(Integer.parseInt(words[1])));
                    break;
                case "close":
                    int k = Math.min(Integer.parseInt(words[1]), open.size());
                    for (int i = 0; i < k; i++) {
                        open.removeFirst().close();
                    }
                    out.println("closed " + k + ' ' + open.size());
                    break;
                case "check":
                    out.println(check());
                    break;
                case "exit":
                    return;
                default:
                    out.println("unknown command: " + line);
            }
        }
    }

    private String open(int k) {
        for (int i = 0; i < k; i++) {
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open();
                ch.bind(new InetSocketAddress(sourceAddress(connected), 0));
                ch.socket().connect(server, CONNECT_TIMEOUT_MILLIS);
                ch.configureBlocking(false);
                open.addLast(ch);
                connected++;
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch);
                return "error " + i + ' ' + open.size() + ' ' + e;
            }
        }
        return "opened " + k + ' ' + open.size();
    }

    /** 127.P.x.y with x, y in 1..250: a distinct source address for each of the first 62 500 connections. */
    private InetAddress sourceAddress(int index) throws IOException {
        int x = index / 250 % 250 + 1;
        int y = index % 250 + 1;
        return InetAddress.getByAddress(new byte[] {127, (byte) prefix, (byte) x, (byte) y});
    }

    private String check() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        int alive = 0;
        int dead = 0;
        int data = 0;
        for (SocketChannel ch : open) {
            buf.clear();
            try {
                int n = ch.read(buf);
                if (n < 0) {
                    dead++;
                } else if (n > 0) {
                    data++;
                } else {
                    alive++;
                }
            } catch (IOException e) {
                dead++;
            }
        }
        return "alive " + alive + " dead " + dead + " data " + data;
    }

    private void closeAll() {
        while (!open.isEmpty()) {
            closeQuietly(open.removeFirst());
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Closing an idle connection on the way out.
            }
        }
    }

    /** {soft, hard} of "Max open files" in /proc/self/limits; -1 for unlimited. */
    static long[] openFilesLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] words = line.substring("Max open files".length()).trim().split("\\s+");
                return new long[] {parseLimit(words[0]), parseLimit(words[1])};
            }
        }
        throw new IOException("no 'Max open files' line in /proc/self/limits");
    }

    private static long parseLimit(String word) {
        return "unlimited".equals(word) ? -1 : Long.parseLong(word);
    }
}

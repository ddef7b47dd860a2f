/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One line per response, in the Common Log Format followed by the response time in seconds:
 * {@code 127.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 1234 0.002}. Request lines are escaped
 * ({@code \xHH} for quotes, backslashes and non-printable bytes) so that a client cannot forge log lines.
 *
 * <p>Event loops only enqueue; a daemon thread writes, so a slow terminal never stalls a loop. Thread-safe.
 */
final class AccessLog implements AutoCloseable {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final String END = new String("end of log");

    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final PrintStream out;
    private final Thread writer;

    AccessLog(PrintStream out) {
        this.out = out;
        writer = new Thread(this::drain, "aio-file-server-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Records one response; called on an event loop. */
    void log(SocketAddress remote, String method, String uri, String version, int status, long bytes,
             long startNanos) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(remote instanceof InetSocketAddress
                ? ((InetSocketAddress) remote).getAddress().getHostAddress() : String.valueOf(remote));
        sb.append(" - - [").append(TIME.format(ZonedDateTime.now())).append("] \"");
        appendEscaped(sb, method);
        sb.append(' ');
        appendEscaped(sb, uri);
        sb.append(' ');
        appendEscaped(sb, version);
        sb.append("\" ").append(status).append(' ').append(bytes).append(' ');
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos);
        sb.append(micros / 1_000_000).append('.').append(String.format(Locale.ROOT, "%06d", micros % 1_000_000));
        queue.add(sb.toString());
    }

    private static void appendEscaped(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                sb.append("\\x").append(Character.forDigit(c >> 4 & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                sb.append(c);
            }
        }
    }

    private void drain() {
        try {
            for (;;) {
                String line = queue.take();
                do {
                    if (line == END) {
                        out.flush();
                        return;
                    }
                    out.println(line);
                    line = queue.poll();
                } while (line != null);
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes out everything logged so far, then stops the writer. */
    @Override
    public void close() {
        queue.add(END);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

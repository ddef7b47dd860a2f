/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.channel.Channel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the HTTP/2 protocol errors clients commit and reports them on stderr: one line per error, at most one
 * line per {@link #REPORT_INTERVAL_SECONDS} for the whole server, saying how many went unreported since. A client
 * can provoke errors as fast as it can send frames; a stack trace for each (3 KiB) would let it fill the disk.
 *
 * <p>Thread-safe: every connection's event loop reports here.
 */
final class ProtocolErrors {
    static final int REPORT_INTERVAL_SECONDS = 1;
    private static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(REPORT_INTERVAL_SECONDS);
    /** Longest message quoted from a client's error: its text is partly the client's (GOAWAY debug data). */
    private static final int MAX_MESSAGE = 200;

    private final LongAdder total = new LongAdder();
    private final AtomicLong unreported = new AtomicLong();
    private final AtomicLong lastReportNanos = new AtomicLong(System.nanoTime() - REPORT_INTERVAL_NANOS);

    /**
     * @param connection the connection (not the stream channel) the error came on
     * @param what       "stream" or "connection"
     * @param error      the HTTP/2 error code's name
     * @param message    what was wrong
     */
    void report(Channel connection, String what, String error, String message) {
        total.increment();
        unreported.incrementAndGet();
        long now = System.nanoTime();
        long last = lastReportNanos.get();
        if (now - last < REPORT_INTERVAL_NANOS || !lastReportNanos.compareAndSet(last, now)) {
            return;
        }
        long count = unreported.getAndSet(0);
        String text = message == null ? "" : message.replaceAll("\\p{Cntrl}", "?");
        if (text.length() > MAX_MESSAGE) {
            text = text.substring(0, MAX_MESSAGE) + "...";
        }
        System.err.println(FileServerCommand.NAME + ": HTTP/2 " + what + " error " + error + " from "
                + connection.remoteAddress() + ": " + text
                + (count > 1 ? " (and " + (count - 1) + " more error(s) since the last such line)" : ""));
    }

    long total() {
        return total.sum();
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.channel.Channel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the HTTP/2 protocol errors clients commit and reports them on stderr, one line each, at most
 * {@link #LINES_PER_WINDOW} lines per {@link #WINDOW_SECONDS} for the whole server; the next line printed says how
 * many went unreported. A client can provoke errors as fast as it can send frames: a stack trace for each (3 KiB)
 * would let it fill the disk.
 *
 * <p>Thread-safe: every connection's event loop reports here.
 */
final class ProtocolErrors {
    static final int LINES_PER_WINDOW = 10;
    static final int WINDOW_SECONDS = 10;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);
    /** Longest message quoted from an error: its text may be partly the client's (GOAWAY debug data). */
    private static final int MAX_MESSAGE = 200;

    private final LongAdder total = new LongAdder();
    private long windowStartNanos = System.nanoTime() - WINDOW_NANOS;
    private int linesInWindow;
    private long unreported;

    /**
     * @param connection the connection (not the stream channel) the error came on
     * @param what       "stream" or "connection"
     * @param error      the HTTP/2 error code's name
     * @param message    what was wrong
     */
    void report(Channel connection, String what, String error, String message) {
        total.increment();
        long skipped;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - windowStartNanos >= WINDOW_NANOS) {
                windowStartNanos = now;
                linesInWindow = 0;
            }
            if (linesInWindow == LINES_PER_WINDOW) {
                unreported++;
                return;
            }
            linesInWindow++;
            skipped = unreported;
            unreported = 0;
        }
        String text = message == null ? "" : message.replaceAll("\\p{Cntrl}", "?");
        if (text.length() > MAX_MESSAGE) {
            text = text.substring(0, MAX_MESSAGE) + "...";
        }
        System.err.println(FileServerCommand.NAME + ": HTTP/2 " + what + " error " + error + " from "
                + connection.remoteAddress() + ": " + text
                + (skipped > 0 ? " (" + skipped + " more error(s) not reported before this one)" : ""));
    }

    long total() {
        return total.sum();
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code Range} header of RFC 9110 section 14.2 ({@code bytes=0-99, 200-, -50}) evaluated against a
 * representation of a known length. Stateless.
 */
final class ByteRanges {
    /** At most this many ranges are honoured in one request; beyond, the whole file is sent (RFC 9110 allows it). */
    static final int MAX_RANGES = 64;

    private ByteRanges() {
    }

    /** An inclusive byte range {@code [first, last]} inside the representation. */
    static final class Range {
        final long first;
        final long last;

        Range(long first, long last) {
            this.first = first;
            this.last = last;
        }

        long length() {
            return last - first + 1;
        }

        @Override
        public String toString() {
            return first + "-" + last;
        }
    }

    /**
     * Evaluates a {@code Range} header value.
     *
     * @return {@code null} when the header must be ignored (another unit, a syntax error, a range whose last byte
     *         comes before its first), an empty list when no range is satisfiable (416), else the satisfiable
     *         ranges in the order asked, each clipped to the representation
     */
    static List<Range> parse(String header, long length) {
        String h = header.trim();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
            return null;
        }
        List<Range> ranges = new ArrayList<>();
        boolean any = false;
        for (String element : h.substring(eq + 1).split(",", -1)) {
            String spec = element.trim();
            if (spec.isEmpty()) {
                continue; // the list syntax allows empty elements
            }
            any = true;
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return null;
            }
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = digits(b);
                if (suffix < 0) {
                    return null;
                }
                if (suffix > 0 && length > 0) {
                    ranges.add(new Range(Math.max(0, length - suffix), length - 1));
                }
                continue;
            }
            long first = digits(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
            if (first < 0 || last < 0 || last < first) {
                return null;
            }
            if (first < length) {
                ranges.add(new Range(first, Math.min(last, length - 1)));
            }
        }
        return any ? ranges : null;
    }

    /** Whether several ranges are worth a multipart answer rather than the whole file (see {@link #MAX_RANGES}). */
    static boolean honourMultiple(List<Range> ranges, long length) {
        if (ranges.size() > MAX_RANGES) {
            return false;
        }
        long total = 0;
        for (Range r : ranges) {
            total += r.length();
        }
        // Overlapping ranges asking for more than the file itself are an amplification, not a download.
        return total <= length;
    }

    /** A non-negative decimal; saturates at Long.MAX_VALUE; -1 when {@code s} is not one. */
    private static long digits(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (v > (Long.MAX_VALUE - 9) / 10) {
                v = Long.MAX_VALUE;
            } else {
                v = v * 10 + (c - '0');
            }
        }
        return v;
    }

    static List<Range> single(long first, long last) {
        return Collections.singletonList(new Range(first, last));
    }
}

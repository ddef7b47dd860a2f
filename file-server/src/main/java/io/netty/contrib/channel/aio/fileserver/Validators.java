/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.Date;

/**
 * Validators and the conditional requests built on them (RFC 9110 sections 8.8 and 13): a strong {@code ETag}
 * from the modification time (microseconds) and size, {@code Last-Modified} at the second, {@code If-None-Match}
 * (weak comparison) taking precedence over {@code If-Modified-Since}, and {@code If-Range} (strong comparison, or
 * an exact date). Stateless.
 */
final class Validators {
    private Validators() {
    }

    /** A strong entity tag: changes whenever the file is rewritten (modification time) or resized. */
    static String etag(long lastModifiedMicros, long size) {
        long micros = lastModifiedMicros;
        return "\"" + Long.toHexString(micros) + '-' + Long.toHexString(size) + '"';
    }

    /** Whether a GET or HEAD is answered with 304 (RFC 9110 13.2.2, steps 3 and 4). */
    static boolean notModified(HttpHeaders request, String etag, long lastModifiedMillis) {
        String ifNoneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            return anyTagMatches(ifNoneMatch, etag, false);
        }
        String ifModifiedSince = request.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (ifModifiedSince != null) {
            Date since = DateFormatter.parseHttpDate(ifModifiedSince);
            // An unparseable date, or one in the future, is ignored (RFC 9110 13.1.3).
            if (since != null && since.getTime() <= System.currentTimeMillis()) {
                return lastModifiedMillis / 1000 <= since.getTime() / 1000;
            }
        }
        return false;
    }

    /**
     * Whether a Range header may be honoured given {@code If-Range} (RFC 9110 13.1.5): yes without one; with an
     * entity tag only if it strongly matches; with a date only if it is exactly the Last-Modified second.
     */
    static boolean ifRangeHolds(String ifRange, String etag, long lastModifiedMillis) {
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return v.equals(etag);
        }
        Date date = DateFormatter.parseHttpDate(v);
        return date != null && date.getTime() / 1000 == lastModifiedMillis / 1000;
    }

    /** Whether {@code header} ({@code *} or a list of entity tags) matches {@code etag}. */
    static boolean anyTagMatches(String header, String etag, boolean strong) {
        String h = header.trim();
        if (h.equals("*")) {
            return true;
        }
        String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
        int i = 0;
        while (i < h.length()) {
            char c = h.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            boolean weak = h.startsWith("W/", i);
            int open = weak ? i + 2 : i;
            if (open >= h.length() || h.charAt(open) != '"') {
                return false; // not an entity-tag list: no match
            }
            int close = h.indexOf('"', open + 1);
            if (close < 0) {
                return false;
            }
            if ((!strong || !weak) && h.regionMatches(open, opaque, 0, opaque.length())
                    && close + 1 - open == opaque.length()) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }
}

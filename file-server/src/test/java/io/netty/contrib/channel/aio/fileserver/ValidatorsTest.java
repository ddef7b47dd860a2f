/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidatorsTest {
    private static final String TAG = "\"abc-10\"";
    private static final long MTIME = 1_700_000_000_123L;

    private static HttpHeaders headers(Object... nameValues) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add((CharSequence) nameValues[i], nameValues[i + 1]);
        }
        return h;
    }

    private static String date(long millis) {
        return DateFormatter.format(new Date(millis));
    }

    @Test
    void ifNoneMatchUsesWeakComparisonAndWinsOverIfModifiedSince() {
        assertTrue(Validators.notModified(headers(HttpHeaderNames.IF_NONE_MATCH, TAG), TAG, MTIME));
        assertTrue(Validators.notModified(headers(HttpHeaderNames.IF_NONE_MATCH, "W/" + TAG), TAG, MTIME));
        assertTrue(Validators.notModified(headers(HttpHeaderNames.IF_NONE_MATCH, "\"x\", " + TAG), TAG, MTIME));
        assertTrue(Validators.notModified(headers(HttpHeaderNames.IF_NONE_MATCH, "*"), TAG, MTIME));
        assertFalse(Validators.notModified(headers(HttpHeaderNames.IF_NONE_MATCH, "\"abc-1\""), TAG, MTIME));
        assertFalse(Validators.notModified(headers(HttpHeaderNames.IF_NONE_MATCH, "\"abc-100\""), TAG, MTIME));
        assertFalse(Validators.notModified(headers(HttpHeaderNames.IF_NONE_MATCH, "\"other\"",
                HttpHeaderNames.IF_MODIFIED_SINCE, date(MTIME)), TAG, MTIME));
    }

    @Test
    void ifModifiedSinceComparesWholeSecondsAndIgnoresBadOrFutureDates() {
        assertTrue(Validators.notModified(headers(HttpHeaderNames.IF_MODIFIED_SINCE, date(MTIME)), TAG, MTIME));
        assertTrue(Validators.notModified(headers(HttpHeaderNames.IF_MODIFIED_SINCE, date(MTIME + 5000)),
                TAG, MTIME));
        assertFalse(Validators.notModified(headers(HttpHeaderNames.IF_MODIFIED_SINCE, date(MTIME - 1000)),
                TAG, MTIME));
        assertFalse(Validators.notModified(headers(HttpHeaderNames.IF_MODIFIED_SINCE, "yesterday"), TAG, MTIME));
        long future = System.currentTimeMillis() + 86_400_000L;
        assertFalse(Validators.notModified(headers(HttpHeaderNames.IF_MODIFIED_SINCE, date(future)), TAG, future));
    }

    @Test
    void ifRangeNeedsAStrongTagMatchOrTheExactDate() {
        assertTrue(Validators.ifRangeHolds(null, TAG, MTIME));
        assertTrue(Validators.ifRangeHolds(TAG, TAG, MTIME));
        assertFalse(Validators.ifRangeHolds("W/" + TAG, TAG, MTIME));
        assertFalse(Validators.ifRangeHolds("\"old\"", TAG, MTIME));
        assertTrue(Validators.ifRangeHolds(date(MTIME), TAG, MTIME));
        assertFalse(Validators.ifRangeHolds(date(MTIME + 1000), TAG, MTIME));
        assertFalse(Validators.ifRangeHolds("garbage", TAG, MTIME));
    }
}

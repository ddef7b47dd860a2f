/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteRangesTest {

    private static String parse(String header, long length) {
        List<ByteRanges.Range> ranges = ByteRanges.parse(header, length);
        return ranges == null ? null : ranges.stream().map(Object::toString).collect(Collectors.joining(","));
    }

    @Test
    void firstLastMiddleAndSuffixRangesAreClippedToTheFile() {
        assertEquals("0-0", parse("bytes=0-0", 100));
        assertEquals("99-99", parse("bytes=99-99", 100));
        assertEquals("10-19", parse("bytes=10-19", 100));
        assertEquals("90-99", parse("bytes=-10", 100));
        assertEquals("0-99", parse("bytes=-1000", 100));
        assertEquals("50-99", parse("bytes=50-", 100));
        assertEquals("50-99", parse("bytes=50-100000", 100));
        assertEquals("0-99", parse("bytes=0-99999999999999999999999", 100));
    }

    @Test
    void severalRangesKeepTheirOrderAndWhitespaceAndEmptyElementsAreTolerated() {
        assertEquals("0-0,98-99,10-19", parse(" bytes = 0-0 , -2,, 10-19 ", 100));
        assertEquals("0-1", parse("BYTES=0-1", 100));
    }

    @Test
    void unsatisfiableRangesGiveAnEmptyList() {
        assertEquals("", parse("bytes=100-", 100));
        assertEquals("", parse("bytes=100-200", 100));
        assertEquals("", parse("bytes=-0", 100));
        assertEquals("", parse("bytes=0-0", 0));
        assertEquals("", parse("bytes=-5", 0));
        assertEquals("5-5", parse("bytes=200-300,5-5", 100));
    }

    @Test
    void invalidHeadersAreIgnored() {
        assertNull(parse("items=0-1", 100));
        assertNull(parse("bytes=5-4", 100));
        assertNull(parse("bytes=a-b", 100));
        assertNull(parse("bytes=1", 100));
        assertNull(parse("bytes=", 100));
        assertNull(parse("bytes=--1", 100));
        assertNull(parse("bytes=+1-2", 100));
        assertNull(parse("0-1", 100));
    }

    @Test
    void multipleRangesAskingForMoreThanTheFileAreNotHonoured() {
        long len = 1000;
        assertTrue(ByteRanges.honourMultiple(ByteRanges.parse("bytes=0-499,500-999", len), len));
        assertFalse(ByteRanges.honourMultiple(ByteRanges.parse("bytes=0-,0-", len), len));
        StringBuilder many = new StringBuilder("bytes=0-0");
        for (int i = 1; i <= ByteRanges.MAX_RANGES; i++) {
            many.append(',').append(i).append('-').append(i);
        }
        assertFalse(ByteRanges.honourMultiple(ByteRanges.parse(many.toString(), len), len));
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.netty.contrib.channel.aio.fileserver.ContentCodings.Coding.BR;
import static io.netty.contrib.channel.aio.fileserver.ContentCodings.Coding.GZIP;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ContentCodingsTest {
    @Test
    void brIsPreferredOnATieAndWeightsDecideOtherwise() {
        assertEquals(List.of(BR, GZIP), ContentCodings.acceptable("gzip, deflate, br"));
        assertEquals(List.of(GZIP, BR), ContentCodings.acceptable("gzip;q=1.0, br;q=0.5"));
        assertEquals(List.of(GZIP), ContentCodings.acceptable("GZIP"));
        assertEquals(List.of(GZIP), ContentCodings.acceptable("x-gzip"));
    }

    @Test
    void zeroWeightRefusesAndStarCoversTheUnlisted() {
        assertEquals(List.of(), ContentCodings.acceptable("gzip;q=0, br;q=0"));
        assertEquals(List.of(GZIP), ContentCodings.acceptable("br;q=0, *"));
        assertEquals(List.of(BR, GZIP), ContentCodings.acceptable("*"));
        assertEquals(List.of(), ContentCodings.acceptable("*;q=0"));
        assertEquals(List.of(), ContentCodings.acceptable("identity"));
    }

    @Test
    void malformedWeightsAndHugeHeadersAcceptNothing() {
        assertEquals(List.of(), ContentCodings.acceptable("gzip;q=abc"));
        assertEquals(List.of(), ContentCodings.acceptable("gzip;q=2"));
        assertEquals(List.of(), ContentCodings.acceptable(null));
        assertEquals(List.of(), ContentCodings.acceptable("gzip," + " ".repeat(2000)));
    }
}

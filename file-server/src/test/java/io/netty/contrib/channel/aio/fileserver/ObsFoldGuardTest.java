/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The guard numbers heads as the server's codec numbers requests, whatever the read boundaries: each request the
 * codec hands on is checked as {@link HttpFileHandler} checks it, with the bytes given whole, byte by byte, and in
 * uneven pieces.
 */
class ObsFoldGuardTest {
    private static final String PLAIN = "GET /a HTTP/1.1\r\nHost: t\r\nX-Spaces: a b\tc \r\n\r\n";

    /** For each request the codec produced, in order: its URI, and "!" after it when the guard flagged it. */
    private static List<String> verdicts(String bytes, int piece) {
        ObsFoldGuard guard = new ObsFoldGuard();
        List<String> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(guard, new HttpServerCodec(FileServer.DECODER),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof HttpRequest) {
                            HttpRequest r = (HttpRequest) msg;
                            seen.add(r.uri() + (guard.folded(seen.size() + 1) ? "!" : ""));
                        }
                        ReferenceCountUtil.release(msg);
                    }
                });
        byte[] all = bytes.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < all.length; i += piece) {
            ch.writeInbound(Unpooled.copiedBuffer(all, i, Math.min(piece, all.length - i)));
        }
        ch.finishAndReleaseAll();
        return seen;
    }

    private static void assertVerdicts(String bytes, String... expected) {
        for (int piece : new int[] {Integer.MAX_VALUE, 1, 2, 7, 13}) {
            assertEquals(List.of(expected), verdicts(bytes, piece), "pieces of " + piece + " bytes: " + bytes);
        }
    }

    @Test
    void headsWithoutFoldsAreNotFlagged() {
        assertVerdicts(PLAIN + PLAIN.replace("/a", "/b") + "\r\n\r\n" + PLAIN.replace("/a", "/c"), "/a", "/b", "/c");
    }

    @Test
    void theFoldedHeadIsTheOneFlagged() {
        String folded = "GET /f HTTP/1.1\r\nHost: t\r\nX-A: 1\r\n Transfer-Encoding: chunked\r\n\r\n";
        assertVerdicts(PLAIN + folded + PLAIN.replace("/a", "/after"), "/a", "/f!", "/after!");
        assertVerdicts(folded.replace(" Transfer", "\tTransfer"), "/f!");
    }

    @Test
    void blankLinesBetweenRequestsDoNotShiftTheCount() {
        String folded = "GET /f HTTP/1.1\r\nHost: t\r\nX-A: 1\r\n\t2\r\n\r\n";
        assertVerdicts("\r\n\r\n" + PLAIN + "\r\n\r\n\r\n" + PLAIN.replace("/a", "/b") + "\r\n" + folded,
                "/a", "/b", "/f!");
    }

    @Test
    void whitespaceBeforeTheFirstFieldCountsAsAFold() {
        // The codec would take " Host: t" for "Host: t"; RFC 9112 2.2 says reject or ignore that line.
        assertVerdicts(PLAIN + "GET /w HTTP/1.1\r\n Host: t\r\n\r\n", "/a", "/w!");
    }

    @Test
    void spacesInsideLinesAndInTheRequestLineAreNotFolds() {
        assertVerdicts("GET /s HTTP/1.1\r\nHost:  t \r\nX-B:\t\tv\r\nX-C: \r\n\r\n", "/s");
    }
}

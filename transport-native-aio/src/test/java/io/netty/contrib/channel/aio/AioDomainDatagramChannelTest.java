/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainDatagramChannel;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AioDomainDatagramChannel} over real Unix datagram sockets: a connected channel reads an empty datagram
 * and then the ones queued behind it (an empty datagram is not taken for EAGAIN), in order.
 */
class AioDomainDatagramChannelTest {
    static EventLoopGroup group;

    @BeforeAll
    static void startLoops() {
        group = new AioEventLoopGroup(1);
    }

    @AfterAll
    static void stopLoops() throws Exception {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    private static DomainSocketAddress newAddress(String name) {
        File dir = new File(System.getProperty("java.io.tmpdir"));
        dir.mkdirs();
        File file = new File(dir, "dgram-" + ProcessHandle.current().pid() + '-' + name + ".sock");
        file.delete();
        return new DomainSocketAddress(file);
    }

    @Test
    void connectedChannelReadsEmptyDatagramsAndWhatFollowsThem() throws Exception {
        AioDatagramChannelTest.Recorder recorder = new AioDatagramChannelTest.Recorder();
        DomainSocketAddress serverAddress = newAddress("server");
        DomainSocketAddress clientAddress = newAddress("client");
        Channel client = new Bootstrap().group(group).channel(AioDomainDatagramChannel.class)
                .handler(new AioDatagramChannelTest.Recorder()).bind(clientAddress).sync().channel();
        Channel server = new Bootstrap().group(group).channel(AioDomainDatagramChannel.class).handler(recorder)
                .bind(serverAddress).sync().channel();
        try {
            server.connect(clientAddress).sync();
            assertTrue(((DomainDatagramChannel) server).isConnected());
            client.write(new DomainDatagramPacket(Unpooled.EMPTY_BUFFER, serverAddress));
            client.write(new DomainDatagramPacket(Unpooled.copiedBuffer("after", StandardCharsets.US_ASCII),
                    serverAddress));
            client.writeAndFlush(new DomainDatagramPacket(Unpooled.copiedBuffer("last", StandardCharsets.US_ASCII),
                    serverAddress)).sync();
            String[] expected = { "", "after", "last" };
            for (String e : expected) {
                DomainDatagramPacket p = (DomainDatagramPacket) recorder.next();
                try {
                    assertEquals(e, p.content().toString(StandardCharsets.US_ASCII));
                    assertEquals(clientAddress, p.sender());
                    assertEquals(serverAddress, p.recipient());
                } finally {
                    p.release();
                }
            }
        } finally {
            client.close().sync();
            server.close().sync();
        }
    }
}

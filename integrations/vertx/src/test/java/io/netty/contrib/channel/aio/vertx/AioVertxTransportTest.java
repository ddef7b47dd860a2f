/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.vertx;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.contrib.channel.aio.AioDatagramChannel;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vert.x 5 itself on {@link AioVertxTransport#AIO}: an HTTP server and client (1 MiB echoed byte for byte),
 * {@code sendFile} of a 3 MiB file, UDP datagram sockets, and the DNS client resolving a name from a DNS server
 * this test serves on loopback.
 */
class AioVertxTransportTest {
    static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.builder().withTransport(AioVertxTransport.AIO).build();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void vertxRunsOnTheAioTransport() {
        assertTrue(vertx.isNativeTransportEnabled());
        assertSame(AioTransport.INSTANCE, ((VertxInternal) vertx).transport());
        io.netty.channel.EventLoopGroup loops = ((VertxInternal) vertx).nettyEventLoopGroup();
        assertTrue(((io.netty.channel.IoEventLoopGroup) loops).isIoType(io.netty.contrib.channel.aio.AioIoHandler.class),
                "loops: " + loops);
    }

    @Test
    void httpServerAndClientEchoBytesAndSendFile() throws Exception {
        byte[] body = new byte[1 << 20];
        new Random(15).nextBytes(body);
        File dir = new File(System.getProperty("java.io.tmpdir"));
        dir.mkdirs();
        File file = new File(dir, "vertx-sendfile-" + ProcessHandle.current().pid() + ".bin");
        byte[] fileBytes = new byte[3 << 20];
        new Random(16).nextBytes(fileBytes);
        Files.write(file.toPath(), fileBytes);
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/file")) {
                req.response().sendFile(file.getPath());
            } else {
                req.body().onSuccess(b -> req.response().end(b));
            }
        });
        await(server.listen(0, "127.0.0.1"));
        HttpClient client = vertx.createHttpClient();
        try {
            Buffer echoed = await(client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/echo")
                    .compose(req -> req.send(Buffer.buffer(body))).compose(HttpClientResponse::body));
            assertArrayEquals(body, echoed.getBytes());
            Buffer sent = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/file")
                    .compose(req -> req.send()).compose(HttpClientResponse::body));
            assertArrayEquals(fileBytes, sent.getBytes());
        } finally {
            await(client.close());
            await(server.close());
            file.delete();
        }
    }

    @Test
    void udpDatagramSockets() throws Exception {
        DatagramSocket receiver = vertx.createDatagramSocket();
        DatagramSocket sender = vertx.createDatagramSocket();
        CompletableFuture<String> got = new CompletableFuture<>();
        receiver.handler(packet -> got.complete(packet.data().toString() + " from " + packet.sender().host()));
        try {
            await(receiver.listen(0, "127.0.0.1"));
            await(sender.send("hello aio", receiver.localAddress().port(), "127.0.0.1"));
            assertEquals("hello aio from 127.0.0.1", got.get(30, TimeUnit.SECONDS));
        } finally {
            await(sender.close());
            await(receiver.close());
        }
    }

    @Test
    void dnsClientResolvesFromALoopbackServer() throws Exception {
        EventLoopGroup group = new AioEventLoopGroup(1);
        Channel dns = new Bootstrap().group(group).channel(AioDatagramChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
                                DnsQuestion question = query.recordAt(DnsSection.QUESTION);
                                DatagramDnsResponse response =
                                        new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
                                response.addRecord(DnsSection.QUESTION, question);
                                if (question.type() == DnsRecordType.A) {
                                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(),
                                            DnsRecordType.A, 60, Unpooled.wrappedBuffer(new byte[] { 10, 1, 2, 3 })));
                                }
                                ctx.writeAndFlush(response);
                            }
                        });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            int port = ((InetSocketAddress) dns.localAddress()).getPort();
            String address = await(vertx.createDnsClient(port, "127.0.0.1").lookup4("aio-test.example"));
            assertEquals("10.1.2.3", address);
        } finally {
            dns.close().sync();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }
}

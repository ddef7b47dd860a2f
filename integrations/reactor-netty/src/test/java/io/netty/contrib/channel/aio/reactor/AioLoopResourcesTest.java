/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.reactor;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.contrib.channel.aio.AioDatagramChannel;
import io.netty.contrib.channel.aio.AioDomainSocketChannel;
import io.netty.contrib.channel.aio.AioServerDomainSocketChannel;
import io.netty.contrib.channel.aio.AioServerSocketChannel;
import io.netty.contrib.channel.aio.AioSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.udp.UdpClient;
import reactor.netty.udp.UdpServer;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reactor Netty itself on {@link AioLoopResources}: an HTTP server and client (the client resolving the server's
 * name through Reactor's DNS resolver, from a DNS server this test runs on loopback), a UDP server and client, and
 * an HTTP server and client over a Unix domain socket. Bodies are checked byte for byte; the channel classes
 * Reactor asked for are recorded, so the test proves the AIO channels did the work.
 */
class AioLoopResourcesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static AioLoopResources aio;
    static RecordingLoops loops;

    @BeforeAll
    static void createLoops() {
        aio = AioLoopResources.create("reactor-test", 2, true);
        loops = new RecordingLoops(aio);
    }

    @AfterAll
    static void disposeLoops() {
        aio.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(TIMEOUT);
        assertTrue(aio.isDisposed());
    }

    /** Delegates to the AIO resources and records every channel type Reactor asks for. */
    static final class RecordingLoops implements LoopResources {
        final LoopResources delegate;
        final Set<Class<?>> asked = ConcurrentHashMap.newKeySet();

        RecordingLoops(LoopResources delegate) {
            this.delegate = delegate;
        }

        @Override
        public EventLoopGroup onServer(boolean useNative) {
            return delegate.onServer(useNative);
        }

        @Override
        public EventLoopGroup onServerSelect(boolean useNative) {
            return delegate.onServerSelect(useNative);
        }

        @Override
        public EventLoopGroup onClient(boolean useNative) {
            return delegate.onClient(useNative);
        }

        @Override
        public <C extends Channel> C onChannel(Class<C> type, EventLoopGroup group) {
            asked.add(type);
            return delegate.onChannel(type, group);
        }

        @Override
        public <C extends Channel> Class<? extends C> onChannelClass(Class<C> type, EventLoopGroup group) {
            asked.add(type);
            return delegate.onChannelClass(type, group);
        }

        @Override
        public void dispose() {
            // The test disposes the delegate itself.
        }
    }

    @Test
    void channelTypesMapToAioAndOthersAreRefused() {
        EventLoopGroup g = aio.onServer(true);
        assertEquals(AioSocketChannel.class, aio.onChannelClass(io.netty.channel.socket.SocketChannel.class, g));
        assertEquals(AioServerSocketChannel.class,
                aio.onChannelClass(io.netty.channel.socket.ServerSocketChannel.class, g));
        assertEquals(AioDatagramChannel.class, aio.onChannelClass(DatagramChannel.class, g));
        assertEquals(AioDomainSocketChannel.class,
                aio.onChannelClass(io.netty.channel.unix.DomainSocketChannel.class, g));
        assertEquals(AioServerDomainSocketChannel.class,
                aio.onChannelClass(io.netty.channel.unix.ServerDomainSocketChannel.class, g));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> aio.onChannelClass(io.netty.channel.socket.DuplexChannel.class, g));
        assertTrue(e.getMessage().contains("DuplexChannel"), e.getMessage());
    }

    @Test
    void httpClientResolvesTheServerThroughTheDnsResolverAndEchoesBytes() throws Exception {
        AtomicInteger queries = new AtomicInteger();
        // A DNS server on loopback, itself on an AIO datagram channel: A aio-test.example -> 127.0.0.1.
        Channel dns = new Bootstrap().group(aio.onServer(true)).channel(AioDatagramChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
                                queries.incrementAndGet();
                                DnsQuestion question = query.recordAt(DnsSection.QUESTION);
                                DatagramDnsResponse response =
                                        new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
                                response.addRecord(DnsSection.QUESTION, question);
                                if (question.type() == DnsRecordType.A
                                        && question.name().startsWith("aio-test.example")) {
                                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(),
                                            DnsRecordType.A, 60, Unpooled.wrappedBuffer(new byte[] { 127, 0, 0, 1 })));
                                }
                                ctx.writeAndFlush(response);
                            }
                        });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        DisposableServer server = HttpServer.create().runOn(loops).host("127.0.0.1").port(0)
                .handle((req, res) -> res.send(req.receive().retain()))
                .bindNow(TIMEOUT);
        try {
            assertInstanceOf(AioServerSocketChannel.class, server.channel());
            InetSocketAddress dnsAddress = (InetSocketAddress) dns.localAddress();
            byte[] body = new byte[1 << 20];
            new Random(15).nextBytes(body);
            HttpClient client = HttpClient.create().runOn(loops)
                    .resolver(spec -> spec
                            .dnsAddressResolverGroupProvider(b -> new DnsAddressResolverGroup(
                                    b.nameServerProvider(new SingletonDnsServerAddressStreamProvider(dnsAddress))))
                            .hostsFileEntriesResolver((name, types) -> null)
                            .searchDomains(List.of())
                            .resolvedAddressTypes(ResolvedAddressTypes.IPV4_ONLY)
                            .queryTimeout(Duration.ofSeconds(10)));
            byte[] echoed = client.post().uri("http://aio-test.example:" + server.port() + "/echo")
                    .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                    .responseSingle((res, content) -> content.asByteArray())
                    .block(TIMEOUT);
            assertArrayEquals(body, echoed);
            assertTrue(queries.get() >= 1, "the DNS server saw no query");
            assertTrue(loops.asked.contains(DatagramChannel.class), "the resolver asked for " + loops.asked);
            assertTrue(loops.asked.contains(io.netty.channel.socket.SocketChannel.class), "asked: " + loops.asked);
        } finally {
            server.disposeNow(TIMEOUT);
            dns.close().sync();
        }
    }

    @Test
    void udpServerAndClientEchoDatagrams() {
        Connection server = UdpServer.create().runOn(loops).host("127.0.0.1").port(0)
                .handle((in, out) -> out.sendObject(in.receiveObject().map(o -> {
                    DatagramPacket p = (DatagramPacket) o;
                    return new DatagramPacket(p.content().retain(), p.sender());
                })))
                .bindNow(TIMEOUT);
        Connection client = UdpClient.create().runOn(loops)
                .remoteAddress(() -> server.channel().localAddress())
                .connectNow(TIMEOUT);
        try {
            assertInstanceOf(AioDatagramChannel.class, server.channel());
            assertInstanceOf(AioDatagramChannel.class, client.channel());
            Mono<String> reply = client.inbound().receive().asString(StandardCharsets.UTF_8).next();
            client.outbound().sendString(Mono.just("ping over aio")).then().subscribe();
            assertEquals("ping over aio", reply.block(TIMEOUT));
        } finally {
            client.disposeNow(TIMEOUT);
            server.disposeNow(TIMEOUT);
        }
    }

    @Test
    void httpOverAUnixDomainSocket() {
        File dir = new File(System.getProperty("java.io.tmpdir"));
        dir.mkdirs();
        File file = new File(dir, "reactor-" + ProcessHandle.current().pid() + ".sock");
        file.delete();
        DomainSocketAddress address = new DomainSocketAddress(file);
        DisposableServer server = HttpServer.create().runOn(loops).bindAddress(() -> address)
                .handle((req, res) -> res.sendString(Mono.just("hello " + req.uri())))
                .bindNow(TIMEOUT);
        try {
            assertInstanceOf(AioServerDomainSocketChannel.class, server.channel());
            String body = HttpClient.create().runOn(loops).remoteAddress(() -> address)
                    .get().uri("/over-uds").responseContent().aggregate().asString().block(TIMEOUT);
            assertEquals("hello /over-uds", body);
        } finally {
            server.disposeNow(TIMEOUT);
            file.delete();
        }
    }
}

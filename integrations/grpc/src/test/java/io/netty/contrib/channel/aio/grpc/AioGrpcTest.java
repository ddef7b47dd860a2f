/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.grpc;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.contrib.channel.aio.AioDomainSocketChannel;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioServerDomainSocketChannel;
import io.netty.contrib.channel.aio.AioServerSocketChannel;
import io.netty.contrib.channel.aio.AioSocketChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * gRPC-Java's Netty server and client on AIO channels and loops, over TCP and over a Unix domain socket: unary
 * (1 MiB, byte for byte), server streaming (in order) and bidirectional streaming calls. The service is defined by
 * hand with a byte-array marshaller, so no generated code is needed.
 */
class AioGrpcTest {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<byte[]>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<byte[], byte[]> UNARY = method(MethodDescriptor.MethodType.UNARY, "Unary");
    private static final MethodDescriptor<byte[], byte[]> SERVER_STREAMING =
            method(MethodDescriptor.MethodType.SERVER_STREAMING, "Count");
    private static final MethodDescriptor<byte[], byte[]> BIDI = method(MethodDescriptor.MethodType.BIDI_STREAMING,
            "Echo");

    static EventLoopGroup group;

    private static MethodDescriptor<byte[], byte[]> method(MethodDescriptor.MethodType type, String name) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("aio.Test", name))
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    @BeforeAll
    static void startLoops() {
        group = new AioEventLoopGroup(2);
    }

    @AfterAll
    static void stopLoops() throws Exception {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    private static ServerServiceDefinition service() {
        return ServerServiceDefinition.builder("aio.Test")
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(request);
                    response.onCompleted();
                }))
                .addMethod(SERVER_STREAMING, ServerCalls.asyncServerStreamingCall((request, response) -> {
                    int n = ByteBuffer.wrap(request).getInt();
                    for (int i = 0; i < n; i++) {
                        response.onNext(ByteBuffer.allocate(4).putInt(i).array());
                    }
                    response.onCompleted();
                }))
                .addMethod(BIDI, ServerCalls.asyncBidiStreamingCall(response -> new StreamObserver<byte[]>() {
                    @Override
                    public void onNext(byte[] value) {
                        response.onNext(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        response.onError(t);
                    }

                    @Override
                    public void onCompleted() {
                        response.onCompleted();
                    }
                }))
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "tcp", "unix" })
    void unaryStreamingAndBidiCalls(String transport) throws Exception {
        SocketAddress bindAddress;
        NettyServerBuilder serverBuilder;
        if (transport.equals("tcp")) {
            bindAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            serverBuilder = NettyServerBuilder.forAddress(bindAddress).channelType(AioServerSocketChannel.class);
        } else {
            File dir = new File(System.getProperty("java.io.tmpdir"));
            dir.mkdirs();
            File file = new File(dir, "grpc-" + ProcessHandle.current().pid() + ".sock");
            file.delete();
            bindAddress = new DomainSocketAddress(file);
            serverBuilder = NettyServerBuilder.forAddress(bindAddress)
                    .channelType(AioServerDomainSocketChannel.class);
        }
        Server server = serverBuilder.bossEventLoopGroup(group).workerEventLoopGroup(group)
                .addService(service()).build().start();
        SocketAddress target = transport.equals("tcp") ? server.getListenSockets().get(0) : bindAddress;
        NettyChannelBuilder channelBuilder = NettyChannelBuilder.forAddress(target).eventLoopGroup(group)
                .usePlaintext();
        if (transport.equals("tcp")) {
            channelBuilder.channelType(AioSocketChannel.class, InetSocketAddress.class);
        } else {
            channelBuilder.channelType(AioDomainSocketChannel.class, DomainSocketAddress.class);
        }
        ManagedChannel channel = channelBuilder.build();
        try {
            byte[] big = new byte[1 << 20];
            new Random(15).nextBytes(big);
            assertArrayEquals(big, ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, big));

            Iterator<byte[]> counted = ClientCalls.blockingServerStreamingCall(channel, SERVER_STREAMING,
                    CallOptions.DEFAULT, ByteBuffer.allocate(4).putInt(1000).array());
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, ByteBuffer.wrap(counted.next()).getInt());
            }
            assertFalse(counted.hasNext());

            List<byte[]> echoed = new ArrayList<>();
            CompletableFuture<List<byte[]>> done = new CompletableFuture<>();
            StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
                    channel.newCall(BIDI, CallOptions.DEFAULT), new StreamObserver<byte[]>() {
                        @Override
                        public void onNext(byte[] value) {
                            echoed.add(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            done.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            done.complete(echoed);
                        }
                    });
            List<byte[]> sent = new ArrayList<>();
            Random random = new Random(16);
            for (int i = 0; i < 200; i++) {
                byte[] m = new byte[1 + random.nextInt(4096)];
                random.nextBytes(m);
                sent.add(m);
                requests.onNext(m);
            }
            requests.onCompleted();
            List<byte[]> got = done.get(60, TimeUnit.SECONDS);
            assertEquals(sent.size(), got.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), got.get(i), "message " + i);
            }
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}

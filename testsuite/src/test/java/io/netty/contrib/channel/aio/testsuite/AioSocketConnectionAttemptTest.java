/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapFactory;
import io.netty.testsuite.transport.socket.SocketConnectionAttemptTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;

/**
 * Netty's {@code SocketConnectionAttemptTest} with the AIO client (see {@link AioSocketTestPermutation}). The
 * timeout and cancellation cases connect to a {@link LoopbackBlackhole} instead of a host on the Internet.
 */
public class AioSocketConnectionAttemptTest extends SocketConnectionAttemptTest {
    private static LoopbackBlackhole blackhole;

    @BeforeAll
    static void openBlackhole() throws Exception {
        blackhole = new LoopbackBlackhole(System.getProperty("io.netty.testsuite.badHost"),
                Integer.getInteger("io.netty.testsuite.badPort"));
    }

    @AfterAll
    static void closeBlackhole() throws Exception {
        blackhole.close();
    }

    @Override
    protected List<BootstrapFactory<Bootstrap>> newFactories() {
        return AioSocketTestPermutation.INSTANCE.clientSocket();
    }
}

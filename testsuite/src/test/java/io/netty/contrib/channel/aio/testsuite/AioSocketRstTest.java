/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.socket.SocketRstTest;
import io.netty.channel.Channel;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.Errors.NativeIoException;
import io.netty.contrib.channel.aio.AioSocketChannel;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Netty's {@code SocketRstTest} over AIO x AIO and AIO x NIO (see {@link AioSocketTestPermutation}). */
public class AioSocketRstTest extends SocketRstTest {
    @Override
    protected List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return AioSocketTestPermutation.INSTANCE.socket();
    }

    /** Our channel reports the reset as unix-common's native exception, as epoll does: ECONNRESET. */
    @Override
    protected void assertRstOnCloseException(IOException cause, Channel clientChannel) {
        if (!(clientChannel instanceof AioSocketChannel)) {
            super.assertRstOnCloseException(cause, clientChannel);
            return;
        }
        assertInstanceOf(NativeIoException.class, cause, "actual: " + cause);
        assertEquals(Errors.ERRNO_ECONNRESET_NEGATIVE, ((NativeIoException) cause).expectedErr());
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoRegistration;
import io.netty.contrib.channel.aio.AioIoEvent;
import io.netty.contrib.channel.aio.AioIoHandle;
import io.netty.contrib.channel.aio.AioIoOps;
import io.netty.contrib.channel.aio.AioIoRegistration;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;

import java.io.IOException;

/**
 * The host of an AIO event loop: each file registers its own {@link AioIoHandle} and submits its
 * {@linkplain FileDescriptions descriptions} ({@link AioIoOps}) with their memory through the loop's public
 * registration API — nothing else. On the loop thread a submission allocates nothing. When {@code ownedGroup} is
 * set, the loop is a dedicated completion thread this host started and stops.
 */
final class AioLoopHost extends AioFileHost {
    private final IoEventLoop loop;
    private final IoEventLoopGroup ownedGroup;

    AioLoopHost(IoEventLoop loop, IoEventLoopGroup ownedGroup) {
        this.loop = loop;
        this.ownedGroup = ownedGroup;
    }

    @Override
    public EventExecutor executor() {
        return loop;
    }

    @Override
    HostLink link(HostLink.Client client) throws IOException {
        Link link = new Link(client);
        Future<IoRegistration> registered = loop.register(link).awaitUninterruptibly();
        if (!registered.isSuccess()) {
            throw new IOException("cannot register a file on " + loop + ": " + registered.cause(), registered.cause());
        }
        link.registered(registered.getNow());
        return link;
    }

    @Override
    public Future<?> shutdownGracefully() {
        return ownedGroup != null ? ownedGroup.shutdownGracefully() : super.shutdownGracefully();
    }

    @Override
    public String toString() {
        return "AioFileHost(" + (ownedGroup != null ? "completion thread " : "AIO loop ") + loop + ')';
    }

    /**
     * One file's handle on the loop. An operation rides its submission as the attachment and comes back in its
     * event: no table of the file's own maps completions to operations (the context's slots are the one table).
     */
    private static final class Link extends HostLink implements AioIoHandle {
        private final Client client;
        /** Netty's wrapper of the registration: counts the loop's registrations, so cancel() goes through it. */
        private IoRegistration registration;
        /** The registration itself, whose submit takes a description and its memory. */
        private AioIoRegistration aioRegistration;

        Link(Client client) {
            this.client = client;
        }

        void registered(IoRegistration registration) {
            this.registration = registration;
            this.aioRegistration = registration.attachment();
        }

        @Override
        void submit(FileOp op) {
            long id = op.vector != null
                    ? aioRegistration.submit(op.ops, op.vector, op.offset, op)
                    : aioRegistration.submit(op.ops, op.buffer, op.offset, op);
            if (id == AioIoRegistration.INVALID_ID) {
                throw new IllegalStateException("the file's registration on " + registration + " is cancelled");
            }
        }

        @Override
        void cancel() {
            registration.cancel();
        }

        @Override
        public void handle(IoRegistration registration, IoEvent ioEvent) {
            AioIoEvent event = (AioIoEvent) ioEvent;
            ((FileOp) event.attachment()).complete(event.res());
        }

        @Override
        public void unregistered() {
            client.unlinked();
        }

        @Override
        public void close() {
            client.hostClosing();
        }
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.internal;

import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;

import java.io.IOException;

/**
 * A channel's registration with the AIO loop, for the socket channels and the fd channel alike: which loops
 * take it, and {@code doRegister} — register the channel's handle, let the channel take the registration, complete
 * the channel's promise. Static; callable on any thread, the callbacks run on the loop.
 */
public final class ChannelRegistrations {

    /** What a channel does with its new registration: remember it and start watching; may fail. */
    @FunctionalInterface
    public interface Attach {
        void attach(IoRegistration registration) throws IOException;
    }

    private ChannelRegistrations() {
    }

    /** A channel's {@code isCompatible}: whether {@code loop} runs an I/O handler taking {@code handleType}. */
    public static boolean isCompatible(EventLoop loop, Class<? extends IoHandle> handleType) {
        return loop instanceof IoEventLoop && ((IoEventLoop) loop).isCompatible(handleType);
    }

    /**
     * Registers {@code handle} with {@code loop} (an {@link IoEventLoop}). Once the loop took it, {@code attach}
     * makes the registration the channel's and {@code promise} succeeds. When attaching fails — the descriptor
     * cannot join the loop's epoll set — {@code detach} forgets the registration before it is cancelled, so no
     * event of it reaches the channel, and {@code promise} fails with that exception.
     */
    public static void register(EventLoop loop, IoHandle handle, ChannelPromise promise, Attach attach,
                                Runnable detach) {
        ((IoEventLoop) loop).register(handle).addListener(f -> {
            if (!f.isSuccess()) {
                promise.setFailure(f.cause());
                return;
            }
            IoRegistration registration = (IoRegistration) f.getNow();
            try {
                attach.attach(registration);
            } catch (IOException e) {
                detach.run();
                registration.cancel();
                promise.setFailure(e);
                return;
            }
            promise.setSuccess();
        });
    }
}

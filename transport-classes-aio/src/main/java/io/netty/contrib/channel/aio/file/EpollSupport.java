/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.channel.IoEventLoop;

/**
 * Keeps {@code netty-transport-classes-epoll}, an optional dependency, out of every class but
 * {@link EpollLoopHost}: that class is only loaded once the epoll classes are known to be there.
 */
final class EpollSupport {
    private static final boolean PRESENT = classesPresent();

    private EpollSupport() {
    }

    private static boolean classesPresent() {
        try {
            Class.forName("io.netty.channel.epoll.EpollIoHandle", false, EpollSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static boolean isEpollLoop(IoEventLoop loop) {
        return PRESENT && EpollLoopHost.isEpollLoop(loop);
    }

    static AioFileHost host(IoEventLoop loop) {
        return EpollLoopHost.forLoop(loop);
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.benchmarks.loop;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.contrib.channel.aio.AioIoEvent;
import io.netty.contrib.channel.aio.AioIoHandle;
import io.netty.contrib.channel.aio.AioIoHandler;
import io.netty.contrib.channel.aio.AioIoOps;
import io.netty.contrib.channel.aio.core.EventFd;
import io.netty.contrib.channel.aio.core.Native;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.TimeUnit;

/**
 * The transports compared, each with the same readiness ping-pong on its loop: the loop signals a descriptor, its
 * handle is told it is readable, drains it and signals again. AIO: a one-shot {@code IOCB_CMD_POLL} on an eventfd,
 * re-armed with one pre-built {@link AioIoOps} (batched into the loop's next {@code io_submit}). epoll: the eventfd
 * registered once, level-triggered. io_uring: a one-shot {@code POLL_ADD} on the eventfd, re-armed. NIO: a
 * {@link Pipe} (a selector takes no eventfd), registered once for {@code OP_READ}.
 */
public enum LoopTransport {
    aio {
        @Override
        IoHandlerFactory factory() {
            return AioIoHandler.newFactory();
        }

        @Override
        PingPong pingPong(IoEventLoop loop) throws Exception {
            return new AioPingPong(loop);
        }
    },
    epoll {
        @Override
        IoHandlerFactory factory() {
            Epoll.ensureAvailability();
            return EpollIoHandler.newFactory();
        }

        @Override
        PingPong pingPong(IoEventLoop loop) throws Exception {
            return new EpollPingPong(loop);
        }
    },
    nio {
        @Override
        IoHandlerFactory factory() {
            return NioIoHandler.newFactory();
        }

        @Override
        PingPong pingPong(IoEventLoop loop) throws Exception {
            return new NioPingPong(loop);
        }
    },
    io_uring {
        @Override
        IoHandlerFactory factory() {
            IoUring.ensureAvailability();
            return IoUringIoHandler.newFactory();
        }

        @Override
        PingPong pingPong(IoEventLoop loop) throws Exception {
            return new IoUringPingPong(loop);
        }
    };

    abstract IoHandlerFactory factory();

    /** A handle registered on {@code loop}, ready for {@link PingPong#start}. */
    abstract PingPong pingPong(IoEventLoop loop) throws Exception;

    IoEventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(1, factory());
    }

    /** A readiness ping-pong on one loop; {@link #start} and the callbacks run on that loop. */
    abstract static class PingPong {
        private int left;
        private Runnable done;
        IoRegistration registration;

        /** Loop thread: makes {@code n} round trips, then runs {@code onDone}. */
        final void start(int n, Runnable onDone) {
            left = n;
            done = onDone;
            signal();
        }

        /** Loop thread: one readiness event arrived and was drained. */
        final void readable() {
            rearm(); // one-shot POLLs stay armed for the next batch too
            if (--left == 0) {
                done.run();
            } else {
                signal();
            }
        }

        /** Makes the descriptor readable. */
        abstract void signal();

        /** Asks again for readiness (one-shot POLLs); nothing for registrations that stay armed. */
        void rearm() {
        }

        /** Cancels the registration and closes the descriptors, from any thread. */
        void dispose() throws Exception {
            registration.cancel();
        }

        /** IoHandle.close(): the benchmark disposes of its handles itself. */
        public final void close() {
        }
    }

    private static final class AioPingPong extends PingPong implements AioIoHandle {
        private final EventFd eventFd;
        private final int fd;
        private final AioIoOps poll;

        AioPingPong(IoEventLoop loop) throws Exception {
            eventFd = EventFd.create();
            fd = eventFd.intValue();
            poll = AioIoOps.poll(fd, Native.POLLIN, 0);
            registration = loop.register(this).get(10, TimeUnit.SECONDS);
            registration.submit(poll);
        }

        @Override
        void signal() {
            Native.eventFdWrite(fd, 1);
        }

        @Override
        void rearm() {
            registration.submit(poll);
        }

        @Override
        public void handle(IoRegistration r, IoEvent ioEvent) {
            if (((AioIoEvent) ioEvent).res() > 0) {
                Native.eventFdRead(fd);
                readable();
            }
        }

        @Override
        void dispose() throws Exception {
            super.dispose();
            eventFd.close();
        }
    }

    private static final class EpollPingPong extends PingPong implements EpollIoHandle {
        private final EventFd eventFd;
        private final FileDescriptor fd;

        EpollPingPong(IoEventLoop loop) throws Exception {
            eventFd = EventFd.create();
            fd = new FileDescriptor(eventFd.intValue());
            registration = loop.register(this).get(10, TimeUnit.SECONDS);
            registration.submit(EpollIoOps.EPOLLIN);
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        void signal() {
            Native.eventFdWrite(fd.intValue(), 1);
        }

        @Override
        public void handle(IoRegistration r, IoEvent ioEvent) {
            Native.eventFdRead(fd.intValue());
            readable();
        }

        @Override
        void dispose() throws Exception {
            super.dispose();
            eventFd.close();
        }
    }

    private static final class IoUringPingPong extends PingPong implements IoUringIoHandle {
        private static final byte IORING_OP_POLL_ADD = 6; // io_uring.h
        private final EventFd eventFd;
        private final int fd;
        private final IoUringIoOps poll;

        IoUringPingPong(IoEventLoop loop) throws Exception {
            eventFd = EventFd.create();
            fd = eventFd.intValue();
            // As liburing's io_uring_prep_poll_add: the mask in poll32_events (union3), len 0.
            poll = new IoUringIoOps(IORING_OP_POLL_ADD, (byte) 0, (short) 0, fd, 0L, 0L, 0, Native.POLLIN, 0L,
                    (short) 0, (short) 0, 0, 0L);
            registration = loop.register(this).get(10, TimeUnit.SECONDS);
            registration.submit(poll);
        }

        @Override
        void signal() {
            Native.eventFdWrite(fd, 1);
        }

        @Override
        void rearm() {
            registration.submit(poll);
        }

        @Override
        public void handle(IoRegistration r, IoEvent ioEvent) {
            if (((IoUringIoEvent) ioEvent).res() > 0) {
                Native.eventFdRead(fd);
                readable();
            }
        }

        @Override
        void dispose() throws Exception {
            super.dispose();
            eventFd.close();
        }
    }

    private static final class NioPingPong extends PingPong implements NioIoHandle {
        private final Pipe pipe;
        private final ByteBuffer one = ByteBuffer.allocateDirect(1);
        private final ByteBuffer drain = ByteBuffer.allocateDirect(64);

        NioPingPong(IoEventLoop loop) throws Exception {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
            registration = loop.register(this).get(10, TimeUnit.SECONDS);
            registration.submit(NioIoOps.READ);
        }

        @Override
        public SelectableChannel selectableChannel() {
            return pipe.source();
        }

        @Override
        void signal() {
            one.clear();
            try {
                pipe.sink().write(one);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void handle(IoRegistration r, IoEvent ioEvent) {
            try {
                drain.clear();
                pipe.source().read(drain);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            readable();
        }

        @Override
        void dispose() throws Exception {
            super.dispose();
            pipe.source().close();
            pipe.sink().close();
        }
    }
}

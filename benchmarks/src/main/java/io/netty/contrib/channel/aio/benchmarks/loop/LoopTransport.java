/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.benchmarks.loop;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
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
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.AioIoRegistration;
import io.netty.contrib.channel.aio.core.EventFd;
import io.netty.contrib.channel.aio.core.Native;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The transports compared, each with the same readiness ping-pong on its loop: the loop signals a descriptor, its
 * handle is told it is readable, drains it and signals again. AIO: the eventfd watched once in the loop's epoll
 * set ({@link AioIoRegistration#watch}, edge-triggered), the loop sleeping in {@code epoll_wait} ({@code aio}) or in
 * {@code ppoll} after arming an {@code IOCB_CMD_POLL} on its set ({@code aio_poll}). epoll: the eventfd
 * registered once, level-triggered. io_uring: a one-shot {@code POLL_ADD} on the eventfd, re-armed. NIO: a
 * {@link Pipe} (a selector takes no eventfd), registered once for {@code OP_READ}.
 */
public enum LoopTransport {
    aio(AioIoHandler::newFactory, AioPingPong::new),
    aio_poll(() -> AioIoHandler.newFactory(new AioIoHandlerConfig().wakeMode(AioIoHandlerConfig.WakeMode.AIO_POLL)),
            AioPingPong::new),
    epoll(() -> {
        Epoll.ensureAvailability();
        return EpollIoHandler.newFactory();
    }, EpollPingPong::new),
    nio(NioIoHandler::newFactory, NioPingPong::new),
    io_uring(() -> {
        IoUring.ensureAvailability();
        return IoUringIoHandler.newFactory();
    }, IoUringPingPong::new);

    /** A constructor of a {@link PingPong} registered on a loop. */
    interface PingPongFactory {
        PingPong create(IoEventLoop loop) throws Exception;
    }

    private final Supplier<IoHandlerFactory> factory;
    private final PingPongFactory pingPong;

    LoopTransport(Supplier<IoHandlerFactory> factory, PingPongFactory pingPong) {
        this.factory = factory;
        this.pingPong = pingPong;
    }

    /** A handle registered on {@code loop}, ready for {@link PingPong#start}. */
    PingPong pingPong(IoEventLoop loop) throws Exception {
        return pingPong.create(loop);
    }

    IoEventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(1, factory.get());
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

    /** A ping-pong on an eventfd: the loop writes it, the handle drains it. */
    private abstract static class EventFdPingPong extends PingPong {
        final EventFd eventFd;
        final int fd;
        private IoOps readiness;
        private boolean oneShot;

        EventFdPingPong() throws IOException {
            eventFd = EventFd.create();
            fd = eventFd.intValue();
        }

        /** Registers this handle on {@code loop} and submits {@code ops}, again after each event if one-shot. */
        final void register(IoEventLoop loop, IoOps ops, boolean oneShot) throws Exception {
            this.readiness = ops;
            this.oneShot = oneShot;
            registration = loop.register((IoHandle) this).get(10, TimeUnit.SECONDS);
            if (ops != null) {
                registration.submit(ops);
            }
        }

        @Override
        final void signal() {
            Native.eventFdWrite(fd, 1);
        }

        @Override
        final void rearm() {
            if (oneShot) {
                registration.submit(readiness);
            }
        }

        /** The handle's event: {@code ready} unless it reports a cancellation or an error. */
        final void event(boolean ready) {
            if (ready) {
                Native.eventFdRead(fd);
                readable();
            }
        }

        @Override
        final void dispose() throws Exception {
            super.dispose();
            eventFd.close();
        }
    }

    private static final class AioPingPong extends EventFdPingPong implements AioIoHandle {
        AioPingPong(IoEventLoop loop) throws Exception {
            register(loop, null, false);
            AioIoRegistration aio = registration.attachment();
            loop.submit(() -> {
                aio.watch(fd, AioIoEvent.EPOLLIN);
                return null;
            }).get(10, TimeUnit.SECONDS);
        }

        @Override
        public void handle(IoRegistration r, IoEvent ioEvent) {
            AioIoEvent e = (AioIoEvent) ioEvent;
            event(e.opcode() == AioIoEvent.READINESS && (e.res() & AioIoEvent.EPOLLIN) != 0);
        }
    }

    private static final class EpollPingPong extends EventFdPingPong implements EpollIoHandle {
        private final FileDescriptor descriptor = new FileDescriptor(fd);

        EpollPingPong(IoEventLoop loop) throws Exception {
            register(loop, EpollIoOps.EPOLLIN, false);
        }

        @Override
        public FileDescriptor fd() {
            return descriptor;
        }

        @Override
        public void handle(IoRegistration r, IoEvent ioEvent) {
            event(true);
        }
    }

    private static final class IoUringPingPong extends EventFdPingPong implements IoUringIoHandle {
        private static final byte IORING_OP_POLL_ADD = 6; // io_uring.h

        IoUringPingPong(IoEventLoop loop) throws Exception {
            // As liburing's io_uring_prep_poll_add: the mask in poll32_events (union3), len 0.
            register(loop, new IoUringIoOps(IORING_OP_POLL_ADD, (byte) 0, (short) 0, fd, 0L, 0L, 0, Native.POLLIN,
                    0L, (short) 0, (short) 0, 0, 0L), true);
        }

        @Override
        public void handle(IoRegistration r, IoEvent ioEvent) {
            event(((IoUringIoEvent) ioEvent).res() > 0);
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

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.contrib.channel.aio.Aio;
import io.netty.contrib.channel.aio.AioChannelOption;
import io.netty.contrib.channel.aio.AioIoHandler;
import io.netty.contrib.channel.aio.AioServerSocketChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The transports the server runs on, and what each needs: availability, event loop {@link IoHandlerFactory},
 * server channel class and {@link FileBodySource}. This enum is the single place that decides how files are sent
 * per transport. Immutable.
 */
enum ServerTransport {
    /** netty-transport-aio: AIO socket channels, bodies read with AIO ahead of the socket ({@code AioChunkedFile}). */
    AIO("aio") {
        @Override
        Throwable unavailabilityCause() {
            return Aio.unavailabilityCause();
        }

        @Override
        IoHandlerFactory newIoHandlerFactory() {
            return AioIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return AioServerSocketChannel.class;
        }

        @Override
        FileBodySource fileBodies(FileServerConfig config) {
            return new AioChunkedBodies(config.chunkSize(), config.readAhead(), config.directIoThreshold(),
                    config.sendfileThreshold(), true);
        }

        @Override
        ChannelOption<Boolean> corkOption() {
            return AioChannelOption.TCP_CORK;
        }

        @Override
        FileBodySource bufferedFileBodies(FileServerConfig config) {
            // Never sendfile: the bytes must reach a buffer (to be encrypted or framed); AIO reads, never
            // blocking the loop.
            return new AioChunkedBodies(config.chunkSize(), config.readAhead(), config.directIoThreshold(),
                    config.sendfileThreshold(), false);
        }
    },
    EPOLL("epoll") {
        @Override
        Throwable unavailabilityCause() {
            return Epoll.unavailabilityCause();
        }

        @Override
        IoHandlerFactory newIoHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return EpollServerSocketChannel.class;
        }

        @Override
        ChannelOption<Boolean> corkOption() {
            return EpollChannelOption.TCP_CORK;
        }
    },
    IO_URING("io_uring") {
        @Override
        Throwable unavailabilityCause() {
            return IoUring.unavailabilityCause();
        }

        @Override
        IoHandlerFactory newIoHandlerFactory() {
            return IoUringIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return IoUringServerSocketChannel.class;
        }

        @Override
        ChannelOption<Boolean> corkOption() {
            return IoUringChannelOption.TCP_CORK;
        }
    },
    NIO("nio") {
        @Override
        Throwable unavailabilityCause() {
            return null;
        }

        @Override
        IoHandlerFactory newIoHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return NioServerSocketChannel.class;
        }
    };

    private final String cliName;

    ServerTransport(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line: {@code aio}, {@code epoll}, {@code io_uring}, {@code nio}. */
    String cliName() {
        return cliName;
    }

    /** Why this transport cannot run here, or {@code null} when it can. */
    abstract Throwable unavailabilityCause();

    abstract IoHandlerFactory newIoHandlerFactory();

    abstract Class<? extends ServerChannel> serverChannelClass();

    /** How this transport sends file bodies: the kernel's file-to-socket copy unless overridden. */
    FileBodySource fileBodies(FileServerConfig config) {
        return new FileRegionBodies();
    }

    /**
     * The option that corks the connection's socket ({@code TCP_CORK}), so that a response head written before a
     * {@code sendfile} of its body leaves in the body's first segment instead of one of its own, as nginx's
     * {@code tcp_nopush}; {@code null} where the transport has none (NIO).
     */
    ChannelOption<Boolean> corkOption() {
        return null;
    }

    /**
     * How this transport sends file bodies that must pass through buffers (TLS encrypts them, HTTP/2 frames
     * them): positional reads on the loop unless overridden.
     */
    FileBodySource bufferedFileBodies(FileServerConfig config) {
        return new ChunkedFileBodies(config.chunkSize());
    }

    /** The transport named {@code name} on the command line. */
    static ServerTransport fromCliName(String name) {
        for (ServerTransport t : values()) {
            if (t.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name + "' (expected one of " + cliNames() + ")");
    }

    static List<String> cliNames() {
        List<String> names = new ArrayList<>();
        for (ServerTransport t : values()) {
            names.add(t.cliName);
        }
        return names;
    }

    /** What {@code --fallback} tries, in order, when the chosen transport is unavailable. */
    static List<ServerTransport> fallbackOrder() {
        return List.of(EPOLL, IO_URING, NIO);
    }
}

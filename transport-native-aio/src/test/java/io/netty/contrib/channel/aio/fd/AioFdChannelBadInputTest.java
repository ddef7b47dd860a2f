/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.contrib.channel.aio.file.AioBufferAllocator;
import io.netty.contrib.channel.aio.file.AioOpenOption;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to {@link AioFdChannel}: each gets an exception naming what is wrong, at open or at first use, and the
 * loop goes on serving other channels (checked after every test).
 */
class AioFdChannelBadInputTest extends AbstractFdChannelTest {
    @AfterEach
    void loopStillServesOtherChannels() throws Exception {
        loopsStillServeOtherChannels(group);
    }

    private static <T extends Throwable> T assertMessage(T e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' missing from: " + e.getMessage());
        }
        return e;
    }

    @Test
    void aDirectoryIsRefusedWhenOpenedAndWhenAdopted() throws Exception {
        Path dir = TestFiles.dir();
        assertMessage(assertThrows(FileSystemException.class, () -> AioFdChannel.open(dir)), "is a directory");
        assertMessage(assertThrows(FileSystemException.class,
                () -> AioFdChannel.open(dir, StandardOpenOption.WRITE)), "directory");
        int fd = TestFiles.open(dir, Native.O_RDONLY | Native.O_DIRECTORY);
        try {
            assertMessage(assertThrows(IllegalArgumentException.class, () -> AioFdChannel.adopt(fd, false)),
                    "fd " + fd, "is a directory");
        } finally {
            TestFiles.close(fd);
        }
    }

    @Test
    void aDescriptorThatIsNotOpenIsRefused() throws Exception {
        assertMessage(assertThrows(IOException.class, () -> AioFdChannel.adopt(AioTests.NEVER_OPEN_FD, true)),
                "fd " + AioTests.NEVER_OPEN_FD, "EBADF");
        FileDescriptor[] pipe = AioTests.pipe();
        AioTests.closeAll(pipe);
        assertMessage(assertThrows(IOException.class, () -> AioFdChannel.adopt(pipe[0], true)), "closed");
        assertThrows(NoSuchFileException.class, () -> AioFdChannel.open(TestFiles.newPath("missing")));
    }

    @Test
    void anOPathDescriptorSupportsNeitherModeAndIsRefused() throws Exception {
        Path file = TestFiles.patternFile("opath", 10);
        int fd = TestFiles.open(file, NativeFiles.O_PATH);
        try {
            assertMessage(assertThrows(IllegalArgumentException.class, () -> AioFdChannel.adopt(fd, false)),
                    "O_PATH", "neither poll nor async");
        } finally {
            TestFiles.close(fd);
        }
    }

    @Test
    void writingToAReadOnlyDescriptorFailsTheWriteAndKeepsTheChannel() throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        AioFdChannel reader = register(group.next(), AioFdChannel.adopt(pipe[0], true));
        ByteBuf data = reader.alloc().directBuffer().writeBytes(new byte[] {1, 2, 3});
        ChannelFuture f = reader.writeAndFlush(data).await();
        assertFalse(f.isSuccess());
        assertMessage(assertInstanceOf(IOException.class, f.cause()), "read-only", "cannot be written");
        assertEquals(0, data.refCnt(), "the refused message was not released");
        assertTrue(reader.isActive());
        reader.close().sync();
        pipe[1].close();

        Path file = TestFiles.patternFile("readonly", 4096);
        AioFdChannel fileReader = AioFdChannel.open(file);
        fileReader.config().setAutoRead(false);
        register(group.next(), fileReader);
        ChannelFuture g = fileReader.writeAndFlush(fileReader.alloc().directBuffer().writeByte(1)).await();
        assertMessage(assertInstanceOf(IOException.class, g.cause()), "read-only");
        fileReader.close().sync();
    }

    @Test
    void aRegularFileInPollModeFailsItsRegistrationNamingItAndEperm() throws Exception {
        Path file = TestFiles.patternFile("poll-mode-file", 4096);
        AioFdChannel ch = AioFdChannel.open(file);
        ch.config().setIoMode(AioFdIoMode.POLL);
        ChannelFuture registration = group.next().register(ch).await();
        IOException e = assertInstanceOf(IOException.class, registration.cause());
        assertMessage(e, file.getFileName().toString(), "poll mode", "epoll_ctl", "EPERM", "regular file");
        // Netty closes a channel whose registration failed; the loops go on (checked after each test).
        assertTrue(ch.closeFuture().await(10, TimeUnit.SECONDS));
        assertFalse(ch.isOpen());
    }

    @Test
    void modesADescriptorCannotWorkInAreRefusedWhenSet() throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        AioFdChannel reader = AioFdChannel.adopt(pipe[0], true);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> reader.config().setIoMode(AioFdIoMode.ASYNC)),
                "cannot work in ASYNC mode", "POLL");
        assertEquals(AioFdIoMode.POLL, reader.ioMode());
        register(group.next(), reader);
        assertThrows(IllegalStateException.class, () -> reader.config().setIoMode(AioFdIoMode.POLL));
        reader.close().sync();
        pipe[1].close();

        AioFdChannel direct = AioFdChannel.open(TestFiles.patternFile("direct-mode", 4096), StandardOpenOption.READ,
                AioOpenOption.DIRECT);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> direct.config().setIoMode(AioFdIoMode.POLL)),
                "O_DIRECT", "ASYNC");
        assertThrows(IllegalArgumentException.class, () -> direct.config().setIoSizeMultiple(100));
        assertThrows(IllegalArgumentException.class, () -> direct.config().setBufferAlignment(3000));
        // Closing needs an event loop, as for every Netty channel.
        register(group.next(), direct).close().sync();
    }

    @Test
    void asyncModeForcedOnADescriptorWhoseDriverDoesNotQueueAioFailsAtFirstRead() throws Exception {
        int efd = Native.eventFd(0, Native.EFD_CLOEXEC | Native.EFD_NONBLOCK);
        AioFdChannel ch = AioFdChannel.adopt(efd, true);
        ch.config().setIoMode(AioFdIoMode.ASYNC);
        Received received = new Received();
        register(group.next(), ch, received);
        received.awaitDone();
        ch.closeFuture().sync();
        assertEquals(1, received.errors.size(), () -> "errors: " + received.errors);
        assertMessage(received.errors.get(0), "IOCB_CMD_PREAD", "fd " + efd, "EAGAIN", "AioFdIoMode.POLL");
    }

    @Test
    void anUnalignedWriteToAnODirectDescriptorIsRefusedAndAnAlignedOneWorks() throws Exception {
        Path path = TestFiles.newPath("direct-write");
        AioFdChannel ch = AioFdChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                AioOpenOption.DIRECT);
        register(group.next(), ch);
        ChannelFuture bad = ch.writeAndFlush(ch.alloc().directBuffer().writeZero(1000)).await();
        assertMessage(assertInstanceOf(IllegalArgumentException.class, bad.cause()), "multiple of", "1000");
        // Memory that is not aligned (an odd address) is copied into an aligned buffer; only the length must fit.
        ByteBuf unalignedMemory = AioBufferAllocator.forAlignment(4096).directBuffer(8192 + 1);
        unalignedMemory.writeZero(1).readerIndex(1);
        unalignedMemory.writeBytes(BLOCK, 0, 8192);
        assertTrue(ch.writeAndFlush(unalignedMemory).sync().isSuccess());
        ch.close().sync();
        byte[] expected = new byte[8192];
        System.arraycopy(BLOCK, 0, expected, 0, expected.length);
        assertArrayEquals(expected, Files.readAllBytes(path));
    }

    @Test
    void writingToAPipeWhoseReaderIsGoneFailsWithEpipeAndClosesTheChannel() throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        pipe[0].close();
        AioFdChannel writer = AioFdChannel.adopt(pipe[1], true);
        CompletableFuture<ChannelFuture> written = new CompletableFuture<>();
        register(group.next(), writer, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                // In the registration's own task: before the POLLERR watch can report the missing reader.
                written.complete(ctx.writeAndFlush(ctx.alloc().directBuffer().writeZero(100)));
            }
        });
        ChannelFuture f = written.get(30, TimeUnit.SECONDS).await();
        assertMessage(assertInstanceOf(IOException.class, f.cause()), "EPIPE", "fd " + pipe[1].intValue());
        assertTrue(writer.closeFuture().await(AioTests.PATIENCE.toMillis()));
    }
}

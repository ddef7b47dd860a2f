/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.file.AioRwOptions;
import io.netty.contrib.channel.aio.file.AioOpenOption;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline's read controls ({@code AUTO_READ}, {@code read()}, {@code MAX_MESSAGES_PER_READ}, the
 * {@code RecvByteBufAllocator}, {@code IO_SIZE_MULTIPLE}) and the per-write {@code RWF_*} options, in both modes,
 * on real files and pipes; and a loop shutdown with channels that have I/O in flight.
 */
class AioFdChannelReadWriteOptionsTest extends AbstractFdChannelTest {

    /** Records the size of every message and how many messages each read round delivered. */
    static final class Rounds extends Received {
        final List<Integer> sizes = new CopyOnWriteArrayList<>();
        final List<Integer> perRound = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<Integer> roundDone = new CompletableFuture<>();
        private int inRound;

        @Override
        public void onBytes(ChannelHandlerContext ctx, byte[] b) {
            sizes.add(b.length);
            inRound++;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            perRound.add(inRound);
            roundDone.complete(inRound);
            inRound = 0;
        }
    }

    @Test
    void withAutoReadOffEachReadCallDeliversOneMessageInAsyncMode() throws Exception {
        int size = 16 * 65536;
        Path path = TestFiles.patternFile("autoread-off", size);
        AioFdChannel ch = AioFdChannel.open(path, StandardOpenOption.READ, AioOpenOption.DIRECT);
        ch.config().setAutoRead(false);
        ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(65536));
        ch.config().setReadsInFlight(4);
        Rounds rounds = new Rounds();
        register(group.next(), ch, rounds);
        // Nothing is read before the first read(): the reads in flight count only once asked for.
        assertEquals(0, rounds.messages);
        for (int i = 1; i <= 16; i++) {
            rounds.roundDone = new CompletableFuture<>();
            ch.read();
            assertEquals(1, rounds.roundDone.get(30, TimeUnit.SECONDS));
            assertEquals(i, rounds.messages, "a read() delivered more than one message");
        }
        assertTrue(rounds.sizes.stream().allMatch(s -> s == 65536), () -> "sizes " + rounds.sizes);
        // The next read() finds the end of the file: the channel closes.
        ch.read();
        assertEquals(size, rounds.awaitDone());
        assertEquals(crc(AioTests.pattern(0, size)), rounds.crc.getValue());
    }

    @Test
    void maxMessagesPerReadBoundsEachRoundInBothModes() throws Exception {
        int size = 1 << 20;
        Path path = TestFiles.patternFile("max-messages", size);
        AioFdChannel file = AioFdChannel.open(path);
        file.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(4096).maxMessagesPerRead(2));
        file.config().setReadsInFlight(8);
        Rounds fileRounds = new Rounds();
        register(group.next(), file, fileRounds);
        assertEquals(size, fileRounds.awaitDone());
        assertEquals(crc(AioTests.pattern(0, size)), fileRounds.crc.getValue());
        assertTrue(fileRounds.perRound.stream().allMatch(n -> n <= 2), () -> "rounds " + fileRounds.perRound);
        assertTrue(fileRounds.perRound.stream().anyMatch(n -> n == 2), () -> "rounds " + fileRounds.perRound);

        FileDescriptor[] pipe = AioTests.pipe();
        AioFdChannel reader = AioFdChannel.adopt(pipe[0], true);
        reader.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(1024).maxMessagesPerRead(3));
        Rounds pipeRounds = new Rounds();
        AioFdChannel writer = AioFdChannel.adopt(pipe[1], true);
        register(group.next(), writer);
        // 64 KiB waits in the pipe before the reader starts: every round could read more than 3 buffers.
        writer.writeAndFlush(Unpooled.wrappedBuffer(AioTests.pattern(0, 65536))).sync();
        writer.close().sync();
        register(group.next(), reader, pipeRounds);
        assertEquals(65536, pipeRounds.awaitDone());
        assertTrue(pipeRounds.perRound.stream().allMatch(n -> n <= 3), () -> "rounds " + pipeRounds.perRound);
        assertTrue(pipeRounds.sizes.stream().allMatch(s -> s <= 1024), () -> "sizes " + pipeRounds.sizes);
    }

    @Test
    void asyncReadLengthsAreTheAllocatorsGuessRoundedUpToTheSizeMultiple() throws Exception {
        int size = 100 * 1024 + 100;
        Path path = TestFiles.patternFile("multiple", size);
        AioFdChannel ch = AioFdChannel.open(path);
        ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(1000));
        ch.config().setOption(AioFdChannelOption.IO_SIZE_MULTIPLE, 512);
        ch.config().setOption(AioFdChannelOption.BUFFER_ALIGNMENT, 512);
        assertEquals(512, (int) ch.config().getOption(AioFdChannelOption.IO_SIZE_MULTIPLE));
        Rounds rounds = new Rounds();
        register(group.next(), ch, rounds);
        assertEquals(size, rounds.awaitDone());
        List<Integer> sizes = rounds.sizes;
        for (int i = 0; i < sizes.size() - 1; i++) {
            assertEquals(1024, sizes.get(i), "message " + i);
        }
        assertEquals(size % 1024, sizes.get(sizes.size() - 1));
        assertEquals(crc(AioTests.pattern(0, size)), rounds.crc.getValue());
    }

    @Test
    void writeFlagsGoToEveryWriteInBothModes() throws Exception {
        // Async: RWF_DSYNC on each IOCB_CMD_PWRITE of a buffered file.
        Path path = TestFiles.newPath("dsync");
        AioFdChannel file = AioFdChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        file.config().setOption(AioFdChannelOption.WRITE_OPTIONS,
                AioRwOptions.DEFAULT.withRwFlags(Native.RWF_DSYNC));
        register(group.next(), file);
        byte[] data = AioTests.pattern(0, 100_000);
        ChannelFuture last = null;
        for (int off = 0; off < data.length; off += 10_000) {
            last = file.write(file.alloc().directBuffer().writeBytes(data, off, 10_000));
        }
        file.flush();
        assertTrue(last.sync().isSuccess());
        file.close().sync();
        assertArrayEquals(data, Files.readAllBytes(path));

        // Poll: the flags make writes go through pwritev2 (RWF_NOWAIT: EAGAIN instead of blocking, as O_NONBLOCK).
        FileDescriptor[] pipe = AioTests.pipe();
        Received received = new Received();
        register(group.next(), AioFdChannel.adopt(pipe[0], true), received);
        AioFdChannel writer = AioFdChannel.adopt(pipe[1], true);
        writer.config().setWriteOptions(AioRwOptions.DEFAULT.withRwFlags(Native.RWF_NOWAIT));
        register(group.next(), writer);
        int total = 4 << 20;
        ChannelFuture end = null;
        for (long off = 0; off < total; off += 65536) {
            end = writer.write(streamSlice(writer.alloc(), off, 65536));
        }
        writer.flush();
        assertTrue(end.sync().isSuccess());
        writer.close().sync();
        assertEquals(total, received.awaitDone());
        assertEquals(streamCrc(total), received.crc.getValue());
    }

    @Test
    void shuttingTheLoopDownClosesChannelsWithIoInFlight() throws Exception {
        EventLoopGroup own = new AioEventLoopGroup(1);
        Path path = TestFiles.patternFile("shutdown", 16 << 20);
        AioFdChannel file = AioFdChannel.open(path, StandardOpenOption.READ, AioOpenOption.DIRECT);
        file.config().setReadsInFlight(16);
        file.config().setAutoRead(false);
        FileDescriptor[] pipe = AioTests.pipe();
        AioFdChannel reader = AioFdChannel.adopt(pipe[0], true);
        register(own.next(), file);
        register(own.next(), reader);
        // Reads submitted, none delivered (no read() after the first), a POLLIN armed on the pipe.
        file.read();
        own.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        assertTrue(file.closeFuture().isDone() && !file.isOpen());
        assertTrue(reader.closeFuture().isDone() && !reader.isOpen());
        pipe[1].close();
        loopsStillServeOtherChannels(group);
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.contrib.channel.aio.AioIoRegistration;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.file.AioBufferAllocator;
import io.netty.contrib.channel.aio.file.AioOpenOption;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.FsSleepSampler;
import io.netty.contrib.channel.aio.testing.InodeLockWriter;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AioFdChannel} in async mode over files under {@code target/} (ext4): {@code O_DIRECT} streaming through a
 * frame decoder, a copy file → channel → channel → file, end of input with and without half-closure, and closing
 * with reads and writes in flight in both modes.
 */
class AioFdChannelAsyncTest extends AbstractFdChannelTest {
    private static byte[] sha256(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    @Test
    void directFileStreamsRecordsThroughLengthFieldBasedFrameDecoder() throws Exception {
        Random random = new Random(42);
        List<byte[]> records = new ArrayList<>();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(file);
        while (file.size() < 6 << 20) {
            byte[] payload = new byte[random.nextInt(20_000)];
            random.nextBytes(payload);
            records.add(payload);
            out.writeInt(payload.length);
            out.write(payload);
        }
        Path path = TestFiles.newPath("records");
        Files.write(path, file.toByteArray());

        AioFdChannel ch = AioFdChannel.open(path, StandardOpenOption.READ, AioOpenOption.DIRECT);
        assertEquals(AioFdIoMode.ASYNC, ch.ioMode());
        ch.config().setOption(AioFdChannelOption.READS_IN_FLIGHT, 8);
        List<byte[]> decoded = new CopyOnWriteArrayList<>();
        Received end = new Received();
        register(group.next(), ch, new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf frame = (ByteBuf) msg;
                        byte[] b = new byte[frame.readableBytes()];
                        frame.readBytes(b);
                        frame.release();
                        decoded.add(b);
                    }
                }, end);
        end.awaitDone();
        ch.closeFuture().sync();
        assertTrue(end.errors.isEmpty(), () -> "errors: " + end.errors);
        assertEquals(records.size(), decoded.size());
        for (int i = 0; i < records.size(); i++) {
            assertArrayEquals(records.get(i), decoded.get(i), "record " + i);
        }
    }

    @Test
    void fileIsCopiedFileToChannelToChannelToFileWithMatchingChecksum() throws Exception {
        Random random = new Random(7);
        byte[] data = new byte[(20 << 20) + 12345];
        random.nextBytes(data);
        Path source = TestFiles.newPath("copy-src");
        Path target = TestFiles.newPath("copy-dst");
        Files.write(source, data);

        AioFdChannel in = AioFdChannel.open(source, StandardOpenOption.READ, AioOpenOption.DIRECT);
        AioFdChannel out = AioFdChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals(AioFdIoMode.ASYNC, in.ioMode());
        assertEquals(AioFdIoMode.ASYNC, out.ioMode());
        out.config().setWriteBufferWaterMark(new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
        in.config().setOption(AioFdChannelOption.READS_IN_FLIGHT, 6);
        CompletableFuture<Void> copied = new CompletableFuture<>();
        EventLoop loopIn = group.next();
        EventLoop loopOut = group.next();
        register(loopOut, out, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                // Backpressure: the reader waits while the writer's buffer is above its high watermark.
                boolean writable = ctx.channel().isWritable();
                in.eventLoop().execute(() -> in.config().setAutoRead(writable));
            }
        });
        register(loopIn, in, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                out.write(msg);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                out.flush();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                // End of the source: the empty message completes after everything written before it.
                out.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                    out.close();
                    if (f.isSuccess()) {
                        copied.complete(null);
                    } else {
                        copied.completeExceptionally(f.cause());
                    }
                });
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                copied.completeExceptionally(cause);
            }
        });
        copied.get(60, TimeUnit.SECONDS);
        out.closeFuture().sync();
        assertEquals(data.length, Files.size(target));
        assertArrayEquals(sha256(source), sha256(target));
    }

    @Test
    void endOfFileClosesTheChannelWithoutHalfClosure() throws Exception {
        Path path = TestFiles.patternFile("eof", 100_000);
        Received received = new Received();
        AioFdChannel ch = register(group.next(), AioFdChannel.open(path), received);
        assertEquals(100_000, received.awaitDone());
        ch.closeFuture().sync();
        assertFalse(received.sawInputShutdown());
        assertEquals(crc(AioTests.pattern(0, 100_000)), received.crc.getValue());
    }

    @Test
    void endOfFileWithHalfClosureShutsTheInputAndKeepsTheFileWritable() throws Exception {
        Path path = TestFiles.patternFile("halfclose", 50_000);
        AioFdChannel ch = AioFdChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        Received received = new Received();
        register(group.next(), ch, received);
        assertEquals(50_000, received.awaitDone());
        assertTrue(received.sawInputShutdown());
        assertTrue(ch.isOpen() && ch.isActive() && ch.isInputShutdown());
        // Writes start at the descriptor's position when it was adopted: 0, over the pattern.
        byte[] hello = "written after the end of input".getBytes();
        assertTrue(ch.writeAndFlush(ch.alloc().directBuffer().writeBytes(hello)).sync().isSuccess());
        ch.close().sync();
        byte[] now = Files.readAllBytes(path);
        assertEquals(50_000, now.length);
        byte[] head = new byte[hello.length];
        System.arraycopy(now, 0, head, 0, head.length);
        assertArrayEquals(hello, head);
    }

    @Test
    void closingWithAsyncReadsInFlightWaitsForThemAndLeaksNothing() throws Exception {
        Path path = TestFiles.patternFile("inflight", 32 << 20);
        int inFlightAtSomeClose = 0;
        for (int round = 0; round < 20; round++) {
            AioFdChannel ch = AioFdChannel.open(path, StandardOpenOption.READ, AioOpenOption.DIRECT);
            ch.config().setOption(AioFdChannelOption.READS_IN_FLIGHT, 16);
            CompletableFuture<AioIoRegistration> closing = new CompletableFuture<>();
            int[] pendingAtClose = new int[1];
            boolean closeFromRead = round % 2 == 0;
            register(group.next(), ch, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ((ByteBuf) msg).release();
                    if (closeFromRead && !closing.isDone()) {
                        // The other reads are in flight, or done and held.
                        AioIoRegistration registration = registrationOf(ch);
                        pendingAtClose[0] = registration.pendingOperations();
                        closing.complete(registration);
                        ctx.close();
                    }
                }
            });
            if (!closeFromRead) {
                // Right after registration: the reads are queued for the loop's next io_submit or in flight.
                ch.eventLoop().execute(() -> {
                    AioIoRegistration registration = registrationOf(ch);
                    pendingAtClose[0] = registration.pendingOperations();
                    closing.complete(registration);
                    ch.close();
                });
            }
            AioIoRegistration registration = closing.get(30, TimeUnit.SECONDS);
            ch.closeFuture().sync();
            // The close future completed only after every iocb of the channel had completed.
            int pending = ch.eventLoop().submit(registration::pendingOperations).get();
            assertEquals(0, pending);
            assertFalse(ch.isOpen());
            inFlightAtSomeClose = Math.max(inFlightAtSomeClose, pendingAtClose[0]);
        }
        assertTrue(inFlightAtSomeClose > 0, "no close ever found a read in flight");
        loopsStillServeOtherChannels(group);
    }

    /**
     * An O_DIRECT channel streaming a file a writer is writing further on: ext4 holds the inode lock exclusive for
     * each buffered write, and an O_DIRECT read submitted meanwhile waited for it inside {@code io_submit}, on the
     * loop thread. With {@code RWF_NOWAIT} the kernel answers EAGAIN and the read is submitted again after a pause,
     * in its place in the stream. Asserted without timing: no sample of the loop thread found it asleep in the
     * filesystem, reads met the lock (retries counted), and the bytes streamed are the file's, in order.
     */
    @Test
    void directReadsDoNotWaitOnTheLoopForTheInodeLockAWriterHolds() throws Exception {
        int streamed = 16 << 20;
        Path path = TestFiles.patternFile("fd-locked", 32 << 20);
        // Written back first: here the lock is the subject, not dirty pages in the range read.
        try (FileChannel fc = FileChannel.open(path, StandardOpenOption.WRITE)) {
            fc.force(true);
        }
        EventLoop loop = group.next();
        AioFdChannel ch = AioFdChannel.open(path, StandardOpenOption.READ, AioOpenOption.DIRECT);
        ch.config().setOption(AioFdChannelOption.READS_IN_FLIGHT, 4);
        ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(65536));
        AtomicLong mismatchAt = new AtomicLong(-1);
        CompletableFuture<Long> retries = new CompletableFuture<>();
        FsSleepSampler sampler = FsSleepSampler.start(loop);
        InodeLockWriter writer = InodeLockWriter.start(path, 32 << 20);
        try {
            register(loop, ch, new ChannelInboundHandlerAdapter() {
                private long at;

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    // One bulk copy: with paranoid leak detection every getByte of the buffer records a trace.
                    byte[] bytes = new byte[b.readableBytes()];
                    b.readBytes(bytes).release();
                    for (int i = 0; i < bytes.length && at < streamed; i++, at++) {
                        if (bytes[i] != TestFiles.patternByte(at) && mismatchAt.get() < 0) {
                            mismatchAt.set(at);
                        }
                    }
                    if (at >= streamed && !retries.isDone()) {
                        retries.complete(ch.directRetries());
                        ctx.close();
                    }
                }
            });
            ch.closeFuture().sync();
        } finally {
            writer.close();
            sampler.close();
        }
        long retried = retries.get(30, TimeUnit.SECONDS);
        String what = retried + " reads retried, " + writer.writes() + " writes, " + sampler.samples()
                + " samples of the loop thread";
        System.out.println("fd directReadsDoNotWaitOnTheLoop...: " + what);
        assertEquals(-1, mismatchAt.get(), "the stream differs from the file at byte " + mismatchAt + ": " + what);
        assertTrue(sampler.sleptOn().isEmpty(), "the loop thread slept on the inode lock in " + sampler.sleptOn()
                + ": " + what);
        assertTrue(retried > 0, "no read met the writer's lock (nothing tested): " + what);
    }

    @Test
    void closingWithAPollInFlightCompletesAndTheLoopGoesOn() throws Exception {
        for (int round = 0; round < 20; round++) {
            FileDescriptor[] pipe = AioTests.pipe();
            AioFdChannel ch = register(group.next(), AioFdChannel.adopt(pipe[0], true));
            AioIoRegistration registration = ch.eventLoop().submit(() -> registrationOf(ch)).get();
            ch.close().sync();
            assertEquals(0, (int) ch.eventLoop().submit(registration::pendingOperations).get());
            pipe[1].close();
        }
        loopsStillServeOtherChannels(group);
    }

    @Test
    void closingWithAsyncWritesInFlightSucceedsAPrefixAndFailsTheRest() throws Exception {
        Path path = TestFiles.newPath("write-inflight");
        AioFdChannel ch = AioFdChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                AioOpenOption.DIRECT);
        ch.config().setOption(AioFdChannelOption.WRITES_IN_FLIGHT, 8);
        register(group.next(), ch);
        int block = 65536;
        int count = 32;
        List<ChannelFuture> writes = new ArrayList<>();
        ch.eventLoop().submit(() -> {
            for (int i = 0; i < count; i++) {
                ByteBuf buf = AioBufferAllocator.forAlignment(4096).directBuffer(block, block);
                buf.writeBytes(BLOCK, i * block % BLOCK.length, block);
                writes.add(ch.write(buf));
            }
            // Close when the first write completed: up to 7 more are in the kernel, the rest not yet submitted.
            writes.get(0).addListener(f -> ch.close());
            ch.flush();
        }).sync();
        ch.closeFuture().sync();
        int succeeded = 0;
        for (ChannelFuture f : writes) {
            f.await();
            if (f.isSuccess()) {
                succeeded++;
            }
        }
        assertTrue(succeeded >= 1, "the first write failed: " + writes.get(0).cause());
        assertTrue(succeeded <= 8, () -> "writes never submitted succeeded");
        for (int i = succeeded; i < count; i++) {
            assertFalse(writes.get(i).isSuccess(), "write " + i + " succeeded after an earlier one failed");
        }
        // The writes that succeeded are on disk, in order.
        byte[] onDisk = Files.readAllBytes(path);
        assertTrue(onDisk.length >= succeeded * block);
        for (int i = 0; i < succeeded; i++) {
            for (int j = 0; j < block; j++) {
                if (onDisk[i * block + j] != streamByte((long) i * block + j)) {
                    throw new AssertionError("block " + i + " differs at byte " + j);
                }
            }
        }
        loopsStillServeOtherChannels(group);
    }

    static AioIoRegistration registrationOf(AioFdChannel ch) {
        return ch.handle.aio();
    }
}

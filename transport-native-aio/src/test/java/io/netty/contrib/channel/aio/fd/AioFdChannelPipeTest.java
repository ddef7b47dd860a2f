/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFds;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AioFdChannel} in poll mode over pipes and FIFOs: every byte arrives, in order, with a slow reader holding
 * the writer back through the pipe's capacity and the channel's write watermarks.
 */
class AioFdChannelPipeTest extends AbstractFdChannelTest {
    private static final long TIMEOUT_SECONDS = 120;
    /** Writes {@code total} bytes of the test stream as fast as writability allows, then closes the channel. */
    static final class StreamWriter extends ChannelInboundHandlerAdapter {
        final long total;
        final int chunk;
        final CompletableFuture<Void> written = new CompletableFuture<>();
        final AtomicInteger becameUnwritable = new AtomicInteger();
        final AtomicInteger becameWritable = new AtomicInteger();
        private long sent;

        StreamWriter(long total, int chunk) {
            this.total = total;
            this.chunk = chunk;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                becameWritable.incrementAndGet();
                pump(ctx);
            } else {
                becameUnwritable.incrementAndGet();
            }
        }

        private void pump(ChannelHandlerContext ctx) {
            while (sent < total && ctx.channel().isWritable()) {
                int n = (int) Math.min(chunk, total - sent);
                ChannelFuture f = ctx.write(streamSlice(ctx.alloc(), sent, n));
                sent += n;
                if (sent == total) {
                    f.addListener(done -> {
                        if (done.isSuccess()) {
                            written.complete(null);
                        } else {
                            written.completeExceptionally(done.cause());
                        }
                        ctx.close();
                    });
                }
            }
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            written.completeExceptionally(cause);
        }
    }

    /** With AUTO_READ off, asks for the next read only {@code pauseMillis} after each read round. */
    static final class SlowReader extends Received {
        private final long pauseMillis;

        SlowReader(long pauseMillis) {
            this.pauseMillis = pauseMillis;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.executor().schedule(() -> {
                ctx.read();
            }, pauseMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void smallTransferThroughAPipeArrivesWhole() throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        AioFdChannel reader = AioFdChannel.adopt(pipe[0], true);
        AioFdChannel writer = AioFdChannel.adopt(pipe[1], true);
        assertEquals(AioFdIoMode.POLL, reader.ioMode());
        Received received = new Received();
        StreamWriter streamWriter = new StreamWriter(100_000, 4096);
        register(group.next(), reader, received);
        register(group.next(), writer, streamWriter);
        streamWriter.written.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(100_000, received.awaitDone());
        assertEquals(streamCrc(100_000), received.crc.getValue());
        assertTrue(received.errors.isEmpty(), () -> "errors: " + received.errors);
        reader.closeFuture().sync();
        assertFalse(reader.isOpen());
    }

    @Test
    void twoHundredFiftySixMebibytesReachASlowReaderExactlyWhileWatermarksFlip() throws Exception {
        long total = 256L << 20;
        FileDescriptor[] pipe = AioTests.pipe();
        AioFdChannel reader = AioFdChannel.adopt(pipe[0], true);
        reader.config().setAutoRead(false);
        reader.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(64 * 1024));
        AioFdChannel writer = AioFdChannel.adopt(pipe[1], true);
        writer.config().setWriteBufferWaterMark(new WriteBufferWaterMark(64 * 1024, 256 * 1024));
        SlowReader received = new SlowReader(1);
        StreamWriter streamWriter = new StreamWriter(total, 64 * 1024);
        register(group.next(), reader, received);
        register(group.next(), writer, streamWriter);

        streamWriter.written.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(total, received.awaitDone());
        assertEquals(streamCrc(total), received.crc.getValue());
        assertTrue(received.errors.isEmpty(), () -> "errors: " + received.errors);
        // The reader is slower than the writer: the writer must have been held back many times, and released.
        assertTrue(streamWriter.becameUnwritable.get() > 10,
                () -> "unwritable only " + streamWriter.becameUnwritable.get() + " times");
        // Events fired later may see the state flipped again, so the two counts need not pair up exactly.
        assertTrue(streamWriter.becameWritable.get() > 10,
                () -> "writable again only " + streamWriter.becameWritable.get() + " times");
        writer.closeFuture().sync();
        reader.closeFuture().sync();
    }

    @Test
    void aChannelReadsWhatAThreadWritesAndAThreadReadsWhatAChannelWrites() throws Exception {
        int total = 16 << 20;
        // Blocking ends for the threads; the channels set O_NONBLOCK on their own ends (separate open files).
        FileDescriptor[] in = Native.newPipe(Native.O_CLOEXEC);
        FileDescriptor[] out = Native.newPipe(Native.O_CLOEXEC);
        AioFdChannel reader = AioFdChannel.adopt(in[0], true);
        AioFdChannel writer = AioFdChannel.adopt(out[1], true);
        writer.config().setWriteBufferWaterMark(new WriteBufferWaterMark(32 * 1024, 128 * 1024));
        Received received = new Received();
        StreamWriter streamWriter = new StreamWriter(total, 100_000);

        CompletableFuture<Void> threadWrote = CompletableFuture.runAsync(() -> {
            try {
                ByteBuffer b = ByteBuffer.allocateDirect(BLOCK.length);
                b.put(BLOCK).flip();
                long left = total;
                while (left > 0) {
                    int n = (int) Math.min(left, b.capacity());
                    int w = in[1].write(b, 0, n);
                    left -= w;
                    // A blocking pipe write takes everything; each write starts at the block's start, as the
                    // stream does every 1 MiB.
                    if (w < n) {
                        throw new AssertionError("short blocking write to a pipe: " + w + " of " + n);
                    }
                }
                in[1].close();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        CompletableFuture<Long> threadRead = CompletableFuture.supplyAsync(() -> {
            try {
                CRC32 crc = new CRC32();
                ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
                byte[] chunk = new byte[b.capacity()];
                long got = 0;
                for (;;) {
                    int n = out[0].read(b, 0, b.capacity());
                    if (n < 0) {
                        break;
                    }
                    b.get(0, chunk, 0, n);
                    crc.update(chunk, 0, n);
                    got += n;
                    if ((got & (1 << 20) - 1) < n) {
                        // A slow consumer: the channel must wait on POLLOUT and its watermarks.
                        Thread.sleep(2);
                    }
                }
                out[0].close();
                assertEquals(streamCrc(total), crc.getValue());
                return got;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        register(group.next(), reader, received);
        register(group.next(), writer, streamWriter);

        threadWrote.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        streamWriter.written.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(total, threadRead.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(total, received.awaitDone());
        assertEquals(streamCrc(total), received.crc.getValue());
        assertTrue(streamWriter.becameUnwritable.get() > 0, "the writer never waited for the slow thread");
    }

    @Test
    void aFifoUnderTargetCarriesAStreamBetweenTwoChannels() throws Exception {
        Path fifo = TestFiles.newPath("fifo");
        int res = NativeFds.mkfifo(fifo.toString(), 0600);
        assertEquals(0, res, () -> Native.describeResult(res));
        int total = 8 << 20;
        // The read end first: opening a FIFO write-only and non-blocking fails while nobody reads it.
        AioFdChannel reader = AioFdChannel.open(fifo, StandardOpenOption.READ);
        AioFdChannel writer = AioFdChannel.open(fifo, StandardOpenOption.WRITE);
        assertEquals(AioFdIoMode.POLL, writer.ioMode());
        Received received = new Received();
        StreamWriter streamWriter = new StreamWriter(total, 50_000);
        register(group.next(), reader, received);
        register(group.next(), writer, streamWriter);
        streamWriter.written.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(total, received.awaitDone());
        assertEquals(streamCrc(total), received.crc.getValue());
    }

    @Test
    void writeOnlyEndClosesWhenTheReaderGoesAway() throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        AioFdChannel writer = register(group.next(), AioFdChannel.adopt(pipe[1], true));
        assertTrue(writer.isActive());
        pipe[0].close();
        // POLLERR on the write end: nobody will ever read what it writes.
        assertTrue(writer.closeFuture().await(AioTests.PATIENCE.toMillis()), "still open: " + writer);
        ByteBuf late = writer.alloc().directBuffer(1).writeByte(1);
        assertFalse(writer.writeAndFlush(late).await().isSuccess());
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFds;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.contrib.channel.aio.testing.AioTests;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AioFdChannel} over character devices and anonymous inodes: a pseudo-terminal pair in raw mode, an
 * eventfd, {@code /dev/zero} (poll and async mode) and {@code /dev/null}.
 */
class AioFdChannelDeviceTest extends AbstractFdChannelTest {
    /** Keeps everything a channel reads; {@link #all} completes once {@code expected} bytes arrived. */
    static final class Collect extends Received {
        final int expected;
        final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> all = new CompletableFuture<>();

        Collect(int expected) {
            this.expected = expected;
        }

        @Override
        public void onBytes(ChannelHandlerContext ctx, byte[] b) {
            kept.write(b, 0, b.length);
            if (kept.size() >= expected) {
                all.complete(kept.toByteArray());
            }
        }
    }

    /** Every byte value, {@code rounds} times, starting at {@code first}. */
    private static byte[] allByteValues(int rounds, int first) {
        byte[] data = new byte[256 * rounds];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (first + i);
        }
        return data;
    }

    private static ChannelFuture writeInPieces(AioFdChannel ch, byte[] data, int piece) {
        ChannelFuture last = null;
        for (int off = 0; off < data.length; off += piece) {
            int n = Math.min(piece, data.length - off);
            last = ch.write(ch.alloc().directBuffer(n).writeBytes(data, off, n));
        }
        ch.flush();
        return last;
    }

    @Test
    void pseudoTerminalPairInRawModePassesEveryByteBothWaysThenEndsOnSlaveClose() throws Exception {
        int master = NativeFds.posixOpenpt(Native.O_RDWR | NativeFiles.O_NOCTTY | Native.O_CLOEXEC);
        assertTrue(master >= 0, () -> "posix_openpt: " + Native.describeResult(master));
        assertEquals(0, NativeFds.grantpt(master));
        assertEquals(0, NativeFds.unlockpt(master));
        String slavePath = NativeFds.ptsname(master);
        assertTrue(slavePath.startsWith("/dev/pts/"), slavePath);

        AioFdChannel masterCh = AioFdChannel.adopt(master, true);
        AioFdChannel slaveCh = AioFdChannel.open(Paths.get(slavePath), StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        // Raw mode on the slave's line discipline: no echo, no CR/NL mapping, no signals, 8-bit clean.
        assertEquals(0, NativeFds.makeRaw(slaveCh.fd().intValue()));
        assertEquals(AioFdIoMode.POLL, masterCh.ioMode());
        assertEquals(AioFdIoMode.POLL, slaveCh.ioMode());

        // More than the line discipline buffers (4 KiB): both sides must wait for the other to read.
        byte[] down = allByteValues(256, 0);
        byte[] up = allByteValues(256, 7);
        Collect atSlave = new Collect(down.length);
        Collect atMaster = new Collect(up.length);
        register(group.next(), masterCh, atMaster);
        register(group.next(), slaveCh, atSlave);

        ChannelFuture wroteDown = writeInPieces(masterCh, down, 3000);
        ChannelFuture wroteUp = writeInPieces(slaveCh, up, 5000);
        assertArrayEquals(down, atSlave.all.get(30, TimeUnit.SECONDS));
        assertArrayEquals(up, atMaster.all.get(30, TimeUnit.SECONDS));
        assertTrue(wroteDown.sync().isSuccess());
        assertTrue(wroteUp.sync().isSuccess());

        // The master reads EIO once the slave is closed: its end of input, which closes it (no half-closure).
        slaveCh.close().sync();
        atMaster.awaitDone();
        assertTrue(masterCh.closeFuture().await(AioTests.PATIENCE.toMillis()));
        assertTrue(atMaster.errors.isEmpty(), () -> "errors: " + atMaster.errors);
    }

    @Test
    void eventfdCountersWrittenThroughTheChannelAreReadBackAsTheirSum() throws Exception {
        int efd = Native.eventFd(0, Native.EFD_CLOEXEC | Native.EFD_NONBLOCK);
        assertTrue(efd >= 0);
        AioFdChannel ch = AioFdChannel.adopt(efd, true);
        assertEquals(AioFdIoMode.POLL, ch.ioMode());
        AtomicLong sum = new AtomicLong();
        long expected = 100L * 101 / 2;
        CompletableFuture<Long> reached = new CompletableFuture<>();
        register(group.next(), ch, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf buf = (ByteBuf) msg;
                try {
                    // An eventfd read returns its 8-byte counter (native order) and resets it.
                    assertEquals(8, buf.readableBytes());
                    if (sum.addAndGet(buf.readLongLE()) == expected) {
                        reached.complete(sum.get());
                    }
                } finally {
                    buf.release();
                }
            }
        });
        List<ChannelFuture> writes = new ArrayList<>();
        for (long v = 1; v <= 100; v++) {
            writes.add(ch.write(ch.alloc().directBuffer(8).writeLongLE(v)));
        }
        ch.flush();
        assertEquals(expected, reached.get(30, TimeUnit.SECONDS));
        for (ChannelFuture f : writes) {
            assertTrue(f.sync().isSuccess());
        }
        ch.close().sync();
    }

    @Test
    void devZeroReadsZeroesInPollAndAsyncMode() throws Exception {
        for (AioFdIoMode mode : new AioFdIoMode[] {AioFdIoMode.POLL, AioFdIoMode.ASYNC}) {
            AioFdChannel ch = AioFdChannel.open(Paths.get("/dev/zero"));
            ch.config().setIoMode(mode);
            ch.config().setOption(AioFdChannelOption.READS_IN_FLIGHT, 3);
            int wanted = 8 << 20;
            AtomicLong nonZero = new AtomicLong();
            CompletableFuture<Long> enough = new CompletableFuture<>();
            register(group.next(), ch, new Received() {
                @Override
                public void onBytes(ChannelHandlerContext ctx, byte[] b) {
                    for (byte x : b) {
                        if (x != 0) {
                            nonZero.incrementAndGet();
                        }
                    }
                    if (bytes + b.length >= wanted && enough.complete(bytes + b.length)) {
                        ctx.close();
                    }
                }
            });
            assertEquals(mode, ch.ioMode());
            assertTrue(enough.get(60, TimeUnit.SECONDS) >= wanted);
            assertEquals(0, nonZero.get(), mode + ": /dev/zero gave non-zero bytes");
            ch.closeFuture().sync();
        }
    }

    @Test
    void devNullTakesEveryWriteAndReadsAsEndOfInput() throws Exception {
        AioFdChannel sink = register(group.next(), AioFdChannel.open(Paths.get("/dev/null"),
                StandardOpenOption.WRITE));
        List<ChannelFuture> writes = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            writes.add(sink.write(sink.alloc().directBuffer(65536).writeZero(65536)));
        }
        sink.flush();
        for (ChannelFuture f : writes) {
            assertTrue(f.sync().isSuccess());
        }
        assertTrue(sink.isActive(), "a write-only /dev/null has no reader to lose");
        sink.close().sync();

        Received closed = new Received();
        AioFdChannel source = register(group.next(), AioFdChannel.open(Paths.get("/dev/null")), closed);
        assertEquals(0, closed.awaitDone());
        source.closeFuture().sync();
        assertFalse(closed.sawInputShutdown());

        Received halfClosed = new Received();
        AioFdChannel source2 = AioFdChannel.open(Paths.get("/dev/null"));
        source2.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        register(group.next(), source2, halfClosed);
        assertEquals(0, halfClosed.awaitDone());
        assertTrue(halfClosed.sawInputShutdown());
        assertTrue(source2.isOpen() && source2.isActive() && source2.isInputShutdown());
        source2.close().sync();
    }
}

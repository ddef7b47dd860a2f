/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10 000 random operations — positional and vectored reads and writes from every kind of buffer, truncate,
 * fallocate, fsync — against an in-memory model of the file, up to 8 at a time (never two on overlapping ranges
 * when one of them writes). Every read is checked against the model by CRC; at the end the whole file is.
 * Between batches the file's pages are evicted so that reads take the direct path as well as the cache.
 */
class AioFileModelTest {
    private static final int MAX_SIZE = 4 << 20;
    private static final int MAX_IO = 64 * 1024;
    private static final int OPERATIONS = 10_000;
    private static final int BATCH = 1_000;
    private static final int IN_FLIGHT = 8;

    private static AioEventLoopGroup group;
    private static AioEventLoop loop;

    @BeforeAll
    static void startLoop() {
        group = new AioEventLoopGroup(1, (ThreadFactory) null, new AioIoHandlerConfig().depth(256));
        loop = group.next();
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void randomOperationsAgreeWithTheModel(boolean direct) throws Exception {
        Path path = TestFiles.newPath(direct ? "model-direct" : "model");
        AioFile file = direct
                ? AioFile.open(loop, path, READ, WRITE, CREATE, AioOpenOption.DIRECT)
                : AioFile.open(loop, path, READ, WRITE, CREATE);
        Model model = new Model(file, direct, new SplittableRandom(direct ? 7 : 3));
        try {
            for (int done = 0; done < OPERATIONS; done += BATCH) {
                Promise<Void> batch = loop.newPromise();
                model.runBatch(BATCH, batch);
                batch.get(120, TimeUnit.SECONDS);
                assertEquals(model.size, file.size(), "size after " + (done + BATCH) + " operations");
                AioFileTest.evict(path);
            }
            byte[] content = Files.readAllBytes(path);
            assertEquals(model.size, content.length);
            assertEquals(crc(model.data, 0, (int) model.size), crc(content, 0, content.length), "file content");
            AioFileStats stats = AioFileTest.stats(file);
            assertEquals(0, stats.failures(), stats.toString());
            assertTrue(stats.reads() > 3000 && stats.writes() > 3000, stats.toString());
            if (!direct) {
                assertTrue(stats.nowaitHits() > 0 && stats.nowaitMisses() + stats.nowaitPartialHits() > 0,
                        "both read paths were exercised: " + stats);
            }
        } finally {
            file.close().sync();
        }
    }

    static long crc(byte[] data, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, offset, length);
        return crc.getValue();
    }

    /** The model and the operation generator; loop thread only. */
    private static final class Model {
        final AioFile file;
        final boolean direct;
        final SplittableRandom random;
        final byte[] data = new byte[MAX_SIZE];
        final int block;
        long size;
        // In-flight ranges: {start, end, writes, barrier, past the end of the file}; a barrier op (truncate,
        // fallocate, sync) stands alone.
        final List<long[]> inFlight = new ArrayList<>();
        int issued;
        int completed;
        int target;
        Promise<Void> batch;
        Op pending;

        Model(AioFile file, boolean direct, SplittableRandom random) {
            this.file = file;
            this.direct = direct;
            this.random = random;
            this.block = file.alignment().offset();
        }

        void runBatch(int n, Promise<Void> batch) {
            loop.execute(() -> {
                this.batch = batch;
                this.target = completed + n;
                this.issued = completed;
                pump();
            });
        }

        /** Issues operations while there is room and no conflict. */
        void pump() {
            while (issued < target && inFlight.size() < IN_FLIGHT) {
                if (pending == null) {
                    pending = newOp();
                }
                if (conflicts(pending)) {
                    return;
                }
                Op op = pending;
                pending = null;
                issued++;
                long[] range = {op.start, op.end, op.writes ? 1 : 0, op.barrier ? 1 : 0, op.end > size ? 1 : 0};
                inFlight.add(range);
                op.run().addListener(f -> {
                    inFlight.remove(range);
                    if (!f.isSuccess()) {
                        batch.tryFailure(new AssertionError(op + " failed", f.cause()));
                        return;
                    }
                    try {
                        op.check(f.getNow());
                    } catch (Throwable t) {
                        batch.tryFailure(t);
                        return;
                    }
                    if (++completed == target) {
                        batch.trySuccess(null);
                    } else {
                        pump();
                    }
                });
            }
        }

        boolean conflicts(Op op) {
            // An operation past the end of the file depends on (or changes) the size: one at a time.
            boolean tail = op.end > size;
            for (long[] r : inFlight) {
                if (op.barrier || r[3] == 1 || tail && r[4] == 1) {
                    return true;
                }
                boolean overlap = op.start < r[1] && r[0] < op.end;
                if (overlap && (op.writes || r[2] == 1)) {
                    return true;
                }
            }
            return false;
        }

        int length(int max) {
            int len = 1 + random.nextInt(max);
            return direct ? Math.max(block, len / block * block) : len;
        }

        long position(long limit) {
            long p = random.nextLong(Math.max(1, limit));
            return direct ? p / block * block : p;
        }

        Op newOp() {
            int dice = random.nextInt(100);
            if (dice < 30) {
                int len = length(MAX_IO);
                long pos = position(Math.min(size + MAX_IO, MAX_SIZE - len));
                return new WriteRequest(pos, payload(len), false);
            }
            if (dice < 45) {
                int len = length(MAX_IO);
                long pos = position(Math.min(size + MAX_IO, MAX_SIZE - len));
                return new WriteRequest(pos, payload(len), true);
            }
            if (dice < 65) {
                return new ReadRequest(position(size + 8192), 1 + random.nextInt(MAX_IO), 0);
            }
            if (dice < 82) {
                return new ReadRequest(position(size + 8192), 1 + random.nextInt(MAX_IO), 1);
            }
            if (dice < 97) {
                return new ReadRequest(position(size + 8192), 1 + random.nextInt(MAX_IO), 2);
            }
            if (dice == 97) {
                long newSize = position(MAX_SIZE);
                return new BarrierOp("truncate(" + newSize + ')', () -> file.truncate(newSize), () -> {
                    if (newSize < size) {
                        Arrays.fill(data, (int) newSize, (int) size, (byte) 0);
                    }
                    size = newSize;
                });
            }
            if (dice == 98) {
                int len = length(MAX_IO);
                long pos = position(MAX_SIZE - len);
                return new BarrierOp("fallocate(" + pos + ", " + len + ')', () -> file.fallocate(pos, len),
                        () -> size = Math.max(size, pos + len));
            }
            boolean dataOnly = random.nextBoolean();
            return new BarrierOp(dataOnly ? "fdatasync" : "fsync", dataOnly ? file::fdatasync : file::fsync, () -> {
            });
        }

        byte[] payload(int len) {
            byte[] b = new byte[len];
            random.nextBytes(b);
            return b;
        }

        /** A buffer holding {@code bytes}: aligned pooled, plain direct, heap or composite, at random. */
        ByteBuf source(byte[] bytes) {
            switch (random.nextInt(direct ? 2 : 4)) {
                case 0:
                    return file.allocator().directBuffer(bytes.length).writeBytes(bytes);
                case 1:
                    return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
                case 2:
                    return Unpooled.buffer(bytes.length).writeBytes(bytes);
                default:
                    int half = bytes.length / 2;
                    CompositeByteBuf c = Unpooled.compositeBuffer();
                    c.addComponent(true, Unpooled.directBuffer().writeBytes(bytes, 0, half));
                    c.addComponent(true, Unpooled.directBuffer().writeBytes(bytes, half, bytes.length - half));
                    return c;
            }
        }

        ByteBuf destination(int len) {
            switch (random.nextInt(3)) {
                case 0:
                    return file.allocator().directBuffer(len, len);
                case 1:
                    return Unpooled.directBuffer(len, len);
                default:
                    return Unpooled.buffer(len, len);
            }
        }

        abstract class Op {
            long start;
            long end;
            boolean writes;
            boolean barrier;

            abstract Future<?> run();

            abstract void check(Object result);
        }

        final class WriteRequest extends Op {
            final byte[] bytes;
            final boolean vectored;

            WriteRequest(long position, byte[] bytes, boolean vectored) {
                this.start = position;
                this.end = position + bytes.length;
                this.bytes = bytes;
                this.vectored = vectored;
                this.writes = true;
            }

            @Override
            Future<?> run() {
                ByteBuf[] srcs;
                if (vectored) {
                    int parts = direct ? Math.max(1, Math.min(4, bytes.length / block)) : 1 + random.nextInt(4);
                    srcs = new ByteBuf[parts];
                    int at = 0;
                    for (int i = 0; i < parts; i++) {
                        int len = i == parts - 1 ? bytes.length - at
                                : direct ? bytes.length / block / parts * block : bytes.length / parts;
                        srcs[i] = source(Arrays.copyOfRange(bytes, at, at + len));
                        at += len;
                    }
                } else {
                    srcs = new ByteBuf[] {source(bytes)};
                }
                Future<Void> f = vectored ? file.writev(start, srcs) : file.write(start, srcs[0]);
                // The file holds its own references while it needs them.
                for (ByteBuf b : srcs) {
                    b.release();
                }
                return f;
            }

            @Override
            void check(Object result) {
                System.arraycopy(bytes, 0, data, (int) start, bytes.length);
                size = Math.max(size, end);
            }

            @Override
            public String toString() {
                return (vectored ? "writev(" : "write(") + start + ", " + bytes.length + ')';
            }
        }

        final class ReadRequest extends Op {
            final int length;
            final int kind;
            ByteBuf[] dsts;

            ReadRequest(long position, int length, int kind) {
                this.start = position;
                this.end = position + length;
                this.length = length;
                this.kind = kind;
            }

            @Override
            Future<?> run() {
                if (kind == 0) {
                    return file.read(start, length);
                }
                if (kind == 1) {
                    dsts = new ByteBuf[] {destination(length)};
                    return file.read(start, dsts[0]);
                }
                int parts = 1 + random.nextInt(4);
                dsts = new ByteBuf[parts];
                int left = length;
                for (int i = 0; i < parts; i++) {
                    int len = i == parts - 1 ? left : Math.max(1, left / (parts - i) + random.nextInt(3) - 1);
                    len = Math.min(len, left);
                    dsts[i] = destination(len);
                    left -= len;
                }
                return file.readv(start, dsts);
            }

            @Override
            void check(Object result) {
                int expected = (int) Math.max(0, Math.min(length, size - start));
                byte[] got;
                if (kind == 0) {
                    ByteBuf buf = (ByteBuf) result;
                    got = AioFileTest.bytes(buf);
                    buf.release();
                } else {
                    long n = ((Number) result).longValue();
                    got = new byte[(int) n];
                    int at = 0;
                    for (ByteBuf d : dsts) {
                        int r = d.readableBytes();
                        d.getBytes(d.readerIndex(), got, at, r);
                        at += r;
                        d.release();
                    }
                    assertEquals(n, at, "writer indices advanced by the count");
                }
                assertEquals(expected, got.length, this + " with size " + size);
                assertEquals(crc(data, (int) start, expected), crc(got, 0, got.length), this + " content");
            }

            @Override
            public String toString() {
                return (kind == 0 ? "read(" : kind == 1 ? "readInto(" : "readv(") + start + ", " + length + ')';
            }
        }

        final class BarrierOp extends Op {
            final String name;
            final java.util.function.Supplier<Future<Void>> call;
            final Runnable apply;

            BarrierOp(String name, java.util.function.Supplier<Future<Void>> call, Runnable apply) {
                this.name = name;
                this.call = call;
                this.apply = apply;
                this.barrier = true;
                this.writes = true;
                this.end = Long.MAX_VALUE;
            }

            @Override
            Future<?> run() {
                return call.get();
            }

            @Override
            void check(Object result) {
                apply.run();
            }

            @Override
            public String toString() {
                return name;
            }
        }
    }
}

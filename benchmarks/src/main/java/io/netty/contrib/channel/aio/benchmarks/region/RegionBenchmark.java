/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.benchmarks.region;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioServerSocketChannel;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A plain Netty file server — the HttpStaticFileServer pattern, unchanged application code — on one event loop:
 * each request (a 4-byte file number) is answered with an 8-byte length and {@code new DefaultFileRegion(File, 0,
 * length)}, the region opening its own file on the loop. Clients (blocking sockets, threads of their own) fetch
 * 4 MiB files that each evicts from the page cache ({@code posix_fadvise(DONTNEED)}) just before asking, and check
 * every byte; a probe connection on the same loop sends one byte every millisecond and times the echo. What the
 * probe sees is what every other connection on a loop sees while that loop serves files the way Netty applications
 * already do. One line per figure, AIO against epoll (the anchor) and Netty's io_uring, in the format of
 * {@code benchmarks/run-all.sh}:
 * <pre>
 * region ping-p50 aio=0.09ms epoll=12.1ms io_uring=0.09ms ratio=0.007 uring_ratio=1.0
 * region MiB/s aio=1500MiB/s ... ratio=... uring_ratio=...
 * </pre>
 * Usage: {@code RegionBenchmark DIR SECONDS CLIENTS [TRANSPORTS]} (transports: aio,epoll,io_uring).
 */
public final class RegionBenchmark {
    private static final int FILE_SIZE = 4 << 20;
    private static final int FILES = 48;
    private static final byte PING = 'P';
    private static final byte FETCH = 'F';

    private RegionBenchmark() {
    }

    /** A transport: its loop factory and server channel. */
    private enum Transport {
        aio(() -> null, AioServerSocketChannel.class),
        epoll(() -> {
            Epoll.ensureAvailability();
            return EpollIoHandler.newFactory();
        }, EpollServerSocketChannel.class),
        io_uring(() -> {
            IoUring.ensureAvailability();
            return IoUringIoHandler.newFactory();
        }, IoUringServerSocketChannel.class);

        final Supplier<IoHandlerFactory> factory;
        final Class<? extends ServerChannel> serverChannel;

        Transport(Supplier<IoHandlerFactory> factory, Class<? extends ServerChannel> serverChannel) {
            this.factory = factory;
            this.serverChannel = serverChannel;
        }

        EventLoopGroup newGroup() {
            return this == aio ? new AioEventLoopGroup(1) : new MultiThreadIoEventLoopGroup(1, factory.get());
        }
    }

    /** One transport's figures. */
    private static final class Result {
        double p50Ms;
        double p99Ms;
        double p999Ms;
        double mibPerSecond;
        long files;
        long badFiles;
        String path = "";
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        long seconds = Long.parseLong(args[1]);
        int clients = Integer.parseInt(args[2]);
        List<Transport> transports = new ArrayList<>();
        for (String name : (args.length > 3 ? args[3] : "aio,epoll,io_uring").split(",")) {
            transports.add(Transport.valueOf(name));
        }
        List<Path> files = dataSet(dir);
        List<Result> results = new ArrayList<>();
        for (Transport t : transports) {
            Result r = run(t, files, clients, TimeUnit.SECONDS.toNanos(seconds));
            System.err.printf(Locale.ROOT, "# region %s: ping p50 %.3f ms p99 %.3f ms p99.9 %.3f ms, %.0f MiB/s, "
                    + "%d files (%d with wrong bytes)%s%n", t, r.p50Ms, r.p99Ms, r.p999Ms, r.mibPerSecond,
                    r.files, r.badFiles, r.path);
            results.add(r);
        }
        print("ping-p50", transports, results, r -> r.p50Ms, "ms");
        print("ping-p99", transports, results, r -> r.p99Ms, "ms");
        print("ping-p99.9", transports, results, r -> r.p999Ms, "ms");
        print("MiB/s", transports, results, r -> r.mibPerSecond, "MiB/s");
        StringBuilder exact = new StringBuilder("region bytes-exact");
        for (int i = 0; i < transports.size(); i++) {
            exact.append(' ').append(transports.get(i)).append('=').append(results.get(i).badFiles == 0 ? 1 : 0);
        }
        System.out.println(exact);
    }

    private interface Figure {
        double of(Result r);
    }

    private static void print(String name, List<Transport> ts, List<Result> rs, Figure f, String unit) {
        StringBuilder line = new StringBuilder("region ").append(name);
        Double aio = null;
        Double epoll = null;
        Double uring = null;
        for (int i = 0; i < ts.size(); i++) {
            double v = f.of(rs.get(i));
            line.append(' ').append(ts.get(i)).append('=').append(String.format(Locale.ROOT, "%.3g", v)).append(unit);
            switch (ts.get(i)) {
                case aio -> aio = v;
                case epoll -> epoll = v;
                default -> uring = v;
            }
        }
        if (aio != null && epoll != null && epoll > 0) {
            line.append(String.format(Locale.ROOT, " ratio=%.3f", aio / epoll));
        }
        if (aio != null && uring != null && uring > 0) {
            line.append(String.format(Locale.ROOT, " uring_ratio=%.3f", aio / uring));
        }
        System.out.println(line);
    }

    /** {@link #FILES} files of {@link #FILE_SIZE} bytes whose every 8-byte word says where it is (file, offset). */
    private static List<Path> dataSet(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        ByteBuffer content = ByteBuffer.allocateDirect(FILE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < FILES; i++) {
            Path p = dir.resolve("file-" + i + ".bin");
            files.add(p);
            if (Files.isRegularFile(p) && Files.size(p) == FILE_SIZE) {
                continue;
            }
            content.clear();
            for (int off = 0; off < FILE_SIZE; off += 8) {
                content.putLong(off, word(i, off));
            }
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (content.hasRemaining()) {
                    ch.write(content);
                }
                ch.force(true); // clean pages: DONTNEED can drop them
            }
        }
        return files;
    }

    private static long word(int file, long offset) {
        return ((long) file << 40) ^ offset ^ 0x5a5a5a5a00000000L;
    }

    private static Result run(Transport t, List<Path> files, int clients, long nanos) throws Exception {
        EventLoopGroup group = t.newGroup();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong next = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong fetched = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        try {
            Channel server = new ServerBootstrap().group(group).channel(t.serverChannel)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new Server(files));
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Thread th = new Thread(() -> fetchLoop(port, files, stop, next, measuring, bytes, fetched, bad),
                        "region-client-" + c);
                th.start();
                threads.add(th);
            }
            long[] rtts = new long[(int) Math.min(TimeUnit.NANOSECONDS.toMillis(nanos) * 2 + 1000, 10_000_000)];
            int[] count = {0};
            Thread probe = new Thread(() -> probeLoop(port, stop, measuring, rtts, count), "region-probe");
            probe.start();
            Thread.sleep(2000); // warm-up: connections made, JIT compiled
            long start = System.nanoTime();
            measuring.set(true);
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(nanos));
            measuring.set(false);
            long elapsed = System.nanoTime() - start;
            stop.set(true);
            probe.join();
            for (Thread th : threads) {
                th.join();
            }
            Result r = new Result();
            long[] sorted = Arrays.copyOf(rtts, count[0]);
            Arrays.sort(sorted);
            r.p50Ms = percentile(sorted, 0.50) / 1e6;
            r.p99Ms = percentile(sorted, 0.99) / 1e6;
            r.p999Ms = percentile(sorted, 0.999) / 1e6;
            r.mibPerSecond = bytes.get() / (1024.0 * 1024.0) / (elapsed / 1e9);
            r.files = fetched.get();
            r.badFiles = bad.get();
            if (t == Transport.aio) {
                AioEventLoop loop = (AioEventLoop) group.next();
                r.path = ", loop stats " + loop.submit(loop::stats).get();
            }
            server.close().sync();
            return r;
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    /** Fetches files in turn, each evicted first, checking every word; counts bytes while measuring. */
    private static void fetchLoop(int port, List<Path> files, AtomicBoolean stop, AtomicLong next,
                                  AtomicBoolean measuring, AtomicLong bytes, AtomicLong fetched, AtomicLong bad) {
        ByteBuffer buf = ByteBuffer.allocateDirect(FILE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer head = ByteBuffer.allocate(8);
        ByteBuffer req = ByteBuffer.allocate(5);
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                new InetSocketAddress("127.0.0.1", port))) {
            ch.write(ByteBuffer.wrap(new byte[] {FETCH}));
            while (!stop.get()) {
                int i = (int) (next.getAndIncrement() % files.size());
                evict(files.get(i));
                req.clear();
                req.putInt(i).flip();
                while (req.hasRemaining()) {
                    ch.write(req);
                }
                head.clear();
                readFully(ch, head);
                long length = head.getLong(0);
                if (length < 0 || length > FILE_SIZE) {
                    throw new IOException("the server announced " + length + " bytes for " + files.get(i));
                }
                buf.clear().limit((int) length);
                readFully(ch, buf);
                boolean ok = length == FILE_SIZE;
                for (int off = 0; ok && off < FILE_SIZE; off += 8) {
                    ok = buf.getLong(off) == word(i, off);
                }
                if (!ok) {
                    bad.incrementAndGet();
                }
                if (measuring.get()) {
                    bytes.addAndGet(FILE_SIZE);
                    fetched.incrementAndGet();
                }
            }
        } catch (IOException e) {
            if (!stop.get()) {
                throw new RuntimeException(e);
            }
        }
    }

    private static void evict(Path file) {
        // Read-only: the file is the data set (unix-common's FileDescriptor.from opens for writing, truncating).
        int fd = Native.open(file.toString(), Native.O_RDONLY | Native.O_CLOEXEC, 0);
        if (fd < 0) {
            throw new IllegalStateException("open " + file + ": " + Native.describeResult(fd));
        }
        try {
            Native.fadvise(fd, 0, 0, Native.POSIX_FADV_DONTNEED);
        } finally {
            Native.close(fd);
        }
    }

    private static void readFully(java.nio.channels.SocketChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new IOException("closed by the server");
            }
        }
    }

    /** One byte every millisecond on the loop's own connection; each round trip recorded while measuring. */
    private static void probeLoop(int port, AtomicBoolean stop, AtomicBoolean measuring, long[] rtts, int[] count) {
        ByteBuffer one = ByteBuffer.allocate(1);
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                new InetSocketAddress("127.0.0.1", port))) {
            ch.socket().setTcpNoDelay(true);
            ch.write(ByteBuffer.wrap(new byte[] {PING}));
            long tick = System.nanoTime();
            while (!stop.get()) {
                tick += 1_000_000;
                long wait = tick - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    tick = System.nanoTime(); // late (the previous echo took longer): no burst to catch up
                }
                long sent = System.nanoTime();
                one.clear();
                one.put((byte) 1).flip();
                ch.write(one);
                one.clear();
                readFully(ch, one);
                long rtt = System.nanoTime() - sent;
                if (measuring.get() && count[0] < rtts.length) {
                    rtts[count[0]++] = rtt;
                }
            }
        } catch (IOException e) {
            if (!stop.get()) {
                throw new RuntimeException(e);
            }
        }
    }

    /**
     * The server side: the first byte says what the connection is. A probe's bytes are echoed; a fetcher's
     * 4-byte file numbers are answered with the length and a {@link DefaultFileRegion} built from the file's path.
     */
    private static final class Server extends ByteToMessageDecoder {
        private final List<Path> files;
        private byte kind;

        Server(List<Path> files) {
            this.files = files;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (kind == 0 && in.isReadable()) {
                kind = in.readByte();
            }
            if (kind == PING) {
                if (in.isReadable()) {
                    ctx.writeAndFlush(in.readRetainedSlice(in.readableBytes()));
                }
                return;
            }
            while (in.readableBytes() >= 4) {
                File file = files.get(in.readInt()).toFile();
                long length = file.length();
                ctx.write(ctx.alloc().buffer(8).writeLong(length));
                ctx.writeAndFlush(new DefaultFileRegion(file, 0, length));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            cause.printStackTrace();
            ctx.close();
        }
    }
}

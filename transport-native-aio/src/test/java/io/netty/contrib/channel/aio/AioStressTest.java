/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.fd.AioFdChannel;
import io.netty.contrib.channel.aio.fd.AioFdChannelOption;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.core.AioContext;
import io.netty.contrib.channel.aio.fd.AbstractFdChannelTest;
import io.netty.contrib.channel.aio.core.EventFd;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.file.AioFile;
import io.netty.contrib.channel.aio.file.AioFileClosedException;
import io.netty.contrib.channel.aio.file.AioOpenOption;
import io.netty.contrib.channel.aio.testing.AioTests;
import io.netty.contrib.channel.aio.testing.LeakFailingExtension;
import io.netty.contrib.channel.aio.testing.TestFiles;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded random mix of everything that can happen to operations on two AIO loops at once: POLLs on pipes and
 * eventfds, buffered and {@code O_DIRECT} reads, writes, {@code cancel(id)}, registrations cancelled with
 * operations in flight, {@link AioFile} reads and closes, fd channels (async on {@code O_DIRECT} files, poll mode on
 * pipes) written, read, deregistered, registered on the other loop and closed; submissions from the loop and from
 * the test's thread. Run in RING and SYSCALL reap modes at depth 8 (every queue overflowing) and 1024.
 *
 * <p>Asserted: every operation a registration accepted gets exactly one event, with the id {@code submit}
 * returned, and none comes after its handle's {@code unregistered()}; each result is one its operation may have
 * (bytes read match the file, a write wrote all, a POLL saw its event, or {@code -ECANCELED}); each buffer is back
 * at the reference count it had before its submission when its event arrives; every future completes; each fd
 * channel's bytes arrive once and in order; {@code staleCompletions == 0}; no leak report; as many descriptors open
 * afterwards as before.
 *
 * <p>The seed is printed; {@code -Daio.stress.seed=S} replays the same sequence of choices (the interleaving with
 * the loops is the machine's). {@code -Daio.stress.ops=N} sets the operations per configuration (10^5 by
 * default; {@code benchmarks/soak.sh} runs 10^7), {@code -Daio.stress.configs=RING:8,SYSCALL:1024} the
 * configurations.
 */
class AioStressTest {
    private static final int FILE_SIZE = 1 << 20;
    private static final int BLOCK = 4096;

    static Stream<Arguments> configs() {
        String spec = System.getProperty("aio.stress.configs", "RING:8,RING:1024,SYSCALL:8,SYSCALL:1024");
        return Stream.of(spec.split(",")).map(String::trim).map(s -> {
            String[] p = s.split(":");
            return Arguments.of(AioContext.ReapMode.valueOf(p[0]), Integer.parseInt(p[1]));
        });
    }

    /**
     * Opens once what the JVM and Netty open lazily and keep (random devices for channel ids and buffers, the
     * socket NetUtil probes with), so that the descriptor count before each run is the count after it.
     */
    @BeforeAll
    static void warmUp() throws Exception {
        Run run = new Run(0, AioContext.ReapMode.RING, 8);
        try {
            run.drive(200);
            run.finish();
        } finally {
            run.close();
        }
        run.assertClean();
    }

    @ParameterizedTest(name = "{0} depth {1}")
    @MethodSource("configs")
    void everyOperationCompletesExactlyOnce(AioContext.ReapMode mode, int depth) throws Exception {
        long seed = Long.getLong("aio.stress.seed", System.nanoTime() ^ depth ^ mode.ordinal());
        int ops = Integer.getInteger("aio.stress.ops", 100_000);
        System.out.printf(Locale.ROOT, "AioStressTest %s depth %d: seed %d (replay with -Daio.stress.seed=%d), %d ops%n",
                mode, depth, seed, seed, ops);
        List<String> descriptorsBefore = openDescriptors();
        Run run = new Run(seed, mode, depth);
        long start = System.nanoTime();
        try {
            run.drive(ops);
            run.finish();
        } finally {
            run.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "AioStressTest %s depth %d: %d ops in %.2f s = %.0f ops/s; %s%n",
                mode, depth, ops, seconds, ops / seconds, run.summary());
        run.assertClean();
        List<String> leaks = LeakFailingExtension.collectLeaks();
        assertTrue(leaks.isEmpty(), "leaks (seed " + seed + "): " + leaks);
        // A leak is a descriptor open after the run that was not before. One open before and closed since is the JVM's
        // own passing use (a fresh-clone run listed the cgroup's memory.limit_in_bytes, read by another JVM thread,
        // before the run and not after): not this test's concern.
        List<String> after = openDescriptors();
        List<String> leaked = new ArrayList<>(after);
        leaked.removeAll(descriptorsBefore);
        assertTrue(leaked.isEmpty(), "descriptors open after the run and not before (seed " + seed + "): " + leaked
                + "; before: " + descriptorsBefore + ", after: " + after);
    }

    /**
     * Descriptors of this process, without the class path's jars (the class loader opens them lazily), the cgroup
     * files the JVM reads for its container limits, and without
     * the listing's own: the JDK opens the directory and dups it for a secure stream, and which numbers those two get
     * depends on which lower ones a jar held at that moment (a fresh-clone run failed on 37 against 38).
     */
    static List<String> openDescriptors() throws IOException {
        List<String> open = new ArrayList<>();
        Path self = Paths.get("/proc/self/fd");
        String listing = self.toRealPath().toString();
        try (var entries = Files.newDirectoryStream(self)) {
            for (Path p : entries) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    // The JVM's container support reads cgroup files from its own threads at any time.
                    if (!target.endsWith(".jar") && !target.equals(listing) && !target.startsWith("/sys/fs/cgroup/")) {
                        open.add(p.getFileName() + " -> " + target);
                    }
                } catch (IOException e) {
                    // The directory stream's own descriptor, gone by now.
                }
            }
        }
        open.sort(null);
        return open;
    }

    private enum Kind { POLL_PIPE, POLL_EVENTFD, READ, READ_DIRECT, WRITE }

    /** One operation submitted through a raw registration. */
    private static final class Op {
        final long key;
        final Kind kind;
        final RawHandle handle;
        final ByteBuf buf;
        final long offset;
        final int length;
        final AtomicInteger events = new AtomicInteger();
        volatile long id;
        volatile long eventId;
        volatile boolean rejected;

        Op(long key, Kind kind, RawHandle handle, ByteBuf buf, long offset, int length) {
            this.key = key;
            this.kind = kind;
            this.handle = handle;
            this.buf = buf;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public String toString() {
            return kind + "#" + key + "(id " + id + ", offset " + offset + ", length " + length + ')';
        }
    }

    /** A handle whose registration carries raw operations; replaced by a new one when its registration is cancelled. */
    private static final class RawHandle implements AioIoHandle {
        final Run run;
        final AioEventLoop loop;
        final Set<Op> ops = ConcurrentHashMap.newKeySet();
        final CountDownLatch unregisteredLatch = new CountDownLatch(1);
        volatile IoRegistration wrapper;
        volatile AioIoRegistration registration;
        volatile boolean unregistered;
        final AtomicInteger unregisteredCalls = new AtomicInteger();

        RawHandle(Run run, AioEventLoop loop) {
            this.run = run;
            this.loop = loop;
        }

        @Override
        public void handle(IoRegistration r, IoEvent e) {
            run.onEvent(this, (AioIoEvent) e);
        }

        @Override
        public void unregistered() {
            if (unregisteredCalls.incrementAndGet() != 1) {
                run.fail(this + ": unregistered() called again");
            }
            for (Op op : ops) {
                // An op whose submit() has not returned yet is settled by the final check.
                if (op.id > 0 && op.events.get() == 0) {
                    run.fail(this + ": unregistered() before the event of " + op);
                }
            }
            unregistered = true;
            unregisteredLatch.countDown();
            run.allHandles.remove(this);
        }

        @Override
        public void close() {
            IoRegistration w = wrapper;
            if (w != null) {
                w.cancel();
            }
        }

        @Override
        public String toString() {
            return "RawHandle@" + Integer.toHexString(System.identityHashCode(this));
        }
    }

    /** An AioFile read or close in flight. */
    private record Pending(String what, Future<?> future) {
    }

    /** A pipe with a poll-mode fd channel on each end. */
    private static final class PipeChannels {
        final AioFdChannel reader;
        final AioFdChannel writer;
        final AbstractFdChannelTest.Received received = new AbstractFdChannelTest.Received();
        final List<ChannelFuture> writes = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();
        long written;

        PipeChannels(AioEventLoop readerLoop, AioEventLoop writerLoop) throws IOException {
            FileDescriptor[] pipe = AioTests.pipe();
            reader = AbstractFdChannelTest.register(readerLoop, AioFdChannel.adopt(pipe[0], true), received);
            writer = AbstractFdChannelTest.register(writerLoop, AioFdChannel.adopt(pipe[1], true));
        }
    }

    /** An O_DIRECT file written through an async-mode fd channel. */
    private static final class FileWriter {
        final Path path;
        final AioFdChannel channel;
        final List<ChannelFuture> writes = new ArrayList<>();
        long written;

        FileWriter(AioEventLoop loop) throws IOException {
            path = TestFiles.newPath("stress-fdwrite");
            channel = AioFdChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    AioOpenOption.DIRECT);
            channel.config().setOption(AioFdChannelOption.WRITES_IN_FLIGHT, 4);
            AbstractFdChannelTest.register(loop, channel);
        }
    }

    /** The pattern file read through an async-mode fd channel, O_DIRECT, to its end. */
    private static final class FileReader {
        final AioFdChannel channel;
        final ByteArrayCollector collected = new ByteArrayCollector();
        final List<String> moves = new java.util.concurrent.CopyOnWriteArrayList<>();

        FileReader(AioEventLoop loop, Path pattern) throws IOException {
            channel = AioFdChannel.open(pattern, StandardOpenOption.READ, AioOpenOption.DIRECT);
            channel.config().setOption(AioFdChannelOption.READS_IN_FLIGHT, 4);
            channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(2 * BLOCK));
            AbstractFdChannelTest.register(loop, channel, collected);
        }
    }

    /** Keeps what a channel reads, checking it against the pattern file as it arrives. */
    private static final class ByteArrayCollector extends AbstractFdChannelTest.Received {
        volatile long mismatchAt = -1;
        private long at;

        @Override
        public void onBytes(io.netty.channel.ChannelHandlerContext ctx, byte[] b) {
            for (byte value : b) {
                if (mismatchAt < 0 && value != TestFiles.patternByte(at)) {
                    mismatchAt = at;
                }
                at++;
            }
        }
    }

    /** One configuration's run: its loops, descriptors, handles and bookkeeping. */
    private static final class Run {
        final long seed;
        final Random rnd;
        final AioEventLoopGroup group;
        final AioEventLoop[] loops = new AioEventLoop[2];
        final Path pattern;
        final Path scratch;
        final int bufferedFd;
        final int directFd;
        final int scratchFd;
        final FileDescriptor[][] pipes = new FileDescriptor[4][];
        final EventFd[] eventFds = new EventFd[4];
        final RawHandle[] handles = new RawHandle[8];
        /** Handles not unregistered yet (they leave this set in unregistered()). */
        final Set<RawHandle> allHandles = ConcurrentHashMap.newKeySet();
        /** Operations submitted and not settled yet. */
        final Map<Long, Op> ops = new ConcurrentHashMap<>();
        final AtomicLong[] submittedByKind = new AtomicLong[Kind.values().length];
        final Op[] recent = new Op[64];
        final AtomicLong keys = new AtomicLong();
        final java.util.concurrent.ExecutorService submitter =
                java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "stress-submitter"));
        final Semaphore permits = new Semaphore(256);
        final List<String> failures = new ArrayList<>();
        final AioFile[] files = new AioFile[2];
        final List<Pending> pending = new ArrayList<>();
        final AtomicInteger fileReadsOk = new AtomicInteger();
        final AtomicInteger fileReadsClosed = new AtomicInteger();
        final AtomicInteger cancelledEvents = new AtomicInteger();
        final AtomicInteger rejected = new AtomicInteger();
        final AtomicInteger eventsAfterUnregistered = new AtomicInteger();
        PipeChannels pipeChannels;
        FileWriter fileWriter;
        FileReader fileReader;
        int registrationsCancelled;
        int filesClosed;
        int channelsMoved;
        int channelsClosed;
        long fdBytesVerified;
        final int[] actions = new int[16];

        Run(long seed, AioContext.ReapMode mode, int depth) throws Exception {
            this.seed = seed;
            rnd = new Random(seed);
            for (int i = 0; i < submittedByKind.length; i++) {
                submittedByKind[i] = new AtomicLong();
            }
            group = new AioEventLoopGroup(2, (ThreadFactory) null,
                    new AioIoHandlerConfig().depth(depth).reapMode(mode));
            loops[0] = (AioEventLoop) group.next();
            loops[1] = (AioEventLoop) group.next();
            pattern = TestFiles.patternFile("stress-pattern", FILE_SIZE);
            scratch = TestFiles.newPath("stress-scratch");
            Files.write(scratch, new byte[FILE_SIZE]);
            bufferedFd = TestFiles.open(pattern, Native.O_RDONLY);
            directFd = TestFiles.open(pattern, Native.O_RDONLY | Native.O_DIRECT);
            scratchFd = TestFiles.open(scratch, Native.O_RDWR);
            for (int i = 0; i < pipes.length; i++) {
                pipes[i] = AioTests.pipe();
                eventFds[i] = EventFd.create();
            }
            for (int i = 0; i < handles.length; i++) {
                handles[i] = newHandle(loops[i & 1]);
            }
            for (int i = 0; i < files.length; i++) {
                files[i] = openFile(i);
            }
            pipeChannels = new PipeChannels(loops[0], loops[1]);
            fileWriter = new FileWriter(loops[1]);
            fileReader = new FileReader(loops[0], pattern);
        }

        void fail(String what) {
            synchronized (failures) {
                if (failures.size() < 50) {
                    failures.add(what);
                }
            }
        }

        RawHandle newHandle(AioEventLoop loop) throws Exception {
            RawHandle h = new RawHandle(this, loop);
            IoRegistration w = loop.register(h).get(30, TimeUnit.SECONDS);
            h.wrapper = w;
            h.registration = w.attachment();
            allHandles.add(h);
            return h;
        }

        AioFile openFile(int i) throws IOException {
            return i == 0 ? AioFile.open(loops[0], pattern, StandardOpenOption.READ)
                    : AioFile.open(loops[1], pattern, StandardOpenOption.READ, AioOpenOption.DIRECT);
        }

        void drive(int count) throws Exception {
            for (int i = 0; i < count; i++) {
                int dice = rnd.nextInt(1000);
                // Where a submission or cancellation runs: 0 the loop, 1 this thread, 2 the submitter thread (which
                // races with this thread's registration cancels).
                int onLoop = rnd.nextInt(3);
                if (dice < 180) {
                    act(0);
                    submitPoll(rnd.nextBoolean(), rnd.nextInt(4), rnd.nextInt(handles.length), onLoop);
                } else if (dice < 300) {
                    act(1);
                    trigger(rnd.nextInt(4), rnd.nextBoolean());
                } else if (dice < 330) {
                    act(2);
                    drain(rnd.nextInt(4));
                } else if (dice < 470) {
                    act(3);
                    int length = 1 + rnd.nextInt(2 * BLOCK);
                    submitIo(Kind.READ, rnd.nextInt(FILE_SIZE - length), length, rnd.nextInt(handles.length), onLoop);
                } else if (dice < 570) {
                    act(4);
                    submitIo(Kind.READ_DIRECT, (long) rnd.nextInt(FILE_SIZE / BLOCK) * BLOCK, BLOCK,
                            rnd.nextInt(handles.length), onLoop);
                } else if (dice < 650) {
                    act(5);
                    int length = 1 + rnd.nextInt(2 * BLOCK);
                    submitIo(Kind.WRITE, rnd.nextInt(FILE_SIZE - length), length, rnd.nextInt(handles.length),
                            onLoop);
                } else if (dice < 730) {
                    act(6);
                    cancelOne(rnd.nextInt(recent.length), onLoop);
                } else if (dice < 745) {
                    act(7);
                    replaceHandle(rnd.nextInt(handles.length), rnd.nextInt(2), onLoop);
                } else if (dice < 880) {
                    act(8);
                    int length = 1 + rnd.nextInt(3 * BLOCK);
                    fileRead(rnd.nextInt(2), rnd.nextInt(FILE_SIZE - length), length);
                } else if (dice < 885) {
                    act(9);
                    closeFile(rnd.nextInt(2));
                } else if (dice < 935) {
                    act(10);
                    pipeWrite(1 + rnd.nextInt(16 * 1024));
                } else if (dice < 965) {
                    act(11);
                    fileWrite();
                } else if (dice < 975) {
                    act(12);
                    moveChannel(rnd.nextInt(3));
                } else if (dice < 980) {
                    act(13);
                    closeChannel(rnd.nextInt(3));
                } else {
                    act(14);
                    settlePending();
                }
            }
        }

        private void act(int action) {
            actions[action]++;
        }

        private void acquire() throws Exception {
            // POLLs hold permits until their descriptor turns ready: make them ready rather than wait forever.
            while (!permits.tryAcquire(1, TimeUnit.MILLISECONDS)) {
                for (int i = 0; i < pipes.length; i++) {
                    trigger(i, true);
                    trigger(i, false);
                }
            }
        }

        void submitPoll(boolean pipe, int which, int slot, int onLoop) throws Exception {
            int fd = pipe ? pipes[which][0].intValue() : eventFds[which].intValue();
            submit(new Op(keys.incrementAndGet(), pipe ? Kind.POLL_PIPE : Kind.POLL_EVENTFD, handles[slot], null, 0,
                    0), fd, onLoop);
        }

        void submitIo(Kind kind, long offset, int length, int slot, int onLoop) throws Exception {
            ByteBuf buf = TestFiles.ALIGNED.directBuffer(length);
            if (kind == Kind.WRITE) {
                byte[] data = new byte[length];
                rnd.nextBytes(data);
                buf.writeBytes(data);
            }
            int fd = kind == Kind.READ ? bufferedFd : kind == Kind.READ_DIRECT ? directFd : scratchFd;
            submit(new Op(keys.incrementAndGet(), kind, handles[slot], buf, offset, length), fd, onLoop);
        }

        private void submit(Op op, int fd, int onLoop) throws Exception {
            acquire();
            AioIoOps ioOps = switch (op.kind) {
                case POLL_PIPE, POLL_EVENTFD -> AioIoOps.poll(fd, Native.POLLIN, op.key);
                case READ, READ_DIRECT -> AioIoOps.pread(fd, op.buf, op.offset, op.key);
                case WRITE -> AioIoOps.pwrite(fd, op.buf, op.offset, op.key);
            };
            submittedByKind[op.kind.ordinal()].incrementAndGet();
            ops.put(op.key, op);
            op.handle.ops.add(op);
            recent[(int) (op.key % recent.length)] = op;
            Runnable submit = () -> {
                long id = op.handle.registration.submit(ioOps);
                if (id == AioIoRegistration.INVALID_ID) {
                    op.rejected = true;
                    rejected.incrementAndGet();
                    ops.remove(op.key);
                    op.handle.ops.remove(op);
                    if (op.buf != null) {
                        op.buf.release();
                    }
                    permits.release();
                } else {
                    op.id = id;
                    if (op.events.get() != 0 && op.eventId != id) {
                        fail(op + ": its event says id " + op.eventId);
                    }
                }
            };
            run(op.handle.loop, onLoop, submit);
        }

        void onEvent(RawHandle handle, AioIoEvent e) {
            if (handle.unregistered) {
                eventsAfterUnregistered.incrementAndGet();
                fail(handle + ": event after unregistered(): " + e);
            }
            Op op = ops.get(e.userData());
            if (op == null) {
                fail("an event for no operation: " + e);
                return;
            }
            if (op.handle != handle) {
                fail(op + " submitted through " + op.handle + " reached " + handle);
            }
            op.eventId = e.id();
            int n = op.events.incrementAndGet();
            if (n != 1) {
                fail(op + ": event " + n + ": " + e);
                return;
            }
            long id = op.id;
            if (id != 0 && id != e.id()) {
                fail(op + ": its event says id " + e.id());
            }
            // Settled: a second event for it would find no operation, which fails too. Keeps a soak's memory flat.
            ops.remove(op.key);
            op.handle.ops.remove(op);
            long res = e.res();
            if (res == -Native.ECANCELED) {
                cancelledEvents.incrementAndGet();
            } else {
                switch (op.kind) {
                    case POLL_PIPE, POLL_EVENTFD -> {
                        if (res <= 0 || (res & Native.POLLIN) == 0) {
                            fail(op + ": POLL result " + res);
                        }
                    }
                    case READ, READ_DIRECT -> {
                        if (res != op.length) {
                            fail(op + ": read " + res + " bytes");
                        } else {
                            for (int i = 0; i < op.length; i += 61) {
                                if (op.buf.getByte(i) != TestFiles.patternByte(op.offset + i)) {
                                    fail(op + ": byte " + i + " differs from the file's");
                                    break;
                                }
                            }
                        }
                    }
                    case WRITE -> {
                        if (res != op.length) {
                            fail(op + ": wrote " + res + " bytes");
                        }
                    }
                }
            }
            if (op.buf != null) {
                // The loop released its reference before the event: ours is the only one left.
                if (op.buf.refCnt() != 1) {
                    fail(op + ": buffer reference count " + op.buf.refCnt() + " at its event, not 1");
                }
                op.buf.release();
            }
            permits.release();
        }

        void trigger(int which, boolean pipe) {
            try {
                if (pipe) {
                    ByteBuffer one = ByteBuffer.allocateDirect(1).put(0, (byte) 1);
                    pipes[which][1].write(one, 0, 1);
                } else {
                    eventFds[which].write(1);
                }
            } catch (IOException e) {
                // A full pipe: its POLLs are ready anyway.
            }
        }

        void drain(int which) throws IOException {
            ByteBuffer sink = ByteBuffer.allocateDirect(64 * 1024);
            while (pipes[which][0].read(sink, 0, sink.capacity()) > 0) {
                sink.clear();
            }
            eventFds[which].read();
        }

        void cancelOne(int index, int onLoop) {
            Op op = recent[index];
            if (op == null || op.id <= 0) {
                return;
            }
            AioIoRegistration r = op.handle.registration;
            run(op.handle.loop, onLoop, () -> r.cancel(op.id));
        }

        private void run(AioEventLoop loop, int where, Runnable task) {
            switch (where) {
                case 0 -> loop.execute(task);
                case 1 -> task.run();
                default -> submitter.execute(task);
            }
        }

        void replaceHandle(int slot, int loop, int onLoop) throws Exception {
            RawHandle old = handles[slot];
            if (onLoop == 0) {
                old.loop.execute(() -> old.wrapper.cancel());
            } else {
                old.wrapper.cancel();
            }
            registrationsCancelled++;
            handles[slot] = newHandle(loops[loop]);
        }

        void fileRead(int which, long position, int length) {
            AioFile f = files[which];
            Future<ByteBuf> read = f.read(position, length);
            AtomicInteger calls = new AtomicInteger();
            read.addListener(fu -> {
                if (calls.incrementAndGet() != 1) {
                    fail("AioFile read completed twice");
                }
                if (fu.isSuccess()) {
                    ByteBuf b = (ByteBuf) fu.getNow();
                    try {
                        if (b.readableBytes() != length) {
                            fail("AioFile read of " + length + " at " + position + " gave " + b.readableBytes());
                        }
                        for (int i = 0; i < b.readableBytes(); i += 61) {
                            if (b.getByte(b.readerIndex() + i) != TestFiles.patternByte(position + i)) {
                                fail("AioFile read at " + position + ": byte " + i + " differs");
                                break;
                            }
                        }
                    } finally {
                        b.release();
                    }
                    fileReadsOk.incrementAndGet();
                } else if (fu.cause() instanceof AioFileClosedException) {
                    fileReadsClosed.incrementAndGet();
                } else {
                    fail("AioFile read at " + position + " failed: " + fu.cause());
                }
            });
            pending.add(new Pending("read", read));
        }

        void closeFile(int which) throws IOException {
            pending.add(new Pending("close", files[which].close()));
            files[which] = openFile(which);
            filesClosed++;
        }

        void pipeWrite(int length) {
            PipeChannels p = pipeChannels;
            ByteBuf buf = AbstractFdChannelTest.streamSlice(ByteBufAllocator.DEFAULT, p.written, length);
            p.writes.add(p.writer.writeAndFlush(buf));
            p.sizes.add(length);
            p.written += length;
        }

        void fileWrite() {
            FileWriter w = fileWriter;
            if (w.writes.size() >= 256) {
                return; // 1 MiB per file is plenty; the next close starts another
            }
            ByteBuf buf = AbstractFdChannelTest.streamSlice(TestFiles.ALIGNED, w.written, BLOCK);
            w.writes.add(w.channel.writeAndFlush(buf));
            w.written += BLOCK;
        }

        void moveChannel(int which) throws Exception {
            AioFdChannel ch = which == 0 ? pipeChannels.reader : which == 1 ? fileWriter.channel : fileReader.channel;
            if (!ch.isRegistered() || !ch.isOpen()) {
                return;
            }
            AioEventLoop next = ch.eventLoop() == loops[0] ? loops[1] : loops[0];
            // The reader of the pattern file closes itself at its end, maybe between these steps.
            ChannelFuture deregistered = ch.deregister().awaitUninterruptibly();
            if (!deregistered.isSuccess() && ch.isOpen()) {
                fail("deregister of an open " + ch + " failed: " + deregistered.cause());
            }
            ChannelFuture registered = next.register(ch).awaitUninterruptibly();
            if (which == 2) {
                fileReader.moves.add("dereg " + deregistered.isSuccess() + " reg " + registered.isSuccess() + " open "
                        + ch.isOpen() + " bytes " + fileReader.collected.bytes);
            }
            if (!registered.isSuccess() && ch.isOpen()) {
                fail("registration of an open " + ch + " on the other loop failed: " + registered.cause());
            }
            channelsMoved++;
        }

        void closeChannel(int which) throws Exception {
            channelsClosed++;
            switch (which) {
                case 0 -> {
                    verifyPipe(pipeChannels);
                    pipeChannels = new PipeChannels(loops[rnd.nextInt(2)], loops[rnd.nextInt(2)]);
                }
                case 1 -> {
                    verifyFileWriter(fileWriter);
                    fileWriter = new FileWriter(loops[rnd.nextInt(2)]);
                }
                default -> {
                    verifyFileReader(fileReader);
                    fileReader = new FileReader(loops[rnd.nextInt(2)], pattern);
                }
            }
        }

        /** Closes the writing end (with writes maybe still queued) and checks the reader got what succeeded. */
        void verifyPipe(PipeChannels p) throws Exception {
            p.writer.close().sync();
            long ok = successfulPrefix("pipe", p.writes, p.sizes);
            // A write the close interrupted half-way fails although part of it went out.
            long upTo = ok + (p.writes.size() > 0 && ok < p.written ? firstFailedSize(p) : 0);
            long got = p.received.awaitDone();
            if (got < ok || got > upTo || p.received.crc.getValue() != AbstractFdChannelTest.streamCrc(got)) {
                fail("pipe channel: " + got + " bytes read (crc " + p.received.crc.getValue() + ", the stream's "
                        + AbstractFdChannelTest.streamCrc(got) + "), " + ok + " written by the writes that "
                        + "succeeded, " + upTo + " at most");
            }
            p.reader.close().sync();
            fdBytesVerified += got;
        }

        private static int firstFailedSize(PipeChannels p) {
            for (int i = 0; i < p.writes.size(); i++) {
                if (!p.writes.get(i).isSuccess()) {
                    return p.sizes.get(i);
                }
            }
            return 0;
        }

        void verifyFileWriter(FileWriter w) throws Exception {
            w.channel.close().sync();
            List<Integer> sizes = new ArrayList<>();
            for (int i = 0; i < w.writes.size(); i++) {
                sizes.add(BLOCK);
            }
            long ok = successfulPrefix("file writer", w.writes, sizes);
            byte[] data = Files.readAllBytes(w.path);
            if (data.length < ok) {
                fail("fd channel file: " + data.length + " bytes, " + ok + " written successfully");
            } else {
                for (int i = 0; i < ok; i++) {
                    if (data[i] != AbstractFdChannelTest.streamByte(i)) {
                        fail("fd channel file: byte " + i + " is not the stream's");
                        break;
                    }
                }
            }
            fdBytesVerified += ok;
            Files.delete(w.path);
        }

        void verifyFileReader(FileReader r) throws Exception {
            r.channel.close().sync();
            try {
                r.collected.awaitDone();
            } catch (java.util.concurrent.TimeoutException e) {
                fail("fd channel read: no channelInactive after close: " + r.channel + " registered="
                        + r.channel.isRegistered() + " bytes=" + r.collected.bytes + " events="
                        + r.collected.events + " errors=" + r.collected.errors + " moves=" + r.moves);
                return;
            }
            if (r.collected.mismatchAt >= 0) {
                fail("fd channel read: byte " + r.collected.mismatchAt + " is not the file's");
            }
            if (!r.collected.errors.isEmpty()) {
                fail("fd channel read: " + r.collected.errors);
            }
            fdBytesVerified += r.collected.bytes;
        }

        /** Waits for every write; the successful ones must be a prefix (in-order stream), then only failures. */
        private long successfulPrefix(String what, List<ChannelFuture> writes, List<Integer> sizes) {
            long ok = 0;
            boolean failedBefore = false;
            for (int i = 0; i < writes.size(); i++) {
                ChannelFuture f = writes.get(i);
                if (!f.awaitUninterruptibly(60, TimeUnit.SECONDS)) {
                    fail(what + ": write " + i + " never completed");
                    continue;
                }
                if (f.isSuccess()) {
                    if (failedBefore) {
                        fail(what + ": write " + i + " succeeded after an earlier one failed");
                    }
                    ok += sizes.get(i);
                } else {
                    failedBefore = true;
                }
            }
            return ok;
        }

        void settlePending() {
            for (Pending p : pending) {
                if (!p.future.awaitUninterruptibly(60, TimeUnit.SECONDS)) {
                    fail("AioFile " + p.what + " never completed");
                } else if (p.what.equals("close") && !p.future.isSuccess()) {
                    fail("AioFile close failed: " + p.future.cause());
                }
            }
            pending.clear();
        }

        /** Cancels everything still live and waits for every operation, future and channel to finish. */
        void finish() throws Exception {
            submitter.submit(() -> { }).get(60, TimeUnit.SECONDS);
            for (RawHandle h : handles) {
                h.wrapper.cancel();
            }
            for (RawHandle h : allHandles) {
                if (!h.unregisteredLatch.await(60, TimeUnit.SECONDS)) {
                    fail(h + " never unregistered; " + h.ops.size() + " ops");
                }
            }
            for (int i = 0; i < files.length; i++) {
                pending.add(new Pending("close", files[i].close()));
            }
            settlePending();
            verifyPipe(pipeChannels);
            verifyFileWriter(fileWriter);
            verifyFileReader(fileReader);
            if (!permits.tryAcquire(256, 60, TimeUnit.SECONDS)) {
                fail((256 - permits.availablePermits()) + " raw operations never completed");
            } else {
                permits.release(256);
            }
            for (Op op : ops.values()) {
                fail(op + ": no event");
            }
            for (AioEventLoop loop : loops) {
                AioIoStats stats = loop.submit(loop::stats).get(30, TimeUnit.SECONDS);
                if (stats.staleCompletions() != 0) {
                    fail(loop + ": " + stats.staleCompletions() + " stale completions");
                }
                if (stats.inFlight() != 0 || stats.queued() != 0) {
                    fail(loop + " still holds operations: " + stats);
                }
            }
        }

        String summary() {
            StringBuilder sb = new StringBuilder();
            for (Kind k : Kind.values()) {
                sb.append(k).append('=').append(submittedByKind[k.ordinal()]).append(' ');
            }
            return sb + "cancelled=" + cancelledEvents + " rejected=" + rejected + " registrationsCancelled="
                    + registrationsCancelled + " fileReads=" + fileReadsOk + "+" + fileReadsClosed + " closed, files"
                    + "Closed=" + filesClosed + " channelsMoved=" + channelsMoved + " channelsClosed=" + channelsClosed
                    + " fdBytes=" + fdBytesVerified + " queuedWhenFull=" + queuedWhenFull();
        }

        private long queuedWhenFull() {
            long n = 0;
            for (AioEventLoop loop : loops) {
                n += loop.stats().queuedWhenFull();
            }
            return n;
        }

        void assertClean() {
            synchronized (failures) {
                assertTrue(failures.isEmpty(), "seed " + seed + ": " + String.join("\n", failures));
            }
            assertEquals(0, eventsAfterUnregistered.get());
        }

        void close() throws Exception {
            submitter.shutdownNow();
            group.shutdownGracefully(0, 10, TimeUnit.SECONDS).sync();
            TestFiles.close(bufferedFd);
            TestFiles.close(directFd);
            TestFiles.close(scratchFd);
            for (int i = 0; i < pipes.length; i++) {
                AioTests.closeAll(pipes[i]);
                eventFds[i].close();
            }
            Files.deleteIfExists(pattern);
            Files.deleteIfExists(scratch);
        }
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.core.AioBlock;
import io.netty.contrib.channel.aio.core.AioCallback;
import io.netty.contrib.channel.aio.core.AioContext;
import io.netty.contrib.channel.aio.core.AioSubmitException;
import io.netty.contrib.channel.aio.core.EventFd;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The engine of an epoll event loop: core's {@link AioContext} driven from the epoll thread. Its eventfd (every
 * iocb carries {@code IOCB_FLAG_RESFD}) is registered with the loop as an {@link EpollIoHandle}; when it turns
 * readable the engine resets it and reaps the ring. Operations submitted while the loop runs are collected and
 * sent in ONE {@code io_submit} by a task that runs before the loop next waits; when the context is full they
 * wait in order for completions to free slots. One engine per loop, started by the first file and stopped when
 * the loop shuts down (its files are closed first). Epoll thread only, but for {@link #forLoop} and
 * {@link #link}.
 */
final class EpollFileEngine extends AioFileEngine implements EpollIoHandle {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(EpollFileEngine.class);
    private static final ConcurrentMap<IoEventLoop, EpollFileEngine> ENGINES = new ConcurrentHashMap<>();
    private static final long EAGAIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final IoEventLoop loop;
    private final ArrayDeque<FileOp> queue = new ArrayDeque<>();
    private final List<Link> links = new ArrayList<>();
    private final Runnable flushTask = this::flush;
    private final AioCallback callback = this::completed;
    private AioContext context;
    private EventFd eventFd;
    private IoRegistration registration;
    private AioBlock[] batch;
    private boolean flushScheduled;
    private volatile boolean started;
    private volatile boolean closed;

    private EpollFileEngine(IoEventLoop loop) {
        this.loop = loop;
    }

    static boolean isEpollLoop(IoEventLoop loop) {
        return loop.isCompatible(EpollIoHandle.class);
    }

    static EpollFileEngine forLoop(IoEventLoop loop) {
        EpollFileEngine engine = ENGINES.get(loop);
        if (engine == null) {
            engine = ENGINES.computeIfAbsent(loop, EpollFileEngine::new);
        }
        return engine;
    }

    @Override
    public EventExecutor executor() {
        return loop;
    }

    @Override
    EngineLink link(EngineLink.Client client) throws IOException {
        start();
        Link link = new Link(client);
        if (loop.inEventLoop()) {
            addLink(link);
        } else {
            loop.execute(() -> addLink(link));
        }
        return link;
    }

    private void addLink(Link link) {
        if (closed) {
            // The loop shut down between link() and now: the file closes at once.
            link.cancelled = true;
            link.client.hostClosing();
            link.client.unlinked();
            return;
        }
        links.add(link);
    }

    /** Opens the context and the eventfd and registers them with the loop, once. */
    private synchronized void start() throws IOException {
        if (closed) {
            throw new IOException(this + " is closed (its loop shut down)");
        }
        if (started) {
            return;
        }
        AioContext ctx = AioContext.open(DEFAULT_DEPTH);
        EventFd efd;
        try {
            efd = EventFd.create();
        } catch (IOException e) {
            ctx.close();
            throw e;
        }
        context = ctx;
        eventFd = efd;
        batch = new AioBlock[ctx.depth()];
        Future<IoRegistration> registered = loop.register(this).awaitUninterruptibly();
        if (!registered.isSuccess()) {
            context = null;
            eventFd = null;
            ctx.close();
            efd.close();
            throw new IOException("cannot register an AIO eventfd on " + loop + ": " + registered.cause(),
                    registered.cause());
        }
        registration = registered.getNow();
        // Netty's epoll loop may skip prepareToDestroy() (and so close()) when a shutdown request lands at the
        // end of an iteration; its termination is the last word. Past it nothing runs on the loop thread, so the
        // listener's thread may take over.
        loop.terminationFuture().addListener(f -> close());
        if (loop.inEventLoop()) {
            registration.submit(EpollIoOps.EPOLLIN);
        } else {
            loop.execute(() -> registration.submit(EpollIoOps.EPOLLIN));
        }
        started = true;
    }

    // ---------------------------------------------------------------- submission

    private void enqueue(Link link, FileOp op) {
        op.link = link;
        link.pending++;
        queue.add(op);
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    /** Sends what is queued, as far as the context has room, in one io_submit per contiguous batch. */
    private void flush() {
        flushScheduled = false;
        if (context == null || !context.isOpen()) {
            return;
        }
        while (!queue.isEmpty()) {
            int free = context.available();
            if (free == 0) {
                return; // completions will free slots and flush again
            }
            int n = 0;
            FileOp op;
            while (n < free && (op = queue.poll()) != null) {
                Link link = (Link) op.link;
                if (link.cancelled) {
                    completed(op, -Native.ECANCELED);
                    continue;
                }
                AioBlock block = op.block;
                if (block == null) {
                    block = op.block = new AioBlock().callback(callback).attachment(op).resfd(eventFd.intValue());
                }
                try {
                    op.prepare(block);
                } catch (RuntimeException e) {
                    // AioFile checked every argument with the checks prepare() repeats (AioBlock's); only a buffer
                    // released by another thread since then, against AioFile's ownership contract, gets here.
                    logger.warn("Could not prepare {}", op, e);
                    completed(op, -Native.EINVAL);
                    continue;
                }
                batch[n++] = block;
            }
            if (!submitBatch(n)) {
                return;
            }
        }
    }

    /** Submits batch[0..n); returns false when the kernel took fewer (the rest is queued again, in order). */
    private boolean submitBatch(int n) {
        int off = 0;
        try {
            while (off < n) {
                int accepted;
                try {
                    accepted = context.submit(batch, off, n - off);
                } catch (AioSubmitException e) {
                    // The kernel refused the first one outright: that operation alone fails.
                    completed((FileOp) batch[off++].attachment(), e.expectedErr());
                    continue;
                } catch (IOException | RuntimeException e) {
                    logger.warn("Could not submit {}", batch[off], e);
                    completed((FileOp) batch[off++].attachment(), -Native.EINVAL);
                    continue;
                }
                for (int i = off; i < off + accepted; i++) {
                    FileOp op = (FileOp) batch[i].attachment();
                    ((Link) op.link).linkInFlight(op);
                }
                off += accepted;
                if (off < n) {
                    for (int i = n - 1; i >= off; i--) {
                        queue.addFirst((FileOp) batch[i].attachment());
                    }
                    if (context.inFlight() == 0 && !flushScheduled) {
                        // EAGAIN with nothing of ours in flight: no completion will come to retry; a timer will.
                        flushScheduled = true;
                        loop.schedule(flushTask, EAGAIN_RETRY_NANOS, TimeUnit.NANOSECONDS);
                    }
                    return false;
                }
            }
            return true;
        } finally {
            for (int i = 0; i < n; i++) {
                batch[i] = null;
            }
        }
    }

    // ---------------------------------------------------------------- completion

    private void completed(AioBlock block, long res, long res2) {
        FileOp op = (FileOp) block.attachment();
        ((Link) op.link).unlinkInFlight(op);
        completed(op, res);
    }

    private void completed(FileOp op, long res) {
        Link link = (Link) op.link;
        op.link = null;
        link.pending--;
        try {
            op.complete(res);
        } catch (Throwable t) {
            logger.warn("Completing {} threw", op, t);
        }
        link.unlinkIfDone();
    }

    @Override
    public FileDescriptor fd() {
        return eventFd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent ioEvent) {
        if (closed) {
            return;
        }
        // Reset the eventfd BEFORE reaping: the kernel fills the ring before it signals, so a completion that
        // arrives after the reap signals again and epoll reports it.
        Native.eventFdRead(eventFd.intValue());
        try {
            context.reap();
        } catch (IOException e) {
            logger.warn("Reaping AIO completions on {} failed", loop, e);
        }
        if (!queue.isEmpty()) {
            flush();
        }
    }

    /** The loop shuts down: close the files, wait for the kernel, release the context. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ENGINES.remove(loop, this);
        for (Link link : links.toArray(new Link[0])) {
            link.client.hostClosing();
        }
        // Whatever is still queued never reaches the kernel.
        FileOp op;
        while ((op = queue.poll()) != null) {
            completed(op, -Native.ECANCELED);
        }
        try {
            // Waits for the file I/O the kernel holds, running each completion.
            context.close();
        } catch (IOException e) {
            logger.warn("Closing the AIO context of {} failed", this, e);
        }
        try {
            eventFd.close();
        } catch (IOException e) {
            logger.debug("Closing the eventfd of {} failed", this, e);
        }
    }

    @Override
    public String toString() {
        return "AioFileEngine(epoll loop " + loop + ')';
    }

    /** One file on this engine: its pending count and the operations it has in flight, for io_cancel. */
    private final class Link extends EngineLink {
        final Client client;
        int pending;
        boolean cancelled;
        private boolean unlinked;
        private final ArrayDeque<FileOp> inFlight = new ArrayDeque<>();

        Link(Client client) {
            this.client = client;
        }

        @Override
        void submit(FileOp op) {
            if (cancelled || closed) {
                throw new IllegalStateException("the file's link to " + EpollFileEngine.this + " is cancelled");
            }
            enqueue(this, op);
        }

        void linkInFlight(FileOp op) {
            inFlight.add(op);
        }

        void unlinkInFlight(FileOp op) {
            // Completions mostly arrive in submission order: the first element is the usual match.
            if (inFlight.peekFirst() == op) {
                inFlight.pollFirst();
            } else {
                inFlight.remove(op);
            }
        }

        @Override
        void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            // Queued operations are dropped by the next flush (or by close()); in-flight ones get io_cancel, which
            // file I/O usually refuses: those complete on their own.
            for (FileOp op : inFlight.toArray(new FileOp[0])) {
                try {
                    context.cancel(op.block);
                } catch (IOException | RuntimeException e) {
                    logger.debug("io_cancel of {} failed", op, e);
                }
            }
            if (!queue.isEmpty() && !flushScheduled && !closed) {
                flushScheduled = true;
                loop.execute(flushTask);
            }
            unlinkIfDone();
        }

        void unlinkIfDone() {
            if (cancelled && pending == 0 && !unlinked) {
                unlinked = true;
                links.remove(this);
                client.unlinked();
            }
        }
    }
}

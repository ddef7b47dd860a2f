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
import io.netty.contrib.channel.aio.core.AioSubmitQueue;
import io.netty.contrib.channel.aio.core.EventFd;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The host of an epoll event loop: core's {@link AioContext} driven from the epoll thread. Its eventfd (every
 * iocb carries {@code IOCB_FLAG_RESFD}) is registered with the loop as an {@link EpollIoHandle}; when it turns
 * readable the host resets it and reaps the ring. Operations submitted while the loop runs wait in core's
 * {@link AioSubmitQueue} — the AIO loop's own queue: batches, order kept when the kernel takes part of one, EAGAIN —
 * and go in ONE {@code io_submit} from a task that runs before the loop next waits, or as completions free slots.
 * One host per loop, started by the first file and stopped when the loop shuts down (its files are closed first).
 *
 * <p><b>Threading.</b> Epoll thread only, but for {@link #forLoop} and {@link #link}. That includes the close at
 * the loop's shutdown: from the loop's {@code prepareToDestroy()}, or from a shutdown hook of the loop, which Netty
 * runs on the loop thread before it destroys the loop's handler (it may skip {@code prepareToDestroy()} when a
 * shutdown request lands at the end of an iteration). Only a loop that is not a {@link SingleThreadEventExecutor}
 * has no such hook: there the close runs on the thread that completes the loop's termination future, once nothing
 * runs on the loop thread any more — file operations then complete on that thread.
 */
final class EpollLoopHost extends AioFileHost implements EpollIoHandle {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(EpollLoopHost.class);
    private static final ConcurrentMap<IoEventLoop, EpollLoopHost> HOSTS = new ConcurrentHashMap<>();

    private final IoEventLoop loop;
    private final List<Link> links = new ArrayList<>();
    /** Operations that never reach the kernel (their file was closed while they were queued): completed by flush(). */
    private final ArrayDeque<EpollOp> cancelled = new ArrayDeque<>();
    private final Runnable flushTask = this::flush;
    private final Runnable eagainRetryTask = this::retryAfterEagain;
    private AioContext context;
    private AioSubmitQueue<EpollOp> queue;
    private EventFd eventFd;
    private IoRegistration registration;
    private EpollOp freeOps;
    /** Operations the last io_submit settled (accepted or refused): tells flush() that it made progress. */
    private long settled;
    private boolean flushScheduled;
    private volatile boolean started;
    private volatile boolean closed;

    private EpollLoopHost(IoEventLoop loop) {
        this.loop = loop;
    }

    static boolean isEpollLoop(IoEventLoop loop) {
        return loop.isCompatible(EpollIoHandle.class);
    }

    static EpollLoopHost forLoop(IoEventLoop loop) {
        EpollLoopHost host = HOSTS.get(loop);
        if (host == null) {
            host = HOSTS.computeIfAbsent(loop, EpollLoopHost::new);
        }
        return host;
    }

    @Override
    public EventExecutor executor() {
        return loop;
    }

    @Override
    HostLink link(HostLink.Client client) throws IOException {
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
        AioContext ctx = AioContext.open(defaultDepth());
        EventFd efd;
        try {
            efd = EventFd.create();
        } catch (IOException e) {
            ctx.close();
            throw e;
        }
        context = ctx;
        eventFd = efd;
        queue = new AioSubmitQueue<>(ctx, new Submissions());
        Future<IoRegistration> registered = loop.register(this).awaitUninterruptibly();
        if (!registered.isSuccess()) {
            context = null;
            eventFd = null;
            queue = null;
            ctx.close();
            efd.close();
            throw new IOException("cannot register an AIO eventfd on " + loop + ": " + registered.cause(),
                    registered.cause());
        }
        registration = registered.getNow();
        closeWithLoop();
        if (loop.inEventLoop()) {
            registration.submit(EpollIoOps.EPOLLIN);
        } else {
            loop.execute(() -> registration.submit(EpollIoOps.EPOLLIN));
        }
        started = true;
    }

    /**
     * Makes sure the host closes when the loop shuts down, on the loop thread. Netty's epoll loop calls
     * {@link #close()} from {@code prepareToDestroy()}, but may skip that call; a shutdown hook runs in every
     * shutdown, on the loop thread, before the loop's handler is destroyed. The termination future is the last
     * resort, for loops without hooks (or a loop already shutting down): see the class comment.
     */
    private void closeWithLoop() {
        if (loop instanceof SingleThreadEventExecutor) {
            try {
                ((SingleThreadEventExecutor) loop).addShutdownHook(this::close);
                return;
            } catch (RejectedExecutionException e) {
                // Shutting down already: the termination future below still fires.
            }
        }
        loop.terminationFuture().addListener(f -> close());
    }

    // ---------------------------------------------------------------- submission

    private EpollOp newOp(Link link, FileOp op) {
        EpollOp e = freeOps;
        if (e == null) {
            e = new EpollOp();
        } else {
            freeOps = e.nextFree;
            e.nextFree = null;
        }
        e.link = link;
        e.op = op;
        return e;
    }

    private void enqueue(Link link, FileOp op) {
        EpollOp e = newOp(link, op);
        try {
            op.ops.applyTo(e.block, op.buffer, op.vector, op.offset);
        } catch (RuntimeException ex) {
            recycle(e);
            throw ex;
        }
        link.pending++;
        queue.add(e);
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    /** Sends what is queued, one io_submit per batch, as far as the context has room and the kernel takes it. */
    private void flush() {
        flushScheduled = false;
        for (EpollOp e; (e = cancelled.pollFirst()) != null;) {
            finish(e, -Native.ECANCELED);
        }
        if (context == null || !context.isOpen()) {
            return;
        }
        // Everything goes in the main lane: no budget for the rationed one.
        while (queue.canSubmitNow(0)) {
            long before = settled;
            queue.submit(0);
            if (settled == before) {
                break; // nothing settled: nothing would on a second try either
            }
        }
        if (!queue.isEmpty() && queue.needsRetryTimer() && !flushScheduled) {
            // EAGAIN with nothing of ours in flight: no completion will come to retry; a timer will.
            flushScheduled = true;
            loop.schedule(eagainRetryTask, AioSubmitQueue.EAGAIN_RETRY_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    private void retryAfterEagain() {
        if (queue != null) {
            queue.unblock();
        }
        flush();
    }

    // ---------------------------------------------------------------- completion

    /** Completes {@code e}'s operation with {@code res}, once; the op goes back to the pool first. */
    private void finish(EpollOp e, long res) {
        Link link = e.link;
        FileOp op = e.op;
        recycle(e);
        link.pending--;
        try {
            op.complete(res);
        } catch (Throwable t) {
            logger.warn("Completing {} threw", op, t);
        }
        link.unlinkIfDone();
    }

    private void recycle(EpollOp e) {
        e.link = null;
        e.op = null;
        e.nextFree = freeOps;
        freeOps = e;
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
        if (!queue.isEmpty() || !cancelled.isEmpty()) {
            flush();
        }
    }

    /** The loop shuts down: close the files, wait for the kernel, release the context. Loop thread (see above). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        HOSTS.remove(loop, this);
        if (context == null) {
            return;
        }
        for (Link link : links.toArray(new Link[0])) {
            link.client.hostClosing();
        }
        // Whatever is still queued never reaches the kernel.
        for (Iterator<EpollOp> it = queue.iterator(); it.hasNext();) {
            EpollOp e = it.next();
            it.remove();
            cancelled.add(e);
        }
        for (EpollOp e; (e = cancelled.pollFirst()) != null;) {
            finish(e, -Native.ECANCELED);
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
        return "AioFileHost(epoll loop " + loop + ')';
    }

    /** What the queue's io_submit decided. */
    private final class Submissions implements AioSubmitQueue.Owner<EpollOp> {
        @Override
        public void accepted(EpollOp e) {
            settled++;
            e.link.inFlight.add(e);
        }

        @Override
        public void refused(EpollOp e, int res) {
            settled++;
            finish(e, res);
        }
    }

    /** This host's record of one submitted operation: the block the kernel gets, and whose operation it is. */
    private final class EpollOp implements AioCallback, AioSubmitQueue.Entry {
        final AioBlock block = new AioBlock().callback(this).resfd(eventFd.intValue());
        Link link;
        FileOp op;
        EpollOp nextFree;

        @Override
        public AioBlock block() {
            return block;
        }

        @Override
        public void onComplete(AioBlock block, long res, long res2) {
            link.unlinkInFlight(this);
            finish(this, res);
        }

        @Override
        public String toString() {
            return String.valueOf(op);
        }
    }

    /** One file on this host: its pending count and the operations it has in flight, for io_cancel. */
    private final class Link extends HostLink {
        final Client client;
        int pending;
        boolean cancelled;
        private boolean unlinked;
        private final ArrayDeque<EpollOp> inFlight = new ArrayDeque<>();

        Link(Client client) {
            this.client = client;
        }

        @Override
        void submit(FileOp op) {
            if (cancelled || closed) {
                throw new IllegalStateException("the file's link to " + EpollLoopHost.this + " is cancelled");
            }
            enqueue(this, op);
        }

        void unlinkInFlight(EpollOp e) {
            // Completions mostly arrive in submission order: the first element is the usual match.
            if (inFlight.peekFirst() == e) {
                inFlight.pollFirst();
            } else {
                inFlight.remove(e);
            }
        }

        @Override
        void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            // Queued operations never reach the kernel: they complete from the flush task, after this returns, as
            // the loop completes its cancelled ones after its io_submit. In-flight ones get io_cancel, which file
            // I/O usually refuses: those complete on their own.
            for (Iterator<EpollOp> it = queue.iterator(); it.hasNext();) {
                EpollOp e = it.next();
                if (e.link == this) {
                    it.remove();
                    EpollLoopHost.this.cancelled.add(e);
                }
            }
            for (EpollOp e : inFlight.toArray(new EpollOp[0])) {
                try {
                    context.cancel(e.block);
                } catch (IOException | RuntimeException ex) {
                    logger.debug("io_cancel of {} failed", e, ex);
                }
            }
            if (!EpollLoopHost.this.cancelled.isEmpty() && !closed) {
                scheduleFlush();
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

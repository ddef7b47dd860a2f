/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One {@link AioFile}'s life on its {@link AioFileHost}: requests handed to the host thread, the count of those
 * in progress, the {@link HostLink} their kernel operations go through, and the close — refuse new requests,
 * cancel the queued ones, wait for those the kernel holds, close the descriptors, complete the close future. Also
 * the file's side of its link ({@link HostLink.Client}).
 *
 * <p><b>Threading.</b> State changes on the host thread; {@link #isOpen()} and {@link #close()} from any thread
 * ({@link #state} is volatile: a caller sees a close as soon as it began). <b>Ownership:</b> the descriptors are
 * closed here, once, after the last request ended and the link let go of the kernel's last operation.
 */
final class FileLifecycle implements HostLink.Client {
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    /** For messages: a closed-file exception names the file. */
    private final AioFile file;
    private final int fd;
    private final ReadPath readPath;
    private final AioFileHost host;
    private final EventExecutor ioExecutor;
    private final EventExecutor completionExecutor;
    private final Promise<Void> closePromise;
    private HostLink link;
    /** Closes the file when the caller's executor terminates (files run by another thread only). */
    private GenericFutureListener<Future<Object>> callerTermination;
    private volatile int state = OPEN;
    // Host-thread state.
    private int pending;
    private boolean unlinked;

    FileLifecycle(AioFile file, int fd, ReadPath readPath, AioFileHost host, EventExecutor completionExecutor) {
        this.file = file;
        this.fd = fd;
        this.readPath = readPath;
        this.host = host;
        this.ioExecutor = host.executor();
        this.completionExecutor = completionExecutor;
        this.closePromise = completionExecutor.newPromise();
    }

    /**
     * Connects the file to its host (which may wait for the host loop to register it); a file run by another
     * thread than its caller's also closes when the caller's executor terminates.
     */
    void link() throws IOException {
        link = host.link(this);
        if (ioExecutor != completionExecutor) {
            GenericFutureListener<Future<Object>> listener = f -> close();
            callerTermination = listener;
            completionExecutor.terminationFuture().addListener(listener);
        }
    }

    boolean isOpen() {
        return state == OPEN;
    }

    /** Requests started and not yet ended. Host thread (a recent value elsewhere). */
    int pending() {
        return pending;
    }

    /** For the file's toString: {@code ""}, {@code ", closing"} or {@code ", closed"}. */
    String describeState() {
        int s = state;
        return s == OPEN ? "" : s == CLOSING ? ", closing" : ", closed";
    }

    AioFileClosedException closedException(String what) {
        return new AioFileClosedException(file + " is closed: " + what + " was not done");
    }

    // ---------------------------------------------------------------- requests

    /** Runs {@code request} on the host thread: inline when called there, else as a task. */
    void dispatch(FileRequest<?> request) {
        if (ioExecutor.inEventLoop()) {
            request.run();
            return;
        }
        try {
            ioExecutor.execute(request);
        } catch (RejectedExecutionException e) {
            request.fail(closedException(request.describe() + " (the host " + host + " is shut down)"));
        }
    }

    /** Runs {@code task} on the host thread; inline if the host is gone (nothing else runs there any more). */
    void runOnHost(Runnable task) {
        if (ioExecutor.inEventLoop()) {
            task.run();
            return;
        }
        try {
            ioExecutor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /**
     * Runs {@code retry} on the host thread after {@code delayNanos}; runs {@code abandoned} there instead if the
     * host shuts down first (its scheduled tasks are cancelled then), so that the request still completes.
     */
    void retryLater(Runnable retry, long delayNanos, Runnable abandoned) {
        ScheduledFuture<?> f;
        try {
            f = ioExecutor.schedule(retry, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            abandoned.run();
            return;
        }
        f.addListener(done -> {
            if (done.isCancelled()) {
                abandoned.run();
            }
        });
    }

    /** Hands a request's kernel operation to the link. */
    void submit(FileOp op) {
        link.submit(op);
    }

    void requestStarted() {
        pending++;
    }

    void requestFinished() {
        pending--;
        if (state == CLOSING) {
            finishCloseIfIdle();
        }
    }

    // ---------------------------------------------------------------- closing

    /** See {@link AioFile#close()}. */
    Future<Void> close() {
        if (state == OPEN) {
            runOnHost(this::close0);
        }
        return closePromise;
    }

    Future<Void> closeFuture() {
        return closePromise;
    }

    private void close0() {
        if (state != OPEN) {
            return;
        }
        state = CLOSING;
        if (link != null) {
            // Null only when the host closed while the file was still being linked: then it cancelled the link.
            link.cancel();
        }
        finishCloseIfIdle();
    }

    private void finishCloseIfIdle() {
        if (state != CLOSING || !unlinked || pending > 0) {
            return;
        }
        state = CLOSED;
        if (callerTermination != null) {
            completionExecutor.terminationFuture().removeListener(callerTermination);
        }
        int res = Native.close(fd);
        readPath.closeDirectFd();
        if (res < 0) {
            closePromise.tryFailure(Native.ioException("close(" + file.name() + ')', res));
        } else {
            closePromise.trySuccess(null);
        }
    }

    @Override
    public void unlinked() {
        unlinked = true;
        finishCloseIfIdle();
    }

    @Override
    public void hostClosing() {
        close0();
    }
}

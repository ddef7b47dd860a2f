/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.contrib.channel.aio.core.AioIoException;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.concurrent.Promise;

/**
 * One user request on an {@link AioFile} — a read, a write, a sync — from its start on the host thread to the
 * completion of its promise, through however many kernel operations it takes. Subclasses implement
 * {@link #start()} and {@link #complete(long)} and end with {@link #succeed(Object)} or {@link #fail(Throwable)},
 * exactly once; both release what the request holds ({@link #releaseResources()}) and then call {@link #ended()},
 * after which a pooled request may be reused: nothing may touch it after that call. Host thread only, except
 * {@link #init} and {@link #dispatch()}.
 */
abstract class FileRequest<T> extends FileOp implements Runnable {
    AioFile file;
    FileLifecycle life;
    FileCounters counters;
    Promise<T> promise;
    private boolean started;
    private boolean done;

    FileRequest() {
    }

    FileRequest(AioFile file, Promise<T> promise) {
        init(file, promise);
    }

    /** Makes this a new request of {@code file} (for pooled requests, after {@link #ended()}). */
    final void init(AioFile file, Promise<T> promise) {
        this.file = file;
        this.life = file.lifecycle();
        this.counters = file.counters();
        this.promise = promise;
        started = false;
        done = false;
        // The kernel cannot be stopped once it has the operation, so neither can the future.
        promise.setUncancellable();
    }

    /** Hands the request to the host thread; returns its future. */
    final Promise<T> dispatch() {
        // Read before handing over: the request may end, and a pooled one be reused, before dispatch returns.
        Promise<T> p = promise;
        life.dispatch(this);
        return p;
    }

    @Override
    public final void run() {
        if (!life.isOpen()) {
            fail(life.closedException(describe()));
            return;
        }
        started = true;
        life.requestStarted();
        try {
            start();
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** Runs on the host thread once the file is known to be open. */
    abstract void start();

    /** What this request is, for messages: {@code "read(position=4096, length=512)"}. */
    abstract String describe();

    /** Drops every buffer reference the request holds; called once, when it ends. */
    abstract void releaseResources();

    /** Called last when the request has ended: a pooled request returns to its pool here. */
    void ended() {
    }

    /** Submits this operation as set; a refusal (link cancelled by close, bad buffer) fails the request. */
    final void submit() {
        try {
            life.submit(this);
        } catch (IllegalStateException e) {
            fail(life.isOpen() ? e : life.closedException(describe()));
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** The exception for a negative {@code res} of this request's current kernel operation. */
    final Throwable failure(String call, long res) {
        if (res == -Native.ECANCELED && !life.isOpen()) {
            return life.closedException(describe());
        }
        return AioIoException.ofResult(call + " on " + file.name() + ", " + describe(), res);
    }

    final void succeed(T result) {
        if (done) {
            return;
        }
        done = true;
        releaseResources();
        if (started) {
            life.requestFinished();
        }
        if (!promise.trySuccess(result)) {
            discard(result);
        }
        ended();
    }

    final void fail(Throwable cause) {
        if (done) {
            return;
        }
        done = true;
        releaseResources();
        if (started) {
            counters.countFailure();
            life.requestFinished();
        }
        promise.tryFailure(cause);
        ended();
    }

    /** A result nobody can receive (the promise was completed otherwise): free it. */
    void discard(T result) {
    }

    @Override
    public String toString() {
        return describe() + " on " + file;
    }
}

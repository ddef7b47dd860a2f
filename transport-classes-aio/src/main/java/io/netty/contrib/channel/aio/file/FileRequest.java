/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.contrib.channel.aio.core.AioIoException;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.concurrent.Promise;

/**
 * One user request on an {@link AioFile} — a read, a write, a sync — from its start on the engine thread to the
 * completion of its promise, through however many kernel operations it takes. Subclasses implement
 * {@link #start()} and {@link #complete(long)} and end with {@link #succeed(Object)} or {@link #fail(Throwable)},
 * exactly once; both release what the request holds ({@link #releaseResources()}). Engine thread only, except
 * the constructor and {@link #dispatch()}.
 */
abstract class FileRequest<T> extends FileOp implements Runnable {
    final AioFile file;
    final Promise<T> promise;
    private boolean started;
    private boolean done;

    FileRequest(AioFile file, Promise<T> promise) {
        this.file = file;
        this.promise = promise;
        // The kernel cannot be stopped once it has the operation, so neither can the future.
        promise.setUncancellable();
    }

    /** Hands the request to the engine thread; returns its future. */
    final Promise<T> dispatch() {
        file.dispatch(this);
        return promise;
    }

    @Override
    public final void run() {
        if (!file.isOpen()) {
            fail(file.closedException(describe()));
            return;
        }
        started = true;
        file.requestStarted();
        try {
            start();
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** Runs on the engine thread once the file is known to be open. */
    abstract void start();

    /** What this request is, for messages: {@code "read(position=4096, length=512)"}. */
    abstract String describe();

    /** Drops every buffer reference the request holds; called once, when it ends. */
    abstract void releaseResources();

    /** Submits this operation as prepared; a refusal (link cancelled by close, bad buffer) fails the request. */
    final void submit() {
        try {
            file.submit(this);
        } catch (IllegalStateException e) {
            fail(file.isOpen() ? e : file.closedException(describe()));
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** The exception for a negative {@code res} of this request's current kernel operation. */
    final Throwable failure(String call, long res) {
        if (res == -Native.ECANCELED && !file.isOpen()) {
            return file.closedException(describe());
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
            file.requestFinished(false);
        }
        if (!promise.trySuccess(result)) {
            discard(result);
        }
    }

    final void fail(Throwable cause) {
        if (done) {
            return;
        }
        done = true;
        releaseResources();
        if (started) {
            file.requestFinished(true);
        }
        promise.tryFailure(cause);
    }

    /** A result nobody can receive (the promise was completed otherwise): free it. */
    void discard(T result) {
    }

    @Override
    public String toString() {
        return describe() + " on " + file;
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

/**
 * One file's connection to its {@link AioFileHost}: submits its {@link FileOp}s to the kernel and delivers
 * their completions. Every method runs on the host's thread.
 *
 * <p>Contract: every operation {@link #submit} accepts completes exactly once through
 * {@link FileOp#complete(long)} — with {@code -ECANCELED} if the link was cancelled before it reached the kernel.
 * After {@link #cancel()}, {@link Client#unlinked()} runs once the last operation has completed; from then on the
 * kernel holds nothing of the file's and its descriptors may be closed.
 */
abstract class HostLink {
    /** What a link calls back: the file. */
    interface Client {
        /** The link is cancelled and every operation has completed. */
        void unlinked();

        /** The host loop is shutting down: close now. */
        void hostClosing();
    }

    /**
     * Queues {@code op} for the next submission.
     *
     * @throws IllegalStateException if the link was cancelled (the operation is not taken)
     */
    abstract void submit(FileOp op);

    /** Cancels the link: queued operations complete with {@code -ECANCELED}, in-flight ones get io_cancel. */
    abstract void cancel();
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;

/**
 * An {@link AioIoHandle}'s registration on an {@link AioIoHandler}.
 *
 * <p>{@link #submit(IoOps)} takes {@link AioIoOps}, validates them in the caller's thread (bad input throws there)
 * and queues them for the loop's next {@code io_submit}; the returned id names the operation in its
 * {@link AioIoEvent} and for {@link #cancel(long)}. Any thread may submit and cancel; events are delivered on
 * the loop thread.
 *
 * <p>{@link #cancel()} invalidates the registration at once and asks the kernel to cancel every in-flight
 * operation of the handle; operations still queued complete with {@code -ECANCELED} without reaching the kernel.
 * The handle's {@link AioIoHandle#unregistered()} runs after the last of its operations has completed.
 */
public interface AioIoRegistration extends IoRegistration {
    /**
     * Queues {@code ops} (an {@link AioIoOps}) for submission.
     *
     * @return the operation's id, unique within the loop
     * @throws IllegalArgumentException if {@code ops} is not an {@link AioIoOps}
     * @throws IllegalStateException if the registration was cancelled
     */
    @Override
    long submit(IoOps ops);

    /**
     * Asks for the cancellation of the operation {@code id}. A queued operation completes with
     * {@code -ECANCELED} without reaching the kernel; an in-flight one gets {@code io_cancel}, and its event
     * tells the outcome ({@code -ECANCELED}, or the real result when the kernel finished first, as for most
     * file I/O, which cannot be cancelled).
     *
     * @return {@code true} if the operation was found queued or in flight and a cancellation was requested
     *         (from another thread: {@code true} once the request is handed to the loop)
     */
    boolean cancel(long id);

    /** Operations of this registration queued or in flight. Loop thread for an exact figure. */
    int pendingOperations();
}

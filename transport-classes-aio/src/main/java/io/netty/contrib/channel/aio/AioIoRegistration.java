/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;

import java.io.IOException;

/**
 * An {@link AioIoHandle}'s registration on an {@link AioIoHandler}.
 *
 * <p><b>Submitting.</b> {@link #submit(IoOps)} takes {@link AioIoOps}, validates them in the caller's thread (bad
 * input throws there) and queues them for the loop's next {@code io_submit}; the returned id names the operation in
 * its {@link AioIoEvent} and for {@link #cancel(long)}. Every operation accepted by {@code submit} completes exactly
 * once: its event reaches {@link AioIoHandle#handle} on the loop thread. Submitting a pre-built {@link AioIoOps} on
 * the loop thread allocates nothing, so a handle may keep one per POLL it re-arms. Reads and writes, whose memory
 * and offset change every time, go through {@link #submit(AioIoOps, ByteBuf, long, Object)} with a
 * {@linkplain AioIoOps#describe description} built once: that allocates nothing on the loop thread either, and the
 * attachment given there comes back in the event, so a handle finds its own record without a table.
 *
 * <p><b>Which object.</b> {@link IoEventLoop#register(IoHandle)} completes with Netty's wrapper of this
 * registration (it counts the loop's registrations), which forwards {@code submit}, {@code isValid} and
 * {@code cancel()}. Its {@link #attachment()} is this {@code AioIoRegistration}: reach {@link #cancel(long)} and
 * {@link #pendingOperations()} through it, but call {@link #cancel()} on the wrapper so the loop's count stays
 * right. {@link AioIoHandle#handle} receives this object itself.
 *
 * <p><b>Cancelling.</b> {@link #cancel()} invalidates the registration at once and asks the kernel to cancel every
 * in-flight operation of the handle; operations still queued complete with {@code -ECANCELED} without reaching the
 * kernel. The handle's {@link AioIoHandle#unregistered()} runs once the last of its operations has completed —
 * cancelled POLLs come back at once, file I/O when the device is done with it: only then may their memory go.
 *
 * <p><b>Threading.</b> Any thread may submit and cancel; from outside the loop the work is handed to the loop as a
 * task. Events are delivered on the loop thread.
 */
public interface AioIoRegistration extends IoRegistration {
    /** What {@link #submit(IoOps)} returns once the registration is no longer valid (no event will come). */
    long INVALID_ID = -1;

    /**
     * Queues {@code ops} (an {@link AioIoOps}) for submission.
     *
     * @return the operation's id, positive and unique within the loop; {@link #INVALID_ID} if this registration
     *         was cancelled (nothing is submitted and no event comes)
     * @throws IllegalArgumentException if {@code ops} is not an {@link AioIoOps}, or one of its buffers was
     *         released
     * @throws java.util.concurrent.RejectedExecutionException from another thread when the loop has shut down
     */
    @Override
    long submit(IoOps ops);

    /**
     * Queues the operation {@code ops} describes ({@link AioIoOps#describe}) with {@code buffer} as its memory —
     * read into its writable bytes or written from its readable bytes, indices not moved — at file offset
     * {@code offset}. For FSYNC and FDSYNC {@code buffer} is null and {@code offset} ignored. {@code attachment} (any
     * object, or null) comes back as {@link AioIoEvent#attachment()} of the operation's event; the loop holds it until
     * then. Ownership of {@code buffer} as for {@link AioIoOps}: the loop retains it while the kernel has it; keep your
     * own reference until the event. Everything else as {@link #submit(IoOps)}; on the loop thread this allocates
     * nothing.
     *
     * @return the operation's id, or {@link #INVALID_ID} if this registration was cancelled
     * @throws IllegalArgumentException if {@code ops} carries memory of its own or is vectored, {@code buffer} is
     *         missing, released, not direct or spans several memory regions, or {@code offset} is negative
     * @throws java.util.concurrent.RejectedExecutionException from another thread when the loop has shut down
     */
    long submit(AioIoOps ops, ByteBuf buffer, long offset, Object attachment);

    /**
     * As {@link #submit(AioIoOps, ByteBuf, long, Object)} for a vectored description (PREADV, PWRITEV) with
     * {@code buffers} as its memory, in order. The array is copied; the buffers are retained as one buffer is.
     *
     * @throws IllegalArgumentException as there, or for an empty array or more than {@code IOV_MAX} buffers
     */
    long submit(AioIoOps ops, ByteBuf[] buffers, long offset, Object attachment);

    /**
     * Asks for the cancellation of the operation {@code id}. A queued operation completes with
     * {@code -ECANCELED} without reaching the kernel; an in-flight one gets {@code io_cancel}, and its event
     * tells the outcome ({@code -ECANCELED}, or the real result when the kernel finished first, as for most
     * file I/O, which cannot be cancelled).
     *
     * @return on the loop thread: {@code true} if the operation was found queued, or in flight and the kernel
     *         took the cancellation request; from another thread: {@code true} once the request is handed to the
     *         loop
     */
    boolean cancel(long id);

    /**
     * Puts {@code fd} into the loop's epoll set for this registration, or changes what it is watched for. Edge
     * triggered ({@code EPOLLET} is always added): an event is reported once per change of readiness, so a handle
     * reads or writes until {@code EAGAIN}, or remembers that more may be there. {@code EPOLLERR} and
     * {@code EPOLLHUP} are always reported. Events reach the handle as an {@link AioIoEvent} whose
     * {@link AioIoEvent#opcode()} is {@link AioIoEvent#READINESS} and whose {@link AioIoEvent#res()} is the epoll
     * mask. No AIO slot is taken, however many descriptors are watched. The descriptor leaves the set when the
     * registration is cancelled, which must happen before the descriptor is closed. A registration watches one
     * descriptor. Loop thread only; changing nothing costs no syscall.
     *
     * @param events {@link AioIoEvent#EPOLLIN}, {@link AioIoEvent#EPOLLOUT}, {@link AioIoEvent#EPOLLRDHUP} or 0
     *        (errors and hang-ups only)
     * @throws IOException naming {@code epoll_ctl}, the descriptor and the errno: EPERM (the descriptor does not
     *         support readiness: a regular file, a directory), EEXIST (another registration of this loop watches
     *         it), EBADF, ENOMEM, ENOSPC ({@code fs.epoll.max_user_watches})
     * @throws IllegalArgumentException for other event bits, a negative {@code fd}, or another fd than the one
     *         this registration watches
     * @throws IllegalStateException off the loop thread, or once the registration was cancelled
     */
    void watch(int fd, int events) throws IOException;

    /** Operations of this registration queued, in flight, or finished but not yet delivered. Loop thread. */
    int pendingOperations();

    /** The handler this registration belongs to (its stats, its depth). */
    AioIoHandler handler();

    /** This registration. */
    @Override
    <T> T attachment();
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.IoEvent;
import io.netty.contrib.channel.aio.core.AioBlock;
import io.netty.contrib.channel.aio.core.Native;

/**
 * A completion, as an {@link AioIoHandle} receives it: the kernel's raw {@code res} and {@code res2}, and the
 * opcode, {@code userData} and id of the {@link AioIoOps} it completes. Results pass through untouched: a negative
 * {@code res} is {@code -errno} ({@code -ECANCELED} after a cancellation; {@code -EAGAIN} for a fail-fast
 * operation that found no room).
 *
 * <p>A flyweight: the loop reuses one instance per registration, so it is valid only during
 * {@link AioIoHandle#handle}; copy what you keep. Loop thread only.
 */
public final class AioIoEvent implements IoEvent {
    /**
     * The {@link #opcode()} of a readiness event from the loop's epoll set ({@link AioIoRegistration#watch}): no
     * {@code IOCB_CMD_*} is negative. {@link #res()} is then the epoll mask, {@link #userData()} and {@link #id()}
     * are 0.
     */
    public static final int READINESS = -1;
    /** Readable (or a connection to accept). */
    public static final int EPOLLIN = Native.EPOLLIN;
    /** Writable (or a connect finished). */
    public static final int EPOLLOUT = Native.EPOLLOUT;
    /** The peer shut its writing half down (FIN). */
    public static final int EPOLLRDHUP = Native.EPOLLRDHUP;
    /** An error is pending (reported whether asked for or not). */
    public static final int EPOLLERR = Native.EPOLLERR;
    /** Hung up (reported whether asked for or not). */
    public static final int EPOLLHUP = Native.EPOLLHUP;

    private long res;
    private long res2;
    private int opcode;
    private long userData;
    private long id;
    private Object attachment;

    AioIoEvent() {
    }

    AioIoEvent update(long res, long res2, int opcode, long userData, long id, Object attachment) {
        this.res = res;
        this.res2 = res2;
        this.opcode = opcode;
        this.userData = userData;
        this.id = id;
        this.attachment = attachment;
        return this;
    }

    /** Bytes transferred, a poll mask, 0, or {@code -errno}. */
    public long res() {
        return res;
    }

    /** The secondary result, driver-specific (0 for files and POLL). */
    public long res2() {
        return res2;
    }

    /** The {@code IOCB_CMD_*} opcode of the completed operation. */
    public int opcode() {
        return opcode;
    }

    /** The {@link AioIoOps#userData()} of the completed operation. */
    public long userData() {
        return userData;
    }

    /** The id {@link AioIoRegistration#submit} returned for it. */
    public long id() {
        return id;
    }

    /**
     * The attachment the operation was submitted with ({@link AioIoRegistration#submit(AioIoOps,
     * io.netty.buffer.ByteBuf, long, Object)}), or null.
     */
    public Object attachment() {
        return attachment;
    }

    @Override
    public String toString() {
        if (opcode == READINESS) {
            return "AioIoEvent(READINESS, events=0x" + Long.toHexString(res) + ')';
        }
        return "AioIoEvent(" + AioBlock.opcodeName(opcode) + ", res=" + res + ", res2=" + res2 + ", userData="
                + userData + ", id=" + id + ')';
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.IoEvent;
import io.netty.contrib.channel.aio.core.AioBlock;

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
    private long res;
    private long res2;
    private int opcode;
    private long userData;
    private long id;

    AioIoEvent() {
    }

    AioIoEvent update(long res, long res2, int opcode, long userData, long id) {
        this.res = res;
        this.res2 = res2;
        this.opcode = opcode;
        this.userData = userData;
        this.id = id;
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

    @Override
    public String toString() {
        return "AioIoEvent(" + AioBlock.opcodeName(opcode) + ", res=" + res + ", res2=" + res2 + ", userData="
                + userData + ", id=" + id + ')';
    }
}

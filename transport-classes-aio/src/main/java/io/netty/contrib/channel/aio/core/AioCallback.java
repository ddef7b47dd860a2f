/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

/**
 * Receives an {@link AioBlock}'s completion, exactly once per accepted submission, on the thread that reaped
 * it (the context's owner). The block is idle again when this runs and may be re-prepared and resubmitted from
 * here. The context has already dropped its own reference to the block's buffers: read them through a
 * reference you kept.
 */
@FunctionalInterface
public interface AioCallback {
    /**
     * @param block the completed block
     * @param res the kernel's raw result: bytes transferred, a poll mask, 0, or {@code -errno}
     *            ({@code -ECANCELED} after a successful cancel)
     * @param res2 the secondary result, driver-specific (0 for files and POLL)
     */
    void onComplete(AioBlock block, long res, long res2);
}

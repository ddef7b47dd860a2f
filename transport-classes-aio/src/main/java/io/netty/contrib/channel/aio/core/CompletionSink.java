/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

/**
 * Receives reaped completions one by one, as primitives: reaping allocates nothing. Called on the reaping
 * thread; must not reap again from inside the call.
 */
@FunctionalInterface
interface CompletionSink {
    void complete(long data, long res, long res2);
}

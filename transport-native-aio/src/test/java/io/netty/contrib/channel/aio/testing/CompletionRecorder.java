/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testing;

import io.netty.contrib.channel.aio.core.AioBlock;
import io.netty.contrib.channel.aio.core.AioCallback;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An {@link AioCallback} that records every completion it receives, in order, so tests can check what arrived,
 * how often, and on which thread. Single-threaded, like the context that calls it.
 */
public final class CompletionRecorder implements AioCallback {

    /** One delivered completion. */
    public static final class Completion {
        public final AioBlock block;
        public final long res;
        public final long res2;
        public final Thread thread;

        Completion(AioBlock block, long res, long res2, Thread thread) {
            this.block = block;
            this.res = res;
            this.res2 = res2;
            this.thread = thread;
        }

        @Override
        public String toString() {
            return block + " -> res=" + res + ", res2=" + res2;
        }
    }

    private final List<Completion> completions = new ArrayList<>();
    private final Map<AioBlock, List<Completion>> byBlock = new IdentityHashMap<>();

    @Override
    public void onComplete(AioBlock block, long res, long res2) {
        Completion c = new Completion(block, res, res2, Thread.currentThread());
        completions.add(c);
        byBlock.computeIfAbsent(block, b -> new ArrayList<>()).add(c);
    }

    /** Every completion so far, in delivery order. */
    public List<Completion> completions() {
        return completions;
    }

    public int size() {
        return completions.size();
    }

    /** How many completions {@code block} received. */
    public int count(AioBlock block) {
        List<Completion> l = byBlock.get(block);
        return l == null ? 0 : l.size();
    }

    /** The only completion of {@code block}; fails unless it received exactly one. */
    public Completion only(AioBlock block) {
        List<Completion> l = byBlock.get(block);
        assertNotNull(l, () -> "no completion for " + block);
        assertEquals(1, l.size(), () -> "completions of " + block + ": " + l);
        return l.get(0);
    }

    /** The {@code res} of the only completion of {@code block}. */
    public long res(AioBlock block) {
        return only(block).res;
    }

    /** Fails unless every block received exactly one completion and nothing else arrived. */
    public void assertEachExactlyOnce(Collection<AioBlock> blocks) {
        for (AioBlock b : blocks) {
            int n = count(b);
            if (n != 1) {
                fail(b + " completed " + n + " times");
            }
        }
        assertEquals(blocks.size(), completions.size(), "completions for blocks that were not expected");
    }
}

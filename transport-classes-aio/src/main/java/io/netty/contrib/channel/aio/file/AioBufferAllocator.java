/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.contrib.channel.aio.core.AioSystemProperties;
import io.netty.buffer.PooledByteBufAllocator;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Pooled direct allocators whose every buffer starts on an aligned address: Netty's
 * {@link PooledByteBufAllocator} built with {@code directMemoryCacheAlignment}, one shared instance per
 * alignment. Sizes are rounded up to the alignment too, so a buffer from {@link #forAlignment(int)} with
 * {@code a >= }{@link AioFileAlignment#bufferAlignment()} can go to an {@code O_DIRECT} file as it is (its
 * {@code writerIndex}/{@code readerIndex} and length must still be multiples of the file's offset alignment).
 * {@link AioFile#allocator()} is the one a file uses for what it allocates: results of
 * {@link AioFile#read(long, int)} and bounce buffers.
 *
 * <p>Thread-safe. Arena count: {@code io.netty.aio.file.allocator.directArenas} (default: Netty's default for
 * pooled direct arenas). Thread-local caches are on for every thread, since buffers are typically allocated on
 * event loop and completion threads.
 */
public final class AioBufferAllocator {
    private static final Object DIRECT_ARENAS = AioSystemProperties.attempt(() -> AioSystemProperties.intValue(
            "io.netty.aio.file.allocator.directArenas", PooledByteBufAllocator.defaultNumDirectArena(), 0, 1024));
    private static final int MAX_ORDER = 9;
    /**
     * One allocator per alignment, indexed by its log2 (up to 65536): a look-up on every read of an fd channel,
     * which must not box its key.
     */
    private static final AtomicReferenceArray<PooledByteBufAllocator> ALLOCATORS = new AtomicReferenceArray<>(17);

    private AioBufferAllocator() {
    }

    /**
     * The shared pooled allocator aligned to {@code alignment}: each direct buffer's {@code memoryAddress()} is a
     * multiple of it.
     *
     * @param alignment a power of two up to 65536
     * @throws IllegalArgumentException otherwise
     */
    public static PooledByteBufAllocator forAlignment(int alignment) {
        if (alignment <= 0 || (alignment & alignment - 1) != 0 || alignment > 65536) {
            throw new IllegalArgumentException("alignment must be a power of two in 1..65536, got " + alignment);
        }
        // Below a cache line the pool's own granularity is already enough; sharing one pool saves memory.
        int a = Math.max(alignment, 64);
        int index = Integer.numberOfTrailingZeros(a);
        // Volatile read, paired with the volatile compareAndExchange below: a thread that sees an allocator sees it
        // fully constructed.
        PooledByteBufAllocator allocator = ALLOCATORS.get(index);
        if (allocator == null) {
            PooledByteBufAllocator created = newAllocator(a);
            // Two threads may race to create the first one: the loser's is dropped before it handed out a buffer.
            allocator = ALLOCATORS.compareAndExchange(index, null, created);
            if (allocator == null) {
                allocator = created;
            }
        }
        return allocator;
    }

    /** The allocator for a file of this alignment. */
    public static PooledByteBufAllocator forAlignment(AioFileAlignment alignment) {
        return forAlignment(alignment.bufferAlignment());
    }

    private static PooledByteBufAllocator newAllocator(int alignment) {
        // The page must be a multiple of the alignment (the pool carves runs of pages).
        int pageSize = Math.max(PooledByteBufAllocator.defaultPageSize(), alignment);
        return new PooledByteBufAllocator(true, 0,
                AioSystemProperties.result(DIRECT_ARENAS, Integer.class), pageSize, MAX_ORDER,
                PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
                true, alignment);
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.handler;

import io.netty.contrib.channel.aio.file.AioFileStats;

import java.util.concurrent.atomic.LongAdder;

/**
 * What an {@link AioChunkedWriteHandler} (or all of them: {@link AioChunkedWriteHandler#totalStats()}) did with
 * the file inputs written to it on AIO loops. A snapshot; the counters of the files' reads are added when each
 * file has closed, after its input.
 *
 * @param aioInputs file inputs ({@code ChunkedFile}, {@code ChunkedNioFile}, bare or inside an HTTP or HTTP/2
 *        input) served with AIO reads
 * @param fallbacks file inputs written on an AIO loop the way {@code ChunkedWriteHandler} writes them (blocking
 *        reads on the loop) because they could not be served with AIO: the reason is logged at debug level
 * @param aioBytes bytes the AIO-served inputs handed to the pipeline
 * @param reads AIO reads of those inputs' files
 * @param nowaitHits reads answered from the page cache inside {@code io_submit} ({@code RWF_NOWAIT})
 * @param directReads reads that went to the disk with {@code O_DIRECT}, off the loop's thread
 * @param blockingReads reads that could have waited for the disk on the loop (a filesystem that refuses
 *        {@code O_DIRECT}, or an {@code O_DIRECT} read under sustained {@code EAGAIN}; see {@link AioFileStats})
 * @param failedReads reads that failed
 * @param openFiles descriptors opened for AIO-served inputs and not closed yet: an input still being written, or
 *        one that has ended and waits for the reads the kernel still holds
 */
public record AioChunkedWriteStats(long aioInputs, long fallbacks, long aioBytes, long reads, long nowaitHits,
                                   long directReads, long blockingReads, long failedReads, long openFiles) {

    /** Counters of one handler, which also feed the process-wide ones. Written on loops, read from anywhere. */
    static final class Counters {
        static final Counters TOTAL = new Counters(null);

        private final Counters parent;
        private final LongAdder aioInputs = new LongAdder();
        private final LongAdder fallbacks = new LongAdder();
        private final LongAdder aioBytes = new LongAdder();
        private final LongAdder reads = new LongAdder();
        private final LongAdder nowaitHits = new LongAdder();
        private final LongAdder directReads = new LongAdder();
        private final LongAdder blockingReads = new LongAdder();
        private final LongAdder failedReads = new LongAdder();
        private final LongAdder openFiles = new LongAdder();

        Counters(Counters parent) {
            this.parent = parent;
        }

        void aioInput() {
            aioInputs.increment();
            openFiles.increment();
            if (parent != null) {
                parent.aioInput();
            }
        }

        void fallback() {
            fallbacks.increment();
            if (parent != null) {
                parent.fallback();
            }
        }

        void inputClosed(long bytes) {
            aioBytes.add(bytes);
            if (parent != null) {
                parent.inputClosed(bytes);
            }
        }

        void fileClosed(AioFileStats s) {
            reads.add(s.reads());
            nowaitHits.add(s.nowaitHits());
            directReads.add(s.directReads());
            blockingReads.add(s.blockingReads());
            failedReads.add(s.failures());
            openFiles.decrement();
            if (parent != null) {
                parent.fileClosed(s);
            }
        }

        AioChunkedWriteStats snapshot() {
            return new AioChunkedWriteStats(aioInputs.sum(), fallbacks.sum(), aioBytes.sum(), reads.sum(),
                    nowaitHits.sum(), directReads.sum(), blockingReads.sum(), failedReads.sum(), openFiles.sum());
        }
    }
}

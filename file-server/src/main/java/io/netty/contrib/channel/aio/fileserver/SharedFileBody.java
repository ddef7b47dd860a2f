/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.contrib.channel.aio.core.NativeFiles;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FileBodySource.FileBody} whose open file is shared by the slices of one response (the parts of a
 * multipart/byteranges): the body holds one reference and each slice one more until it is done, and the file is
 * let go with the last — back to the {@link OpenFileCache} when it came from there, else closed. What the three
 * body sources have in common; each makes its own slices ({@link OfChannel} through a {@link Slicer}).
 *
 * <p>The count is atomic: a slice that is a reference-counted message ({@link FileRegionBodies}' regions) may be
 * released on any thread, as Netty allows. {@link #close()} runs on the event loop only.
 */
abstract class SharedFileBody implements FileBodySource.FileBody {
    private final long size;
    /** The cached file read, or {@code null} when the body owns the file. */
    private final OpenFileCache.Entry entry;
    /** The body's own reference plus one per slice not yet done. */
    private final AtomicInteger references = new AtomicInteger(1);
    private boolean closed;

    SharedFileBody(long size, OpenFileCache.Entry entry) {
        this.size = size;
        this.entry = entry;
    }

    @Override
    public final long size() {
        return size;
    }

    /** Counts a new slice, which must call {@link #release()} once done. */
    final void retain() {
        references.incrementAndGet();
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Drops a reference; the last lets the file go. */
    final void release() {
        if (references.decrementAndGet() == 0) {
            if (entry != null) {
                entry.release();
            } else {
                closeFile();
            }
        }
    }

    /** Closes the file the body owns (it did not come from the cache). */
    abstract void closeFile();

    /** Makes the message for bytes {@code [offset, offset + length)} of a body; it releases the body once done. */
    @FunctionalInterface
    interface Slicer {
        Object slice(OfChannel body, long offset, long length);
    }

    /**
     * A body read through a {@link FileChannel}: the cached file's, or one over the descriptor the resolver
     * checked, without a second open ({@link NativeFiles#newFileDescriptor}).
     */
    static final class OfChannel extends SharedFileBody {
        final FileChannel channel;
        private final Slicer slicer;

        /** Takes {@code fd} on success (on failure it is left open), or, with an {@code entry}, its reference. */
        OfChannel(OpenFileCache.Entry entry, int fd, long size, Slicer slicer) throws IOException {
            super(size, entry);
            this.slicer = slicer;
            channel = entry != null ? entry.channel()
                    : new FileInputStream(NativeFiles.newFileDescriptor(fd)).getChannel();
        }

        @Override
        public Object slice(long offset, long length) {
            retain();
            return slicer.slice(this, offset, length);
        }

        @Override
        void closeFile() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a read-only descriptor reports nothing worth acting on.
            }
        }
    }
}

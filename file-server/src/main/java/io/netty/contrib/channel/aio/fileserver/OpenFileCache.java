/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.buffer.ByteBuf;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.contrib.channel.aio.file.AioFile;
import io.netty.contrib.channel.aio.file.AioFileConfig;
import io.netty.contrib.channel.aio.file.AioReadPolicy;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open regular files kept for the next requests, as nginx's {@code open_file_cache}: the readable descriptor of a
 * file and the attributes read from it when it was looked up, so that a request for a file in the cache makes no
 * {@code openat}, {@code statx} or {@code close}. One cache per event loop (as nginx keeps one per worker): no lock,
 * and an {@link AioFile} made for an entry stays on the loop it is bound to.
 *
 * <p><b>Revalidation by age, not inotify.</b> An entry is used for {@code valid} after its lookup, then dropped and
 * the path looked up again (a full lookup under the root's rules, through the root descriptor). So a file replaced
 * (renamed over) or deleted is served at most {@code valid} after the change, and then with its new attributes,
 * hence a new ETag. inotify was not chosen: its watches are per directory and limited per user
 * ({@code fs.inotify.max_user_watches}), a symlinked directory changes elsewhere than where it is watched, its queue
 * can overflow and lose events, and it says nothing about a file system another machine changes (NFS): every one
 * of those would be an unbounded staleness, where age gives one bound that always holds. A file rewritten in place
 * (same inode) is read as it is now but described by its cached size and ETag until the entry expires: replace
 * files by renaming, as deployment tools do. Only regular files are kept: a directory descriptor has a read
 * position that concurrent listings would share.
 *
 * <p>Bounded: at most {@code maxEntries} entries per loop, least recently used dropped first; each entry holds one
 * descriptor, two once an AIO read missed the page cache (the {@code O_DIRECT} one), two more once a response
 * found the file with no page cached and read it with {@code O_DIRECT} from the start. An entry in use by responses
 * when dropped is closed when the last of them is done.
 *
 * <p><b>Small files' contents.</b> An entry of a regular file of at most {@link #MAX_CONTENT_SIZE} bytes may also
 * keep the file's bytes ({@link Entry#content}), read once with AIO after the first response that used the entry,
 * so that a later hit is answered from memory: no read at all, a response is the request's {@code recv} and one
 * write. The contents live exactly as long as their entry (so they are revalidated as it is: never served more
 * than {@code valid} after a change), are kept only when the bytes read match the size the lookup found, and count
 * against a budget per loop ({@code contentBytesPerLoop}); beyond it files are read per response as before.
 *
 * <p>Threading: every method runs on an event loop thread and touches that loop's cache only.
 */
final class OpenFileCache {
    /** Files up to this size may have their contents kept. */
    static final int MAX_CONTENT_SIZE = 16 * 1024;

    private final int maxEntries;
    private final long validNanos;
    private final long contentBytesPerLoop;
    private final FastThreadLocal<LoopCache> perLoop = new FastThreadLocal<>() {
        @Override
        protected LoopCache initialValue() {
            return new LoopCache(contentBytesPerLoop);
        }
    };

    /** One loop's entries, and the bytes of contents they keep against the loop's budget. */
    private static final class LoopCache {
        final Map<String, Entry> map = new LinkedHashMap<>(16, 0.75f, true);
        final long contentBudget;
        long contentBytes;

        LoopCache(long contentBudget) {
            this.contentBudget = contentBudget;
        }
    }

    /**
     * @param maxEntries          files kept per event loop, at least 1
     * @param validNanos          how long an entry is used after its lookup
     * @param contentBytesPerLoop bytes of small files' contents each loop's entries may keep; 0 for none
     */
    OpenFileCache(int maxEntries, long validNanos, long contentBytesPerLoop) {
        this.maxEntries = maxEntries;
        this.validNanos = validNanos;
        this.contentBytesPerLoop = contentBytesPerLoop;
    }

    /**
     * The entry of {@code key} if it is still valid, retained for the caller (who {@link Entry#release}s it);
     * {@code null} otherwise, an expired entry being dropped.
     */
    Entry get(String key) {
        Map<String, Entry> map = perLoop.get().map;
        Entry e = map.get(key);
        if (e == null) {
            return null;
        }
        if (System.nanoTime() - e.expiresNanos >= 0) {
            map.remove(key);
            e.release();
            return null;
        }
        e.references++;
        return e;
    }

    /**
     * Keeps the descriptor {@code fd} (which the cache then owns) of the regular file looked up as {@code key};
     * returns its entry, retained for the caller.
     */
    Entry put(String key, int fd, FileAttributes attributes) {
        LoopCache loop = perLoop.get();
        Map<String, Entry> map = loop.map;
        Entry e = new Entry(loop, fd, attributes, System.nanoTime() + validNanos);
        e.references = 2;
        Entry old = map.put(key, e);
        if (old != null) {
            old.release();
        }
        if (map.size() > maxEntries) {
            Iterator<Entry> eldest = map.values().iterator();
            Entry dropped = eldest.next();
            eldest.remove();
            dropped.release();
        }
        return e;
    }

    /** Drops every entry of the calling loop's cache (at shutdown); entries in use close when done. */
    void clear() {
        Map<String, Entry> map = perLoop.get().map;
        List<Entry> all = new ArrayList<>(map.values());
        map.clear();
        for (Entry e : all) {
            e.release();
        }
    }

    /** For the startup line. */
    String describe() {
        return maxEntries + " files per loop, revalidated after " + validNanos / 1_000_000 + " ms"
                + (contentBytesPerLoop > 0 ? ", contents of files up to " + MAX_CONTENT_SIZE + " bytes kept, "
                        + contentBytesPerLoop + " bytes per loop" : "");
    }

    /**
     * One kept file: its descriptor, attributes, and what the body sources made of it (an {@link AioFile}, a
     * {@link FileChannel}), made once and shared by every response that uses the entry. Reference-counted: the
     * cache holds one reference while the entry is in it, each response one; the descriptor is closed when the
     * count reaches zero. Event loop only.
     */
    static final class Entry {
        private final LoopCache loop;
        private final int fd;
        private final FileAttributes attributes;
        private final long expiresNanos;
        private int references;
        /** Page cache first (AioReadPolicy.HYBRID): owns {@link #fd} once made. */
        private AioFile aioFile;
        /**
         * O_DIRECT reads (AioReadPolicy.DIRECT), for a file found with no page cached: owns a descriptor of its own.
         */
        private AioFile directFile;
        private FileChannel channel;
        /** The file's bytes, once read ({@link #keepContentFrom}); released with the entry. */
        private ByteBuf content;
        private boolean contentAsked;

        private Entry(LoopCache loop, int fd, FileAttributes attributes, long expiresNanos) {
            this.loop = loop;
            this.fd = fd;
            this.attributes = attributes;
            this.expiresNanos = expiresNanos;
        }

        int fd() {
            return fd;
        }

        FileAttributes attributes() {
            return attributes;
        }

        /**
         * The entry's {@link AioFile} for {@code policy}, bound to {@code loop} (the loop whose cache holds the
         * entry), made by the first caller: a response reads a file with no page cached with {@code O_DIRECT} from
         * the start (a page-cache miss would also start the kernel's readahead of the same blocks), a cached one
         * through the page cache, so an entry may have one of each. The page-cache one owns the entry's
         * descriptor; the direct one a descriptor of its own, reopened once through {@code /proc/self/fd}.
         */
        AioFile aioFile(EventExecutor loop, AioReadPolicy policy) throws IOException {
            if (policy == AioReadPolicy.DIRECT) {
                if (directFile == null) {
                    int own = Native.open("/proc/self/fd/" + fd, Native.O_RDONLY | Native.O_CLOEXEC, 0);
                    if (own < 0) {
                        // No /proc (or out of descriptors): through the page cache, as without the check.
                        return aioFile(loop, AioReadPolicy.HYBRID);
                    }
                    try {
                        directFile = AioFile.adopt(loop, own, new AioFileConfig().readPolicy(policy));
                    } catch (IOException | RuntimeException e) {
                        Native.close(own);
                        throw e;
                    }
                }
                return directFile;
            }
            if (aioFile == null) {
                aioFile = AioFile.adopt(loop, fd, new AioFileConfig().readPolicy(policy));
            }
            return aioFile;
        }

        /**
         * A {@link FileChannel} over the descriptor, for positional reads and {@code sendfile}: never closed
         * itself (it would close the descriptor under other users); the entry closes the descriptor.
         */
        FileChannel channel() {
            if (channel == null) {
                channel = new FileInputStream(NativeFiles.newFileDescriptor(fd)).getChannel();
            }
            return channel;
        }

        /** The file's bytes if the entry keeps them (the caller takes a retained slice), else {@code null}. */
        ByteBuf content() {
            return content;
        }

        /**
         * Once per entry, for a small regular file, if the loop's budget has room: reads the whole file with
         * {@code file} (AIO, never blocking the loop) and keeps the bytes if there are as many as the lookup found.
         * The room is taken at once and given back if the read fails or finds another size.
         */
        void keepContentFrom(AioFile file) {
            long size = attributes.size();
            if (contentAsked || size <= 0 || size > MAX_CONTENT_SIZE
                    || loop.contentBytes + size > loop.contentBudget) {
                return;
            }
            contentAsked = true;
            loop.contentBytes += size;
            references++; // the read's: the entry stays until it is done
            file.read(0, (int) size).addListener(f -> {
                ByteBuf read = f.isSuccess() ? (ByteBuf) f.getNow() : null;
                if (read != null && read.readableBytes() == size && references > 1) {
                    content = read;
                } else {
                    loop.contentBytes -= size;
                    if (read != null) {
                        read.release();
                    }
                }
                release();
            });
        }

        /** Drops one reference; the last closes the descriptor. */
        void release() {
            if (--references == 0) {
                if (content != null) {
                    loop.contentBytes -= content.readableBytes();
                    content.release();
                    content = null;
                }
                if (directFile != null) {
                    directFile.close();
                }
                if (aioFile != null) {
                    aioFile.close();
                } else {
                    Native.close(fd);
                }
            }
        }
    }
}

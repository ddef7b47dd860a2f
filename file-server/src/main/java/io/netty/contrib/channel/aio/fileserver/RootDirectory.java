/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.channel.unix.Buffer;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.FastThreadLocal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The served directory, held open as a descriptor, and every lookup under it: nothing below the root is ever
 * opened by an absolute path, so renaming a directory or swapping a file for a symlink between two steps of a
 * lookup cannot lead outside the root.
 *
 * <p>A lookup opens the target with {@code O_PATH} relative to the root descriptor, where the kernel resolves the
 * whole path under {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)} (plus {@code RESOLVE_NO_SYMLINKS} when
 * symlinks are refused): no component may climb above the root, no absolute symlink is followed (it would be
 * resolved from {@code /}), no {@code /proc} magic link. On kernels before 5.6 (or where a seccomp filter answers
 * {@code openat2} with ENOSYS) the same rules are applied by a walk of one {@code openat(O_PATH | O_NOFOLLOW)} per
 * component, reading symlinks with {@code readlinkat} and answering {@code ..} from the descriptors held, never
 * by a second lookup. The walk also serves what openat2 refuses with EXDEV but the server always served: an
 * absolute symlink whose target lies under the root's path, which it walks again from the root descriptor. The {@code O_PATH} descriptor is then {@code fstat}ed: only a regular file or a directory
 * is opened for reading, from that very descriptor ({@code /proc/self/fd/N} for a file, {@code openat(fd, ".")}
 * for a directory), so a FIFO is never opened (no blocking open) and a device's driver never sees an open.
 * Every descriptor is {@code O_CLOEXEC}, every readable one {@code O_NONBLOCK} and {@code O_NOCTTY}.
 *
 * <p>A lookup is made in one of two modes. <em>Cached only</em>, on an event loop: {@code openat2} with
 * {@code RESOLVE_CACHED} (Linux 5.12) answers from the dentry cache or fails with EAGAIN without waiting for the
 * disk, and every step after it (the {@code statx} of the descriptor found, the reopen through {@code /proc}) reads
 * an inode already in memory; whatever cannot be answered that way throws {@link NotCached} — a dentry or inode
 * not in memory, the walk (no openat2, or an absolute symlink), a kernel without {@code RESOLVE_CACHED} — and the
 * caller runs the same lookup again <em>blocking</em>, on a thread that may wait ({@link LookupPool}).
 *
 * <p>Thread-safe: the root descriptor is only read; the statx buffer is per thread. A blocking lookup blocks the
 * calling thread for as long as the file system takes; the open-file cache is used by cached-only lookups only,
 * as it belongs to the event loop that calls them.
 */
final class RootDirectory implements AutoCloseable {
    /** How paths are resolved: the kernel's openat2, or the portable walk. */
    enum Lookup {
        /** openat2 when the kernel has it, else the walk. */
        AUTO,
        /** The openat walk, whatever the kernel has (tests of the fallback). */
        WALK
    }

    /** Symlinks followed in one lookup before it is refused with ELOOP, as the kernel's limit. */
    private static final int MAX_SYMLINKS = 40;
    /** openat2 answers EAGAIN when a rename raced with a {@code ..} lookup; retried this many times. */
    private static final int MAX_EAGAIN_RETRIES = 16;
    /**
     * {@code RESOLVE_CACHED} of {@code include/uapi/linux/openat2.h} (Linux 5.12): the lookup is answered from the
     * dentry cache or fails with EAGAIN. Defined here because the transport's NativeFiles has no constant for it
     * yet (it exports the other RESOLVE_* flags from C); the uapi value is fixed.
     */
    static final int RESOLVE_CACHED = 0x20;
    private static final Charset FILE_NAMES =
            Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private static final FastThreadLocal<ByteBuffer> STATX = new FastThreadLocal<>() {
        @Override
        protected ByteBuffer initialValue() {
            return ByteBuffer.allocateDirect(NativeFiles.SIZEOF_STATX).order(ByteOrder.nativeOrder());
        }
    };

    private final Path path;
    private final int fd;
    private final boolean followSymlinks;
    private final boolean openat2;
    private final long resolveFlags;
    private final boolean procReopen;
    /** Whether the kernel takes RESOLVE_CACHED: without it no lookup can be answered on the loop. */
    private final boolean cachedLookups;
    /** {@code null} when files are not kept open between requests. */
    private final OpenFileCache cache;

    /**
     * An open regular file or directory, with its attributes read from the descriptor. The caller owns fd, or,
     * when it came from the open-file cache, one reference to {@code entry}: {@link #close} gives back either.
     */
    record OpenFile(int fd, FileAttributes attributes, OpenFileCache.Entry entry) {
        void close() {
            if (entry != null) {
                entry.release();
            } else {
                Native.close(fd);
            }
        }
    }

    /**
     * @param path           the served directory, a real path
     * @param followSymlinks whether symlinks that stay under the root are followed
     * @throws IOException naming the directory if it cannot be opened
     */
    RootDirectory(Path path, boolean followSymlinks, Lookup lookup) throws IOException {
        this(path, followSymlinks, lookup, null);
    }

    /**
     * @param cache where regular files looked up are kept open for the next requests; {@code null}: none
     */
    RootDirectory(Path path, boolean followSymlinks, Lookup lookup, OpenFileCache cache) throws IOException {
        this.path = path;
        this.cache = cache;
        this.followSymlinks = followSymlinks;
        int res = Native.open(path.toString(), NativeFiles.O_PATH | Native.O_DIRECTORY | Native.O_CLOEXEC, 0);
        if (res < 0) {
            throw Native.ioException("open(" + path + ", O_PATH | O_DIRECTORY)", res);
        }
        fd = res;
        resolveFlags = NativeFiles.RESOLVE_BENEATH | NativeFiles.RESOLVE_NO_MAGICLINKS
                | (followSymlinks ? 0 : NativeFiles.RESOLVE_NO_SYMLINKS);
        boolean kernelResolves = false;
        if (lookup == Lookup.AUTO) {
            int probe = NativeFiles.openat2(fd, ".", NativeFiles.O_PATH | Native.O_CLOEXEC, resolveFlags);
            if (probe >= 0) {
                Native.close(probe);
                kernelResolves = true;
            }
        }
        openat2 = kernelResolves;
        boolean cached = false;
        if (openat2) {
            // EINVAL before Linux 5.12: the flag is unknown there. The root's "." is always in the dentry cache.
            int probe = NativeFiles.openat2(fd, ".", NativeFiles.O_PATH | Native.O_CLOEXEC,
                    resolveFlags | RESOLVE_CACHED);
            if (probe >= 0) {
                Native.close(probe);
                cached = true;
            }
        }
        cachedLookups = cached;
        // A regular file is reopened for reading through its O_PATH descriptor's /proc/self/fd link, which names
        // the file itself, not a path to look up again. Without /proc, a second openat2 opens it for reading and
        // must find the same inode; a device swapped in between has then seen an open: the startup line says so.
        int self = NativeFiles.openat(fd, ".", NativeFiles.O_PATH | Native.O_CLOEXEC, 0);
        boolean proc = false;
        if (self >= 0) {
            int reopened = Native.open("/proc/self/fd/" + self, Native.O_RDONLY | Native.O_DIRECTORY
                    | Native.O_CLOEXEC, 0);
            proc = reopened >= 0;
            if (proc) {
                Native.close(reopened);
            }
            Native.close(self);
        }
        procReopen = proc;
        if (!procReopen && !openat2) {
            Native.close(fd);
            // An O_PATH descriptor found by the walk can only become readable through /proc.
            throw new IOException("serving " + path + " needs openat2 (Linux 5.6) or /proc mounted: neither is here");
        }
    }

    Path path() {
        return path;
    }

    boolean followSymlinks() {
        return followSymlinks;
    }

    /** For the startup line. */
    String describe() {
        return (openat2 ? "openat2(RESOLVE_BENEATH)" : "openat walk (no openat2)")
                + (cachedLookups ? ", RESOLVE_CACHED on the loop" : ", every lookup off the loop")
                + (procReopen ? "" : ", no /proc: files reopened by a second lookup");
    }

    /**
     * Opens the file or directory at {@code segments} under the root for serving: a regular file readable,
     * a directory listable.
     *
     * @param cachedOnly whether the lookup must be answered from memory (on an event loop): then the open-file cache
     *                   is used, and {@link NotCached} thrown for what would have to wait for the file system
     * @throws RequestRefusedException 404 when nothing is there, 403 for a path the rules refuse (outside the root,
     *                                 a refused symlink, permission denied, neither a regular file nor a
     *                                 directory), 503 when the server is out of descriptors
     * @throws NotCached               only when {@code cachedOnly}: nothing was opened; look it up blocking
     */
    OpenFile open(List<String> segments, boolean cachedOnly) throws RequestRefusedException, NotCached {
        String rel = relative(segments);
        if (cachedOnly && cache != null) {
            // Looked up under the same rules less than the cache's validity ago: no syscall at all.
            OpenFileCache.Entry hit = cache.get(rel);
            if (hit != null) {
                return new OpenFile(hit.fd(), hit.attributes(), hit);
            }
        }
        int pathFd = openPath(rel, cachedOnly);
        if (pathFd < 0) {
            throw refusal(pathFd, rel);
        }
        int readable = -1;
        try {
            FileAttributes attrs = stat(pathFd, rel);
            if (attrs.isDirectory()) {
                readable = NativeFiles.openat(pathFd, ".", Native.O_RDONLY | Native.O_DIRECTORY | Native.O_NONBLOCK
                        | Native.O_CLOEXEC, 0);
            } else if (!attrs.isRegularFile()) {
                // FIFOs, devices and sockets are never opened for reading: no blocking open, no driver open.
                throw new RequestRefusedException(HttpResponseStatus.FORBIDDEN,
                        rel + " is " + NativeFiles.describeFileType(attrs.type()));
            } else if (procReopen) {
                readable = Native.open("/proc/self/fd/" + pathFd, Native.O_RDONLY | Native.O_NONBLOCK
                        | NativeFiles.O_NOCTTY | Native.O_CLOEXEC, 0);
            } else {
                readable = reopenByLookup(rel, attrs, cachedOnly);
            }
            if (readable < 0) {
                throw refusal(readable, rel);
            }
            OpenFile result;
            // Only on the loop: the cache is the calling loop's, and its entries are confined to it.
            if (cachedOnly && cache != null && attrs.isRegularFile()) {
                OpenFileCache.Entry entry = cache.put(rel, readable, attrs);
                result = new OpenFile(readable, attrs, entry);
            } else {
                result = new OpenFile(readable, attrs, null);
            }
            readable = -1;
            return result;
        } finally {
            Native.close(pathFd);
            if (readable >= 0) {
                Native.close(readable);
            }
        }
    }

    /**
     * The attributes of entry {@code name} of the directory open as {@code dirFd}, which was looked up as
     * {@code dirSegments}, for its listing: those of the entry itself, or of what a symlink leads to under the
     * rules of {@link #open}; {@code null} for an entry a request would not be served (a refused or dangling
     * symlink, neither a regular file nor a directory, gone meanwhile). Blocking: off the event loop only.
     */
    FileAttributes listedEntry(int dirFd, List<String> dirSegments, String name) {
        ByteBuffer statx = STATX.get();
        long address = Buffer.memoryAddress(statx);
        if (NativeFiles.statxAt(dirFd, name, NativeFiles.AT_SYMLINK_NOFOLLOW, NativeFiles.STATX_BASIC_STATS,
                address) < 0) {
            return null;
        }
        FileAttributes attrs = attributes(statx);
        if (attrs.type() == NativeFiles.S_IFLNK) {
            if (!followSymlinks) {
                return null;
            }
            String rel = dirSegments.isEmpty() ? name : relative(dirSegments) + '/' + name;
            int target;
            try {
                target = openPath(rel, false);
            } catch (NotCached e) {
                throw new IllegalStateException(e); // a blocking lookup never throws it
            }
            if (target < 0) {
                return null;
            }
            try {
                attrs = NativeFiles.fstatx(target, NativeFiles.STATX_BASIC_STATS, address) < 0
                        ? null : attributes(statx);
            } finally {
                Native.close(target);
            }
        }
        return attrs != null && (attrs.isRegularFile() || attrs.isDirectory()) ? attrs : null;
    }

    /** The attributes of an open descriptor; {@code what} names it in the exception. */
    FileAttributes stat(int fd, String what) throws RequestRefusedException {
        ByteBuffer statx = STATX.get();
        int res = NativeFiles.fstatx(fd, NativeFiles.STATX_BASIC_STATS, Buffer.memoryAddress(statx));
        if (res < 0) {
            throw refusal(res, what);
        }
        return attributes(statx);
    }

    private static FileAttributes attributes(ByteBuffer statx) {
        return new FileAttributes(statx.getShort(NativeFiles.STATX_MODE_OFFSET) & NativeFiles.S_IFMT,
                statx.getLong(NativeFiles.STATX_SIZE_OFFSET),
                statx.getLong(NativeFiles.STATX_MTIME_OFFSET + NativeFiles.STATX_TIMESTAMP_SEC_OFFSET),
                statx.getInt(NativeFiles.STATX_MTIME_OFFSET + NativeFiles.STATX_TIMESTAMP_NSEC_OFFSET),
                statx.getLong(NativeFiles.STATX_INO_OFFSET));
    }

    /**
     * An O_PATH descriptor of {@code rel} (relative to the root, {@code "."} for it), or -errno.
     *
     * @throws NotCached when {@code cachedOnly} and the answer is not in the dentry cache, or needs the walk
     */
    private int openPath(String rel, boolean cachedOnly) throws NotCached {
        if (cachedOnly && !cachedLookups) {
            // The walk, or a kernel without RESOLVE_CACHED: no lookup can be known not to wait.
            throw NotCached.INSTANCE;
        }
        if (!openat2) {
            return walk(rel);
        }
        int res;
        if (cachedOnly) {
            // EAGAIN: a component is not in the dentry cache (or a rename raced): the blocking lookup retries.
            res = NativeFiles.openat2(fd, rel, NativeFiles.O_PATH | Native.O_CLOEXEC, resolveFlags | RESOLVE_CACHED);
            if (res == -Native.EAGAIN) {
                throw NotCached.INSTANCE;
            }
        } else {
            int tries = 0;
            do {
                res = NativeFiles.openat2(fd, rel, NativeFiles.O_PATH | Native.O_CLOEXEC, resolveFlags);
            } while (res == -Native.EAGAIN && ++tries < MAX_EAGAIN_RETRIES);
        }
        // EXDEV: a ".." above the root, or an absolute symlink, which RESOLVE_BENEATH never follows. An absolute
        // symlink to a place under the root's own path is served, as it always was: the walk maps it back.
        if (res == -Native.EXDEV && followSymlinks) {
            if (cachedOnly) {
                throw NotCached.INSTANCE;
            }
            return walk(rel);
        }
        return res;
    }

    /** Without /proc: a second lookup, opening for reading, accepted only if it found the same regular file. */
    private int reopenByLookup(String rel, FileAttributes expected, boolean cachedOnly)
            throws RequestRefusedException, NotCached {
        int res = NativeFiles.openat2(fd, rel, Native.O_RDONLY | Native.O_NONBLOCK | NativeFiles.O_NOCTTY
                | Native.O_CLOEXEC, resolveFlags | (cachedOnly ? RESOLVE_CACHED : 0));
        if (res == -Native.EAGAIN && cachedOnly) {
            throw NotCached.INSTANCE;
        }
        if (res >= 0) {
            FileAttributes now = stat(res, rel);
            if (!now.isRegularFile() || now.inode() != expected.inode()) {
                Native.close(res);
                throw new RequestRefusedException(HttpResponseStatus.NOT_FOUND, rel + " changed during the lookup");
            }
        }
        return res;
    }

    /**
     * The portable lookup: one {@code openat(O_PATH | O_NOFOLLOW)} per component from the root descriptor,
     * with the rules openat2 applies: a symlink is read and its target walked in place of it (refused when
     * absolute, as under RESOLVE_BENEATH, or when symlinks are refused); {@code ..} goes back to the descriptor of
     * the directory held before, and is refused at the root. Returns an O_PATH descriptor or -errno.
     */
    private int walk(String rel) {
        ArrayDeque<String> todo = new ArrayDeque<>();
        pushComponents(todo, rel);
        ArrayDeque<Integer> parents = new ArrayDeque<>();
        int current = fd;
        int symlinks = 0;
        int result = 0;
        try {
            while (!todo.isEmpty()) {
                String c = todo.pollFirst();
                if (c.isEmpty() || c.equals(".")) {
                    continue;
                }
                if (c.equals("..")) {
                    if (parents.isEmpty()) {
                        return -Native.EXDEV;
                    }
                    Native.close(current);
                    current = parents.pop();
                    continue;
                }
                int next = NativeFiles.openat(current, c, NativeFiles.O_PATH | NativeFiles.O_NOFOLLOW
                        | Native.O_CLOEXEC, 0);
                if (next < 0) {
                    return next;
                }
                ByteBuffer statx = STATX.get();
                int res = NativeFiles.fstatx(next, NativeFiles.STATX_TYPE, Buffer.memoryAddress(statx));
                int type = statx.getShort(NativeFiles.STATX_MODE_OFFSET) & NativeFiles.S_IFMT;
                if (res < 0 || type == NativeFiles.S_IFLNK) {
                    byte[] target = null;
                    int[] negativeErrno = {res};
                    if (res >= 0 && followSymlinks && ++symlinks <= MAX_SYMLINKS) {
                        target = NativeFiles.readlinkat(next, "", negativeErrno);
                    }
                    Native.close(next);
                    if (res < 0 || target == null) {
                        return res < 0 ? res : negativeErrno[0] < 0 ? negativeErrno[0] : -Native.ELOOP;
                    }
                    String link = new String(target, FILE_NAMES);
                    if (link.startsWith("/")) {
                        // Absolute: followed only to a place under the root's path, walked from the root
                        // descriptor (the root's path itself is never looked up again).
                        String under = underRoot(link);
                        if (under == null) {
                            return -Native.EXDEV;
                        }
                        for (int p : parents) {
                            if (p != fd) {
                                Native.close(p);
                            }
                        }
                        parents.clear();
                        if (current != fd) {
                            Native.close(current);
                        }
                        current = fd;
                        link = under;
                    }
                    pushComponents(todo, link);
                    continue;
                }
                if (!todo.isEmpty() && type != NativeFiles.S_IFDIR) {
                    Native.close(next);
                    return -Native.ENOTDIR;
                }
                parents.push(current);
                current = next;
            }
            if (current == fd) {
                return NativeFiles.openat(fd, ".", NativeFiles.O_PATH | Native.O_CLOEXEC, 0);
            }
            result = current;
            current = fd;
            return result;
        } finally {
            if (current != fd) {
                Native.close(current);
            }
            for (int p : parents) {
                if (p != fd) {
                    Native.close(p);
                }
            }
        }
    }

    /** {@code absolute} relative to the root's path ("" for the root), or null if it is not under it. */
    private String underRoot(String absolute) {
        String rootPath = path.toString();
        if (absolute.equals(rootPath) || rootPath.equals("/")) {
            return absolute.equals(rootPath) ? "" : absolute.substring(1);
        }
        return absolute.startsWith(rootPath + '/') ? absolute.substring(rootPath.length() + 1) : null;
    }

    /** Puts the components of {@code path} at the front of {@code todo}, in order. */
    private static void pushComponents(ArrayDeque<String> todo, String path) {
        int end = path.length();
        while (end >= 0) {
            int slash = path.lastIndexOf('/', end - 1);
            todo.addFirst(path.substring(slash + 1, end));
            if (slash < 0) {
                break;
            }
            end = slash;
        }
    }

    private static String relative(List<String> segments) {
        return segments.isEmpty() ? "." : String.join("/", segments);
    }

    private static RequestRefusedException refusal(int negativeErrno, String rel) {
        String why = rel + ": " + Native.describeResult(negativeErrno);
        HttpResponseStatus status;
        if (negativeErrno == -Native.ENOENT || negativeErrno == -Native.ENOTDIR
                || negativeErrno == -Native.ENAMETOOLONG) {
            status = HttpResponseStatus.NOT_FOUND;
        } else if (negativeErrno == -Native.EMFILE || negativeErrno == -Native.ENFILE
                || negativeErrno == -Native.ENOMEM) {
            status = HttpResponseStatus.SERVICE_UNAVAILABLE;
        } else if (negativeErrno == -Native.EXDEV) {
            status = HttpResponseStatus.FORBIDDEN;
            why = rel + ": leads outside the root";
        } else if (negativeErrno == -Native.ELOOP) {
            status = HttpResponseStatus.FORBIDDEN;
            why = rel + ": a symlink refused (or too many levels of them)";
        } else if (negativeErrno == -Native.EACCES || negativeErrno == -Native.EPERM) {
            status = HttpResponseStatus.FORBIDDEN;
        } else {
            status = HttpResponseStatus.NOT_FOUND;
        }
        return new RequestRefusedException(status, why);
    }

    @Override
    public void close() {
        Native.close(fd);
    }

    /**
     * A cached-only lookup that could not be answered from memory; nothing it opened is left open. One shared
     * instance without a stack trace: it is control flow, thrown on every cold lookup.
     */
    static final class NotCached extends Exception {
        private static final long serialVersionUID = 1L;
        static final NotCached INSTANCE = new NotCached();

        private NotCached() {
            super("not in the dentry cache", null, false, false);
        }
    }
}

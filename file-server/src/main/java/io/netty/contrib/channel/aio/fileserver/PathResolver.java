/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Maps a request-target to a file under the served root, refusing everything that could reach outside it.
 *
 * <p>The raw path (query dropped) is split on {@code /} <em>before</em> percent-decoding, so an encoded slash can
 * never create a separator; each segment is then decoded as strict UTF-8 (a malformed escape or an overlong or
 * otherwise invalid UTF-8 sequence is a 400, never a "best effort" character). A request is refused with 403 when a
 * decoded segment is {@code .} or {@code ..}, or contains {@code /}, {@code \} or NUL, or when the raw target
 * contains a backslash or a NUL; a segment starting with {@code .} (a dot-file: {@code .git}, {@code .env}) is a
 * 404 unless dot-files are allowed. Empty segments ({@code //}) are skipped. The segments are then opened by the
 * {@link RootDirectory}, relative to its descriptor, which refuses every way out of the root and opens only
 * regular files and directories: what is served is the descriptor that was checked.
 *
 * <p>Immutable and thread-safe. Each method takes {@code cachedOnly}: {@code true} on an event loop, where a lookup
 * is answered from memory or throws {@link RootDirectory.NotCached}; {@code false} elsewhere, where it blocks the
 * calling thread for as long as the file system takes (see {@link RootDirectory}).
 */
final class PathResolver {
    private final RootDirectory root;
    private final boolean allowDotfiles;

    PathResolver(RootDirectory root, boolean allowDotfiles) {
        this.root = root;
        this.allowDotfiles = allowDotfiles;
    }

    RootDirectory root() {
        return root;
    }

    /**
     * A request-target resolved to a regular file or directory under the root, open. The holder owns the
     * descriptor: it hands it to a body (which then owns it) or calls {@link #close}.
     */
    static final class Resolved {
        private final RootDirectory.OpenFile file;
        private final List<String> segments;
        private final boolean trailingSlash;
        private boolean owned = true;
        /** Whether a lookup thread found none of the file's pages in the page cache ({@link #markUncached}). */
        private boolean uncached;

        Resolved(RootDirectory.OpenFile file, List<String> segments, boolean trailingSlash) {
            this.file = file;
            this.segments = segments;
            this.trailingSlash = trailingSlash;
        }

        /** The open descriptor: readable for a regular file, listable for a directory. */
        int fd() {
            return file.fd();
        }

        /**
         * The open-file cache's entry the descriptor belongs to, or {@code null} when the holder owns the
         * descriptor itself. A body that takes over a cached descriptor ({@link #transfer}) takes over a
         * reference to this entry, and releases it instead of closing the descriptor.
         */
        OpenFileCache.Entry cacheEntry() {
            return file.entry();
        }

        /**
         * Asks cachestat(2) whether any page of a non-empty regular file is in the page cache, and remembers a
         * "none": called by the lookup threads, which found the file's dentry cold, so that its data is likely cold
         * too, and for which the syscall costs the loop nothing. The loop then reads it with {@code O_DIRECT} from
         * the start, instead of first asking the page cache with {@code RWF_NOWAIT}, whose miss also starts the
         * kernel's readahead of the same blocks (a second disk read, and a second device kick on the loop).
         */
        void markUncached() {
            FileAttributes a = file.attributes();
            if (a.isRegularFile() && a.size() > 0
                    && NativeFiles.cachestat(fd(), 0, 0) == 0) {
                uncached = true;
            }
        }

        /** Whether {@link #markUncached} found no page of the file cached. */
        boolean uncached() {
            return uncached;
        }

        /** The attributes of {@link #fd()}, read from it. */
        FileAttributes attributes() {
            return file.attributes();
        }

        /** The decoded path segments as requested, empty for the root. */
        List<String> segments() {
            return segments;
        }

        /** The last segment, the name a content type is chosen by; empty for the root. */
        String name() {
            return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
        }

        /** Whether the request's path ended with {@code /}. */
        boolean trailingSlash() {
            return trailingSlash;
        }

        /** Gives up ownership of {@link #fd()} (now a body's): {@link #close} will leave it open. */
        int transfer() {
            owned = false;
            return file.fd();
        }

        /** Closes the descriptor unless {@link #transfer}red. Idempotent. */
        void close() {
            if (owned) {
                owned = false;
                file.close();
            }
        }

        /** The canonical request path for these segments, re-encoded; ends with {@code /} when asked. */
        String canonicalPath(boolean withTrailingSlash) {
            StringBuilder sb = new StringBuilder();
            for (String s : segments) {
                sb.append('/');
                UriEncoding.appendEncodedSegment(sb, s);
            }
            if (withTrailingSlash || sb.length() == 0) {
                sb.append('/');
            }
            return sb.toString();
        }
    }

    /**
     * Resolves and opens a request-target (origin-form {@code /a/b?q} or absolute-form {@code http://host/a/b}).
     *
     * @throws RequestRefusedException 400 for a malformed target, 403 for a refused one, 404 when nothing is there,
     *                                 503 when out of descriptors
     */
    Resolved resolve(String target) throws RequestRefusedException {
        try {
            return resolve(target, false);
        } catch (RootDirectory.NotCached e) {
            throw new IllegalStateException(e); // a blocking lookup never throws it
        }
    }

    /** As {@link #resolve(String)}; {@code cachedOnly}: answered from memory or {@link RootDirectory.NotCached}. */
    Resolved resolve(String target, boolean cachedOnly) throws RequestRefusedException, RootDirectory.NotCached {
        String path = rawPath(target);
        if (path.indexOf('\\') >= 0) {
            throw new RequestRefusedException(HttpResponseStatus.FORBIDDEN, "backslash in path");
        }
        if (path.indexOf('\0') >= 0) {
            throw new RequestRefusedException(HttpResponseStatus.FORBIDDEN, "NUL in path");
        }
        List<String> segments = new ArrayList<>();
        int start = 1;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            if (end > start) {
                segments.add(checkSegment(decodeSegment(path, start, end)));
            }
            start = end + 1;
        }
        List<String> fixed = Collections.unmodifiableList(segments);
        return new Resolved(root.open(fixed, cachedOnly), fixed, path.endsWith("/"));
    }

    /**
     * Resolves and opens the file {@code name} in a directory already resolved, as a request for it would be.
     *
     * @param name a single file name, one that {@link #isEntryName} accepts
     * @throws RequestRefusedException 403 for a refused file, 404 when nothing is there
     */
    Resolved resolveIn(Resolved directory, String name, boolean cachedOnly)
            throws RequestRefusedException, RootDirectory.NotCached {
        List<String> segments = new ArrayList<>(directory.segments());
        segments.add(checkSegment(name));
        List<String> fixed = Collections.unmodifiableList(segments);
        return new Resolved(root.open(fixed, cachedOnly), fixed, false);
    }

    /**
     * Opens the sibling of a regular file already resolved whose name is the file's with {@code suffix} appended
     * ({@code f.gz} for {@code f}), under the same rules as a request for it.
     *
     * @throws RequestRefusedException 403 for a refused file, 404 when nothing is there
     */
    Resolved resolveSibling(Resolved file, String suffix, boolean cachedOnly)
            throws RequestRefusedException, RootDirectory.NotCached {
        List<String> segments = new ArrayList<>(file.segments());
        int last = segments.size() - 1;
        segments.set(last, checkSegment(segments.get(last) + suffix));
        List<String> fixed = Collections.unmodifiableList(segments);
        return new Resolved(root.open(fixed, cachedOnly), fixed, false);
    }

    /**
     * Whether a directory entry's name may be shown in a listing: a request for it would not be refused for its
     * name (no backslash, not a dot-file unless allowed).
     */
    boolean isListableName(String name) {
        return isEntryName(name) && (allowDotfiles || name.charAt(0) != '.');
    }

    private static String rawPath(String target) throws RequestRefusedException {
        String t = target;
        if (!t.startsWith("/")) {
            // absolute-form, which HTTP/1.1 servers must accept: keep what follows the authority.
            int scheme = t.indexOf("://");
            if (scheme <= 0 || !t.regionMatches(true, 0, "http", 0, 4)) {
                throw new RequestRefusedException(HttpResponseStatus.BAD_REQUEST, "not a path: " + t);
            }
            int slash = t.indexOf('/', scheme + 3);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int end = t.length();
        int q = t.indexOf('?');
        if (q >= 0) {
            end = q;
        }
        int h = t.indexOf('#');
        if (h >= 0 && h < end) {
            end = h;
        }
        return t.substring(0, end);
    }

    /**
     * Percent-decodes {@code path[start, end)} as strict UTF-8. Netty hands over the request line one char per
     * byte (ISO-8859-1), so a char up to U+00FF stands for the byte of that value: a client that sends raw UTF-8
     * instead of escapes is decoded the same way as one that escapes.
     */
    private static String decodeSegment(String path, int start, int end) throws RequestRefusedException {
        boolean plain = true;
        for (int i = start; i < end && plain; i++) {
            char c = path.charAt(i);
            plain = c != '%' && c < 0x80;
        }
        if (plain) {
            return path.substring(start, end);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            if (c == '%') {
                int hi = i + 2 < end ? Character.digit(path.charAt(i + 1), 16) : -1;
                int lo = i + 2 < end ? Character.digit(path.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new RequestRefusedException(HttpResponseStatus.BAD_REQUEST, "malformed percent-escape");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c <= 0xff) {
                bytes.write(c);
            } else {
                throw new RequestRefusedException(HttpResponseStatus.BAD_REQUEST, "non-byte character in path");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RequestRefusedException(HttpResponseStatus.BAD_REQUEST, "path is not valid UTF-8");
        }
    }

    /**
     * Whether {@code name} can stand for one entry of a directory in a request path: not empty, not {@code .} or
     * {@code ..}, and without {@code /}, {@code \} or NUL (what {@link #resolve} refuses in a decoded segment).
     */
    static boolean isEntryName(String name) {
        return !name.isEmpty() && !isDotSegment(name) && !hasSeparatorOrNul(name);
    }

    private String checkSegment(String s) throws RequestRefusedException {
        if (isDotSegment(s)) {
            throw new RequestRefusedException(HttpResponseStatus.FORBIDDEN, "dot segment in path");
        }
        if (hasSeparatorOrNul(s)) {
            throw new RequestRefusedException(HttpResponseStatus.FORBIDDEN, "encoded '/', '\\' or NUL in path");
        }
        if (!allowDotfiles && s.charAt(0) == '.') {
            throw new RequestRefusedException(HttpResponseStatus.NOT_FOUND, "dot-file: " + s);
        }
        return s;
    }

    private static boolean isDotSegment(String s) {
        return s.equals(".") || s.equals("..");
    }

    private static boolean hasSeparatorOrNul(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '\\' || c == '\0') {
                return true;
            }
        }
        return false;
    }
}

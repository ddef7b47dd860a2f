/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
 * contains a backslash or a NUL. Empty segments ({@code //}) are skipped. The file found is then checked
 * against the real (symlink-free) root: a symlink anywhere on the way that leads outside the root is a 403; with
 * symlinks refused altogether, any symlink on the way is a 403.
 *
 * <p>Immutable and thread-safe. It touches the file system (stat, readlink) and so blocks the calling thread for
 * as long as those take, like any static file server's lookup.
 */
final class PathResolver {
    private final Path root;
    private final boolean followSymlinks;

    /**
     * @param root           the served directory; must already be a real path (see {@link Path#toRealPath})
     * @param followSymlinks whether symlinks that stay inside the root are served
     */
    PathResolver(Path root, boolean followSymlinks) {
        this.root = root;
        this.followSymlinks = followSymlinks;
    }

    Path root() {
        return root;
    }

    boolean followSymlinks() {
        return followSymlinks;
    }

    /** A request-target resolved to an existing file or directory under the root. */
    static final class Resolved {
        private final Path file;
        private final BasicFileAttributes attributes;
        private final List<String> segments;
        private final boolean trailingSlash;

        Resolved(Path file, BasicFileAttributes attributes, List<String> segments, boolean trailingSlash) {
            this.file = file;
            this.attributes = attributes;
            this.segments = segments;
            this.trailingSlash = trailingSlash;
        }

        /** The real path of the file or directory (no symlinks in it). */
        Path file() {
            return file;
        }

        /** The attributes of {@link #file()}, read while resolving. */
        BasicFileAttributes attributes() {
            return attributes;
        }

        /** The decoded path segments as requested, empty for the root. */
        List<String> segments() {
            return segments;
        }

        /** Whether the request's path ended with {@code /}. */
        boolean trailingSlash() {
            return trailingSlash;
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
     * Resolves a request-target (origin-form {@code /a/b?q} or absolute-form {@code http://host/a/b}).
     *
     * @throws RequestRefusedException 400 for a malformed target, 403 for a refused one, 404 when nothing is there
     */
    Resolved resolve(String target) throws RequestRefusedException {
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
        return lookup(root, segments, segments, path.endsWith("/"));
    }

    /**
     * Resolves the file {@code name} in a directory already resolved, as a request for it would be: the same
     * symlink and root checks. The directory's own path is not looked up again: its real path is known.
     *
     * @param name a single file name, one that {@link #isEntryName} accepts
     * @throws RequestRefusedException 403 for a refused file, 404 when nothing is there
     */
    Resolved resolveIn(Resolved directory, String name) throws RequestRefusedException {
        List<String> segments = new ArrayList<>(directory.segments());
        segments.add(name);
        return lookup(directory.file(), List.of(name), segments, false);
    }

    /**
     * Walks {@code walk} down from {@code base}, a real path inside the root; {@code segments} are the request's,
     * for the result.
     */
    private Resolved lookup(Path base, List<String> walk, List<String> segments, boolean trailingSlash)
            throws RequestRefusedException {
        // One lstat per segment below the (real) base: while none is a symlink, the path is its own real path and
        // the last lstat has the attributes. Only a symlink on the way needs realpath(3), whose readlink of every
        // component from / is what a lookup would otherwise cost.
        Path candidate = base;
        Path real;
        BasicFileAttributes attrs;
        try {
            attrs = walk.isEmpty() ? Files.readAttributes(base, BasicFileAttributes.class) : null;
            boolean symlink = false;
            for (String s : walk) {
                candidate = candidate.resolve(s);
                if (!symlink) {
                    attrs = Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    symlink = attrs.isSymbolicLink();
                    if (symlink && !followSymlinks) {
                        throw new RequestRefusedException(HttpResponseStatus.FORBIDDEN, "symlink refused: " + candidate);
                    }
                }
            }
            real = candidate;
            if (symlink) {
                real = candidate.toRealPath();
                attrs = Files.readAttributes(real, BasicFileAttributes.class);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw new RequestRefusedException(HttpResponseStatus.NOT_FOUND, "no such file: " + candidate);
        } catch (AccessDeniedException e) {
            throw new RequestRefusedException(HttpResponseStatus.FORBIDDEN, "permission denied: " + candidate);
        } catch (IOException e) {
            // ELOOP, ENAMETOOLONG and the like: nothing servable there.
            throw new RequestRefusedException(HttpResponseStatus.NOT_FOUND, e.toString());
        }
        if (!real.startsWith(root)) {
            throw new RequestRefusedException(HttpResponseStatus.FORBIDDEN, "outside the root: " + real);
        }
        return new Resolved(real, attrs, Collections.unmodifiableList(segments), trailingSlash);
    }

    /**
     * Whether a directory entry may be shown in a listing: a request for it would be served, so it resolves to
     * something inside the root and its name has no backslash.
     */
    boolean isListable(Path entry) {
        if (entry.getFileName().toString().indexOf('\\') >= 0) {
            return false;
        }
        if (!Files.isSymbolicLink(entry)) {
            return true;
        }
        if (!followSymlinks) {
            return false;
        }
        try {
            return entry.toRealPath().startsWith(root);
        } catch (IOException e) {
            return false;
        }
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

    private static String checkSegment(String s) throws RequestRefusedException {
        if (isDotSegment(s)) {
            throw new RequestRefusedException(HttpResponseStatus.FORBIDDEN, "dot segment in path");
        }
        if (hasSeparatorOrNul(s)) {
            throw new RequestRefusedException(HttpResponseStatus.FORBIDDEN, "encoded '/', '\\' or NUL in path");
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

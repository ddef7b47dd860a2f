/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;

/**
 * Every lookup one GET or HEAD needs, made before anything is answered: the request-target, then for a directory
 * its index file, then for a file its precompressed sibling, and for a listing the directory's entries. What it
 * finds is open here (the descriptors checked are the ones served) and says which response to send.
 *
 * <p>Made in one of two modes ({@link RootDirectory}): {@link #onLoop} answers from memory or throws
 * {@link RootDirectory.NotCached} having closed what it opened (a listing always throws it: reading a directory may
 * wait for the disk); {@link #blocking} makes the same lookups on a {@link LookupPool} thread, in the same order
 * under the same rules, so a request is answered the same whichever thread looked it up.
 *
 * <p>Ownership: the instance owns its descriptors from its creation to {@link #close}, which closes those not
 * taken over by a body. Confined to one thread at a time: made on the loop or a pool thread, then handed to the
 * channel's event loop, which uses and closes it.
 */
final class RequestLookup {
    /** Which response the lookups call for. */
    enum Outcome {
        /** {@link #file()}: a regular file (the target, its index file, or a precompressed sibling of either). */
        FILE,
        /** 301 to {@link #target()}'s path with a trailing slash. */
        REDIRECT,
        /** The listing of {@link #target()}: {@link #listing()} for GET, nothing read for HEAD. */
        LISTING,
        /** {@link #refusal()}, a 4xx or 5xx. */
        REFUSED
    }

    private Outcome outcome;
    private PathResolver.Resolved target;
    private PathResolver.Resolved index;
    private PathResolver.Resolved sibling;
    private PathResolver.Resolved file;
    private String contentName;
    private ContentCodings.Coding coding;
    private RequestRefusedException refusal;
    private DirectoryListing.Contents listing;

    private RequestLookup() {
    }

    /**
     * On the event loop: the lookups, answered from the dentry cache (and the open-file cache).
     *
     * @throws RootDirectory.NotCached when one of them would wait for the file system, or a GET lists a directory;
     *                                 nothing stays open
     */
    static RequestLookup onLoop(FileServer server, String uri, String acceptEncoding, boolean head)
            throws RootDirectory.NotCached {
        try {
            return make(server, uri, acceptEncoding, head, true);
        } catch (IOException e) {
            throw new IllegalStateException(e); // only a listing reads, and it is never read on the loop
        }
    }

    /**
     * Off the event loop: the same lookups, blocking the calling thread as long as the file system takes.
     *
     * @throws IOException when reading a directory for its listing fails
     */
    static RequestLookup blocking(FileServer server, String uri, String acceptEncoding, boolean head)
            throws IOException {
        try {
            return make(server, uri, acceptEncoding, head, false);
        } catch (RootDirectory.NotCached e) {
            throw new IllegalStateException(e); // a blocking lookup never throws it
        }
    }

    private static RequestLookup make(FileServer server, String uri, String acceptEncoding, boolean head,
                                      boolean cachedOnly) throws RootDirectory.NotCached, IOException {
        RequestLookup l = new RequestLookup();
        boolean done = false;
        try {
            l.lookUp(server, uri, acceptEncoding, head, cachedOnly);
            if (!cachedOnly && l.outcome == Outcome.FILE) {
                // Off the loop, where the file's dentry was cold: see Resolved.markUncached.
                l.file.markUncached();
            }
            done = true;
            return l;
        } finally {
            if (!done) {
                l.close();
            }
        }
    }

    private void lookUp(FileServer server, String uri, String acceptEncoding, boolean head, boolean cachedOnly)
            throws RootDirectory.NotCached, IOException {
        PathResolver resolver = server.resolver();
        try {
            target = resolver.resolve(uri, cachedOnly);
        } catch (RequestRefusedException e) {
            refuse(e);
            return;
        }
        if (!target.attributes().isDirectory()) {
            choose(server, target, acceptEncoding, cachedOnly);
            return;
        }
        if (!target.trailingSlash()) {
            outcome = Outcome.REDIRECT;
            return;
        }
        String indexFile = server.config().indexFile();
        if (indexFile != null) {
            try {
                index = resolver.resolveIn(target, indexFile, cachedOnly);
            } catch (RequestRefusedException e) {
                if (!HttpResponseStatus.NOT_FOUND.equals(e.status())) {
                    // There, but a request for it would be refused: so is the directory's.
                    refuse(e);
                    return;
                }
            }
            if (index != null && index.attributes().isRegularFile()) {
                choose(server, index, acceptEncoding, cachedOnly);
                return;
            }
        }
        outcome = Outcome.LISTING;
        if (!head) {
            if (cachedOnly) {
                // getdents64 and the statx of each entry have no cached-only mode.
                throw RootDirectory.NotCached.INSTANCE;
            }
            listing = DirectoryListing.read(resolver.root(), resolver, target.fd(), target.segments(),
                    server.config().maxListingEntries());
        }
    }

    /**
     * Serves {@code resolved}, or with {@code --precompressed} its {@code .br} or {@code .gz} sibling when the
     * client accepts that coding and the sibling is there (a regular file a request for it would be served): the
     * sibling's bytes, ranges and validators, the requested file's content type.
     */
    private void choose(FileServer server, PathResolver.Resolved resolved, String acceptEncoding,
                        boolean cachedOnly) throws RootDirectory.NotCached {
        outcome = Outcome.FILE;
        file = resolved;
        contentName = resolved.name();
        if (!server.config().precompressed()) {
            return;
        }
        for (ContentCodings.Coding c : ContentCodings.acceptable(acceptEncoding)) {
            PathResolver.Resolved s;
            try {
                s = server.resolver().resolveSibling(resolved, c.suffix, cachedOnly);
            } catch (RequestRefusedException e) {
                continue;
            }
            if (s.attributes().isRegularFile()) {
                sibling = s;
                file = s;
                coding = c;
                return;
            }
            s.close();
        }
    }

    private void refuse(RequestRefusedException e) {
        outcome = Outcome.REFUSED;
        refusal = e;
    }

    Outcome outcome() {
        return outcome;
    }

    /** The request-target, open; {@code null} when {@link Outcome#REFUSED}. */
    PathResolver.Resolved target() {
        return target;
    }

    /** The regular file to serve ({@link Outcome#FILE}). */
    PathResolver.Resolved file() {
        return file;
    }

    /** The name the content type is chosen by: the requested file's (or index file's), also for a sibling. */
    String contentName() {
        return contentName;
    }

    /** The content coding of {@link #file()}'s bytes, {@code null} for none. */
    ContentCodings.Coding coding() {
        return coding;
    }

    /** Why the request is refused ({@link Outcome#REFUSED}). */
    RequestRefusedException refusal() {
        return refusal;
    }

    /** The directory's entries ({@link Outcome#LISTING} for GET). */
    DirectoryListing.Contents listing() {
        return listing;
    }

    /**
     * Closes every descriptor still owned (a body that took one over owns it). Idempotent. On the thread that has
     * the instance; one made on the loop may hold open-file cache entries, which only that loop may release.
     */
    void close() {
        if (sibling != null) {
            sibling.close();
        }
        if (index != null) {
            index.close();
        }
        if (target != null) {
            target.close();
        }
    }
}

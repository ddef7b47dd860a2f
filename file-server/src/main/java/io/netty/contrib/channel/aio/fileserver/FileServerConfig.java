/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server is started with (the command line, validated). Immutable.
 *
 * @param root              served directory, a real path
 * @param bind              address to listen on
 * @param port              port to listen on, 0 for an ephemeral one
 * @param transport         the transport, available
 * @param threads           event loop threads, 0 for Netty's default (twice the processors)
 * @param readAhead         AIO reads kept in flight ahead of the socket per response (aio only)
 * @param chunkSize         bytes per AIO read (aio only)
 * @param directIoThreshold files at least this large are read with O_DIRECT, bypassing the page cache; -1 never
 *                          (aio only)
 * @param sendfileThreshold files at least this large whose pages are all in the page cache are sent with
 *                          sendfile instead of AIO reads; -1 never (aio only)
 * @param accessLog         whether one line per response goes to standard output
 * @param followSymlinks    whether symlinks that stay inside the root are served
 * @param indexFile         the file served for a directory that holds it (as a regular file), instead of its
 *                          listing; {@code null} always lists
 * @param idleTimeout       a connection is closed when a request head takes longer than this to arrive, or a
 *                          response makes no progress for this long
 * @param shutdownTimeout   how long in-flight responses may take to finish on shutdown
 * @param allowDotfiles     whether names starting with {@code .} are served and listed
 * @param maxConnections    connections open at once; beyond, a new one gets a 503 and is closed
 * @param minSendRate       bytes per second a client must read, on average over {@code sendRateWindow} of the
 *                          server waiting on it, or its connection is closed; -1 for no minimum
 * @param sendRateWindow    the time over which the send rate is averaged
 * @param maxListingEntries entries a directory listing shows at most
 * @param lookup            how paths are resolved under the root (the walk only to test it)
 * @param tls               TLS (HTTPS, with HTTP/2 by ALPN), or {@code null} for cleartext HTTP/1.1 and h2c
 * @param http2MaxStreams   concurrent streams an HTTP/2 client may open on one connection
 * @param http2ResponseMemory bytes of buffers the responses of one HTTP/2 connection may hold at once; streams
 *                          beyond wait their turn holding no file or buffer
 * @param openFileCache     regular files kept open per event loop between requests; 0 for none
 * @param openFileCacheValid how long a kept file is served before it is looked up again
 * @param openFileCacheContent bytes of small files' contents the open-file cache keeps in memory, all loops
 *                          together; 0 for none
 * @param precompressed     whether {@code f.br} and {@code f.gz} are served for {@code f} to clients accepting them
 * @param lookupThreads     threads that make the lookups an event loop cannot answer from the dentry cache
 * @param lookupQueue       such lookups waiting for a thread at most; beyond, a request is answered 503
 */
record FileServerConfig(Path root, String bind, int port, ServerTransport transport, int threads, int readAhead,
                        int chunkSize, long directIoThreshold, long sendfileThreshold, boolean accessLog,
                        boolean followSymlinks, String indexFile, Duration idleTimeout, Duration shutdownTimeout,
                        boolean allowDotfiles, int maxConnections, long minSendRate, Duration sendRateWindow,
                        int maxListingEntries, RootDirectory.Lookup lookup, ServerTls tls, int http2MaxStreams,
                        long http2ResponseMemory, int openFileCache, Duration openFileCacheValid, long openFileCacheContent, boolean precompressed, int lookupThreads,
                        int lookupQueue) {

    FileServerConfig withTransport(ServerTransport t) {
        return new FileServerConfig(root, bind, port, t, threads, readAhead, chunkSize, directIoThreshold,
                sendfileThreshold, accessLog, followSymlinks, indexFile, idleTimeout, shutdownTimeout, allowDotfiles,
                maxConnections, minSendRate, sendRateWindow, maxListingEntries, lookup, tls, http2MaxStreams,
                http2ResponseMemory, openFileCache, openFileCacheValid, openFileCacheContent, precompressed, lookupThreads, lookupQueue);
    }
}

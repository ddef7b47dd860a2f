/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code java -jar aio-file-server.jar}: the command line of the static file server. Prints one parseable line
 * once listening — {@code aio-file-server: listening on http://ADDR:PORT/ transport=T root=DIR} — and stops
 * gracefully on SIGTERM or SIGINT. Exit status: 0 after a clean stop, 1 when the server cannot start (transport
 * unavailable, address in use, bad root), 2 for a usage error.
 */
@Command(name = "aio-file-server", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionReport.class,
        description = "Serves the files under a directory over HTTP/1.1 and HTTP/2 (cleartext with prior "
                + "knowledge, or HTTPS with --tls-cert; GET, HEAD, keep-alive, ranges, "
                + "conditional requests, directory listings) on netty-transport-aio, or on Netty's epoll, "
                + "io_uring or NIO transport for comparison.")
public final class FileServerCommand implements Callable<Integer> {
    static final String NAME = "aio-file-server";

    @Spec
    private CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".",
            description = "Directory to serve (default: the current directory).")
    private Path root;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    private String bind;

    @Option(names = "--transport", paramLabel = "aio|epoll|io_uring|nio", defaultValue = "aio",
            converter = TransportConverter.class,
            description = "Transport (default: aio). When it is unavailable the server says why and stops, "
                    + "unless --fallback.")
    private ServerTransport transport;

    @Option(names = "--fallback",
            description = "If the transport is unavailable, use the first available of epoll, io_uring, nio.")
    private boolean fallback;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Event loop threads; 0 means Netty's default, twice the processors (default: 0).")
    private int threads;

    @Option(names = "--read-ahead", paramLabel = "N", defaultValue = "4",
            description = "AIO reads kept in flight ahead of the socket per response (aio only; "
                    + "default: ${DEFAULT-VALUE}).")
    private int readAhead;

    @Option(names = "--chunk-size", paramLabel = "BYTES", defaultValue = "64k", converter = SizeConverter.class,
            description = "Bytes per AIO read, a multiple of 4096; suffixes k, m (aio only; default: 64k).")
    private long chunkSize;

    @Option(names = "--direct-io-threshold", paramLabel = "BYTES", defaultValue = "off",
            converter = SizeConverter.class,
            description = "Files at least this large are read with O_DIRECT, bypassing the page cache; smaller "
                    + "ones read from the page cache when cached, else with O_DIRECT; 'off' never bypasses "
                    + "(aio only; default: off).")
    private long directIoThreshold;

    @Option(names = "--sendfile-threshold", paramLabel = "BYTES", defaultValue = "256k",
            converter = SizeConverter.class,
            description = "Files at least this large that are wholly in the page cache (cachestat, Linux 6.5+) "
                    + "are sent with sendfile, as on epoll, instead of AIO reads and writes; 'off' never "
                    + "(aio only; default: 256k).")
    private long sendfileThreshold;

    @Option(names = "--access-log", description = "Print one line per response (Common Log Format + seconds).")
    private boolean accessLog;

    @Option(names = "--no-symlinks",
            description = "Refuse every symlink (403). By default symlinks are served when they stay inside "
                    + "the root.")
    private boolean noSymlinks;

    @Option(names = "--index", paramLabel = "NAME", defaultValue = "index.html",
            description = "The file served for a directory that holds it, instead of the directory's listing; "
                    + "'off' always lists (default: ${DEFAULT-VALUE}).")
    private String index;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Close a connection whose next request head takes longer than this, or whose "
                    + "response makes no progress for this long (default: ${DEFAULT-VALUE}).")
    private long idleTimeoutSeconds;

    @Option(names = "--shutdown-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "On SIGTERM, how long responses in progress may take to finish (default: "
                    + "${DEFAULT-VALUE}).")
    private long shutdownTimeoutSeconds;

    @Option(names = "--dotfiles", paramLabel = "allow|deny", defaultValue = "deny",
            description = "Whether names starting with '.' (.git, .env) are served and listed; denied ones are "
                    + "a 404 and not listed (default: ${DEFAULT-VALUE}).")
    private String dotfiles;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "10000",
            description = "Connections open at once; a connection beyond them gets a 503 and is closed at once "
                    + "(default: ${DEFAULT-VALUE}).")
    private int maxConnections;

    @Option(names = "--min-send-rate", paramLabel = "BYTES", defaultValue = "4k", converter = SizeConverter.class,
            description = "Bytes per second a client must take while the server waits on it, averaged over "
                    + "--send-rate-window; a slower reader is disconnected. 'off': no minimum (default: 4k).")
    private long minSendRate;

    @Option(names = "--send-rate-window", paramLabel = "SECONDS", defaultValue = "30",
            description = "The time the send rate is averaged over (default: ${DEFAULT-VALUE}).")
    private long sendRateWindowSeconds;

    @Option(names = "--max-listing-entries", paramLabel = "N", defaultValue = "10000",
            description = "Entries a directory listing shows at most; the page says when more were left out "
                    + "(default: ${DEFAULT-VALUE}).")
    private int maxListingEntries;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain (the server's certificate first): serve HTTPS, with HTTP/2 "
                    + "offered by ALPN. Needs --tls-key.")
    private Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key of --tls-cert, unencrypted PKCS#8 ('BEGIN PRIVATE KEY').")
    private Path tlsKey;

    @Option(names = "--tls-provider", paramLabel = "auto|openssl|jdk", defaultValue = "auto",
            description = "TLS implementation: OpenSSL (BoringSSL, netty-tcnative) when it loads, else the JDK's "
                    + "(default: ${DEFAULT-VALUE}).")
    private String tlsProvider;

    @Option(names = "--http2-max-streams", paramLabel = "N", defaultValue = "128",
            description = "Concurrent streams an HTTP/2 client may open on one connection (default: "
                    + "${DEFAULT-VALUE}).")
    private int http2MaxStreams;

    @Option(names = "--http2-response-memory", paramLabel = "BYTES", defaultValue = "4m",
            converter = SizeConverter.class,
            description = "Buffers the responses of one HTTP/2 connection may hold at once (reads ahead of the "
                    + "socket, chunks waiting for flow-control window); the streams beyond wait their turn, holding "
                    + "no file or buffer. At least one response always proceeds; suffixes k, m (default: 4m).")
    private long http2ResponseMemory;

    @Option(names = "--open-file-cache", paramLabel = "N|off", defaultValue = "off",
            description = "Keep up to N regular files open per event loop, with their attributes, so that a "
                    + "request for one makes no open, stat or close, as nginx's open_file_cache; a file replaced "
                    + "or deleted is served at most --open-file-cache-valid after the change (default: off).")
    private String openFileCache;

    @Option(names = "--open-file-cache-valid", paramLabel = "SECONDS", defaultValue = "1",
            description = "How long a kept file is served before its path is looked up again (default: "
                    + "${DEFAULT-VALUE}).")
    private long openFileCacheValidSeconds;

    @Option(names = "--open-file-cache-content", paramLabel = "BYTES", defaultValue = "16m",
            converter = SizeConverter.class,
            description = "With --open-file-cache: bytes of small files (up to 16 KiB each) kept in memory with "
                    + "their entries, all loops together, so that a request for one reads nothing; revalidated "
                    + "with the entry; 0 or 'off' for none (aio only; default: 16m).")
    private long openFileCacheContent;

    @Option(names = "--precompressed",
            description = "Answer a request for f with f.br or f.gz, when there and the client accepts br or gzip "
                    + "(Content-Encoding, Vary: Accept-Encoding, ranges over the compressed bytes), as nginx's "
                    + "gzip_static. The server never compresses by itself.")
    private boolean precompressed;

    @Option(names = "--lookup-threads", paramLabel = "N", defaultValue = "8",
            description = "Threads that open and stat what the event loops cannot find in the kernel's dentry cache "
                    + "without waiting for the disk (and read directories for listings): how many such lookups "
                    + "wait for the file system at once (default: ${DEFAULT-VALUE}).")
    private int lookupThreads;

    @Option(names = "--lookup-queue", paramLabel = "N", defaultValue = "256",
            description = "Lookups waiting for one of --lookup-threads at most; a request beyond is answered 503 "
                    + "with Retry-After (default: ${DEFAULT-VALUE}).")
    private int lookupQueue;

    // The portable lookup where openat2 is missing, forced: for the tests of that path only.
    @Option(names = "--path-lookup", hidden = true, defaultValue = "AUTO")
    private RootDirectory.Lookup lookup;

    public static void main(String[] args) {
        int status = newCommandLine().execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * The command line with its error handling: a usage error is one line naming the option and what it takes,
     * with a pointer to {@code --help} (and for a misspelt option the closest ones), exit status 2; an error while
     * starting is one line saying what failed, exit status 1. The full usage is printed only when asked for.
     */
    static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new FileServerCommand());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(NAME + ": " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + NAME + " --help' for the options.");
            err.flush();
            return ex.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println(NAME + ": cannot start: " + describe(ex));
            err.flush();
            return 1;
        });
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        FileServerConfig config;
        try {
            config = validate();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ServerTransport chosen = config.transport();
        Throwable cause = chosen.unavailabilityCause();
        if (cause != null) {
            if (!fallback) {
                err.println(NAME + ": transport " + chosen.cliName() + " is not available: " + describe(cause));
                err.println(NAME + ": choose another with --transport, or add --fallback");
                return 1;
            }
            ServerTransport alternative = null;
            for (ServerTransport t : ServerTransport.fallbackOrder()) {
                if (t != chosen && t.unavailabilityCause() == null) {
                    alternative = t;
                    break;
                }
            }
            err.println(NAME + ": transport " + chosen.cliName() + " is not available: " + describe(cause)
                    + "; --fallback: using " + alternative.cliName());
            config = config.withTransport(alternative);
        }
        if (config.transport() != ServerTransport.AIO) {
            for (String aioOnly : new String[] {"--read-ahead", "--chunk-size", "--direct-io-threshold",
                    "--sendfile-threshold", "--open-file-cache-content"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(aioOnly)) {
                    err.println(NAME + ": note: " + aioOnly + " applies to --transport aio only; ignored");
                }
            }
        }
        if (!Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8")).equals(StandardCharsets.UTF_8)) {
            err.println(NAME + ": warning: file names are decoded as " + System.getProperty("sun.jnu.encoding")
                    + ", not UTF-8, so non-ASCII names cannot be served; start with LC_ALL=C.UTF-8");
        }

        FileServer server;
        try {
            server = FileServer.start(config);
        } catch (Exception e) {
            err.println(NAME + ": cannot listen on " + config.bind() + ':' + config.port() + ": " + describe(e));
            err.println(NAME + ": choose another address with --bind or port with --port (0 picks a free one), "
                    + "or stop what is listening there");
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), NAME + "-shutdown"));
        InetSocketAddress bound = server.localAddress();
        String host = bound.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = '[' + host + ']';
        }
        System.out.println(NAME + ": listening on " + (config.tls() != null ? "https" : "http") + "://" + host + ':'
                + bound.getPort() + "/ transport=" + config.transport().cliName() + " root=" + config.root()
                + " bodies=" + (config.tls() != null ? server.bufferedBodies() : server.bodies()).describe()
                + " lookup=" + server.resolver().root().describe() + ", pool of " + server.lookups().describe()
                + (server.openFileCache() != null ? " open-file-cache=" + server.openFileCache().describe() : "")
                + (config.tls() != null ? " tls=" + config.tls().describe() : "")
                + " http2-responses-per-connection=" + server.http2MaxResponses());
        System.out.flush();
        server.awaitTermination();
        return 0;
    }

    private static void stop(FileServer server) {
        System.out.println(NAME + ": stopping: refusing new connections, finishing " + server.connectionCount()
                + " open connection(s)");
        System.out.flush();
        try {
            boolean clean = server.shutdown();
            System.out.println(NAME + ": stopped" + (clean ? "" : " (shutdown timeout: connections closed)")
                    + "; " + server.refusedConnections() + " connection(s) refused over --max-connections, "
                    + server.slowReadersCut() + " cut below --min-send-rate, " + server.protocolErrors()
                    + " HTTP/2 protocol error(s); at most " + server.mostWaitingRequests()
                    + " pipelined request(s) waited on one connection; at most "
                    + server.http2Stats().mostResponding() + " HTTP/2 response(s) at once on one connection, "
                    + server.http2Stats().waitedCount() + " stream(s) waited their turn; lookups: "
                    + server.lookups().answeredOnLoopCount() + " on the loop (dentry cache), "
                    + server.lookups().offLoopCount() + " off the loop, " + server.lookups().refusedCount()
                    + " refused over --lookup-queue");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.flush();
    }

    private FileServerConfig validate() throws IOException {
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("--root " + root + ": " + describe(e));
        }
        if (!Files.isDirectory(realRoot)) {
            throw new IllegalArgumentException("--root " + root + ": not a directory");
        }
        requireIn("--port", port, 0, 65535);
        if (threads < 0) {
            throw new IllegalArgumentException("--threads " + threads + ": must be 0 (default) or more");
        }
        requireIn("--read-ahead", readAhead, 1, 1024);
        if (chunkSize < 4096 || chunkSize > 16 << 20 || chunkSize % 4096 != 0) {
            throw new IllegalArgumentException("--chunk-size " + chunkSize
                    + ": must be a multiple of 4096 (the O_DIRECT alignment) from 4k to 16m");
        }
        requireAtLeastOne("--idle-timeout", idleTimeoutSeconds);
        if (shutdownTimeoutSeconds < 0) {
            throw new IllegalArgumentException("--shutdown-timeout " + shutdownTimeoutSeconds + ": negative");
        }
        String indexFile = null;
        if (!"off".equals(index)) {
            if (!PathResolver.isEntryName(index)) {
                throw new IllegalArgumentException("--index '" + index
                        + "': must be a file name (no '/', '\\' or NUL, not '.' or '..'), or 'off'");
            }
            indexFile = index;
        }
        if (!dotfiles.equals("allow") && !dotfiles.equals("deny")) {
            throw new IllegalArgumentException("--dotfiles " + dotfiles + ": must be allow or deny");
        }
        requireAtLeastOne("--max-connections", maxConnections);
        requireAtLeastOne("--send-rate-window", sendRateWindowSeconds);
        requireAtLeastOne("--max-listing-entries", maxListingEntries);
        requireIn("--http2-max-streams", http2MaxStreams, 1, 10_000);
        requireIn("--http2-response-memory", http2ResponseMemory, 1, 1L << 30);
        int cacheEntries = 0;
        if (!openFileCache.equals("off")) {
            try {
                cacheEntries = Integer.parseInt(openFileCache);
            } catch (NumberFormatException e) {
                cacheEntries = -1;
            }
            if (cacheEntries < 1 || cacheEntries > 1_000_000) {
                throw new IllegalArgumentException("--open-file-cache " + openFileCache
                        + ": must be 'off' or a number of files from 1 to 1000000");
            }
        }
        requireIn("--open-file-cache-valid", openFileCacheValidSeconds, 1, 3600);
        requireIn("--open-file-cache-content", openFileCacheContent, -1, 1L << 34);
        requireIn("--lookup-threads", lookupThreads, 1, 1024);
        requireIn("--lookup-queue", lookupQueue, 1, 65536);
        ServerTls.Provider provider;
        try {
            provider = ServerTls.Provider.valueOf(tlsProvider.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--tls-provider " + tlsProvider + ": must be auto, openssl or jdk");
        }
        ServerTls tls = null;
        if (tlsCert != null || tlsKey != null) {
            if (tlsCert == null || tlsKey == null) {
                throw new IllegalArgumentException(tlsCert == null ? "--tls-key needs --tls-cert"
                        : "--tls-cert needs --tls-key");
            }
            tls = ServerTls.load(tlsCert, tlsKey, provider);
        }
        return new FileServerConfig(realRoot, bind, port, transport, threads, readAhead, (int) chunkSize,
                directIoThreshold, sendfileThreshold, accessLog, !noSymlinks, indexFile,
                Duration.ofSeconds(idleTimeoutSeconds), Duration.ofSeconds(shutdownTimeoutSeconds),
                dotfiles.equals("allow"), maxConnections, minSendRate, Duration.ofSeconds(sendRateWindowSeconds),
                maxListingEntries, lookup, tls, http2MaxStreams, http2ResponseMemory, cacheEntries,
                Duration.ofSeconds(openFileCacheValidSeconds), Math.max(0, openFileCacheContent), precompressed, lookupThreads, lookupQueue);
    }

    private static void requireIn(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + ' ' + value + ": not in " + min + ".." + max);
        }
    }

    private static void requireAtLeastOne(String option, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + ' ' + value + ": must be at least 1");
        }
    }

    /** The message of {@code t} and of its causes, each once: what a user needs to act on. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
            if (sb.indexOf(m) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(m);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }

    static final class TransportConverter implements CommandLine.ITypeConverter<ServerTransport> {
        @Override
        public ServerTransport convert(String value) {
            try {
                return ServerTransport.fromCliName(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** A byte count: digits with an optional k, m or g suffix (powers of 1024), or {@code off} for -1. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.equals("off")) {
                return -1L;
            }
            int shift = 0;
            if (!v.isEmpty()) {
                switch (v.charAt(v.length() - 1)) {
                    case 'k':
                        shift = 10;
                        break;
                    case 'm':
                        shift = 20;
                        break;
                    case 'g':
                        shift = 30;
                        break;
                    default:
                        break;
                }
            }
            String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
            try {
                long n = Long.parseLong(digits);
                if (n < 0 || n > Long.MAX_VALUE >> shift) {
                    throw new NumberFormatException();
                }
                return n << shift;
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a byte count (digits with an optional k, m or g suffix)");
            }
        }
    }
}

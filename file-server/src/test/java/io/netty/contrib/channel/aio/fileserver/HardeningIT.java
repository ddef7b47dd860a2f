/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a hostile client, or a hostile writer under the root, can try, on every transport: swapping directories and
 * files for symlinks to a secret outside the root while requests run, swapping a FIFO in, reading slowly to hold
 * responses and descriptors, opening more connections than allowed, listing a huge directory, asking for
 * dot-files.
 */
class HardeningIT {
    /** One event loop: whatever blocks it delays every other request, which the tests measure. */
    private static final Servers ONE_LOOP = new Servers("--threads", "1", "--max-listing-entries", "200000");
    private static final Servers SLOW_READERS = new Servers("--threads", "1", "--min-send-rate", "64k",
            "--send-rate-window", "2");
    private static final Servers LIMITED = new Servers("--max-connections", "100", "--access-log");
    private static final Servers DOTFILES = new Servers("--dotfiles", "allow");

    private static final String SECRET_NAME = "secret-name-9d41e";
    private static final String DECOY = "decoy-bytes";
    private static final int HUGE_DIRECTORY = 200_000;

    @AfterAll
    static void stopServers() {
        Servers.stopAllCleanly(ONE_LOOP, SLOW_READERS, LIMITED, DOTFILES);
    }

    /** The race tree of one transport: race-T/{real/f, e/f, g/f, d -> real}, and a secret tree outside. */
    private static Path raceTree(String transport) throws IOException {
        TestTree.ensureBuilt();
        Path race = TestTree.ROOT.resolve("race-" + transport);
        Path outside = TestTree.OUTSIDE.resolve("race-" + transport);
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("f"), TestTree.SECRET);
        Files.writeString(outside.resolve(SECRET_NAME), TestTree.SECRET);
        for (String d : new String[] {"real", "e", "g"}) {
            Files.createDirectories(race.resolve(d));
            Files.writeString(race.resolve(d).resolve("f"), DECOY);
        }
        Files.createSymbolicLink(race.resolve("d"), Paths.get("real"));
        Files.createSymbolicLink(race.resolve("g.link"), outside);
        Files.writeString(race.resolve(".env"), TestTree.SECRET);
        return race;
    }

    @OnEveryTransport
    void swappingDirectoriesAndFilesForSymlinksNeverServesTheSecret(String transport) throws Exception {
        ServerProcess server = ONE_LOOP.get(transport);
        Path race = raceTree(transport);
        Path outside = TestTree.OUTSIDE.resolve("race-" + transport);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong swaps = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            Future<?> swapper = pool.submit(() -> {
                int i = 0;
                while (!stop.get()) {
                    // d: a symlink, atomically replaced by one inside, one absolute and one relative out.
                    Path target = switch (i % 3) {
                        case 0 -> Paths.get("real");
                        case 1 -> outside;
                        default -> Paths.get("../../outside/race-" + transport);
                    };
                    Path tmp = race.resolve("d.tmp");
                    Files.deleteIfExists(tmp);
                    Files.createSymbolicLink(tmp, target);
                    Files.move(tmp, race.resolve("d"), StandardCopyOption.ATOMIC_MOVE);
                    // e/f: a regular file, atomically replaced by a symlink to the secret, and back.
                    Path ftmp = race.resolve("e/f.tmp");
                    Files.deleteIfExists(ftmp);
                    if (i % 2 == 0) {
                        Files.createSymbolicLink(ftmp, outside.resolve("f"));
                    } else {
                        Files.writeString(ftmp, DECOY);
                    }
                    Files.move(ftmp, race.resolve("e/f"), StandardCopyOption.ATOMIC_MOVE);
                    // g: a real directory renamed away and a symlink out renamed in its place, and back.
                    if (i % 2 == 0) {
                        Files.move(race.resolve("g"), race.resolve("g.away"), StandardCopyOption.ATOMIC_MOVE);
                        Files.move(race.resolve("g.link"), race.resolve("g"), StandardCopyOption.ATOMIC_MOVE);
                    } else {
                        Files.move(race.resolve("g"), race.resolve("g.link"), StandardCopyOption.ATOMIC_MOVE);
                        Files.move(race.resolve("g.away"), race.resolve("g"), StandardCopyOption.ATOMIC_MOVE);
                    }
                    i++;
                    swaps.incrementAndGet();
                }
                return null;
            });
            String base = "/race-" + transport;
            String[] paths = {base + "/d/f", base + "/d/", base + "/e/f", base + "/e/", base + "/g/f", base + "/g/",
                base + "/d/" + SECRET_NAME, base + "/g/" + SECRET_NAME};
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            AtomicInteger decoys = new AtomicInteger();
            AtomicInteger next = new AtomicInteger();
            int total = 10_000;
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                clients.add(pool.submit(() -> {
                    int n;
                    while ((n = next.getAndIncrement()) < total) {
                        String path = paths[n % paths.length];
                        HttpResponse<byte[]> r = Http.get(server, path);
                        String body = new String(r.body(), StandardCharsets.UTF_8);
                        if (body.contains(TestTree.SECRET) || body.contains(SECRET_NAME)) {
                            fail(path + " answered " + r.statusCode() + " with the secret: " + body);
                        }
                        assertTrue(List.of(200, 301, 403, 404).contains(r.statusCode()), path + ": " + r.statusCode());
                        statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        if (r.statusCode() == 200 && body.equals(DECOY)) {
                            decoys.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get(10, TimeUnit.MINUTES);
            }
            stop.set(true);
            swapper.get(1, TimeUnit.MINUTES);
            System.out.println(transport + ": " + total + " requests during " + swaps.get() + " swap rounds: "
                    + statuses + ", " + decoys.get() + " decoys");
            assertTrue(swaps.get() > 10, "the swapper ran: " + swaps.get());
            assertTrue(decoys.get() > 0, "the decoy state was served: " + statuses);
            assertTrue(statuses.containsKey(403), "the symlinked state was seen and refused: " + statuses);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertEquals(200, Http.get(server, TestTree.sized(1)).statusCode());
    }

    @OnEveryTransport
    void aFifoSwappedInIsRefusedWithoutStallingTheLoop(String transport) throws Exception {
        ServerProcess server = ONE_LOOP.get(transport);
        Path dir = Files.createDirectories(TestTree.ROOT.resolve("fifo-" + transport));
        Path fifo = dir.resolve("p.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo");
        Files.writeString(dir.resolve("p.file"), DECOY);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> swapper = pool.submit(() -> {
                Path p = dir.resolve("p");
                while (!stop.get()) {
                    Files.move(fifo, p, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(p, fifo, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(dir.resolve("p.file"), p, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(p, dir.resolve("p.file"), StandardCopyOption.ATOMIC_MOVE);
                }
                return null;
            });
            AtomicLong worstNanos = new AtomicLong();
            AtomicInteger small = new AtomicInteger();
            Future<?> prober = pool.submit(() -> {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    assertEquals(200, Http.get(server, TestTree.sized(4096)).statusCode());
                    worstNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    small.incrementAndGet();
                }
                return null;
            });
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            for (int i = 0; i < 3000; i++) {
                int status = Http.get(server, "/fifo-" + transport + "/p").statusCode();
                statuses.merge(status, 1, Integer::sum);
                assertTrue(status == 200 || status == 403 || status == 404, "status " + status);
            }
            stop.set(true);
            swapper.get(1, TimeUnit.MINUTES);
            prober.get(1, TimeUnit.MINUTES);
            System.out.println(transport + ": 3000 GETs of a FIFO/file swap: " + statuses + "; " + small.get()
                    + " concurrent 4 KiB GETs, the slowest in " + TimeUnit.NANOSECONDS.toMicros(worstNanos.get())
                    + " us");
            assertTrue(statuses.getOrDefault(403, 0) > 0, "the FIFO was seen (and refused): " + statuses);
            assertTrue(small.get() > 0);
            // A loop blocked in open(2) on a FIFO without a writer stays blocked until one comes: any bound
            // separates that from a loaded machine's scheduling; the figure is printed above.
            assertTrue(worstNanos.get() < TimeUnit.SECONDS.toNanos(5), "a small GET waited "
                    + TimeUnit.NANOSECONDS.toMillis(worstNanos.get()) + " ms");
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    @OnEveryTransport
    void slowReadersAreCutAndHoldFewDescriptors(String transport) throws Exception {
        ServerProcess server = SLOW_READERS.get(transport);
        assertEquals(200, Http.get(server, TestTree.LARGE).statusCode()); // warm: loggers, classes, pools
        StringBuilder ranges = new StringBuilder("bytes=");
        long part = (16L << 20) / 64;
        for (int i = 0; i < 64; i++) {
            ranges.append(i == 0 ? "" : ",").append(i * part).append('-').append(i * part + part / 2);
        }
        int before = server.fdCount();
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress("127.0.0.1", server.port), 10_000);
                s.setSoTimeout(60_000);
                OutputStream out = s.getOutputStream();
                out.write(("GET " + TestTree.LARGE + " HTTP/1.1\r\nHost: t\r\nRange: " + ranges + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                clients.add(s);
            }
            for (Socket s : clients) {
                byte[] head = s.getInputStream().readNBytes(15);
                assertEquals("HTTP/1.1 206 Pa", new String(head, StandardCharsets.ISO_8859_1));
            }
            int during = server.fdCount();
            System.out.println(transport + ": descriptors " + before + " before, " + during
                    + " with 10 slow readers of 64-range responses");
            // Per connection: its socket and the one file descriptor all 64 parts share; io_uring adds the pipe
            // pair its splice of a file region goes through.
            assertTrue(during - before <= 10 * 4, "10 slow 64-range responses took " + (during - before)
                    + " descriptors");
            // Trickle: 16 bytes every 250 ms is 64 B/s, far below the 64 KiB/s minimum. The server must cut them.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            byte[] sip = new byte[16];
            while (server.fdCount() > before + 2) {
                assertTrue(System.nanoTime() < deadline, "slow readers still connected: " + server.fdCount()
                        + " descriptors against " + before);
                for (Socket s : clients) {
                    try {
                        s.getInputStream().read(sip);
                    } catch (SocketException reset) {
                        // cut: fine
                    }
                }
                Thread.sleep(250);
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
        assertEquals(200, Http.get(server, TestTree.sized(4096)).statusCode());
    }

    @OnEveryTransport
    void connectionsBeyondTheLimitAreRefusedAndTheRestServed(String transport) throws Exception {
        ServerProcess server = LIMITED.get(transport);
        List<Http.RawConnection> kept = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                Http.RawConnection c = new Http.RawConnection(server.port);
                kept.add(c);
                c.send("GET " + TestTree.sized(1) + " HTTP/1.1\r\nHost: t\r\n\r\n");
                assertEquals(200, c.read(false).status);
            }
            int refused = 0;
            for (int i = 0; i < 200; i++) {
                try (Http.RawConnection c = new Http.RawConnection(server.port)) {
                    c.socket.setSoTimeout(10_000);
                    try {
                        c.send("GET " + TestTree.sized(1) + " HTTP/1.1\r\nHost: t\r\n\r\n");
                        Http.RawResponse r = c.read(false);
                        assertEquals(503, r.status, "connection " + (101 + i));
                        refused++;
                        assertTrue(c.closedByServer(), "closed after its 503");
                    } catch (SocketException reset) {
                        refused++; // closed before the request was read: refused all the same
                    } catch (AssertionError closed) {
                        if (!String.valueOf(closed.getMessage()).contains("connection closed before a response")) {
                            throw closed;
                        }
                        refused++;
                    }
                }
            }
            assertEquals(200, refused);
            for (Http.RawConnection c : kept) {
                c.send("GET " + TestTree.sized(4096) + " HTTP/1.1\r\nHost: t\r\n\r\n");
                assertEquals(200, c.read(false).status, "the 100 allowed connections are still served");
            }
        } finally {
            for (Http.RawConnection c : kept) {
                c.close();
            }
        }
        // Their slots come back once the server has seen them close.
        awaitServedAgain(server, 30, "connection slots never came back");
        server.awaitLine(l -> l.contains("\"- - -\" 503 0"), "an access-log line for a refused connection",
                30, TimeUnit.SECONDS);
    }

    /**
     * A server that runs out of descriptors (a descriptor limit of 160 under prlimit, and 300 clients) keeps its
     * listener and its loop: it says once why accepting fails, answers the connections it has (503 while it cannot
     * open a file), and accepts and serves again once clients leave.
     */
    @OnEveryTransport
    void aServerOutOfDescriptorsSaysWhyKeepsServingAndAcceptsAgainWhenTheyComeBack(String transport)
            throws Exception {
        try (ServerProcess server = ServerProcess.startUnder(List.of("prlimit", "--nofile=160:160"), List.of(),
                transport, "--threads", "1")) {
            List<Http.RawConnection> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    clients.add(new Http.RawConnection(server.port)); // the backlog takes what is not accepted
                }
                server.awaitLine(l -> l.contains("accept failed") && l.contains("Too many open files"),
                        "the line saying why accepting fails", 60, TimeUnit.SECONDS);
                // The first connections were accepted before the table filled: answered, with a 503 while no
                // descriptor is left to open the file with.
                Http.RawConnection first = clients.get(0);
                first.send("GET " + TestTree.sized(4096) + " HTTP/1.1\r\nHost: t\r\n\r\n");
                assertEquals(503, first.read(false).status, "an accepted connection is answered");
            } finally {
                for (Http.RawConnection c : clients) {
                    c.close();
                }
            }
            // Descriptors back: new connections are accepted and served (after the pause, within seconds).
            awaitServedAgain(server, 60, "never accepted and served again");
            assertTrue(server.lines().stream().noneMatch(l -> l.contains("Exception in thread")), server.output());
            server.stopCleanly();
        }
    }

    /**
     * Asks for a small file on new connections until one gets a 200 (a refusal, a reset or a 503 means not yet),
     * failing with {@code what} after {@code seconds}. The server gives no event to wait on from out here.
     */
    private static void awaitServedAgain(ServerProcess server, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (;;) {
            try {
                Http.RawResponse r = Http.raw(server.port, "GET " + TestTree.sized(1) + " HTTP/1.1\r\nHost: t\r\n"
                        + "Connection: close\r\n\r\n");
                if (r.status == 200) {
                    return;
                }
            } catch (IOException | AssertionError notYet) {
                // still refused
            }
            assertTrue(System.nanoTime() < deadline, what + ": " + server.output());
            Thread.sleep(50);
        }
    }

    private static synchronized Path hugeDirectory() throws IOException {
        TestTree.ensureBuilt();
        Path dir = TestTree.ROOT.resolve("huge");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            for (int i = 0; i < HUGE_DIRECTORY; i++) {
                Files.createFile(dir.resolve("entry-" + i));
            }
        }
        return dir;
    }

    @OnEveryTransport
    void aHugeListingIsStreamedWithoutStallingTheLoop(String transport) throws Exception {
        hugeDirectory();
        ServerProcess server = ONE_LOOP.get(transport);
        // Warm both JVMs (HttpClient's first use, the server's listing code) so that the figure printed below
        // is the listing's effect, not class loading.
        for (int i = 0; i < 20; i++) {
            assertEquals(200, Http.get(server, TestTree.sized(4096)).statusCode());
            assertEquals(200, Http.get(server, "/sizes/").statusCode());
        }
        try (Http.RawConnection listing = new Http.RawConnection(server.port)) {
            long start = System.nanoTime();
            listing.send("GET /huge/ HTTP/1.1\r\nHost: t\r\n\r\n");
            Http.RawResponse head = listing.readHead();
            assertEquals(200, head.status);
            // The listing is being read on the only loop; a small GET must not wait for all of it.
            long getStart = System.nanoTime();
            assertEquals(200, Http.get(server, TestTree.sized(4096)).statusCode());
            long getDone = System.nanoTime();
            byte[] page = readChunkedBody(listing.input());
            long listingDone = System.nanoTime();
            String text = new String(page, StandardCharsets.UTF_8);
            int rows = 0;
            for (int i = text.indexOf("<tr><td><a href=\"entry-"); i >= 0;
                    i = text.indexOf("<tr><td><a href=\"entry-", i + 1)) {
                rows++;
            }
            System.out.println(transport + ": listing of " + HUGE_DIRECTORY + " entries, " + page.length
                    + " bytes in " + TimeUnit.NANOSECONDS.toMillis(listingDone - start) + " ms; a concurrent 4 KiB"
                    + " GET took " + TimeUnit.NANOSECONDS.toMicros(getDone - getStart) + " us");
            assertEquals(HUGE_DIRECTORY, rows);
            assertTrue(getDone < listingDone, "the small GET was answered before the listing ended");
        }
    }

    private static byte[] readChunkedBody(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (;;) {
            String size = line(in);
            int n = Integer.parseInt(size.trim(), 16);
            if (n == 0) {
                line(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @OnEveryTransport
    void dotFilesAreNotFoundAndNotListedUnlessAllowed(String transport) throws Exception {
        Path race = TestTree.ROOT.resolve("dots-" + transport);
        Files.createDirectories(race.resolve(".git"));
        Files.writeString(race.resolve(".env"), TestTree.SECRET);
        Files.writeString(race.resolve(".git/config"), TestTree.SECRET);
        Files.writeString(race.resolve("visible"), DECOY);
        String base = "/dots-" + transport;
        ServerProcess server = ONE_LOOP.get(transport);
        for (String p : new String[] {"/.env", "/.git/config", "/.git/", "/%2eenv"}) {
            HttpResponse<byte[]> r = Http.get(server, base + p);
            assertEquals(404, r.statusCode(), p);
            assertFalse(new String(r.body(), StandardCharsets.UTF_8).contains(TestTree.SECRET), p);
        }
        String page = new String(Http.get(server, base + "/").body(), StandardCharsets.UTF_8);
        assertTrue(page.contains(">visible<"), page);
        assertFalse(page.contains(".env") || page.contains(".git"), page);

        ServerProcess allowing = DOTFILES.get(transport);
        assertEquals(TestTree.SECRET, new String(Http.get(allowing, base + "/.env").body(), StandardCharsets.UTF_8));
        String allowed = new String(Http.get(allowing, base + "/").body(), StandardCharsets.UTF_8);
        assertTrue(allowed.contains(">.env<") && allowed.contains(">.git/<"), allowed);
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The directory the end-to-end tests serve, rebuilt once per test JVM under {@code target/it} (ext4, never tmpfs):
 * files of every interesting size with seeded random bytes, a 512 MiB sparse file with data islands, hostile file
 * names, symlinks in and out of the root, a FIFO, and a secret next to (outside) the root.
 */
final class TestTree {
    static final Path WORK = Paths.get(System.getProperty("fileserver.work", "target/it")).toAbsolutePath();
    static final Path ROOT = WORK.resolve("root");
    static final Path OUTSIDE = WORK.resolve("outside");
    /** What the secret outside the root contains: must never appear in a response. */
    static final String SECRET = "TOP-SECRET-outside-the-root-7f3a";

    static final long[] SIZES = {0, 1, 4095, 4096, 4097, 65537, (1 << 20) + 3, 16 << 20};
    static final long BIG_SIZE = 512L << 20;
    /** The content of {@code /site/index.html}. */
    static final String SITE_INDEX = "<!DOCTYPE html><title>site</title><p>the index of /site/</p>";
    static final String BIG = "/big/sparse-512m.bin";
    static final String MEDIUM = "/sizes/file-" + ((1 << 20) + 3) + ".bin";
    static final String LARGE = "/sizes/file-" + (16 << 20) + ".bin";

    /** Names a listing must show escaped and link to correctly. */
    static final List<String> HOSTILE_NAMES = List.of("<script>alert(1).txt",
            "<img src=x onerror=alert(1)>.txt", "\"quoted\" name.txt",
            "it's.txt", "a&b&amp;c.txt", "ünïcødé-日本語-😀.txt", "with  spaces .txt", "javascript:alert(1)",
            "100%.txt", "#hash?query=1.txt", "back\\slash.txt", "+plus+.txt", "<b>dir");

    private static boolean built;

    private TestTree() {
    }

    static String sized(long size) {
        return "/sizes/file-" + size + ".bin";
    }

    /** The file behind a request path such as {@code /sizes/file-1.bin}. */
    static Path file(String requestPath) {
        return ROOT.resolve(requestPath.substring(1));
    }

    static synchronized void ensureBuilt() {
        if (built) {
            return;
        }
        try {
            deleteRecursively(WORK);
            Files.createDirectories(ROOT.resolve("sizes"));
            Files.createDirectories(ROOT.resolve("big"));
            Files.createDirectories(ROOT.resolve("listing"));
            Files.createDirectories(ROOT.resolve("types"));
            Files.createDirectories(ROOT.resolve("links"));
            Files.createDirectories(OUTSIDE);
            Files.createDirectories(WORK.resolve("tmp"));
            for (long size : SIZES) {
                Files.write(file(sized(size)), randomBytes((int) size, size));
            }
            try (RandomAccessFile big = new RandomAccessFile(file(BIG).toFile(), "rw")) {
                big.setLength(BIG_SIZE);
                long[] islands = {0, (1 << 20) - 7, 37L << 20, 255L << 20, (300L << 20) + 12345, BIG_SIZE - 65536};
                for (long at : islands) {
                    big.seek(at);
                    big.write(randomBytes(65536, at));
                }
            }
            for (String name : HOSTILE_NAMES) {
                Path p = ROOT.resolve("listing").resolve(name);
                if (name.equals("<b>dir")) {
                    Files.createDirectories(p);
                    Files.writeString(p.resolve("inner.txt"), "inner of " + name);
                } else {
                    Files.writeString(p, "content of " + name);
                }
            }
            Files.writeString(ROOT.resolve("types/page.html"), "<p>hi</p>");
            Files.writeString(ROOT.resolve("types/style.css"), "p{}");
            Files.writeString(ROOT.resolve("types/data.json"), "{}");
            Files.writeString(ROOT.resolve("types/image.PNG"), "png");
            Files.writeString(ROOT.resolve("types/noextension"), "raw");
            Files.writeString(OUTSIDE.resolve("secret.txt"), SECRET);
            Files.createSymbolicLink(ROOT.resolve("links/inside-link.bin"), file(sized(4097)));
            Files.createSymbolicLink(ROOT.resolve("links/inside-dir"), ROOT.resolve("types"));
            Files.createSymbolicLink(ROOT.resolve("links/relative-inside.bin"), Paths.get("../sizes/file-1.bin"));
            Files.createSymbolicLink(ROOT.resolve("links/outside-link.txt"), OUTSIDE.resolve("secret.txt"));
            Files.createSymbolicLink(ROOT.resolve("links/outside-dir"), OUTSIDE);
            Files.createSymbolicLink(ROOT.resolve("links/relative-outside.txt"),
                    Paths.get("../../outside/secret.txt"));
            // Directories with an index file: a regular one, one that is a directory, symlinks inside and out.
            Files.createDirectories(ROOT.resolve("site/dir-index/index.html"));
            Files.createDirectories(ROOT.resolve("site/linked"));
            Files.createDirectories(ROOT.resolve("site/escaping"));
            Files.writeString(ROOT.resolve("site/index.html"), SITE_INDEX);
            Files.writeString(ROOT.resolve("site/other.txt"), "other");
            Files.createSymbolicLink(ROOT.resolve("site/linked/index.html"), Paths.get("../index.html"));
            Files.createSymbolicLink(ROOT.resolve("site/escaping/index.html"), OUTSIDE.resolve("secret.txt"));
            Process mkfifo = new ProcessBuilder("mkfifo", ROOT.resolve("links/fifo").toString()).inheritIO().start();
            assertEquals(0, mkfifo.waitFor(), "mkfifo");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        built = true;
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed * 0x9E3779B97F4A7C15L + 1).nextBytes(b);
        return b;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /**
     * Asserts that {@code in} delivers exactly bytes {@code [offset, offset + length)} of {@code file} and then
     * ends; reports the first differing offset.
     */
    static void assertStreamEquals(Path file, long offset, long length, InputStream in, String what)
            throws IOException {
        byte[] expected = new byte[1 << 20];
        byte[] actual = new byte[1 << 20];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(offset);
            long done = 0;
            while (done < length) {
                int n = (int) Math.min(expected.length, length - done);
                raf.readFully(expected, 0, n);
                int got = in.readNBytes(actual, 0, n);
                if (got < n) {
                    fail(what + ": body ended after " + (done + got) + " of " + length + " bytes");
                }
                int mismatch = Arrays.mismatch(expected, 0, n, actual, 0, n);
                if (mismatch >= 0) {
                    fail(what + ": byte " + (offset + done + mismatch) + " of the file differs");
                }
                done += n;
            }
        }
        if (in.read() >= 0) {
            fail(what + ": body longer than " + length + " bytes");
        }
    }

    static byte[] bytes(String requestPath, long offset, int length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file(requestPath).toFile(), "r")) {
            byte[] b = new byte[length];
            raf.seek(offset);
            raf.readFully(b);
            return b;
        }
    }
}

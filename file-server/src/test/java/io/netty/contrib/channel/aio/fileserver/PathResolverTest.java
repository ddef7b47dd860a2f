/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request-target parsing and the descriptor-relative lookup, every case through both lookups: the kernel's
 * openat2 and the openat walk used where it is missing.
 */
class PathResolverTest {
    private static Path root;
    private static final Map<RootDirectory.Lookup, PathResolver> FOLLOWING = new EnumMap<>(RootDirectory.Lookup.class);
    private static final Map<RootDirectory.Lookup, PathResolver> REFUSING = new EnumMap<>(RootDirectory.Lookup.class);
    private static final List<RootDirectory> ROOTS = new ArrayList<>();
    private static final List<PathResolver.Resolved> OPENED = new ArrayList<>();
    private PathResolver following;
    private PathResolver refusing;

    @BeforeAll
    static void tree() throws IOException {
        Path base = Paths.get("target", "path-resolver-test").toAbsolutePath();
        root = base.resolve("root");
        Files.createDirectories(root.resolve("dir/sub"));
        Files.writeString(root.resolve("dir/file.txt"), "in");
        Files.writeString(base.resolve("secret.txt"), "out");
        Files.writeString(root.resolve("a b%ü.txt"), "x");
        link(root.resolve("inside-link"), root.resolve("dir/file.txt"));
        link(root.resolve("inside-dir-link"), root.resolve("dir"));
        link(root.resolve("outside-link"), base.resolve("secret.txt"));
        link(root.resolve("outside-dir-link"), base);
        link(root.resolve("relative-link"), Paths.get("dir/file.txt"));
        link(root.resolve("dir/up-link"), Paths.get("../dir/file.txt"));
        link(root.resolve("dir/escape-link"), Paths.get("../../secret.txt"));
        Files.writeString(root.resolve(".env"), "dot");
        root = root.toRealPath();
        for (RootDirectory.Lookup lookup : RootDirectory.Lookup.values()) {
            RootDirectory f = new RootDirectory(root, true, lookup);
            RootDirectory r = new RootDirectory(root, false, lookup);
            ROOTS.add(f);
            ROOTS.add(r);
            FOLLOWING.put(lookup, new PathResolver(f, false));
            REFUSING.put(lookup, new PathResolver(r, false));
        }
    }

    @AfterAll
    static void close() {
        OPENED.forEach(PathResolver.Resolved::close);
        ROOTS.forEach(RootDirectory::close);
    }

    private void use(RootDirectory.Lookup lookup) {
        following = FOLLOWING.get(lookup);
        refusing = REFUSING.get(lookup);
    }

    /** The inode of what {@code target} resolves to (the descriptor's attributes, read from it). */
    private static long inode(PathResolver resolver, String target) throws RequestRefusedException {
        PathResolver.Resolved r = resolver.resolve(target);
        OPENED.add(r);
        return r.attributes().inode();
    }

    private static long inode(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino");
    }

    private static void link(Path link, Path target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }

    private static HttpResponseStatus refusal(PathResolver resolver, String target) {
        return assertThrows(RequestRefusedException.class, () -> resolver.resolve(target),
                () -> target + " was not refused").status();
    }

    private static void assertRefused(HttpResponseStatus status, PathResolver resolver, String... targets) {
        for (String t : targets) {
            assertEquals(status, refusal(resolver, t), t);
        }
    }

    @ParameterizedTest
    @EnumSource(RootDirectory.Lookup.class)
    void plainAndEncodedNamesResolveInsideTheRoot(RootDirectory.Lookup lookup) throws Exception {
        use(lookup);
        assertEquals(inode(root), inode(following, "/"));
        long file = inode(root.resolve("dir/file.txt"));
        assertEquals(file, inode(following, "/dir/file.txt?x=1#f"));
        assertEquals(file, inode(following, "//dir//file.txt"));
        assertEquals(file, inode(following, "http://host:1/dir/file.txt"));
        assertEquals(file, inode(following, "/dir/file%2etxt"));
        assertEquals(inode(root.resolve("a b%ü.txt")), inode(following, "/a%20b%25%C3%BC.txt"));
        // Raw UTF-8 bytes as Netty hands them over (one char per byte).
        assertEquals(inode(root.resolve("a b%ü.txt")), inode(following, "/a%20b%25\u00c3\u00bc.txt"));
    }

    @Test
    void entryNamesAreWhatADecodedSegmentMayBe() {
        for (String ok : new String[] {"index.html", "...", ".hidden", "a b", "\u00e9t\u00e9.html"}) {
            assertTrue(PathResolver.isEntryName(ok), ok);
        }
        for (String bad : new String[] {"", ".", "..", "a/index.html", "a\\b", "a\0b", "/"}) {
            assertFalse(PathResolver.isEntryName(bad), bad);
        }
    }

    @ParameterizedTest
    @EnumSource(RootDirectory.Lookup.class)
    void aNameInAResolvedDirectoryResolvesAsTheRequestForItWould(RootDirectory.Lookup lookup) throws Exception {
        use(lookup);
        String[][] cases = {{"/dir/", "file.txt"}, {"/dir/", "sub"}, {"/dir/", "missing"}, {"/", "inside-link"},
                {"/", "outside-link"}, {"/", "inside-dir-link"}, {"/", "outside-dir-link"},
                {"/inside-dir-link/", "file.txt"}, {"/inside-dir-link/", "missing"}};
        int compared = 0;
        for (PathResolver resolver : new PathResolver[] {following, refusing}) {
            for (String[] c : cases) {
                PathResolver.Resolved dir;
                try {
                    dir = resolver.resolve(c[0]);
                    OPENED.add(dir);
                } catch (RequestRefusedException e) {
                    continue; // a directory behind a symlink, with symlinks refused
                }
                String what = c[0] + c[1] + (resolver == following ? " following" : " refusing");
                PathResolver.Resolved direct;
                try {
                    direct = resolver.resolve(c[0] + c[1]);
                    OPENED.add(direct);
                } catch (RequestRefusedException e) {
                    assertEquals(e.status(), assertThrows(RequestRefusedException.class,
                            () -> resolver.resolveIn(dir, c[1], false), what).status(), what);
                    compared++;
                    continue;
                }
                PathResolver.Resolved in = resolver.resolveIn(dir, c[1], false);
                OPENED.add(in);
                assertEquals(direct.segments(), in.segments(), what);
                assertEquals(direct.attributes().inode(), in.attributes().inode(), what);
                assertEquals(direct.attributes().isDirectory(), in.attributes().isDirectory(), what);
                compared++;
            }
        }
        assertEquals(2 * cases.length - 2, compared, "every case but /inside-dir-link/ with symlinks refused");
    }

    @ParameterizedTest
    @EnumSource(RootDirectory.Lookup.class)
    void dotSegmentsInEveryEncodingAreRefused(RootDirectory.Lookup lookup) {
        use(lookup);
        assertRefused(HttpResponseStatus.FORBIDDEN, following, "/../secret.txt", "/dir/../../secret.txt",
                "/dir/..", "/./dir", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt",
                "/dir/%2e%2e/%2e%2e/secret.txt", "/%2e");
    }

    @ParameterizedTest
    @EnumSource(RootDirectory.Lookup.class)
    void encodedSlashesBackslashesAndNulsAreRefused(RootDirectory.Lookup lookup) {
        use(lookup);
        assertRefused(HttpResponseStatus.FORBIDDEN, following, "/..%2fsecret.txt", "/dir%2Ffile.txt",
                "/..%5csecret.txt", "/dir\\file.txt", "/..\\secret.txt", "/dir/file.txt%00.html", "/dir/file.txt\0",
                "/%00");
    }

    @ParameterizedTest
    @EnumSource(RootDirectory.Lookup.class)
    void malformedEscapesAndOverlongUtf8AreBadRequests(RootDirectory.Lookup lookup) {
        use(lookup);
        assertRefused(HttpResponseStatus.BAD_REQUEST, following, "/%zz", "/%2", "/abc%", "/%c0%ae%c0%ae/secret.txt",
                "/%e0%80%ae", "/%ff", "*", "secret.txt");
    }

    @ParameterizedTest
    @EnumSource(RootDirectory.Lookup.class)
    void symlinksInsideTheRootAreServedAndThoseLeadingOutAreRefused(RootDirectory.Lookup lookup) throws Exception {
        use(lookup);
        long file = inode(root.resolve("dir/file.txt"));
        assertEquals(file, inode(following, "/inside-link"), "absolute, to a place under the root's path");
        assertEquals(file, inode(following, "/inside-dir-link/file.txt"));
        assertEquals(file, inode(following, "/relative-link"));
        assertEquals(file, inode(following, "/dir/up-link"), "relative, through ..");
        assertEquals(HttpResponseStatus.FORBIDDEN, refusal(following, "/outside-link"));
        assertEquals(HttpResponseStatus.FORBIDDEN, refusal(following, "/outside-dir-link/secret.txt"));
        assertEquals(HttpResponseStatus.FORBIDDEN, refusal(following, "/dir/escape-link"));
    }

    @ParameterizedTest
    @EnumSource(RootDirectory.Lookup.class)
    void everySymlinkIsRefusedWhenSymlinksAreOff(RootDirectory.Lookup lookup) throws Exception {
        use(lookup);
        assertEquals(inode(root.resolve("dir/file.txt")), inode(refusing, "/dir/file.txt"));
        assertRefused(HttpResponseStatus.FORBIDDEN, refusing, "/inside-link", "/inside-dir-link/file.txt",
                "/outside-link", "/relative-link", "/dir/up-link");
    }

    @ParameterizedTest
    @EnumSource(RootDirectory.Lookup.class)
    void dotFilesAreNotFoundUnlessAllowed(RootDirectory.Lookup lookup) throws Exception {
        use(lookup);
        assertEquals(HttpResponseStatus.NOT_FOUND, refusal(following, "/.env"));
        assertEquals(HttpResponseStatus.NOT_FOUND, refusal(following, "/%2eenv"));
        assertFalse(following.isListableName(".env"));
        PathResolver allowing = new PathResolver(following.root(), true);
        assertEquals(inode(root.resolve(".env")), inode(allowing, "/.env"));
        assertTrue(allowing.isListableName(".env"));
    }

    @ParameterizedTest
    @EnumSource(RootDirectory.Lookup.class)
    void missingFilesAreNotFound(RootDirectory.Lookup lookup) {
        use(lookup);
        assertEquals(HttpResponseStatus.NOT_FOUND, refusal(following, "/nope"));
        assertEquals(HttpResponseStatus.NOT_FOUND, refusal(following, "/dir/file.txt/below"));
        assertEquals(HttpResponseStatus.NOT_FOUND, refusal(refusing, "/nope"));
    }

    @ParameterizedTest
    @EnumSource(RootDirectory.Lookup.class)
    void lookupsLeaveNoDescriptorBehind(RootDirectory.Lookup lookup) throws Exception {
        use(lookup);
        String[] targets = {"/dir/file.txt", "/inside-link", "/dir/up-link", "/outside-link", "/dir/escape-link",
            "/nope", "/dir/file.txt/below", "/inside-dir-link/file.txt", "/", "/dir/"};
        for (int round = 0; round < 2; round++) { // the first round may open class files, loggers
            long before = openDescriptors();
            assertTrue(before > 0, "the roots' own descriptors are counted (the count can see the tree)");
            for (int i = 0; i < 100; i++) {
                for (PathResolver r : new PathResolver[] {following, refusing}) {
                    for (String t : targets) {
                        try {
                            r.resolve(t).close();
                        } catch (RequestRefusedException expected) {
                            // refused: nothing open either
                        }
                    }
                }
            }
            if (round == 1) {
                assertEquals(before, openDescriptors(), "descriptors open before and after 2000 lookups");
            }
        }
    }

    /**
     * Descriptors of this process open on the test's tree (its root, the files and links in and beside it). Not
     * all descriptors: other threads of the JVM (an event loop of an earlier test ending, a lazily started service)
     * open and close their own meanwhile.
     */
    private static long openDescriptors() throws IOException {
        String tree = root.getParent().toString();
        try (var s = Files.list(Paths.get("/proc/self/fd"))) {
            return s.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith(tree);
                } catch (IOException closed) {
                    return false; // closed since it was listed (the listing's own descriptor among them)
                }
            }).count();
        }
    }

    @Test
    void canonicalPathsAreReEncoded() throws Exception {
        use(RootDirectory.Lookup.AUTO);
        assertEquals("/a%20b%25%C3%BC.txt/", keep(following.resolve("/a%20b%25%C3%BC.txt")).canonicalPath(true));
        assertEquals("/dir/", keep(following.resolve("//dir")).canonicalPath(true));
        assertEquals("/", keep(following.resolve("/")).canonicalPath(false));
    }

    private static PathResolver.Resolved keep(PathResolver.Resolved r) {
        OPENED.add(r);
        return r;
    }
}

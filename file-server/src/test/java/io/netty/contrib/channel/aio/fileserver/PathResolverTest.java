/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathResolverTest {
    private static Path root;
    private static PathResolver following;
    private static PathResolver refusing;

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
        root = root.toRealPath();
        following = new PathResolver(root, true);
        refusing = new PathResolver(root, false);
    }

    private static void link(Path link, Path target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }

    private static HttpResponseStatus refusal(PathResolver resolver, String target) {
        return assertThrows(RequestRefusedException.class, () -> resolver.resolve(target),
                () -> target + " was not refused").status();
    }

    @Test
    void plainAndEncodedNamesResolveInsideTheRoot() throws Exception {
        assertEquals(root, following.resolve("/").file());
        assertEquals(root.resolve("dir/file.txt"), following.resolve("/dir/file.txt?x=1#f").file());
        assertEquals(root.resolve("dir/file.txt"), following.resolve("//dir//file.txt").file());
        assertEquals(root.resolve("dir/file.txt"), following.resolve("http://host:1/dir/file.txt").file());
        assertEquals(root.resolve("dir/file.txt"), following.resolve("/dir/file%2etxt").file());
        assertEquals(root.resolve("a b%ü.txt"), following.resolve("/a%20b%25%C3%BC.txt").file());
        // Raw UTF-8 bytes as Netty hands them over (one char per byte).
        assertEquals(root.resolve("a b%ü.txt"), following.resolve("/a%20b%25\u00c3\u00bc.txt").file());
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

    @Test
    void aNameInAResolvedDirectoryResolvesAsTheRequestForItWould() throws Exception {
        String[][] cases = {{"/dir/", "file.txt"}, {"/dir/", "sub"}, {"/dir/", "missing"}, {"/", "inside-link"},
                {"/", "outside-link"}, {"/", "inside-dir-link"}, {"/", "outside-dir-link"},
                {"/inside-dir-link/", "file.txt"}, {"/inside-dir-link/", "missing"}};
        int compared = 0;
        for (PathResolver resolver : new PathResolver[] {following, refusing}) {
            for (String[] c : cases) {
                PathResolver.Resolved dir;
                try {
                    dir = resolver.resolve(c[0]);
                } catch (RequestRefusedException e) {
                    continue; // a directory behind a symlink, with symlinks refused
                }
                String what = c[0] + c[1] + (resolver == following ? " following" : " refusing");
                PathResolver.Resolved direct;
                try {
                    direct = resolver.resolve(c[0] + c[1]);
                } catch (RequestRefusedException e) {
                    assertEquals(e.status(), assertThrows(RequestRefusedException.class,
                            () -> resolver.resolveIn(dir, c[1]), what).status(), what);
                    compared++;
                    continue;
                }
                PathResolver.Resolved in = resolver.resolveIn(dir, c[1]);
                assertEquals(direct.file(), in.file(), what);
                assertEquals(direct.segments(), in.segments(), what);
                assertEquals(direct.attributes().fileKey(), in.attributes().fileKey(), what);
                assertEquals(direct.attributes().isDirectory(), in.attributes().isDirectory(), what);
                compared++;
            }
        }
        assertEquals(2 * cases.length - 2, compared, "every case but /inside-dir-link/ with symlinks refused");
    }

    @Test
    void dotSegmentsInEveryEncodingAreRefused() {
        for (String t : new String[] {"/../secret.txt", "/dir/../../secret.txt", "/dir/..", "/./dir",
                "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/dir/%2e%2e/%2e%2e/secret.txt",
                "/%2e"}) {
            assertEquals(HttpResponseStatus.FORBIDDEN, refusal(following, t), t);
        }
    }

    @Test
    void encodedSlashesBackslashesAndNulsAreRefused() {
        for (String t : new String[] {"/..%2fsecret.txt", "/dir%2Ffile.txt", "/..%5csecret.txt", "/dir\\file.txt",
                "/..\\secret.txt", "/dir/file.txt%00.html", "/dir/file.txt\0", "/%00"}) {
            assertEquals(HttpResponseStatus.FORBIDDEN, refusal(following, t), t);
        }
    }

    @Test
    void malformedEscapesAndOverlongUtf8AreBadRequests() {
        for (String t : new String[] {"/%zz", "/%2", "/abc%", "/%c0%ae%c0%ae/secret.txt", "/%e0%80%ae", "/%ff",
                "*", "secret.txt"}) {
            assertEquals(HttpResponseStatus.BAD_REQUEST, refusal(following, t), t);
        }
    }

    @Test
    void symlinksInsideTheRootAreServedAndThoseLeadingOutAreRefused() throws Exception {
        assertEquals(root.resolve("dir/file.txt"), following.resolve("/inside-link").file());
        assertEquals(root.resolve("dir/file.txt"), following.resolve("/inside-dir-link/file.txt").file());
        assertEquals(HttpResponseStatus.FORBIDDEN, refusal(following, "/outside-link"));
        assertEquals(HttpResponseStatus.FORBIDDEN, refusal(following, "/outside-dir-link/secret.txt"));
    }

    @Test
    void everySymlinkIsRefusedWhenSymlinksAreOff() throws Exception {
        assertEquals(root.resolve("dir/file.txt"), refusing.resolve("/dir/file.txt").file());
        for (String t : new String[] {"/inside-link", "/inside-dir-link/file.txt", "/outside-link"}) {
            assertEquals(HttpResponseStatus.FORBIDDEN, refusal(refusing, t), t);
        }
    }

    @Test
    void missingFilesAreNotFound() {
        assertEquals(HttpResponseStatus.NOT_FOUND, refusal(following, "/nope"));
        assertEquals(HttpResponseStatus.NOT_FOUND, refusal(following, "/dir/file.txt/below"));
        assertEquals(HttpResponseStatus.NOT_FOUND, refusal(refusing, "/nope"));
    }

    @Test
    void canonicalPathsAreReEncoded() throws Exception {
        assertEquals("/a%20b%25%C3%BC.txt/", following.resolve("/a%20b%25%C3%BC.txt").canonicalPath(true));
        assertEquals("/dir/", following.resolve("//dir").canonicalPath(true));
        assertEquals("/", following.resolve("/").canonicalPath(false));
    }
}

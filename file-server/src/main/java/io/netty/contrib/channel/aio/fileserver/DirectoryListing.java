/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTML page listing a directory: subdirectories first, then files, each by name; sizes in bytes, modification
 * times in UTC. Every name is percent-encoded in its link and HTML-escaped in its text, so a file called
 * {@code <script>} or {@code javascript:x} is shown, not run. Entries the server would refuse (symlinks leading
 * outside the root, or any symlink when symlinks are refused) are left out. Stateless; blocks on the directory
 * read.
 */
final class DirectoryListing {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private DirectoryListing() {
    }

    private static final class Entry implements Comparable<Entry> {
        final String name;
        final BasicFileAttributes attrs;

        Entry(String name, BasicFileAttributes attrs) {
            this.name = name;
            this.attrs = attrs;
        }

        @Override
        public int compareTo(Entry o) {
            if (attrs.isDirectory() != o.attrs.isDirectory()) {
                return attrs.isDirectory() ? -1 : 1;
            }
            return name.compareTo(o.name);
        }
    }

    /** The page for {@code dir}, which was requested as {@code segments} (decoded, empty for the root). */
    static String render(Path dir, List<String> segments, PathResolver resolver) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                if (!resolver.isListable(p)) {
                    continue;
                }
                try {
                    entries.add(new Entry(p.getFileName().toString(),
                            Files.readAttributes(p, BasicFileAttributes.class)));
                } catch (IOException e) {
                    // A dangling symlink or an entry removed meanwhile: nothing to link to.
                }
            }
        }
        entries.sort(null);

        StringBuilder title = new StringBuilder("/");
        for (String s : segments) {
            title.append(s).append('/');
        }
        StringBuilder sb = new StringBuilder(256 + entries.size() * 160);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of ");
        UriEncoding.appendHtmlEscaped(sb, title.toString());
        sb.append("</title>\n<style>body{font-family:sans-serif}td{padding:0 1em 0 0}"
                + "td.n{text-align:right}</style></head>\n<body><h1>Index of ");
        UriEncoding.appendHtmlEscaped(sb, title.toString());
        sb.append("</h1>\n<table>\n<tr><th>Name</th><th>Size</th><th>Modified (UTC)</th></tr>\n");
        if (!segments.isEmpty()) {
            sb.append("<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n");
        }
        for (Entry e : entries) {
            boolean isDir = e.attrs.isDirectory();
            sb.append("<tr><td><a href=\"");
            UriEncoding.appendEncodedSegment(sb, e.name);
            if (isDir) {
                sb.append('/');
            }
            sb.append("\">");
            UriEncoding.appendHtmlEscaped(sb, e.name);
            if (isDir) {
                sb.append('/');
            }
            sb.append("</a></td><td class=\"n\">");
            if (!isDir) {
                sb.append(e.attrs.size());
            }
            sb.append("</td><td>").append(TIME.format(e.attrs.lastModifiedTime().toInstant()))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n</body></html>\n");
        return sb.toString();
    }
}

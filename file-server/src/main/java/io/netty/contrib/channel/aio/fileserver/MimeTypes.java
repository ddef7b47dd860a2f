/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code Content-Type} from a file name's extension, from a fixed table (not {@code /etc/mime.types}, so that the
 * answer is the same on every machine). Unknown extensions are {@code application/octet-stream}. Thread-safe.
 */
final class MimeTypes {
    static final String DEFAULT = "application/octet-stream";
    private static final Map<String, String> BY_EXTENSION = new HashMap<>();

    static {
        String utf8 = "; charset=utf-8";
        put("text/html" + utf8, "html", "htm");
        put("text/plain" + utf8, "txt", "text", "log", "conf", "ini", "properties", "java", "c", "h", "cc", "cpp",
                "hpp", "py", "rs", "go", "sh", "toml", "gradle", "kt", "sql");
        put("text/markdown" + utf8, "md", "markdown");
        put("text/css" + utf8, "css");
        put("text/csv" + utf8, "csv");
        put("text/javascript" + utf8, "js", "mjs");
        put("application/json", "json", "map");
        put("application/xml", "xml", "pom", "xsd");
        put("application/yaml", "yaml", "yml");
        put("image/svg+xml", "svg");
        put("image/png", "png");
        put("image/jpeg", "jpg", "jpeg");
        put("image/gif", "gif");
        put("image/webp", "webp");
        put("image/avif", "avif");
        put("image/x-icon", "ico");
        put("image/bmp", "bmp");
        put("image/tiff", "tif", "tiff");
        put("font/woff", "woff");
        put("font/woff2", "woff2");
        put("font/ttf", "ttf");
        put("font/otf", "otf");
        put("audio/mpeg", "mp3");
        put("audio/ogg", "ogg", "oga");
        put("audio/wav", "wav");
        put("audio/flac", "flac");
        put("video/mp4", "mp4", "m4v");
        put("video/webm", "webm");
        put("video/x-matroska", "mkv");
        put("application/pdf", "pdf");
        put("application/zip", "zip");
        put("application/java-archive", "jar", "war");
        put("application/gzip", "gz", "tgz");
        put("application/x-xz", "xz");
        put("application/zstd", "zst");
        put("application/x-bzip2", "bz2");
        put("application/x-tar", "tar");
        put("application/x-7z-compressed", "7z");
        put("application/wasm", "wasm");
        put("application/x-iso9660-image", "iso");
        put("application/vnd.debian.binary-package", "deb");
        put("application/x-rpm", "rpm");
    }

    private MimeTypes() {
    }

    private static void put(String type, String... extensions) {
        for (String e : extensions) {
            BY_EXTENSION.put(e, type);
        }
    }

    /** The content type for {@code fileName}, by its extension (case-insensitive). */
    static String of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
    }
}

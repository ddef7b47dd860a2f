/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.nio.charset.StandardCharsets;

/**
 * Escaping of file names for the places they end up in: URI path segments (percent-encoding of everything but
 * RFC 3986's unreserved characters, so that a name like {@code javascript:x} or {@code a?b} stays one relative
 * path segment) and HTML text and attribute values. Stateless.
 */
final class UriEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriEncoding() {
    }

    /** Appends {@code segment} percent-encoded (UTF-8) so that it reads back as exactly one path segment. */
    static void appendEncodedSegment(StringBuilder sb, String segment) {
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >>> 4]).append(HEX[c & 0xf]);
            }
        }
    }

    /** Appends {@code text} with {@code & < > " '} replaced by character references: safe in text and attributes. */
    static void appendHtmlEscaped(StringBuilder sb, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&':
                    sb.append("&amp;");
                    break;
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                case '\'':
                    sb.append("&#39;");
                    break;
                default:
                    sb.append(c);
            }
        }
    }
}

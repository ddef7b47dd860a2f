/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which precompressed sibling of a file a request may be answered with ({@code f.br}, {@code f.gz} next to
 * {@code f}, as nginx's {@code gzip_static} and Caddy's {@code precompressed}), from its {@code Accept-Encoding}
 * (RFC 9110 12.5.3): a coding is acceptable when listed with a weight above 0, or covered by {@code *} with one and
 * not listed with {@code q=0}. Stateless.
 */
final class ContentCodings {
    /** A coding the server has siblings for: its token and the suffix of the sibling's name. */
    enum Coding {
        BR("br", ".br"),
        GZIP("gzip", ".gz");

        final String token;
        final String suffix;

        Coding(String token, String suffix) {
            this.token = token;
            this.suffix = suffix;
        }
    }

    /** Longest Accept-Encoding looked at: the codec bounds the head already; this bounds the work. */
    private static final int MAX_LENGTH = 1024;

    private ContentCodings() {
    }

    /**
     * The codings of {@code acceptEncoding} the server can serve, most preferred first (higher weight; on a tie,
     * br, the smaller); empty when none or when the header is absent.
     */
    static List<Coding> acceptable(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isEmpty() || acceptEncoding.length() > MAX_LENGTH) {
            return List.of();
        }
        double br = -1;
        double gzip = -1;
        double any = -1;
        for (String element : acceptEncoding.split(",")) {
            String[] parts = element.split(";");
            String token = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                    if (!(q >= 0 && q <= 1)) {
                        q = 0;
                    }
                }
            }
            switch (token) {
                case "br":
                    br = Math.max(br, q);
                    break;
                case "gzip":
                case "x-gzip":
                    gzip = Math.max(gzip, q);
                    break;
                case "*":
                    any = Math.max(any, q);
                    break;
                default:
                    break;
            }
        }
        if (br < 0) {
            br = any;
        }
        if (gzip < 0) {
            gzip = any;
        }
        List<Coding> result = new ArrayList<>(2);
        if (br > 0 && br >= gzip) {
            result.add(Coding.BR);
            if (gzip > 0) {
                result.add(Coding.GZIP);
            }
        } else if (gzip > 0) {
            result.add(Coding.GZIP);
            if (br > 0) {
                result.add(Coding.BR);
            }
        }
        return result;
    }
}

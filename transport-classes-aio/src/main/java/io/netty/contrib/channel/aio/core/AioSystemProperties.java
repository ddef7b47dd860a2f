/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.util.internal.SystemPropertyUtil;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The one parser of the transport's {@code io.netty.aio.*} system properties. Lenient where leniency cannot
 * mislead — names of constants in any case, surrounding blanks ignored, an empty value taken as unset — and strict
 * everywhere else: a value that is not one of the accepted ones is an {@link IllegalArgumentException} naming the
 * property, the value and what is accepted, never a silent fall back to the default (a typo in a deployment's
 * {@code -D} would otherwise change nothing, unnoticed). Internal to the transport: public only so that its
 * packages can share it. Stateless; any thread.
 */
public final class AioSystemProperties {
    private AioSystemProperties() {
    }

    /**
     * What {@code reader} returns, or the {@link IllegalArgumentException} it throws: for a holder class that reads
     * its properties once, so that a bad value fails each use with a clear message instead of failing class
     * initialization (after which the JVM reports only {@code NoClassDefFoundError}). Pair with {@link #result}.
     */
    public static Object attempt(Supplier<?> reader) {
        try {
            return reader.get();
        } catch (IllegalArgumentException e) {
            return e;
        }
    }

    /** The value {@link #attempt} kept, or a new {@link IllegalArgumentException} with the message it caught. */
    public static <T> T result(Object attempt, Class<T> type) {
        if (attempt instanceof IllegalArgumentException) {
            IllegalArgumentException cause = (IllegalArgumentException) attempt;
            throw new IllegalArgumentException(cause.getMessage(), cause);
        }
        return type.cast(attempt);
    }

    /** The value of {@code property}, blanks trimmed; null when unset or empty. */
    private static String raw(String property) {
        String v = SystemPropertyUtil.get(property);
        if (v == null) {
            return null;
        }
        v = v.trim();
        return v.isEmpty() ? null : v;
    }

    /**
     * {@code property} as a constant of {@code type}, in any case; {@code fallback} when unset.
     *
     * @throws IllegalArgumentException naming the property, its value and the accepted names
     */
    public static <E extends Enum<E>> E enumValue(String property, Class<E> type, E fallback) {
        String v = raw(property);
        if (v == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException("-D" + property + "=" + v + ": expected one of "
                + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "))
                + " (any case)");
    }

    /**
     * {@code property} as a whole number in {@code [min, max]}; {@code fallback} when unset.
     *
     * @throws IllegalArgumentException naming the property, its value and the accepted range
     */
    public static long longValue(String property, long fallback, long min, long max) {
        String v = raw(property);
        if (v == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(outOfRange(property, v, min, max), e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(outOfRange(property, v, min, max));
        }
        return n;
    }

    /** {@link #longValue} for an {@code int}. */
    public static int intValue(String property, int fallback, int min, int max) {
        return (int) longValue(property, fallback, min, max);
    }

    private static String outOfRange(String property, String value, long min, long max) {
        return "-D" + property + "=" + value + ": expected a whole number from " + min + " to " + max;
    }
}

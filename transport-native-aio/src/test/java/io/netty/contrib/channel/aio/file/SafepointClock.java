/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Total time this JVM has spent at safepoints (all threads stopped: GC pauses, deoptimisation, ...), read live
 * from HotSpot's shared perf-data file ({@code /tmp/hsperfdata_<user>/<pid>}, the one {@code jstat} reads;
 * {@code -XX:-UsePerfData} turns it off). The file is a header followed by named entries:
 * <pre>
 * prologue: int magic 0xcafec0c0; byte byte_order (1 = little endian); byte major; byte minor; byte accessible;
 *           int used; int overflow; long mod_time_stamp; int entry_offset; int num_entries
 * entry:    int entry_length; int name_offset; int vector_length; byte data_type; byte flags; byte data_units;
 *           byte data_variability; int data_offset   (name and data at those offsets from the entry)
 * </pre>
 * {@code sun.rt.safepointTime} counts ticks of {@code sun.os.hrt.frequency} per second. Thread-safe.
 */
final class SafepointClock {
    private static final MappedByteBuffer DATA;
    private static final int SAFEPOINT_TIME;
    private static final long FREQUENCY;

    static {
        Path file = Paths.get("/tmp", "hsperfdata_" + System.getProperty("user.name"),
                String.valueOf(ProcessHandle.current().pid()));
        try (FileChannel ch = FileChannel.open(file)) {
            DATA = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JVM's perf data (-XX:+UsePerfData is needed)", e);
        }
        if (DATA.getInt(0) != 0xcafec0c0) {
            throw new IllegalStateException("not a HotSpot perf-data file: " + file);
        }
        DATA.order(DATA.get(4) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        SAFEPOINT_TIME = find("sun.rt.safepointTime");
        FREQUENCY = DATA.getLong(find("sun.os.hrt.frequency"));
    }

    private SafepointClock() {
    }

    /** The data offset of a long entry. */
    private static int find(String name) {
        int entry = DATA.getInt(24);
        int entries = DATA.getInt(28);
        for (int i = 0; i < entries; i++) {
            int nameAt = entry + DATA.getInt(entry + 4);
            int end = nameAt;
            while (DATA.get(end) != 0) {
                end++;
            }
            byte[] bytes = new byte[end - nameAt];
            DATA.get(nameAt, bytes);
            if (name.equals(new String(bytes, StandardCharsets.US_ASCII))) {
                if (DATA.get(entry + 12) != 'J') {
                    throw new IllegalStateException(name + " is not a long counter");
                }
                return entry + DATA.getInt(entry + 16);
            }
            entry += DATA.getInt(entry);
        }
        throw new IllegalStateException("no perf counter " + name);
    }

    static long nanos() {
        long ticks = DATA.getLong(SAFEPOINT_TIME);
        return FREQUENCY == 1_000_000_000L ? ticks : (long) (ticks * (1e9 / FREQUENCY));
    }
}

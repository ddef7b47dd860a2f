/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.contrib.channel.aio.core.NativeFiles;

import java.util.concurrent.TimeUnit;

/**
 * What the server needs of a file's {@code struct statx}, copied out of native memory: read from the descriptor
 * it serves (or, for a listing entry, relative to the directory descriptor listed). Immutable.
 *
 * @param type         {@code st_mode & S_IFMT}
 * @param size         bytes
 * @param mtimeSeconds modification time, seconds since the epoch
 * @param mtimeNanos   and its nanoseconds
 * @param inode        inode number, part of the ETag's input through the modification time and size only
 */
record FileAttributes(int type, long size, long mtimeSeconds, int mtimeNanos, long inode) {

    boolean isRegularFile() {
        return type == NativeFiles.S_IFREG;
    }

    boolean isDirectory() {
        return type == NativeFiles.S_IFDIR;
    }

    long lastModifiedMillis() {
        return TimeUnit.SECONDS.toMillis(mtimeSeconds) + mtimeNanos / 1_000_000;
    }

    long lastModifiedMicros() {
        return TimeUnit.SECONDS.toMicros(mtimeSeconds) + mtimeNanos / 1_000;
    }
}

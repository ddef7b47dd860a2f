/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import java.nio.file.OpenOption;

/**
 * Open options of {@link AioFile#open} beyond {@link java.nio.file.StandardOpenOption}, which it also takes
 * ({@code READ}, {@code WRITE}, {@code APPEND}, {@code CREATE}, {@code CREATE_NEW}, {@code TRUNCATE_EXISTING},
 * {@code DSYNC}, {@code SYNC}; {@code SPARSE} is accepted and means nothing on Linux).
 */
public enum AioOpenOption implements OpenOption {
    /**
     * {@code O_DIRECT}: I/O bypasses the page cache and is truly asynchronous. Offsets, lengths and buffer
     * addresses must meet the file's {@link AioFileAlignment}; see {@link AioFile} for what happens when they do
     * not.
     */
    DIRECT,
    /** {@code O_NOATIME}: reads do not update the access time (owner or CAP_FOWNER only). */
    NOATIME
}

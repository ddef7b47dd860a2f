/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

/**
 * Native getters for the flag values of the "fds" area, each defined once in {@code netty_aio_fds.c}
 * ({@code NETTY_AIO_FDS_CONSTANTS}). Only {@link NativeFds} calls these, once, into {@code static final} fields: a
 * class of its own, registered before {@link NativeFds}, because finding a class from {@code JNI_OnLoad}
 * initialises it. No state; any thread.
 */
final class NativeFdsConstants {
    private NativeFdsConstants() {
    }

    static native int seekSet();
    static native int seekCur();
}

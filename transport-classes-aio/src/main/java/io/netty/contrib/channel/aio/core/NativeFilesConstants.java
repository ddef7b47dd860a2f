/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

/**
 * Native getters for the sizes, offsets and flag values of the "files" area, each defined once in
 * {@code netty_aio_files.c} ({@code NETTY_AIO_FILES_CONSTANTS}). Only {@link NativeFiles} calls these, once, into
 * {@code static final} fields: a class of their own, registered before {@link NativeFiles}, because
 * {@code RegisterNatives} needs the class and finding a class from {@code JNI_OnLoad} initialises it.
 */
final class NativeFilesConstants {
    private NativeFilesConstants() {
    }

    static native int sizeofStatx();
    static native int offsetofStatxMask();
    static native int offsetofStatxBlksize();
    static native int offsetofStatxMode();
    static native int offsetofStatxIno();
    static native int offsetofStatxSize();
    static native int offsetofStatxBlocks();
    static native int offsetofStatxMtime();
    static native int offsetofStatxTimestampSec();
    static native int offsetofStatxTimestampNsec();
    static native int offsetofStatxRdevMajor();
    static native int offsetofStatxRdevMinor();
    static native int offsetofStatxDevMajor();
    static native int offsetofStatxDevMinor();
    static native int offsetofStatxDioMemAlign();
    static native int offsetofStatxDioOffsetAlign();
    static native int statxType();
    static native int statxMode();
    static native int statxMtime();
    static native int statxIno();
    static native int statxSize();
    static native int statxBlocks();
    static native int statxBasicStats();
    static native int statxDioalign();
    static native int atEmptyPath();
    static native int atSymlinkNofollow();
    static native int sIfmt();
    static native int sIfreg();
    static native int sIfdir();
    static native int sIfblk();
    static native int sIfchr();
    static native int sIfifo();
    static native int sIfsock();
    static native int sIflnk();
    static native int oAccmode();
    static native int oPath();
    static native int oNofollow();
    static native int oNoctty();
    static native int resolveNoXdev();
    static native int resolveNoMagiclinks();
    static native int resolveNoSymlinks();
    static native int resolveBeneath();
    static native int resolveInRoot();
    static native int resolveCached();
    static native int offsetofDirentIno();
    static native int offsetofDirentReclen();
    static native int offsetofDirentType();
    static native int offsetofDirentName();
    static native int dtUnknown();
    static native int dtReg();
    static native int dtDir();
    static native int dtLnk();
    static native int fallocFlKeepSize();
    static native int fallocFlPunchHole();
    static native int fallocFlZeroRange();
    static native int pageSize();
}

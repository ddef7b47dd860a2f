/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;

/**
 * The read policy of one {@link AioFile} and what it has learnt: which descriptor and flags a read takes — the
 * buffered descriptor with {@code RWF_NOWAIT} first, or the {@code O_DIRECT} one — what the filesystem has shown it
 * refuses ({@code RWF_NOWAIT} on buffered reads, {@code RWF_NOWAIT} on {@code O_DIRECT} reads), and the
 * {@code O_DIRECT} descriptor itself: opened with the file for {@link AioReadPolicy#DIRECT}, at the first page-cache
 * miss for {@link AioReadPolicy#HYBRID}, closed with the file. Host thread only, but for the final fields and
 * {@link #hasDirectPath()} (a recent value elsewhere).
 */
final class ReadPath {
    // Logged under AioFile's name: where a user looks for the file's messages.
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AioFile.class);

    /** {@link #directFd} of a HYBRID file before its first page-cache miss: the descriptor is opened then. */
    static final int DIRECT_FD_LATER = -2;

    private final String name;
    private final int fd;
    /** The open(2) flags, for the O_DIRECT descriptor opened later. */
    private final int openFlags;
    private final boolean direct;
    private final AioReadPolicy policy;
    /** The O_DIRECT descriptor; -1 if none (not wanted, or refused), {@link #DIRECT_FD_LATER}. */
    private int directFd;
    private boolean nowaitSupported = true;
    private boolean directNowaitSupported = true;

    ReadPath(String name, int fd, int openFlags, AioReadPolicy policy, int directFd) {
        this.name = name;
        this.fd = fd;
        this.openFlags = openFlags;
        this.direct = (openFlags & Native.O_DIRECT) != 0;
        this.policy = policy;
        this.directFd = directFd;
    }

    /**
     * The {@code O_DIRECT} descriptor a file opened with {@code openFlags} starts with under {@code policy}: opened
     * now for {@link AioReadPolicy#DIRECT}, {@link #DIRECT_FD_LATER} for {@link AioReadPolicy#HYBRID}, -1 when none is
     * needed (an {@code O_DIRECT} or write-only file, {@link AioReadPolicy#BUFFERED}).
     *
     * @throws IOException when {@link AioReadPolicy#DIRECT} needs one and the filesystem refuses {@code O_DIRECT}
     */
    static int initialDirectFd(String name, int fd, int openFlags, AioReadPolicy policy) throws IOException {
        int accessMode = openFlags & NativeFiles.O_ACCMODE;
        boolean readable = accessMode == Native.O_RDONLY || accessMode == Native.O_RDWR;
        if ((openFlags & Native.O_DIRECT) != 0 || !readable) {
            return -1;
        }
        if (policy == AioReadPolicy.DIRECT) {
            int directFd = reopenDirect(fd, openFlags);
            if (directFd < 0) {
                throw new IOException("AioReadPolicy.DIRECT needs O_DIRECT, which " + name + " refuses: "
                        + Native.describeResult(directFd) + " (tmpfs before Linux 6.6 and some FUSE filesystems do "
                        + "not support it; use AioReadPolicy.HYBRID or BUFFERED)");
            }
            return directFd;
        }
        // HYBRID: opened at the first page-cache miss, so that a file served from the cache (most small files a
        // server sends) never pays for the second open and close.
        return policy == AioReadPolicy.HYBRID ? DIRECT_FD_LATER : -1;
    }

    /** A new O_DIRECT descriptor for reading {@code fd}'s file, or -errno. */
    private static int reopenDirect(int fd, int flags) {
        return reopen(fd, Native.O_RDONLY | Native.O_DIRECT | Native.O_CLOEXEC | (flags & Native.O_NOATIME));
    }

    /**
     * A new descriptor of {@code fd}'s file opened with {@code flags}, or -errno. Re-opening through /proc gives a
     * new open file description of the same inode, whatever became of the path (renamed, deleted); the lookup of
     * the magic link reads nothing from the disk.
     */
    static int reopen(int fd, int flags) {
        return Native.open("/proc/self/fd/" + fd, flags, 0);
    }

    AioReadPolicy policy() {
        return policy;
    }

    /** Whether reads go straight to the direct path. */
    boolean readsDirect() {
        return direct || policy == AioReadPolicy.DIRECT;
    }

    /** Whether reads try the page cache first with RWF_NOWAIT. */
    boolean readsNowait() {
        return policy == AioReadPolicy.HYBRID && nowaitSupported;
    }

    void nowaitUnsupported() {
        if (nowaitSupported) {
            nowaitSupported = false;
            logger.debug("{}: the filesystem refuses RWF_NOWAIT reads; reading through the direct path", name);
        }
    }

    /** Whether O_DIRECT reads go with RWF_NOWAIT (until the filesystem refuses it once). */
    boolean readsDirectNowait() {
        return directNowaitSupported;
    }

    void directNowaitUnsupported() {
        if (directNowaitSupported) {
            directNowaitSupported = false;
            logger.debug("{}: the filesystem refuses RWF_NOWAIT on O_DIRECT reads; they are submitted without it "
                    + "(io_submit may then wait for the inode lock or the device queue)", name);
        }
    }

    /** The descriptor of the direct path. */
    int directReadFd() {
        return direct ? fd : directFd;
    }

    /** See {@link AioFile#hasDirectPath()}. */
    boolean hasDirectPath() {
        return direct || directFd >= 0 || directFd == DIRECT_FD_LATER;
    }

    /**
     * {@link #hasDirectPath()}, opening the HYBRID file's O_DIRECT descriptor if that is still to do.
     *
     * @throws IOException when that open failed for want of a descriptor or memory (EMFILE, ENFILE, ENOMEM): the
     *         read that needed it fails with this, naming the errno, instead of reading the miss with a buffered
     *         read that would block the loop on the disk; the next miss tries the open again
     */
    boolean openDirectPath() throws IOException {
        if (directFd == DIRECT_FD_LATER) {
            int res = reopenDirect(fd, openFlags);
            if (res >= 0) {
                directFd = res;
            } else if (res == -Native.EMFILE || res == -Native.ENFILE || res == -Native.ENOMEM) {
                throw new IOException(name + ": no O_DIRECT descriptor for a page-cache miss, open: "
                        + Native.describeResult(res) + " (retried at the next miss; not read with a buffered read, "
                        + "which would block the event loop on the disk)");
            } else {
                logger.debug("{}: no O_DIRECT descriptor ({}); page-cache misses will be read with blocking "
                        + "buffered reads", name, Native.describeResult(res));
                directFd = -1;
            }
        }
        return hasDirectPath();
    }

    /**
     * Closes the O_DIRECT descriptor, if one was opened: once, with the file, or when opening the file failed after
     * it. The number stays, so that {@link #hasDirectPath()} answers as before the close.
     */
    void closeDirectFd() {
        if (directFd >= 0) {
            Native.close(directFd);
        }
    }
}

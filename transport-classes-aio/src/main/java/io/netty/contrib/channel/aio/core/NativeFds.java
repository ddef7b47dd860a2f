/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JNI entry points of the "fds" area ({@code netty_aio_fds.c}): what the fd-backed channel needs beyond
 * {@link Native} and {@link NativeFiles} to classify and drive an arbitrary descriptor — its file type,
 * seekability, status flags, terminal modes, pseudo-terminal pairs, {@code pwritev2} with {@code RWF_*} flags and
 * {@code mkfifo}. The {@code read}/{@code write}/{@code writev} calls come from unix-common's
 * {@code FileDescriptor}, {@code F_GETFL} from {@link NativeFiles#getFileStatusFlags}; they are not rebound here.
 *
 * <p>Every wrapper returns its result or {@code -errno} and never throws ({@code EINTR} is retried natively);
 * {@link Native#ioException(String, int)} turns a negative result into an exception. Stateless and thread-safe.
 * Internal to the transport: public only so that its packages (and tests) can share it.
 */
public final class NativeFds {
    static {
        // JNI_OnLoad registers NativeFdsConstants before this class, whose fields below read them.
        Native.ensureLoaded();
    }

    public static final int SEEK_SET = NativeFdsConstants.seekSet();
    public static final int SEEK_CUR = NativeFdsConstants.seekCur();

    private NativeFds() {
    }

    /**
     * {@code fstat(2)}: the {@code S_IFMT} bits of {@code st_mode} (compare with {@link NativeFiles#S_IFREG} and
     * the other {@code S_IF*} constants; 0 for anonymous inodes such as eventfd, timerfd, signalfd and epoll), or
     * -errno: EBADF.
     */
    public static native int fileType(int fd);

    /**
     * {@code lseek(2)}: the new position, or -errno: ESPIPE (pipes, FIFOs, sockets, terminals and stream files
     * such as FunctionFS endpoints cannot seek), EBADF, EINVAL, EOVERFLOW.
     */
    public static native long lseek(int fd, long offset, int whence);

    /**
     * {@code fcntl(F_SETFL)}: replaces the status flags ({@link Native#O_NONBLOCK}, {@link Native#O_APPEND},
     * {@link Native#O_DIRECT}; the access mode bits are ignored). They belong to the open file description, so
     * every descriptor duplicated from it sees the change. Returns 0 or -errno: EBADF, EINVAL.
     */
    public static native int setFileStatusFlags(int fd, int flags);

    /** 1 if {@code fd} is a terminal ({@code tcgetattr} succeeds), 0 if not, or -errno: EBADF. */
    public static native int isTerminal(int fd);

    /**
     * Puts a terminal in raw mode ({@code cfmakeraw}, {@code VMIN 1}, {@code VTIME 0}, applied at once): bytes
     * pass through unchanged in both directions, no echo, no signals. Returns 0 or -errno: ENOTTY, EBADF, EIO.
     */
    public static native int makeRaw(int fd);

    /**
     * {@code posix_openpt(3)}: a new pseudo-terminal master opened with {@code flags} ({@link Native#O_RDWR},
     * {@link NativeFiles#O_NOCTTY}, {@link Native#O_CLOEXEC}, {@link Native#O_NONBLOCK}), or -errno: EMFILE,
     * ENFILE, ENOSPC, EINVAL.
     */
    public static native int posixOpenpt(int flags);

    /** {@code grantpt(3)}: 0 or -errno: EBADF, EINVAL (not a master), EACCES. */
    public static native int grantpt(int fd);

    /** {@code unlockpt(3)}: 0 or -errno: EBADF, EINVAL (not a master). */
    public static native int unlockpt(int fd);

    /**
     * {@code ptsname_r(3)} into {@code out}: the length of the slave's path, or -errno: EBADF, ENOTTY (not a
     * master), ERANGE.
     */
    public static native int ptsname(int fd, byte[] out);

    /**
     * {@code pwritev2(fd, iov, iovcnt, -1, flags)}: a gathering write at the current position with {@code RWF_*}
     * flags. Returns the bytes written or -errno: EAGAIN (would block), EPIPE (no reader), EBADF, EINVAL,
     * EOPNOTSUPP (a flag this file does not support).
     */
    public static native long pwritev2(int fd, long iovAddress, int iovcnt, int flags);

    /**
     * {@code mkfifo(3)}: 0 or -errno: EEXIST, ENOENT, EACCES, ENOTDIR, EROFS. The path is encoded as
     * {@link Native#pathBytes} says, so a name the JDK can open is the name created.
     *
     * @throws IllegalArgumentException if {@code path} holds a NUL or a character the file-name encoding cannot
     *         represent
     */
    public static int mkfifo(String path, int mode) {
        return mkfifo0(Native.pathBytes(path), mode);
    }

    private static native int mkfifo0(byte[] path, int mode);

    /**
     * The path of the slave of pseudo-terminal master {@code fd}.
     *
     * @throws AioIoException naming the errno (EBADF, ENOTTY when {@code fd} is not a master)
     */
    public static String ptsname(int fd) throws IOException {
        byte[] name = new byte[128];
        int len = ptsname(fd, name);
        if (len < 0) {
            throw Native.ioException("ptsname(" + fd + ')', len);
        }
        return new String(name, 0, len, StandardCharsets.UTF_8);
    }
}

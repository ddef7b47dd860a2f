/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.contrib.channel.aio.core.Native;
import io.netty.util.internal.ObjectUtil;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Open options of {@link AioFile#open} (and {@code AioFdChannel.open}) beyond {@link StandardOpenOption}, which
 * they also take ({@code READ}, {@code WRITE}, {@code APPEND}, {@code CREATE}, {@code CREATE_NEW},
 * {@code TRUNCATE_EXISTING}, {@code DSYNC}, {@code SYNC}; {@code SPARSE} is accepted and means nothing on Linux).
 */
public enum AioOpenOption implements OpenOption {
    /**
     * {@code O_DIRECT}: I/O bypasses the page cache and is truly asynchronous. Offsets, lengths and buffer
     * addresses must meet the file's {@link AioFileAlignment}; see {@link AioFile} for what happens when they do
     * not.
     */
    DIRECT,
    /** {@code O_NOATIME}: reads do not update the access time (owner or CAP_FOWNER only). */
    NOATIME;

    /**
     * The {@code open(2)} flags for {@code options}: {@code O_CLOEXEC} always, {@code O_RDONLY} when neither
     * {@code READ} nor {@code WRITE} (nor {@code APPEND}) is given, and — as {@code Files.newByteChannel} does —
     * {@code CREATE}, {@code CREATE_NEW} and {@code TRUNCATE_EXISTING} only when writing.
     *
     * @throws UnsupportedOperationException for {@code DELETE_ON_CLOSE}, {@code NOFOLLOW_LINKS} or a foreign option
     */
    public static int toFlags(OpenOption... options) {
        boolean read = false;
        boolean write = false;
        int flags = Native.O_CLOEXEC;
        int createFlags = 0;
        for (OpenOption option : options) {
            ObjectUtil.checkNotNull(option, "option");
            if (option == StandardOpenOption.READ) {
                read = true;
            } else if (option == StandardOpenOption.WRITE) {
                write = true;
            } else if (option == StandardOpenOption.APPEND) {
                write = true;
                flags |= Native.O_APPEND;
            } else if (option == StandardOpenOption.CREATE) {
                createFlags |= Native.O_CREAT;
            } else if (option == StandardOpenOption.CREATE_NEW) {
                createFlags |= Native.O_CREAT | Native.O_EXCL;
            } else if (option == StandardOpenOption.TRUNCATE_EXISTING) {
                createFlags |= Native.O_TRUNC;
            } else if (option == StandardOpenOption.DSYNC) {
                flags |= Native.O_DSYNC;
            } else if (option == StandardOpenOption.SYNC) {
                flags |= Native.O_SYNC;
            } else if (option == StandardOpenOption.SPARSE) {
                continue;
            } else if (option == DIRECT) {
                flags |= Native.O_DIRECT;
            } else if (option == NOATIME) {
                flags |= Native.O_NOATIME;
            } else {
                throw new UnsupportedOperationException("unsupported open option " + option);
            }
        }
        if (!read && !write) {
            read = true;
        }
        if (write) {
            flags |= createFlags;
        }
        return flags | (read && write ? Native.O_RDWR : write ? Native.O_WRONLY : Native.O_RDONLY);
    }

    /**
     * The exception for a failed {@code open(path, flags)} (or a failed {@code statx} before it), as {@code Files}
     * would throw it: {@link NoSuchFileException}, {@link FileAlreadyExistsException}, {@link AccessDeniedException},
     * {@link FileSystemException} for a directory or a bad path, an {@link IOException} explaining a refused
     * {@code O_DIRECT}, else one naming the errno.
     *
     * @param res the wrapper's negative result
     */
    public static IOException openFailure(Path path, int res, int flags) {
        String file = path.toString();
        if (res == -Native.ENOENT) {
            return new NoSuchFileException(file);
        }
        if (res == -Native.EEXIST) {
            return new FileAlreadyExistsException(file);
        }
        if (res == -Native.EACCES || res == -Native.EPERM) {
            return new AccessDeniedException(file, null, Native.describeResult(res));
        }
        if (res == -Native.EISDIR) {
            return new FileSystemException(file, null, "is a directory, not a file");
        }
        if (res == -Native.ENOTDIR || res == -Native.ELOOP) {
            return new FileSystemException(file, null, Native.describeResult(res));
        }
        if (res == -Native.EINVAL && (flags & Native.O_DIRECT) != 0) {
            return new IOException("open(" + file + ", O_DIRECT) failed: " + Native.describeResult(res)
                    + ": the filesystem does not support O_DIRECT (tmpfs before Linux 6.6, some FUSE filesystems)");
        }
        return Native.ioException("open(" + file + ')', res);
    }
}

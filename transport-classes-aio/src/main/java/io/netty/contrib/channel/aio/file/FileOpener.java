/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ObjectUtil;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opening an {@link AioFile}: the path's type checked before {@code open(2)} (which would block on a FIFO), the
 * descriptor's type, alignment ({@code statx}) and access mode, the read path's {@code O_DIRECT} descriptor, the
 * host, and the link to it. What fails closes what this class opened and nothing else. Any thread; the syscalls
 * touch metadata, not file data.
 */
final class FileOpener {
    private FileOpener() {
    }

    /** See {@link AioFile#open(EventExecutor, Path, AioFileConfig, OpenOption...)}. */
    static AioFile open(EventExecutor executor, Path path, AioFileConfig config, OpenOption... options)
            throws IOException {
        ObjectUtil.checkNotNull(executor, "executor");
        ObjectUtil.checkNotNull(path, "path");
        config = new AioFileConfig(ObjectUtil.checkNotNull(config, "config"));
        int flags = AioOpenOption.toFlags(options);
        String file = path.toString();

        // Refuse what open(2) would block on (a FIFO waits for its other end) or what is not a file, before opening.
        Statx statx = Statx.current();
        int res = statx.tryFill(file, NativeFiles.STATX_TYPE);
        if (res == 0) {
            checkFileType(statx.type(), file);
        } else if (res != -Native.ENOENT) {
            throw AioOpenOption.openFailure(path, res, flags);
        }
        int fd = Native.open(file, flags, config.permissions());
        if (fd < 0) {
            throw AioOpenOption.openFailure(path, fd, flags);
        }
        try {
            return newFile(file, fd, flags, config, executor, false);
        } catch (Throwable t) {
            Native.close(fd);
            throw t;
        }
    }

    /** See {@link AioFile#adopt(EventExecutor, int, AioFileConfig)}. */
    static AioFile adopt(EventExecutor executor, int fd, AioFileConfig config) throws IOException {
        ObjectUtil.checkNotNull(executor, "executor");
        config = new AioFileConfig(ObjectUtil.checkNotNull(config, "config"));
        String name = "fd " + fd;
        int flags = NativeFiles.getFileStatusFlags(fd);
        if (flags < 0) {
            throw Native.ioException("fcntl(" + name + ", F_GETFL)", flags);
        }
        return newFile(name, fd, flags, config, executor, true);
    }

    /** See {@link AioFile#reopen(EventExecutor, int, String, boolean, AioFileConfig)}. */
    static AioFile reopen(EventExecutor executor, int fd, String name, boolean direct, AioFileConfig config)
            throws IOException {
        ObjectUtil.checkNotNull(executor, "executor");
        ObjectUtil.checkNotNull(name, "name");
        config = new AioFileConfig(ObjectUtil.checkNotNull(config, "config"));
        int flags = Native.O_RDONLY | Native.O_CLOEXEC | (direct ? Native.O_DIRECT : 0);
        int newFd = ReadPath.reopen(fd, flags);
        if (newFd < 0) {
            throw Native.ioException("open(" + name + " through /proc/self/fd/" + fd
                    + (direct ? ", O_RDONLY | O_DIRECT)" : ", O_RDONLY)"), newFd);
        }
        try {
            return newFile(name, newFd, flags, config, executor, true);
        } catch (Throwable t) {
            Native.close(newFd);
            throw t;
        }
    }

    private static AioFile newFile(String name, int fd, int flags, AioFileConfig config, EventExecutor executor,
                                   boolean adopted) throws IOException {
        // One statx for the type check and the alignment: a file server adopts a descriptor per response.
        Statx statx = Statx.current().fill(fd, NativeFiles.STATX_TYPE | NativeFiles.STATX_DIOALIGN, name);
        int type = statx.type();
        if (adopted && type != NativeFiles.S_IFREG && type != NativeFiles.S_IFBLK) {
            throw new IllegalArgumentException(name + " is " + NativeFiles.describeFileType(type) + ", not a regular "
                    + "file or block device: AioFile does positional I/O (use AioFdChannel for pipes, sockets and "
                    + "character devices)");
        }
        checkFileType(type, name);
        boolean blockDevice = type == NativeFiles.S_IFBLK;
        AioFileAlignment alignment = AioFileAlignment.of(fd, statx, blockDevice);
        int directFd = ReadPath.initialDirectFd(name, fd, flags, config.readPolicy());
        AioFileHost host = config.host() != null ? config.host() : AioFileHost.of(executor);
        AioFile file = new AioFile(name, fd, flags, directFd, blockDevice, alignment, config, host, executor);
        try {
            file.lifecycle().link();
        } catch (Throwable t) {
            file.readPath().closeDirectFd();
            throw t;
        }
        return file;
    }

    private static void checkFileType(int type, String name) throws FileSystemException {
        if (type != NativeFiles.S_IFREG && type != NativeFiles.S_IFBLK) {
            throw new FileSystemException(name, null, "is " + NativeFiles.describeFileType(type) + ", not a regular "
                    + "file or block device: AioFile does positional I/O on files"
                    + (type == NativeFiles.S_IFDIR ? "" : " (use AioFdChannel for pipes, sockets and character devices)"));
        }
    }
}

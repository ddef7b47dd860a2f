/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

/**
 * The JNI entry points of the "files" area ({@code netty_aio_files.c}): {@code statx} with
 * {@code STATX_DIOALIGN}, {@code fallocate}, {@code ftruncate}, {@code fcntl(F_GETFL)} and the block-device
 * ioctls, with the kernel constants they need. Every wrapper returns its result or {@code -errno} and never
 * throws ({@code EINTR} is retried natively); {@link Native#ioException(String, int)} turns a negative result into
 * an exception. Internal to the transport: public only so that the transport's packages can share it.
 *
 * <p>{@code struct statx} is read through {@code io.netty.contrib.channel.aio.file.Statx}, at the offsets below,
 * which come from the C side.
 */
public final class NativeFiles {
    static {
        // The library registers this class's natives when it loads. JNI_OnLoad initialises this class (FindClass)
        // after registering NativeFilesConstants, so the fields below can be read from C already.
        Native.ensureLoaded();
    }

    // struct statx (include/uapi/linux/stat.h)
    public static final int SIZEOF_STATX = NativeFilesConstants.sizeofStatx();
    public static final int STATX_MASK_OFFSET = NativeFilesConstants.offsetofStatxMask();
    public static final int STATX_BLKSIZE_OFFSET = NativeFilesConstants.offsetofStatxBlksize();
    public static final int STATX_MODE_OFFSET = NativeFilesConstants.offsetofStatxMode();
    public static final int STATX_INO_OFFSET = NativeFilesConstants.offsetofStatxIno();
    public static final int STATX_SIZE_OFFSET = NativeFilesConstants.offsetofStatxSize();
    public static final int STATX_BLOCKS_OFFSET = NativeFilesConstants.offsetofStatxBlocks();
    public static final int STATX_MTIME_OFFSET = NativeFilesConstants.offsetofStatxMtime();
    public static final int STATX_TIMESTAMP_SEC_OFFSET = NativeFilesConstants.offsetofStatxTimestampSec();
    public static final int STATX_TIMESTAMP_NSEC_OFFSET = NativeFilesConstants.offsetofStatxTimestampNsec();
    public static final int STATX_RDEV_MAJOR_OFFSET = NativeFilesConstants.offsetofStatxRdevMajor();
    public static final int STATX_RDEV_MINOR_OFFSET = NativeFilesConstants.offsetofStatxRdevMinor();
    public static final int STATX_DEV_MAJOR_OFFSET = NativeFilesConstants.offsetofStatxDevMajor();
    public static final int STATX_DEV_MINOR_OFFSET = NativeFilesConstants.offsetofStatxDevMinor();
    public static final int STATX_DIO_MEM_ALIGN_OFFSET = NativeFilesConstants.offsetofStatxDioMemAlign();
    public static final int STATX_DIO_OFFSET_ALIGN_OFFSET = NativeFilesConstants.offsetofStatxDioOffsetAlign();

    // statx mask bits
    public static final int STATX_TYPE = NativeFilesConstants.statxType();
    public static final int STATX_MODE = NativeFilesConstants.statxMode();
    public static final int STATX_MTIME = NativeFilesConstants.statxMtime();
    public static final int STATX_INO = NativeFilesConstants.statxIno();
    public static final int STATX_SIZE = NativeFilesConstants.statxSize();
    public static final int STATX_BLOCKS = NativeFilesConstants.statxBlocks();
    public static final int STATX_BASIC_STATS = NativeFilesConstants.statxBasicStats();
    public static final int STATX_DIOALIGN = NativeFilesConstants.statxDioalign();

    public static final int AT_EMPTY_PATH = NativeFilesConstants.atEmptyPath();
    public static final int AT_SYMLINK_NOFOLLOW = NativeFilesConstants.atSymlinkNofollow();

    // st_mode file types
    public static final int S_IFMT = NativeFilesConstants.sIfmt();
    public static final int S_IFREG = NativeFilesConstants.sIfreg();
    public static final int S_IFDIR = NativeFilesConstants.sIfdir();
    public static final int S_IFBLK = NativeFilesConstants.sIfblk();
    public static final int S_IFCHR = NativeFilesConstants.sIfchr();
    public static final int S_IFIFO = NativeFilesConstants.sIfifo();
    public static final int S_IFSOCK = NativeFilesConstants.sIfsock();
    public static final int S_IFLNK = NativeFilesConstants.sIflnk();

    public static final int O_ACCMODE = NativeFilesConstants.oAccmode();
    public static final int O_PATH = NativeFilesConstants.oPath();
    public static final int O_NOFOLLOW = NativeFilesConstants.oNofollow();
    public static final int O_NOCTTY = NativeFilesConstants.oNoctty();

    // RESOLVE_* flags of openat2(2) (struct open_how.resolve).
    public static final int RESOLVE_NO_XDEV = NativeFilesConstants.resolveNoXdev();
    public static final int RESOLVE_NO_MAGICLINKS = NativeFilesConstants.resolveNoMagiclinks();
    public static final int RESOLVE_NO_SYMLINKS = NativeFilesConstants.resolveNoSymlinks();
    public static final int RESOLVE_BENEATH = NativeFilesConstants.resolveBeneath();
    public static final int RESOLVE_IN_ROOT = NativeFilesConstants.resolveInRoot();
    /** Linux 5.12: the lookup must be answered from the dentry cache, else EAGAIN (no disk read, no wait). */
    public static final int RESOLVE_CACHED = NativeFilesConstants.resolveCached();

    // struct linux_dirent64 { u64 d_ino; s64 d_off; unsigned short d_reclen; unsigned char d_type; char d_name[]; }
    public static final int DIRENT_INO_OFFSET = NativeFilesConstants.offsetofDirentIno();
    public static final int DIRENT_RECLEN_OFFSET = NativeFilesConstants.offsetofDirentReclen();
    public static final int DIRENT_TYPE_OFFSET = NativeFilesConstants.offsetofDirentType();
    public static final int DIRENT_NAME_OFFSET = NativeFilesConstants.offsetofDirentName();
    public static final int DT_UNKNOWN = NativeFilesConstants.dtUnknown();
    public static final int DT_REG = NativeFilesConstants.dtReg();
    public static final int DT_DIR = NativeFilesConstants.dtDir();
    public static final int DT_LNK = NativeFilesConstants.dtLnk();

    // fallocate(2) modes
    public static final int FALLOC_FL_KEEP_SIZE = NativeFilesConstants.fallocFlKeepSize();
    public static final int FALLOC_FL_PUNCH_HOLE = NativeFilesConstants.fallocFlPunchHole();
    public static final int FALLOC_FL_ZERO_RANGE = NativeFilesConstants.fallocFlZeroRange();

    /** The page size, the unit of {@link #cachestat}. */
    public static final int PAGE_SIZE = NativeFilesConstants.pageSize();

    private NativeFiles() {
    }

    /**
     * {@code statx(fd, "", AT_EMPTY_PATH, mask, address)}: fills the {@code struct statx} of {@link #SIZEOF_STATX}
     * bytes at {@code address}. On kernels without statx the basic fields come from {@code fstat}. Returns 0 or
     * -errno: EBADF, ENOMEM.
     */
    public static native int fstatx(int fd, int mask, long address);

    /**
     * {@code statx(AT_FDCWD, path, atFlags, mask, address)}. Returns 0 or -errno: ENOENT, EACCES, ENOTDIR, ELOOP,
     * ENAMETOOLONG, ENOMEM. The path is encoded as {@link Native#pathBytes} says.
     *
     * @throws IllegalArgumentException if {@code path} holds a NUL or a character the file-name encoding lacks
     */
    public static int statx(String path, int atFlags, int mask, long address) {
        return statx0(Native.pathBytes(path), atFlags, mask, address);
    }

    private static native int statx0(byte[] path, int atFlags, int mask, long address);

    /**
     * {@code statx(dirfd, path, atFlags, mask, address)}: a path relative to the directory open as {@code dirfd}
     * (an {@link #O_PATH} descriptor will do). Returns 0 or -errno as {@link #statx}.
     *
     * @throws IllegalArgumentException if {@code path} holds a NUL or a character the file-name encoding lacks
     */
    public static int statxAt(int dirfd, String path, int atFlags, int mask, long address) {
        return statxAt0(dirfd, Native.pathBytes(path), atFlags, mask, address);
    }

    private static native int statxAt0(int dirfd, byte[] path, int atFlags, int mask, long address);

    /**
     * openat(2). Returns the new descriptor or -errno: ENOENT, EACCES, ELOOP ({@link #O_NOFOLLOW} on a symlink),
     * ENOTDIR, EMFILE, ENFILE, ENAMETOOLONG.
     *
     * @throws IllegalArgumentException if {@code path} holds a NUL or a character the file-name encoding lacks
     */
    public static int openat(int dirfd, String path, int flags, int mode) {
        return openat0(dirfd, Native.pathBytes(path), flags, mode);
    }

    private static native int openat0(int dirfd, byte[] path, int flags, int mode);

    /**
     * openat2(2) (Linux 5.6) with {@code struct open_how} {@code {flags, 0, resolve}}: {@code resolve} is a set
     * of {@code RESOLVE_*} flags. Returns the new descriptor or -errno: ENOSYS (an older kernel or a seccomp
     * filter: fall back to a walk with {@link #openat}), EXDEV (the lookup would leave {@code dirfd} under
     * {@link #RESOLVE_BENEATH}), ELOOP (a symlink or magic link {@code resolve} refuses), EAGAIN (a concurrent
     * rename or mount made a {@code ..} lookup unsafe: retry; or, with {@link #RESOLVE_CACHED}, the lookup or open
     * would have to wait: do it where waiting is allowed), EINVAL ({@link #RESOLVE_CACHED} before Linux 5.12, or
     * with {@code O_CREAT}/{@code O_TRUNC}), and the errors of {@link #openat}.
     *
     * @throws IllegalArgumentException if {@code path} holds a NUL or a character the file-name encoding lacks
     */
    public static int openat2(int dirfd, String path, int flags, long resolve) {
        return openat20(dirfd, Native.pathBytes(path), flags, resolve);
    }

    private static native int openat20(int dirfd, byte[] path, int flags, long resolve);

    /**
     * readlinkat(2): the target of the symlink {@code path} under {@code dirfd} ({@code ""} with
     * {@link #O_PATH}{@code |}{@link #O_NOFOLLOW} descriptor of the link itself), or -errno in
     * {@code negativeErrno[0]} and {@code null}: EINVAL (not a symlink), ENOENT, EACCES, ENAMETOOLONG (longer than
     * {@code PATH_MAX}). The bytes are returned raw (decode them with the file-name encoding).
     */
    public static byte[] readlinkat(int dirfd, String path, int[] negativeErrno) {
        byte[] buf = new byte[4096];
        int n = readlinkat0(dirfd, Native.pathBytes(path), buf);
        if (n < 0) {
            negativeErrno[0] = n;
            return null;
        }
        if (n == buf.length) {
            negativeErrno[0] = -Native.ENAMETOOLONG;
            return null;
        }
        return java.util.Arrays.copyOf(buf, n);
    }

    private static native int readlinkat0(int dirfd, byte[] path, byte[] buf);

    /**
     * getdents64(2): fills {@code [address, address + length)} with {@code struct linux_dirent64} records (see the
     * {@code DIRENT_*} offsets; each record's {@code d_reclen} bytes long, its name NUL-terminated). Returns the
     * bytes filled, 0 at the end of the directory, or -errno: EBADF, ENOTDIR, EINVAL (too small for one record),
     * ENOENT (the directory was removed).
     */
    public static native int getdents64(int fd, long address, int length);

    /**
     * A {@link java.io.FileDescriptor} for {@code fd}, so that a {@link java.nio.channels.FileChannel} can be made
     * of a descriptor opened here ({@code new FileInputStream(fd).getChannel()}) without opening the file again
     * by path. The returned object owns {@code fd}: closing the stream or its channel closes it. No cleaner is
     * registered for it: the caller must close it.
     *
     * @throws IllegalStateException if this JDK's {@code FileDescriptor} has no {@code int fd} field
     */
    public static java.io.FileDescriptor newFileDescriptor(int fd) {
        java.io.FileDescriptor result;
        try {
            result = newFileDescriptor0(fd);
        } catch (NoSuchFieldError | NoSuchMethodError e) {
            throw new IllegalStateException("java.io.FileDescriptor has no int fd field in this JDK", e);
        }
        if (result == null) {
            throw new IllegalStateException("could not make a java.io.FileDescriptor for descriptor " + fd);
        }
        return result;
    }

    private static native java.io.FileDescriptor newFileDescriptor0(int fd);

    /** fstat(2): the descriptor's file type ({@code st_mode & }{@link #S_IFMT}), or -errno (EBADF). */
    public static native int fdType(int fd);

    /** fstat(2): the descriptor's size in bytes ({@code st_size}), or -errno (EBADF, EOVERFLOW). */
    public static native long fdSize(int fd);

    /**
     * fallocate(2): allocates ({@code mode} 0 or {@link #FALLOC_FL_KEEP_SIZE}), zeroes or punches a range. Returns
     * 0 or -errno: EBADF (not open for writing), EFBIG, EINVAL, ENOSPC, EOPNOTSUPP (the filesystem lacks the
     * mode), ENODEV / ESPIPE (not a regular file), EPERM (immutable or append-only file).
     */
    public static native int fallocate(int fd, int mode, long offset, long length);

    /**
     * ftruncate(2). Returns 0 or -errno: EBADF / EINVAL (not a regular file open for writing), EFBIG, EPERM, EIO.
     */
    public static native int ftruncate(int fd, long length);

    /** fcntl(fd, F_GETFL): access mode ({@link #O_ACCMODE} bits) and status flags, or -errno (EBADF). */
    public static native int getFileStatusFlags(int fd);

    /** ioctl(BLKSSZGET): the logical block size of a block device, or -errno (ENOTTY: not a block device). */
    public static native int blockDeviceLogicalBlockSize(int fd);

    /** ioctl(BLKGETSIZE64): the size of a block device in bytes, or -errno (ENOTTY: not a block device). */
    public static native long blockDeviceSize(int fd);

    /**
     * The descriptor {@code channel} reads through, read from the JDK's {@code FileChannelImpl} without a syscall,
     * or -errno: EBADF (the channel is closed, or not the JDK's: another provider's {@code FileChannel}), ENOSYS
     * (this JDK keeps its descriptor elsewhere). The descriptor stays the channel's: never close it, and use it only
     * while the channel is open (a closed channel's number may already name another file).
     */
    public static int fileChannelFd(java.nio.channels.FileChannel channel) {
        return fileChannelFd0(channel);
    }

    private static native int fileChannelFd0(java.nio.channels.FileChannel channel);

    /**
     * cachestat(2) (Linux 6.5): how many pages of {@code [offset, offset + length)} ({@code length} 0: to the end of
     * the file) are in the page cache. Returns the count or -errno: ENOSYS (an older kernel), EBADF, EINVAL,
     * EOPNOTSUPP.
     */
    public static native long cachestat(int fd, long offset, long length);

    /**
     * Whether every page of {@code [offset, offset + length)} ({@code length} > 0) is in the page cache, so that
     * a buffered read or {@code sendfile} of it will not wait for the disk (unless the pages are evicted in
     * between); false also when {@link #cachestat} fails (ENOSYS before Linux 6.5).
     */
    public static boolean isCached(int fd, long offset, long length) {
        long pages = (offset + length - 1) / PAGE_SIZE - offset / PAGE_SIZE + 1;
        return cachestat(fd, offset, length) == pages;
    }

    /** A file type ({@code st_mode & S_IFMT}) in words, for messages: "a directory", "a FIFO (pipe)", ... */
    public static String describeFileType(int type) {
        if (type == S_IFREG) {
            return "a regular file";
        }
        if (type == S_IFDIR) {
            return "a directory";
        }
        if (type == S_IFBLK) {
            return "a block device";
        }
        if (type == S_IFCHR) {
            return "a character device";
        }
        if (type == S_IFIFO) {
            return "a FIFO (pipe)";
        }
        if (type == S_IFSOCK) {
            return "a socket";
        }
        if (type == S_IFLNK) {
            return "a symbolic link";
        }
        if (type == 0) {
            return "an anonymous inode (eventfd, timerfd, signalfd, epoll, ...)";
        }
        return "a file of type 0" + Integer.toOctalString(type);
    }
}

/*
 * JNI layer of netty-transport-aio, area "files" (see netty_aio_natives.h):
 * statx (with STATX_DIOALIGN), fallocate, ftruncate, fcntl(F_GETFL), cachestat,
 * the block-device ioctls, and the descriptor-relative lookups (openat, openat2,
 * readlinkat, getdents64) for io.netty.contrib.channel.aio.core.NativeFiles.
 *
 * Same conventions as netty_aio_native.c: static functions registered through a
 * RegisterNatives table, -errno results, EINTR retried here, nothing thrown.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <jni.h>

#include "netty_jni_util.h"
#include "netty_aio_natives.h"

#define NATIVE_FILES_CLASSNAME "io/netty/contrib/channel/aio/core/NativeFiles"
#define NATIVE_FILES_CONSTANTS_CLASSNAME "io/netty/contrib/channel/aio/core/NativeFilesConstants"

/*
 * struct statx as the kernel ABI defines it (include/uapi/linux/stat.h, 256
 * bytes). Declared here rather than taken from a libc header so that the
 * STATX_DIOALIGN fields (Linux 6.1) are there whatever the build machine's
 * headers are; the layout is a stable ABI, extended only into the spare tail.
 */
struct netty_aio_statx_timestamp {
    int64_t tv_sec;
    uint32_t tv_nsec;
    int32_t reserved;
};

struct netty_aio_statx {
    uint32_t stx_mask;
    uint32_t stx_blksize;
    uint64_t stx_attributes;
    uint32_t stx_nlink;
    uint32_t stx_uid;
    uint32_t stx_gid;
    uint16_t stx_mode;
    uint16_t spare0;
    uint64_t stx_ino;
    uint64_t stx_size;
    uint64_t stx_blocks;
    uint64_t stx_attributes_mask;
    struct netty_aio_statx_timestamp stx_atime;
    struct netty_aio_statx_timestamp stx_btime;
    struct netty_aio_statx_timestamp stx_ctime;
    struct netty_aio_statx_timestamp stx_mtime;
    uint32_t stx_rdev_major;
    uint32_t stx_rdev_minor;
    uint32_t stx_dev_major;
    uint32_t stx_dev_minor;
    uint64_t stx_mnt_id;
    uint32_t stx_dio_mem_align;
    uint32_t stx_dio_offset_align;
    uint64_t spare3[12];
};

_Static_assert(sizeof(struct netty_aio_statx) == 256, "struct statx is 256 bytes");

// Mask bits of include/uapi/linux/stat.h, for headers that predate them.
#define NETTY_AIO_STATX_TYPE 0x0001U
#define NETTY_AIO_STATX_MODE 0x0002U
#define NETTY_AIO_STATX_NLINK 0x0004U
#define NETTY_AIO_STATX_UID 0x0008U
#define NETTY_AIO_STATX_GID 0x0010U
#define NETTY_AIO_STATX_ATIME 0x0020U
#define NETTY_AIO_STATX_MTIME 0x0040U
#define NETTY_AIO_STATX_CTIME 0x0080U
#define NETTY_AIO_STATX_INO 0x0100U
#define NETTY_AIO_STATX_SIZE 0x0200U
#define NETTY_AIO_STATX_BLOCKS 0x0400U
#define NETTY_AIO_STATX_BASIC_STATS 0x07ffU
#define NETTY_AIO_STATX_DIOALIGN 0x2000U

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef O_PATH
#define O_PATH 010000000
#endif

/*
 * struct open_how and the RESOLVE_* flags of openat2(2), Linux 5.6 (include/uapi/linux/openat2.h), declared here
 * for C libraries and headers that predate them; the syscall number is the same on every architecture.
 */
#ifndef __NR_openat2
#define __NR_openat2 437
#endif

struct netty_aio_open_how {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};

#define NETTY_AIO_RESOLVE_NO_XDEV 0x01
#define NETTY_AIO_RESOLVE_NO_MAGICLINKS 0x02
#define NETTY_AIO_RESOLVE_NO_SYMLINKS 0x04
#define NETTY_AIO_RESOLVE_BENEATH 0x08
#define NETTY_AIO_RESOLVE_IN_ROOT 0x10
#define NETTY_AIO_RESOLVE_CACHED 0x20

/*
 * struct linux_dirent64 as getdents64(2) fills it (the C library's struct dirent differs on some systems).
 * d_name is NUL-terminated within d_reclen.
 */
struct netty_aio_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static void timestamp_from(struct netty_aio_statx_timestamp* to, const struct timespec* from) {
    to->tv_sec = from->tv_sec;
    to->tv_nsec = (uint32_t) from->tv_nsec;
}

// Kernels before 4.11 have no statx: answer from fstat/fstatat with the basic mask.
static int statx_from_stat(const struct stat* st, struct netty_aio_statx* out) {
    memset(out, 0, sizeof(*out));
    out->stx_mask = NETTY_AIO_STATX_BASIC_STATS;
    out->stx_blksize = (uint32_t) st->st_blksize;
    out->stx_nlink = (uint32_t) st->st_nlink;
    out->stx_uid = st->st_uid;
    out->stx_gid = st->st_gid;
    out->stx_mode = (uint16_t) st->st_mode;
    out->stx_ino = st->st_ino;
    out->stx_size = (uint64_t) st->st_size;
    out->stx_blocks = (uint64_t) st->st_blocks;
    timestamp_from(&out->stx_atime, &st->st_atim);
    timestamp_from(&out->stx_ctime, &st->st_ctim);
    timestamp_from(&out->stx_mtime, &st->st_mtim);
    out->stx_rdev_major = major(st->st_rdev);
    out->stx_rdev_minor = minor(st->st_rdev);
    out->stx_dev_major = major(st->st_dev);
    out->stx_dev_minor = minor(st->st_dev);
    return 0;
}

static int do_statx(int dirfd, const char* path, int flags, unsigned mask, struct netty_aio_statx* out) {
    long res = TEMP_FAILURE_RETRY(syscall(SYS_statx, dirfd, path, flags, mask, out));
    if (res == 0) {
        return 0;
    }
    if (errno != ENOSYS) {
        return -errno;
    }
    struct stat st;
    int r = TEMP_FAILURE_RETRY(fstatat(dirfd, path, &st, flags));
    return r < 0 ? -errno : statx_from_stat(&st, out);
}

// statx(2) of an open descriptor into the struct statx at `address`. 0 or -errno: EBADF, ENOMEM.
static jint netty_aio_files_fstatx(JNIEnv* env, jclass clazz, jint fd, jint mask, jlong address) {
    return do_statx(fd, "", AT_EMPTY_PATH, (unsigned) mask, (struct netty_aio_statx*) (intptr_t) address);
}

// statx(2) of a path. 0 or -errno: ENOENT, EACCES, ENOTDIR, ELOOP, ENAMETOOLONG, ENOMEM.
static jint netty_aio_files_statx(JNIEnv* env, jclass clazz, jbyteArray path, jint atFlags, jint mask,
                                  jlong address) {
    char p[PATH_MAX];
    int res = netty_aio_path_from_bytes(env, path, p);
    if (res < 0) {
        return res;
    }
    return do_statx(AT_FDCWD, p, atFlags, (unsigned) mask, (struct netty_aio_statx*) (intptr_t) address);
}

// statx(2) of a path relative to the directory open as dirfd. 0 or -errno as statx.
static jint netty_aio_files_statxAt(JNIEnv* env, jclass clazz, jint dirfd, jbyteArray path, jint atFlags, jint mask,
                                    jlong address) {
    char p[PATH_MAX];
    int res = netty_aio_path_from_bytes(env, path, p);
    if (res < 0) {
        return res;
    }
    return do_statx(dirfd, p, atFlags, (unsigned) mask, (struct netty_aio_statx*) (intptr_t) address);
}

// openat(2). A descriptor or -errno: ENOENT, EACCES, ELOOP (O_NOFOLLOW on a symlink), ENOTDIR, EMFILE, ...
static jint netty_aio_files_openat(JNIEnv* env, jclass clazz, jint dirfd, jbyteArray path, jint flags, jint mode) {
    char p[PATH_MAX];
    int res = netty_aio_path_from_bytes(env, path, p);
    if (res < 0) {
        return res;
    }
    int fd = TEMP_FAILURE_RETRY(openat(dirfd, p, flags, (mode_t) mode));
    return fd < 0 ? -errno : fd;
}

// openat2(2), Linux 5.6. A descriptor or -errno: ENOSYS (older kernel, or a seccomp filter), EXDEV (the lookup
// would leave dirfd), ELOOP (a symlink or magic link the resolve flags refuse), EAGAIN (a rename or mount raced
// with a RESOLVE_BENEATH lookup of ".."; try again), E2BIG/EINVAL (unknown flags), and open's errors.
static jint netty_aio_files_openat2(JNIEnv* env, jclass clazz, jint dirfd, jbyteArray path, jint flags,
                                    jlong resolve) {
    char p[PATH_MAX];
    int res = netty_aio_path_from_bytes(env, path, p);
    if (res < 0) {
        return res;
    }
    struct netty_aio_open_how how;
    memset(&how, 0, sizeof(how));
    how.flags = (uint64_t) (uint32_t) flags;
    how.resolve = (uint64_t) resolve;
    long fd = TEMP_FAILURE_RETRY(syscall(__NR_openat2, dirfd, p, &how, sizeof(how)));
    return fd < 0 ? -errno : (jint) fd;
}

// readlinkat(2) into buf (not NUL-terminated). The length, or -errno: EINVAL (not a symlink), ENOENT, EACCES.
// A result equal to the buffer's length may have been truncated.
static jint netty_aio_files_readlinkat(JNIEnv* env, jclass clazz, jint dirfd, jbyteArray path, jbyteArray buf) {
    char p[PATH_MAX];
    int res = netty_aio_path_from_bytes(env, path, p);
    if (res < 0) {
        return res;
    }
    char target[PATH_MAX];
    jsize cap = (*env)->GetArrayLength(env, buf);
    size_t len = cap < PATH_MAX ? (size_t) cap : PATH_MAX;
    ssize_t n = readlinkat(dirfd, p, target, len);
    if (n < 0) {
        return -errno;
    }
    (*env)->SetByteArrayRegion(env, buf, 0, (jsize) n, (const jbyte*) target);
    return (jint) n;
}

// getdents64(2): directory entries (struct linux_dirent64) into [address, address + length). The bytes filled,
// 0 at the end of the directory, or -errno: EBADF, ENOTDIR, EINVAL (buffer too small for one entry), ENOENT
// (directory removed).
static jint netty_aio_files_getdents64(JNIEnv* env, jclass clazz, jint fd, jlong address, jint length) {
    long n = TEMP_FAILURE_RETRY(syscall(SYS_getdents64, fd, (void*) (intptr_t) address, (size_t) length));
    return n < 0 ? -errno : (jint) n;
}

// A java.io.FileDescriptor holding fd, so that a FileChannel (FileInputStream(FileDescriptor).getChannel()) can
// serve a descriptor opened here without a second open by path. JNI sets the private field without the module
// checks reflection would need. NULL with a pending exception when the JDK lacks the field (then nothing owns
// fd: the caller closes it).
static jobject netty_aio_files_newFileDescriptor(JNIEnv* env, jclass clazz, jint fd) {
    jclass fdClass = (*env)->FindClass(env, "java/io/FileDescriptor");
    if (fdClass == NULL) {
        return NULL;
    }
    jmethodID ctor = (*env)->GetMethodID(env, fdClass, "<init>", "()V");
    jfieldID field = ctor == NULL ? NULL : (*env)->GetFieldID(env, fdClass, "fd", "I");
    if (field == NULL) {
        return NULL;
    }
    jobject result = (*env)->NewObject(env, fdClass, ctor);
    if (result != NULL) {
        (*env)->SetIntField(env, result, field, fd);
    }
    return result;
}

// fstat(2) of an open descriptor, for the two facts a sender checks before it trusts a descriptor with sendfile
// and AIO reads: the file type (st_mode & S_IFMT) and the size. -errno: EBADF, EOVERFLOW.
static jint netty_aio_files_fdType(JNIEnv* env, jclass clazz, jint fd) {
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return -errno;
    }
    return (jint) (st.st_mode & S_IFMT);
}

static jlong netty_aio_files_fdSize(JNIEnv* env, jclass clazz, jint fd) {
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return -errno;
    }
    return (jlong) st.st_size;
}

// FileChannel -> descriptor, looked up once at load time. The JDK's own class and fields: JNI reads them without
// the module checks reflection would need, and without a syscall.
static jclass fileChannelImplClass = NULL;
static jfieldID fileChannelImplFdFieldId = NULL;
static jfieldID fileDescriptorFdFieldId = NULL;

// The descriptor a JDK FileChannel reads through, for callers that issue their own I/O on the same open file (a
// reopen through /proc/self/fd). -EBADF for a closed channel (its FileDescriptor holds -1) and for a channel the
// JDK did not make (another provider's FileChannel has no descriptor to give). The descriptor stays the
// channel's: it is valid only while the channel is open. -ENOSYS when this JDK's FileChannelImpl has no such field.
static jint netty_aio_files_fileChannelFd(JNIEnv* env, jclass clazz, jobject channel) {
    if (fileChannelImplClass == NULL) {
        return -ENOSYS;
    }
    if (channel == NULL || !(*env)->IsInstanceOf(env, channel, fileChannelImplClass)) {
        return -EBADF;
    }
    jobject fileDescriptor = (*env)->GetObjectField(env, channel, fileChannelImplFdFieldId);
    if (fileDescriptor == NULL) {
        return -EBADF;
    }
    jint fd = (*env)->GetIntField(env, fileDescriptor, fileDescriptorFdFieldId);
    (*env)->DeleteLocalRef(env, fileDescriptor);
    return fd < 0 ? -EBADF : fd;
}

// fallocate(2). 0 or -errno: EBADF, EFBIG, EINVAL, ENOSPC, EOPNOTSUPP, ENODEV, ESPIPE, EPERM.
static jint netty_aio_files_fallocate(JNIEnv* env, jclass clazz, jint fd, jint mode, jlong offset, jlong length) {
    int res = TEMP_FAILURE_RETRY(fallocate(fd, mode, (off_t) offset, (off_t) length));
    return res < 0 ? -errno : 0;
}

// ftruncate(2). 0 or -errno: EBADF, EFBIG, EINVAL (not a regular file or not open for writing), EPERM, EIO.
static jint netty_aio_files_ftruncate(JNIEnv* env, jclass clazz, jint fd, jlong length) {
    int res = TEMP_FAILURE_RETRY(ftruncate(fd, (off_t) length));
    return res < 0 ? -errno : 0;
}

// fcntl(fd, F_GETFL): the access mode and status flags, or -errno (EBADF).
static jint netty_aio_files_getFileStatusFlags(JNIEnv* env, jclass clazz, jint fd) {
    int res = fcntl(fd, F_GETFL);
    return res < 0 ? -errno : res;
}

// ioctl(BLKSSZGET): a block device's logical block size, or -errno (ENOTTY for anything else).
static jint netty_aio_files_blockDeviceLogicalBlockSize(JNIEnv* env, jclass clazz, jint fd) {
    int size = 0;
    if (ioctl(fd, BLKSSZGET, &size) < 0) {
        return -errno;
    }
    return size;
}

// ioctl(BLKGETSIZE64): a block device's size in bytes, or -errno (ENOTTY for anything else).
static jlong netty_aio_files_blockDeviceSize(JNIEnv* env, jclass clazz, jint fd) {
    uint64_t size = 0;
    if (ioctl(fd, BLKGETSIZE64, &size) < 0) {
        return -errno;
    }
    return (jlong) size;
}

// cachestat(2), Linux 6.5, through syscall(2): the C library and kernel headers of older distributions know
// neither the call nor its structs, so both are declared here as the kernel defines them
// (include/uapi/linux/mman.h; the number is the same on every architecture).
#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif

struct netty_aio_cachestat_range {
    uint64_t off;
    uint64_t len;
};

struct netty_aio_cachestat {
    uint64_t nr_cache;
    uint64_t nr_dirty;
    uint64_t nr_writeback;
    uint64_t nr_evicted;
    uint64_t nr_recently_evicted;
};

// The number of pages of [offset, offset + length) in the page cache (length 0: to the end of the file), or
// -errno: ENOSYS (kernel before 6.5), EBADF, EINVAL, EOPNOTSUPP (hugetlbfs).
static jlong netty_aio_files_cachestat(JNIEnv* env, jclass clazz, jint fd, jlong offset, jlong length) {
    struct netty_aio_cachestat_range range = { (uint64_t) offset, (uint64_t) length };
    struct netty_aio_cachestat stat;
    long res = TEMP_FAILURE_RETRY(syscall(__NR_cachestat, fd, &range, &stat, 0));
    return res < 0 ? -errno : (jlong) stat.nr_cache;
}

// ---------------------------------------------------------------- constants

// Each X(name, value) becomes a `static native int name()` of NativeFilesConstants, read once into a static
// final field of NativeFiles: sizes, offsets and flags are defined once, here.
#define NETTY_AIO_FILES_CONSTANTS(X) \
    X(sizeofStatx, sizeof(struct netty_aio_statx)) \
    X(offsetofStatxMask, offsetof(struct netty_aio_statx, stx_mask)) \
    X(offsetofStatxBlksize, offsetof(struct netty_aio_statx, stx_blksize)) \
    X(offsetofStatxMode, offsetof(struct netty_aio_statx, stx_mode)) \
    X(offsetofStatxIno, offsetof(struct netty_aio_statx, stx_ino)) \
    X(offsetofStatxSize, offsetof(struct netty_aio_statx, stx_size)) \
    X(offsetofStatxBlocks, offsetof(struct netty_aio_statx, stx_blocks)) \
    X(offsetofStatxMtime, offsetof(struct netty_aio_statx, stx_mtime)) \
    X(offsetofStatxTimestampSec, offsetof(struct netty_aio_statx_timestamp, tv_sec)) \
    X(offsetofStatxTimestampNsec, offsetof(struct netty_aio_statx_timestamp, tv_nsec)) \
    X(offsetofStatxRdevMajor, offsetof(struct netty_aio_statx, stx_rdev_major)) \
    X(offsetofStatxRdevMinor, offsetof(struct netty_aio_statx, stx_rdev_minor)) \
    X(offsetofStatxDevMajor, offsetof(struct netty_aio_statx, stx_dev_major)) \
    X(offsetofStatxDevMinor, offsetof(struct netty_aio_statx, stx_dev_minor)) \
    X(offsetofStatxDioMemAlign, offsetof(struct netty_aio_statx, stx_dio_mem_align)) \
    X(offsetofStatxDioOffsetAlign, offsetof(struct netty_aio_statx, stx_dio_offset_align)) \
    X(statxType, NETTY_AIO_STATX_TYPE) \
    X(statxMode, NETTY_AIO_STATX_MODE) \
    X(statxMtime, NETTY_AIO_STATX_MTIME) \
    X(statxIno, NETTY_AIO_STATX_INO) \
    X(statxSize, NETTY_AIO_STATX_SIZE) \
    X(statxBlocks, NETTY_AIO_STATX_BLOCKS) \
    X(statxBasicStats, NETTY_AIO_STATX_BASIC_STATS) \
    X(statxDioalign, NETTY_AIO_STATX_DIOALIGN) \
    X(atEmptyPath, AT_EMPTY_PATH) \
    X(atSymlinkNofollow, AT_SYMLINK_NOFOLLOW) \
    X(sIfmt, S_IFMT) \
    X(sIfreg, S_IFREG) \
    X(sIfdir, S_IFDIR) \
    X(sIfblk, S_IFBLK) \
    X(sIfchr, S_IFCHR) \
    X(sIfifo, S_IFIFO) \
    X(sIfsock, S_IFSOCK) \
    X(sIflnk, S_IFLNK) \
    X(oAccmode, O_ACCMODE) \
    X(oPath, O_PATH) \
    X(oNofollow, O_NOFOLLOW) \
    X(oNoctty, O_NOCTTY) \
    X(resolveNoXdev, NETTY_AIO_RESOLVE_NO_XDEV) \
    X(resolveNoMagiclinks, NETTY_AIO_RESOLVE_NO_MAGICLINKS) \
    X(resolveNoSymlinks, NETTY_AIO_RESOLVE_NO_SYMLINKS) \
    X(resolveBeneath, NETTY_AIO_RESOLVE_BENEATH) \
    X(resolveInRoot, NETTY_AIO_RESOLVE_IN_ROOT) \
    X(resolveCached, NETTY_AIO_RESOLVE_CACHED) \
    X(offsetofDirentIno, offsetof(struct netty_aio_dirent64, d_ino)) \
    X(offsetofDirentReclen, offsetof(struct netty_aio_dirent64, d_reclen)) \
    X(offsetofDirentType, offsetof(struct netty_aio_dirent64, d_type)) \
    X(offsetofDirentName, offsetof(struct netty_aio_dirent64, d_name)) \
    X(dtUnknown, DT_UNKNOWN) \
    X(dtReg, DT_REG) \
    X(dtDir, DT_DIR) \
    X(dtLnk, DT_LNK) \
    X(fallocFlKeepSize, FALLOC_FL_KEEP_SIZE) \
    X(fallocFlPunchHole, FALLOC_FL_PUNCH_HOLE) \
    X(fallocFlZeroRange, FALLOC_FL_ZERO_RANGE) \
    X(pageSize, sysconf(_SC_PAGESIZE))

NETTY_AIO_CONSTANT_TABLE(constant_methods, NETTY_AIO_FILES_CONSTANTS);

static const JNINativeMethod files_methods[] = {
    { "fstatx", "(IIJ)I", (void*) netty_aio_files_fstatx },
    { "statx0", "([BIIJ)I", (void*) netty_aio_files_statx },
    { "statxAt0", "(I[BIIJ)I", (void*) netty_aio_files_statxAt },
    { "openat0", "(I[BII)I", (void*) netty_aio_files_openat },
    { "openat20", "(I[BIJ)I", (void*) netty_aio_files_openat2 },
    { "readlinkat0", "(I[B[B)I", (void*) netty_aio_files_readlinkat },
    { "getdents64", "(IJI)I", (void*) netty_aio_files_getdents64 },
    { "newFileDescriptor0", "(I)Ljava/io/FileDescriptor;", (void*) netty_aio_files_newFileDescriptor },
    { "fdType", "(I)I", (void*) netty_aio_files_fdType },
    { "fdSize", "(I)J", (void*) netty_aio_files_fdSize },
    { "fallocate", "(IIJJ)I", (void*) netty_aio_files_fallocate },
    { "ftruncate", "(IJ)I", (void*) netty_aio_files_ftruncate },
    { "getFileStatusFlags", "(I)I", (void*) netty_aio_files_getFileStatusFlags },
    { "blockDeviceLogicalBlockSize", "(I)I", (void*) netty_aio_files_blockDeviceLogicalBlockSize },
    { "blockDeviceSize", "(I)J", (void*) netty_aio_files_blockDeviceSize },
    { "cachestat", "(IJJ)J", (void*) netty_aio_files_cachestat },
    { "fileChannelFd0", "(Ljava/nio/channels/FileChannel;)I", (void*) netty_aio_files_fileChannelFd },
};

static void unload_classes(JNIEnv* env) {
    NETTY_JNI_UTIL_UNLOAD_CLASS(env, fileChannelImplClass);
    fileChannelImplFdFieldId = NULL;
    fileDescriptorFdFieldId = NULL;
}

// A JDK whose FileChannelImpl or FileDescriptor lacks the field leaves the lookups unset: fileChannelFd then
// answers -ENOSYS and its callers take their way without a descriptor, rather than the whole library failing to
// load for one optional fact.
static void load_file_channel_fields(JNIEnv* env) {
    jclass fileDescriptorClass = NULL;
    NETTY_JNI_UTIL_LOAD_CLASS(env, fileChannelImplClass, "sun/nio/ch/FileChannelImpl", fail);
    NETTY_JNI_UTIL_TRY_GET_FIELD(env, fileChannelImplClass, fileChannelImplFdFieldId, "fd",
                                 "Ljava/io/FileDescriptor;");
    NETTY_JNI_UTIL_FIND_CLASS(env, fileDescriptorClass, "java/io/FileDescriptor", fail);
    NETTY_JNI_UTIL_TRY_GET_FIELD(env, fileDescriptorClass, fileDescriptorFdFieldId, "fd", "I");
    NETTY_JNI_UTIL_DELETE_LOCAL(env, fileDescriptorClass);
    if (fileChannelImplFdFieldId != NULL && fileDescriptorFdFieldId != NULL) {
        return;
    }
fail:
    unload_classes(env);
}

jint netty_aio_files_JNI_OnLoad(JNIEnv* env, const char* packagePrefix) {
    load_file_channel_fields(env);
    jint ret = netty_aio_register_area(env, packagePrefix,
                                       NATIVE_FILES_CONSTANTS_CLASSNAME, constant_methods,
                                       NETTY_AIO_ARRAY_LENGTH(constant_methods),
                                       NATIVE_FILES_CLASSNAME, files_methods, NETTY_AIO_ARRAY_LENGTH(files_methods));
    if (ret != 0) {
        unload_classes(env);
    }
    return ret;
}

void netty_aio_files_JNI_OnUnload(JNIEnv* env, const char* packagePrefix) {
    unload_classes(env);
    netty_aio_unregister_area(env, packagePrefix, NATIVE_FILES_CONSTANTS_CLASSNAME, NATIVE_FILES_CLASSNAME);
}

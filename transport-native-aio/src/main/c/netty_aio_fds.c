/*
 * JNI layer of netty-transport-aio, area "fds" (see netty_aio_natives.h): what
 * AioFdChannel needs to classify and drive an arbitrary descriptor — its file
 * type, seekability, status flags, terminal modes and pseudo-terminal pairs,
 * pwritev2 with RWF_* flags, mkfifo — for
 * io.netty.contrib.channel.aio.core.NativeFds.
 *
 * Same conventions as netty_aio_native.c: static functions registered through a
 * RegisterNatives table, -errno results, EINTR retried here, nothing thrown.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <jni.h>

#include "netty_jni_util.h"
#include "netty_aio_natives.h"

#define NATIVE_FDS_CLASSNAME "io/netty/contrib/channel/aio/core/NativeFds"
#define NATIVE_FDS_CONSTANTS_CLASSNAME "io/netty/contrib/channel/aio/core/NativeFdsConstants"

// fstat(2): the S_IFMT bits of st_mode (0 for anonymous inodes: eventfd, timerfd, epoll, ...), or -errno (EBADF).
static jint netty_aio_fds_fileType(JNIEnv* env, jclass clazz, jint fd) {
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return -errno;
    }
    return (jint) (st.st_mode & S_IFMT);
}

// lseek(2): the new position, or -errno: ESPIPE (pipe, FIFO, socket, tty, stream file), EBADF, EINVAL, EOVERFLOW.
static jlong netty_aio_fds_lseek(JNIEnv* env, jclass clazz, jint fd, jlong offset, jint whence) {
    off_t res = lseek(fd, (off_t) offset, whence);
    return res < 0 ? -errno : (jlong) res;
}

// fcntl(F_SETFL): replaces the status flags (O_NONBLOCK, O_APPEND, O_DIRECT, ...). 0 or -errno: EBADF, EINVAL.
static jint netty_aio_fds_setFileStatusFlags(JNIEnv* env, jclass clazz, jint fd, jint flags) {
    return fcntl(fd, F_SETFL, flags) < 0 ? -errno : 0;
}

// tcgetattr(3) as a test: 1 for a terminal, 0 for anything else (ENOTTY, EINVAL), -errno otherwise (EBADF).
static jint netty_aio_fds_isTerminal(JNIEnv* env, jclass clazz, jint fd) {
    struct termios t;
    if (tcgetattr(fd, &t) == 0) {
        return 1;
    }
    return errno == ENOTTY || errno == EINVAL ? 0 : -errno;
}

// Raw mode, as cfmakeraw(3) defines it: no echo, no line editing, no signals, no CR/NL translation, 8-bit
// characters, reads return as soon as one byte is there. 0 or -errno: ENOTTY, EBADF, EIO.
static jint netty_aio_fds_makeRaw(JNIEnv* env, jclass clazz, jint fd) {
    struct termios t;
    if (tcgetattr(fd, &t) < 0) {
        return -errno;
    }
    cfmakeraw(&t);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    int res = TEMP_FAILURE_RETRY(tcsetattr(fd, TCSANOW, &t));
    return res < 0 ? -errno : 0;
}

// posix_openpt(3): a new pseudo-terminal master, or -errno: EMFILE, ENFILE, ENOSPC (no free ptys), EINVAL.
static jint netty_aio_fds_posixOpenpt(JNIEnv* env, jclass clazz, jint flags) {
    int fd = posix_openpt(flags);
    return fd < 0 ? -errno : fd;
}

// grantpt(3): 0 or -errno: EBADF, EINVAL (not a master), EACCES.
static jint netty_aio_fds_grantpt(JNIEnv* env, jclass clazz, jint fd) {
    return grantpt(fd) < 0 ? -errno : 0;
}

// unlockpt(3): 0 or -errno: EBADF, EINVAL (not a master).
static jint netty_aio_fds_unlockpt(JNIEnv* env, jclass clazz, jint fd) {
    return unlockpt(fd) < 0 ? -errno : 0;
}

// ptsname_r(3) into `out` (not terminated): the name's length, or -errno: EBADF, ENOTTY (not a master), ERANGE.
static jint netty_aio_fds_ptsname(JNIEnv* env, jclass clazz, jint fd, jbyteArray out) {
    char name[128];
    int res = ptsname_r(fd, name, sizeof(name));
    if (res != 0) {
        return -res;
    }
    jsize len = (jsize) strlen(name);
    if (len > (*env)->GetArrayLength(env, out)) {
        return -ERANGE;
    }
    (*env)->SetByteArrayRegion(env, out, 0, len, (const jbyte*) name);
    return len;
}

// pwritev2(fd, iov, iovcnt, -1, flags): a write at the current position with RWF_* flags. Bytes written, or
// -errno: EAGAIN (would block), EPIPE, EBADF, EINVAL, EOPNOTSUPP (flag not supported for this file).
static jlong netty_aio_fds_pwritev2(JNIEnv* env, jclass clazz, jint fd, jlong iovAddress, jint iovcnt, jint flags) {
    ssize_t res = TEMP_FAILURE_RETRY(pwritev2(fd, (const struct iovec*) (intptr_t) iovAddress, iovcnt, -1, flags));
    return res < 0 ? -errno : (jlong) res;
}

// mkfifo(3) on a NUL-terminated path in the JDK's file-name encoding (Native.pathBytes). 0 or -errno: EEXIST,
// ENOENT, EACCES, ENOTDIR, EROFS, ENAMETOOLONG.
static jint netty_aio_fds_mkfifo(JNIEnv* env, jclass clazz, jbyteArray path, jint mode) {
    char p[PATH_MAX];
    int res = netty_aio_path_from_bytes(env, path, p);
    if (res < 0) {
        return res;
    }
    return mkfifo(p, (mode_t) mode) < 0 ? -errno : 0;
}

// ---------------------------------------------------------------- constants

// Each X(name, value) becomes a `static native int name()` of NativeFdsConstants, read once into a static final
// field of NativeFds.
#define NETTY_AIO_FDS_CONSTANTS(X) \
    X(seekSet, SEEK_SET) \
    X(seekCur, SEEK_CUR)

NETTY_AIO_CONSTANT_TABLE(constant_methods, NETTY_AIO_FDS_CONSTANTS);

static const JNINativeMethod fds_methods[] = {
    { "fileType", "(I)I", (void*) netty_aio_fds_fileType },
    { "lseek", "(IJI)J", (void*) netty_aio_fds_lseek },
    { "setFileStatusFlags", "(II)I", (void*) netty_aio_fds_setFileStatusFlags },
    { "isTerminal", "(I)I", (void*) netty_aio_fds_isTerminal },
    { "makeRaw", "(I)I", (void*) netty_aio_fds_makeRaw },
    { "posixOpenpt", "(I)I", (void*) netty_aio_fds_posixOpenpt },
    { "grantpt", "(I)I", (void*) netty_aio_fds_grantpt },
    { "unlockpt", "(I)I", (void*) netty_aio_fds_unlockpt },
    { "ptsname", "(I[B)I", (void*) netty_aio_fds_ptsname },
    { "pwritev2", "(IJII)J", (void*) netty_aio_fds_pwritev2 },
    { "mkfifo0", "([BI)I", (void*) netty_aio_fds_mkfifo },
};

jint netty_aio_fds_JNI_OnLoad(JNIEnv* env, const char* packagePrefix) {
    return netty_aio_register_area(env, packagePrefix,
                                   NATIVE_FDS_CONSTANTS_CLASSNAME, constant_methods,
                                   NETTY_AIO_ARRAY_LENGTH(constant_methods),
                                   NATIVE_FDS_CLASSNAME, fds_methods, NETTY_AIO_ARRAY_LENGTH(fds_methods));
}

void netty_aio_fds_JNI_OnUnload(JNIEnv* env, const char* packagePrefix) {
    netty_aio_unregister_area(env, packagePrefix, NATIVE_FDS_CONSTANTS_CLASSNAME, NATIVE_FDS_CLASSNAME);
}

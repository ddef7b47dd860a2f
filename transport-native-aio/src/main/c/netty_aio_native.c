/*
 * JNI layer of netty-transport-aio: raw Linux AIO syscalls (no libaio), eventfd,
 * ppoll, the loop's epoll set, open and the struct layouts the Java flyweights read.
 *
 * Conventions: every function is static and registered through RegisterNatives
 * (so a shaded copy of the library binds to shaded class names); syscalls that
 * fail return -errno and never throw; EINTR is retried here (the C library's
 * TEMP_FAILURE_RETRY), with the remaining time recomputed where there is a
 * timeout (struct deadline).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/aio_abi.h>
#include <linux/fs.h>
#include <linux/ioprio.h>
#include <jni.h>

#include "netty_jni_util.h"
#include "netty_unix.h"
#include "netty_aio_natives.h"

#define NATIVE_CLASSNAME "io/netty/contrib/channel/aio/core/Native"
#define STATICALLY_CLASSNAME "io/netty/contrib/channel/aio/core/NativeStaticallyReferencedJniMethods"
#define LIBRARY_NAME "netty_transport_aio"

/*
 * The completion ring io_setup maps into user space; aio_context_t is its
 * address. This layout is kernel-internal (fs/aio.c) but has been stable since
 * 2.6 and libaio, fio and seastar read it the same way. The Java side checks
 * magic and incompat_features before trusting it.
 */
struct aio_ring {
    unsigned id;
    unsigned nr;
    unsigned head;
    unsigned tail;
    unsigned magic;
    unsigned compat_features;
    unsigned incompat_features;
    unsigned header_length;
    struct io_event io_events[];
};
#define NETTY_AIO_RING_MAGIC 0xa10a10a1

static char* staticPackagePrefix = NULL;
static int registerUnixCalled = 0;

static int64_t monotonic_nanos(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec* nanos_to_timespec(int64_t nanos, struct timespec* ts) {
    ts->tv_sec = nanos / 1000000000LL;
    ts->tv_nsec = nanos % 1000000000LL;
    return ts;
}

/*
 * The timeout of a waiting call that is retried on EINTR (TEMP_FAILURE_RETRY): a signal must not restart the
 * whole wait, or a loop woken by signals now and then would sleep past its next timer. timeoutNanos < 0 blocks,
 * 0 polls, > 0 ends at `at` (saturated instead of overflowing for huge timeouts).
 */
struct deadline {
    int64_t timeoutNanos;
    int64_t at;
};

static struct deadline deadline_after(int64_t timeoutNanos) {
    struct deadline d = { timeoutNanos, 0 };
    if (timeoutNanos > 0) {
        int64_t now = monotonic_nanos();
        d.at = timeoutNanos > INT64_MAX - now ? INT64_MAX : now + timeoutNanos;
    }
    return d;
}

// What is left of the timeout: < 0 blocks, 0 once it has passed.
static int64_t deadline_left(const struct deadline* d) {
    if (d->timeoutNanos <= 0) {
        return d->timeoutNanos;
    }
    int64_t left = d->at - monotonic_nanos();
    return left < 0 ? 0 : left;
}

// What is left as the timespec the syscalls take, NULL to block.
static struct timespec* deadline_timespec(const struct deadline* d, struct timespec* ts) {
    int64_t left = deadline_left(d);
    return left < 0 ? NULL : nanos_to_timespec(left, ts);
}

// ---------------------------------------------------------------- AIO syscalls

static jint netty_aio_registerUnix(JNIEnv* env, jclass clazz) {
    registerUnixCalled = 1;
    return netty_unix_register(env, staticPackagePrefix);
}

static jlong netty_aio_ioSetup(JNIEnv* env, jclass clazz, jint nrEvents) {
    aio_context_t ctx = 0;
    if (syscall(SYS_io_setup, (unsigned) nrEvents, &ctx) < 0) {
        return -errno;
    }
    return (jlong) ctx;
}

static jint netty_aio_ioDestroy(JNIEnv* env, jclass clazz, jlong ctx) {
    int res = TEMP_FAILURE_RETRY(syscall(SYS_io_destroy, (aio_context_t) ctx));
    return res < 0 ? -errno : 0;
}

static jint netty_aio_ioSubmit(JNIEnv* env, jclass clazz, jlong ctx, jint nr, jlong iocbpp) {
    long res = TEMP_FAILURE_RETRY(syscall(SYS_io_submit, (aio_context_t) ctx, (long) nr,
                                          (struct iocb**) (intptr_t) iocbpp));
    return res < 0 ? -errno : (jint) res;
}

static jint netty_aio_ioCancel(JNIEnv* env, jclass clazz, jlong ctx, jlong iocb, jlong result) {
    int res = TEMP_FAILURE_RETRY(syscall(SYS_io_cancel, (aio_context_t) ctx, (struct iocb*) (intptr_t) iocb,
                                         (struct io_event*) (intptr_t) result));
    return res < 0 ? -errno : 0;
}

// timeoutNanos < 0 blocks until minNr events are there.
static jint netty_aio_ioGetEvents(JNIEnv* env, jclass clazz, jlong ctx, jint minNr, jint nr, jlong events,
                                  jlong timeoutNanos) {
    struct deadline d = deadline_after(timeoutNanos);
    struct timespec ts;
    long res = TEMP_FAILURE_RETRY(syscall(SYS_io_getevents, (aio_context_t) ctx, (long) minNr, (long) nr,
                                          (struct io_event*) (intptr_t) events, deadline_timespec(&d, &ts)));
    return res < 0 ? -errno : (jint) res;
}

// ---------------------------------------------------------------- eventfd, ppoll

static jint netty_aio_eventFd(JNIEnv* env, jclass clazz, jint initval, jint flags) {
    int fd = eventfd((unsigned) initval, flags);
    return fd < 0 ? -errno : fd;
}

static jint netty_aio_eventFdWrite(JNIEnv* env, jclass clazz, jint fd, jlong value) {
    uint64_t v = (uint64_t) value;
    ssize_t res = TEMP_FAILURE_RETRY(write(fd, &v, sizeof(v)));
    return res < 0 ? -errno : 0;
}

// The counter is below 2^64-1 by the kernel's contract; values past 2^63 are not
// produced by this project, so a negative return is always -errno.
static jlong netty_aio_eventFdRead(JNIEnv* env, jclass clazz, jint fd) {
    uint64_t v = 0;
    ssize_t res = TEMP_FAILURE_RETRY(read(fd, &v, sizeof(v)));
    return res < 0 ? -errno : (jlong) v;
}

// ppoll(2) of nfds descriptors: the number ready (0 on timeout) or -errno. timeoutNanos < 0 blocks.
static int ppoll_retrying(struct pollfd* pfds, nfds_t nfds, int64_t timeoutNanos) {
    struct deadline d = deadline_after(timeoutNanos);
    struct timespec ts;
    int res = TEMP_FAILURE_RETRY(ppoll(pfds, nfds, deadline_timespec(&d, &ts), NULL));
    return res < 0 ? -errno : res;
}

// Returns revents (0 on timeout) or -errno. timeoutNanos < 0 blocks.
static jint netty_aio_ppoll(JNIEnv* env, jclass clazz, jint fd, jint events, jlong timeoutNanos) {
    struct pollfd pfd = { .fd = fd, .events = (short) events, .revents = 0 };
    int res = ppoll_retrying(&pfd, 1, timeoutNanos);
    return res <= 0 ? res : pfd.revents;
}

// Polls two descriptors for POLLIN: returns bit 0 set when the first is ready, bit 1 when the second is, 0 on
// timeout, or -errno. timeoutNanos < 0 blocks.
static jint netty_aio_ppoll2(JNIEnv* env, jclass clazz, jint fd1, jint fd2, jlong timeoutNanos) {
    struct pollfd pfds[2] = {
        { .fd = fd1, .events = POLLIN, .revents = 0 },
        { .fd = fd2, .events = POLLIN, .revents = 0 },
    };
    int res = ppoll_retrying(pfds, 2, timeoutNanos);
    return res <= 0 ? res : (pfds[0].revents != 0 ? 1 : 0) | (pfds[1].revents != 0 ? 2 : 0);
}

// prctl(PR_SET_TIMERSLACK) for the calling thread: how late the kernel may end its timed sleeps (ppoll, epoll_wait)
// to group them with other timers. 0 or -errno. nanos 0 goes back to the thread's default (the kernel's meaning).
static jint netty_aio_setTimerSlack(JNIEnv* env, jclass clazz, jlong nanos) {
    return prctl(PR_SET_TIMERSLACK, (unsigned long) nanos, 0, 0, 0) < 0 ? -errno : 0;
}

// prctl(PR_GET_TIMERSLACK): the calling thread's timer slack in ns, or -errno.
static jlong netty_aio_timerSlack(JNIEnv* env, jclass clazz) {
    int res = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    return res < 0 ? -errno : (jlong) (unsigned int) res;
}

// ---------------------------------------------------------------- epoll (the loop's readiness set)

static jint netty_aio_epollCreate(JNIEnv* env, jclass clazz) {
    int fd = epoll_create1(EPOLL_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

static jint netty_aio_epollCtl(JNIEnv* env, jclass clazz, jint epfd, jint op, jint fd, jint events, jlong data) {
    struct epoll_event ev = { .events = (uint32_t) events, .data.u64 = (uint64_t) data };
    int res = TEMP_FAILURE_RETRY(epoll_ctl(epfd, op, fd, &ev));
    return res < 0 ? -errno : 0;
}

#ifdef SYS_epoll_pwait2
static int epoll_pwait2_missing = 0;
#endif

// One wait of at most leftNanos (< 0 blocks): as epoll_wait(2), -1 with errno on failure. epoll_pwait2 (Linux
// 5.11) takes the nanoseconds as they are; where it is missing, epoll_wait gets the timeout rounded up to a
// millisecond, so the loop never wakes before its next scheduled task.
static int epoll_wait_once(int epfd, struct epoll_event* evs, int maxEvents, int64_t leftNanos) {
#ifdef SYS_epoll_pwait2
    if (leftNanos != 0 && !epoll_pwait2_missing) {
        struct timespec ts;
        int res = (int) syscall(SYS_epoll_pwait2, epfd, evs, maxEvents,
                                leftNanos < 0 ? NULL : nanos_to_timespec(leftNanos, &ts), NULL, (size_t) 0);
        if (res >= 0 || errno != ENOSYS) {
            return res;
        }
        epoll_pwait2_missing = 1;
    }
#endif
    int64_t ms = leftNanos < 0 ? -1 : leftNanos / 1000000 + (leftNanos % 1000000 != 0);
    return epoll_wait(epfd, evs, maxEvents, ms > INT_MAX ? INT_MAX : (int) ms);
}

// Returns the number of events written to the array at `events`, or -errno. timeoutNanos < 0 blocks, 0 returns at
// once.
static jint netty_aio_epollWait(JNIEnv* env, jclass clazz, jint epfd, jlong events, jint maxEvents,
                                jlong timeoutNanos) {
    struct deadline d = deadline_after(timeoutNanos);
    int res = TEMP_FAILURE_RETRY(epoll_wait_once(epfd, (struct epoll_event*) (intptr_t) events, maxEvents,
                                                 deadline_left(&d)));
    return res < 0 ? -errno : res;
}

// ---------------------------------------------------------------- descriptors

static jint netty_aio_open(JNIEnv* env, jclass clazz, jbyteArray path, jint flags, jint mode) {
    char p[PATH_MAX];
    int res = netty_aio_path_from_bytes(env, path, p);
    if (res < 0) {
        return res;
    }
    int fd = TEMP_FAILURE_RETRY(open(p, flags, (mode_t) mode));
    return fd < 0 ? -errno : fd;
}

static jint netty_aio_close(JNIEnv* env, jclass clazz, jint fd) {
    // close() must not be retried on EINTR: the descriptor is gone either way on Linux.
    return close(fd) < 0 && errno != EINTR ? -errno : 0;
}

// Returns (read end << 32 | write end) or -errno. Both descriptors are non-negative ints, so a
// successful result is never negative.
static jlong netty_aio_pipe2(JNIEnv* env, jclass clazz, jint flags) {
    int fds[2];
    if (pipe2(fds, flags) < 0) {
        return -errno;
    }
    return (jlong) fds[0] << 32 | (jlong) (uint32_t) fds[1];
}

static jint netty_aio_fadvise(JNIEnv* env, jclass clazz, jint fd, jlong offset, jlong len, jint advice) {
    // posix_fadvise returns the error number instead of setting errno.
    int res = posix_fadvise(fd, (off_t) offset, (off_t) len, advice);
    return res == 0 ? 0 : -res;
}

// Starts the write-back of the range's dirty pages without waiting for it (SYNC_FILE_RANGE_WRITE alone): an
// O_DIRECT read with RWF_NOWAIT answers EAGAIN for as long as the range has dirty pages.
static jint netty_aio_syncFileRangeWrite(JNIEnv* env, jclass clazz, jint fd, jlong offset, jlong len) {
    int res = TEMP_FAILURE_RETRY(sync_file_range(fd, (off_t) offset, (off_t) len, SYNC_FILE_RANGE_WRITE));
    return res < 0 ? -errno : 0;
}

// "EAGAIN (Resource temporarily unavailable)" for -EAGAIN: the errno as the wrappers return it.
static jstring netty_aio_errnoName(JNIEnv* env, jclass clazz, jint negativeErrno) {
    int err = -negativeErrno;
    const char* name = strerrorname_np(err);
    char buf[160];
    snprintf(buf, sizeof(buf), "%s (%s)", name == NULL ? "errno" : name, strerror(err));
    return (*env)->NewStringUTF(env, buf);
}

// ---------------------------------------------------------------- layout checks

// For the flyweight tests: C reads an iocb written by Java through the struct's named fields, so a wrong
// offset on the Java side shows up as a wrong value here. Order as in struct iocb.
static void netty_aio_readIocbFields(JNIEnv* env, jclass clazz, jlong address, jlongArray out) {
    const struct iocb* cb = (const struct iocb*) (intptr_t) address;
    jlong fields[] = {
        (jlong) cb->aio_data, (jlong) cb->aio_key, (jlong) cb->aio_rw_flags, (jlong) cb->aio_lio_opcode,
        (jlong) cb->aio_reqprio, (jlong) cb->aio_fildes, (jlong) cb->aio_buf, (jlong) cb->aio_nbytes,
        (jlong) cb->aio_offset, (jlong) cb->aio_reserved2, (jlong) cb->aio_flags, (jlong) cb->aio_resfd
    };
    (*env)->SetLongArrayRegion(env, out, 0, NETTY_AIO_ARRAY_LENGTH(fields), fields);
}

// The reverse for io_event: C writes through the named fields, Java reads through its offsets.
static void netty_aio_writeIoEvent(JNIEnv* env, jclass clazz, jlong address, jlong data, jlong obj, jlong res,
                                   jlong res2) {
    struct io_event* ev = (struct io_event*) (intptr_t) address;
    ev->data = (__u64) data;
    ev->obj = (__u64) obj;
    ev->res = (__s64) res;
    ev->res2 = (__s64) res2;
}

// ---------------------------------------------------------------- constants

// fs/aio.c (aio_poll) refuses with EINVAL a POLL whose aio_buf does not fit the __u16 of a poll(2) event mask.
#define NETTY_AIO_POLL_EVENTS_MASK ((__u16) ~0)

/*
 * The most iovecs one PREADV/PWRITEV takes. The kernel refuses more than UIO_MAXIOV (include/uapi/linux/uio.h)
 * with EINVAL; the C library's IOV_MAX is that number (linux/uio.h itself cannot be included beside the C
 * library's struct iovec).
 */
#define NETTY_AIO_IOV_MAX IOV_MAX

/*
 * Every errno Java names, for all areas: each becomes a constant of Native (Native.EAGAIN, ...), positive as the
 * kernel defines it, while results carry it negated (-EAGAIN).
 */
#define NETTY_AIO_ERRNOS(X) \
    X(errnoEagain, EAGAIN) \
    X(errnoEinprogress, EINPROGRESS) \
    X(errnoEcanceled, ECANCELED) \
    X(errnoEinval, EINVAL) \
    X(errnoEbadf, EBADF) \
    X(errnoEnosys, ENOSYS) \
    X(errnoEperm, EPERM) \
    X(errnoEnomem, ENOMEM) \
    X(errnoEintr, EINTR) \
    X(errnoEopnotsupp, EOPNOTSUPP) \
    X(errnoEfault, EFAULT) \
    X(errnoEio, EIO) \
    X(errnoEnoent, ENOENT) \
    X(errnoEexist, EEXIST) \
    X(errnoEacces, EACCES) \
    X(errnoEisdir, EISDIR) \
    X(errnoEnotdir, ENOTDIR) \
    X(errnoEloop, ELOOP) \
    X(errnoEnospc, ENOSPC) \
    X(errnoErofs, EROFS) \
    X(errnoEspipe, ESPIPE) \
    X(errnoEfbig, EFBIG) \
    X(errnoEnotty, ENOTTY) \
    X(errnoEnxio, ENXIO) \
    X(errnoExdev, EXDEV) \
    X(errnoEnametoolong, ENAMETOOLONG) \
    X(errnoEmfile, EMFILE) \
    X(errnoEnfile, ENFILE) \
    X(errnoEpipe, EPIPE) \
    X(errnoEshutdown, ESHUTDOWN)

// Each X(name, value) becomes a `static native int name()` of
// NativeStaticallyReferencedJniMethods: sizes, offsets and flags are defined once, here.
#define NETTY_AIO_CONSTANTS(X) \
    X(sizeofIocb, sizeof(struct iocb)) \
    X(offsetofIocbAioData, offsetof(struct iocb, aio_data)) \
    X(offsetofIocbAioKey, offsetof(struct iocb, aio_key)) \
    X(offsetofIocbAioRwFlags, offsetof(struct iocb, aio_rw_flags)) \
    X(offsetofIocbAioLioOpcode, offsetof(struct iocb, aio_lio_opcode)) \
    X(offsetofIocbAioReqprio, offsetof(struct iocb, aio_reqprio)) \
    X(offsetofIocbAioFildes, offsetof(struct iocb, aio_fildes)) \
    X(offsetofIocbAioBuf, offsetof(struct iocb, aio_buf)) \
    X(offsetofIocbAioNbytes, offsetof(struct iocb, aio_nbytes)) \
    X(offsetofIocbAioOffset, offsetof(struct iocb, aio_offset)) \
    X(offsetofIocbAioReserved2, offsetof(struct iocb, aio_reserved2)) \
    X(offsetofIocbAioFlags, offsetof(struct iocb, aio_flags)) \
    X(offsetofIocbAioResfd, offsetof(struct iocb, aio_resfd)) \
    X(sizeofIoEvent, sizeof(struct io_event)) \
    X(offsetofIoEventData, offsetof(struct io_event, data)) \
    X(offsetofIoEventObj, offsetof(struct io_event, obj)) \
    X(offsetofIoEventRes, offsetof(struct io_event, res)) \
    X(offsetofIoEventRes2, offsetof(struct io_event, res2)) \
    X(sizeofAioRing, sizeof(struct aio_ring)) \
    X(offsetofAioRingNr, offsetof(struct aio_ring, nr)) \
    X(offsetofAioRingHead, offsetof(struct aio_ring, head)) \
    X(offsetofAioRingTail, offsetof(struct aio_ring, tail)) \
    X(offsetofAioRingMagic, offsetof(struct aio_ring, magic)) \
    X(offsetofAioRingCompatFeatures, offsetof(struct aio_ring, compat_features)) \
    X(offsetofAioRingIncompatFeatures, offsetof(struct aio_ring, incompat_features)) \
    X(offsetofAioRingHeaderLength, offsetof(struct aio_ring, header_length)) \
    X(aioRingMagic, NETTY_AIO_RING_MAGIC) \
    X(sizeofIovec, sizeof(struct iovec)) \
    X(sizeofEpollEvent, sizeof(struct epoll_event)) \
    X(offsetofEpollEventEvents, offsetof(struct epoll_event, events)) \
    X(offsetofEpollEventData, offsetof(struct epoll_event, data)) \
    X(epollIn, EPOLLIN) \
    X(epollOut, EPOLLOUT) \
    X(epollRdHup, EPOLLRDHUP) \
    X(epollErr, EPOLLERR) \
    X(epollHup, EPOLLHUP) \
    X(epollEt, EPOLLET) \
    X(epollCtlAdd, EPOLL_CTL_ADD) \
    X(epollCtlMod, EPOLL_CTL_MOD) \
    X(epollCtlDel, EPOLL_CTL_DEL) \
    X(iocbCmdPread, IOCB_CMD_PREAD) \
    X(iocbCmdPwrite, IOCB_CMD_PWRITE) \
    X(iocbCmdFsync, IOCB_CMD_FSYNC) \
    X(iocbCmdFdsync, IOCB_CMD_FDSYNC) \
    X(iocbCmdPoll, IOCB_CMD_POLL) \
    X(iocbCmdPreadv, IOCB_CMD_PREADV) \
    X(iocbCmdPwritev, IOCB_CMD_PWRITEV) \
    X(iocbFlagResfd, IOCB_FLAG_RESFD) \
    X(iocbFlagIoprio, IOCB_FLAG_IOPRIO) \
    X(ioprioClassShift, IOPRIO_CLASS_SHIFT) \
    X(ioprioClassRt, IOPRIO_CLASS_RT) \
    X(ioprioClassBe, IOPRIO_CLASS_BE) \
    X(ioprioClassIdle, IOPRIO_CLASS_IDLE) \
    X(ioprioNrLevels, IOPRIO_NR_LEVELS) \
    X(iocbPollEventsMask, NETTY_AIO_POLL_EVENTS_MASK) \
    X(iovMax, NETTY_AIO_IOV_MAX) \
    X(rwfHipri, RWF_HIPRI) \
    X(rwfDsync, RWF_DSYNC) \
    X(rwfSync, RWF_SYNC) \
    X(rwfNowait, RWF_NOWAIT) \
    X(rwfAppend, RWF_APPEND) \
    X(pollIn, POLLIN) \
    X(pollPri, POLLPRI) \
    X(pollOut, POLLOUT) \
    X(pollErr, POLLERR) \
    X(pollHup, POLLHUP) \
    X(pollNval, POLLNVAL) \
    X(pollRdHup, POLLRDHUP) \
    X(efdCloexec, EFD_CLOEXEC) \
    X(efdNonblock, EFD_NONBLOCK) \
    X(efdSemaphore, EFD_SEMAPHORE) \
    X(oRdonly, O_RDONLY) \
    X(oWronly, O_WRONLY) \
    X(oRdwr, O_RDWR) \
    X(oCreat, O_CREAT) \
    X(oExcl, O_EXCL) \
    X(oTrunc, O_TRUNC) \
    X(oAppend, O_APPEND) \
    X(oNonblock, O_NONBLOCK) \
    X(oDirect, O_DIRECT) \
    X(oDsync, O_DSYNC) \
    X(oSync, O_SYNC) \
    X(oCloexec, O_CLOEXEC) \
    X(oDirectory, O_DIRECTORY) \
    X(oNoatime, O_NOATIME) \
    X(posixFadvDontneed, POSIX_FADV_DONTNEED) \
    X(posixFadvWillneed, POSIX_FADV_WILLNEED) \
    X(posixFadvSequential, POSIX_FADV_SEQUENTIAL) \
    NETTY_AIO_ERRNOS(X)

NETTY_AIO_CONSTANT_TABLE(statically_referenced_methods, NETTY_AIO_CONSTANTS);

static const JNINativeMethod native_methods[] = {
    { "registerUnix", "()I", (void*) netty_aio_registerUnix },
    { "ioSetup", "(I)J", (void*) netty_aio_ioSetup },
    { "ioDestroy", "(J)I", (void*) netty_aio_ioDestroy },
    { "ioSubmit", "(JIJ)I", (void*) netty_aio_ioSubmit },
    { "ioCancel", "(JJJ)I", (void*) netty_aio_ioCancel },
    { "ioGetEvents", "(JIIJJ)I", (void*) netty_aio_ioGetEvents },
    { "eventFd", "(II)I", (void*) netty_aio_eventFd },
    { "eventFdWrite", "(IJ)I", (void*) netty_aio_eventFdWrite },
    { "eventFdRead", "(I)J", (void*) netty_aio_eventFdRead },
    { "ppoll", "(IIJ)I", (void*) netty_aio_ppoll },
    { "ppoll2", "(IIJ)I", (void*) netty_aio_ppoll2 },
    { "setTimerSlack", "(J)I", (void*) netty_aio_setTimerSlack },
    { "timerSlack", "()J", (void*) netty_aio_timerSlack },
    { "epollCreate", "()I", (void*) netty_aio_epollCreate },
    { "epollCtl", "(IIIIJ)I", (void*) netty_aio_epollCtl },
    { "epollWait", "(IJIJ)I", (void*) netty_aio_epollWait },
    { "open0", "([BII)I", (void*) netty_aio_open },
    { "close", "(I)I", (void*) netty_aio_close },
    { "pipe2", "(I)J", (void*) netty_aio_pipe2 },
    { "fadvise", "(IJJI)I", (void*) netty_aio_fadvise },
    { "syncFileRangeWrite", "(IJJ)I", (void*) netty_aio_syncFileRangeWrite },
    { "errnoName", "(I)Ljava/lang/String;", (void*) netty_aio_errnoName },
    { "readIocbFields", "(J[J)V", (void*) netty_aio_readIocbFields },
    { "writeIoEvent", "(JJJJJ)V", (void*) netty_aio_writeIoEvent },
};

// ---------------------------------------------------------------- load / unload

static void netty_aio_JNI_OnUnload(JNIEnv* env) {
    if (registerUnixCalled) {
        netty_unix_unregister(env, staticPackagePrefix);
        registerUnixCalled = 0;
    }
    netty_aio_fds_JNI_OnUnload(env, staticPackagePrefix);
    netty_aio_sockets_JNI_OnUnload(env, staticPackagePrefix);
    netty_aio_files_JNI_OnUnload(env, staticPackagePrefix);
    netty_aio_unregister_area(env, staticPackagePrefix, STATICALLY_CLASSNAME, NATIVE_CLASSNAME);
    free(staticPackagePrefix);
    staticPackagePrefix = NULL;
}

static jint netty_aio_JNI_OnLoad(JNIEnv* env, const char* packagePrefix) {
    if (netty_aio_register_area(env, packagePrefix,
                                STATICALLY_CLASSNAME, statically_referenced_methods,
                                NETTY_AIO_ARRAY_LENGTH(statically_referenced_methods),
                                NATIVE_CLASSNAME, native_methods, NETTY_AIO_ARRAY_LENGTH(native_methods)) != 0) {
        return JNI_ERR;
    }
    if (netty_aio_files_JNI_OnLoad(env, packagePrefix) != 0) {
        goto fail_core;
    }
    if (netty_aio_sockets_JNI_OnLoad(env, packagePrefix) != 0) {
        goto fail_files;
    }
    if (netty_aio_fds_JNI_OnLoad(env, packagePrefix) != 0) {
        goto fail_sockets;
    }
    if (packagePrefix != NULL) {
        staticPackagePrefix = strdup(packagePrefix);
        if (staticPackagePrefix == NULL) {
            netty_aio_fds_JNI_OnUnload(env, packagePrefix);
            goto fail_sockets;
        }
    }
    return NETTY_JNI_UTIL_JNI_VERSION;

fail_sockets:
    netty_aio_sockets_JNI_OnUnload(env, packagePrefix);
fail_files:
    netty_aio_files_JNI_OnUnload(env, packagePrefix);
fail_core:
    netty_aio_unregister_area(env, packagePrefix, STATICALLY_CLASSNAME, NATIVE_CLASSNAME);
    return JNI_ERR;
}

JNIEXPORT jint JNI_OnLoad(JavaVM* vm, void* reserved) {
    return netty_jni_util_JNI_OnLoad(vm, reserved, LIBRARY_NAME, netty_aio_JNI_OnLoad);
}

JNIEXPORT void JNI_OnUnload(JavaVM* vm, void* reserved) {
    netty_jni_util_JNI_OnUnload(vm, reserved, netty_aio_JNI_OnUnload);
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Unix;
import io.netty.util.internal.ClassInitializerUtil;
import io.netty.util.internal.NativeLibraryLoader;
import io.netty.util.internal.PlatformDependent;
import io.netty.util.internal.ThrowableUtil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.channels.ClosedChannelException;
import java.net.PortUnreachableException;

/**
 * The JNI entry points of {@code libnetty_transport_aio} and the kernel constants it reports.
 *
 * <p>Every syscall wrapper returns its result or {@code -errno}; none throws. Errnos travel negative, as the kernel
 * returns them, all the way to {@link AioIoException#expectedErr()}; the constants ({@link #EAGAIN}, ...) are
 * positive, as the kernel defines them, so a result is compared with {@code res == -Native.EAGAIN}.
 * {@link #ioException(String, int)} turns a negative result into an {@link AioIoException} naming the call and
 * the errno. {@code EINTR} is retried
 * natively. This class is internal to the transport: public only so that the transport's packages can share it.
 *
 * <p>Loading: the library is extracted and loaded by Netty's {@link NativeLibraryLoader}, which prefixes the
 * file name when the classes are shaded; the C side derives the same prefix and registers its methods on the
 * prefixed class names. The unix-common natives linked into the library are registered through
 * {@link Unix#registerInternal(Runnable)}, so this transport coexists with epoll and io_uring in one JVM.
 */
public final class Native {
    static {
        // Classes the unix-common JNI_OnLoad looks up: load them first to avoid the class-loader deadlock
        // Netty documents for its own transports (netty/netty#11209).
        ClassInitializerUtil.tryLoadClasses(Native.class,
                OutOfMemoryError.class, RuntimeException.class, ClosedChannelException.class,
                IOException.class, PortUnreachableException.class);
        try {
            // Side-effect free: succeeds if the application already loaded the library.
            NativeStaticallyReferencedJniMethods.sizeofIocb();
        } catch (UnsatisfiedLinkError notLoaded) {
            loadNativeLibrary();
        }
        Unix.registerInternal(Native::registerUnix);
    }

    // struct iocb
    public static final int SIZEOF_IOCB = NativeStaticallyReferencedJniMethods.sizeofIocb();
    public static final int IOCB_AIO_DATA = NativeStaticallyReferencedJniMethods.offsetofIocbAioData();
    public static final int IOCB_AIO_KEY = NativeStaticallyReferencedJniMethods.offsetofIocbAioKey();
    public static final int IOCB_AIO_RW_FLAGS = NativeStaticallyReferencedJniMethods.offsetofIocbAioRwFlags();
    public static final int IOCB_AIO_LIO_OPCODE = NativeStaticallyReferencedJniMethods.offsetofIocbAioLioOpcode();
    public static final int IOCB_AIO_REQPRIO = NativeStaticallyReferencedJniMethods.offsetofIocbAioReqprio();
    public static final int IOCB_AIO_FILDES = NativeStaticallyReferencedJniMethods.offsetofIocbAioFildes();
    public static final int IOCB_AIO_BUF = NativeStaticallyReferencedJniMethods.offsetofIocbAioBuf();
    public static final int IOCB_AIO_NBYTES = NativeStaticallyReferencedJniMethods.offsetofIocbAioNbytes();
    public static final int IOCB_AIO_OFFSET = NativeStaticallyReferencedJniMethods.offsetofIocbAioOffset();
    public static final int IOCB_AIO_RESERVED2 = NativeStaticallyReferencedJniMethods.offsetofIocbAioReserved2();
    public static final int IOCB_AIO_FLAGS = NativeStaticallyReferencedJniMethods.offsetofIocbAioFlags();
    public static final int IOCB_AIO_RESFD = NativeStaticallyReferencedJniMethods.offsetofIocbAioResfd();

    // struct io_event
    public static final int SIZEOF_IO_EVENT = NativeStaticallyReferencedJniMethods.sizeofIoEvent();
    public static final int IO_EVENT_DATA = NativeStaticallyReferencedJniMethods.offsetofIoEventData();
    public static final int IO_EVENT_OBJ = NativeStaticallyReferencedJniMethods.offsetofIoEventObj();
    public static final int IO_EVENT_RES = NativeStaticallyReferencedJniMethods.offsetofIoEventRes();
    public static final int IO_EVENT_RES2 = NativeStaticallyReferencedJniMethods.offsetofIoEventRes2();

    // struct aio_ring (fs/aio.c)
    public static final int SIZEOF_AIO_RING = NativeStaticallyReferencedJniMethods.sizeofAioRing();
    public static final int AIO_RING_NR = NativeStaticallyReferencedJniMethods.offsetofAioRingNr();
    public static final int AIO_RING_HEAD = NativeStaticallyReferencedJniMethods.offsetofAioRingHead();
    public static final int AIO_RING_TAIL = NativeStaticallyReferencedJniMethods.offsetofAioRingTail();
    public static final int AIO_RING_MAGIC = NativeStaticallyReferencedJniMethods.offsetofAioRingMagic();
    public static final int AIO_RING_COMPAT_FEATURES =
            NativeStaticallyReferencedJniMethods.offsetofAioRingCompatFeatures();
    public static final int AIO_RING_INCOMPAT_FEATURES =
            NativeStaticallyReferencedJniMethods.offsetofAioRingIncompatFeatures();
    public static final int AIO_RING_HEADER_LENGTH =
            NativeStaticallyReferencedJniMethods.offsetofAioRingHeaderLength();
    public static final int AIO_RING_MAGIC_VALUE = NativeStaticallyReferencedJniMethods.aioRingMagic();

    public static final int SIZEOF_IOVEC = NativeStaticallyReferencedJniMethods.sizeofIovec();

    // struct epoll_event (packed on x86_64: 12 bytes) and epoll(7) flags
    public static final int SIZEOF_EPOLL_EVENT = NativeStaticallyReferencedJniMethods.sizeofEpollEvent();
    public static final int EPOLL_EVENT_EVENTS = NativeStaticallyReferencedJniMethods.offsetofEpollEventEvents();
    public static final int EPOLL_EVENT_DATA = NativeStaticallyReferencedJniMethods.offsetofEpollEventData();
    public static final int EPOLLIN = NativeStaticallyReferencedJniMethods.epollIn();
    public static final int EPOLLOUT = NativeStaticallyReferencedJniMethods.epollOut();
    public static final int EPOLLRDHUP = NativeStaticallyReferencedJniMethods.epollRdHup();
    public static final int EPOLLERR = NativeStaticallyReferencedJniMethods.epollErr();
    public static final int EPOLLHUP = NativeStaticallyReferencedJniMethods.epollHup();
    public static final int EPOLLET = NativeStaticallyReferencedJniMethods.epollEt();
    public static final int EPOLL_CTL_ADD = NativeStaticallyReferencedJniMethods.epollCtlAdd();
    public static final int EPOLL_CTL_MOD = NativeStaticallyReferencedJniMethods.epollCtlMod();
    public static final int EPOLL_CTL_DEL = NativeStaticallyReferencedJniMethods.epollCtlDel();

    // aio_lio_opcode values
    public static final int IOCB_CMD_PREAD = NativeStaticallyReferencedJniMethods.iocbCmdPread();
    public static final int IOCB_CMD_PWRITE = NativeStaticallyReferencedJniMethods.iocbCmdPwrite();
    public static final int IOCB_CMD_FSYNC = NativeStaticallyReferencedJniMethods.iocbCmdFsync();
    public static final int IOCB_CMD_FDSYNC = NativeStaticallyReferencedJniMethods.iocbCmdFdsync();
    public static final int IOCB_CMD_POLL = NativeStaticallyReferencedJniMethods.iocbCmdPoll();
    public static final int IOCB_CMD_PREADV = NativeStaticallyReferencedJniMethods.iocbCmdPreadv();
    public static final int IOCB_CMD_PWRITEV = NativeStaticallyReferencedJniMethods.iocbCmdPwritev();

    // aio_flags
    public static final int IOCB_FLAG_RESFD = NativeStaticallyReferencedJniMethods.iocbFlagResfd();
    public static final int IOCB_FLAG_IOPRIO = NativeStaticallyReferencedJniMethods.iocbFlagIoprio();
    public static final int IOPRIO_CLASS_SHIFT = NativeStaticallyReferencedJniMethods.ioprioClassShift();
    public static final int IOPRIO_CLASS_RT = NativeStaticallyReferencedJniMethods.ioprioClassRt();
    public static final int IOPRIO_CLASS_BE = NativeStaticallyReferencedJniMethods.ioprioClassBe();
    public static final int IOPRIO_CLASS_IDLE = NativeStaticallyReferencedJniMethods.ioprioClassIdle();
    /**
     * Levels per class: 0 (highest) to IOPRIO_NR_LEVELS - 1. Checked in Java because the kernel does not refuse
     * more: since Linux 6.6 the bits above the level carry an I/O priority hint, so level 8 would silently become
     * level 0 with a command-duration-limit hint.
     */
    public static final int IOPRIO_NR_LEVELS = NativeStaticallyReferencedJniMethods.ioprioNrLevels();

    /**
     * The bits an {@code IOCB_CMD_POLL} event mask may use: it travels in {@code aio_buf} and {@code fs/aio.c}
     * refuses one that does not fit a {@code __u16} (0xffff).
     */
    public static final int IOCB_POLL_EVENTS_MASK = NativeStaticallyReferencedJniMethods.iocbPollEventsMask();

    /**
     * The most iovecs one vectored operation takes ({@code IOV_MAX}, the kernel's {@code UIO_MAXIOV}: it answers
     * EINVAL for more).
     */
    public static final int IOV_MAX = NativeStaticallyReferencedJniMethods.iovMax();

    // aio_rw_flags
    public static final int RWF_HIPRI = NativeStaticallyReferencedJniMethods.rwfHipri();
    public static final int RWF_DSYNC = NativeStaticallyReferencedJniMethods.rwfDsync();
    public static final int RWF_SYNC = NativeStaticallyReferencedJniMethods.rwfSync();
    public static final int RWF_NOWAIT = NativeStaticallyReferencedJniMethods.rwfNowait();
    public static final int RWF_APPEND = NativeStaticallyReferencedJniMethods.rwfAppend();

    // poll(2) event bits, also the IOCB_CMD_POLL mask
    public static final int POLLIN = NativeStaticallyReferencedJniMethods.pollIn();
    public static final int POLLPRI = NativeStaticallyReferencedJniMethods.pollPri();
    public static final int POLLOUT = NativeStaticallyReferencedJniMethods.pollOut();
    public static final int POLLERR = NativeStaticallyReferencedJniMethods.pollErr();
    public static final int POLLHUP = NativeStaticallyReferencedJniMethods.pollHup();
    public static final int POLLNVAL = NativeStaticallyReferencedJniMethods.pollNval();
    public static final int POLLRDHUP = NativeStaticallyReferencedJniMethods.pollRdHup();

    public static final int EFD_CLOEXEC = NativeStaticallyReferencedJniMethods.efdCloexec();
    public static final int EFD_NONBLOCK = NativeStaticallyReferencedJniMethods.efdNonblock();
    public static final int EFD_SEMAPHORE = NativeStaticallyReferencedJniMethods.efdSemaphore();

    // open(2)
    public static final int O_RDONLY = NativeStaticallyReferencedJniMethods.oRdonly();
    public static final int O_WRONLY = NativeStaticallyReferencedJniMethods.oWronly();
    public static final int O_RDWR = NativeStaticallyReferencedJniMethods.oRdwr();
    public static final int O_CREAT = NativeStaticallyReferencedJniMethods.oCreat();
    public static final int O_EXCL = NativeStaticallyReferencedJniMethods.oExcl();
    public static final int O_TRUNC = NativeStaticallyReferencedJniMethods.oTrunc();
    public static final int O_APPEND = NativeStaticallyReferencedJniMethods.oAppend();
    public static final int O_NONBLOCK = NativeStaticallyReferencedJniMethods.oNonblock();
    public static final int O_DIRECT = NativeStaticallyReferencedJniMethods.oDirect();
    public static final int O_DSYNC = NativeStaticallyReferencedJniMethods.oDsync();
    public static final int O_SYNC = NativeStaticallyReferencedJniMethods.oSync();
    public static final int O_CLOEXEC = NativeStaticallyReferencedJniMethods.oCloexec();
    public static final int O_DIRECTORY = NativeStaticallyReferencedJniMethods.oDirectory();
    public static final int O_NOATIME = NativeStaticallyReferencedJniMethods.oNoatime();

    public static final int POSIX_FADV_DONTNEED = NativeStaticallyReferencedJniMethods.posixFadvDontneed();
    public static final int POSIX_FADV_WILLNEED = NativeStaticallyReferencedJniMethods.posixFadvWillneed();
    public static final int POSIX_FADV_SEQUENTIAL = NativeStaticallyReferencedJniMethods.posixFadvSequential();

    public static final int EAGAIN = NativeStaticallyReferencedJniMethods.errnoEagain();
    public static final int EINPROGRESS = NativeStaticallyReferencedJniMethods.errnoEinprogress();
    public static final int ECANCELED = NativeStaticallyReferencedJniMethods.errnoEcanceled();
    public static final int EINVAL = NativeStaticallyReferencedJniMethods.errnoEinval();
    public static final int EBADF = NativeStaticallyReferencedJniMethods.errnoEbadf();
    public static final int ENOSYS = NativeStaticallyReferencedJniMethods.errnoEnosys();
    public static final int EPERM = NativeStaticallyReferencedJniMethods.errnoEperm();
    public static final int ENOMEM = NativeStaticallyReferencedJniMethods.errnoEnomem();
    public static final int EINTR = NativeStaticallyReferencedJniMethods.errnoEintr();
    public static final int EOPNOTSUPP = NativeStaticallyReferencedJniMethods.errnoEopnotsupp();
    public static final int EFAULT = NativeStaticallyReferencedJniMethods.errnoEfault();
    public static final int EIO = NativeStaticallyReferencedJniMethods.errnoEio();
    public static final int ENOENT = NativeStaticallyReferencedJniMethods.errnoEnoent();
    public static final int EEXIST = NativeStaticallyReferencedJniMethods.errnoEexist();
    public static final int EACCES = NativeStaticallyReferencedJniMethods.errnoEacces();
    public static final int EISDIR = NativeStaticallyReferencedJniMethods.errnoEisdir();
    public static final int ENOTDIR = NativeStaticallyReferencedJniMethods.errnoEnotdir();
    public static final int ELOOP = NativeStaticallyReferencedJniMethods.errnoEloop();
    public static final int ENOSPC = NativeStaticallyReferencedJniMethods.errnoEnospc();
    public static final int EROFS = NativeStaticallyReferencedJniMethods.errnoErofs();
    public static final int ESPIPE = NativeStaticallyReferencedJniMethods.errnoEspipe();
    public static final int EFBIG = NativeStaticallyReferencedJniMethods.errnoEfbig();
    public static final int ENOTTY = NativeStaticallyReferencedJniMethods.errnoEnotty();
    public static final int ENXIO = NativeStaticallyReferencedJniMethods.errnoEnxio();
    public static final int EXDEV = NativeStaticallyReferencedJniMethods.errnoExdev();
    public static final int ENAMETOOLONG = NativeStaticallyReferencedJniMethods.errnoEnametoolong();
    public static final int EMFILE = NativeStaticallyReferencedJniMethods.errnoEmfile();
    public static final int ENFILE = NativeStaticallyReferencedJniMethods.errnoEnfile();
    public static final int EPIPE = NativeStaticallyReferencedJniMethods.errnoEpipe();
    public static final int ESHUTDOWN = NativeStaticallyReferencedJniMethods.errnoEshutdown();

    private Native() {
    }

    /**
     * Forces loading and registration; throws what loading threw (wrapped by the class initialiser).
     */
    public static void ensureLoaded() {
        // The static initialiser did the work.
    }

    private static void loadNativeLibrary() {
        if (!"linux".equals(PlatformDependent.normalizedOs())) {
            throw new IllegalStateException("netty-transport-aio only runs on Linux, not on "
                    + PlatformDependent.normalizedOs());
        }
        String staticLibName = "netty_transport_aio";
        String sharedLibName = staticLibName + '_' + PlatformDependent.normalizedArch();
        ClassLoader cl = PlatformDependent.getClassLoader(Native.class);
        try {
            NativeLibraryLoader.load(sharedLibName, cl);
        } catch (UnsatisfiedLinkError e1) {
            try {
                NativeLibraryLoader.load(staticLibName, cl);
            } catch (UnsatisfiedLinkError e2) {
                ThrowableUtil.addSuppressed(e1, e2);
                throw e1;
            }
        }
    }

    /**
     * An {@link AioIoException} for a failed call: {@code "io_submit failed: EBADF (Bad file descriptor)"}.
     *
     * @param call what failed, a syscall name optionally followed by its arguments
     * @param negativeErrno the wrapper's negative result
     */
    public static AioIoException ioException(String call, int negativeErrno) {
        return new AioIoException(call, negativeErrno, null);
    }

    /**
     * The symbolic name and description of a failed result, as the wrappers and completions carry it:
     * {@code describeResult(-EAGAIN)} is {@code "EAGAIN (Resource temporarily unavailable)"}. A result that is not
     * negative is no errno, and is said to be so rather than named after one.
     */
    public static String describeResult(long res) {
        if (res >= 0 || res < Integer.MIN_VALUE) {
            return "res=" + res + " (not a negative errno)";
        }
        return errnoName((int) res);
    }

    private static native int registerUnix();

    // ---- AIO. See io_setup(2), io_submit(2), io_cancel(2), io_getevents(2), io_destroy(2).

    /** Returns the context (the ring's address) or -errno: EAGAIN (fs.aio-max-nr), EINVAL, ENOMEM, ENOSYS. */
    public static native long ioSetup(int nrEvents);

    /** Returns 0 or -errno: EINVAL (not a context), EFAULT. Waits for every in-flight request. */
    public static native int ioDestroy(long ctx);

    /**
     * Submits {@code nr} iocbs whose addresses are at {@code iocbpp}. Returns how many were accepted (maybe fewer
     * than nr) or, when the first one failed, -errno: EAGAIN (no request slots), EBADF (bad fd), EINVAL (bad
     * field, unsupported opcode), EFAULT, ENOSYS, EOPNOTSUPP.
     */
    public static native int ioSubmit(long ctx, int nr, long iocbpp);

    /**
     * Returns 0 when cancelled synchronously, else -errno: EINPROGRESS (the usual answer: the cancelled completion
     * comes through the ring), EINVAL (not cancellable or not found), EAGAIN.
     */
    public static native int ioCancel(long ctx, long iocb, long resultEvent);

    /** Returns the number of events copied to {@code events}, or -errno. {@code timeoutNanos < 0} blocks. */
    public static native int ioGetEvents(long ctx, int minNr, int nr, long events, long timeoutNanos);

    // ---- eventfd(2) and ppoll(2)

    /** Returns the new descriptor or -errno: EINVAL, EMFILE, ENFILE, ENODEV, ENOMEM. */
    public static native int eventFd(int initval, int flags);

    /** Adds {@code value} to the counter. Returns 0 or -errno: EAGAIN (would overflow, non-blocking), EINVAL. */
    public static native int eventFdWrite(int fd, long value);

    /** Reads and resets the counter. Returns it or -errno: EAGAIN (zero, non-blocking). */
    public static native long eventFdRead(int fd);

    /** Polls one descriptor. Returns revents, 0 on timeout, or -errno. {@code timeoutNanos < 0} blocks. */
    public static native int ppoll(int fd, int events, long timeoutNanos);

    /**
     * Polls two descriptors for POLLIN. Returns bit 0 set when {@code fd1} is ready, bit 1 when {@code fd2} is, 0
     * on timeout, or -errno. {@code timeoutNanos < 0} blocks.
     */
    public static native int ppoll2(int fd1, int fd2, long timeoutNanos);

    // ---- prctl(2) timer slack of the calling thread

    /**
     * Sets how late the kernel may end the calling thread's timed sleeps to group them with other timers (Linux
     * default 50 us; real-time threads get none). 0 restores the thread's default. Returns 0 or -errno: EINVAL.
     */
    public static native int setTimerSlack(long nanos);

    /** The calling thread's timer slack in nanoseconds, or -errno. */
    public static native long timerSlack();

    // ---- epoll(7): the loop's readiness set

    /** epoll_create1(EPOLL_CLOEXEC): returns the descriptor or -errno: EMFILE, ENFILE, ENOMEM. */
    public static native int epollCreate();

    /**
     * epoll_ctl(2) with {@code struct epoll_event {events, data.u64 = data}}. Returns 0 or -errno: EBADF,
     * EEXIST (ADD of a member), ENOENT (MOD/DEL of a non-member), EPERM (the descriptor does not support
     * poll: a regular file or a directory), EINVAL, ELOOP, ENOMEM, ENOSPC (max_user_watches).
     */
    public static native int epollCtl(int epfd, int op, int fd, int events, long data);

    /**
     * epoll_pwait2(2) (epoll_wait(2) with the timeout rounded up to a millisecond where it is missing) into the
     * {@code struct epoll_event} array at {@code events}. Returns the events written, 0 on timeout, or -errno:
     * EBADF, EFAULT, EINVAL. {@code timeoutNanos < 0} blocks, 0 returns at once.
     */
    public static native int epollWait(int epfd, long events, int maxEvents, long timeoutNanos);

    // ---- descriptors

    /**
     * open(2): returns the descriptor or -errno (ENOENT, EACCES, EISDIR, EINVAL for O_DIRECT on tmpfs, ...). The
     * path reaches the kernel encoded as the JDK encodes file names ({@link #pathBytes}).
     *
     * @throws IllegalArgumentException if {@code path} holds a NUL or a character that encoding cannot represent
     */
    public static int open(String path, int flags, int mode) {
        return open0(pathBytes(path), flags, mode);
    }

    private static native int open0(byte[] path, int flags, int mode);

    /**
     * A path as the JDK hands file names to the kernel ({@code sun.jnu.encoding}, UTF-8 in a UTF-8 locale),
     * NUL-terminated for C. JNI's {@code GetStringUTFChars} would give modified UTF-8 instead, in which characters
     * outside the BMP (emoji, for instance) are encoded as surrogate pairs: a file the JDK creates under such a name
     * would then be "not found".
     *
     * @throws IllegalArgumentException if {@code path} holds a NUL or a character that encoding cannot represent
     */
    public static byte[] pathBytes(String path) {
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path contains a NUL character: " + path.replace('\0', '?'));
        }
        ByteBuffer encoded;
        try {
            encoded = FILE_NAME_CHARSET.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(path));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("path cannot be encoded in " + FILE_NAME_CHARSET
                    + " (sun.jnu.encoding; start the JVM in a UTF-8 locale): " + path, e);
        }
        byte[] bytes = new byte[encoded.remaining() + 1];
        encoded.get(bytes, 0, bytes.length - 1);
        return bytes;
    }

    private static final Charset FILE_NAME_CHARSET = fileNameCharset();

    private static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /** close(2): returns 0 or -errno (EBADF, EIO). */
    public static native int close(int fd);

    /**
     * pipe2(2). Returns {@code (readFd << 32) | writeFd}, never negative on success, or -errno: EINVAL (bad
     * flags), EMFILE, ENFILE. Flags: {@link #O_CLOEXEC}, {@link #O_NONBLOCK}, {@link #O_DIRECT} (packet mode).
     */
    public static native long pipe2(int flags);

    /**
     * A pipe as two descriptors, {@code [0]} the read end and {@code [1]} the write end, each owned (and to be
     * closed) by the caller. Unlike unix-common's {@code FileDescriptor.pipe()}, which always makes both ends
     * non-blocking, the flags are the caller's.
     *
     * @throws AioIoException naming the errno (EINVAL, EMFILE, ENFILE)
     */
    public static FileDescriptor[] newPipe(int flags) throws IOException {
        long res = pipe2(flags);
        if (res < 0) {
            throw ioException("pipe2(flags=0x" + Integer.toHexString(flags) + ")", (int) res);
        }
        return new FileDescriptor[] {new FileDescriptor((int) (res >>> 32)), new FileDescriptor((int) res)};
    }

    /** posix_fadvise(2) on one file's range: returns 0 or -errno (EBADF, EINVAL, ESPIPE). */
    public static native int fadvise(int fd, long offset, long len, int advice);

    /**
     * {@code sync_file_range(fd, offset, len, SYNC_FILE_RANGE_WRITE)}: starts writing back the range's dirty pages
     * and returns without waiting for the device. Returns 0 or -errno (EBADF, EINVAL, ESPIPE, EIO).
     */
    public static native int syncFileRangeWrite(int fd, long offset, long len);

    private static native String errnoName(int negativeErrno);

    // ---- layout checks for the flyweight tests: C accesses the structs through their named fields.

    /**
     * Copies the fields of the {@code struct iocb} at {@code address}, read by C through the struct's member
     * names, into {@code out} (12 elements, in declaration order: aio_data, aio_key, aio_rw_flags,
     * aio_lio_opcode, aio_reqprio, aio_fildes, aio_buf, aio_nbytes, aio_offset, aio_reserved2, aio_flags,
     * aio_resfd).
     */
    static native void readIocbFields(long address, long[] out);

    /** Writes a {@code struct io_event} at {@code address} through C's member names. */
    static native void writeIoEvent(long address, long data, long obj, long res, long res2);
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

/**
 * Native getters for the sizes, offsets and flag values of the kernel ABI, each defined once in
 * {@code netty_aio_native.c} ({@code NETTY_AIO_CONSTANTS}, the errnos of every area in {@code NETTY_AIO_ERRNOS}).
 * Only {@link Native} calls these, once, into {@code static final} fields: kept in a class of their own so that
 * class initialisation never calls into a half-registered library.
 */
final class NativeStaticallyReferencedJniMethods {
    private NativeStaticallyReferencedJniMethods() {
    }

    static native int sizeofIocb();
    static native int offsetofIocbAioData();
    static native int offsetofIocbAioKey();
    static native int offsetofIocbAioRwFlags();
    static native int offsetofIocbAioLioOpcode();
    static native int offsetofIocbAioReqprio();
    static native int offsetofIocbAioFildes();
    static native int offsetofIocbAioBuf();
    static native int offsetofIocbAioNbytes();
    static native int offsetofIocbAioOffset();
    static native int offsetofIocbAioReserved2();
    static native int offsetofIocbAioFlags();
    static native int offsetofIocbAioResfd();
    static native int sizeofIoEvent();
    static native int offsetofIoEventData();
    static native int offsetofIoEventObj();
    static native int offsetofIoEventRes();
    static native int offsetofIoEventRes2();
    static native int sizeofAioRing();
    static native int offsetofAioRingNr();
    static native int offsetofAioRingHead();
    static native int offsetofAioRingTail();
    static native int offsetofAioRingMagic();
    static native int offsetofAioRingCompatFeatures();
    static native int offsetofAioRingIncompatFeatures();
    static native int offsetofAioRingHeaderLength();
    static native int aioRingMagic();
    static native int sizeofIovec();
    static native int sizeofEpollEvent();
    static native int offsetofEpollEventEvents();
    static native int offsetofEpollEventData();
    static native int epollIn();
    static native int epollOut();
    static native int epollRdHup();
    static native int epollErr();
    static native int epollHup();
    static native int epollEt();
    static native int epollCtlAdd();
    static native int epollCtlMod();
    static native int epollCtlDel();
    static native int iocbCmdPread();
    static native int iocbCmdPwrite();
    static native int iocbCmdFsync();
    static native int iocbCmdFdsync();
    static native int iocbCmdPoll();
    static native int iocbCmdPreadv();
    static native int iocbCmdPwritev();
    static native int iocbFlagResfd();
    static native int iocbFlagIoprio();
    static native int ioprioClassShift();
    static native int ioprioClassRt();
    static native int ioprioClassBe();
    static native int ioprioClassIdle();
    static native int ioprioNrLevels();
    static native int iocbPollEventsMask();
    static native int iovMax();
    static native int rwfHipri();
    static native int rwfDsync();
    static native int rwfSync();
    static native int rwfNowait();
    static native int rwfAppend();
    static native int pollIn();
    static native int pollPri();
    static native int pollOut();
    static native int pollErr();
    static native int pollHup();
    static native int pollNval();
    static native int pollRdHup();
    static native int efdCloexec();
    static native int efdNonblock();
    static native int efdSemaphore();
    static native int oRdonly();
    static native int oWronly();
    static native int oRdwr();
    static native int oCreat();
    static native int oExcl();
    static native int oTrunc();
    static native int oAppend();
    static native int oNonblock();
    static native int oDirect();
    static native int oDsync();
    static native int oSync();
    static native int oCloexec();
    static native int oDirectory();
    static native int oNoatime();
    static native int posixFadvDontneed();
    static native int posixFadvWillneed();
    static native int posixFadvSequential();
    static native int errnoEagain();
    static native int errnoEinprogress();
    static native int errnoEcanceled();
    static native int errnoEinval();
    static native int errnoEbadf();
    static native int errnoEnosys();
    static native int errnoEperm();
    static native int errnoEnomem();
    static native int errnoEintr();
    static native int errnoEopnotsupp();
    static native int errnoEfault();
    static native int errnoEio();
    static native int errnoEnoent();
    static native int errnoEexist();
    static native int errnoEacces();
    static native int errnoEisdir();
    static native int errnoEnotdir();
    static native int errnoEloop();
    static native int errnoEnospc();
    static native int errnoErofs();
    static native int errnoEspipe();
    static native int errnoEfbig();
    static native int errnoEnotty();
    static native int errnoEnxio();
    static native int errnoExdev();
    static native int errnoEnametoolong();
    static native int errnoEmfile();
    static native int errnoEnfile();
    static native int errnoEpipe();
    static native int errnoEshutdown();
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.channel.unix.FileDescriptor;

import java.io.IOException;

/**
 * An {@code eventfd(2)} counter. With {@code IOCB_FLAG_RESFD} the kernel adds 1 to it per completed iocb, which
 * is how a sleeping event loop learns that the AIO ring has something. {@link #read()} returns and resets the
 * counter ({@link Native#EFD_SEMAPHORE}: decrements by 1).
 *
 * <p>Thread-safety: {@link #write(long)} and {@link #read()} may be called from any thread (the kernel
 * serialises them); {@link #close()} once, by the owner, after every user is done.
 */
public final class EventFd extends FileDescriptor implements AutoCloseable {

    private EventFd(int fd) {
        super(fd);
    }

    /**
     * Creates one.
     *
     * @param initialValue the counter's start value, {@code >= 0}
     * @param flags any of {@link Native#EFD_CLOEXEC}, {@link Native#EFD_NONBLOCK}, {@link Native#EFD_SEMAPHORE}
     * @throws AioIoException naming the errno: EINVAL (bad flags), EMFILE/ENFILE (no descriptors), ENOMEM
     */
    public static EventFd create(int initialValue, int flags) throws IOException {
        if (initialValue < 0) {
            throw new IllegalArgumentException("initialValue must be >= 0, got " + initialValue);
        }
        int fd = Native.eventFd(initialValue, flags);
        if (fd < 0) {
            throw Native.ioException("eventfd(" + initialValue + ", flags=0x" + Integer.toHexString(flags) + ")", fd);
        }
        return new EventFd(fd);
    }

    /** A non-blocking, close-on-exec eventfd starting at 0, as an event loop wants it. */
    public static EventFd create() throws IOException {
        return create(0, Native.EFD_NONBLOCK | Native.EFD_CLOEXEC);
    }

    /**
     * Adds {@code value} (0 to 2^64-2, unsigned) to the counter.
     *
     * @throws AioIoException EAGAIN if non-blocking and the counter would overflow (a blocking one waits);
     *         EBADF once closed
     * @throws IllegalArgumentException for 2^64-1 ({@code -1L}), which eventfd refuses
     */
    public void write(long value) throws IOException {
        if (value == -1L) {
            throw new IllegalArgumentException("eventfd value must be in 0..2^64-2, got 2^64-1");
        }
        checkOpen("write");
        int res = Native.eventFdWrite(intValue(), value);
        if (res < 0) {
            throw Native.ioException("write(eventfd " + intValue() + ")", res);
        }
    }

    /**
     * Reads the counter and resets it to 0 (in {@link Native#EFD_SEMAPHORE} mode: returns 1 and decrements it).
     * Returns 0 when non-blocking and the counter is 0; a blocking one waits for a write.
     *
     * @throws AioIoException EBADF once closed
     */
    public long read() throws IOException {
        checkOpen("read");
        long res = Native.eventFdRead(intValue());
        if (res < 0) {
            if (res == -Native.EAGAIN) {
                return 0;
            }
            throw Native.ioException("read(eventfd " + intValue() + ")", (int) res);
        }
        return res;
    }

    /** Refuses use after close: the number may already belong to a descriptor opened since. */
    private void checkOpen(String op) throws AioIoException {
        if (!isOpen()) {
            throw Native.ioException(op + "(eventfd " + intValue() + ", closed)", -Native.EBADF);
        }
    }

    @Override
    public String toString() {
        return "EventFd(" + intValue() + (isOpen() ? ")" : ", closed)");
    }
}

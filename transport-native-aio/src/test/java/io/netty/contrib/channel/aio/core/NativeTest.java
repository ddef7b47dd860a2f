/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.contrib.channel.aio.testing.AioTests;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JNI binding's conventions: -errno results, errno names in messages, pipes, ppoll. */
class NativeTest {

    @Test
    void errnoNamesAreSymbolicAndDescribed() {
        assertEquals("EAGAIN (Resource temporarily unavailable)", Native.describeResult(-Native.EAGAIN));
        assertTrue(Native.describeResult(-Native.ECANCELED).startsWith("ECANCELED"));
        AioIoException e = Native.ioException("io_submit", -Native.EBADF);
        assertEquals("io_submit failed: EBADF (Bad file descriptor)", e.getMessage());
        assertEquals(-Native.EBADF, e.expectedErr());
        assertEquals("io_submit", e.call());
        assertEquals(-Native.ECANCELED, AioIoException.ofResult("PREAD", -Native.ECANCELED).expectedErr());
    }

    @Test
    void anErrnoTravelsNegativeFromTheResultToTheExceptionAsInNetty() {
        int res = Native.close(AioTests.NEVER_OPEN_FD);
        assertEquals(Errors.ERRNO_EBADF_NEGATIVE, res, "the kernel's -EBADF");
        assertEquals(Errors.newIOException("close", res).expectedErr(), Native.ioException("close", res).expectedErr());
        assertEquals(res, AioIoException.ofResult("close", res).expectedErr());
        AioIoException hinted = AioIoException.withHint("close", res, "Check the descriptor");
        assertEquals(res, hinted.expectedErr());
        assertEquals("close failed: EBADF (Bad file descriptor). Check the descriptor", hinted.getMessage());
    }

    @Test
    void aResultThatIsNoErrnoIsNotNamedAfterOne() {
        assertEquals("res=11 (not a negative errno)", Native.describeResult(11));
        assertTrue(AioIoException.ofResult("PREAD", 0).getMessage().endsWith("(not a negative errno)"));
    }

    @Test
    void pipe2PassesTheFlagsThrough() throws Exception {
        FileDescriptor[] blocking = Native.newPipe(Native.O_CLOEXEC);
        FileDescriptor[] packets = Native.newPipe(Native.O_CLOEXEC | Native.O_NONBLOCK | Native.O_DIRECT);
        try {
            assertTrue(blocking[0].intValue() >= 0 && blocking[1].intValue() >= 0);
            AioTests.write(blocking[1], new byte[] {1, 2, 3});
            ByteBuffer in = ByteBuffer.allocateDirect(16);
            assertEquals(3, blocking[0].read(in, 0, 16));

            // O_DIRECT: packet mode, each write is read back as its own packet.
            AioTests.write(packets[1], new byte[] {1, 2});
            AioTests.write(packets[1], new byte[] {3, 4, 5});
            assertEquals(2, packets[0].read(in, 0, 16));
            assertEquals(3, packets[0].read(in, 0, 16));
        } finally {
            AioTests.closeAll(blocking);
            AioTests.closeAll(packets);
        }
        AioIoException e = assertThrows(AioIoException.class, () -> Native.newPipe(0x1));
        assertEquals(-Native.EINVAL, e.expectedErr());
        assertTrue(e.getMessage().startsWith("pipe2(flags=0x1) failed: EINVAL"), e.getMessage());
    }

    @Test
    void ppollTimesOutWithZeroAndReportsReadiness() throws Exception {
        FileDescriptor[] pipe = AioTests.pipe();
        try {
            assertEquals(0, Native.ppoll(pipe[0].intValue(), Native.POLLIN, 0));
            assertEquals(0, Native.ppoll(pipe[0].intValue(), Native.POLLIN, 20_000_000L));
            assertEquals(Native.POLLOUT, Native.ppoll(pipe[1].intValue(), Native.POLLOUT, -1));
            AioTests.write(pipe[1], new byte[] {1});
            assertEquals(Native.POLLIN, Native.ppoll(pipe[0].intValue(), Native.POLLIN, Long.MAX_VALUE),
                    "a huge timeout neither overflows nor waits when ready");
            assertEquals(Native.POLLNVAL, Native.ppoll(AioTests.NEVER_OPEN_FD, Native.POLLIN, 0) & Native.POLLNVAL);
        } finally {
            AioTests.closeAll(pipe);
        }
    }

    @Test
    void openAndCloseReturnNegativeErrno() {
        assertEquals(-Native.ENOENT, Native.open("target/does/not/exist", Native.O_RDONLY, 0));
        assertEquals(-Native.EBADF, Native.close(AioTests.NEVER_OPEN_FD));
    }
}

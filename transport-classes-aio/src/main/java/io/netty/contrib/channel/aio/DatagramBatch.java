/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.internal.IovArrays;
import io.netty.contrib.channel.aio.core.NativeSockets;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import static io.netty.contrib.channel.aio.core.NativeSockets.AF_INET;
import static io.netty.contrib.channel.aio.core.NativeSockets.AF_INET6;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_DGRAM_ADDR;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_DGRAM_ADDRLEN;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_DGRAM_IOV_BASE;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_DGRAM_IOV_LEN;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_DGRAM_ORIGDST;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_DGRAM_SEGMENT;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_MMSGHDR_MSG_FLAGS;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_MMSGHDR_MSG_LEN;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_SIN6_ADDR;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_SIN6_PORT;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_SIN6_SCOPE_ID;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_SIN_ADDR;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_SIN_PORT;
import static io.netty.contrib.channel.aio.core.NativeSockets.OFFSETOF_SOCKADDR_FAMILY;
import static io.netty.contrib.channel.aio.core.NativeSockets.SIZEOF_DGRAM;
import static io.netty.contrib.channel.aio.core.NativeSockets.SIZEOF_MMSGHDR;
import static io.netty.contrib.channel.aio.core.NativeSockets.SIZEOF_SOCKADDR_IN;
import static io.netty.contrib.channel.aio.core.NativeSockets.SIZEOF_SOCKADDR_IN6;

/**
 * A native batch of datagram messages for one {@code recvmmsg}/{@code sendmmsg} call, one per event-loop thread
 * (as {@link IovArrays}): {@link #CAPACITY} {@code struct mmsghdr}s back to back, then as many
 * {@code struct netty_aio_dgram}s (iovec, peer address, original destination, segment size; layout from
 * {@link NativeSockets}). A read or a write fills it, makes its call and copies out what it needs before anything
 * else runs on the thread — before any {@code fireChannelRead}, since a handler may write from there.
 *
 * <p>The last sender's and the last destination's addresses are cached, so a batch to or from one peer decodes
 * and encodes its address once instead of allocating per datagram. Loop thread only; freed when the thread ends.
 */
final class DatagramBatch {
    /** Messages per call: enough to amortise the syscall, small enough to stay in cache (~30 KiB per thread). */
    static final int CAPACITY = 64;

    private static final FastThreadLocal<DatagramBatch> BATCHES = new FastThreadLocal<DatagramBatch>() {
        @Override
        protected DatagramBatch initialValue() {
            return new DatagramBatch();
        }

        @Override
        protected void onRemoval(DatagramBatch value) {
            value.free();
        }
    };

    private final long base;
    private final long dgrams;

    // The last decoded sender: family, port, scope and the address bytes as two longs (IPv4: in lo's low bits).
    private int lastFamily = -1;
    private int lastPort;
    private int lastScope;
    private long lastHi;
    private long lastLo;
    private InetSocketAddress lastSender;

    // The last encoded destination and its sockaddr bytes.
    private InetSocketAddress lastDestination;
    private boolean lastDestinationIpv6;
    private final byte[] lastSockaddr = new byte[SIZEOF_SOCKADDR_IN6];
    private int lastSockaddrLength;

    private DatagramBatch() {
        long size = (long) CAPACITY * (SIZEOF_MMSGHDR + SIZEOF_DGRAM);
        base = PlatformDependent.allocateMemory(size);
        PlatformDependent.setMemory(base, size, (byte) 0);
        dgrams = base + (long) CAPACITY * SIZEOF_MMSGHDR;
    }

    /** The calling thread's batch. */
    static DatagramBatch get() {
        return BATCHES.get();
    }

    private void free() {
        PlatformDependent.freeMemory(base);
    }

    private long dgram(int i) {
        return dgrams + (long) i * SIZEOF_DGRAM;
    }

    private long mmsghdr(int i) {
        return base + (long) i * SIZEOF_MMSGHDR;
    }

    /** Points message {@code i} at {@code length} bytes of native memory at {@code address}. */
    void setBuffer(int i, long address, int length) {
        long d = dgram(i);
        PlatformDependent.putLong(d + OFFSETOF_DGRAM_IOV_BASE, address);
        PlatformDependent.putLong(d + OFFSETOF_DGRAM_IOV_LEN, length);
    }

    /** Sets message {@code i}'s UDP_SEGMENT size to send with (0: one datagram). */
    void setSegment(int i, int segmentSize) {
        PlatformDependent.putInt(dgram(i) + OFFSETOF_DGRAM_SEGMENT, segmentSize);
    }

    /**
     * Sets message {@code i}'s destination: none on a connected socket ({@code destination} null), else the
     * address as a {@code sockaddr_in}, or as a {@code sockaddr_in6} (IPv4 ones mapped) on an IPv6 socket.
     */
    void setDestination(int i, InetSocketAddress destination, boolean ipv6) {
        long d = dgram(i);
        if (destination == null) {
            PlatformDependent.putInt(d + OFFSETOF_DGRAM_ADDRLEN, 0);
            return;
        }
        if (destination != lastDestination || ipv6 != lastDestinationIpv6) {
            encode(destination, ipv6);
        }
        PlatformDependent.copyMemory(lastSockaddr, 0, d + OFFSETOF_DGRAM_ADDR, lastSockaddrLength);
        PlatformDependent.putInt(d + OFFSETOF_DGRAM_ADDRLEN, lastSockaddrLength);
    }

    private void encode(InetSocketAddress destination, boolean ipv6) {
        InetAddress address = destination.getAddress();
        byte[] bytes = address.getAddress();
        byte[] out = lastSockaddr;
        Arrays.fill(out, (byte) 0);
        int port = destination.getPort();
        if (ipv6) {
            putFamily(out, AF_INET6);
            out[OFFSETOF_SIN6_PORT] = (byte) (port >>> 8);
            out[OFFSETOF_SIN6_PORT + 1] = (byte) port;
            if (bytes.length == 4) {
                // ::ffff:a.b.c.d, how an IPv6 socket reaches an IPv4 peer.
                out[OFFSETOF_SIN6_ADDR + 10] = (byte) 0xff;
                out[OFFSETOF_SIN6_ADDR + 11] = (byte) 0xff;
                System.arraycopy(bytes, 0, out, OFFSETOF_SIN6_ADDR + 12, 4);
            } else {
                System.arraycopy(bytes, 0, out, OFFSETOF_SIN6_ADDR, 16);
                int scope = ((Inet6Address) address).getScopeId();
                putNativeInt(out, OFFSETOF_SIN6_SCOPE_ID, scope);
            }
            lastSockaddrLength = SIZEOF_SOCKADDR_IN6;
        } else {
            if (bytes.length != 4) {
                throw new IllegalArgumentException("IPv6 destination " + destination
                        + " on an IPv4 socket: create the channel with SocketProtocolFamily.INET6 (or none)");
            }
            putFamily(out, AF_INET);
            out[OFFSETOF_SIN_PORT] = (byte) (port >>> 8);
            out[OFFSETOF_SIN_PORT + 1] = (byte) port;
            System.arraycopy(bytes, 0, out, OFFSETOF_SIN_ADDR, 4);
            lastSockaddrLength = SIZEOF_SOCKADDR_IN;
        }
        lastDestination = destination;
        lastDestinationIpv6 = ipv6;
    }

    private static void putFamily(byte[] out, int family) {
        // sa_family_t is an unsigned short in host order.
        if (PlatformDependent.BIG_ENDIAN_NATIVE_ORDER) {
            out[OFFSETOF_SOCKADDR_FAMILY] = (byte) (family >>> 8);
            out[OFFSETOF_SOCKADDR_FAMILY + 1] = (byte) family;
        } else {
            out[OFFSETOF_SOCKADDR_FAMILY] = (byte) family;
            out[OFFSETOF_SOCKADDR_FAMILY + 1] = (byte) (family >>> 8);
        }
    }

    private static void putNativeInt(byte[] out, int offset, int value) {
        for (int b = 0; b < 4; b++) {
            int shift = PlatformDependent.BIG_ENDIAN_NATIVE_ORDER ? 24 - 8 * b : 8 * b;
            out[offset + b] = (byte) (value >>> shift);
        }
    }

    /** recvmmsg of {@code count} messages: how many arrived, or -errno (see {@link NativeSockets#recvmmsg0}). */
    int recv(int fd, int count) {
        return NativeSockets.recvmmsg0(fd, base, CAPACITY, count);
    }

    /** sendmmsg of {@code count} messages: how many went out, or -errno (see {@link NativeSockets#sendmmsg0}). */
    int send(int fd, int count) {
        return NativeSockets.sendmmsg0(fd, base, CAPACITY, count);
    }

    /** Bytes message {@code i} received (after {@link #recv}). */
    int length(int i) {
        return PlatformDependent.getInt(mmsghdr(i) + OFFSETOF_MMSGHDR_MSG_LEN);
    }

    /** The {@code msg_flags} of message {@code i} ({@code MSG_TRUNC}: it did not fit its buffer). */
    int flags(int i) {
        return PlatformDependent.getInt(mmsghdr(i) + OFFSETOF_MMSGHDR_MSG_FLAGS);
    }

    /** The UDP_GRO segment size of message {@code i}, 0 when it is one datagram. */
    int segment(int i) {
        return PlatformDependent.getInt(dgram(i) + OFFSETOF_DGRAM_SEGMENT);
    }

    /** The sender of message {@code i}; null when the kernel gave none. Reuses the last one when equal. */
    InetSocketAddress sender(int i) throws UnknownHostException {
        long sa = dgram(i) + OFFSETOF_DGRAM_ADDR;
        int family = PlatformDependent.getShort(sa + OFFSETOF_SOCKADDR_FAMILY) & 0xffff;
        int port;
        int scope = 0;
        long hi = 0;
        long lo;
        if (family == AF_INET) {
            port = networkPort(sa + OFFSETOF_SIN_PORT);
            lo = PlatformDependent.getInt(sa + OFFSETOF_SIN_ADDR) & 0xffffffffL;
        } else if (family == AF_INET6) {
            port = networkPort(sa + OFFSETOF_SIN6_PORT);
            hi = PlatformDependent.getLong(sa + OFFSETOF_SIN6_ADDR);
            lo = PlatformDependent.getLong(sa + OFFSETOF_SIN6_ADDR + 8);
            scope = PlatformDependent.getInt(sa + OFFSETOF_SIN6_SCOPE_ID);
        } else {
            return null;
        }
        if (family == lastFamily && port == lastPort && scope == lastScope && hi == lastHi && lo == lastLo) {
            return lastSender;
        }
        InetSocketAddress sender = new InetSocketAddress(decode(sa, family, scope), port);
        lastFamily = family;
        lastPort = port;
        lastScope = scope;
        lastHi = hi;
        lastLo = lo;
        lastSender = sender;
        return sender;
    }

    /** The original destination of message {@code i} (IP_RECVORIGDSTADDR), or null when not recorded. */
    InetSocketAddress originalDestination(int i) throws UnknownHostException {
        long sa = dgram(i) + OFFSETOF_DGRAM_ORIGDST;
        int family = PlatformDependent.getShort(sa + OFFSETOF_SOCKADDR_FAMILY) & 0xffff;
        int portOffset;
        if (family == AF_INET) {
            portOffset = OFFSETOF_SIN_PORT;
        } else if (family == AF_INET6) {
            portOffset = OFFSETOF_SIN6_PORT;
        } else {
            return null;
        }
        int port = networkPort(sa + portOffset);
        int scope = family == AF_INET6 ? PlatformDependent.getInt(sa + OFFSETOF_SIN6_SCOPE_ID) : 0;
        return new InetSocketAddress(decode(sa, family, scope), port);
    }

    /** A port as sockaddr holds it: network byte order. */
    private static int networkPort(long address) {
        return ((PlatformDependent.getByte(address) & 0xff) << 8) | (PlatformDependent.getByte(address + 1) & 0xff);
    }

    private static InetAddress decode(long sa, int family, int scope) throws UnknownHostException {
        if (family == AF_INET) {
            byte[] bytes = new byte[4];
            PlatformDependent.copyMemory(sa + OFFSETOF_SIN_ADDR, bytes, 0, 4);
            return InetAddress.getByAddress(bytes);
        }
        byte[] bytes = new byte[16];
        PlatformDependent.copyMemory(sa + OFFSETOF_SIN6_ADDR, bytes, 0, 16);
        if (isIpv4Mapped(bytes)) {
            return Inet4Address.getByAddress(new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] });
        }
        return scope != 0 ? Inet6Address.getByAddress(null, bytes, scope) : InetAddress.getByAddress(bytes);
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}

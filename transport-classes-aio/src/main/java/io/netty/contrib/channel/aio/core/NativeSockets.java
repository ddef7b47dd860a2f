/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

import io.netty.channel.DefaultFileRegion;
import io.netty.channel.unix.PeerCredentials;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The JNI entry points of the "sockets" area ({@code netty_aio_sockets.c}): what unix-common's {@code Socket}
 * does not bind. Socket calls that unix-common binds (connect, accept, recv, writev, setsockopt of an int, ...)
 * are used from there, not rebound here; this class adds the Linux option numbers to use with
 * {@code Socket.setIntOpt/getIntOpt}, {@code sendfile(2)} and the construction of {@link PeerCredentials}.
 *
 * <p>Wrappers return their result or {@code -errno} and never throw; {@code EINTR} is retried natively. Stateless
 * and thread-safe. Internal to the transport: public only so that its packages can share it.
 */
public final class NativeSockets {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(NativeSockets.class);

    static {
        Native.ensureLoaded();
    }

    // The constants come from a class of their own: JNI_OnLoad's FindClass of this class runs its initialiser,
    // which must not call natives of this class before they are registered.
    public static final int SOL_SOCKET = NativeSocketsStaticallyReferencedJniMethods.solSocket();
    public static final int IPPROTO_TCP = NativeSocketsStaticallyReferencedJniMethods.ipprotoTcp();
    public static final int IPPROTO_IP = NativeSocketsStaticallyReferencedJniMethods.ipprotoIp();
    public static final int IPPROTO_IPV6 = NativeSocketsStaticallyReferencedJniMethods.ipprotoIpv6();
    public static final int SO_PEERCRED = NativeSocketsStaticallyReferencedJniMethods.soPeercred();
    public static final int SO_RCVLOWAT = NativeSocketsStaticallyReferencedJniMethods.soRcvlowat();
    public static final int SO_BUSY_POLL = NativeSocketsStaticallyReferencedJniMethods.soBusyPoll();
    public static final int TCP_CORK = NativeSocketsStaticallyReferencedJniMethods.tcpCork();
    public static final int TCP_QUICKACK = NativeSocketsStaticallyReferencedJniMethods.tcpQuickack();
    public static final int TCP_FASTOPEN = NativeSocketsStaticallyReferencedJniMethods.tcpFastopen();
    public static final int TCP_FASTOPEN_CONNECT = NativeSocketsStaticallyReferencedJniMethods.tcpFastopenConnect();
    public static final int TCP_KEEPIDLE = NativeSocketsStaticallyReferencedJniMethods.tcpKeepidle();
    public static final int TCP_KEEPINTVL = NativeSocketsStaticallyReferencedJniMethods.tcpKeepintvl();
    public static final int TCP_KEEPCNT = NativeSocketsStaticallyReferencedJniMethods.tcpKeepcnt();
    public static final int TCP_USER_TIMEOUT = NativeSocketsStaticallyReferencedJniMethods.tcpUserTimeout();
    public static final int TCP_NOTSENT_LOWAT = NativeSocketsStaticallyReferencedJniMethods.tcpNotsentLowat();
    public static final int TCP_DEFER_ACCEPT = NativeSocketsStaticallyReferencedJniMethods.tcpDeferAccept();
    public static final int IP_TRANSPARENT = NativeSocketsStaticallyReferencedJniMethods.ipTransparent();
    public static final int IP_FREEBIND = NativeSocketsStaticallyReferencedJniMethods.ipFreebind();
    public static final int IP_BIND_ADDRESS_NO_PORT = NativeSocketsStaticallyReferencedJniMethods.ipBindAddressNoPort();

    /** {@code struct ucred { pid_t pid; uid_t uid; gid_t gid; }}: size and field offsets. */
    public static final int SIZEOF_UCRED = NativeSocketsStaticallyReferencedJniMethods.sizeofUcred();
    public static final int UCRED_PID = NativeSocketsStaticallyReferencedJniMethods.offsetofUcredPid();
    public static final int UCRED_UID = NativeSocketsStaticallyReferencedJniMethods.offsetofUcredUid();
    public static final int UCRED_GID = NativeSocketsStaticallyReferencedJniMethods.offsetofUcredGid();

    // Datagram options, flags and families.
    public static final int IPV6_TCLASS = NativeSocketsStaticallyReferencedJniMethods.ipv6Tclass();
    public static final int IP_MULTICAST_LOOP = NativeSocketsStaticallyReferencedJniMethods.ipMulticastLoop();
    public static final int IPV6_MULTICAST_LOOP = NativeSocketsStaticallyReferencedJniMethods.ipv6MulticastLoop();
    public static final int IP_MULTICAST_TTL = NativeSocketsStaticallyReferencedJniMethods.ipMulticastTtl();
    public static final int IPV6_MULTICAST_HOPS = NativeSocketsStaticallyReferencedJniMethods.ipv6MulticastHops();
    public static final int IP_MULTICAST_ALL = NativeSocketsStaticallyReferencedJniMethods.ipMulticastAll();
    public static final int IP_RECVORIGDSTADDR = NativeSocketsStaticallyReferencedJniMethods.ipRecvorigdstaddr();
    public static final int IPV6_RECVORIGDSTADDR = NativeSocketsStaticallyReferencedJniMethods.ipv6Recvorigdstaddr();
    public static final int SOL_UDP = NativeSocketsStaticallyReferencedJniMethods.solUdp();
    public static final int UDP_GRO = NativeSocketsStaticallyReferencedJniMethods.udpGro();
    public static final int UDP_SEGMENT = NativeSocketsStaticallyReferencedJniMethods.udpSegment();
    public static final int MSG_TRUNC = NativeSocketsStaticallyReferencedJniMethods.msgTrunc();
    public static final int AF_INET = NativeSocketsStaticallyReferencedJniMethods.afInet();
    public static final int AF_INET6 = NativeSocketsStaticallyReferencedJniMethods.afInet6();

    /**
     * The layout of a recvmmsg/sendmmsg batch of capacity N (see {@code struct netty_aio_dgram} in
     * {@code netty_aio_sockets.c}): N {@code struct mmsghdr} back to back, then N {@code netty_aio_dgram}s
     * <pre>
     *   struct netty_aio_dgram { struct iovec iov; struct sockaddr_storage addr, origdst; int32_t segment;
     *                            int32_t addrlen; char control[...]; };
     * </pre>
     * and the fields of {@code sockaddr_in}/{@code sockaddr_in6} Java reads and writes in {@code addr}.
     */
    public static final int SIZEOF_MMSGHDR = NativeSocketsStaticallyReferencedJniMethods.sizeofMmsghdr();
    public static final int OFFSETOF_MMSGHDR_MSG_LEN = NativeSocketsStaticallyReferencedJniMethods.offsetofMmsghdrMsgLen();
    public static final int OFFSETOF_MMSGHDR_MSG_FLAGS = NativeSocketsStaticallyReferencedJniMethods.offsetofMmsghdrMsgFlags();
    public static final int SIZEOF_DGRAM = NativeSocketsStaticallyReferencedJniMethods.sizeofDgram();
    public static final int OFFSETOF_DGRAM_IOV_BASE = NativeSocketsStaticallyReferencedJniMethods.offsetofDgramIovBase();
    public static final int OFFSETOF_DGRAM_IOV_LEN = NativeSocketsStaticallyReferencedJniMethods.offsetofDgramIovLen();
    public static final int OFFSETOF_DGRAM_ADDR = NativeSocketsStaticallyReferencedJniMethods.offsetofDgramAddr();
    public static final int OFFSETOF_DGRAM_ORIGDST = NativeSocketsStaticallyReferencedJniMethods.offsetofDgramOrigdst();
    public static final int OFFSETOF_DGRAM_SEGMENT = NativeSocketsStaticallyReferencedJniMethods.offsetofDgramSegment();
    public static final int OFFSETOF_DGRAM_ADDRLEN = NativeSocketsStaticallyReferencedJniMethods.offsetofDgramAddrlen();
    public static final int OFFSETOF_SOCKADDR_FAMILY = NativeSocketsStaticallyReferencedJniMethods.offsetofSockaddrFamily();
    public static final int OFFSETOF_SIN_PORT = NativeSocketsStaticallyReferencedJniMethods.offsetofSinPort();
    public static final int OFFSETOF_SIN_ADDR = NativeSocketsStaticallyReferencedJniMethods.offsetofSinAddr();
    public static final int SIZEOF_SOCKADDR_IN = NativeSocketsStaticallyReferencedJniMethods.sizeofSockaddrIn();
    public static final int OFFSETOF_SIN6_PORT = NativeSocketsStaticallyReferencedJniMethods.offsetofSin6Port();
    public static final int OFFSETOF_SIN6_ADDR = NativeSocketsStaticallyReferencedJniMethods.offsetofSin6Addr();
    public static final int OFFSETOF_SIN6_SCOPE_ID = NativeSocketsStaticallyReferencedJniMethods.offsetofSin6ScopeId();
    public static final int SIZEOF_SOCKADDR_IN6 = NativeSocketsStaticallyReferencedJniMethods.sizeofSockaddrIn6();

    /** {@code net.ipv4.tcp_fastopen} bit 0x1: clients may send data in the SYN. */
    public static final boolean IS_SUPPORTING_TCP_FASTOPEN_CLIENT;
    /** {@code net.ipv4.tcp_fastopen} bit 0x2: listeners may accept data in the SYN. */
    public static final boolean IS_SUPPORTING_TCP_FASTOPEN_SERVER;

    static {
        int fastOpen = 0;
        Path sysctl = Paths.get("/proc/sys/net/ipv4/tcp_fastopen");
        try {
            fastOpen = Integer.parseInt(new String(Files.readAllBytes(sysctl), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException | SecurityException e) {
            logger.debug("Cannot read {}: assuming TCP Fast Open is off", sysctl, e);
        }
        IS_SUPPORTING_TCP_FASTOPEN_CLIENT = (fastOpen & 1) != 0;
        IS_SUPPORTING_TCP_FASTOPEN_SERVER = (fastOpen & 2) != 0;
    }

    private NativeSockets() {
    }

    /**
     * {@code sendfile(outFd, inFd, &offset, length)}: returns the bytes sent or -errno — EAGAIN (socket buffer
     * full), EPIPE/ECONNRESET (peer gone), EBADF, EINVAL, EIO, ENOMEM, EOVERFLOW.
     */
    public static native long sendfileFd(int outFd, int inFd, long offset, long length);

    /**
     * Sends {@code length} bytes of {@code region}'s open file from {@code base + offset} and adds what was sent
     * to the region's {@code transferred()} count. Returns the bytes sent or -errno as {@link #sendfileFd}, plus
     * EBADF when the region's file is not open.
     */
    public static native long sendfileRegion(int outFd, DefaultFileRegion region, long base, long offset,
                                             long length);

    /**
     * The descriptor of {@code region}'s open file, read from its {@code FileChannel} without a syscall, or -EBADF
     * when the region's file is not open yet ({@code DefaultFileRegion(File, ...)} before {@code open()}). The
     * descriptor stays the region's: do not close it, and use it only while the region holds a reference.
     */
    public static int regionFd(DefaultFileRegion region) {
        return regionFd0(region);
    }

    private static native int regionFd0(Object region);

    /**
     * Adds {@code bytes} to {@code region}'s {@code transferred()} count: bytes of it that went out from buffers
     * rather than through {@link #sendfileRegion}.
     */
    public static void regionAddTransferred(DefaultFileRegion region, long bytes) {
        regionAddTransferred0(region, bytes);
    }

    private static native void regionAddTransferred0(Object region, long bytes);

    /** The {@link java.io.File} {@code region} was made of, or null for one made of a {@code FileChannel}. */
    public static java.io.File regionPath(DefaultFileRegion region) {
        return regionPath0(region);
    }

    private static native java.io.File regionPath0(Object region);

    /**
     * Gives {@code region}, made of a {@link java.io.File} and not open yet, the channel opened for it elsewhere, as
     * if its {@code open()} had opened it: the region owns it from then on and closes it when released. Returns 0,
     * or -EEXIST when the region has a channel already (the caller then still owns {@code channel}).
     */
    public static int regionSetChannel(DefaultFileRegion region, java.nio.channels.FileChannel channel) {
        return regionSetChannel0(region, channel);
    }

    private static native int regionSetChannel0(Object region, java.nio.channels.FileChannel channel);

    /**
     * {@code recvmmsg(2)} of up to {@code count} messages into the batch at {@code base} of {@code capacity}
     * messages (layout: {@link #SIZEOF_MMSGHDR} and the {@code DGRAM} offsets). Java fills each message's iovec
     * first. Returns the number received or -errno: EAGAIN (nothing queued), ECONNREFUSED (connected socket, ICMP
     * port unreachable), EBADF, EFAULT, EINVAL, ENOMEM, ENOTSOCK. Fills msg_len, msg_flags, addr/addrlen, origdst
     * and segment (the UDP_GRO size) of each message received.
     */
    public static native int recvmmsg0(int fd, long base, int capacity, int count);

    /**
     * {@code sendmmsg(2)} of {@code count} messages of the batch at {@code base} (Java fills iovec, addr/addrlen,
     * 0 on a connected socket, and segment, the UDP_SEGMENT size or 0). Returns the number sent, or -errno of the
     * first message: EAGAIN, ECONNREFUSED, EMSGSIZE, EINVAL, ENETUNREACH, EHOSTUNREACH, EACCES, EDESTADDRREQ,
     * EAFNOSUPPORT, EPERM, ENOBUFS, EBADF.
     */
    public static native int sendmmsg0(int fd, long base, int capacity, int count);

    /** {@link #multicast0} operations. */
    public static final int MCAST_JOIN = 0;
    public static final int MCAST_LEAVE = 1;
    public static final int MCAST_BLOCK = 2;
    public static final int MCAST_UNBLOCK = 3;

    /**
     * Joins or leaves a multicast group, or blocks or unblocks a source in it ({@code MCAST_*} options, RFC 3678).
     * {@code group}/{@code source} are 4 or 16 address bytes ({@code source} null: any source; required to block);
     * {@code ifindex} 0 lets the kernel choose by route. Returns 0 or -errno: EADDRINUSE (joined already),
     * EADDRNOTAVAIL (not joined, no such interface), EINVAL (not multicast, mixed families), ENODEV, ENOBUFS.
     */
    public static native int multicast0(int fd, int op, byte[] group, int ifindex, byte[] source);

    /**
     * {@code IP_MULTICAST_IF} by interface index and, on an IPv6 socket, {@code IPV6_MULTICAST_IF}. Returns 0 or
     * -errno (ENODEV, EINVAL).
     */
    public static native int setMulticastIf0(int fd, boolean ipv6, int ifindex);

    /** A {@link PeerCredentials} (its constructor is not public) from the fields of a {@code struct ucred}. */
    public static native PeerCredentials newPeerCredentials(int pid, int uid, int gid);
}

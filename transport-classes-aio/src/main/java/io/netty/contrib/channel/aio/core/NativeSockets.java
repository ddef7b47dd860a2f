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

    /** A {@link PeerCredentials} (its constructor is not public) from the fields of a {@code struct ucred}. */
    public static native PeerCredentials newPeerCredentials(int pid, int uid, int gid);
}

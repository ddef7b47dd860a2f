/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.DefaultFileRegion;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.PeerCredentials;
import io.netty.channel.unix.Socket;
import io.netty.contrib.channel.aio.core.NativeSockets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * unix-common's {@link Socket} plus the Linux options and calls it does not bind (through {@link NativeSockets}).
 * Non-blocking, close-on-exec. Thread-safety as {@link Socket}: option calls from any thread, I/O from the loop.
 */
final class AioSocket extends Socket {

    AioSocket(int fd) {
        super(fd);
    }

    static AioSocket newStream() {
        return new AioSocket(newSocketStream0());
    }

    static AioSocket newStream(SocketProtocolFamily family) {
        return new AioSocket(family == null ? newSocketStream0() : newSocketStream0(family));
    }

    static AioSocket newDomain() {
        return new AioSocket(newSocketDomain0());
    }

    /** A UDP socket: IPv6 dual-stack when the host prefers IPv6 and {@code family} is null, else {@code family}. */
    static AioSocket newDatagram(SocketProtocolFamily family) {
        return new AioSocket(family == null ? newSocketDgram0() : newSocketDgram0(family));
    }

    static AioSocket newDomainDatagram() {
        return new AioSocket(newSocketDomainDgram0());
    }

    /** Whether this is an IPv6 socket (which reaches IPv4 peers through mapped addresses). */
    boolean isIpv6() {
        return ipv6;
    }

    /** On a listener: the queue length of pending Fast Open requests (0 turns it off). */
    void setTcpFastOpen(int pendingRequests) throws IOException {
        setIntOpt(NativeSockets.IPPROTO_TCP, NativeSockets.TCP_FASTOPEN, pendingRequests);
    }

    /** The peer's pid, uid and gid at connect time ({@code SO_PEERCRED}; domain sockets). */
    PeerCredentials getPeerCredentials() throws IOException {
        ByteBuffer ucred = ByteBuffer.allocateDirect(NativeSockets.SIZEOF_UCRED).order(ByteOrder.nativeOrder());
        getRawOpt(NativeSockets.SOL_SOCKET, NativeSockets.SO_PEERCRED, ucred);
        return NativeSockets.newPeerCredentials(ucred.getInt(NativeSockets.UCRED_PID),
                ucred.getInt(NativeSockets.UCRED_UID), ucred.getInt(NativeSockets.UCRED_GID));
    }

    /**
     * Sends up to {@code length} bytes of {@code region} from its {@code transferred()} position; 0 when the
     * socket buffer is full.
     */
    long sendFile(DefaultFileRegion region, long offset, long length) throws IOException {
        // The region opens its file lazily; sendfile needs the descriptor now.
        region.open();
        long res = NativeSockets.sendfileRegion(intValue(), region, region.position(), offset, length);
        if (res >= 0) {
            return res;
        }
        return Errors.ioResult("sendfile", (int) res);
    }
}

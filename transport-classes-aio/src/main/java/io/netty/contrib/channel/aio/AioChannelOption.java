/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.ChannelOption;
import io.netty.channel.unix.UnixChannelOption;

/**
 * The Linux-specific options of the AIO socket channels, as {@code EpollChannelOption} names them for epoll. The
 * portable ones ({@link ChannelOption#TCP_NODELAY}, {@link ChannelOption#SO_KEEPALIVE}, ...) and
 * {@link UnixChannelOption#SO_REUSEPORT} are set as usual. Options whose name carries no class prefix
 * ({@code IP_FREEBIND}, {@code IP_TRANSPARENT}) are the very constants epoll uses; the others are this
 * transport's own, so code that sets {@code EpollChannelOption.TCP_CORK} names {@link #TCP_CORK} here instead.
 */
public final class AioChannelOption<T> extends UnixChannelOption<T> {
    /** {@code TCP_CORK}: hold partial frames until uncorked (or 200 ms passed). */
    public static final ChannelOption<Boolean> TCP_CORK = valueOf(AioChannelOption.class, "TCP_CORK");
    /** {@code TCP_QUICKACK}: acknowledge at once instead of delaying ACKs (the kernel may reset it). */
    public static final ChannelOption<Boolean> TCP_QUICKACK = valueOf(AioChannelOption.class, "TCP_QUICKACK");
    /** {@code TCP_NOTSENT_LOWAT}: bytes of unsent data above which the socket stops being writable. */
    public static final ChannelOption<Long> TCP_NOTSENT_LOWAT = valueOf(AioChannelOption.class, "TCP_NOTSENT_LOWAT");
    /** {@code TCP_KEEPIDLE}: seconds of idleness before the first keep-alive probe. */
    public static final ChannelOption<Integer> TCP_KEEPIDLE = valueOf(AioChannelOption.class, "TCP_KEEPIDLE");
    /** {@code TCP_KEEPINTVL}: seconds between keep-alive probes. */
    public static final ChannelOption<Integer> TCP_KEEPINTVL = valueOf(AioChannelOption.class, "TCP_KEEPINTVL");
    /** {@code TCP_KEEPCNT}: unanswered probes before the connection is dropped. */
    public static final ChannelOption<Integer> TCP_KEEPCNT = valueOf(AioChannelOption.class, "TCP_KEEPCNT");
    /** {@code TCP_USER_TIMEOUT}: milliseconds unacknowledged data may stay before the connection is dropped. */
    public static final ChannelOption<Integer> TCP_USER_TIMEOUT = valueOf(AioChannelOption.class, "TCP_USER_TIMEOUT");
    /** {@code TCP_DEFER_ACCEPT}: seconds a listener waits for data before waking up for a connection. */
    public static final ChannelOption<Integer> TCP_DEFER_ACCEPT = valueOf(AioChannelOption.class, "TCP_DEFER_ACCEPT");
    /** {@code TCP_FASTOPEN} on a listener: the Fast Open queue length (the same constant as Netty's). */
    public static final ChannelOption<Integer> TCP_FASTOPEN = ChannelOption.TCP_FASTOPEN;
    /** Client Fast Open: the first flushed bytes go out in the SYN (the same constant as Netty's). */
    public static final ChannelOption<Boolean> TCP_FASTOPEN_CONNECT = ChannelOption.TCP_FASTOPEN_CONNECT;
    /** {@code IP_FREEBIND}: bind to an address not (yet) configured on this host. */
    public static final ChannelOption<Boolean> IP_FREEBIND = valueOf("IP_FREEBIND");
    /** {@code IP_TRANSPARENT}: bind to a foreign address (transparent proxying; needs CAP_NET_ADMIN). */
    public static final ChannelOption<Boolean> IP_TRANSPARENT = valueOf("IP_TRANSPARENT");

    /**
     * {@code IP_RECVORIGDSTADDR} on a datagram channel: received packets name the address they were sent to as
     * their recipient (the same constant as epoll's).
     */
    public static final ChannelOption<Boolean> IP_RECVORIGDSTADDR = valueOf("IP_RECVORIGDSTADDR");
    /** {@code UDP_GRO} on a datagram channel: coalesced reads, split again into datagrams (epoll's constant). */
    public static final ChannelOption<Boolean> UDP_GRO = valueOf("UDP_GRO");
    /**
     * On a datagram channel: the largest datagram expected; non-zero cuts each receive buffer into slots of this
     * size filled by one {@code recvmmsg} call (epoll's constant).
     */
    public static final ChannelOption<Integer> MAX_DATAGRAM_PAYLOAD_SIZE = valueOf("MAX_DATAGRAM_PAYLOAD_SIZE");

    @SuppressWarnings({ "unused", "deprecation" })
    private AioChannelOption() {
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.contrib.channel.aio.core.NativeSockets;
import io.netty.util.internal.PlatformDependent;

import java.util.Map;

import static io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE;
import static io.netty.channel.ChannelOption.IP_TOS;
import static io.netty.channel.ChannelOption.SO_KEEPALIVE;
import static io.netty.channel.ChannelOption.SO_LINGER;
import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_REUSEADDR;
import static io.netty.channel.ChannelOption.SO_SNDBUF;
import static io.netty.channel.ChannelOption.TCP_FASTOPEN_CONNECT;
import static io.netty.channel.ChannelOption.TCP_NODELAY;

/**
 * The options of an {@link AioSocketChannel}: Netty's socket options (TCP_NODELAY on by default where the
 * platform allows, as epoll and NIO), the Linux TCP options of {@link AioChannelOption} and client TCP Fast Open.
 * Socket options go to the socket at once; a failure is a {@link io.netty.channel.ChannelException}. Thread-safe.
 */
public final class AioSocketChannelConfig extends AioChannelConfig implements SocketChannelConfig {
    private volatile boolean allowHalfClosure;
    private volatile boolean tcpFastopen;

    AioSocketChannelConfig(AioSocketChannel channel) {
        super(channel);
        if (PlatformDependent.canEnableTcpNoDelayByDefault()) {
            setTcpNoDelay(true);
        }
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), SO_RCVBUF, SO_SNDBUF, TCP_NODELAY, SO_KEEPALIVE, SO_REUSEADDR,
                SO_LINGER, IP_TOS, ALLOW_HALF_CLOSURE, AioChannelOption.TCP_CORK, AioChannelOption.TCP_NOTSENT_LOWAT,
                AioChannelOption.TCP_KEEPCNT, AioChannelOption.TCP_KEEPIDLE, AioChannelOption.TCP_KEEPINTVL,
                AioChannelOption.TCP_USER_TIMEOUT, AioChannelOption.TCP_QUICKACK, AioChannelOption.IP_TRANSPARENT,
                TCP_FASTOPEN_CONNECT);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        Object value;
        if (option == SO_RCVBUF) {
            value = getReceiveBufferSize();
        } else if (option == SO_SNDBUF) {
            value = getSendBufferSize();
        } else if (option == TCP_NODELAY) {
            value = isTcpNoDelay();
        } else if (option == SO_KEEPALIVE) {
            value = isKeepAlive();
        } else if (option == SO_REUSEADDR) {
            value = isReuseAddress();
        } else if (option == SO_LINGER) {
            value = getSoLinger();
        } else if (option == IP_TOS) {
            value = getTrafficClass();
        } else if (option == ALLOW_HALF_CLOSURE) {
            value = isAllowHalfClosure();
        } else if (option == AioChannelOption.TCP_CORK) {
            value = isTcpCork();
        } else if (option == AioChannelOption.TCP_NOTSENT_LOWAT) {
            value = getTcpNotSentLowAt();
        } else if (option == AioChannelOption.TCP_KEEPIDLE) {
            value = getTcpKeepIdle();
        } else if (option == AioChannelOption.TCP_KEEPINTVL) {
            value = getTcpKeepIntvl();
        } else if (option == AioChannelOption.TCP_KEEPCNT) {
            value = getTcpKeepCnt();
        } else if (option == AioChannelOption.TCP_USER_TIMEOUT) {
            value = getTcpUserTimeout();
        } else if (option == AioChannelOption.TCP_QUICKACK) {
            value = isTcpQuickAck();
        } else if (option == AioChannelOption.IP_TRANSPARENT) {
            value = isIpTransparent();
        } else if (option == TCP_FASTOPEN_CONNECT) {
            value = isTcpFastOpenConnect();
        } else {
            return super.getOption(option);
        }
        return (T) value;
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == SO_RCVBUF) {
            setReceiveBufferSize((Integer) value);
        } else if (option == SO_SNDBUF) {
            setSendBufferSize((Integer) value);
        } else if (option == TCP_NODELAY) {
            setTcpNoDelay((Boolean) value);
        } else if (option == SO_KEEPALIVE) {
            setKeepAlive((Boolean) value);
        } else if (option == SO_REUSEADDR) {
            setReuseAddress((Boolean) value);
        } else if (option == SO_LINGER) {
            setSoLinger((Integer) value);
        } else if (option == IP_TOS) {
            setTrafficClass((Integer) value);
        } else if (option == ALLOW_HALF_CLOSURE) {
            setAllowHalfClosure((Boolean) value);
        } else if (option == AioChannelOption.TCP_CORK) {
            setTcpCork((Boolean) value);
        } else if (option == AioChannelOption.TCP_NOTSENT_LOWAT) {
            setTcpNotSentLowAt((Long) value);
        } else if (option == AioChannelOption.TCP_KEEPIDLE) {
            setTcpKeepIdle((Integer) value);
        } else if (option == AioChannelOption.TCP_KEEPINTVL) {
            setTcpKeepIntvl((Integer) value);
        } else if (option == AioChannelOption.TCP_KEEPCNT) {
            setTcpKeepCnt((Integer) value);
        } else if (option == AioChannelOption.TCP_USER_TIMEOUT) {
            setTcpUserTimeout((Integer) value);
        } else if (option == AioChannelOption.TCP_QUICKACK) {
            setTcpQuickAck((Boolean) value);
        } else if (option == AioChannelOption.IP_TRANSPARENT) {
            setIpTransparent((Boolean) value);
        } else if (option == TCP_FASTOPEN_CONNECT) {
            setTcpFastOpenConnect((Boolean) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    @Override
    public int getReceiveBufferSize() {
        return read(() -> socket().getReceiveBufferSize());
    }

    @Override
    public int getSendBufferSize() {
        return read(() -> socket().getSendBufferSize());
    }

    @Override
    public int getSoLinger() {
        return read(() -> socket().getSoLinger());
    }

    @Override
    public int getTrafficClass() {
        return read(() -> socket().getTrafficClass());
    }

    @Override
    public boolean isKeepAlive() {
        return read(() -> socket().isKeepAlive());
    }

    @Override
    public boolean isReuseAddress() {
        return read(() -> socket().isReuseAddress());
    }

    @Override
    public boolean isTcpNoDelay() {
        return read(() -> socket().isTcpNoDelay());
    }

    public boolean isTcpCork() {
        return getTcpOption(NativeSockets.TCP_CORK) != 0;
    }

    public boolean isTcpQuickAck() {
        return getTcpOption(NativeSockets.TCP_QUICKACK) != 0;
    }

    public long getTcpNotSentLowAt() {
        return getTcpOption(NativeSockets.TCP_NOTSENT_LOWAT) & 0xFFFFFFFFL;
    }

    public int getTcpKeepIdle() {
        return getTcpOption(NativeSockets.TCP_KEEPIDLE);
    }

    public int getTcpKeepIntvl() {
        return getTcpOption(NativeSockets.TCP_KEEPINTVL);
    }

    public int getTcpKeepCnt() {
        return getTcpOption(NativeSockets.TCP_KEEPCNT);
    }

    public int getTcpUserTimeout() {
        return getTcpOption(NativeSockets.TCP_USER_TIMEOUT);
    }

    public boolean isIpTransparent() {
        return getIpOption(NativeSockets.IP_TRANSPARENT) != 0;
    }

    /** Whether a connect sends the first flushed bytes in the SYN (TCP Fast Open, when the kernel allows it). */
    public boolean isTcpFastOpenConnect() {
        return tcpFastopen;
    }

    @Override
    public AioSocketChannelConfig setKeepAlive(boolean keepAlive) {
        write(() -> socket().setKeepAlive(keepAlive));
        return this;
    }

    @Override
    public AioSocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        return this;
    }

    @Override
    public AioSocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        write(() -> socket().setReceiveBufferSize(receiveBufferSize));
        return this;
    }

    @Override
    public AioSocketChannelConfig setReuseAddress(boolean reuseAddress) {
        write(() -> socket().setReuseAddress(reuseAddress));
        return this;
    }

    @Override
    public AioSocketChannelConfig setSendBufferSize(int sendBufferSize) {
        write(() -> socket().setSendBufferSize(sendBufferSize));
        return this;
    }

    @Override
    public AioSocketChannelConfig setSoLinger(int soLinger) {
        write(() -> socket().setSoLinger(soLinger));
        return this;
    }

    @Override
    public AioSocketChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
        write(() -> socket().setTcpNoDelay(tcpNoDelay));
        return this;
    }

    public AioSocketChannelConfig setTcpCork(boolean tcpCork) {
        setTcpOption(NativeSockets.TCP_CORK, tcpCork ? 1 : 0);
        return this;
    }

    public AioSocketChannelConfig setTcpQuickAck(boolean quickAck) {
        setTcpOption(NativeSockets.TCP_QUICKACK, quickAck ? 1 : 0);
        return this;
    }

    /** @param tcpNotSentLowAt 0 to 0xFFFFFFFF bytes */
    public AioSocketChannelConfig setTcpNotSentLowAt(long tcpNotSentLowAt) {
        if (tcpNotSentLowAt < 0 || tcpNotSentLowAt > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("tcpNotSentLowAt must be an unsigned int, got " + tcpNotSentLowAt);
        }
        setTcpOption(NativeSockets.TCP_NOTSENT_LOWAT, (int) tcpNotSentLowAt);
        return this;
    }

    @Override
    public AioSocketChannelConfig setTrafficClass(int trafficClass) {
        write(() -> socket().setTrafficClass(trafficClass));
        return this;
    }

    public AioSocketChannelConfig setTcpKeepIdle(int seconds) {
        setTcpOption(NativeSockets.TCP_KEEPIDLE, seconds);
        return this;
    }

    public AioSocketChannelConfig setTcpKeepIntvl(int seconds) {
        setTcpOption(NativeSockets.TCP_KEEPINTVL, seconds);
        return this;
    }

    public AioSocketChannelConfig setTcpKeepCnt(int probes) {
        setTcpOption(NativeSockets.TCP_KEEPCNT, probes);
        return this;
    }

    public AioSocketChannelConfig setTcpUserTimeout(int milliseconds) {
        setTcpOption(NativeSockets.TCP_USER_TIMEOUT, milliseconds);
        return this;
    }

    public AioSocketChannelConfig setIpTransparent(boolean transparent) {
        setIpOption(NativeSockets.IP_TRANSPARENT, transparent ? 1 : 0);
        return this;
    }

    public AioSocketChannelConfig setTcpFastOpenConnect(boolean fastOpenConnect) {
        this.tcpFastopen = fastOpenConnect;
        return this;
    }

    @Override
    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    @Override
    public AioSocketChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
        this.allowHalfClosure = allowHalfClosure;
        return this;
    }

    @Override
    public AioSocketChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public AioSocketChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public AioSocketChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public AioSocketChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public AioSocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public AioSocketChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public AioSocketChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    @Deprecated
    public AioSocketChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    @Deprecated
    public AioSocketChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public AioSocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    public AioSocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }
}

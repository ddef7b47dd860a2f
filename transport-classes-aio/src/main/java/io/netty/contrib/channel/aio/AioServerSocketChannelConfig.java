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
import io.netty.channel.socket.ServerSocketChannelConfig;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.contrib.channel.aio.core.NativeSockets;

import java.util.Map;

/**
 * The options of an {@link AioServerSocketChannel}: those of {@link AioServerChannelConfig} plus SO_REUSEPORT,
 * IP_FREEBIND, IP_TRANSPARENT and TCP_DEFER_ACCEPT ({@link AioChannelOption}). Thread-safe.
 */
public final class AioServerSocketChannelConfig extends AioServerChannelConfig implements ServerSocketChannelConfig {

    AioServerSocketChannelConfig(AioServerSocketChannel channel) {
        super(channel);
        // As the JDK and epoll do: a restarted server can bind its port while old connections linger.
        setReuseAddress(true);
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), UnixChannelOption.SO_REUSEPORT, AioChannelOption.IP_FREEBIND,
                AioChannelOption.IP_TRANSPARENT, AioChannelOption.TCP_DEFER_ACCEPT);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (option == UnixChannelOption.SO_REUSEPORT) {
            return (T) Boolean.valueOf(isReusePort());
        }
        if (option == AioChannelOption.IP_FREEBIND) {
            return (T) Boolean.valueOf(isFreeBind());
        }
        if (option == AioChannelOption.IP_TRANSPARENT) {
            return (T) Boolean.valueOf(isIpTransparent());
        }
        if (option == AioChannelOption.TCP_DEFER_ACCEPT) {
            return (T) Integer.valueOf(getTcpDeferAccept());
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == UnixChannelOption.SO_REUSEPORT) {
            setReusePort((Boolean) value);
        } else if (option == AioChannelOption.IP_FREEBIND) {
            setFreeBind((Boolean) value);
        } else if (option == AioChannelOption.IP_TRANSPARENT) {
            setIpTransparent((Boolean) value);
        } else if (option == AioChannelOption.TCP_DEFER_ACCEPT) {
            setTcpDeferAccept((Integer) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    /** SO_REUSEPORT: several listeners (one per loop, say) share the port; the kernel spreads connections. */
    public boolean isReusePort() {
        return read(() -> socket().isReusePort());
    }

    public AioServerSocketChannelConfig setReusePort(boolean reusePort) {
        write(() -> socket().setReusePort(reusePort));
        return this;
    }

    public boolean isFreeBind() {
        return getIpOption(NativeSockets.IP_FREEBIND) != 0;
    }

    public AioServerSocketChannelConfig setFreeBind(boolean freeBind) {
        setIpOption(NativeSockets.IP_FREEBIND, freeBind ? 1 : 0);
        return this;
    }

    public boolean isIpTransparent() {
        return getIpOption(NativeSockets.IP_TRANSPARENT) != 0;
    }

    public AioServerSocketChannelConfig setIpTransparent(boolean transparent) {
        setIpOption(NativeSockets.IP_TRANSPARENT, transparent ? 1 : 0);
        return this;
    }

    public int getTcpDeferAccept() {
        return getTcpOption(NativeSockets.TCP_DEFER_ACCEPT);
    }

    public AioServerSocketChannelConfig setTcpDeferAccept(int seconds) {
        setTcpOption(NativeSockets.TCP_DEFER_ACCEPT, seconds);
        return this;
    }

    @Override
    public AioServerSocketChannelConfig setReuseAddress(boolean reuseAddress) {
        super.setReuseAddress(reuseAddress);
        return this;
    }

    @Override
    public AioServerSocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        super.setReceiveBufferSize(receiveBufferSize);
        return this;
    }

    @Override
    public AioServerSocketChannelConfig setBacklog(int backlog) {
        super.setBacklog(backlog);
        return this;
    }

    @Override
    public AioServerSocketChannelConfig setTcpFastopen(int pendingFastOpenRequestsThreshold) {
        super.setTcpFastopen(pendingFastOpenRequestsThreshold);
        return this;
    }

    @Override
    public AioServerSocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        return this;
    }

    @Override
    public AioServerSocketChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public AioServerSocketChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public AioServerSocketChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public AioServerSocketChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public AioServerSocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public AioServerSocketChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    @Deprecated
    public AioServerSocketChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    @Deprecated
    public AioServerSocketChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public AioServerSocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    public AioServerSocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }
}

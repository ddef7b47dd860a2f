/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.internal.AioRecvByteAllocatorHandle;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.Limits;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.contrib.channel.aio.core.NativeSockets;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The configuration shared by every AIO channel: Netty's generic options plus raw {@link IntegerUnixChannelOption}
 * and {@link RawUnixChannelOption} socket options, applied to the socket at once. Thread-safe: options may be
 * set from any thread, as with every Netty {@code ChannelConfig}.
 */
public class AioChannelConfig extends DefaultChannelConfig {
    private volatile long maxBytesPerGatheringWrite = Limits.SSIZE_MAX;

    AioChannelConfig(AbstractAioChannel<?> channel) {
        super(channel);
    }

    AioChannelConfig(AbstractAioChannel<?> channel, RecvByteBufAllocator allocator) {
        super(channel, allocator);
    }

    final AioSocket socket() {
        return ((AbstractAioChannel<?>) channel).socket;
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        try {
            if (option instanceof IntegerUnixChannelOption) {
                IntegerUnixChannelOption opt = (IntegerUnixChannelOption) option;
                return (T) Integer.valueOf(socket().getIntOpt(opt.level(), opt.optname()));
            }
            if (option instanceof RawUnixChannelOption) {
                RawUnixChannelOption opt = (RawUnixChannelOption) option;
                ByteBuffer out = ByteBuffer.allocate(opt.length());
                socket().getRawOpt(opt.level(), opt.optname(), out);
                return (T) out.flip();
            }
        } catch (IOException e) {
            throw new ChannelException(e);
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        try {
            if (option instanceof IntegerUnixChannelOption) {
                IntegerUnixChannelOption opt = (IntegerUnixChannelOption) option;
                socket().setIntOpt(opt.level(), opt.optname(), (Integer) value);
                return true;
            }
            if (option instanceof RawUnixChannelOption) {
                RawUnixChannelOption opt = (RawUnixChannelOption) option;
                socket().setRawOpt(opt.level(), opt.optname(), (ByteBuffer) value);
                return true;
            }
        } catch (IOException e) {
            throw new ChannelException(e);
        }
        return super.setOption(option, value);
    }

    @Override
    public AioChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public AioChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public AioChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public AioChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    /** Takes only allocators whose handles are {@link RecvByteBufAllocator.ExtendedHandle}s, as epoll does. */
    @Override
    public AioChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(AioRecvByteAllocatorHandle.checkExtended(allocator));
        return this;
    }

    @Override
    public AioChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public AioChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    @Deprecated
    public AioChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    @Deprecated
    public AioChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public AioChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    public AioChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Override
    protected final void autoReadCleared() {
        ((AbstractAioChannel<?>) channel).autoReadCleared();
    }

    /** The most bytes one gathering write may try; adapted to what the socket takes (see the stream channel). */
    final void setMaxBytesPerGatheringWrite(long maxBytesPerGatheringWrite) {
        this.maxBytesPerGatheringWrite = maxBytesPerGatheringWrite;
    }

    final long getMaxBytesPerGatheringWrite() {
        return maxBytesPerGatheringWrite;
    }

    /** An {@code IPPROTO_TCP} option unix-common does not name ({@code NativeSockets.TCP_*}). */
    final int getTcpOption(int optname) {
        return read(() -> socket().getIntOpt(NativeSockets.IPPROTO_TCP, optname));
    }

    final void setTcpOption(int optname, int value) {
        write(() -> socket().setIntOpt(NativeSockets.IPPROTO_TCP, optname, value));
    }

    /** An {@code IPPROTO_IP} option unix-common does not name ({@code NativeSockets.IP_*}). */
    final int getIpOption(int optname) {
        return read(() -> socket().getIntOpt(NativeSockets.IPPROTO_IP, optname));
    }

    final void setIpOption(int optname, int value) {
        write(() -> socket().setIntOpt(NativeSockets.IPPROTO_IP, optname, value));
    }

    /** A socket option read that may fail. */
    interface SocketGetter<T> {
        T get() throws IOException;
    }

    /** A socket option write that may fail. */
    interface SocketSetter {
        void set() throws IOException;
    }

    /** Runs an option read, turning its {@link IOException} into Netty's {@link ChannelException}. */
    static <T> T read(SocketGetter<T> getter) {
        try {
            return getter.get();
        } catch (IOException e) {
            throw new ChannelException(e);
        }
    }

    /** Runs an option write, turning its {@link IOException} into Netty's {@link ChannelException}. */
    static void write(SocketSetter setter) {
        try {
            setter.set();
        } catch (IOException e) {
            throw new ChannelException(e);
        }
    }
}

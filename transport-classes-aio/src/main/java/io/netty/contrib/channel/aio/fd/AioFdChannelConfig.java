/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fd;

import io.netty.contrib.channel.aio.internal.AioRecvByteAllocatorHandle;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.contrib.channel.aio.file.AioFile;
import io.netty.contrib.channel.aio.file.AioRwOptions;
import io.netty.util.internal.ObjectUtil;

import java.util.Map;

import static io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE;
import static io.netty.contrib.channel.aio.fd.AioFdChannelOption.BUFFER_ALIGNMENT;
import static io.netty.contrib.channel.aio.fd.AioFdChannelOption.IO_MODE;
import static io.netty.contrib.channel.aio.fd.AioFdChannelOption.IO_SIZE_MULTIPLE;
import static io.netty.contrib.channel.aio.fd.AioFdChannelOption.READS_IN_FLIGHT;
import static io.netty.contrib.channel.aio.fd.AioFdChannelOption.READ_OPTIONS;
import static io.netty.contrib.channel.aio.fd.AioFdChannelOption.WRITES_IN_FLIGHT;
import static io.netty.contrib.channel.aio.fd.AioFdChannelOption.WRITE_OPTIONS;

/**
 * The configuration of an {@link AioFdChannel}: Netty's generic options plus {@link ChannelOption#ALLOW_HALF_CLOSURE}
 * and the {@link AioFdChannelOption}s.
 *
 * <ul>
 *   <li>{@link AioFdChannelOption#IO_MODE}: {@link AioFdIoMode#AUTO} by default; {@link #getIoMode()} answers the
 *   mode in effect. Settable only before the channel is registered.</li>
 *   <li>{@link AioFdChannelOption#READS_IN_FLIGHT} (async mode, default {@value #DEFAULT_READS_IN_FLIGHT}): reads
 *   submitted ahead; completed reads wait in order, counted against the same limit, while the pipeline does not
 *   want data ({@code AUTO_READ} off and no {@code read()} pending), so read-ahead is bounded.</li>
 *   <li>{@link AioFdChannelOption#WRITES_IN_FLIGHT} (async mode, default {@value #DEFAULT_WRITES_IN_FLIGHT}): each
 *   written message is one {@code IOCB_CMD_PWRITE}, so message boundaries are kept — one USB transfer per message
 *   on a FunctionFS endpoint, an empty message being a zero-length packet.</li>
 *   <li>{@link AioFdChannelOption#BUFFER_ALIGNMENT} (async mode): default the descriptor's {@code O_DIRECT} memory
 *   alignment when it has one ({@code statx STATX_DIOALIGN}, {@code BLKSSZGET}), else the page size 4096. A power
 *   of two up to 65536, not below what {@code O_DIRECT} asks.</li>
 *   <li>{@link AioFdChannelOption#IO_SIZE_MULTIPLE} (async mode): each read's length is the
 *   {@link RecvByteBufAllocator}'s guess rounded up to a multiple of it. Default the {@code O_DIRECT} offset
 *   alignment for an {@code O_DIRECT} descriptor, else 1. For a USB endpoint, its packet size (512, 1024).</li>
 *   <li>{@link AioFdChannelOption#READ_OPTIONS}, {@link AioFdChannelOption#WRITE_OPTIONS}: {@code RWF_*} flags and
 *   I/O priority per operation (in poll mode only the write flags apply, through {@code pwritev2}).</li>
 *   <li>{@link ChannelOption#ALLOW_HALF_CLOSURE} (default false): at end of input, fire
 *   {@code ChannelInputShutdownEvent} and keep the channel open for writing, instead of closing it.</li>
 * </ul>
 *
 * <p>Thread-safe: options may be set from any thread, as with every Netty {@code ChannelConfig}; a value is read
 * when the next operation is submitted.
 */
public final class AioFdChannelConfig extends DefaultChannelConfig {
    /** Default of {@link AioFdChannelOption#READS_IN_FLIGHT}. */
    public static final int DEFAULT_READS_IN_FLIGHT = 4;
    /** Default of {@link AioFdChannelOption#WRITES_IN_FLIGHT}. */
    public static final int DEFAULT_WRITES_IN_FLIGHT = 4;
    /** The most operations of one kind a channel keeps in flight. */
    public static final int MAX_IN_FLIGHT = 1024;

    private final AioFdChannel fdChannel;
    private volatile boolean allowHalfClosure;
    private volatile AioFdIoMode requestedMode = AioFdIoMode.AUTO;
    private volatile int readsInFlight = DEFAULT_READS_IN_FLIGHT;
    private volatile int writesInFlight = DEFAULT_WRITES_IN_FLIGHT;
    private volatile int bufferAlignment;
    private volatile int ioSizeMultiple;
    private volatile AioRwOptions readOptions = AioRwOptions.DEFAULT;
    private volatile AioRwOptions writeOptions = AioRwOptions.DEFAULT;

    AioFdChannelConfig(AioFdChannel channel) {
        super(channel);
        this.fdChannel = channel;
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), ALLOW_HALF_CLOSURE, IO_MODE, READS_IN_FLIGHT, WRITES_IN_FLIGHT,
                BUFFER_ALIGNMENT, IO_SIZE_MULTIPLE, READ_OPTIONS, WRITE_OPTIONS);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (option == ALLOW_HALF_CLOSURE) {
            return (T) Boolean.valueOf(isAllowHalfClosure());
        }
        if (option == IO_MODE) {
            return (T) getIoMode();
        }
        if (option == READS_IN_FLIGHT) {
            return (T) Integer.valueOf(getReadsInFlight());
        }
        if (option == WRITES_IN_FLIGHT) {
            return (T) Integer.valueOf(getWritesInFlight());
        }
        if (option == BUFFER_ALIGNMENT) {
            return (T) Integer.valueOf(getBufferAlignment());
        }
        if (option == IO_SIZE_MULTIPLE) {
            return (T) Integer.valueOf(getIoSizeMultiple());
        }
        if (option == READ_OPTIONS) {
            return (T) getReadOptions();
        }
        if (option == WRITE_OPTIONS) {
            return (T) getWriteOptions();
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == ALLOW_HALF_CLOSURE) {
            setAllowHalfClosure((Boolean) value);
        } else if (option == IO_MODE) {
            setIoMode((AioFdIoMode) value);
        } else if (option == READS_IN_FLIGHT) {
            setReadsInFlight((Integer) value);
        } else if (option == WRITES_IN_FLIGHT) {
            setWritesInFlight((Integer) value);
        } else if (option == BUFFER_ALIGNMENT) {
            setBufferAlignment((Integer) value);
        } else if (option == IO_SIZE_MULTIPLE) {
            setIoSizeMultiple((Integer) value);
        } else if (option == READ_OPTIONS) {
            setReadOptions((AioRwOptions) value);
        } else if (option == WRITE_OPTIONS) {
            setWriteOptions((AioRwOptions) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    public AioFdChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
        this.allowHalfClosure = allowHalfClosure;
        return this;
    }

    /** The mode in effect: {@link AioFdIoMode#ASYNC} or {@link AioFdIoMode#POLL}, never {@code AUTO}. */
    public AioFdIoMode getIoMode() {
        return fdChannel.resolveMode(requestedMode);
    }

    /**
     * Chooses the I/O mode; {@link AioFdIoMode#AUTO} chooses from the descriptor.
     *
     * @throws IllegalStateException once the channel is registered
     * @throws IllegalArgumentException if the descriptor cannot work in that mode (a pipe, FIFO or socket in
     *         {@code ASYNC} mode, an {@code O_DIRECT} descriptor in {@code POLL} mode)
     */
    public AioFdChannelConfig setIoMode(AioFdIoMode mode) {
        ObjectUtil.checkNotNull(mode, "mode");
        if (fdChannel.isModeFixed()) {
            throw new IllegalStateException("the I/O mode of " + fdChannel + " is fixed once it is registered");
        }
        fdChannel.resolveMode(mode);
        requestedMode = mode;
        return this;
    }

    public int getReadsInFlight() {
        return readsInFlight;
    }

    public AioFdChannelConfig setReadsInFlight(int readsInFlight) {
        this.readsInFlight = ObjectUtil.checkInRange(readsInFlight, 1, MAX_IN_FLIGHT, "readsInFlight");
        return this;
    }

    public int getWritesInFlight() {
        return writesInFlight;
    }

    public AioFdChannelConfig setWritesInFlight(int writesInFlight) {
        this.writesInFlight = ObjectUtil.checkInRange(writesInFlight, 1, MAX_IN_FLIGHT, "writesInFlight");
        return this;
    }

    /** The alignment in effect: the value set, else the descriptor's default. */
    public int getBufferAlignment() {
        int a = bufferAlignment;
        return a != 0 ? a : fdChannel.defaultBufferAlignment();
    }

    /**
     * @throws IllegalArgumentException unless a power of two up to 65536 and a multiple of the {@code O_DIRECT}
     *         memory alignment the descriptor asks for
     */
    public AioFdChannelConfig setBufferAlignment(int bufferAlignment) {
        if (bufferAlignment <= 0 || (bufferAlignment & bufferAlignment - 1) != 0 || bufferAlignment > 65536) {
            throw new IllegalArgumentException("bufferAlignment must be a power of two in 1..65536, got "
                    + bufferAlignment);
        }
        int needed = fdChannel.requiredMemoryAlignment();
        if (bufferAlignment % needed != 0) {
            throw new IllegalArgumentException("bufferAlignment " + bufferAlignment + " is below the " + needed
                    + " bytes O_DIRECT asks of " + fdChannel.describe());
        }
        this.bufferAlignment = bufferAlignment;
        return this;
    }

    /** The multiple in effect: the value set, else the descriptor's default. */
    public int getIoSizeMultiple() {
        int m = ioSizeMultiple;
        return m != 0 ? m : fdChannel.requiredSizeMultiple();
    }

    /**
     * @throws IllegalArgumentException unless in 1..{@link AioFile#MAX_READ_LENGTH} and a multiple of the
     *         {@code O_DIRECT} length alignment the descriptor asks for
     */
    public AioFdChannelConfig setIoSizeMultiple(int ioSizeMultiple) {
        ObjectUtil.checkInRange(ioSizeMultiple, 1, AioFile.MAX_READ_LENGTH, "ioSizeMultiple");
        int needed = fdChannel.requiredSizeMultiple();
        if (ioSizeMultiple % needed != 0) {
            throw new IllegalArgumentException("ioSizeMultiple " + ioSizeMultiple + " is not a multiple of the "
                    + needed + " bytes O_DIRECT asks of " + fdChannel.describe());
        }
        this.ioSizeMultiple = ioSizeMultiple;
        return this;
    }

    public AioRwOptions getReadOptions() {
        return readOptions;
    }

    public AioFdChannelConfig setReadOptions(AioRwOptions readOptions) {
        this.readOptions = ObjectUtil.checkNotNull(readOptions, "readOptions");
        return this;
    }

    public AioRwOptions getWriteOptions() {
        return writeOptions;
    }

    public AioFdChannelConfig setWriteOptions(AioRwOptions writeOptions) {
        this.writeOptions = ObjectUtil.checkNotNull(writeOptions, "writeOptions");
        return this;
    }

    /** Takes only allocators whose handles are {@link RecvByteBufAllocator.ExtendedHandle}s, as epoll does. */
    @Override
    public AioFdChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(AioRecvByteAllocatorHandle.checkExtended(allocator));
        return this;
    }

    @Override
    public AioFdChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public AioFdChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public AioFdChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public AioFdChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public AioFdChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public AioFdChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    @Deprecated
    public AioFdChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    @Deprecated
    public AioFdChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public AioFdChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    public AioFdChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }
}

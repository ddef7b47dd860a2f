/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.handler;

import io.netty.buffer.ByteBuf;
import io.netty.handler.stream.ChunkedFile;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.RandomAccessFile;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;
import java.util.function.Function;

/**
 * What a message written to {@link AioChunkedWriteHandler} is made of, found once per message class: a Netty file
 * input (its {@code FileChannel} and range), or an HTTP or HTTP/2 input wrapping one, which can be rebuilt around
 * another input. Netty keeps the pieces in private fields; a class whose fields are not where this expects (a
 * later Netty) or that reads its file its own way (a subclass overriding {@code readChunk}) is left alone: the
 * handler then writes it as {@link ChunkedWriteHandler} would. Stateless after class initialisation; any thread.
 */
abstract class FileInputs {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AioChunkedWriteHandler.class);

    /** The prefix of Netty's packages, "io.netty." unless shaded, read from a class of netty-handler. */
    private static final String NETTY_PREFIX = ChunkedWriteHandler.class.getName()
            .substring(0, ChunkedWriteHandler.class.getName().length() - "handler.stream.ChunkedWriteHandler".length());

    private static final Field NIO_CHANNEL = field(ChunkedNioFile.class, "in", FileChannel.class);
    private static final Field RANDOM_ACCESS_FILE = field(ChunkedFile.class, "file", RandomAccessFile.class);

    private static final ClassValue<FileInputs> BY_CLASS = new ClassValue<>() {
        @Override
        protected FileInputs computeValue(Class<?> type) {
            return of(type);
        }
    };

    /** A file input: the channel it reads through and the range left to read. */
    record FileRange(FileChannel channel, long start, long current, long end) {
    }

    /** The kind of {@code msg}, never null ({@link #NONE} for anything this cannot serve). */
    static FileInputs of(Object msg) {
        return BY_CLASS.get(msg.getClass());
    }

    /** The file range of a file input, or null when this kind has none. */
    abstract FileRange range(Object msg) throws Exception;

    /** The file input inside a wrapping input, or null when this kind wraps none. */
    ChunkedInput<?> inner(Object msg) throws Exception {
        return null;
    }

    /** A wrapping input like {@code msg} around {@code input} instead of its own; only for a kind with an inner. */
    Object rewrap(Object msg, ChunkedInput<ByteBuf> input) throws Exception {
        throw new UnsupportedOperationException();
    }

    static final FileInputs NONE = new FileInputs() {
        @Override
        FileRange range(Object msg) {
            return null;
        }
    };

    private static FileInputs of(Class<?> type) {
        if (ChunkedNioFile.class.isAssignableFrom(type)) {
            return readsAsItsBase(type, ChunkedNioFile.class) && NIO_CHANNEL != null
                    ? new FileKind(m -> (FileChannel) NIO_CHANNEL.get(m), m -> {
                        ChunkedNioFile f = (ChunkedNioFile) m;
                        return new long[] {f.startOffset(), f.currentOffset(), f.endOffset()};
                    })
                    : NONE;
        }
        if (ChunkedFile.class.isAssignableFrom(type)) {
            return readsAsItsBase(type, ChunkedFile.class) && RANDOM_ACCESS_FILE != null
                    ? new FileKind(m -> ((RandomAccessFile) RANDOM_ACCESS_FILE.get(m)).getChannel(), m -> {
                        ChunkedFile f = (ChunkedFile) m;
                        return new long[] {f.startOffset(), f.currentOffset(), f.endOffset()};
                    })
                    : NONE;
        }
        // Exact classes only: a subclass of a wrapper may produce its chunks otherwise, and rebuilding it as its
        // base would drop that.
        if (type.getName().equals(NETTY_PREFIX + "handler.codec.http.HttpChunkedInput")) {
            return WrapperKind.of(type, "lastHttpContent");
        }
        if (type.getName().equals(NETTY_PREFIX + "handler.codec.http2.Http2DataChunkedInput")) {
            return WrapperKind.of(type, "stream");
        }
        return NONE;
    }

    /** Whether {@code type} inherits from {@code base} every method that reads or measures the input. */
    private static boolean readsAsItsBase(Class<?> type, Class<?> base) {
        if (type == base) {
            return true;
        }
        try {
            for (Method m : new Method[] {
                    type.getMethod("readChunk", io.netty.buffer.ByteBufAllocator.class),
                    type.getMethod("readChunk", io.netty.channel.ChannelHandlerContext.class),
                    type.getMethod("isEndOfInput"), type.getMethod("length"), type.getMethod("progress")}) {
                if (m.getDeclaringClass() != base) {
                    logger.debug("{} overrides {}: written as ChunkedWriteHandler would, not through AIO", type, m);
                    return false;
                }
            }
            return true;
        } catch (NoSuchMethodException | SecurityException e) {
            logger.debug("{}: cannot tell how it reads; written as ChunkedWriteHandler would", type, e);
            return false;
        }
    }

    private static Field field(Class<?> owner, String name, Class<?> type) {
        try {
            Field f = owner.getDeclaredField(name);
            if (!type.isAssignableFrom(f.getType())) {
                throw new NoSuchFieldException(owner.getName() + '.' + name + " is a " + f.getType().getName());
            }
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // RuntimeException: InaccessibleObjectException where Netty is a named module that does not open it.
            logger.debug("{}.{} not readable: its inputs are written as ChunkedWriteHandler would", owner.getName(),
                    name, e);
            return null;
        }
    }

    /** An interface per accessor, for lambdas that may throw what reflection throws. */
    private interface Accessor<T> {
        T get(Object msg) throws Exception;
    }

    private static final class FileKind extends FileInputs {
        private final Accessor<FileChannel> channel;
        private final Function<Object, long[]> offsets;

        FileKind(Accessor<FileChannel> channel, Function<Object, long[]> offsets) {
            this.channel = channel;
            this.offsets = offsets;
        }

        @Override
        FileRange range(Object msg) throws Exception {
            long[] o = offsets.apply(msg);
            return new FileRange(channel.get(msg), o[0], o[1], o[2]);
        }
    }

    private static final class WrapperKind extends FileInputs {
        private final Field input;
        private final Field extra;
        private final Constructor<?> constructor;

        private WrapperKind(Field input, Field extra, Constructor<?> constructor) {
            this.input = input;
            this.extra = extra;
            this.constructor = constructor;
        }

        /** The wrapper {@code type(ChunkedInput input, X extraField)}, or {@link #NONE} if Netty changed it. */
        static FileInputs of(Class<?> type, String extraField) {
            Field input = field(type, "input", ChunkedInput.class);
            Field extra = field(type, extraField, Object.class);
            if (input == null || extra == null) {
                return NONE;
            }
            try {
                return new WrapperKind(input, extra, type.getConstructor(ChunkedInput.class, extra.getType()));
            } catch (NoSuchMethodException | SecurityException e) {
                logger.debug("{} has no constructor ({}, {}): written as ChunkedWriteHandler would", type,
                        ChunkedInput.class.getName(), extra.getType().getName(), e);
                return NONE;
            }
        }

        @Override
        FileRange range(Object msg) {
            return null;
        }

        @Override
        ChunkedInput<?> inner(Object msg) throws Exception {
            return (ChunkedInput<?>) input.get(msg);
        }

        @Override
        Object rewrap(Object msg, ChunkedInput<ByteBuf> in) throws Exception {
            return constructor.newInstance(in, extra.get(msg));
        }
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A raw HTTP/2 client whose behaviour is the test's: it writes exactly the frames it is told to (Netty's frame
 * writer encodes them into an embedded channel, whose bytes go to a plain or TLS socket) and records what the
 * server sends (Netty's frame reader). It grants no flow-control window unless told to. Blocking; one thread.
 */
final class H2Client implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelDuplexHandler());
    private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
    private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    private final DefaultHttp2HeadersDecoder headersDecoder = new DefaultHttp2HeadersDecoder(false);
    private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(headersDecoder);
    private final String scheme;
    private ByteBuf received = Unpooled.buffer();
    private final byte[] chunk = new byte[65536];

    /** Status per stream that sent its head. */
    final Map<Integer, Integer> status = new HashMap<>();
    /** DATA bytes per stream. */
    final Map<Integer, Long> dataBytes = new HashMap<>();
    /** Streams the server ended (END_STREAM). */
    final Set<Integer> ended = new HashSet<>();
    /** RST_STREAM error codes per stream. */
    final Map<Integer, Long> resets = new HashMap<>();
    /** The GOAWAY's error code, or null before one came. */
    Long goAwayError;
    int pingAcks;
    boolean closed;

    private H2Client(Socket socket, String scheme) throws IOException {
        this.socket = socket;
        this.scheme = scheme;
        socket.setSoTimeout(60_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Connects to {@code server} (h2 by ALPN when it is HTTPS, h2c with prior knowledge otherwise). */
    static H2Client connect(ServerProcess server, Http2Settings settings) throws Exception {
        H2Client c;
        if (server.scheme.equals("https")) {
            SSLSocket s = (SSLSocket) TlsFiles.trusting(TlsFiles.CERT).getSocketFactory()
                    .createSocket("127.0.0.1", server.port);
            SSLParameters p = s.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2"});
            s.setSSLParameters(p);
            s.startHandshake();
            assertEquals("h2", s.getApplicationProtocol());
            c = new H2Client(s, "https");
        } else {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", server.port), 10_000);
            c = new H2Client(s, "http");
        }
        c.out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Long table = settings.headerTableSize();
        if (table != null) {
            // What this client announces, its decoder must accept.
            c.headersDecoder.configuration().maxHeaderTableSize(table);
        }
        c.writer.writeSettings(c.ctx, settings, c.ctx.newPromise());
        c.flush();
        return c;
    }

    void get(int streamId, String path, String... headers) throws IOException {
        Http2Headers h = new DefaultHttp2Headers().method("GET").scheme(scheme).authority("t").path(path);
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        writer.writeHeaders(ctx, streamId, h, 0, true, ctx.newPromise());
    }

    void windowUpdate(int streamId, int delta) {
        writer.writeWindowUpdate(ctx, streamId, delta, ctx.newPromise());
    }

    void ping(long data) {
        writer.writePing(ctx, false, data, ctx.newPromise());
    }

    /** Sends what was written. */
    void flush() throws IOException {
        channel.flush();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            try {
                b.readBytes(out, b.readableBytes());
            } finally {
                b.release();
            }
        }
        out.flush();
    }

    /**
     * Reads frames until {@code done} holds (true) or the server closes the connection (false; also when
     * {@code done} held only then). The socket's timeout guards against a hang.
     */
    boolean readUntil(BooleanSupplier done) throws IOException {
        while (!done.getAsBoolean()) {
            if (!readSome()) {
                return done.getAsBoolean();
            }
        }
        return true;
    }

    /** Reads everything that arrives for {@code millis} (a client pacing itself); false once the server closed. */
    boolean readAllFor(int millis) throws IOException {
        long end = System.nanoTime() + millis * 1_000_000L;
        for (long left = millis; left > 0; left = (end - System.nanoTime()) / 1_000_000L) {
            if (!readFor((int) left)) {
                return false;
            }
        }
        return true;
    }

    /** Reads what arrives within {@code millis} (at least one read); false once the server closed. */
    boolean readFor(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return readSome();
        } catch (SocketTimeoutException nothing) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(before);
            }
        }
    }

    private boolean readSome() throws IOException {
        if (closed) {
            return false;
        }
        int n;
        try {
            n = in.read(chunk);
        } catch (SocketException reset) {
            n = -1;
        }
        if (n < 0) {
            closed = true;
            return false;
        }
        received.writeBytes(chunk, 0, n);
        try {
            reader.readFrame(ctx, received, new Recorder());
        } catch (Http2Exception e) {
            throw new IOException("the server sent something this client cannot read", e);
        }
        received.discardReadBytes();
        try {
            flush(); // the SETTINGS acknowledgement, if one was written
        } catch (SocketException gone) {
            // The server closed meanwhile: the next read says so.
        }
        return true;
    }

    /** Bytes of HPACK dynamic table this client's decoder holds (the server's encoder holds the same). */
    long hpackTableSize() throws Exception {
        Field f = DefaultHttp2HeadersDecoder.class.getDeclaredField("hpackDecoder");
        f.setAccessible(true);
        Object hpack = f.get(headersDecoder);
        Method size = hpack.getClass().getDeclaredMethod("size");
        size.setAccessible(true);
        return (Long) size.invoke(hpack);
    }

    /** The most HPACK dynamic table the server's encoder announced it may use. */
    long hpackTableCapacity() {
        return headersDecoder.configuration().maxHeaderTableSize();
    }

    private final class Recorder extends Http2FrameAdapter {
        @Override
        public int onDataRead(ChannelHandlerContext c, int streamId, ByteBuf data, int padding, boolean end) {
            dataBytes.merge(streamId, (long) data.readableBytes(), Long::sum);
            if (end) {
                ended.add(streamId);
            }
            return data.readableBytes() + padding;
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers, int padding,
                                  boolean end) {
            status.put(streamId, headers.status() == null ? -1 : Integer.parseInt(headers.status().toString()));
            if (end) {
                ended.add(streamId);
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers, int dependency,
                                  short weight, boolean exclusive, int padding, boolean end) {
            onHeadersRead(c, streamId, headers, padding, end);
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext c, int streamId, long errorCode) {
            resets.put(streamId, errorCode);
        }

        @Override
        public void onSettingsRead(ChannelHandlerContext c, Http2Settings settings) {
            writer.writeSettingsAck(ctx, ctx.newPromise());
        }

        @Override
        public void onPingAckRead(ChannelHandlerContext c, long data) {
            pingAcks++;
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext c, int lastStreamId, long errorCode, ByteBuf debugData) {
            goAwayError = errorCode;
        }
    }

    static String name(long errorCode) {
        Http2Error e = Http2Error.valueOf(errorCode);
        return e == null ? Long.toString(errorCode) : e.name();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        received.release();
        channel.finishAndReleaseAll();
    }
}

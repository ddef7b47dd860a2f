/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.unix.Buffer;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.EventExecutor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTML page listing a directory, produced as a stream of chunks: subdirectories first, then files, each by
 * name; sizes in bytes, modification times in UTC. Every name is percent-encoded in its link and HTML-escaped in
 * its text, so a file called {@code <script>} or {@code javascript:x} is shown, not run. Entries a request would
 * not be served are left out: dot-files (unless allowed), refused or dangling symlinks, anything but regular
 * files and directories.
 *
 * <p>Bounded work per turn of the event loop: the directory is read from its descriptor with
 * {@code getdents64} into a 32 KiB buffer, and each {@link #readChunk} call examines at most
 * {@value #ENTRIES_PER_TURN} entries (one {@code statx} each) before it yields: it returns no chunk and schedules
 * {@link ChunkedWriteHandler#resumeTransfer} for the loop's next turn, after the I/O of every other channel, so
 * that a directory of 200 000 entries never holds the loop for more than {@value #ENTRIES_PER_TURN} {@code statx}
 * calls at a time. At most {@code maxEntries} entries are kept (then the page says that the listing was cut): the
 * memory of one listing is bounded. The page goes out {@value #ENTRIES_PER_TURN} rows per chunk, at most
 * {@value #CHUNKS_PER_TURN} chunks per turn, as fast as the socket takes them.
 *
 * <p>Confined to the event loop of the channel it is written to. It owns the directory descriptor and its buffer
 * and releases both on {@link #close} (which {@link ChunkedWriteHandler} calls at the end or when the channel
 * closes).
 */
final class DirectoryListing implements ChunkedInput<ByteBuf> {
    static final int ENTRIES_PER_TURN = 128;
    /** Chunks of {@value #ENTRIES_PER_TURN} rows rendered per turn before yielding. */
    private static final int CHUNKS_PER_TURN = 4;
    private static final int DIRENT_BUFFER = 32 * 1024;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private enum Phase { READING, RENDERING, DONE }

    private static final class Entry implements Comparable<Entry> {
        final String name;
        final FileAttributes attrs;

        Entry(String name, FileAttributes attrs) {
            this.name = name;
            this.attrs = attrs;
        }

        @Override
        public int compareTo(Entry o) {
            if (attrs.isDirectory() != o.attrs.isDirectory()) {
                return attrs.isDirectory() ? -1 : 1;
            }
            return name.compareTo(o.name);
        }
    }

    private final RootDirectory root;
    private final PathResolver resolver;
    private final List<String> segments;
    private final int maxEntries;
    private final ChunkedWriteHandler writer;
    private final EventExecutor executor;
    private final CharsetDecoder names = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final List<Entry> entries = new ArrayList<>();
    private int fd;
    private ByteBuffer dirents;
    private int direntsEnd;
    private int direntsPosition;
    private boolean endOfDirectory;
    private boolean truncated;
    private Phase phase = Phase.READING;
    private int rendered = -1; // -1: the page head is still to be rendered
    private long bytes;
    private int chunksThisTurn;
    /**
     * Continues in a later turn of the loop: scheduled, not {@code execute}d, since an event loop runs the tasks
     * queued while it runs tasks in the same batch (for up to its task quantum, a second by default) before it
     * looks at I/O again; a scheduled task waits for the next batch, after the I/O of every other channel.
     */
    private final Runnable resume;

    /**
     * @param dirFd the directory's descriptor, owned by this listing from now on
     * @param segments the directory as requested (decoded, empty for the root)
     */
    DirectoryListing(RootDirectory root, PathResolver resolver, int dirFd, List<String> segments, int maxEntries,
                     ChunkedWriteHandler writer, EventExecutor executor) {
        this.root = root;
        this.resolver = resolver;
        this.fd = dirFd;
        this.segments = segments;
        this.maxEntries = maxEntries;
        this.writer = writer;
        this.executor = executor;
        resume = () -> {
            chunksThisTurn = 0;
            writer.resumeTransfer();
        };
    }

    /** Bytes of the page produced so far. */
    long bytes() {
        return bytes;
    }

    @Override
    public boolean isEndOfInput() {
        return phase == Phase.DONE;
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
        if (phase == Phase.READING) {
            readSome();
            if (phase == Phase.READING) {
                return yieldTurn();
            }
        }
        if (phase == Phase.RENDERING) {
            if (chunksThisTurn == CHUNKS_PER_TURN) {
                return yieldTurn();
            }
            chunksThisTurn++;
            return render(allocator);
        }
        return null;
    }

    private ByteBuf yieldTurn() {
        executor.schedule(resume, 0, TimeUnit.NANOSECONDS);
        return null;
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(io.netty.channel.ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }

    @Override
    public long length() {
        return -1;
    }

    @Override
    public long progress() {
        return bytes;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Native.close(fd);
            fd = -1;
        }
        dirents = null;
    }

    /** Examines up to ENTRIES_PER_TURN entries; moves to RENDERING at the end of the directory or the cap. */
    private void readSome() throws IOException {
        if (dirents == null) {
            dirents = ByteBuffer.allocateDirect(DIRENT_BUFFER).order(java.nio.ByteOrder.nativeOrder());
        }
        int examined = 0;
        while (examined < ENTRIES_PER_TURN) {
            if (direntsPosition >= direntsEnd) {
                if (endOfDirectory) {
                    break;
                }
                int n = NativeFiles.getdents64(fd, Buffer.memoryAddress(dirents), DIRENT_BUFFER);
                if (n < 0) {
                    throw Native.ioException("getdents64(/" + String.join("/", segments) + ')', n);
                }
                direntsPosition = 0;
                direntsEnd = n;
                if (n == 0) {
                    endOfDirectory = true;
                    break;
                }
            }
            int record = direntsPosition;
            direntsPosition += dirents.getShort(record + NativeFiles.DIRENT_RECLEN_OFFSET) & 0xFFFF;
            String name = name(record + NativeFiles.DIRENT_NAME_OFFSET, direntsPosition);
            if (name == null || name.equals(".") || name.equals("..") || !resolver.isListableName(name)) {
                continue;
            }
            examined++;
            FileAttributes attrs = root.listedEntry(fd, segments, name);
            if (attrs == null) {
                continue;
            }
            if (entries.size() == maxEntries) {
                truncated = true;
                endOfDirectory = true;
                direntsPosition = direntsEnd;
                break;
            }
            entries.add(new Entry(name, attrs));
        }
        if (endOfDirectory && direntsPosition >= direntsEnd) {
            close();
            entries.sort(null);
            phase = Phase.RENDERING;
        }
    }

    /** The NUL-terminated name at [from, limit) of the dirent buffer, or null if it is not valid UTF-8. */
    private String name(int from, int limit) {
        int end = from;
        while (end < limit && dirents.get(end) != 0) {
            end++;
        }
        ByteBuffer bytes = dirents.duplicate();
        bytes.limit(end).position(from);
        try {
            CharBuffer chars = names.decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null; // a request cannot name it: the resolver takes UTF-8 paths only
        }
    }

    private ByteBuf render(ByteBufAllocator allocator) {
        StringBuilder sb = new StringBuilder(ENTRIES_PER_TURN * 160);
        if (rendered < 0) {
            renderHead(sb);
            rendered = 0;
        }
        int end = Math.min(entries.size(), rendered + ENTRIES_PER_TURN);
        for (int i = rendered; i < end; i++) {
            renderRow(sb, entries.get(i));
        }
        rendered = end;
        if (rendered == entries.size()) {
            sb.append("</table>\n");
            if (truncated) {
                sb.append("<p>Only the first ").append(maxEntries).append(" entries found are listed.</p>\n");
            }
            sb.append("</body></html>\n");
            phase = Phase.DONE;
            entries.clear();
        }
        ByteBuf chunk = ByteBufUtil.writeUtf8(allocator, sb);
        bytes += chunk.readableBytes();
        return chunk;
    }

    private void renderHead(StringBuilder sb) {
        StringBuilder title = new StringBuilder("/");
        for (String s : segments) {
            title.append(s).append('/');
        }
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of ");
        UriEncoding.appendHtmlEscaped(sb, title.toString());
        sb.append("</title>\n<style>body{font-family:sans-serif}td{padding:0 1em 0 0}"
                + "td.n{text-align:right}</style></head>\n<body><h1>Index of ");
        UriEncoding.appendHtmlEscaped(sb, title.toString());
        sb.append("</h1>\n<table>\n<tr><th>Name</th><th>Size</th><th>Modified (UTC)</th></tr>\n");
        if (!segments.isEmpty()) {
            sb.append("<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n");
        }
    }

    private static void renderRow(StringBuilder sb, Entry e) {
        boolean isDir = e.attrs.isDirectory();
        sb.append("<tr><td><a href=\"");
        UriEncoding.appendEncodedSegment(sb, e.name);
        if (isDir) {
            sb.append('/');
        }
        sb.append("\">");
        UriEncoding.appendHtmlEscaped(sb, e.name);
        if (isDir) {
            sb.append('/');
        }
        sb.append("</a></td><td class=\"n\">");
        if (!isDir) {
            sb.append(e.attrs.size());
        }
        sb.append("</td><td>").append(TIME.format(Instant.ofEpochSecond(e.attrs.mtimeSeconds())))
                .append("</td></tr>\n");
    }
}

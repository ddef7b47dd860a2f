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
 * <p>Two steps on two threads. {@link #read} reads the directory ({@code getdents64} into a 32 KiB buffer, a
 * {@code statx} per entry), which waits for the disk when the directory's blocks or its entries' inodes are not
 * in memory and has no cached-only mode: it runs on the {@link LookupPool}, never on an event loop. At most
 * {@code maxEntries} entries are kept (then the page says that the listing was cut): the memory of one listing is
 * bounded. The page is then rendered on the event loop, {@value #ENTRIES_PER_TURN} rows per chunk, at most
 * {@value #CHUNKS_PER_TURN} chunks per turn of the loop, as fast as the socket takes them: between turns it returns
 * no chunk and schedules {@link ChunkedWriteHandler#resumeTransfer} after the I/O of every other channel.
 *
 * <p>{@link #read} runs on any thread and owns nothing afterwards. An instance is confined to the event loop of
 * the channel it is written to and holds no descriptor; {@link #close} drops the entries.
 */
final class DirectoryListing implements ChunkedInput<ByteBuf> {
    static final int ENTRIES_PER_TURN = 128;
    /** Chunks of {@value #ENTRIES_PER_TURN} rows rendered per turn before yielding. */
    private static final int CHUNKS_PER_TURN = 4;
    private static final int DIRENT_BUFFER = 32 * 1024;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

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

    /** A directory's entries as read, sorted; immutable once {@link #read} returns it. */
    static final class Contents {
        private final List<Entry> entries;
        private final boolean truncated;

        private Contents(List<Entry> entries, boolean truncated) {
            this.entries = entries;
            this.truncated = truncated;
        }
    }

    private final List<String> segments;
    private final int maxEntries;
    private final EventExecutor executor;
    private List<Entry> entries;
    private final boolean truncated;
    private boolean done;
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
     * @param contents what {@link #read} found
     * @param segments the directory as requested (decoded, empty for the root)
     */
    DirectoryListing(Contents contents, List<String> segments, int maxEntries, ChunkedWriteHandler writer,
                     EventExecutor executor) {
        this.entries = contents.entries;
        this.truncated = contents.truncated;
        this.segments = segments;
        this.maxEntries = maxEntries;
        this.executor = executor;
        resume = () -> {
            chunksThisTurn = 0;
            writer.resumeTransfer();
        };
    }

    /**
     * Reads the directory open as {@code dirFd} (not closed here; read from its current position, the start for a
     * descriptor just opened), keeping at most {@code maxEntries} entries a request would be served. Blocking: off
     * the event loop only.
     *
     * @param segments the directory as requested (decoded, empty for the root)
     * @throws IOException when getdents64 fails
     */
    static Contents read(RootDirectory root, PathResolver resolver, int dirFd, List<String> segments,
                         int maxEntries) throws IOException {
        CharsetDecoder names = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer dirents = ByteBuffer.allocateDirect(DIRENT_BUFFER).order(java.nio.ByteOrder.nativeOrder());
        List<Entry> entries = new ArrayList<>();
        boolean truncated = false;
        for (;;) {
            int n = NativeFiles.getdents64(dirFd, Buffer.memoryAddress(dirents), DIRENT_BUFFER);
            if (n < 0) {
                throw Native.ioException("getdents64(/" + String.join("/", segments) + ')', n);
            }
            if (n == 0) {
                break;
            }
            int position = 0;
            while (position < n && !truncated) {
                int record = position;
                position += dirents.getShort(record + NativeFiles.DIRENT_RECLEN_OFFSET) & 0xFFFF;
                String name = name(dirents, names, record + NativeFiles.DIRENT_NAME_OFFSET, position);
                if (name == null || name.equals(".") || name.equals("..") || !resolver.isListableName(name)) {
                    continue;
                }
                FileAttributes attrs = root.listedEntry(dirFd, segments, name);
                if (attrs == null) {
                    continue;
                }
                if (entries.size() == maxEntries) {
                    truncated = true;
                } else {
                    entries.add(new Entry(name, attrs));
                }
            }
            if (truncated) {
                break;
            }
        }
        entries.sort(null);
        return new Contents(entries, truncated);
    }

    /** Bytes of the page produced so far. */
    long bytes() {
        return bytes;
    }

    @Override
    public boolean isEndOfInput() {
        return done;
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
        if (done) {
            return null;
        }
        if (chunksThisTurn == CHUNKS_PER_TURN) {
            executor.schedule(resume, 0, TimeUnit.NANOSECONDS);
            return null;
        }
        chunksThisTurn++;
        return render(allocator);
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
        entries = List.of();
    }

    /** The NUL-terminated name at [from, limit) of the dirent buffer, or null if it is not valid UTF-8. */
    private static String name(ByteBuffer dirents, CharsetDecoder names, int from, int limit) {
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
            done = true;
            entries = List.of();
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

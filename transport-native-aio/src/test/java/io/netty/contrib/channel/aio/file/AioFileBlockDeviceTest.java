/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.buffer.ByteBuf;
import io.netty.contrib.channel.aio.AioEventLoop;
import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.AioIoHandlerConfig;
import io.netty.contrib.channel.aio.testing.LoopDevice;
import io.netty.contrib.channel.aio.testing.TestNatives;
import io.netty.contrib.channel.aio.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AioFile on real block devices (loop devices the test attaches) with 512- and 4096-byte logical sectors: the
 * alignment comes from the device ({@code statx} or {@code BLKSSZGET}), the size from {@code BLKGETSIZE64}, and a 512-aligned read on a
 * 4096-sector device is bounced through an aligned buffer (refused in strict mode), as documented.
 */
class AioFileBlockDeviceTest {
    private static final int SIZE = 8 << 20;
    private static AioEventLoopGroup group;
    private static AioEventLoop loop;

    @BeforeAll
    static void startLoop() {
        group = new AioEventLoopGroup(1, (java.util.concurrent.ThreadFactory) null,
                new AioIoHandlerConfig().depth(64));
        loop = group.next();
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @org.junit.jupiter.api.Test
    void aFullExt4FailsWritesNamingEnospcAndWritesAgainOnceSpaceIsFreed() throws Exception {
        Path backing = TestFiles.newPath("ext4-backing");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(16 << 20);
        }
        Path mountPoint = TestFiles.newPath("ext4-mnt");
        java.nio.file.Files.createDirectories(mountPoint);
        try (LoopDevice disk = LoopDevice.attach(backing, 4096)) {
            TestNatives.run(java.util.List.of("mkfs.ext4", "-q", "-F", "-m", "0", disk.path().toString()));
            TestNatives.run(java.util.List.of("mount", disk.path().toString(), mountPoint.toString()));
            try {
                Path filler = mountPoint.resolve("filler");
                AioFile file = AioFile.open(loop, mountPoint.resolve("data"), StandardOpenOption.CREATE,
                        StandardOpenOption.READ, StandardOpenOption.WRITE, AioOpenOption.DIRECT);
                ByteBuf block = file.allocator().directBuffer(1 << 20, 1 << 20);
                try {
                    block.writeBytes(AioFileTest.pattern(0, 1 << 20));
                    // Leave about 2 MiB, then write 1 MiB blocks until the filesystem is full.
                    long free = java.nio.file.Files.getFileStore(mountPoint).getUsableSpace();
                    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(filler.toFile(), "rw")) {
                        f.setLength(0);
                        byte[] mib = new byte[1 << 20];
                        for (long n = 0; n < free - (2 << 20); n += mib.length) {
                            f.write(mib);
                        }
                        f.getFD().sync();
                    }
                    Throwable full = null;
                    long position = 0;
                    for (int i = 0; i < 64 && full == null; i++, position += 1 << 20) {
                        io.netty.util.concurrent.Future<Void> w = file.write(position, block).await();
                        full = w.cause();
                    }
                    assertTrue(full != null, "the filesystem never filled");
                    assertTrue(String.valueOf(full.getMessage()).contains("ENOSPC"), String.valueOf(full));
                    // Space freed: the same write goes through, and reads back.
                    java.nio.file.Files.delete(filler);
                    long failedAt = position - (1 << 20);
                    file.write(failedAt, block).get(30, TimeUnit.SECONDS);
                    ByteBuf back = file.read(failedAt, 1 << 20).get(30, TimeUnit.SECONDS);
                    try {
                        assertArrayEquals(AioFileTest.pattern(0, 1 << 20), AioFileTest.bytes(back));
                    } finally {
                        back.release();
                    }
                } finally {
                    block.release();
                    file.close().sync();
                }
            } finally {
                TestNatives.run(java.util.List.of("umount", mountPoint.toString()));
            }
        }
    }

    @ParameterizedTest(name = "{0}-byte sectors")
    @ValueSource(ints = {512, 4096})
    void alignmentAndSizeComeFromTheDeviceAndUnalignedReadsAreBouncedOrRefused(int sector) throws Exception {
        Path backing = TestFiles.patternFile("loop-backing-" + sector, SIZE);
        try (LoopDevice disk = LoopDevice.attach(backing, sector)) {
            AioFile file = AioFile.open(loop, disk.path(), StandardOpenOption.READ, StandardOpenOption.WRITE,
                    AioOpenOption.DIRECT);
            try {
                // statx reports a block device's DIO alignment since Linux 6.6; BLKSSZGET is the fallback.
                assertTrue(file.alignment().source() != AioFileAlignment.Source.DEFAULT, file.alignment().toString());
                assertEquals(sector, file.alignment().offset(), "the device's logical sector: " + file.alignment());
                assertEquals(SIZE, file.size(), "BLKGETSIZE64");
                // 512-aligned: aligned for one device, not for the other; both read right.
                ByteBuf dst = file.allocator().directBuffer(1536, 1536);
                try {
                    assertEquals(1536, (int) file.read(512, dst).get(30, TimeUnit.SECONDS));
                    assertArrayEquals(AioFileTest.pattern(512, 1536), AioFileTest.bytes(dst));
                } finally {
                    dst.release();
                }
                long bounced = AioFileTest.stats(file).bouncedReads();
                assertEquals(sector == 512 ? 0 : 1, bounced, "bounced only where 512 is not aligned");
                // A write must be aligned to the device: no read-modify-write behind the caller's back.
                ByteBuf src = file.allocator().directBuffer(512, 512).writeZero(512);
                try {
                    if (sector == 4096) {
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                () -> file.write(512, src));
                        assertTrue(e.getMessage().contains("4096"), e.getMessage());
                    }
                } finally {
                    src.release();
                }
            } finally {
                file.close().sync();
            }
            AioFile strict = AioFile.open(loop, disk.path(), new AioFileConfig().strictAlignment(true),
                    StandardOpenOption.READ, AioOpenOption.DIRECT);
            try {
                ByteBuf dst = strict.allocator().directBuffer(1536, 1536);
                try {
                    if (sector == 4096) {
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                () -> strict.read(512, dst));
                        assertTrue(e.getMessage().contains("4096") && e.getMessage().contains("strict"),
                                e.getMessage());
                    } else {
                        assertEquals(1536, (int) strict.read(512, dst).get(30, TimeUnit.SECONDS));
                    }
                } finally {
                    dst.release();
                }
            } finally {
                strict.close().sync();
            }
        }
    }
}

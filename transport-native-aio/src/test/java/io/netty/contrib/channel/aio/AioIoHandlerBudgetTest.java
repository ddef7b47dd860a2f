/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.contrib.channel.aio.core.AioContext;
import io.netty.contrib.channel.aio.core.AioIoException;
import io.netty.contrib.channel.aio.core.AioLimits;
import io.netty.contrib.channel.aio.core.Native;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The machine-wide {@code fs.aio-max-nr} budget, really exhausted in this process (contexts opened until only a few
 * hundred slots are left) and given back at once: loops open with smaller depths and one warning per group names
 * the budget and the sysctl; below the floor the group fails with that advice.
 */
class AioIoHandlerBudgetTest {
    private static final long LEFT = 300;

    @Test
    void ioSetupEagainFallsBackToSmallerDepthsAndLogsOnce() throws Exception {
        Aio.ensureAvailability(); // probed before the budget is taken
        List<AioContext> hogs = new ArrayList<>();
        AioEventLoopGroup group = null;
        int[] depths = new int[2];
        List<String> reductions;
        long maxNr = AioLimits.aioMaxNr();
        IllegalStateException belowFloor;
        try (LogCapture log = new LogCapture(AioIoHandler.class)) {
            try {
                exhaust(hogs, maxNr);
                group = new AioEventLoopGroup(2, (ThreadFactory) null,
                        new AioIoHandlerConfig().depth(1024).minDepth(8));
                depths[0] = group.next().aioHandler().depth();
                depths[1] = group.next().aioHandler().depth();
                belowFloor = assertThrows(IllegalStateException.class, () -> new AioEventLoopGroup(1,
                        (ThreadFactory) null, new AioIoHandlerConfig().depth(4096).minDepth(4096)));
            } finally {
                for (AioContext hog : hogs) {
                    hog.close();
                }
            }
            reductions = log.matching("instead of 1024");
            // The loops work at their reduced depth.
            for (int i = 0; i < 2; i++) {
                AioEventLoop loop = group.next();
                assertEquals(loop, loop.submit(() -> loop).get(10, TimeUnit.SECONDS));
            }
        } finally {
            if (group != null) {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
            }
        }
        System.out.println("depths with " + LEFT + " slots left: " + depths[0] + ", " + depths[1] + "; " + reductions);
        for (int d : depths) {
            assertTrue(d < 1024 && d >= 8, "reduced depth " + d);
        }
        assertEquals(1, reductions.size(), "one warning per group: " + reductions);
        String warning = reductions.get(0);
        assertTrue(warning.contains("fs.aio-max-nr=" + maxNr), warning);
        assertTrue(warning.contains("fs.aio-nr="), warning);
        assertTrue(warning.contains("sysctl -w fs.aio-max-nr="), warning);
        Throwable root = belowFloor;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        AioIoException cause = assertInstanceOf(AioIoException.class, root);
        assertEquals(-Native.EAGAIN, cause.expectedErr());
        assertTrue(cause.getMessage().contains("aio-max-nr") && cause.getMessage().contains("sysctl"),
                cause.getMessage());
    }

    /** Opens contexts until about {@link #LEFT} slots of the machine's budget remain. */
    private static void exhaust(List<AioContext> hogs, long maxNr) throws Exception {
        int chunk = 8192;
        while (chunk >= 16) {
            long want = Math.min(chunk, maxNr - AioLimits.aioNr() - LEFT);
            if (want < 16) {
                return;
            }
            try {
                hogs.add(AioContext.open((int) want));
            } catch (AioIoException e) {
                if (e.expectedErr() != -Native.EAGAIN) {
                    throw e;
                }
                chunk /= 2; // someone else took part of it meanwhile
            }
        }
    }
}

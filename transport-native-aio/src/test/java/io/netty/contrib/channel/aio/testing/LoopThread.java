/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.testing;

import io.netty.util.concurrent.EventExecutor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * An event loop's kernel thread as {@code /proc} shows it, read from a test thread. Lets a test wait for a state
 * instead of sleeping for a time: "the loop is asleep in its poll" is a fact the kernel reports, not a guess.
 */
public final class LoopThread {
    private final Path stat;
    private final Path wchan;

    private LoopThread(String tid) {
        stat = Paths.get("/proc/self/task/" + tid + "/stat");
        wchan = Paths.get("/proc/self/task/" + tid + "/wchan");
    }

    /** The thread {@code loop} runs on. */
    public static LoopThread of(EventExecutor loop) throws Exception {
        return new LoopThread(loop.submit(() -> Files.readSymbolicLink(Paths.get("/proc/thread-self"))
                .getFileName().toString()).get(30, TimeUnit.SECONDS));
    }

    /** The thread's state letter (R, S, D, ...), from the field after the command name in {@code stat}. */
    public char state() throws IOException {
        String st = Files.readString(stat);
        return st.charAt(st.lastIndexOf(')') + 2);
    }

    /** The kernel function the thread waits in, or "0" while it runs. */
    public String waitsIn() throws IOException {
        return Files.readString(wchan).trim();
    }

    /**
     * Waits until the thread sleeps in a poll (epoll_wait or ppoll): the loop's own sleep. Fails after
     * {@code timeoutSeconds} naming where the thread was last seen.
     */
    public void awaitAsleepInPoll(long timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String seen = "";
        while (System.nanoTime() - deadline < 0) {
            char state = state();
            seen = state + " in " + waitsIn();
            if (state == 'S' && seen.contains("poll")) {
                return;
            }
            Thread.sleep(0, 200_000);
        }
        throw new AssertionError("the loop thread never slept in its poll; last seen " + seen);
    }
}

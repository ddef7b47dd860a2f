/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * An {@link AioIoHandle} for tests: records a copy of every event (the flyweight is valid only during
 * {@code handle}), the thread it came on, and when {@code registered}, {@code unregistered} and {@code close}
 * ran. Loop-thread state is read by the test only after a happens-before edge (a latch or a future).
 */
final class RecordingHandle implements AioIoHandle {
    /** A copy of one {@link AioIoEvent}. */
    record Event(long res, long res2, int opcode, long userData, long id, Thread thread, int pendingAfter) {
    }

    private final String name;
    private final List<Event> events = new ArrayList<>();
    private volatile CountDownLatch expected = new CountDownLatch(0);
    private final CountDownLatch unregistered = new CountDownLatch(1);
    private volatile BiConsumer<AioIoRegistration, AioIoEvent> onEvent;
    volatile int registeredCalls;
    volatile int unregisteredCalls;
    volatile int closeCalls;
    volatile int eventsAtUnregistered = -1;
    private volatile IoRegistration cancelOnClose;

    RecordingHandle(String name) {
        this.name = name;
    }

    /** Arms a latch that opens after {@code n} more events. */
    RecordingHandle expect(int n) {
        expected = new CountDownLatch(n);
        return this;
    }

    /** Runs {@code action} on the loop thread after each event has been recorded. */
    RecordingHandle onEvent(BiConsumer<AioIoRegistration, AioIoEvent> action) {
        onEvent = action;
        return this;
    }

    /** Makes {@link #close()} cancel {@code registration}, as a channel's close does. */
    RecordingHandle cancelOnClose(IoRegistration registration) {
        cancelOnClose = registration;
        return this;
    }

    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return expected.await(timeout, unit);
    }

    boolean awaitUnregistered(long timeout, TimeUnit unit) throws InterruptedException {
        return unregistered.await(timeout, unit);
    }

    /** A copy of the events so far; call after a happens-before edge with the loop. */
    List<Event> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    @Override
    public void handle(IoRegistration registration, IoEvent ioEvent) {
        AioIoEvent e = (AioIoEvent) ioEvent;
        AioIoRegistration r = (AioIoRegistration) registration;
        synchronized (events) {
            events.add(new Event(e.res(), e.res2(), e.opcode(), e.userData(), e.id(), Thread.currentThread(),
                    r.pendingOperations()));
        }
        BiConsumer<AioIoRegistration, AioIoEvent> action = onEvent;
        if (action != null) {
            action.accept(r, e);
        }
        expected.countDown();
    }

    @Override
    public void registered() {
        registeredCalls++;
    }

    @Override
    public void unregistered() {
        synchronized (events) {
            eventsAtUnregistered = events.size();
        }
        unregisteredCalls++;
        unregistered.countDown();
    }

    @Override
    public void close() {
        closeCalls++;
        IoRegistration r = cancelOnClose;
        if (r != null) {
            r.cancel();
        }
    }

    @Override
    public String toString() {
        return "RecordingHandle(" + name + ')';
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what a class logs through Netty's logger (java.util.logging in these tests: no other backend is on the
 * test class path), formatted as it would be printed. Close to detach.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final List<String> messages = new ArrayList<>();

    LogCapture(Class<?> source) {
        logger = Logger.getLogger(source.getName());
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        String text = record.getMessage();
        Object[] params = record.getParameters();
        if (params != null) {
            text = java.text.MessageFormat.format(text, params);
        }
        synchronized (messages) {
            messages.add(record.getLevel() + " " + text);
        }
    }

    List<String> messages() {
        synchronized (messages) {
            return new ArrayList<>(messages);
        }
    }

    List<String> matching(String fragment) {
        List<String> hits = new ArrayList<>();
        for (String m : messages()) {
            if (m.contains(fragment)) {
                hits.add(m);
            }
        }
        return hits;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One server per transport for a test class, started on first use and stopped by {@link #stopAllCleanly()} in the
 * class's {@code @AfterAll}, which also fails on leaks and errors the servers printed.
 */
final class Servers {
    private final Map<String, ServerProcess> byTransport = new LinkedHashMap<>();
    private final String[] extraArgs;

    Servers(String... extraArgs) {
        this.extraArgs = extraArgs;
    }

    synchronized ServerProcess get(String transport) throws Exception {
        ServerProcess s = byTransport.get(transport);
        if (s == null) {
            s = ServerProcess.start(transport, extraArgs);
            byTransport.put(transport, s);
        }
        return s;
    }

    synchronized void stopAllCleanly() throws Exception {
        stopAllCleanly(this);
    }

    /** Stops the servers of every set given, all of them even when some do not stop cleanly. */
    static void stopAllCleanly(Servers... sets) {
        List<Throwable> failures = new ArrayList<>();
        for (Servers set : sets) {
            set.stopInto(failures);
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " server(s) did not stop cleanly");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    private synchronized void stopInto(List<Throwable> failures) {
        for (ServerProcess s : byTransport.values()) {
            try {
                s.stopCleanly();
            } catch (Throwable t) {
                failures.add(t);
            } finally {
                try {
                    s.close();
                } catch (Throwable t) {
                    failures.add(t);
                }
            }
        }
        byTransport.clear();
    }
}

/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.fileserver;

import io.netty.contrib.channel.aio.AioEventLoopGroup;
import io.netty.contrib.channel.aio.core.Native;
import io.netty.contrib.channel.aio.core.NativeFiles;
import io.netty.util.Version;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What {@code --version} prints: the versions of the server, of netty-transport-aio and of Netty, the JVM, the
 * kernel, and the kernel features the server found — each probed for real (a transport's own availability probe,
 * one {@code openat2} and one {@code cachestat} call), so that the report says what this machine does, not what
 * it should. Stateless; any thread.
 */
final class VersionReport implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add(FileServerCommand.NAME + ' ' + orDevelopment(FileServerCommand.class.getPackage()
                .getImplementationVersion()));
        lines.add("netty-transport-aio " + orDevelopment(transportVersion()));
        lines.add("Netty " + orDevelopment(nettyVersion()));
        lines.add("Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        lines.add("kernel: " + System.getProperty("os.name") + ' ' + System.getProperty("os.version") + ' '
                + System.getProperty("os.arch"));
        for (ServerTransport t : ServerTransport.values()) {
            Throwable cause = t.unavailabilityCause();
            lines.add("  transport " + t.cliName() + ": "
                    + (cause == null ? "available" : "unavailable: " + FileServerCommand.describe(cause)));
        }
        if (ServerTransport.AIO.unavailabilityCause() == null) {
            lines.add("  openat2: " + openat2());
            lines.add("  cachestat: " + cachestat());
        }
        return lines.toArray(new String[0]);
    }

    private static String orDevelopment(String version) {
        return version != null ? version : "(development build)";
    }

    private static String transportVersion() {
        try (InputStream in = AioEventLoopGroup.class.getResourceAsStream("transport-version.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }

    private static String nettyVersion() {
        Map<String, Version> versions = Version.identify(FileServerCommand.class.getClassLoader());
        Version transport = versions.get("netty-transport");
        return transport != null ? transport.artifactVersion() : null;
    }

    /** Whether paths are looked up beneath the root by the kernel (openat2, Linux 5.6) or by the portable walk. */
    private static String openat2() {
        // An absolute path: the directory descriptor is not used.
        int fd = NativeFiles.openat2(-1, "/", NativeFiles.O_PATH | Native.O_CLOEXEC, 0);
        if (fd < 0) {
            return "no (" + Native.describeResult(fd) + "): paths are resolved by a walk of openat calls";
        }
        Native.close(fd);
        return "yes: paths are resolved beneath the root by the kernel (RESOLVE_BENEATH)";
    }

    /** Whether the page cache can be asked (cachestat, Linux 6.5) before a file is sent with sendfile. */
    private static String cachestat() {
        // /proc/self/exe is the JVM's own executable: a regular file every Linux process has.
        int fd = NativeFiles.openat(-1, "/proc/self/exe", Native.O_RDONLY | Native.O_CLOEXEC, 0);
        if (fd < 0) {
            return "unknown (open /proc/self/exe: " + Native.describeResult(fd) + ")";
        }
        try {
            long res = NativeFiles.cachestat(fd, 0, 0);
            return res >= 0 ? "yes: files wholly in the page cache go out with sendfile"
                    : "no (" + Native.describeResult(res) + "): AIO reads for every file";
        } finally {
            Native.close(fd);
        }
    }
}

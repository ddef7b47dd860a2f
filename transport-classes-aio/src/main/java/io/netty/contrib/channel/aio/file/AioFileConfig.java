/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.file;

import io.netty.contrib.channel.aio.core.AioSystemProperties;
import io.netty.util.internal.ObjectUtil;

/**
 * Settings of an {@link AioFile}, copied when the file is opened. Defaults:
 * <ul>
 *   <li>{@link #readPolicy(AioReadPolicy)}: {@code io.netty.aio.file.readPolicy}, default {@link AioReadPolicy#HYBRID}.</li>
 *   <li>{@link #strictAlignment(boolean)}: {@code false} — an unaligned read on the direct path is bounced
 *   through an aligned buffer; {@code true} refuses it with an {@link IllegalArgumentException}.</li>
 *   <li>{@link #permissions(int)}: {@code 0644}, for files {@code CREATE} makes (before the umask).</li>
 *   <li>{@link #host(AioFileHost)}: {@code null} — {@link AioFileHost#of} the executor the file is opened
 *   with.</li>
 * </ul>
 * Not thread-safe: configure, then pass it on.
 */
public final class AioFileConfig {
    /** {@code io.netty.aio.file.readPolicy} (any case), read once; see {@link AioSystemProperties}. */
    private static final Object DEFAULT_READ_POLICY = AioSystemProperties.attempt(() -> AioSystemProperties
            .enumValue("io.netty.aio.file.readPolicy", AioReadPolicy.class, AioReadPolicy.HYBRID));

    private AioReadPolicy readPolicy = AioSystemProperties.result(DEFAULT_READ_POLICY, AioReadPolicy.class);
    private boolean strictAlignment;
    private int permissions = 0644;
    private AioFileHost host;

    public AioFileConfig() {
    }

    AioFileConfig(AioFileConfig other) {
        readPolicy = other.readPolicy;
        strictAlignment = other.strictAlignment;
        permissions = other.permissions;
        host = other.host;
    }

    /** How reads of a file opened without {@link AioOpenOption#DIRECT} reach the data. */
    public AioFileConfig readPolicy(AioReadPolicy readPolicy) {
        this.readPolicy = ObjectUtil.checkNotNull(readPolicy, "readPolicy");
        return this;
    }

    /**
     * Whether reads and writes on the direct path that would need a bounce copy (an unaligned position, length
     * or buffer address) are refused instead.
     */
    public AioFileConfig strictAlignment(boolean strictAlignment) {
        this.strictAlignment = strictAlignment;
        return this;
    }

    /** Permission bits of files this open creates, {@code 0..07777} (the process umask applies). */
    public AioFileConfig permissions(int permissions) {
        if (permissions < 0 || permissions > 07777) {
            throw new IllegalArgumentException("permissions must be in 0..07777, got 0" + Integer.toOctalString(permissions));
        }
        this.permissions = permissions;
        return this;
    }

    /** The host to run the file on, overriding the choice by executor; {@code null} for that choice. */
    public AioFileConfig host(AioFileHost host) {
        this.host = host;
        return this;
    }

    public AioReadPolicy readPolicy() {
        return readPolicy;
    }

    public boolean strictAlignment() {
        return strictAlignment;
    }

    public int permissions() {
        return permissions;
    }

    public AioFileHost host() {
        return host;
    }

    @Override
    public String toString() {
        return "AioFileConfig(readPolicy=" + readPolicy + ", strictAlignment=" + strictAlignment + ", permissions=0"
                + Integer.toOctalString(permissions) + (host != null ? ", host=" + host : "") + ')';
    }
}

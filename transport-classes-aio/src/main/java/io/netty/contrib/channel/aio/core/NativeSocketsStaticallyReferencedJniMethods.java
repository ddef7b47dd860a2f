/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 */
package io.netty.contrib.channel.aio.core;

/**
 * Native getters of the sockets area's constants and struct layouts, registered before {@link NativeSockets}
 * (whose initialiser reads them into its {@code static final} fields). No state; any thread.
 */
final class NativeSocketsStaticallyReferencedJniMethods {
    private NativeSocketsStaticallyReferencedJniMethods() {
    }

    static native int solSocket();
    static native int ipprotoTcp();
    static native int ipprotoIp();
    static native int ipprotoIpv6();
    static native int soPeercred();
    static native int soRcvlowat();
    static native int soBusyPoll();
    static native int tcpCork();
    static native int tcpQuickack();
    static native int tcpFastopen();
    static native int tcpFastopenConnect();
    static native int tcpKeepidle();
    static native int tcpKeepintvl();
    static native int tcpKeepcnt();
    static native int tcpUserTimeout();
    static native int tcpNotsentLowat();
    static native int tcpDeferAccept();
    static native int ipTransparent();
    static native int ipFreebind();
    static native int ipBindAddressNoPort();
    static native int sizeofUcred();
    static native int offsetofUcredPid();
    static native int offsetofUcredUid();
    static native int offsetofUcredGid();
}

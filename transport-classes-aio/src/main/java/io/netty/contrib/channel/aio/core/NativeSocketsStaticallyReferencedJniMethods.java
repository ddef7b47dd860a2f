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
    static native int ipv6Tclass();
    static native int ipMulticastLoop();
    static native int ipv6MulticastLoop();
    static native int ipMulticastTtl();
    static native int ipv6MulticastHops();
    static native int ipMulticastAll();
    static native int ipRecvorigdstaddr();
    static native int ipv6Recvorigdstaddr();
    static native int solUdp();
    static native int udpGro();
    static native int udpSegment();
    static native int msgTrunc();
    static native int afInet();
    static native int afInet6();
    static native int sizeofMmsghdr();
    static native int offsetofMmsghdrMsgLen();
    static native int offsetofMmsghdrMsgFlags();
    static native int sizeofDgram();
    static native int offsetofDgramIovBase();
    static native int offsetofDgramIovLen();
    static native int offsetofDgramAddr();
    static native int offsetofDgramOrigdst();
    static native int offsetofDgramSegment();
    static native int offsetofDgramAddrlen();
    static native int offsetofSockaddrFamily();
    static native int offsetofSinPort();
    static native int offsetofSinAddr();
    static native int sizeofSockaddrIn();
    static native int offsetofSin6Port();
    static native int offsetofSin6Addr();
    static native int offsetofSin6ScopeId();
    static native int sizeofSockaddrIn6();
}

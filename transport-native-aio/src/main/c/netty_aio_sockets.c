/*
 * JNI layer of netty-transport-aio, area "sockets" (see netty_aio_natives.h):
 * what unix-common does not bind — sendfile, the Linux-only socket option
 * numbers, peer credentials. Same conventions as netty_aio_native.c: static
 * functions registered through a RegisterNatives table, -errno results, EINTR
 * retried here, nothing thrown.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <jni.h>

#include "netty_jni_util.h"
#include "netty_aio_natives.h"

#define SOCKETS_CLASSNAME "io/netty/contrib/channel/aio/core/NativeSockets"
#define SOCKETS_STATICALLY_CLASSNAME "io/netty/contrib/channel/aio/core/NativeSocketsStaticallyReferencedJniMethods"

// Older libc headers lack the newer TCP options; the numbers are the kernel ABI (include/uapi/linux/tcp.h).
#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT 30
#endif
#ifndef TCP_NOTSENT_LOWAT
#define TCP_NOTSENT_LOWAT 25
#endif
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif
#ifndef IP_MULTICAST_ALL
#define IP_MULTICAST_ALL 49
#endif
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif

/*
 * The per-message part of a recvmmsg/sendmmsg batch that is not the struct mmsghdr itself. A batch of capacity N
 * is one block of native memory owned by Java: N struct mmsghdr back to back (the array the syscalls take), then
 * N of these. Java fills iov (and, to send, addr/addrlen/segment); the calls below point each mmsghdr at its
 * message's parts, so Java never writes a pointer into a msghdr.
 */
struct netty_aio_dgram {
    struct iovec iov;
    // Send: the destination (addrlen 0 on a connected socket). Receive: the sender.
    struct sockaddr_storage addr;
    // Receive with IP_RECVORIGDSTADDR: the address the datagram was sent to (ss_family 0 when absent).
    struct sockaddr_storage origdst;
    // Send: the UDP_SEGMENT size (0: one datagram). Receive: the UDP_GRO segment size (0: one datagram).
    int32_t segment;
    int32_t addrlen;
    // Room for the ancillary data either way: an original destination and a GRO size, or a UDP_SEGMENT size.
    char control[CMSG_SPACE(sizeof(struct sockaddr_in6)) + CMSG_SPACE(sizeof(int))];
};

static inline struct netty_aio_dgram* dgram_at(jlong base, jint capacity, jint i) {
    return ((struct netty_aio_dgram*) (intptr_t) (base + (jlong) capacity * (jlong) sizeof(struct mmsghdr))) + i;
}

// Resolved at load time: DefaultFileRegion's private fields (as epoll does) and the JDK's FileChannelImpl ->
// java.io.FileDescriptor -> int chain, so sendfile can take the region itself.
static jclass peerCredentialsClass = NULL;
static jmethodID peerCredentialsCtor = NULL;
static jfieldID regionFileFieldId = NULL;
static jfieldID regionPathFieldId = NULL;
static jfieldID regionTransferredFieldId = NULL;
static jfieldID fileChannelFdFieldId = NULL;
static jfieldID fileDescriptorFdFieldId = NULL;

static jlong sendfile_loop(jint outFd, jint inFd, jlong offset, jlong length) {
    off_t off = (off_t) offset;
    ssize_t res = TEMP_FAILURE_RETRY(sendfile(outFd, inFd, &off, (size_t) length));
    return res < 0 ? -errno : (jlong) res;
}

static jlong netty_aio_sockets_sendfileFd(JNIEnv* env, jclass clazz, jint outFd, jint inFd, jlong offset,
                                          jlong length) {
    return sendfile_loop(outFd, inFd, offset, length);
}

// region.file (its FileChannel) -> FileChannelImpl.fd -> FileDescriptor.fd, with the field IDs cached at load;
// -EBADF when the region's file is not open.
static jint region_fd(JNIEnv* env, jobject region) {
    jobject fileChannel = (*env)->GetObjectField(env, region, regionFileFieldId);
    if (fileChannel == NULL) {
        return -EBADF;
    }
    jobject fileDescriptor = (*env)->GetObjectField(env, fileChannel, fileChannelFdFieldId);
    (*env)->DeleteLocalRef(env, fileChannel);
    if (fileDescriptor == NULL) {
        return -EBADF;
    }
    jint fd = (*env)->GetIntField(env, fileDescriptor, fileDescriptorFdFieldId);
    (*env)->DeleteLocalRef(env, fileDescriptor);
    return fd < 0 ? -EBADF : fd;
}

// Sends [base + offset, base + offset + length) of the region's file and adds what went out to its
// `transferred` field. -EBADF when the region's file is not open.
static jlong netty_aio_sockets_sendfileRegion(JNIEnv* env, jclass clazz, jint outFd, jobject region, jlong base,
                                              jlong offset, jlong length) {
    jint inFd = region_fd(env, region);
    if (inFd < 0) {
        return inFd;
    }
    jlong res = sendfile_loop(outFd, inFd, base + offset, length);
    if (res > 0) {
        jlong transferred = (*env)->GetLongField(env, region, regionTransferredFieldId);
        (*env)->SetLongField(env, region, regionTransferredFieldId, transferred + res);
    }
    return res;
}

// The descriptor of the region's open file, without a syscall: what sendfileRegion reads, for the callers that
// issue their own I/O on it (cachestat, the AIO read path). -EBADF when the region's file is not open (yet).
static jint netty_aio_sockets_regionFd(JNIEnv* env, jclass clazz, jobject region) {
    return region_fd(env, region);
}

// Adds bytes that went out by another way than sendfileRegion (written from buffers the AIO path read) to the
// region's `transferred` field, so that transferred() reads as on epoll whichever path each byte took.
static void netty_aio_sockets_regionAddTransferred(JNIEnv* env, jclass clazz, jobject region, jlong bytes) {
    jlong transferred = (*env)->GetLongField(env, region, regionTransferredFieldId);
    (*env)->SetLongField(env, region, regionTransferredFieldId, transferred + bytes);
}

// The java.io.File a region was made of, NULL for a region made of a FileChannel.
static jobject netty_aio_sockets_regionPath(JNIEnv* env, jclass clazz, jobject region) {
    return (*env)->GetObjectField(env, region, regionPathFieldId);
}

// Gives a region whose file is not open yet the channel opened for it off DefaultFileRegion.open() (which would
// open by path on the caller's thread). 0, or -EEXIST when the region has a channel already (the caller keeps
// and closes its own).
static jint netty_aio_sockets_regionSetChannel(JNIEnv* env, jclass clazz, jobject region, jobject fileChannel) {
    jobject current = (*env)->GetObjectField(env, region, regionFileFieldId);
    if (current != NULL) {
        (*env)->DeleteLocalRef(env, current);
        return -EEXIST;
    }
    (*env)->SetObjectField(env, region, regionFileFieldId, fileChannel);
    return 0;
}

// recvmmsg(2) of up to count messages into the batch at base (see struct netty_aio_dgram). Returns the number of
// messages received, or -errno: EAGAIN (nothing queued), ECONNREFUSED (a connected socket got ICMP port
// unreachable), EBADF, EFAULT, EINVAL, ENOMEM, ENOTSOCK. After it, each message's msg_len, msg_flags (MSG_TRUNC:
// the datagram was longer than its buffer), addr, origdst and segment are filled.
static jint netty_aio_sockets_recvmmsg0(JNIEnv* env, jclass clazz, jint fd, jlong base, jint capacity,
                                        jint count) {
    struct mmsghdr* msgs = (struct mmsghdr*) (intptr_t) base;
    for (jint i = 0; i < count; i++) {
        struct netty_aio_dgram* d = dgram_at(base, capacity, i);
        struct msghdr* h = &msgs[i].msg_hdr;
        memset(h, 0, sizeof(*h));
        h->msg_name = &d->addr;
        h->msg_namelen = sizeof(d->addr);
        h->msg_iov = &d->iov;
        h->msg_iovlen = 1;
        h->msg_control = d->control;
        h->msg_controllen = sizeof(d->control);
        msgs[i].msg_len = 0;
        d->addr.ss_family = AF_UNSPEC;
        d->origdst.ss_family = AF_UNSPEC;
        d->segment = 0;
    }
    int res = TEMP_FAILURE_RETRY(recvmmsg(fd, msgs, (unsigned int) count, 0, NULL));
    if (res < 0) {
        return -errno;
    }
    for (int i = 0; i < res; i++) {
        struct netty_aio_dgram* d = dgram_at(base, capacity, i);
        struct msghdr* h = &msgs[i].msg_hdr;
        d->addrlen = (int32_t) h->msg_namelen;
        for (struct cmsghdr* c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
            if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
                int size;
                memcpy(&size, CMSG_DATA(c), sizeof(size));
                d->segment = size;
            } else if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_ORIGDSTADDR)
                    || (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_ORIGDSTADDR)) {
                size_t len = c->cmsg_len - CMSG_LEN(0);
                if (len > sizeof(d->origdst)) {
                    len = sizeof(d->origdst);
                }
                memcpy(&d->origdst, CMSG_DATA(c), len);
            }
        }
    }
    return res;
}

// sendmmsg(2) of count messages of the batch at base. Returns the number sent (fewer than count when the socket
// buffer filled or a later message failed), or -errno for the first message: EAGAIN, ECONNREFUSED (connected
// socket, ICMP port unreachable), EMSGSIZE, EINVAL (bad segment size), ENETUNREACH, EHOSTUNREACH, EACCES
// (broadcast without SO_BROADCAST), EDESTADDRREQ, EAFNOSUPPORT, EPERM, ENOBUFS, EBADF.
static jint netty_aio_sockets_sendmmsg0(JNIEnv* env, jclass clazz, jint fd, jlong base, jint capacity,
                                        jint count) {
    struct mmsghdr* msgs = (struct mmsghdr*) (intptr_t) base;
    for (jint i = 0; i < count; i++) {
        struct netty_aio_dgram* d = dgram_at(base, capacity, i);
        struct msghdr* h = &msgs[i].msg_hdr;
        memset(h, 0, sizeof(*h));
        if (d->addrlen > 0) {
            h->msg_name = &d->addr;
            h->msg_namelen = (socklen_t) d->addrlen;
        }
        h->msg_iov = &d->iov;
        h->msg_iovlen = 1;
        msgs[i].msg_len = 0;
        if (d->segment > 0) {
            memset(d->control, 0, sizeof(d->control));
            h->msg_control = d->control;
            h->msg_controllen = CMSG_SPACE(sizeof(uint16_t));
            struct cmsghdr* c = CMSG_FIRSTHDR(h);
            c->cmsg_level = SOL_UDP;
            c->cmsg_type = UDP_SEGMENT;
            c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
            uint16_t size = (uint16_t) d->segment;
            memcpy(CMSG_DATA(c), &size, sizeof(size));
        }
    }
    int res = TEMP_FAILURE_RETRY(sendmmsg(fd, msgs, (unsigned int) count, 0));
    return res < 0 ? -errno : res;
}

// Multicast membership through the protocol-independent MCAST_* options (RFC 3678): op 0 join, 1 leave, 2 block
// a source, 3 unblock it. group and source are 4 or 16 address bytes (source NULL: any source); the group's
// family picks the level, so an IPv6 socket joins IPv4 groups at IPPROTO_IP. ifindex 0 lets the kernel choose
// the interface by route. Returns 0 or -errno: EADDRINUSE (already joined), EADDRNOTAVAIL (not joined, or no
// such interface), EINVAL (not a multicast group, or the families differ), ENODEV, ENOBUFS, ENOPROTOOPT.
static int fill_sockaddr(JNIEnv* env, jbyteArray bytes, jint scopeId, struct sockaddr_storage* ss) {
    jsize len = (*env)->GetArrayLength(env, bytes);
    memset(ss, 0, sizeof(*ss));
    if (len == 4) {
        struct sockaddr_in* in = (struct sockaddr_in*) ss;
        in->sin_family = AF_INET;
        (*env)->GetByteArrayRegion(env, bytes, 0, 4, (jbyte*) &in->sin_addr);
        return 0;
    }
    if (len == 16) {
        struct sockaddr_in6* in6 = (struct sockaddr_in6*) ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_scope_id = (uint32_t) scopeId;
        (*env)->GetByteArrayRegion(env, bytes, 0, 16, (jbyte*) &in6->sin6_addr);
        return 0;
    }
    return -EINVAL;
}

static jint netty_aio_sockets_multicast0(JNIEnv* env, jclass clazz, jint fd, jint op, jbyteArray group,
                                         jint ifindex, jbyteArray source) {
    static const int any_source[] = { MCAST_JOIN_GROUP, MCAST_LEAVE_GROUP };
    static const int with_source[] = { MCAST_JOIN_SOURCE_GROUP, MCAST_LEAVE_SOURCE_GROUP, MCAST_BLOCK_SOURCE,
                                       MCAST_UNBLOCK_SOURCE };
    if (op < 0 || op > 3 || (source == NULL && op > 1)) {
        return -EINVAL;
    }
    int res;
    if (source == NULL) {
        struct group_req req;
        memset(&req, 0, sizeof(req));
        req.gr_interface = (uint32_t) ifindex;
        if (fill_sockaddr(env, group, 0, &req.gr_group) != 0) {
            return -EINVAL;
        }
        int level = req.gr_group.ss_family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
        res = TEMP_FAILURE_RETRY(setsockopt(fd, level, any_source[op], &req, sizeof(req)));
    } else {
        struct group_source_req req;
        memset(&req, 0, sizeof(req));
        req.gsr_interface = (uint32_t) ifindex;
        if (fill_sockaddr(env, group, 0, &req.gsr_group) != 0 || fill_sockaddr(env, source, 0, &req.gsr_source) != 0
                || req.gsr_group.ss_family != req.gsr_source.ss_family) {
            return -EINVAL;
        }
        int level = req.gsr_group.ss_family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
        res = TEMP_FAILURE_RETRY(setsockopt(fd, level, with_source[op], &req, sizeof(req)));
    }
    return res < 0 ? -errno : 0;
}

// IP_MULTICAST_IF by interface index (struct ip_mreqn, so no address of the interface is needed) and, on an IPv6
// socket, IPV6_MULTICAST_IF too. Returns 0 or -errno (ENODEV: no such interface, EINVAL).
static jint netty_aio_sockets_setMulticastIf0(JNIEnv* env, jclass clazz, jint fd, jboolean ipv6, jint ifindex) {
    int res;
    if (ipv6) {
        res = TEMP_FAILURE_RETRY(setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)));
        if (res < 0) {
            return -errno;
        }
    }
    struct ip_mreqn mreqn;
    memset(&mreqn, 0, sizeof(mreqn));
    mreqn.imr_ifindex = ifindex;
    res = TEMP_FAILURE_RETRY(setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreqn, sizeof(mreqn)));
    return res < 0 ? -errno : 0;
}

// PeerCredentials' constructor is package-private; Java reads struct ucred with getsockopt(SO_PEERCRED) through
// unix-common and hands the fields here.
static jobject netty_aio_sockets_newPeerCredentials(JNIEnv* env, jclass clazz, jint pid, jint uid, jint gid) {
    jintArray gids = (*env)->NewIntArray(env, 1);
    if (gids == NULL) {
        return NULL;
    }
    (*env)->SetIntArrayRegion(env, gids, 0, 1, &gid);
    jobject result = (*env)->NewObject(env, peerCredentialsClass, peerCredentialsCtor, pid, uid, gids);
    (*env)->DeleteLocalRef(env, gids);
    return result;
}

// Each X(name, value) becomes a `static native int name()` of NativeSocketsStaticallyReferencedJniMethods.
#define NETTY_AIO_SOCKETS_CONSTANTS(X) \
    X(solSocket, SOL_SOCKET) \
    X(ipprotoTcp, IPPROTO_TCP) \
    X(ipprotoIp, IPPROTO_IP) \
    X(ipprotoIpv6, IPPROTO_IPV6) \
    X(soPeercred, SO_PEERCRED) \
    X(soRcvlowat, SO_RCVLOWAT) \
    X(soBusyPoll, SO_BUSY_POLL) \
    X(tcpCork, TCP_CORK) \
    X(tcpQuickack, TCP_QUICKACK) \
    X(tcpFastopen, TCP_FASTOPEN) \
    X(tcpFastopenConnect, TCP_FASTOPEN_CONNECT) \
    X(tcpKeepidle, TCP_KEEPIDLE) \
    X(tcpKeepintvl, TCP_KEEPINTVL) \
    X(tcpKeepcnt, TCP_KEEPCNT) \
    X(tcpUserTimeout, TCP_USER_TIMEOUT) \
    X(tcpNotsentLowat, TCP_NOTSENT_LOWAT) \
    X(tcpDeferAccept, TCP_DEFER_ACCEPT) \
    X(ipTransparent, IP_TRANSPARENT) \
    X(ipFreebind, IP_FREEBIND) \
    X(ipBindAddressNoPort, IP_BIND_ADDRESS_NO_PORT) \
    X(sizeofUcred, sizeof(struct ucred)) \
    X(offsetofUcredPid, offsetof(struct ucred, pid)) \
    X(offsetofUcredUid, offsetof(struct ucred, uid)) \
    X(offsetofUcredGid, offsetof(struct ucred, gid)) \
    X(ipv6Tclass, IPV6_TCLASS) \
    X(ipMulticastLoop, IP_MULTICAST_LOOP) \
    X(ipv6MulticastLoop, IPV6_MULTICAST_LOOP) \
    X(ipMulticastTtl, IP_MULTICAST_TTL) \
    X(ipv6MulticastHops, IPV6_MULTICAST_HOPS) \
    X(ipMulticastAll, IP_MULTICAST_ALL) \
    X(ipRecvorigdstaddr, IP_RECVORIGDSTADDR) \
    X(ipv6Recvorigdstaddr, IPV6_RECVORIGDSTADDR) \
    X(solUdp, SOL_UDP) \
    X(udpGro, UDP_GRO) \
    X(udpSegment, UDP_SEGMENT) \
    X(msgTrunc, MSG_TRUNC) \
    X(afInet, AF_INET) \
    X(afInet6, AF_INET6) \
    X(sizeofMmsghdr, sizeof(struct mmsghdr)) \
    X(offsetofMmsghdrMsgLen, offsetof(struct mmsghdr, msg_len)) \
    X(offsetofMmsghdrMsgFlags, offsetof(struct mmsghdr, msg_hdr.msg_flags)) \
    X(sizeofDgram, sizeof(struct netty_aio_dgram)) \
    X(offsetofDgramIovBase, offsetof(struct netty_aio_dgram, iov.iov_base)) \
    X(offsetofDgramIovLen, offsetof(struct netty_aio_dgram, iov.iov_len)) \
    X(offsetofDgramAddr, offsetof(struct netty_aio_dgram, addr)) \
    X(offsetofDgramOrigdst, offsetof(struct netty_aio_dgram, origdst)) \
    X(offsetofDgramSegment, offsetof(struct netty_aio_dgram, segment)) \
    X(offsetofDgramAddrlen, offsetof(struct netty_aio_dgram, addrlen)) \
    X(offsetofSockaddrFamily, offsetof(struct sockaddr_storage, ss_family)) \
    X(offsetofSinPort, offsetof(struct sockaddr_in, sin_port)) \
    X(offsetofSinAddr, offsetof(struct sockaddr_in, sin_addr)) \
    X(sizeofSockaddrIn, sizeof(struct sockaddr_in)) \
    X(offsetofSin6Port, offsetof(struct sockaddr_in6, sin6_port)) \
    X(offsetofSin6Addr, offsetof(struct sockaddr_in6, sin6_addr)) \
    X(offsetofSin6ScopeId, offsetof(struct sockaddr_in6, sin6_scope_id)) \
    X(sizeofSockaddrIn6, sizeof(struct sockaddr_in6))

NETTY_AIO_CONSTANT_TABLE(statically_referenced_methods, NETTY_AIO_SOCKETS_CONSTANTS);

static const JNINativeMethod fixed_methods[] = {
    { "sendfileFd", "(IIJJ)J", (void*) netty_aio_sockets_sendfileFd },
    // The region is passed as an Object (the Java wrappers take a DefaultFileRegion): no shaded signature to build.
    { "regionFd0", "(Ljava/lang/Object;)I", (void*) netty_aio_sockets_regionFd },
    { "regionAddTransferred0", "(Ljava/lang/Object;J)V", (void*) netty_aio_sockets_regionAddTransferred },
    { "regionPath0", "(Ljava/lang/Object;)Ljava/io/File;", (void*) netty_aio_sockets_regionPath },
    { "regionSetChannel0", "(Ljava/lang/Object;Ljava/nio/channels/FileChannel;)I",
      (void*) netty_aio_sockets_regionSetChannel },
    { "recvmmsg0", "(IJII)I", (void*) netty_aio_sockets_recvmmsg0 },
    { "sendmmsg0", "(IJII)I", (void*) netty_aio_sockets_sendmmsg0 },
    { "multicast0", "(II[BI[B)I", (void*) netty_aio_sockets_multicast0 },
    { "setMulticastIf0", "(IZI)I", (void*) netty_aio_sockets_setMulticastIf0 },
};

static void unload_classes(JNIEnv* env) {
    NETTY_JNI_UTIL_UNLOAD_CLASS(env, peerCredentialsClass);
    peerCredentialsCtor = NULL;
    regionFileFieldId = NULL;
    regionPathFieldId = NULL;
    regionTransferredFieldId = NULL;
    fileChannelFdFieldId = NULL;
    fileDescriptorFdFieldId = NULL;
}

jint netty_aio_sockets_JNI_OnLoad(JNIEnv* env, const char* packagePrefix) {
    char* name = NULL;
    char* regionSig = NULL;
    char* peerSig = NULL;
    jclass regionClass = NULL;
    jclass fileChannelImplClass = NULL;
    jclass fileDescriptorClass = NULL;
    JNINativeMethod* methods = NULL;
    jint fixedCount = NETTY_AIO_ARRAY_LENGTH(fixed_methods);
    jint ret = -1;

    NETTY_JNI_UTIL_PREPEND(packagePrefix, "io/netty/channel/unix/PeerCredentials", name, done);
    NETTY_JNI_UTIL_LOAD_CLASS(env, peerCredentialsClass, name, done);
    netty_jni_util_free_dynamic_name(&name);
    NETTY_JNI_UTIL_GET_METHOD(env, peerCredentialsClass, peerCredentialsCtor, "<init>", "(II[I)V", done);

    NETTY_JNI_UTIL_PREPEND(packagePrefix, "io/netty/channel/DefaultFileRegion", name, done);
    NETTY_JNI_UTIL_FIND_CLASS(env, regionClass, name, done);
    netty_jni_util_free_dynamic_name(&name);
    NETTY_JNI_UTIL_GET_FIELD(env, regionClass, regionFileFieldId, "file", "Ljava/nio/channels/FileChannel;", done);
    NETTY_JNI_UTIL_GET_FIELD(env, regionClass, regionPathFieldId, "f", "Ljava/io/File;", done);
    NETTY_JNI_UTIL_GET_FIELD(env, regionClass, regionTransferredFieldId, "transferred", "J", done);
    NETTY_JNI_UTIL_FIND_CLASS(env, fileChannelImplClass, "sun/nio/ch/FileChannelImpl", done);
    NETTY_JNI_UTIL_GET_FIELD(env, fileChannelImplClass, fileChannelFdFieldId, "fd", "Ljava/io/FileDescriptor;", done);
    NETTY_JNI_UTIL_FIND_CLASS(env, fileDescriptorClass, "java/io/FileDescriptor", done);
    NETTY_JNI_UTIL_GET_FIELD(env, fileDescriptorClass, fileDescriptorFdFieldId, "fd", "I", done);

    // Two methods name shaded classes in their signatures: build those at load time.
    methods = malloc(sizeof(JNINativeMethod) * (fixedCount + 2));
    if (methods == NULL) {
        goto done;
    }
    memcpy(methods, fixed_methods, sizeof(fixed_methods));
    NETTY_JNI_UTIL_PREPEND(packagePrefix, "io/netty/channel/DefaultFileRegion;JJJ)J", name, done);
    NETTY_JNI_UTIL_PREPEND("(IL", name, regionSig, done);
    netty_jni_util_free_dynamic_name(&name);
    methods[fixedCount] = (JNINativeMethod) { "sendfileRegion", regionSig, (void*) netty_aio_sockets_sendfileRegion };
    NETTY_JNI_UTIL_PREPEND(packagePrefix, "io/netty/channel/unix/PeerCredentials;", name, done);
    NETTY_JNI_UTIL_PREPEND("(III)L", name, peerSig, done);
    netty_jni_util_free_dynamic_name(&name);
    methods[fixedCount + 1] =
            (JNINativeMethod) { "newPeerCredentials", peerSig, (void*) netty_aio_sockets_newPeerCredentials };

    ret = netty_aio_register_area(env, packagePrefix,
                                  SOCKETS_STATICALLY_CLASSNAME, statically_referenced_methods,
                                  NETTY_AIO_ARRAY_LENGTH(statically_referenced_methods),
                                  SOCKETS_CLASSNAME, methods, fixedCount + 2);
done:
    netty_jni_util_free_dynamic_name(&name);
    netty_jni_util_free_dynamic_name(&regionSig);
    netty_jni_util_free_dynamic_name(&peerSig);
    free(methods);
    NETTY_JNI_UTIL_DELETE_LOCAL(env, regionClass);
    NETTY_JNI_UTIL_DELETE_LOCAL(env, fileChannelImplClass);
    NETTY_JNI_UTIL_DELETE_LOCAL(env, fileDescriptorClass);
    if (ret != 0) {
        unload_classes(env);
    }
    return ret;
}

void netty_aio_sockets_JNI_OnUnload(JNIEnv* env, const char* packagePrefix) {
    unload_classes(env);
    netty_aio_unregister_area(env, packagePrefix, SOCKETS_STATICALLY_CLASSNAME, SOCKETS_CLASSNAME);
}

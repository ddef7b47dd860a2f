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
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
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

// Resolved at load time: DefaultFileRegion's private fields (as epoll does) and the JDK's FileChannelImpl ->
// java.io.FileDescriptor -> int chain, so sendfile can take the region itself.
static jclass peerCredentialsClass = NULL;
static jmethodID peerCredentialsCtor = NULL;
static jfieldID regionFileFieldId = NULL;
static jfieldID regionTransferredFieldId = NULL;
static jfieldID fileChannelFdFieldId = NULL;
static jfieldID fileDescriptorFdFieldId = NULL;

static jlong sendfile_loop(jint outFd, jint inFd, jlong offset, jlong length) {
    off_t off = (off_t) offset;
    ssize_t res;
    do {
        res = sendfile(outFd, inFd, &off, (size_t) length);
    } while (res < 0 && errno == EINTR);
    return res < 0 ? -errno : (jlong) res;
}

static jlong netty_aio_sockets_sendfileFd(JNIEnv* env, jclass clazz, jint outFd, jint inFd, jlong offset,
                                          jlong length) {
    return sendfile_loop(outFd, inFd, offset, length);
}

// Sends [base + offset, base + offset + length) of the region's file and adds what went out to its
// `transferred` field. -EBADF when the region's file is not open.
static jlong netty_aio_sockets_sendfileRegion(JNIEnv* env, jclass clazz, jint outFd, jobject region, jlong base,
                                              jlong offset, jlong length) {
    jobject fileChannel = (*env)->GetObjectField(env, region, regionFileFieldId);
    if (fileChannel == NULL) {
        return -EBADF;
    }
    jobject fileDescriptor = (*env)->GetObjectField(env, fileChannel, fileChannelFdFieldId);
    (*env)->DeleteLocalRef(env, fileChannel);
    if (fileDescriptor == NULL) {
        return -EBADF;
    }
    jint inFd = (*env)->GetIntField(env, fileDescriptor, fileDescriptorFdFieldId);
    (*env)->DeleteLocalRef(env, fileDescriptor);
    if (inFd < 0) {
        return -EBADF;
    }
    jlong res = sendfile_loop(outFd, inFd, base + offset, length);
    if (res > 0) {
        jlong transferred = (*env)->GetLongField(env, region, regionTransferredFieldId);
        (*env)->SetLongField(env, region, regionTransferredFieldId, transferred + res);
    }
    return res;
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
    X(offsetofUcredGid, offsetof(struct ucred, gid))

#define NETTY_AIO_SOCKETS_DEFINE_CONSTANT(name, value) \
    static jint netty_aio_sockets_const_##name(JNIEnv* env, jclass clazz) { return (jint) (value); }
NETTY_AIO_SOCKETS_CONSTANTS(NETTY_AIO_SOCKETS_DEFINE_CONSTANT)

#define NETTY_AIO_SOCKETS_CONSTANT_ENTRY(name, value) { #name, "()I", (void*) netty_aio_sockets_const_##name },

#define ARRAY_LENGTH(a) ((jint) (sizeof(a) / sizeof((a)[0])))

static const JNINativeMethod statically_referenced_methods[] = {
    NETTY_AIO_SOCKETS_CONSTANTS(NETTY_AIO_SOCKETS_CONSTANT_ENTRY)
};

static const JNINativeMethod fixed_methods[] = {
    { "sendfileFd", "(IIJJ)J", (void*) netty_aio_sockets_sendfileFd },
};

static void unload_classes(JNIEnv* env) {
    NETTY_JNI_UTIL_UNLOAD_CLASS(env, peerCredentialsClass);
    peerCredentialsCtor = NULL;
    regionFileFieldId = NULL;
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
    jint fixedCount = ARRAY_LENGTH(fixed_methods);
    jint ret = -1;

    NETTY_JNI_UTIL_PREPEND(packagePrefix, "io/netty/channel/unix/PeerCredentials", name, done);
    NETTY_JNI_UTIL_LOAD_CLASS(env, peerCredentialsClass, name, done);
    netty_jni_util_free_dynamic_name(&name);
    NETTY_JNI_UTIL_GET_METHOD(env, peerCredentialsClass, peerCredentialsCtor, "<init>", "(II[I)V", done);

    NETTY_JNI_UTIL_PREPEND(packagePrefix, "io/netty/channel/DefaultFileRegion", name, done);
    NETTY_JNI_UTIL_FIND_CLASS(env, regionClass, name, done);
    netty_jni_util_free_dynamic_name(&name);
    NETTY_JNI_UTIL_GET_FIELD(env, regionClass, regionFileFieldId, "file", "Ljava/nio/channels/FileChannel;", done);
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

    // The constants first: FindClass of NativeSockets runs its initialiser, which reads them.
    if (netty_jni_util_register_natives(env, packagePrefix, SOCKETS_STATICALLY_CLASSNAME,
            statically_referenced_methods, ARRAY_LENGTH(statically_referenced_methods)) != 0) {
        goto done;
    }
    if (netty_jni_util_register_natives(env, packagePrefix, SOCKETS_CLASSNAME, methods, fixedCount + 2) != 0) {
        netty_jni_util_unregister_natives(env, packagePrefix, SOCKETS_STATICALLY_CLASSNAME);
        goto done;
    }
    ret = 0;
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
    netty_jni_util_unregister_natives(env, packagePrefix, SOCKETS_CLASSNAME);
    netty_jni_util_unregister_natives(env, packagePrefix, SOCKETS_STATICALLY_CLASSNAME);
}

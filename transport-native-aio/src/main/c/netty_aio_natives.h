/*
 * The native layer is split by area, one C file and one Java class each, so the
 * areas can grow independently:
 *   netty_aio_native.c   core: AIO syscalls, eventfd, ppoll, open/close, constants
 *                        (io.netty.contrib.channel.aio.core.Native)
 *   netty_aio_files.c    files: statx, fallocate, ftruncate, block-device queries
 *   netty_aio_sockets.c  sockets: what unix-common does not bind (sendfile, Linux
 *                        socket options, peer credentials)
 *   netty_aio_fds.c      fd-backed channels: descriptor type, pipes, ttys
 * netty_aio_native.c's JNI_OnLoad calls each area's hook with the shading prefix;
 * a hook registers its own RegisterNatives table and returns 0, or -1 on failure
 * (a pending Java exception is left for the JVM to report).
 */
#ifndef NETTY_AIO_NATIVES_H_
#define NETTY_AIO_NATIVES_H_

#include <jni.h>

/*
 * Copies a path handed over by Java (Native.pathBytes: the JDK's file-name encoding, NUL-terminated) into buf,
 * which holds PATH_MAX bytes. 0, or -ENAMETOOLONG when it does not fit, -EINVAL when it is not NUL-terminated.
 */
int netty_aio_path_from_bytes(JNIEnv* env, jbyteArray path, char* buf);

jint netty_aio_files_JNI_OnLoad(JNIEnv* env, const char* packagePrefix);
void netty_aio_files_JNI_OnUnload(JNIEnv* env, const char* packagePrefix);

jint netty_aio_sockets_JNI_OnLoad(JNIEnv* env, const char* packagePrefix);
void netty_aio_sockets_JNI_OnUnload(JNIEnv* env, const char* packagePrefix);

jint netty_aio_fds_JNI_OnLoad(JNIEnv* env, const char* packagePrefix);
void netty_aio_fds_JNI_OnUnload(JNIEnv* env, const char* packagePrefix);

#endif

/*
 * The native layer is split by area, one C file and one Java class each, so the
 * areas can grow independently:
 *   netty_aio_native.c   core: AIO syscalls, eventfd, ppoll, open/close, constants,
 *                        every errno Java names (io.netty.contrib.channel.aio.core.Native)
 *   netty_aio_files.c    files: statx, fallocate, ftruncate, block-device queries
 *   netty_aio_sockets.c  sockets: what unix-common does not bind (sendfile, Linux
 *                        socket options, peer credentials)
 *   netty_aio_fds.c      fd-backed channels: descriptor type, pipes, ttys
 *   netty_aio_common.c   what the areas share (declared below); it calls no area
 * netty_aio_native.c's JNI_OnLoad calls each area's hook with the shading prefix;
 * a hook registers its own RegisterNatives tables and returns 0, or -1 on failure
 * (a pending Java exception is left for the JVM to report). Calls go one way only:
 * native.c to the area hooks, every file to common.c.
 */
#ifndef NETTY_AIO_NATIVES_H_
#define NETTY_AIO_NATIVES_H_

#include <jni.h>

#define NETTY_AIO_ARRAY_LENGTH(a) ((jint) (sizeof(a) / sizeof((a)[0])))

/*
 * An area lists its constants as an X-macro, LIST(X) expanding to X(name, value) for each;
 * NETTY_AIO_CONSTANT_TABLE(table, LIST) turns every entry into a `static native int name()` of
 * the area's constants class, collected in `table` for netty_aio_register_area. A value is thus
 * written once, in C, and Java reads it at load time.
 */
#define NETTY_AIO_CONSTANT_GETTER(name, value) \
    static jint netty_aio_const_##name(JNIEnv* env, jclass clazz) { return (jint) (value); }
#define NETTY_AIO_CONSTANT_METHOD(name, value) { #name, "()I", (void*) netty_aio_const_##name },
#define NETTY_AIO_CONSTANT_TABLE(table, LIST) \
    LIST(NETTY_AIO_CONSTANT_GETTER) \
    static const JNINativeMethod table[] = { LIST(NETTY_AIO_CONSTANT_METHOD) }

/*
 * Registers an area's constants class, then its methods class: finding the methods class runs
 * its static initialiser, which reads the constants, so they must be bound first. 0, or -1 with
 * neither registered.
 */
int netty_aio_register_area(JNIEnv* env, const char* packagePrefix,
                            const char* constantsClass, const JNINativeMethod* constants, jint constantCount,
                            const char* methodsClass, const JNINativeMethod* methods, jint methodCount);

void netty_aio_unregister_area(JNIEnv* env, const char* packagePrefix, const char* constantsClass,
                               const char* methodsClass);

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

/*
 * JNI layer of netty-transport-aio, area "sockets" (see netty_aio_natives.h).
 * Same conventions as netty_aio_native.c: static functions registered through a
 * RegisterNatives table, -errno results, EINTR retried here, nothing thrown.
 */
#include <jni.h>

#include "netty_aio_natives.h"

jint netty_aio_sockets_JNI_OnLoad(JNIEnv* env, const char* packagePrefix) {
    return 0;
}

void netty_aio_sockets_JNI_OnUnload(JNIEnv* env, const char* packagePrefix) {
}

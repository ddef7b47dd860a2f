/*
 * JNI layer of netty-transport-aio: what every area shares (see netty_aio_natives.h). It lives
 * apart from the areas so that none of them calls into another: the area hooks are called by
 * netty_aio_native.c alone, and everything here calls only the JNI and unix-common.
 */
#include <errno.h>
#include <limits.h>
#include <jni.h>

#include "netty_jni_util.h"
#include "netty_aio_natives.h"

int netty_aio_register_area(JNIEnv* env, const char* packagePrefix,
                            const char* constantsClass, const JNINativeMethod* constants, jint constantCount,
                            const char* methodsClass, const JNINativeMethod* methods, jint methodCount) {
    if (netty_jni_util_register_natives(env, packagePrefix, constantsClass, constants, constantCount) != 0) {
        return -1;
    }
    if (netty_jni_util_register_natives(env, packagePrefix, methodsClass, methods, methodCount) != 0) {
        netty_jni_util_unregister_natives(env, packagePrefix, constantsClass);
        return -1;
    }
    return 0;
}

void netty_aio_unregister_area(JNIEnv* env, const char* packagePrefix, const char* constantsClass,
                               const char* methodsClass) {
    netty_jni_util_unregister_natives(env, packagePrefix, methodsClass);
    netty_jni_util_unregister_natives(env, packagePrefix, constantsClass);
}

int netty_aio_path_from_bytes(JNIEnv* env, jbyteArray path, char* buf) {
    jsize len = (*env)->GetArrayLength(env, path);
    if (len > PATH_MAX) {
        return -ENAMETOOLONG;
    }
    if (len == 0) {
        return -EINVAL;
    }
    (*env)->GetByteArrayRegion(env, path, 0, len, (jbyte*) buf);
    return buf[len - 1] == '\0' ? 0 : -EINVAL;
}

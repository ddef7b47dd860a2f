#!/usr/bin/env bash
# Compiles this directory's C files into the transport's JNI library, linking
# netty-transport-native-unix-common's static library whole (its natives are
# registered through Unix.registerInternal at load time).
# Usage: build.sh JAVA_HOME UNIX_COMMON_NATIVE_DIR OBJ_DIR OUTPUT_SO [CC [required|auto]]
# CC defaults to gcc; the aarch64 library is cross-compiled with aarch64-linux-gnu-gcc against the
# linux-aarch_64 unix-common archive. jni.h and jni_md.h are the same on every 64-bit Linux, so the build
# JDK's headers serve both targets.
# With "auto" a missing CC is not an error: one line says the library was skipped and how to get it, and nothing
# is written (the jar of that platform is then not built). "required" (the default) fails the build without CC:
# the x86-64 library always, the aarch64 one under -Prelease and in CI.
set -euo pipefail
java_home=$1 unix_common=$2 obj_dir=$3 out=$4 cc=${5:-gcc} need=${6:-required}
src_dir=$(cd "$(dirname "$0")" && pwd)
# java.home is the JDK root on 11+, the jre/ below it on 8.
[ -f "$java_home/include/jni.h" ] || java_home=$(dirname "$java_home")
[ -f "$java_home/include/jni.h" ] || { echo "build.sh: no jni.h under $java_home/include (a JDK, not a JRE, is needed)" >&2; exit 1; }
if ! command -v "$cc" >/dev/null; then
  case $cc in
    aarch64-linux-gnu-gcc) pkg="gcc-aarch64-linux-gnu libc6-dev-arm64-cross linux-libc-dev-arm64-cross" ;;
    *) pkg=gcc ;;
  esac
  if [ "$need" = auto ]; then
    # Not an error: a stale library from an earlier build must not be packaged as if it were this build's.
    rm -f "$out"
    echo "build.sh: SKIPPED $(basename "$out"): $cc not found (Debian/Ubuntu: apt-get install $pkg; ./run-tests installs it); a release build (-Prelease) requires it"
    exit 0
  fi
  echo "build.sh: $cc is needed to build $(basename "$out") (Debian/Ubuntu: apt-get install $pkg; ./run-tests installs it)" >&2
  exit 1
fi
mkdir -p "$obj_dir" "$(dirname "$out")"
cflags=(-O2 -fPIC -Wall -Werror -fvisibility=hidden -std=gnu11 -D_GNU_SOURCE
        -I"$java_home/include" -I"$java_home/include/linux" -I"$unix_common/include")
objs=()
for c in "$src_dir"/*.c; do
  o="$obj_dir/$(basename "${c%.c}").o"
  "$cc" "${cflags[@]}" -c "$c" -o "$o"
  objs+=("$o")
done
"$cc" -shared -o "$out" "${objs[@]}" \
  -Wl,--whole-archive "$unix_common/lib/libnetty-unix-common.a" -Wl,--no-whole-archive \
  -Wl,-z,now -Wl,-z,noexecstack -ldl
echo "build.sh: built $out"

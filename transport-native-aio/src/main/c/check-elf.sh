#!/usr/bin/env bash
# Fails the build unless a JNI library is what its jar claims: a 64-bit shared object for the expected machine
# (readelf -h, and file(1) as a second opinion where it is installed), exporting JNI_OnLoad, needing nothing but
# the C library.
# Usage: check-elf.sh LIBRARY MACHINE FILE_DESCRIPTION [required|auto]
#   MACHINE is readelf's "Machine:" value, e.g. "Advanced Micro Devices X86-64" or "AArch64";
#   FILE_DESCRIPTION is what file(1) prints for it, e.g. "x86-64" or "ARM aarch64";
#   "auto": a library that build.sh skipped (no cross compiler) is not checked; "required" (default): it must exist.
set -euo pipefail
lib=$1 machine=$2 description=$3 need=${4:-required}
name=$(basename "$lib")
fail() { echo "check-elf.sh: $name: $*" >&2; exit 1; }
if [ ! -f "$lib" ] && [ "$need" = auto ]; then
  echo "check-elf.sh: $name: not built (skipped by build.sh), not checked"
  exit 0
fi
# readelf comes with binutils, which gcc needs anyway.
command -v readelf >/dev/null || fail "readelf is needed to check the library (Debian: apt-get install binutils)"
[ -f "$lib" ] || fail "no such file: $lib"

header=$(readelf -h "$lib")
field() { sed -n "s/^ *$1: *//p" <<<"$header"; }
[ "$(field Class)" = ELF64 ] || fail "Class is '$(field Class)', expected ELF64"
[[ "$(field Type)" == DYN* ]] || fail "Type is '$(field Type)', expected DYN (shared object)"
[ "$(field Machine)" = "$machine" ] || fail "Machine is '$(field Machine)', expected '$machine'"

# file(1) is a second opinion: required where it matters (release, CI), taken when present otherwise.
kind="(file(1) not installed)"
if command -v file >/dev/null; then
  kind=$(file -b "$lib")
  [[ "$kind" == *"ELF 64-bit LSB shared object, $description"* ]] || fail "file(1) says '$kind', expected $description"
elif [ "$need" = required ]; then
  fail "file(1) is needed to check the library (Debian: apt-get install file)"
fi

readelf --dyn-syms -W "$lib" | awk '$5 == "GLOBAL" && $7 != "UND" && $8 == "JNI_OnLoad" { found = 1 } END { exit !found }' \
  || fail "JNI_OnLoad is not exported"
needed=$(readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
for n in $needed; do
  case $n in
    libc.so.6|libdl.so.2) ;;
    *) fail "needs $n; only the C library is allowed (no libaio: see DESIGN.md)" ;;
  esac
done

echo "check-elf.sh: $name: Class: $(field Class), Type: $(field Type), Machine: $(field Machine); NEEDED: ${needed% }"
echo "check-elf.sh: $name: file: $kind"

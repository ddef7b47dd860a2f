#!/usr/bin/env bash
# Soak: AioStressTest (transport-native-aio's seeded random mix of POLLs, buffered and O_DIRECT reads, writes,
# cancels, registration cancels, AioFile closes, fd channels moved between loops and closed, submissions from the loop
# and two other threads) run for OPS operations per configuration instead of the build's 10^5, with every check of
# the test: one event per operation, none after unregistered(), buffers back to their reference count, every future
# and channel settled, no stale completion, no leak report, descriptors unchanged.
#   OPS      operations per configuration (default 10000000)
#   CONFIGS  reap mode:depth list (default RING:8,RING:1024,SYSCALL:8,SYSCALL:1024)
#   SEED     replay a run's choices (printed by each configuration); random by default
#   LEAK     Netty leak detection level (default paranoid, as the build; "simple" samples 1% and runs faster)
# Prints one line per configuration:
#   soak <mode> depth <n>: <ops> ops in <s> s = <ops/s> ops/s; <what the mix did>
# and exits non-zero if any check failed (the test's report is in transport-native-aio/target/surefire-reports).
# Bounded by the test's own timeouts: each configuration may take OPS/2000 s at most before JUnit stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
OPS=${OPS:-10000000}
CONFIGS=${CONFIGS:-RING:8,RING:1024,SYSCALL:8,SYSCALL:1024}
LEAK=${LEAK:-paranoid}
timeout_s=$(( OPS / 2000 + 300 ))
seed_arg=()
[[ -n ${SEED:-} ]] && seed_arg=(-Daio.stress.seed="$SEED")
echo "soak.sh: $OPS operations per configuration, configurations $CONFIGS, leak detection $LEAK" >&2
status=0
mvn -B -q -pl transport-native-aio -am test -Dtest=AioStressTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Daio.stress.ops="$OPS" -Daio.stress.configs="$CONFIGS" "${seed_arg[@]}" \
    -Djunit.jupiter.execution.timeout.default="${timeout_s} s" \
    -Dtest.jvm.args="-Xcheck:jni -Dio.netty.leakDetection.level=$LEAK -Dio.netty.leakDetection.targetRecords=32 -Xmx2g" \
    >&2 || status=$?
out=transport-native-aio/target/surefire-reports/io.netty.contrib.channel.aio.AioStressTest-output.txt
grep '^AioStressTest' "$out" | sed 's/^AioStressTest/soak/' || true
if [[ $status -ne 0 ]]; then
  echo "soak.sh: FAILED; see transport-native-aio/target/surefire-reports/io.netty.contrib.channel.aio.AioStressTest.txt" >&2
  grep -m5 -A3 'AssertionFailedError\|Exception' \
      transport-native-aio/target/surefire-reports/io.netty.contrib.channel.aio.AioStressTest.txt >&2 || true
fi
exit $status

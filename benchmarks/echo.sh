#!/usr/bin/env bash
# Loopback echo, AIO vs epoll vs io_uring vs NIO in one JVM: request/response with 64 B and 16 KiB messages
# (throughput and p99 round trip) and streaming throughput. One line per case:
#   echo <case> aio=<figure> epoll=<figure> io_uring=<figure> nio=<figure> ratio=<aio/epoll> p99ratio=<aio/epoll>
# Usage: benchmarks/echo.sh [seconds-per-round] [rounds] [connections] [cases] [transports]
#   defaults 3 3 16, all cases (rr-64B,rr-16KiB,stream-64KiB; udp-64B on request: datagrams echoed per second,
#   the connections count being UDP clients), all transports (aio,io_uring,nio; epoll always)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
if [ ! -f "$jar" ] || [ -n "$(find transport-classes-aio/src transport-native-aio/src benchmarks/src -newer "$jar" -print -quit)" ]; then
  mvn -q -B -pl benchmarks -am package -DskipTests
fi
exec java -Xms512m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled \
  -cp "$jar" io.netty.contrib.channel.aio.benchmarks.echo.EchoBenchmark "${1:-3}" "${2:-3}" "${3:-16}" "${@:4}"

#!/usr/bin/env bash
# The region suite: a plain Netty server that answers with new DefaultFileRegion(file, 0, length) (Netty's
# HttpStaticFileServer pattern, no AIO-specific code) on ONE event loop, while CLIENTS clients fetch 4 MiB files
# each evicted from the page cache just before it is asked for, and a probe on the same loop pings every
# millisecond. Figures: the probe's round trip (p50, p99, p99.9) and the MiB/s served, on AIO, epoll and io_uring,
# every file checked byte for byte. One line per figure:
#   region <figure> aio=<v> epoll=<v> io_uring=<v> ratio=<aio/epoll> uring_ratio=<aio/io_uring>
# Usage: benchmarks/region.sh [seconds-per-transport] [clients] [transports]   defaults 10 4 aio,epoll,io_uring
# The data set (48 files of 4 MiB, 192 MiB) is written once under benchmarks/target/region-data (ext4, not tmpfs).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
if [ ! -f "$jar" ] || [ -n "$(find transport-classes-aio/src transport-native-aio/src benchmarks/src -newer "$jar" -print -quit)" ]; then
  mvn -q -B -pl benchmarks -am package -DskipTests
fi
exec java -Xms512m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled \
  -cp "$jar" io.netty.contrib.channel.aio.benchmarks.region.RegionBenchmark benchmarks/target/region-data \
  "${1:-10}" "${2:-4}" "${3:-aio,epoll,io_uring}"

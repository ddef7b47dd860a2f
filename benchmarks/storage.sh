#!/usr/bin/env bash
# Storage benchmark: O_DIRECT reads through AioFile (ONE AIO event loop) side by side with
# fio --ioengine=libaio (default, and --userspace_reap=1 with batched submission) and the JDK's
# AsynchronousFileChannel (pool of 8 threads), at the same block size and queue depth:
#   4 KiB random reads at QD 1, 32, 128 and 128 KiB sequential reads at QD 1 and 32,
# on (a) a 2 GiB file on the ext4 under benchmarks/target/ (device-bound) and (b) /dev/zram0, a RAM-backed
# block device that shows software overhead (configured here only when present and unused: disksize 0;
# reset afterwards; skipped with a message otherwise). One line per case:
#   storage <device> <bs> qd<N> aio=<IOPS> fio=<IOPS> ratio=<aio/fio> jdk=<IOPS> fio_default=<IOPS> fio_ureap=<IOPS>
#           jdk_ratio=<aio/jdk> [jdk1=<IOPS> jdk1_ratio=<aio/jdk1>] aio_busy=<IOPS> busy_ureap_ratio=<aio_busy/fio_ureap>
#           pattern=<rand|seq> load=<L>
# aio_busy= is AioFile on a loop that busy-polls 100 us before sleeping (io.netty.aio.busyPollNanos), against fio's
# userspace_reap, which spins on the ring too.
# fio= is the better of fio's two modes: the ratio is against fio at its best. jdk= is AsynchronousFileChannel on a
# pool of 8 threads; jdk1= (the file only) on a pool of one, as many threads as AioFile's one loop. fio and the
# Java driver read the same target over the same range with O_DIRECT, one job, the same warm-up and measured
# seconds. Bounded to 5 minutes.
# Needs root for zram, Linux AIO, a JDK 17+, and fio (installed with apt-get when missing).
# Each figure is the best of STORAGE_PASSES (2) runs, aio and fio alternating, since the machine may be shared.
# Knobs: STORAGE_SECONDS (measured seconds per run, 2), STORAGE_WARMUP (1), STORAGE_PASSES (2),
# STORAGE_FILE_SIZE (2G), STORAGE_ZRAM_SIZE (1G). load= at the end of a line is the 1-minute load average.
# --verbose: after the file's cases, the reading thread's cost per 4 KiB random read of the file through AioFile on
# one AIO loop (aio), the loop's own AioIoHandle API (loop) and core's AioContext on a plain thread (core), at QD 1
# and 32, one line each (bytes allocated per read include the result's promise):
#   storage-cost file 4k qd<N> engine=<e> bytes_per_read=<B> cpu_ns_per_read=<ns> load=<L>
set -euo pipefail
verbose=
for arg in "$@"; do
  case $arg in
    --verbose) verbose=1 ;;
    *) echo "storage.sh: unknown argument $arg (only --verbose)" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")"
here=$(pwd)
start=$SECONDS
budget=300
measure=${STORAGE_SECONDS:-2}
warmup=${STORAGE_WARMUP:-1}
passes=${STORAGE_PASSES:-2}
file_size=${STORAGE_FILE_SIZE:-2G}
zram_size=${STORAGE_ZRAM_SIZE:-1G}
jar=$here/target/benchmarks.jar
work=$here/target/storage
mkdir -p "$work"

if ! command -v fio >/dev/null; then
  echo "# installing fio" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q fio >&2
fi
if [ ! -f "$jar" ]; then
  echo "# building $jar" >&2
  (cd .. && mvn -B -q -DskipTests -pl benchmarks -am package >&2)
fi

# Per-run seconds, including fio's ramp and the JVM's warm-up.
run_secs=$((measure + warmup))

fio_iops() { # target size rw bs qd mode
  local target=$1 size=$2 rw=$3 bs=$4 qd=$5 mode=$6 extra=()
  if [ "$mode" = ureap ]; then
    # Reaping from the ring in user space is only used when fio polls for a minimum of 0 events.
    extra=(--userspace_reap=1 --iodepth_batch_submit="$qd" --iodepth_batch_complete_min=0
           --iodepth_batch_complete_max="$qd")
  fi
  fio --name=bench --filename="$target" --size="$size" --rw="$rw" --bs="$bs" --iodepth="$qd" --direct=1 \
      --ioengine=libaio --numjobs=1 --thread --time_based --runtime="$measure" --ramp_time="$warmup" \
      --norandommap --randrepeat=0 --invalidate=0 --output-format=json "${extra[@]}" 2>/dev/null |
    python3 -c 'import json, sys; print(int(json.load(sys.stdin)["jobs"][0]["read"]["iops"]))'
}

# Runs one device: target, size in bytes, name. Two passes, each the Java driver (AioFile and the JDK channel)
# then fio in both modes; each figure is the better of its two passes, so that a burst of load from other
# processes during one run does not decide a ratio.
bench_device() {
  local target=$1 size=$2 name=$3 jdk_equal=
  local -A aio jdk jdk1 fd fu
  [ "$name" = file ] && jdk_equal=,jdk1
  for spec in "rand 4096 4k 1,32,128" "seq 131072 128k 1,32"; do
    set -- $spec
    local pattern=$1 bs=$2 bs_name=$3 qds=$4
    local n_qd rw=randread
    [ "$pattern" = seq ] && rw=read
    n_qd=$(tr ',' '\n' <<<"$qds" | wc -l)
    local jdk_runs=1
    [ -n "$jdk_equal" ] && jdk_runs=2
    if [ $((SECONDS - start + passes * (n_qd * (run_secs * 3 + 1) + 2) + (jdk_runs + 1) * n_qd * run_secs)) -gt $budget ]; then
      echo "# storage $name $bs_name: skipped, the 5-minute budget would be exceeded" >&2
      continue
    fi
    aio=() aiobusy=() jdk=() jdk1=() fd=() fu=()
    for pass in $(seq 1 "$passes"); do
      # The JDK channel is measured once (it is not part of the fio ratio): on a pool of 8 threads, and on the
      # file also on a pool of one thread, as many as AioFile's one loop (the equal-threads comparison).
      # The busy-polling loop (aiobusy) is measured once too, next to fio's userspace_reap, which spins as well.
      local engines=aio
      [ "$pass" = 1 ] && engines=aio,aiobusy,jdk$jdk_equal
      while read -r line; do
        case $line in
          result*)
            local engine qd iops
            engine=$(sed -n 's/.*engine=\([a-z0-9]*\).*/\1/p' <<<"$line")
            qd=$(sed -n 's/.* qd=\([0-9]*\).*/\1/p' <<<"$line")
            iops=$(sed -n 's/.* iops=\([0-9]*\).*/\1/p' <<<"$line")
            case $engine in
              aio) aio[$qd]=$(max "${aio[$qd]:-0}" "$iops") ;;
              aiobusy) aiobusy[$qd]=$(max "${aiobusy[$qd]:-0}" "$iops") ;;
              jdk) jdk[$qd]=$(max "${jdk[$qd]:-0}" "$iops") ;;
              jdk1) jdk1[$qd]=$(max "${jdk1[$qd]:-0}" "$iops") ;;
            esac
            ;;
        esac
      done < <(java -cp "$jar" io.netty.contrib.channel.aio.benchmarks.storage.StorageBench --path "$target" \
                 --size "$size" --pattern "$pattern" --bs "$bs" --qd "$qds" --warmup "$warmup" --seconds "$measure" \
                 --engine "$engines")
      for qd in ${qds//,/ }; do
        fd[$qd]=$(max "${fd[$qd]:-0}" "$(fio_iops "$target" "$size" "$rw" "$bs" "$qd" default)")
        fu[$qd]=$(max "${fu[$qd]:-0}" "$(fio_iops "$target" "$size" "$rw" "$bs" "$qd" ureap)")
      done
    done
    for qd in ${qds//,/ }; do
      local best equal=
      best=$(max "${fd[$qd]}" "${fu[$qd]}")
      [ -n "$jdk_equal" ] && equal=" jdk1=${jdk1[$qd]:-0} jdk1_ratio=$(ratio "${aio[$qd]:-0}" "${jdk1[$qd]:-0}")"
      printf 'storage %s %s qd%s aio=%s fio=%s ratio=%s jdk=%s fio_default=%s fio_ureap=%s jdk_ratio=%s%s aio_busy=%s busy_ureap_ratio=%s pattern=%s load=%s\n' \
        "$name" "$bs_name" "$qd" "${aio[$qd]:-0}" "$best" "$(ratio "${aio[$qd]:-0}" "$best")" "${jdk[$qd]:-0}" \
        "${fd[$qd]}" "${fu[$qd]}" "$(ratio "${aio[$qd]:-0}" "${jdk[$qd]:-0}")" "$equal" "${aiobusy[$qd]:-0}" \
        "$(ratio "${aiobusy[$qd]:-0}" "${fu[$qd]}")" "$pattern" "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
}

max() { echo $(( $1 > $2 ? $1 : $2 )); }
ratio() { python3 -c "print('%.3f' % ($1 / max($2, 1)))"; }

# (a) a 2 GiB file of incompressible data, written once with O_DIRECT and kept for the next run.
bench_file=$work/bench-$file_size
bytes=$(numfmt --from=iec "$file_size")
if [ ! -f "$bench_file" ] || [ "$(stat -c %s "$bench_file")" != "$bytes" ]; then
  echo "# writing $bench_file" >&2
  fio --name=prep --filename="$bench_file" --size="$file_size" --rw=write --bs=1M --direct=1 --ioengine=libaio \
      --iodepth=8 --output-format=terse >/dev/null
fi
echo "# file: $bench_file on $(df -T "$bench_file" | awk 'NR==2 {print $2}'), O_DIRECT, $file_size" >&2
bench_device "$bench_file" "$bytes" file
if [ -n "$verbose" ]; then
  java -cp "$jar" io.netty.contrib.channel.aio.benchmarks.storage.StorageBench --path "$bench_file" --size "$bytes" \
      --pattern rand --bs 4096 --qd 1,32 --warmup "$warmup" --seconds "$measure" --engine aio,loop,core --verbose |
    sed -n 's/^# \(aio\|loop\|core\) qd=\([0-9]*\) [a-z]* CPU per read \([0-9-]*\) ns, \([0-9-]*\) bytes allocated per read.*/storage-cost file 4k qd\2 engine=\1 bytes_per_read=\4 cpu_ns_per_read=\3/p' |
    while read -r line; do echo "$line load=$(cut -d' ' -f1 /proc/loadavg)"; done
fi

# (b) /dev/zram0, only when it exists and nobody uses it.
if [ ! -b /dev/zram0 ]; then
  echo "# storage zram0 skipped: /dev/zram0 is not present" >&2
elif [ "$(id -u)" != 0 ]; then
  echo "# storage zram0 skipped: configuring /dev/zram0 needs root" >&2
elif [ "$(cat /sys/block/zram0/disksize)" != 0 ]; then
  echo "# storage zram0 skipped: /dev/zram0 is in use (disksize $(cat /sys/block/zram0/disksize))" >&2
else
  trap 'echo 1 > /sys/block/zram0/reset' EXIT
  echo "$zram_size" > /sys/block/zram0/disksize
  zbytes=$(cat /sys/block/zram0/disksize)
  fio --name=prep --filename=/dev/zram0 --size="$zbytes" --rw=write --bs=1M --direct=1 --ioengine=libaio \
      --iodepth=8 --output-format=terse >/dev/null
  echo "# zram0: $zram_size, $(cat /sys/block/zram0/comp_algorithm | sed 's/.*\[\(.*\)\].*/\1/'), filled with incompressible data" >&2
  bench_device /dev/zram0 "$zbytes" zram0
fi
echo "# storage.sh took $((SECONDS - start)) s" >&2

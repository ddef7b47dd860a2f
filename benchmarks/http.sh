#!/usr/bin/env bash
# HTTP over loopback with wrk: the file server (file-server/target/aio-file-server.jar) on aio, epoll, io_uring
# and nio side by side with nginx, on the same files with the same connections. Every server gets ONE event loop
# or worker (--threads 1, worker_processes 1), wrk one thread.
#
#   hot   wrk on a 4 KiB and on a 1 MiB file, both in the page cache: requests/s. nginx serves with sendfile,
#         as does the file server on epoll, io_uring (splice) and nio; aio reads through AioChunkedFile.
#   cold  a mix: COLD_CLIENTS connections fetch random 1 MiB files of a data set kept out of the page cache
#         (posix_fadvise(DONTNEED) per file, swept every 50 ms during the run; the machine's cache is left
#         alone), while HOT_CLIENTS connections fetch the hot 4 KiB file. Reported: the hot requests' latency
#         percentiles, their rate, and the cold clients' MiB/s. nginx is measured three ways: sendfile (reads
#         block the worker, like epoll+sendfile), "aio threads" (reads in nginx's thread pool) and "aio on;
#         directio 64k" (Linux AIO with O_DIRECT; Debian builds nginx without --with-file-aio, so that case
#         runs the same Debian nginx source rebuilt with it, cached in benchmarks/target/nginx-file-aio).
#
# One line per case:
#   http-hot 4KiB aio=<req/s> epoll=... io_uring=... nio=... nginx=... ratio=<aio/epoll> nginx_ratio=<aio/nginx>
#   http-cold hot-p99 aio=<ms> epoll=... io_uring=... nio=... nginx=... nginx_threads=... nginx_directio=...
#       ratio=<aio/epoll>
# Each figure is the best of HTTP_ROUNDS (hot, highest rate) or COLD_ROUNDS (cold, lowest hot p99) rounds; the
# rounds rotate the order of the systems, so that drift on a shared machine hits all of them.
#
# Over TLS (modes tls and tls-cold), the same certificate (RSA 2048, made under benchmarks/target/http/tls) and
# TLS 1.3 for every server, the cipher each negotiates printed; nginx with "ssl http2" on its listener:
#   tls       wrk over HTTPS (HTTP/1.1) on the hot 4 KiB and 1 MiB files, and h2load (-m 10 streams per
#             connection) over HTTP/2 on the hot 4 KiB file: requests/s and server CPU per request.
#   tls-cold  the cold mix over HTTPS: hot p99 of this server on aio and epoll, nginx (reads on its worker, as
#             sendfile cannot be used under TLS) and nginx "aio threads".
# Every file server runs with --open-file-cache 1000 --open-file-cache-valid 1 --precompressed, every nginx with
# open_file_cache max=1000 (valid 1s) and gzip_static on (the rebuilt nginx_directio lacks the gzip_static
# module): both configured the same way; wrk and h2load send no Accept-Encoding, so precompressed files play no
# part in the figures.
#
#   http-tls <file> aio=<req/s> epoll=... nginx=... nginx_ratio=<aio/nginx>   (and <file>-cpu in us/request)
#   http-h2 4KiB aio=<req/s> epoll=... nginx=... nginx_ratio=...                (and 4KiB-cpu)
#   http-tls-cold hot-p99 aio=<ms> epoll=... nginx=... nginx_threads=... ratio=<aio/epoll>
#
#   meta      cold metadata: META_COLD_CLIENTS connections walk a tree of META_FILES small files (1000 per
#             directory, each file once) right after the kernel's dentry and inode caches were dropped
#             (echo $META_DROP > /proc/sys/vm/drop_caches, 3 by default, before each system's run; needs root;
#             see drop_dentries_and_inodes), while META_HOT_CLIENTS
#             connections fetch the hot 4 KiB file. Every lookup of the walk misses the dentry cache: nginx opens
#             and stats on its worker; the file server looks up with openat2(RESOLVE_CACHED) on its loop and only
#             the misses on its lookup threads. Reported: the hot requests' latency percentiles and the walk's rate,
#             the file server on META_TRANSPORTS (aio) against nginx. The tree is written under
#             benchmarks/target/http/www/meta and deleted on exit (kept with META_KEEP=1 for the next run).
#   http-meta hot-p99 aio=<ms> nginx=<ms> ratio=<aio/nginx>   (and hot-p50, hot-p99.9, walk-req/s)
#
# Usage: benchmarks/http.sh [hot|cold|tls|tls-cold|meta|all]   (default all, which leaves meta out; hot and cold
# about 3 minutes each, tls about 3, tls-cold about 2, meta about 1 plus writing the tree, with the defaults)
# Knobs: HTTP_SECONDS (5) HTTP_WARMUP (5, per file and server) HTTP_ROUNDS (2) HTTP_CONNECTIONS (16) COLD_SECONDS (8) COLD_ROUNDS (2)
#   COLD_FILES (256) COLD_CLIENTS (4) HOT_CLIENTS (4) HTTP_TRANSPORTS (aio,epoll,io_uring,nio).
#   META_FILES (200000) META_SECONDS (8) META_ROUNDS (2) META_COLD_CLIENTS (4) META_HOT_CLIENTS (1)
#   META_TRANSPORTS (aio) META_KEEP (0).
# Needs root only to install wrk and nginx when missing (apt-get) and to read the files as nginx's worker.
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$(pwd)
here=$root_dir/benchmarks
. "$here/packages.sh"

mode=${1:-all}
case $mode in hot|cold|tls|tls-cold|meta|all) ;; *) echo "usage: $0 [hot|cold|tls|tls-cold|meta|all]" >&2; exit 2 ;; esac
seconds=${HTTP_SECONDS:-5}
warmup=${HTTP_WARMUP:-5}
rounds=${HTTP_ROUNDS:-2}
conns=${HTTP_CONNECTIONS:-16}
cold_seconds=${COLD_SECONDS:-8}
cold_rounds=${COLD_ROUNDS:-2}
cold_files=${COLD_FILES:-256}
cold_clients=${COLD_CLIENTS:-4}
hot_clients=${HOT_CLIENTS:-4}
IFS=, read -r -a transports <<<"${HTTP_TRANSPORTS:-aio,epoll,io_uring,nio}"
IFS=, read -r -a tls_transports <<<"${HTTP_TLS_TRANSPORTS:-aio,epoll}"
h2_streams=${H2_STREAMS:-10}
meta_files=${META_FILES:-200000}
meta_seconds=${META_SECONDS:-8}
meta_rounds=${META_ROUNDS:-2}
meta_cold_clients=${META_COLD_CLIENTS:-4}
meta_hot_clients=${META_HOT_CLIENTS:-1}
IFS=, read -r -a meta_transports <<<"${META_TRANSPORTS:-aio}"
meta_keep=${META_KEEP:-0}
meta_drop=${META_DROP:-3}
case $meta_drop in 2|3) ;; *) echo "$0: META_DROP=$meta_drop: expected 2 (dentries and inodes) or 3 (and the page cache)" >&2; exit 2 ;; esac

out=$here/target/http
www=$out/www
jar=$root_dir/file-server/target/aio-file-server.jar
lua=$here/http/report.lua
mkdir -p "$out"

ensure_commands wrk:wrk nginx:nginx python3:python3 h2load:nghttp2-client openssl:openssl
if [ ! -f "$jar" ] || [ -n "$(find transport-classes-aio/src transport-native-aio/src file-server/src -newer "$jar" -print -quit)" ]; then
  echo "# building $jar" >&2
  mvn -B -q -pl file-server -am package -DskipTests >&2
fi

# ------------------------------------------------------------------------------------------------ processes
pids=()
evictor=
meta_tree=  # set while this run owns the metadata tree: deleted on exit unless META_KEEP=1
cleanup() {
  local pid
  [ -n "$evictor" ] && kill "$evictor" 2>/dev/null
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$meta_tree" ] && [ "$meta_keep" != 1 ]; then
    echo "# deleting the metadata tree $meta_tree" >&2
    rm -rf "$meta_tree"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_port() { # port pid: until the port accepts a connection, while pid lives (30 s)
  local i
  for i in $(seq 300); do
    kill -0 "$2" 2>/dev/null || return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# Fetches PATH from the server on PORT and compares it with the file: a server that answers fast with the
# wrong bytes (or an error page) must not pass for fast.
check_serves() { # system port path [scheme]
  python3 - "$www$3" "${4:-http}://127.0.0.1:$2$3" <<'PY' || { echo "http.sh: $1 does not serve $3 correctly" >&2; return 1; }
import ssl, sys, urllib.request
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
with urllib.request.urlopen(sys.argv[2], timeout=30, context=context) as r:
    body = r.read()
sys.exit(0 if body == open(sys.argv[1], "rb").read() else 1)
PY
}

declare -A port pid_of
start_file_server() { # transport
  start_file_server_as "$1" "$1"
}
# The file server on TRANSPORT, known as NAME, with more options (--tls-cert ...).
start_file_server_as() { # name transport [options...]
  local t=$1 log=$out/server-$1.log p
  rm -f "$log"  # the port is read from it: no line of an earlier server may be found there
  LC_ALL=C.UTF-8 java -Xms512m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled \
      -jar "$jar" --transport "$2" --threads 1 --port 0 --root "$www" --idle-timeout 300 --shutdown-timeout 2 \
      --open-file-cache 1000 --open-file-cache-valid 1 --precompressed "${@:3}" >"$log" 2>&1 &
  p=$!
  pids+=("$p")
  pid_of[$t]=$p
  for _ in $(seq 300); do
    port[$t]=$(sed -n 's|.*listening on https\{0,1\}://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log")
    [ -n "${port[$t]}" ] && return 0
    kill -0 "$p" 2>/dev/null || break
    sleep 0.1
  done
  echo "http.sh: the file server on $t did not start:" >&2
  cat "$log" >&2
  return 1
}

# nginx, one worker, the data set's directory as root, no logs; DIRECTIVES go into the location, LISTEN
# after the listener's address (e.g. "ssl http2"), SERVER into the server block.
start_nginx() { # name binary directives [listen [server]]
  local name=$1 bin=$2 dir=$out/nginx-$1 p t
  local static="gzip_static on;"
  [ "$bin" = "$nginx_file_aio" ] && static=""  # built without the module
  rm -rf "$dir"
  mkdir -p "$dir"
  port[$name]=$(free_port)
  local user=
  [ "$(id -u)" = 0 ] && user="user root;"
  cat >"$dir/nginx.conf" <<EOF
$user
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 300;
  keepalive_requests 100000000;
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 1s;
  $static
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
    listen 127.0.0.1:${port[$name]} ${4:-};
    root $www;
    ${5:-}
    location / { $3 }
  }
}
EOF
  "$bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout.log" 2>&1 &
  p=$!
  pids+=("$p")
  pid_of[$name]=$p
  wait_for_port "${port[$name]}" "$p" || { echo "http.sh: nginx $name did not start:" >&2; cat "$dir"/*.log >&2; return 1; }
}

stop() { # system
  local p=${pid_of[$1]}
  kill "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}

# Debian's nginx is built without --with-file-aio ("aio on" is "unsupported on this platform"). Rebuild the
# same Debian source package with it (minus the modules that would need more -dev packages), once.
nginx_file_aio=$here/target/nginx-file-aio/sbin/nginx
build_nginx_file_aio() {
  [ -x "$nginx_file_aio" ] && return 0
  ensure_commands dpkg-source:dpkg-dev gcc:gcc make:make
  local build=$here/target/nginx-file-aio-build version
  rm -rf "$build"
  mkdir -p "$build/lists/partial"
  cat >"$build/sources.list" <<'EOF'
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian-security bookworm-security main
deb-src http://deb.debian.org/debian bookworm-updates main
EOF
  local apt=(apt-get -q -o "Dir::Etc::SourceList=$build/sources.list" -o Dir::Etc::SourceParts=/dev/null
             -o "Dir::State::Lists=$build/lists")
  echo "# building nginx with --with-file-aio from Debian's source package" >&2
  "${apt[@]}" update >&2
  version=$(dpkg-query -W -f='${Version}' nginx 2>/dev/null || true)
  (cd "$build" && { "${apt[@]}" source "nginx=$version" >&2 || "${apt[@]}" source nginx/bookworm >&2; })
  (cd "$build"/nginx-*/ &&
     ./configure --prefix="$here/target/nginx-file-aio" --with-threads --with-file-aio \
         --without-http_rewrite_module --without-http_gzip_module >&2 &&
     make -j"$(nproc)" >&2 && make install >&2)
  [ -x "$nginx_file_aio" ]
}

# ------------------------------------------------------------------------------------------------ wrk
# Runs wrk; prints its report line as "requests=.. duration_us=.. ... max=..".
run_wrk() { # conns seconds url [script args...]
  wrk -t1 -c"$1" -d"$2"s --timeout 30s -s "$lua" "$3" -- "${@:4}" | sed -n 's/^wrk //p'
}
field() { sed -n "s/.*\<$1=\([0-9]*\).*/\1/p" <<<"$2"; }

# Runs h2load for SECONDS on CONNS connections, STREAMS streams each; prints "requests=.. rate=.. failed=..".
run_h2load() { # conns streams seconds url
  h2load -t1 -c"$1" -m"$2" -D"$3" "$4" 2>&1 | python3 -c '
import re, sys
text = sys.stdin.read()
m = re.search(r"finished in ([\d.]+)s, ([\d.]+) req/s", text)
r = re.search(r"requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored", text)
if not m or not r:
    sys.exit("h2load: " + text)
print("requests=%s rate=%d failed=%d" % (r.group(3), float(m.group(2)), int(r.group(4)) + int(r.group(5))))'
}

# ------------------------------------------------------------------------------------------------ data
mkdir -p "$www/cold"
[ -f "$www/4KiB.bin" ] || head -c 4096 /dev/urandom >"$www/4KiB.bin"
[ -f "$www/1MiB.bin" ] || head -c 1048576 /dev/urandom >"$www/1MiB.bin"
if [ "$mode" != hot ] && [ "$mode" != meta ] && [ ! -f "$www/cold/f$(printf %04d $((cold_files - 1))).bin" ]; then
  echo "# writing the cold data set: $cold_files files of 1 MiB under $www/cold" >&2
  python3 - "$www/cold" "$cold_files" <<'PY'
import os, sys
for i in range(int(sys.argv[2])):
    path = os.path.join(sys.argv[1], "f%04d.bin" % i)
    with open(path + ".tmp", "wb") as f:
        f.write(os.urandom(1 << 20))
        f.flush()
        os.fsync(f.fileno())  # clean pages only: DONTNEED can drop them
    os.rename(path + ".tmp", path)
PY
fi
cat "$www/4KiB.bin" "$www/1MiB.bin" >/dev/null  # the hot files in the page cache

echo "# http: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2);" \
     "$(nginx -v 2>&1 | cut -d' ' -f3)" >&2
if [ "$mode" = hot ] || [ "$mode" = cold ] || [ "$mode" = all ]; then
  for t in "${transports[@]}"; do
    start_file_server "$t"
  done
  for t in "${transports[@]}"; do
    check_serves "$t" "${port[$t]}" /4KiB.bin
  done
fi
if [ "$mode" = meta ]; then
  for t in "${meta_transports[@]}"; do
    start_file_server "$t"
    check_serves "$t" "${port[$t]}" /4KiB.bin
  done
fi

# One certificate for every server over TLS.
tls_dir=$out/tls
if [ "$mode" = tls ] || [ "$mode" = tls-cold ] || [ "$mode" = all ]; then
  mkdir -p "$tls_dir"
  [ -f "$tls_dir/cert.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tls_dir/key.pem" \
      -out "$tls_dir/cert.pem" -days 365 -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
fi
tls_nginx_listen="ssl http2"
tls_nginx_server="ssl_certificate $tls_dir/cert.pem; ssl_certificate_key $tls_dir/key.pem; ssl_protocols TLSv1.3;
    ssl_session_cache shared:SSL:10m;"
# The protocol and cipher a server negotiates with OpenSSL's defaults (wrk's and h2load's library).
print_cipher() { # system port
  echo "# tls $1: $(openssl s_client -connect "127.0.0.1:$2" -alpn h2 </dev/null 2>/dev/null \
      | sed -n 's/^New, \(.*\)/\1/p; s/^ALPN protocol: \(.*\)/ALPN \1/p' | tr '\n' ' ')" >&2
}

# CPU time (user + system, clock ticks) of a server: its process, all threads, and its child processes (nginx's
# worker). Per request it shows what each server spends, which a machine shared with other work distorts less
# than the request rate.
cpu_ticks() { # pid
  local p total=0
  for p in "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    total=$((total + $(awk '{print $14 + $15}' /proc/"$p"/stat 2>/dev/null || echo 0)))
  done
  echo "$total"
}
ticks_per_second=$(getconf CLK_TCK)

ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print('%.3f' % (a / b) if b else 'n/a')" "$@"; }

# Rotates a list by N: the order of the systems in round N.
rotate() { local n=$1; shift; local a=("$@"); local i; for i in "${!a[@]}"; do echo "${a[$(((i + n) % ${#a[@]}))]}"; done; }

# ------------------------------------------------------------------------------------------------ hot
hot() {
  local systems=("${transports[@]}" nginx) s f r line rate
  start_nginx nginx "$(command -v nginx)" ""
  check_serves nginx "${port[nginx]}" /1MiB.bin
  declare -A best errors cpu
  # Warm-up on both files: the JIT compiles each server's paths for ~10 s of this load (C2's CPU time is
  # counted in the server's, and it competes for the 2 cores otherwise), nginx opens its pages.
  for s in "${systems[@]}"; do
    run_wrk "$conns" "$warmup" "http://127.0.0.1:${port[$s]}/4KiB.bin" >/dev/null
    run_wrk "$conns" "$warmup" "http://127.0.0.1:${port[$s]}/1MiB.bin" >/dev/null
  done
  for r in $(seq 0 $((rounds - 1))); do
    for f in 4KiB 1MiB; do
      for s in $(rotate "$r" "${systems[@]}"); do
        local ticks
        ticks=$(cpu_ticks "${pid_of[$s]}")
        line=$(run_wrk "$conns" "$seconds" "http://127.0.0.1:${port[$s]}/$f.bin")
        ticks=$(($(cpu_ticks "${pid_of[$s]}") - ticks))
        rate=$(python3 -c "print(round($(field requests "$line") * 1e6 / $(field duration_us "$line")))")
        local us
        us=$(python3 -c "print('%.1f' % ($ticks * 1e6 / $ticks_per_second / $(field requests "$line")))")
        echo "# hot $f round $((r + 1)) $s: ${rate} req/s, server CPU ${us} us/request, $line" >&2
        if [ "$rate" -gt "${best[$f.$s]:-0}" ]; then
          best[$f.$s]=$rate
          cpu[$f.$s]=$us
        fi
        errors[$f.$s]=$(( ${errors[$f.$s]:-0} + $(field errors "$line") ))
      done
    done
  done
  stop nginx
  for f in 4KiB 1MiB; do
    line="http-hot $f"
    for s in "${systems[@]}"; do
      line+=" $s=${best[$f.$s]}req/s"
      [ "${errors[$f.$s]}" = 0 ] || line+="(errors=${errors[$f.$s]})"
    done
    line+=" ratio=$(ratio "${best[$f.aio]:-0}" "${best[$f.epoll]:-0}")"
    line+=" nginx_ratio=$(ratio "${best[$f.aio]:-0}" "${best[$f.nginx]}") conns=$conns"
    echo "$line"
    line="http-hot $f-cpu"
    for s in "${systems[@]}"; do
      line+=" $s=${cpu[$f.$s]}us/req"
    done
    echo "$line ratio=$(ratio "${cpu[$f.aio]}" "${cpu[$f.epoll]}") nginx_ratio=$(ratio "${cpu[$f.aio]}" "${cpu[$f.nginx]}")"
  done
}

# ------------------------------------------------------------------------------------------------ cold
cold() {
  local systems=("${transports[@]}" nginx nginx_threads) s r hot_line cold_line
  local -A directives=([nginx]="" [nginx_threads]="aio threads;"
                       [nginx_directio]="aio on; directio 64k; output_buffers 4 64k;")
  local -A binary=([nginx]=$(command -v nginx) [nginx_threads]=$(command -v nginx))
  if build_nginx_file_aio; then
    systems+=(nginx_directio)
    binary[nginx_directio]=$nginx_file_aio
  else
    echo "# nginx_directio skipped: could not build nginx with --with-file-aio" >&2
  fi
  python3 "$here/http/evict.py" "$www/cold" 0.05 &
  evictor=$!
  declare -A best_p99 hot_of cold_of
  for r in $(seq 0 $((cold_rounds - 1))); do
    for s in $(rotate "$r" "${systems[@]}"); do
      case $s in
        nginx*) start_nginx "$s" "${binary[$s]}" "${directives[$s]}"
                check_serves "$s" "${port[$s]}" /cold/f0000.bin ;;
        *) if [ "$r" = 0 ]; then  # the JIT's warm-up, on the cold path too
             run_wrk "$cold_clients" "$warmup" "http://127.0.0.1:${port[$s]}/" random "$cold_files" /cold/f >/dev/null &
             run_wrk "$hot_clients" "$warmup" "http://127.0.0.1:${port[$s]}/4KiB.bin" >/dev/null
             wait $!
           fi ;;
      esac
      python3 "$here/http/evict.py" "$www/cold"
      run_wrk "$cold_clients" $((cold_seconds + 1)) "http://127.0.0.1:${port[$s]}/" random "$cold_files" /cold/f \
          >"$out/cold-$s.txt" &
      local cold_pid=$!
      sleep 0.5
      hot_line=$(run_wrk "$hot_clients" "$cold_seconds" "http://127.0.0.1:${port[$s]}/4KiB.bin")
      wait "$cold_pid"
      cold_line=$(cat "$out/cold-$s.txt")
      case $s in nginx*) stop "$s" ;; esac
      echo "# cold round $((r + 1)) $s: hot $hot_line; cold $cold_line" >&2
      local p99
      p99=$(field p99 "$hot_line")
      if [ -z "${best_p99[$s]:-}" ] || [ "$p99" -lt "${best_p99[$s]}" ]; then
        best_p99[$s]=$p99
        hot_of[$s]=$hot_line
        cold_of[$s]=$cold_line
      fi
    done
  done
  kill "$evictor" 2>/dev/null || true
  wait "$evictor" 2>/dev/null || true
  evictor=
  python3 - "${systems[@]}" <<PY
import re, sys
systems = sys.argv[1:]
hot = {$(for s in "${systems[@]}"; do printf '"%s": "%s", ' "$s" "${hot_of[$s]}"; done)}
cold = {$(for s in "${systems[@]}"; do printf '"%s": "%s", ' "$s" "${cold_of[$s]}"; done)}
def f(line, key):
    return float(re.search(r"\b%s=(\d+)" % key, line).group(1))
def emit(case, value, fmt, lower_is_better):
    figures = {s: value(s) for s in systems}
    cells = " ".join("%s=%s" % (s, fmt(figures[s])) for s in systems)
    ratio = figures["aio"] / figures["epoll"] if figures.get("epoll") else float("nan")
    print("http-cold %s %s ratio=%.3f" % (case, cells, ratio))
ms = lambda v: "%.3gms" % (v / 1000)
for key, name in (("p50", "hot-p50"), ("p90", "hot-p90"), ("p99", "hot-p99"), ("p999", "hot-p99.9")):
    emit(name, lambda s, k=key: f(hot[s], k), ms, True)
emit("hot-req/s", lambda s: f(hot[s], "requests") * 1e6 / f(hot[s], "duration_us"), lambda v: "%.0freq/s" % v, False)
emit("cold-MiB/s", lambda s: f(cold[s], "bytes") / f(cold[s], "duration_us") * 1e6 / 1048576,
     lambda v: "%.0fMiB/s" % v, False)
for s in systems:
    errors = f(hot[s], "errors") + f(cold[s], "errors")
    if errors:
        print("# http-cold %s: %d errors" % (s, errors), file=sys.stderr)
PY
}

# ------------------------------------------------------------------------------------------------ tls
start_tls_systems() { # the file server on each TLS transport, and nginx with ssl http2
  local t
  for t in "${tls_transports[@]}"; do
    start_file_server_as "tls-$t" "$t" --tls-cert "$tls_dir/cert.pem" --tls-key "$tls_dir/key.pem"
    check_serves "tls-$t" "${port[tls-$t]}" /4KiB.bin https
    print_cipher "$t" "${port[tls-$t]}"
  done
}

tls() {
  local systems=() s f r line rate ticks us t
  start_tls_systems
  for t in "${tls_transports[@]}"; do systems+=("tls-$t"); done
  start_nginx tls-nginx "$(command -v nginx)" "" "$tls_nginx_listen" "$tls_nginx_server"
  check_serves tls-nginx "${port[tls-nginx]}" /4KiB.bin https
  print_cipher nginx "${port[tls-nginx]}"
  systems+=(tls-nginx)
  declare -A best errors cpu
  for s in "${systems[@]}"; do
    run_wrk "$conns" "$warmup" "https://127.0.0.1:${port[$s]}/4KiB.bin" >/dev/null
    run_wrk "$conns" "$warmup" "https://127.0.0.1:${port[$s]}/1MiB.bin" >/dev/null
    run_h2load "$conns" "$h2_streams" "$warmup" "https://127.0.0.1:${port[$s]}/4KiB.bin" >/dev/null
  done
  for r in $(seq 0 $((rounds - 1))); do
    for f in 4KiB 1MiB h2-4KiB; do
      for s in $(rotate "$r" "${systems[@]}"); do
        ticks=$(cpu_ticks "${pid_of[$s]}")
        if [ "$f" = h2-4KiB ]; then
          line=$(run_h2load "$conns" "$h2_streams" "$seconds" "https://127.0.0.1:${port[$s]}/4KiB.bin")
          rate=$(field rate "$line")
          errors[$f.$s]=$(( ${errors[$f.$s]:-0} + $(field failed "$line") ))
        else
          line=$(run_wrk "$conns" "$seconds" "https://127.0.0.1:${port[$s]}/$f.bin")
          rate=$(python3 -c "print(round($(field requests "$line") * 1e6 / $(field duration_us "$line")))")
          errors[$f.$s]=$(( ${errors[$f.$s]:-0} + $(field errors "$line") ))
        fi
        ticks=$(($(cpu_ticks "${pid_of[$s]}") - ticks))
        us=$(python3 -c "print('%.1f' % ($ticks * 1e6 / $ticks_per_second / $(field requests "$line")))")
        echo "# tls $f round $((r + 1)) $s: ${rate} req/s, server CPU ${us} us/request, $line" >&2
        if [ "$rate" -gt "${best[$f.$s]:-0}" ]; then
          best[$f.$s]=$rate
          cpu[$f.$s]=$us
        fi
      done
    done
  done
  for s in "${systems[@]}"; do stop "$s"; done
  for f in 4KiB 1MiB h2-4KiB; do
    local label="http-tls $f"
    [ "$f" = h2-4KiB ] && label="http-h2 4KiB"
    line=$label
    for s in "${systems[@]}"; do
      line+=" ${s#tls-}=${best[$f.$s]}req/s"
      [ "${errors[$f.$s]}" = 0 ] || line+="(errors=${errors[$f.$s]})"
    done
    echo "$line nginx_ratio=$(ratio "${best[$f.tls-aio]:-0}" "${best[$f.tls-nginx]}") conns=$conns"
    line="$label-cpu"
    for s in "${systems[@]}"; do line+=" ${s#tls-}=${cpu[$f.$s]}us/req"; done
    echo "$line nginx_ratio=$(ratio "${cpu[$f.tls-aio]:-0}" "${cpu[$f.tls-nginx]}")"
  done
}

tls_cold() {
  local systems=() s r t hot_line cold_line p99
  local -A directives=([tls-nginx]="" [tls-nginx_threads]="aio threads;")
  start_tls_systems
  for t in "${tls_transports[@]}"; do systems+=("tls-$t"); done
  systems+=(tls-nginx tls-nginx_threads)
  python3 "$here/http/evict.py" "$www/cold" 0.05 &
  evictor=$!
  declare -A best_p99 hot_of cold_of
  for r in $(seq 0 $((cold_rounds - 1))); do
    for s in $(rotate "$r" "${systems[@]}"); do
      case $s in
        tls-nginx*) start_nginx "$s" "$(command -v nginx)" "${directives[$s]}" "$tls_nginx_listen" "$tls_nginx_server"
                    check_serves "$s" "${port[$s]}" /cold/f0000.bin https ;;
        *) if [ "$r" = 0 ]; then
             run_wrk "$cold_clients" "$warmup" "https://127.0.0.1:${port[$s]}/" random "$cold_files" /cold/f >/dev/null &
             run_wrk "$hot_clients" "$warmup" "https://127.0.0.1:${port[$s]}/4KiB.bin" >/dev/null
             wait $!
           fi ;;
      esac
      python3 "$here/http/evict.py" "$www/cold"
      run_wrk "$cold_clients" $((cold_seconds + 1)) "https://127.0.0.1:${port[$s]}/" random "$cold_files" /cold/f \
          >"$out/tls-cold-$s.txt" &
      local cold_pid=$!
      sleep 0.5
      hot_line=$(run_wrk "$hot_clients" "$cold_seconds" "https://127.0.0.1:${port[$s]}/4KiB.bin")
      wait "$cold_pid"
      cold_line=$(cat "$out/tls-cold-$s.txt")
      case $s in tls-nginx*) stop "$s" ;; esac
      echo "# tls-cold round $((r + 1)) $s: hot $hot_line; cold $cold_line" >&2
      p99=$(field p99 "$hot_line")
      if [ -z "${best_p99[$s]:-}" ] || [ "$p99" -lt "${best_p99[$s]}" ]; then
        best_p99[$s]=$p99
        hot_of[$s]=$hot_line
        cold_of[$s]=$cold_line
      fi
    done
  done
  kill "$evictor" 2>/dev/null || true
  wait "$evictor" 2>/dev/null || true
  evictor=
  for t in "${tls_transports[@]}"; do stop "tls-$t"; done
  local line key
  for key in p50 p99 p999; do
    line="http-tls-cold hot-$key"
    for s in "${systems[@]}"; do
      line+=" ${s#tls-}=$(python3 -c "print('%.3gms' % ($(field "$key" "${hot_of[$s]}") / 1000))")"
    done
    echo "$line ratio=$(ratio "$(field "$key" "${hot_of[tls-aio]}")" "$(field "$key" "${hot_of[tls-epoll]}")")" \
         "nginx_threads_ratio=$(ratio "$(field "$key" "${hot_of[tls-aio]}")" "$(field "$key" "${hot_of[tls-nginx_threads]}")")"
  done
  line="http-tls-cold cold-MiB/s"
  for s in "${systems[@]}"; do
    line+=" ${s#tls-}=$(python3 -c "print('%.0fMiB/s' % ($(field bytes "${cold_of[$s]}") / $(field duration_us "${cold_of[$s]}") * 1e6 / 1048576))")"
  done
  echo "$line"
}

# ------------------------------------------------------------------------------------------------ meta
# The tree of small files the walk reads: META_FILES files of 512 bytes, 1000 per directory, written once (a
# marker names the count) and synced, so that dropping the caches leaves no dirty inode pinned.
write_meta_tree() {
  local tree=$www/meta
  meta_tree=$tree
  [ -f "$tree/.complete-$meta_files" ] && return 0
  rm -rf "$tree"
  echo "# writing the metadata tree: $meta_files files of 512 bytes under $tree" >&2
  python3 - "$tree" "$meta_files" <<'PY'
import os, sys
root, count = sys.argv[1], int(sys.argv[2])
data = os.urandom(512)
for i in range(count):
    d = os.path.join(root, "d%03d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    fd = os.open(os.path.join(d, "f%06d.bin" % i), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
PY
  sync
  : >"$tree/.complete-$meta_files"
}

# META_DROP=2 drops the dentries and inodes only: the blocks holding the directories and the inode tables stay in
# the block device's page cache, so a "cold" lookup re-reads them from memory and never waits for the disk.
# META_DROP=3 (the default) drops the page cache too, so the walk's lookups read the disk. The disk's sectors read
# during each walk are printed with its round, to show which it was.
drop_dentries_and_inodes() {
  sync
  echo "$meta_drop" >/proc/sys/vm/drop_caches
}

# Sectors read so far from the device holding the tree (/proc/diskstats, field 6).
sectors_read() {
  local dev
  dev=$(basename "$(df --output=source "$www" | tail -1)")
  awk -v d="$dev" '$3 == d { print $6 }' /proc/diskstats
}

meta() {
  if [ "$(id -u)" != 0 ]; then
    echo "# http-meta skipped: dropping the dentry and inode caches needs root" >&2
    return 0
  fi
  local systems=("${meta_transports[@]}" nginx) s r hot_line walk_line p99
  write_meta_tree
  declare -A best_p99 hot_of walk_of
  for r in $(seq 0 $((meta_rounds - 1))); do
    for s in $(rotate "$r" "${systems[@]}"); do
      case $s in
        nginx) start_nginx nginx "$(command -v nginx)" ""
               check_serves nginx "${port[nginx]}" /4KiB.bin ;;
        *) if [ "$r" = 0 ]; then  # the JIT's warm-up on the walk's path (its files warm after, dropped below)
             run_wrk "$meta_cold_clients" "$warmup" "http://127.0.0.1:${port[$s]}/" tree "$meta_files" /meta >/dev/null &
             run_wrk "$meta_hot_clients" "$warmup" "http://127.0.0.1:${port[$s]}/4KiB.bin" >/dev/null
             wait $!
           fi ;;
      esac
      drop_dentries_and_inodes
      check_serves "$s" "${port[$s]}" /4KiB.bin  # the hot file back in the page cache before the clock starts
      local sectors_before
      sectors_before=$(sectors_read)
      run_wrk "$meta_cold_clients" $((meta_seconds + 1)) "http://127.0.0.1:${port[$s]}/" tree "$meta_files" /meta \
          >"$out/meta-$s.txt" &
      local walk_pid=$!
      sleep 0.5
      hot_line=$(run_wrk "$meta_hot_clients" "$meta_seconds" "http://127.0.0.1:${port[$s]}/4KiB.bin")
      wait "$walk_pid"
      walk_line=$(cat "$out/meta-$s.txt")
      [ "$s" = nginx ] && stop nginx
      echo "# meta round $((r + 1)) $s: hot $hot_line; walk $walk_line; disk read $((($(sectors_read) - sectors_before) / 2048)) MiB" >&2
      p99=$(field p99 "$hot_line")
      if [ -z "${best_p99[$s]:-}" ] || [ "$p99" -lt "${best_p99[$s]}" ]; then
        best_p99[$s]=$p99
        hot_of[$s]=$hot_line
        walk_of[$s]=$walk_line
      fi
    done
  done
  for s in "${meta_transports[@]}"; do
    stop "$s"
    # The server's own count of lookups answered on its loop and sent to its lookup threads.
    echo "# meta $s: $(sed -n 's/.*; lookups: /lookups: /p' "$out/server-$s.log")" >&2
  done
  python3 - "${systems[@]}" <<PY
import re, sys
systems = sys.argv[1:]
hot = {$(for s in "${systems[@]}"; do printf '"%s": "%s", ' "$s" "${hot_of[$s]}"; done)}
walk = {$(for s in "${systems[@]}"; do printf '"%s": "%s", ' "$s" "${walk_of[$s]}"; done)}
first = systems[0]
def f(line, key):
    return float(re.search(r"\b%s=(\d+)" % key, line).group(1))
def emit(case, value, fmt):
    figures = {s: value(s) for s in systems}
    cells = " ".join("%s=%s" % (s, fmt(figures[s])) for s in systems)
    ratio = figures[first] / figures["nginx"] if figures["nginx"] else float("nan")
    print("http-meta %s %s ratio=%.3f files=%d" % (case, cells, ratio, $meta_files))
ms = lambda v: "%.3gms" % (v / 1000)
for key, name in (("p50", "hot-p50"), ("p99", "hot-p99"), ("p999", "hot-p99.9")):
    emit(name, lambda s, k=key: f(hot[s], k), ms)
emit("walk-req/s", lambda s: f(walk[s], "requests") * 1e6 / f(walk[s], "duration_us"), lambda v: "%.0freq/s" % v)
for s in systems:
    errors = f(hot[s], "errors") + f(walk[s], "errors")
    if errors:
        print("# http-meta %s: %d errors" % (s, errors), file=sys.stderr)
PY
}

case $mode in
  hot) hot ;;
  meta) meta ;;
  cold) cold ;;
  tls) tls ;;
  tls-cold) tls_cold ;;
  all) hot; cold; tls; tls_cold ;;
esac

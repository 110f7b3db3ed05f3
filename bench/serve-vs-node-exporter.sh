#!/usr/bin/env bash
# serve-vs-node-exporter.sh: what a Prometheus scrape costs, rstat serve next to node_exporter
# (Debian package prometheus-node-exporter), on the same machine at the same time.
#
# Starts, on 127.0.0.1 with free ports:
#   prometheus-node-exporter                          (its default collectors)
#   rstat serve --dir OUT/data   + rstat collect -i INTERVAL into OUT/data   (the packaged way)
#   rstat serve --live --interval INTERVAL                                   (no collector)
# then scrapes each of the three N times (default 20), one scrape every INTERVAL seconds
# (default 15: Prometheus' usual scrape interval; each scrape of the file-reading serve sees a
# new sample), and reports per exporter:
# - CPU ms per scrape: utime+stime from /proc/PID/stat over the run / N (for --live this
#   includes its own sampling; for the file-reading serve, the collector's CPU is shown
#   apart: it runs anyway, for the history);
# - peak RSS: VmHWM from /proc/PID/status at the end;
# - bytes per scrape (uncompressed).
# Ratios are rstat/node_exporter. The results are also written to bench/out/last-serve.txt.
#
# Usage:  bench/serve-vs-node-exporter.sh [N]
#   env:  INTERVAL=SECONDS   scrape and collection interval (default 15)
#         RSTAT_BIN=PATH     use this rstat binary instead of building one
set -euo pipefail
export LC_ALL=C

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

N=${1:-${N:-20}}
INTERVAL=${INTERVAL:-15}
command -v prometheus-node-exporter >/dev/null ||
  { say "bench: install prometheus-node-exporter first (apt-get install -y prometheus-node-exporter)"; exit 1; }
build_rstat

OUT_DIR=$BENCH_DIR/out/serve
rm -rf "$OUT_DIR" && mkdir -p "$OUT_DIR/data"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

node_port=$(free_port)
prometheus-node-exporter --web.listen-address="127.0.0.1:$node_port" >"$OUT_DIR/node.log" 2>&1 &
node_pid=$!; pids+=("$node_pid")
"$RSTAT" collect --no-processes --no-cgroups -i "${INTERVAL}s" --dir "$OUT_DIR/data" >"$OUT_DIR/collect.log" 2>&1 &
collect_pid=$!; pids+=("$collect_pid")
sleep 1
file_port=$(free_port)
"$RSTAT" serve --dir "$OUT_DIR/data" --listen "127.0.0.1:$file_port" >"$OUT_DIR/serve.log" 2>&1 &
file_pid=$!; pids+=("$file_pid")
live_port=$(free_port)
"$RSTAT" serve --live --interval "${INTERVAL}s" --listen "127.0.0.1:$live_port" >"$OUT_DIR/live.log" 2>&1 &
live_pid=$!; pids+=("$live_pid")
sleep 2

# utime+stime of PID in clock ticks.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

declare -A before bytes
for name in node file live collect; do
  pid_var=${name}_pid
  before[$name]=$(ticks "${!pid_var}")
  bytes[$name]=0
done
say "bench: $N scrapes of each, one every ${INTERVAL}s"
for ((i = 1; i <= N; i++)); do
  for name in node file live; do
    port_var=${name}_port
    b=$(curl -s "http://127.0.0.1:${!port_var}/metrics" | wc -c)
    bytes[$name]=$((bytes[$name] + b))
  done
  [ "$i" -lt "$N" ] && sleep "$INTERVAL"
done

report=$BENCH_DIR/out/last-serve.txt
{
  printf 'scrapes: %d, one every %ss (collection interval %ss)\n' "$N" "$INTERVAL" "$INTERVAL"
  printf '%-34s %14s %12s %14s\n' exporter 'CPU ms/scrape' 'peak RSS MB' 'bytes/scrape'
  for name in node file live; do
    pid_var=${name}_pid
    spent=$(( $(ticks "${!pid_var}") - before[$name] ))
    rss=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/${!pid_var}/status")
    label=$name
    [ "$name" = node ] && label="node_exporter 1.x"
    [ "$name" = file ] && label="rstat serve (collector's file)"
    [ "$name" = live ] && label="rstat serve --live"
    awk -v l="$label" -v s="$spent" -v hz="$hz" -v n="$N" -v r="$rss" -v b="${bytes[$name]}" \
      'BEGIN { printf "%-34s %14.2f %12s %14d\n", l, s * 1000 / hz / n, r, b / n }'
    eval "cpu_$name=$spent"
  done
  spent=$(( $(ticks "$collect_pid") - before[collect] ))
  awk -v s="$spent" -v hz="$hz" -v n="$N" 'BEGIN { printf "%-34s %14.2f (per sample, apart)\n", "rstat collect (the sampler)", s * 1000 / hz / n }'
  # shellcheck disable=SC2154 # set by eval above
  awk -v f="$cpu_file" -v l="$cpu_live" -v n="$cpu_node" 'BEGIN {
    if (n > 0) printf "ratio rstat/node_exporter CPU per scrape: serve %.3fx, serve --live %.3fx\n", f / n, l / n
    else print "node_exporter used under one clock tick: run with a larger N" }'
  echo "(clock ticks of 1/$hz s: figures below 10 ms per scrape need N large enough to add up)"
} | tee "$report"

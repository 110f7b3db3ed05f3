#!/usr/bin/env bash
# push-day.sh: how long `rstat push` takes to send a full day of 1-second samples (86,400)
# to a local VictoriaMetrics (Debian package victoria-metrics), and its peak RSS (the
# backlog must not grow it).
#
# 1. Makes a day file of N samples (default 86,400) of this machine, system activities only
#    (rstat collect -i 1ms --count N --no-processes --no-cgroups: the samples come 1 ms apart
#    instead of 1 s so that the file is made in a minute, not a day; every sample holds the
#    same tables as a 1-second one, so the series and points sent are the same).
# 2. Starts victoria-metrics on 127.0.0.1 (free port, temporary storage).
# 3. Runs `rstat push --once` from an empty state under /usr/bin/time -v: wall time, CPU and
#    peak RSS, and VictoriaMetrics' CPU meanwhile; then checks with a query that all N
#    samples arrived.
# Results also go to bench/out/last-push.txt.
#
# Usage:  bench/push-day.sh [N]
#   env:  BATCH=SAMPLES    --batch-size (default: push's default)
#         KEEP_DATA=1      keep the day files of an earlier run and collect only the samples
#                          missing to N (collecting 86,400 takes minutes on a slow machine)
#         RSTAT_BIN=PATH   use this rstat binary instead of building one
set -euo pipefail
export LC_ALL=C

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

N=${1:-${N:-86400}}
command -v victoria-metrics >/dev/null ||
  { say "bench: install victoria-metrics first (apt-get install -y victoria-metrics)"; exit 1; }
[ -x /usr/bin/time ] || ensure_tools
build_rstat

OUT_DIR=$BENCH_DIR/out/push
if [ -n "${KEEP_DATA:-}" ]; then
  rm -rf "$OUT_DIR/vm" "$OUT_DIR/push.state" && mkdir -p "$OUT_DIR/data" "$OUT_DIR/vm"
else
  rm -rf "$OUT_DIR" && mkdir -p "$OUT_DIR/data" "$OUT_DIR/vm"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# Samples already in the day files (a midnight during collection makes two: the second
# starts with a copy of the first's last sample, not counted).
have_samples() {
  local total=0 n
  for f in "$OUT_DIR"/data/*.rstat; do
    [ -e "$f" ] || continue
    n=$("$RSTAT" info "$f" | awk '/^samples:/ { print $2 }')
    total=$((total + n))
  done
  echo "$total"
}
have=$(have_samples)
if [ "$have" -lt "$N" ]; then
  say "bench: collecting $((N - have)) samples into $OUT_DIR/data"
  "$RSTAT" collect --no-processes --no-cgroups -i 1ms --count "$((N - have))" --dir "$OUT_DIR/data"
fi
for f in "$OUT_DIR"/data/*.rstat; do "$RSTAT" info "$f" | grep -E '^(file|samples|size):' >&2; done

victoria-metrics -storageDataPath="$OUT_DIR/vm" -httpListenAddr="127.0.0.1:$port" \
  -retentionPeriod=1d -search.latencyOffset=0s -loggerLevel=ERROR >"$OUT_DIR/vm.log" 2>&1 &
vm_pid=$!
trap 'kill $vm_pid 2>/dev/null || true; wait $vm_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.2
done

# CPU seconds (user+system) VictoriaMetrics has used so far, from /proc/PID/stat.
vm_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f\n", ($14 + $15) / hz }' "/proc/$vm_pid/stat"
}
vm_cpu_before=$(vm_cpu_seconds)

batch_args=()
[ -n "${BATCH:-}" ] && batch_args=(--batch-size "$BATCH")
say "bench: rstat push --once to VictoriaMetrics on 127.0.0.1:$port"
/usr/bin/time -v -o "$OUT_DIR/time.txt" "$RSTAT" push --once --url "http://127.0.0.1:$port/api/v1/write" \
  --dir "$OUT_DIR/data" --state "$OUT_DIR/push.state" "${batch_args[@]}" 2>"$OUT_DIR/push.log"
vm_cpu=$(awk -v a="$vm_cpu_before" -v b="$(vm_cpu_seconds)" 'BEGIN { printf "%.1f", b - a }')
curl -s "http://127.0.0.1:$port/internal/force_flush" >/dev/null
sleep 2
arrived=$(curl -s "http://127.0.0.1:$port/api/v1/query" \
  --data-urlencode 'query=count_over_time(rstat_sample_timestamp_seconds[2d])' |
  python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)')
series=$(curl -s "http://127.0.0.1:$port/api/v1/series/count" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0])')

report=$BENCH_DIR/out/last-push.txt
{
  printf 'samples in the day files: %s; series: %s\n' "$(have_samples)" "$series"
  printf 'rstat push --once: %s s wall, %s s CPU (user+sys), peak RSS %s MB\n' \
    "$(time_field "$OUT_DIR/time.txt" 'Elapsed (wall clock)')" \
    "$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$OUT_DIR/time.txt")" \
    "$(awk -v kb="$(time_field "$OUT_DIR/time.txt" 'Maximum resident set size')" 'BEGIN { printf "%.1f", kb / 1024 }')"
  printf 'VictoriaMetrics CPU (user+sys) during the push: %s s\n' "$vm_cpu"
  printf 'samples VictoriaMetrics holds afterwards: %s of %s\n' "$arrived" "$N"
} | tee "$report"

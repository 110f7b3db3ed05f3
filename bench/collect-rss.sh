#!/usr/bin/env bash
# collect-rss.sh: where the collector's peak memory is with many processes (issue 10's goal:
# under 8 MB with 3,000 processes), split into anonymous and file-backed pages.
#
# Builds rstat (cargo build --release -p rstat, or RSTAT_BIN=PATH), starts EXTRA sleeping
# processes (default 3000; killed at the end), then RUNS times (default 2): drops the
# binary's pages from the page cache (so that every run maps it the same way: the kernel maps
# the cached pages around each page touched, so a warm cache shows more file-backed RSS), runs
#   rstat collect -i 1 -c 6 --file OUT/rss-N.rstat
# under /usr/bin/time -v and polls /proc/PID/status every 20 ms. Prints, per run: the
# processes, peak RSS (/usr/bin/time), peak RssAnon and RssFile (polled: a peak shorter than
# 20 ms can be missed), CPU ms per sample (/usr/bin/time, 10 ms resolution) and the file's
# bytes. Results: bench/out/last-rss.txt. Exits 0 unless a command fails.
#
# Usage:  bench/collect-rss.sh [EXTRA [RUNS]]
#   env:  RSTAT_BIN=PATH   measure this binary (e.g. an earlier build) instead of building
#         OUT=DIR          where the data files go (default bench/out/rss)
set -euo pipefail
export LC_ALL=C

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EXTRA=${1:-3000}
RUNS=${2:-2}
OUT=${OUT:-$BENCH_DIR/out/rss}
RESULTS=$BENCH_DIR/out/last-rss.txt
SAMPLES=6

for value in "$EXTRA" "$RUNS"; do
  case $value in '' | *[!0-9]*)
    say "bench: EXTRA and RUNS must be numbers, got '$value'"
    exit 2
    ;;
  esac
done

ensure_tools
build_rstat
mkdir -p "$OUT" "$BENCH_DIR/out"

trap stop_sleepers EXIT
start_sleepers "$EXTRA"
sleep 1

# status_kb PID FIELD: a field of /proc/PID/status in kB (0 once the process is gone).
status_kb() {
  local key value _
  while read -r key value _; do
    if [ "$key" = "$2:" ]; then
      echo "$value"
      return 0
    fi
  done <"/proc/$1/status" 2>/dev/null || true
  echo 0
}

mb() { calc "$1 / 1024"; }

ROWS=()
for run in $(seq "$RUNS"); do
  processes=$({ find /proc -maxdepth 1 -name '[0-9]*' 2>/dev/null || true; } | wc -l)
  # An empty read with "nocache" drops the file's cached pages (posix_fadvise DONTNEED).
  dd if="$RSTAT" iflag=nocache count=0 status=none
  file=$OUT/rss-$run.rstat
  rm -f "$file"
  /usr/bin/time -v -o "$OUT/rss-$run.time" "$RSTAT" collect -i 1 -c "$SAMPLES" --file "$file" \
    >"$OUT/rss-$run.log" 2>&1 &
  time_pid=$!
  collector=""
  until [ -n "$collector" ] || ! kill -0 "$time_pid" 2>/dev/null; do
    collector=$(pgrep -P "$time_pid" || true)
  done
  anon=0
  mapped=0
  while [ -n "$collector" ] && kill -0 "$collector" 2>/dev/null; do
    now=$(status_kb "$collector" RssAnon)
    [ "$now" -gt "$anon" ] && anon=$now
    now=$(status_kb "$collector" RssFile)
    [ "$now" -gt "$mapped" ] && mapped=$now
    sleep 0.02
  done
  if ! wait "$time_pid"; then
    say "bench: rstat collect failed; see $OUT/rss-$run.{log,time}"
    exit 1
  fi
  peak=$(time_field "$OUT/rss-$run.time" "Maximum resident set size (kbytes)")
  user=$(time_field "$OUT/rss-$run.time" "User time (seconds)")
  system=$(time_field "$OUT/rss-$run.time" "System time (seconds)")
  ROWS+=("$run|$processes|$(mb "$peak")|$(mb "$anon")|$(mb "$mapped")|$(calc "($user + $system) * 1000 / $SAMPLES")|$(stat -c %s "$file")")
done

{
  echo "== collect-rss: the collector's peak memory with $EXTRA extra sleeping processes =="
  describe_machine 2>/dev/null | grep -v '^sadc:' || true
  read -r found listed < <(link_order_counts "$RSTAT")
  echo "order:    $found of the $listed functions of dist/link-order.txt are in the binary (build.rs; bench/link-order.sh rewrites the list)"
  echo "run:      rstat collect -i 1 -c $SAMPLES --file F, the binary dropped from the page cache first"
  echo
  printf '%-4s %6s | %9s %9s %9s | %8s %8s\n' run procs "peak MB" "anon MB" "file MB" "ms/smp" bytes
  for row in "${ROWS[@]}"; do
    IFS='|' read -r run processes peak anon mapped cpu bytes <<<"$row"
    printf '%-4s %6s | %9.2f %9.2f %9.2f | %8.1f %8s\n' "$run" "$processes" "$peak" "$anon" \
      "$mapped" "$cpu" "$bytes"
  done
  echo
  echo "peak MB = maximum RSS (/usr/bin/time -v); anon MB, file MB = the largest RssAnon and"
  echo "RssFile seen in /proc/PID/status every 20 ms; ms/smp = (user + system) / $SAMPLES."
} | tee "$RESULTS"
say "bench: results written to $RESULTS; data files in $OUT"

#!/usr/bin/env bash
# report-vs-sar.sh: how fast rstat reads a day, next to sysstat's sar and sadf.
#
# 1. Makes two files holding the same samples: `sadc -S XALL 1 COUNT` and
#    `rstat collect -i 1 -c COUNT --no-processes` started at the same moment (reused from
#    OUT when they already hold COUNT samples: making them takes COUNT seconds).
# 2. Times, side by side, each command reading its own file into /dev/null:
#      rstat report -A -f FILE          vs  sar -A -f FILE
#      rstat export --csv -A --out DIR -f FILE    vs  sadf -d FILE -- -A
#    (rstat writes one CSV per activity into DIR; sadf prints them one after another
#    to stdout; rstat has no multi-activity CSV stream. DIR is on the data's disk, then on
#    tmpfs (/dev/shm), which leaves out the disk writes sadf's /dev/null never makes:
#    the like-with-like figure for the CPU of reading, deriving and formatting)
#    (CPU = perf stat's task-clock, or user+system from bash's `times` without perf, best of RUNS,
#    rstat's and sysstat's runs alternating; peak RSS from /usr/bin/time -v),
#    and prints ms per sample and the ratios (goal: rstat 20x faster, i.e. a ratio of at
#    most 0.05). Information only: exits 0 unless a command fails. Results go to
#    bench/out/last-report.txt too. On a shared machine use RUNS=7 or more: the best run
#    is the one least disturbed.
#
# Usage:  bench/report-vs-sar.sh [COUNT]      (default 600 samples)
#   env:  RSTAT_BIN=PATH    use this rstat binary instead of building one
#         OUT=DIR           where the data files go (default bench/out/report)
#         RUNS=N            repetitions of each timing, best kept (default 3)
set -euo pipefail
export LC_ALL=C

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COUNT=${1:-${COUNT:-600}}
RUNS=${RUNS:-3}
OUT=${OUT:-$BENCH_DIR/out/report}
mkdir -p "$OUT"
ensure_tools
build_rstat

SA=$OUT/sa-$COUNT
RS=$OUT/rstat-$COUNT.rstat
samples_in() { "$RSTAT" info "$1" 2>/dev/null | awk '/^samples:/ { print $2 }'; }
if [ ! -s "$SA" ] || [ ! -s "$RS" ] || [ "$(samples_in "$RS")" != "$COUNT" ]; then
  rm -f "$SA" "$RS"
  say "bench: collecting $COUNT samples at 1 s with sadc and rstat side by side ($COUNT s)"
  "$SADC" -S XALL 1 "$COUNT" "$SA" &
  sadc_pid=$!
  "$RSTAT" collect -i 1 -c "$COUNT" --no-processes --file "$RS"
  wait "$sadc_pid"
fi

# CPU seconds of one run of a command (stdout to /dev/null): perf's task-clock when perf is
# installed (nanoseconds), else bash's `times` (clock ticks: 10 ms, a sixth of a 600-sample
# report -A, which made best-of-N figures jump by 0.02 in the ratio).
cpu_once() {
  if command -v perf >/dev/null 2>&1 &&
    perf stat -x, -e task-clock -o "$OUT/perf.txt" -- "$@" >/dev/null 2>&1; then
    awk -F, '$3 ~ /^task-clock/ { printf "%.6f\n", $1 / 1000; found = 1 } END { exit !found }' "$OUT/perf.txt" && return
  fi
  { ( "$@" >/dev/null; times ) ; } 2>/dev/null | tail -n 2 > "$OUT/times.txt"
  children_cpu_seconds "$OUT/times.txt"
}

# The smaller of two CPU figures (the first when the other is empty).
min_of() {
  if [ -z "$2" ] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; then echo "$1"; else echo "$2"; fi
}

# Best CPU seconds of RUNS runs each of the commands in the arrays OURS and THEIRS (stdout to
# /dev/null), run in turn (ours, theirs, ours, ...): a burst of the shared machine's load then
# reaches both, where RUNS runs of one command and then RUNS of the other let a burst of a
# second or two slow every run of rstat's (a whole report takes 30 ms) and none of sar's.
# Prints "OURS THEIRS".
cpu_pair() {
  local ours="" theirs=""
  for _ in $(seq "$RUNS"); do
    ours=$(min_of "$(cpu_once "${OURS[@]}")" "$ours")
    theirs=$(min_of "$(cpu_once "${THEIRS[@]}")" "$theirs")
  done
  printf '%s %s\n' "$ours" "$theirs"
}

rss_of() {
  /usr/bin/time -v "$@" >/dev/null 2>"$OUT/time-v.txt" || true
  time_field "$OUT/time-v.txt" "Maximum resident set size"
}

line() {
  local name=$1 ours=$2 theirs=$3 ours_rss=$4 theirs_rss=$5
  awk -v n="$name" -v o="$ours" -v t="$theirs" -v c="$COUNT" -v orss="$ours_rss" -v trss="$theirs_rss" 'BEGIN {
    printf "%-34s rstat %8.3f ms/sample  sysstat %8.3f ms/sample  ratio %.3f  peak RSS %s vs %s kB\n",
      n, o * 1000 / c, t * 1000 / c, (t > 0 ? o / t : 0), orss, trss
  }'
}

{
  echo "report-vs-sar: $COUNT samples, best of $RUNS runs, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  OURS=("$RSTAT" report -A -f "$RS")
  THEIRS=(sar -A -f "$SA")
  read -r r s < <(cpu_pair)
  line "report -A vs sar -A" "$r" "$s" "$(rss_of "${OURS[@]}")" "$(rss_of "${THEIRS[@]}")"
  if "$RSTAT" export --help >/dev/null 2>&1; then
    mkdir -p "$OUT/csv"
    OURS=("$RSTAT" export --csv -A --out "$OUT/csv" -f "$RS")
    THEIRS=(sadf -d "$SA" -- -A)
    read -r r s < <(cpu_pair)
    line "export --csv -A vs sadf -d -- -A" "$r" "$s" "$(rss_of "${OURS[@]}")" "$(rss_of "${THEIRS[@]}")"
    if [ -d /dev/shm ] && [ -w /dev/shm ]; then
      shm=$(mktemp -d /dev/shm/rstat-bench-XXXXXX)
      OURS=("$RSTAT" export --csv -A --out "$shm" -f "$RS")
      read -r r s < <(cpu_pair)
      line "export --csv -A, DIR on tmpfs" "$r" "$s" "$(rss_of "${OURS[@]}")" "$(rss_of "${THEIRS[@]}")"
      rm -rf "$shm"
    fi
  fi
} | tee "$BENCH_DIR/out/last-report.txt"

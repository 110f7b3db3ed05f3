#!/usr/bin/env bash
# collect-processes.sh: what recording processes costs, rstat next to atop (issue 3's targets).
#
# Builds rstat (cargo build --release -p rstat), then, for each process load in EXTRAS
# (default "0 1000": the machine as it is, then with 1,000 extra sleeping processes started
# by this script and killed at the end), starts at the same moment, with the same interval
# and count:
#   rstat collect -i INTERVAL -c COUNT --file OUT/rstat-EXTRA.rstat    (processes and cgroups
#                                                                     are recorded by default)
#   atop -w OUT/atop-EXTRA.raw INTERVAL COUNT
# each under /usr/bin/time -v, and reports for both: bytes per sample (file size / COUNT),
# CPU ms per sample ((user+system) / COUNT, from bash's `times`, 1 ms resolution) and peak
# RSS, with the ratios rstat/atop, rstat's growth per 1,000 processes (from the smallest to
# the largest load) and the targets (information only: the script exits 0 unless a command
# fails). Results: bench/out/last-processes.txt.
#
# Usage:  bench/collect-processes.sh [INTERVAL [COUNT]]        (default 1 s, 60 samples)
#   env:  EXTRAS="0 1000"     process loads to measure (extra sleeping processes)
#         RSTAT_ARGS="..."    extra arguments for rstat collect (e.g. --threads)
#         OUT=DIR             where the data files go (default bench/out/processes)
# Installs atop and time with apt-get when missing (needs root). atop is run only as the
# recorder (`-w`); if its package started a daemon, that daemon is not measured.
set -euo pipefail
export LC_ALL=C

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

INTERVAL=${1:-${INTERVAL:-1}}
COUNT=${2:-${COUNT:-60}}
EXTRAS=${EXTRAS:-0 1000}
RSTAT_ARGS=${RSTAT_ARGS:-}
OUT=${OUT:-$BENCH_DIR/out/processes}
RESULTS=$BENCH_DIR/out/last-processes.txt

case $COUNT in '' | *[!0-9]* | 0)
  say "bench: COUNT must be a positive integer, got '$COUNT'"
  exit 2
  ;;
esac

ensure_atop() {
  local missing=()
  command -v atop >/dev/null || missing+=(atop)
  [ -x /usr/bin/time ] || missing+=(time)
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "bench: missing ${missing[*]} and not root: install them first (apt-get install -y ${missing[*]})"
    exit 1
  fi
  say "bench: running apt-get install -y ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2; then
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2
  fi
}

ensure_atop
build_rstat
mkdir -p "$OUT" "$BENCH_DIR/out"

trap stop_sleepers EXIT

# measure NAME CMD...: runs CMD under /usr/bin/time -v, then writes `times` (this subshell's
# children: /usr/bin/time and CMD) to OUT/NAME.times. Run it in the background.
measure() {
  local name=$1 rc=0
  shift
  /usr/bin/time -v -o "$OUT/$name.time" "$@" >"$OUT/$name.log" 2>&1 || rc=$?
  times >"$OUT/$name.times"
  return "$rc"
}

ROWS=()
for extra in $EXTRAS; do
  case $extra in '' | *[!0-9]*)
    say "bench: EXTRAS must be numbers, got '$extra'"
    exit 2
    ;;
  esac
  stop_sleepers
  start_sleepers "$extra"
  sleep 1
  # A process may end while find lists /proc: that is not a failure of the bench.
  processes=$({ find /proc -maxdepth 1 -name '[0-9]*' 2>/dev/null || true; } | wc -l)
  rm -f "$OUT/rstat-$extra.rstat" "$OUT/atop-$extra.raw"
  # shellcheck disable=SC2206 # RSTAT_ARGS is split on purpose
  RSTAT_CMD=("$RSTAT" collect -i "$INTERVAL" -c "$COUNT" --file "$OUT/rstat-$extra.rstat" $RSTAT_ARGS)
  ATOP_CMD=(atop -w "$OUT/atop-$extra.raw" "$INTERVAL" "$COUNT")
  say "bench: $processes processes ($extra extra); starting both: $COUNT samples every ${INTERVAL}s"
  say "  ${RSTAT_CMD[*]}"
  say "  ${ATOP_CMD[*]}"
  measure "rstat-$extra" "${RSTAT_CMD[@]}" &
  rstat_pid=$!
  measure "atop-$extra" "${ATOP_CMD[@]}" &
  atop_pid=$!
  rstat_rc=0
  atop_rc=0
  wait "$rstat_pid" || rstat_rc=$?
  wait "$atop_pid" || atop_rc=$?
  if [ "$rstat_rc" -ne 0 ] || [ "$atop_rc" -ne 0 ]; then
    say "bench: a collector failed (rstat exit $rstat_rc, atop exit $atop_rc); see $OUT/*-$extra.{log,time}"
    exit 1
  fi
  if [ -s "$OUT/rstat-$extra.log" ]; then
    say "bench: rstat printed:"
    sed 's/^/  | /' "$OUT/rstat-$extra.log" >&2
  fi
  stop_sleepers
  declare -A bps cps rss
  for tool in rstat atop; do
    file=$OUT/rstat-$extra.rstat
    [ "$tool" = atop ] && file=$OUT/atop-$extra.raw
    bps[$tool]=$(calc "$(stat -c %s "$file") / $COUNT")
    cps[$tool]=$(calc "$(children_cpu_seconds "$OUT/$tool-$extra.times") * 1000 / $COUNT")
    rss[$tool]=$(calc "$(time_field "$OUT/$tool-$extra.time" "Maximum resident set size (kbytes)") / 1024")
  done
  ROWS+=("$extra|$processes|${bps[rstat]}|${bps[atop]}|${cps[rstat]}|${cps[atop]}|${rss[rstat]}|${rss[atop]}")
done

{
  echo "== collect-processes: process recording, rstat next to atop, side by side in one run =="
  describe_machine 2>/dev/null | grep -v '^sadc:' || true
  echo "atop:     $(atop -V 2>&1 | head -n1)"
  echo "run:      interval ${INTERVAL}s, count $COUNT, both started together for each load"
  echo "          rstat collect -i $INTERVAL -c $COUNT --file F $RSTAT_ARGS   |   atop -w F $INTERVAL $COUNT"
  echo
  printf '%-7s %6s | %9s %9s %7s | %9s %9s %7s | %7s %7s %7s\n' extra procs "rstat B" "atop B" ratio \
    "rstat ms" "atop ms" ratio "rstat MB" "atop MB" ratio
  for row in "${ROWS[@]}"; do
    IFS='|' read -r extra processes rb ab rc ac rr ar <<<"$row"
    printf '%-7s %6s | %9.0f %9.0f %6.3fx | %9.3f %9.3f %6.3fx | %7.2f %7.2f %6.3fx\n' \
      "$extra" "$processes" "$rb" "$ab" "$(calc "$rb / $ab")" "$rc" "$ac" "$(calc "$rc / $ac")" \
      "$rr" "$ar" "$(calc "$rr / $ar")"
  done
  if [ "${#ROWS[@]}" -ge 2 ]; then
    # Growth per 1,000 processes: the slope between the smallest and the largest load.
    IFS='|' read -r _ p0 _ _ c0 _ r0 _ <<<"${ROWS[0]}"
    IFS='|' read -r _ p1 _ _ c1 _ r1 _ <<<"${ROWS[${#ROWS[@]}-1]}"
    if [ "$p1" -gt "$p0" ]; then
      printf 'rstat per 1,000 processes (%s -> %s): +%.1f ms CPU/sample, +%.2f MB peak RSS\n' \
        "$p0" "$p1" "$(calc "($c1 - $c0) * 1000 / ($p1 - $p0)")" "$(calc "($r1 - $r0) * 1000 / ($p1 - $p0)")"
    fi
  fi
  echo
  echo "B = bytes per sample (file size / COUNT, headers included); ms = CPU (user+system) per"
  echo "sample from bash's times (1 ms resolution over the run); MB = peak RSS (/usr/bin/time -v)."
  echo
  echo "issue 3 targets, with the largest load (information only):"
  IFS='|' read -r extra _ rb ab rc ac rr _ <<<"${ROWS[${#ROWS[@]}-1]}"
  printf '  %-32s %-12s %s\n' "bytes/sample <= 0.15x atop" "$(printf '%.3fx' "$(calc "$rb / $ab")")" "$(verdict "$(calc "$rb / $ab")" 0.15)"
  printf '  %-32s %-12s %s\n' "CPU/sample   <= 0.25x atop" "$(printf '%.3fx' "$(calc "$rc / $ac")")" "$(verdict "$(calc "$rc / $ac")" 0.25)"
  printf '  %-32s %-12s %s\n' "peak RSS     <= 8 MB" "$(printf '%.2f MB' "$rr")" "$(verdict "$rr" 8)"
} | tee "$RESULTS"
say "bench: results written to $RESULTS; data files in $OUT"

#!/usr/bin/env bash
# collect-vs-sadc.sh: what continuous collection costs, rstat next to sysstat's sadc.
#
# Builds rstat (cargo build --release -p rstat), then starts, at the same moment and with the
# same interval and count:
#   rstat collect -i INTERVAL -c COUNT --file OUT/rstat.rstat          (durable: the default)
#   /usr/lib/sysstat/sadc -S DISK INTERVAL COUNT OUT/sadc.sa
# each under /usr/bin/time -v, and reports for both: bytes per sample (file size / COUNT, file
# headers included), CPU ms per sample ((user+system) / COUNT) and peak RSS, with the ratios
# rstat/sadc and the targets of issue 2 (information only: the script exits 0 unless a
# command fails). The results are also written to bench/out/last-collect.txt.
#
# Usage:  bench/collect-vs-sadc.sh [INTERVAL [COUNT]]         (default 1 s, 60 samples)
#   env:  INTERVAL, COUNT          the same as the arguments (arguments win)
#         SADC_ACTIVITIES=XALL     sadc -S XALL instead of -S DISK
#         RSTAT_ARGS="..."         more arguments for rstat collect, e.g. "--no-processes"
#         RSTAT_BIN=PATH           use this rstat binary instead of building one
#         OUT=DIR                  where the data files go (default bench/out/collect)
# Installs sysstat and time with apt-get when /usr/lib/sysstat/sadc or /usr/bin/time is
# missing (needs root). CPU comes from bash's `times` around `/usr/bin/time -v TOOL` (1 ms
# resolution; it includes /usr/bin/time's own ~1 ms, the same on both sides); /usr/bin/time's
# own 10 ms figure is printed too.
set -euo pipefail
export LC_ALL=C

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

INTERVAL=${1:-${INTERVAL:-1}}
COUNT=${2:-${COUNT:-60}}
SADC_ACTIVITIES=${SADC_ACTIVITIES:-DISK}
OUT=${OUT:-$BENCH_DIR/out/collect}
RESULTS=$BENCH_DIR/out/last-collect.txt

case $COUNT in '' | *[!0-9]* | 0)
  say "bench: COUNT must be a positive integer, got '$COUNT'"
  exit 2
  ;;
esac

ensure_tools
build_rstat
read -r -a RSTAT_EXTRA <<<"${RSTAT_ARGS:-}"
mkdir -p "$OUT" "$BENCH_DIR/out"
# Both tools append to an existing file: start from none.
rm -f "$OUT"/rstat.* "$OUT"/sadc.*

RSTAT_CMD=("$RSTAT" collect -i "$INTERVAL" -c "$COUNT" --file "$OUT/rstat.rstat" "${RSTAT_EXTRA[@]}")
SADC_CMD=("$SADC" -S "$SADC_ACTIVITIES" "$INTERVAL" "$COUNT" "$OUT/sadc.sa")

# measure NAME CMD...: runs CMD under /usr/bin/time -v, then writes `times` (this subshell's
# children: /usr/bin/time and CMD) to OUT/NAME.times. Run it in the background.
measure() {
  local name=$1 rc=0
  shift
  /usr/bin/time -v -o "$OUT/$name.time" "$@" >"$OUT/$name.log" 2>&1 || rc=$?
  times >"$OUT/$name.times"
  return "$rc"
}

say "bench: starting both now: $COUNT samples every ${INTERVAL}s (about $(calc "$COUNT * $INTERVAL" | cut -d. -f1) s)"
say "  ${RSTAT_CMD[*]}"
say "  ${SADC_CMD[*]}"
measure rstat "${RSTAT_CMD[@]}" &
rstat_pid=$!
measure sadc "${SADC_CMD[@]}" &
sadc_pid=$!
rstat_rc=0
sadc_rc=0
wait "$rstat_pid" || rstat_rc=$?
wait "$sadc_pid" || sadc_rc=$?

for name in rstat sadc; do
  if [ -s "$OUT/$name.log" ]; then
    say "bench: $name printed:"
    sed 's/^/  | /' "$OUT/$name.log" >&2
  fi
done
if [ "$rstat_rc" -ne 0 ] || [ "$sadc_rc" -ne 0 ]; then
  say "bench: a collector failed (rstat exit $rstat_rc, sadc exit $sadc_rc); see $OUT/*.time"
  exit 1
fi

# Per tool: file bytes, CPU seconds (times), CPU seconds (/usr/bin/time), peak RSS kB.
declare -A bytes cpu cpu_gnu rss_kb
for name in rstat sadc; do
  file=$OUT/$name.rstat
  [ "$name" = sadc ] && file=$OUT/sadc.sa
  bytes[$name]=$(stat -c %s "$file")
  cpu[$name]=$(children_cpu_seconds "$OUT/$name.times")
  user=$(time_field "$OUT/$name.time" "User time (seconds)")
  sys=$(time_field "$OUT/$name.time" "System time (seconds)")
  cpu_gnu[$name]=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  rss_kb[$name]=$(time_field "$OUT/$name.time" "Maximum resident set size (kbytes)")
done
header=$(rstat_header_bytes "$OUT/rstat.rstat")
samples_in_file=$("$RSTAT" info "$OUT/rstat.rstat" | awk '/^samples:/ { print $2; exit }')

for name in rstat sadc; do
  declare "bps_$name=$(calc "${bytes[$name]} / $COUNT")"
  declare "cps_$name=$(calc "${cpu[$name]} * 1000 / $COUNT")"
  declare "rss_$name=$(calc "${rss_kb[$name]} / 1024")"
done
# shellcheck disable=SC2154 # bps_*, cps_*, rss_* are set by declare above
{
  bytes_ratio=$(calc "$bps_rstat / $bps_sadc")
  cpu_ratio=$(calc "$cps_rstat / $cps_sadc")
  rss_ratio=$(calc "$rss_rstat / $rss_sadc")

  echo "== collect-vs-sadc: continuous collection, side by side in one run =="
  describe_machine
  echo "run:      interval ${INTERVAL}s, count $COUNT, started together"
  echo "          ${RSTAT_CMD[*]}"
  echo "          ${SADC_CMD[*]}"
  echo
  printf '%-10s %13s %15s %13s\n' tool bytes/sample "CPU ms/sample" "peak RSS MB"
  printf '%-10s %13.1f %15.3f %13.2f\n' rstat "$bps_rstat" "$cps_rstat" "$rss_rstat"
  printf '%-10s %13.1f %15.3f %13.2f\n' sadc "$bps_sadc" "$cps_sadc" "$rss_sadc"
  printf '%-10s %12.3fx %14.3fx %12.3fx\n' rstat/sadc "$bytes_ratio" "$cpu_ratio" "$rss_ratio"
  echo
  echo "details:"
  echo "  rstat file ${bytes[rstat]} bytes for $COUNT samples ($samples_in_file in the file by rstat info); its header is $header bytes," \
    "so $(calc "(${bytes[rstat]} - $header) / $COUNT" | awk '{ printf "%.1f", $1 }') bytes/sample without it"
  echo "  sadc file ${bytes[sadc]} bytes (-S $SADC_ACTIVITIES; file header and activity list included)"
  echo "  CPU (bash times, 1 ms resolution, includes /usr/bin/time itself): rstat ${cpu[rstat]} s, sadc ${cpu[sadc]} s"
  echo "  CPU (/usr/bin/time -v user+system, 10 ms resolution): rstat ${cpu_gnu[rstat]} s, sadc ${cpu_gnu[sadc]} s"
  echo "  peak RSS (/usr/bin/time -v): rstat ${rss_kb[rstat]} kB, sadc ${rss_kb[sadc]} kB"
  echo
  # Issue 2's targets are against sadc's default activities (-S DISK); issue 3's against
  # every activity (-S XALL, with rstat --activities ALL).
  if [ "$SADC_ACTIVITIES" = XALL ]; then
    target_issue=3 target_bytes=0.1 target_cpu=0.5
  else
    target_issue=2 target_bytes=0.25 target_cpu=1
  fi
  echo "issue $target_issue targets (information only):"
  printf '  %-28s %-24s %s\n' "bytes/sample <= ${target_bytes}x sadc" "$(printf '%.3fx' "$bytes_ratio")" "$(verdict "$bytes_ratio" "$target_bytes")"
  printf '  %-28s %-24s %s\n' "CPU/sample   <= ${target_cpu}x sadc" "$(printf '%.3fx' "$cpu_ratio")" "$(verdict "$cpu_ratio" "$target_cpu")"
  printf '  %-28s %-24s %s\n' "peak RSS     <= 8 MB" "$(printf '%.2f MB' "$rss_rstat")" "$(verdict "$rss_rstat" 8)"
} | tee "$RESULTS"
say "bench: results written to $RESULTS; data files in $OUT"

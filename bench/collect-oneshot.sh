#!/usr/bin/env bash
# collect-oneshot.sh: what one sample costs when every sample is a fresh process (the timer
# use case: rstat-collect.timer, sysstat's sa1), rstat next to sysstat's sadc.
#
# Builds rstat (cargo build --release -p rstat), then runs two loops started at the same
# moment, each N times (default 30), with PAUSE seconds between invocations (default 1):
#   rstat collect --count 1 --file OUT/rstat.data      (appends one sample, durable)
#   /usr/lib/sysstat/sadc -S DISK 1 1 OUT/sadc.data    (sadc appends to an existing file)
# and reports:
# - bytes per sample: final file size / N, and the marginal size of an appended sample;
# - CPU ms per invocation: user+system of the N processes / N, from bash's `times` around the
#   loop (1 ms resolution over the whole loop, no wrapper process counted), and the same net
#   of a loop of /bin/true (bash's fork + exec + a trivial program: the floor of any process);
# - peak RSS of one more invocation of each under /usr/bin/time, appending to a copy of the
#   final file (N samples), and creating a new file.
# - CPU ms and page faults per invocation from `perf stat -r PERF_RUNS -e task-clock,page-faults`
#   of each command, in PERF_ROUNDS rounds that alternate the tools (the machine's load moves:
#   compare within a round, and the spread across rounds says how far to trust a figure).
#   RSTAT_BEFORE=PATH adds an older rstat binary to each round (before/after of a change).
# - the median task-clock of INTERLEAVED invocations of each tool taken in turn, each timed
#   by its own perf stat (a load change falls on every tool alike), and the ratio.
# - user-space instructions of one invocation of each, from valgrind's callgrind when it is
#   installed (VALGRIND=0 skips): unlike CPU time, the machine's load does not move it.
# Ratios are rstat/sadc. The results are also written to bench/out/last-oneshot.txt.
#
# Usage:  bench/collect-oneshot.sh [N]
#   env:  N                        the same as the argument (the argument wins)
#         PAUSE=SECONDS            pause between invocations (default 1; 0 for none)
#         SADC_ACTIVITIES=XALL     sadc -S XALL instead of -S DISK
#         RSTAT_ARGS="..."         more arguments for rstat collect, e.g. "--no-processes"
#         RSTAT_BIN=PATH           use this rstat binary instead of building one
#         OUT=DIR                  where the data files go (default bench/out/oneshot)
#         PERF_RUNS=100            runs per `perf stat -r` (0: no perf section)
#         PERF_ROUNDS=3            rounds of perf stat, each running every tool once
#         RSTAT_BEFORE=PATH        an older rstat binary measured in the same perf rounds
#         INTERLEAVED=100          invocations of each tool for the interleaved medians (0: none)
# Installs sysstat and time with apt-get when /usr/lib/sysstat/sadc or /usr/bin/time is
# missing (needs root).
set -euo pipefail
export LC_ALL=C

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=${1:-${N:-30}}
PAUSE=${PAUSE:-1}
PERF_RUNS=${PERF_RUNS:-100}
PERF_ROUNDS=${PERF_ROUNDS:-3}
SADC_ACTIVITIES=${SADC_ACTIVITIES:-DISK}
OUT=${OUT:-$BENCH_DIR/out/oneshot}
RESULTS=$BENCH_DIR/out/last-oneshot.txt

case $N in '' | *[!0-9]* | 0 | 1)
  say "bench: N must be an integer of at least 2, got '$N'"
  exit 2
  ;;
esac

ensure_tools
build_rstat
read -r -a RSTAT_EXTRA <<<"${RSTAT_ARGS:-}"
mkdir -p "$OUT" "$BENCH_DIR/out"
rm -f "$OUT"/rstat* "$OUT"/sadc* "$OUT"/true*

rstat_one() { "$RSTAT" collect --count 1 --file "$1" "${RSTAT_EXTRA[@]}"; }
sadc_one() { "$SADC" -S "$SADC_ACTIVITIES" 1 1 "$1"; }
# The floor every invocation pays in this loop: bash's fork, exec and a trivial program.
true_one() { /bin/true; }

# loop NAME: N invocations of NAME_one on OUT/NAME.data, then `times` (this subshell's
# children are exactly those N processes) into OUT/NAME.times. Run it in the background.
loop() {
  local name=$1 i
  for ((i = 1; i <= N; i++)); do
    if ! "${name}_one" "$OUT/$name.data" >>"$OUT/$name.log" 2>&1; then
      echo "invocation $i failed" >>"$OUT/$name.log"
      times >"$OUT/$name.times"
      return 1
    fi
    [ "$i" -lt "$N" ] && pause "$PAUSE"
  done
  times >"$OUT/$name.times"
}

say "bench: starting both loops now: $N invocations each, ${PAUSE}s apart"
say "  $RSTAT collect --count 1 --file $OUT/rstat.data${RSTAT_EXTRA[*]:+ ${RSTAT_EXTRA[*]}}"
say "  $SADC -S $SADC_ACTIVITIES 1 1 $OUT/sadc.data"
loop rstat &
rstat_pid=$!
loop sadc &
sadc_pid=$!
rstat_rc=0
sadc_rc=0
wait "$rstat_pid" || rstat_rc=$?
wait "$sadc_pid" || sadc_rc=$?

for name in rstat sadc; do
  if [ -s "$OUT/$name.log" ]; then
    say "bench: $name printed (all invocations):"
    sed 's/^/  | /' "$OUT/$name.log" >&2
  fi
done
if [ "$rstat_rc" -ne 0 ] || [ "$sadc_rc" -ne 0 ]; then
  say "bench: a loop failed (rstat $rstat_rc, sadc $sadc_rc); see $OUT/*.log"
  exit 1
fi

# The same loop with /bin/true, after the others, for the cost of a trivial process.
(PAUSE=0 loop true) # in a subshell: `times` then counts only its children

# Peak RSS: one more invocation of each, appending to a copy of the final file and creating
# a new file. The size of the new file is also a one-sample file (header + first sample).
declare -A bytes cpu rss_append rss_new one_file
for name in rstat sadc; do
  bytes[$name]=$(stat -c %s "$OUT/$name.data")
  cpu[$name]=$(children_cpu_seconds "$OUT/$name.times")
  cp "$OUT/$name.data" "$OUT/$name.probe-append"
  for probe in append new; do
    if [ "$name" = rstat ]; then
      cmd=("$RSTAT" collect --count 1 --file "$OUT/$name.probe-$probe" "${RSTAT_EXTRA[@]}")
    else
      cmd=("$SADC" -S "$SADC_ACTIVITIES" 1 1 "$OUT/$name.probe-$probe")
    fi
    if ! /usr/bin/time -f %M -o "$OUT/$name.rss-$probe" "${cmd[@]}" >"$OUT/$name.probe.log" 2>&1; then
      say "bench: ${cmd[*]} failed:"
      cat "$OUT/$name.probe.log" >&2
      exit 1
    fi
  done
  rss_append[$name]=$(tail -n1 "$OUT/$name.rss-append")
  rss_new[$name]=$(tail -n1 "$OUT/$name.rss-new")
  one_file[$name]=$(stat -c %s "$OUT/$name.probe-new")
done
floor_ms=$(calc "$(children_cpu_seconds "$OUT/true.times") * 1000 / $N")
samples_in_file=$("$RSTAT" info "$OUT/rstat.data" | awk '/^samples:/ { sub(/^samples: */, ""); print; exit }')

for name in rstat sadc; do
  declare "bps_$name=$(calc "${bytes[$name]} / $N")"
  declare "marg_$name=$(calc "(${bytes[$name]} - ${one_file[$name]}) / ($N - 1)")"
  declare "cps_$name=$(calc "${cpu[$name]} * 1000 / $N")"
  declare "rss_$name=$(calc "${rss_append[$name]} / 1024")"
done
# shellcheck disable=SC2154 # bps_*, marg_*, cps_*, rss_* are set by declare above
{
  bytes_ratio=$(calc "$bps_rstat / $bps_sadc")
  marg_ratio=$(calc "$marg_rstat / $marg_sadc")
  cpu_ratio=$(calc "$cps_rstat / $cps_sadc")
  rss_ratio=$(calc "$rss_rstat / $rss_sadc")
  net_rstat=$(calc "$cps_rstat - $floor_ms")
  net_sadc=$(calc "$cps_sadc - $floor_ms")
  net_ratio=$(calc "$net_rstat / $net_sadc")

  echo "== collect-oneshot: one process per sample (timer use case), side by side in one run =="
  describe_machine
  echo "run:      $N invocations of each, ${PAUSE}s apart, both loops started together"
  echo "          $RSTAT collect --count 1 --file FILE${RSTAT_EXTRA[*]:+ ${RSTAT_EXTRA[*]}}"
  echo "          $SADC -S $SADC_ACTIVITIES 1 1 FILE"
  echo
  printf '%-10s %13s %15s %15s %13s\n' tool bytes/sample "appended B/spl" "CPU ms/sample" "peak RSS MB"
  printf '%-10s %13.1f %15.1f %15.3f %13.2f\n' rstat "$bps_rstat" "$marg_rstat" "$cps_rstat" "$rss_rstat"
  printf '%-10s %13.1f %15.1f %15.3f %13.2f\n' sadc "$bps_sadc" "$marg_sadc" "$cps_sadc" "$rss_sadc"
  printf '%-10s %12.3fx %14.3fx %14.3fx %12.3fx\n' rstat/sadc "$bytes_ratio" "$marg_ratio" "$cpu_ratio" "$rss_ratio"
  echo
  echo "details:"
  echo "  bytes/sample = final file size / $N (file header included): rstat ${bytes[rstat]} B, sadc ${bytes[sadc]} B"
  echo "  appended B/spl = (final size - size of a new one-sample file) / $((N - 1)):" \
    "one-sample files are rstat ${one_file[rstat]} B, sadc ${one_file[sadc]} B"
  echo "  rstat info: $samples_in_file"
  echo "  CPU (bash times over the $N processes, 1 ms resolution): rstat ${cpu[rstat]} s, sadc ${cpu[sadc]} s"
  printf '  CPU floor of this loop (fork + exec of /bin/true, %s times): %.3f ms; net of it: rstat %.3f ms, sadc %.3f ms, ratio %.3fx\n' \
    "$N" "$floor_ms" "$net_rstat" "$net_sadc" "$net_ratio"
  echo "  peak RSS (/usr/bin/time, appending to a copy of the $N-sample file): rstat ${rss_append[rstat]} kB, sadc ${rss_append[sadc]} kB"
  echo "  peak RSS (/usr/bin/time, creating a new file): rstat ${rss_new[rstat]} kB, sadc ${rss_new[sadc]} kB"
  echo
  echo "issue 2 targets, applied to this use case (information only):"
  printf '  %-28s %-24s %s\n' "bytes/sample <= 0.25x sadc" "$(printf '%.3fx' "$bytes_ratio")" "$(verdict "$bytes_ratio" 0.25)"
  printf '  %-28s %-24s %s\n' "CPU/sample   <= 1x sadc" "$(printf '%.3fx' "$cpu_ratio")" "$(verdict "$cpu_ratio" 1)"
  printf '  %-28s %-24s %s\n' "peak RSS     <= 8 MB" "$(printf '%.2f MB' "$rss_rstat")" "$(verdict "$rss_rstat" 8)"
} | tee "$RESULTS"

# perf stat: the CPU and page faults of one invocation, averaged over PERF_RUNS, each tool in
# every round, appending to its own file (left from the loops above).
perf_one() { # NAME COMMAND...: prints "task-clock-ms page-faults" of one COMMAND
  local name=$1
  shift
  if ! perf stat -r "$PERF_RUNS" -x, -o "$OUT/$name.perf" -e task-clock,page-faults -- \
    "$@" >"$OUT/$name.perf.log" 2>&1; then
    say "bench: perf stat of $* failed:"
    cat "$OUT/$name.perf.log" "$OUT/$name.perf" >&2
    exit 1
  fi
  awk -F, '$3 == "task-clock" { ms = $1 } $3 == "page-faults" { pf = $1 }
    END { printf "%.3f %d\n", ms, pf }' "$OUT/$name.perf"
}
# The tools of the sections below, each invocation appending one sample to DATA.
tools=(sadc rstat)
[ -n "${RSTAT_BEFORE:-}" ] && tools=(sadc rstat-before rstat)
tool_cmd() { # TOOL DATA: sets cmd to one invocation of TOOL appending to DATA
  case $1 in
    sadc) cmd=("$SADC" -S "$SADC_ACTIVITIES" 1 1 "$2") ;;
    rstat) cmd=("$RSTAT" collect --count 1 --quiet --file "$2" "${RSTAT_EXTRA[@]}") ;;
    rstat-before) cmd=("$RSTAT_BEFORE" collect --count 1 --quiet --file "$2" "${RSTAT_EXTRA[@]}") ;;
  esac
}
if [ "$PERF_RUNS" -gt 0 ] && ! command -v perf >/dev/null; then
  say "bench: perf is not installed (apt-get install linux-perf): no perf stat section"
  PERF_RUNS=0
fi
if [ "$PERF_RUNS" -gt 0 ]; then
  [ -n "${RSTAT_BEFORE:-}" ] && cp "$OUT/rstat.data" "$OUT/rstat-before.data"
  {
    echo
    echo "perf stat -r $PERF_RUNS -e task-clock,page-faults, $PERF_ROUNDS rounds alternating the tools:"
    [ -n "${RSTAT_BEFORE:-}" ] && echo "  rstat-before: $RSTAT_BEFORE ($("$RSTAT_BEFORE" --version))"
    printf '  %-6s' round
    for tool in "${tools[@]}"; do printf ' %22s' "$tool ms / faults"; done
    printf ' %14s\n' "rstat/sadc CPU"
    for ((round = 1; round <= PERF_ROUNDS; round++)); do
      declare -A perf_ms=()
      printf '  %-6s' "$round"
      for tool in "${tools[@]}"; do
        tool_cmd "$tool" "$OUT/$tool.data"
        measured=$(perf_one "$tool" "${cmd[@]}")
        read -r ms faults <<<"$measured"
        perf_ms[$tool]=$ms
        printf ' %13.3f / %6d' "$ms" "$faults"
      done
      printf ' %13.3fx\n' "$(calc "${perf_ms[rstat]} / ${perf_ms[sadc]}")"
    done
  } | tee -a "$RESULTS"
fi
# The same tools, one invocation at a time in turn (the order reversed every other time), each
# timed by its own `perf stat`: a load change then falls on every tool alike, where a perf
# round above runs all of one tool's invocations, then all of the next one's. The median
# of each tool's INTERLEAVED invocations, and their ratio.
one_task_clock() { # NAME COMMAND...: prints the task-clock ms of one COMMAND
  local name=$1
  shift
  if ! perf stat -x, -o "$OUT/$name.one" -e task-clock -- "$@" >"$OUT/$name.one.log" 2>&1; then
    say "bench: perf stat of $* failed:"
    cat "$OUT/$name.one.log" "$OUT/$name.one" >&2
    exit 1
  fi
  awk -F, '$3 == "task-clock" { printf "%.4f\n", $1 }' "$OUT/$name.one"
}
median_of() { # FILE: the median of the numbers in FILE, one per line
  sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
INTERLEAVED=${INTERLEAVED:-100}
if [ "$PERF_RUNS" -gt 0 ] && [ "$INTERLEAVED" -gt 0 ]; then
  for tool in "${tools[@]}"; do : >"$OUT/$tool.interleaved"; done
  for ((i = 1; i <= INTERLEAVED; i++)); do
    order=("${tools[@]}")
    if ((i % 2 == 0)); then
      order=()
      for ((t = ${#tools[@]} - 1; t >= 0; t--)); do order+=("${tools[t]}"); done
    fi
    for tool in "${order[@]}"; do
      tool_cmd "$tool" "$OUT/$tool.data"
      one_task_clock "$tool" "${cmd[@]}" >>"$OUT/$tool.interleaved"
    done
  done
  {
    echo
    echo "interleaved: $INTERLEAVED invocations of each tool in turn, median task-clock ms:"
    for tool in "${tools[@]}"; do
      printf '  %-14s %8.3f\n' "$tool" "$(median_of "$OUT/$tool.interleaved")"
    done
    printf '  %-14s %8.3fx\n' "rstat/sadc" \
      "$(calc "$(median_of "$OUT/rstat.interleaved") / $(median_of "$OUT/sadc.interleaved")")"
  } | tee -a "$RESULTS"
fi
# User-space instructions of one invocation (valgrind's callgrind, ld.so and libraries
# included, the kernel not): a count the machine's load does not move, for before/after of
# a change. Each tool appends to a copy of its own file, so every run sees the same file.
instructions_of() { # NAME COMMAND...: prints the instructions of COMMAND
  local name=$1
  shift
  if ! valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" >"$OUT/$name.vg.log" 2>&1; then
    say "bench: valgrind of $* failed:"
    cat "$OUT/$name.vg.log" >&2
    exit 1
  fi
  awk '/Collected :/ { print $NF }' "$OUT/$name.vg.log"
}
if [ "${VALGRIND:-1}" != 0 ] && command -v valgrind >/dev/null; then
  {
    echo
    echo "user-space instructions of one invocation (valgrind --tool=callgrind; VALGRIND=0 skips):"
    for tool in "${tools[@]}"; do
      data=$OUT/$tool.vg-data
      # Both rstat binaries append to a copy of the same file.
      source=$OUT/$tool.data
      [ "$tool" = rstat-before ] && source=$OUT/rstat.data
      cp "$source" "$data"
      tool_cmd "$tool" "$data"
      printf '  %-13s %12s\n' "$tool" "$(instructions_of "$tool" "${cmd[@]}")"
    done
  } | tee -a "$RESULTS"
fi
say "bench: results written to $RESULTS; data files in $OUT"

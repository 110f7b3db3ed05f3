#!/usr/bin/env bash
# scale.sh: rstat on a synthetic machine of 1,024 CPUs, 10,000 processes, 2,000 network
# interfaces and 5,000 block devices (issue 10's scale case), collector and readers.
#
# Writes the tree with the collector's test helper (collector/tests/common/scale_root.rs,
# through the ignored test `write_scale_root`; nothing is checked in) under OUT (default
# /dev/shm/rstat-scale: /proc is in memory too), then:
# - collects COUNT samples (default 6) INTERVAL seconds apart (default 5) of every activity
#   with processes (`rstat collect --root TREE --activities ALL`), while a loop rewrites every counter
#   of the tree between samples (so deltas are those of a busy machine, not of a frozen one);
#   reports CPU ms per sample (bash `times` of the collector / COUNT), peak RSS and file
#   bytes per sample (file size / COUNT);
# - reads the file with `info`, `report -A`, `export --jsonl -A` (CPU time, wall time, peak
#   RSS, /usr/bin/time -v) and `top -f` in a 200x50 tmux pane: time until the first frame is
#   drawn, then until a step back (Left) is drawn.
# Results: bench/out/last-scale.txt.
#
# Usage:  bench/scale.sh
#   env:  COUNT=6 INTERVAL=5   samples and seconds between them
#         PROCESSES=10000      processes in the tree (the other counts are fixed)
#         OUT=DIR              where the tree and the file go
#         RSTAT_BIN=PATH       use this rstat binary instead of building one
set -euo pipefail
export LC_ALL=C

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COUNT=${COUNT:-6}
INTERVAL=${INTERVAL:-5}
PROCESSES=${PROCESSES:-10000}
OUT=${OUT:-/dev/shm/rstat-scale}
RESULTS=$BENCH_DIR/out/last-scale.txt

[ -x /usr/bin/time ] || { say "bench: /usr/bin/time is missing: apt-get install -y time"; exit 1; }
build_rstat
mkdir -p "$BENCH_DIR/out"
rm -rf "$OUT"
mkdir -p "$OUT"
TREE=$OUT/root
FILE=$OUT/scale.rstat

# write_tree ROUND: writes (ROUND 0) or rewrites the counters of (ROUND > 0) the tree.
write_tree() {
  (cd "$REPO_ROOT" && RSTAT_SCALE_ROOT=$TREE RSTAT_SCALE_ROUND=$1 RSTAT_SCALE_PROCESSES=$PROCESSES \
    cargo test -q -p rstat-collector --test scale -- --ignored --exact write_scale_root >/dev/null 2>&1)
}
say "bench: writing the tree under $TREE ($PROCESSES processes)"
(cd "$REPO_ROOT" && cargo test -q -p rstat-collector --test scale --no-run >&2)
write_tree 0
files_in_tree=$(find "$TREE" -type f | wc -l)

# The rewriting loop: one round per interval, started half an interval after the first sample.
rewrite_loop() {
  local round=1
  pause "$(calc "$INTERVAL / 2")"
  while :; do
    write_tree "$round"
    round=$((round + 1))
    pause "$INTERVAL"
  done
}
rewrite_loop &
rewriter=$!
trap 'kill "$rewriter" 2>/dev/null || true' EXIT

say "bench: rstat collect --root $TREE --activities ALL -i $INTERVAL -c $COUNT"
(
  /usr/bin/time -v -o "$OUT/collect.time" "$RSTAT" collect --root "$TREE" --activities ALL -i "$INTERVAL" -c "$COUNT" \
    --no-sync --file "$FILE" >"$OUT/collect.log" 2>&1
  times >"$OUT/collect.times"
)
kill "$rewriter" 2>/dev/null || true
wait "$rewriter" 2>/dev/null || true
trap - EXIT
collect_cpu_ms=$(calc "$(children_cpu_seconds "$OUT/collect.times") * 1000 / $COUNT")
collect_rss=$(calc "$(time_field "$OUT/collect.time" "Maximum resident set size (kbytes)") / 1024")
bytes=$(stat -c %s "$FILE")

# read_cost NAME ARGS...: CPU s, wall s and peak RSS MB of one reader, output discarded.
declare -A rcpu rwall rrss
read_cost() {
  local name=$1
  shift
  (
    /usr/bin/time -v -o "$OUT/$name.time" "$RSTAT" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || true
    times >"$OUT/$name.times"
  )
  rcpu[$name]=$(children_cpu_seconds "$OUT/$name.times")
  rwall[$name]=$(time_field "$OUT/$name.time" "Elapsed (wall clock) time" | awk -F: '{ print $(NF-1) * 60 + $NF }')
  rrss[$name]=$(calc "$(time_field "$OUT/$name.time" "Maximum resident set size (kbytes)") / 1024")
}
read_cost info info "$FILE"
read_cost report report -A -f "$FILE"
read_cost export export --jsonl -A -f "$FILE"

# top in tmux: seconds until the first frame is drawn (its title says REPLAY), then until a
# step back is drawn.
top_first=n/a top_step=n/a
if command -v tmux >/dev/null; then
  session=rstat-scale-$$
  start=$(date +%s.%N)
  tmux new-session -d -s "$session" -x 200 -y 50 "$RSTAT top -f $FILE"
  pane() { tmux capture-pane -p -t "$session" 2>/dev/null || true; }
  for _ in $(seq 600); do
    if pane | grep -q REPLAY; then break; fi
    pause 0.1
  done
  top_first=$(calc "$(date +%s.%N) - $start")
  before=$(pane)
  start=$(date +%s.%N)
  tmux send-keys -t "$session" Left
  for _ in $(seq 600); do
    [ "$(pane)" != "$before" ] && break
    pause 0.05
  done
  top_step=$(calc "$(date +%s.%N) - $start")
  tmux send-keys -t "$session" q
  pause 0.5
  tmux kill-session -t "$session" 2>/dev/null || true
fi

{
  echo "== scale: a synthetic machine of 1,024 CPUs, $PROCESSES processes, 2,000 interfaces, 5,000 disks =="
  describe_machine 2>/dev/null | grep -v '^sadc:' || true
  echo "tree:     $TREE, $files_in_tree files (tmpfs)"
  echo "collect:  rstat collect --root TREE --activities ALL -i $INTERVAL -c $COUNT --no-sync (processes and cgroups on)"
  echo
  printf '%-34s %10s\n' "collector CPU ms/sample" "$collect_cpu_ms"
  printf '%-34s %10s\n' "collector peak RSS MB" "$collect_rss"
  printf '%-34s %10.0f\n' "file bytes/sample" "$(calc "$bytes / $COUNT")"
  echo
  printf '%-26s %10s %10s %10s %12s\n' reader "CPU s" "wall s" "RSS MB" "output B"
  for name in info report export; do
    printf '%-26s %10s %10s %10s %12s\n' "$name" "${rcpu[$name]}" "${rwall[$name]}" "${rrss[$name]}" "$(stat -c %s "$OUT/$name.out")"
  done
  echo
  echo "top -f (tmux 200x50): first frame after ${top_first} s, a step back drawn after ${top_step} s"
  echo "info: $(grep -E '^(samples|damage):' "$OUT/info.out" | tr '\n' ' ')"
} | tee "$RESULTS"
say "bench: results written to $RESULTS"

#!/bin/bash
# Bytes per day of rstat files at 1 s, 10 s, 1 min and 10 min per sample: each FILE (a day
# file collected at a short interval, e.g. `rstat collect -i 1 -c 181 --file F`) is copied
# as an old day into a scratch directory and thinned by `rstat prune` with a tier of each
# step (the kept samples are those a collector at that interval would have taken, and are
# stored as a collector at that interval stores them: deltas between consecutive samples).
# Prints step, samples kept, bytes per sample (`rstat info`) and bytes per day. Steps finer
# than FILE's own interval are not printed; a step needs a few samples of FILE to mean much.
# Usage: bench/archive-size.sh FILE...   (RSTAT_BIN=PATH: use that binary, else target/debug)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RSTAT=${RSTAT_BIN:-$REPO_ROOT/target/debug/rstat}
[ -x "$RSTAT" ] || { say "bench: build rstat first (cargo build -p rstat) or set RSTAT_BIN"; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
old_day=$(date -d '-30 days' +%F)
printf '%-28s %6s %8s %10s %12s\n' file step samples bytes/smp bytes/day
for file in "$@"; do
  info=$("$RSTAT" info "$file")
  first=$(date -d "$(sed -n 's/^first: *//p' <<< "$info")" +%s)
  last=$(date -d "$(sed -n 's/^last: *//p' <<< "$info")" +%s)
  count=$(sed -nE 's/^samples: *([0-9]+).*/\1/p' <<< "$info")
  interval=$(( (last - first) / (count > 1 ? count - 1 : 1) ))
  for step in 1s 10s 1m 10m; do
    rm -rf "$scratch/data" && mkdir "$scratch/data"
    cp "$file" "$scratch/data/$old_day.rstat"
    seconds=$(( ${step%[sm]} * $([ "${step: -1}" = m ] && echo 60 || echo 1) ))
    [ "$seconds" -ge "$interval" ] || continue
    if [ "$step" != 1s ]; then
      printf '[prune]\nkeep_days = 400\ntiers = ["7d: all", "1y: %s"]\n' "$step" > "$scratch/rstat.toml"
      "$RSTAT" --config "$scratch/rstat.toml" prune --dir "$scratch/data" > /dev/null
    fi
    line=$("$RSTAT" info "$scratch/data/$old_day.rstat" | grep '^samples:')
    samples=$(awk '{print $2}' <<< "$line")
    per_sample=$(sed -E 's/.*, ([0-9]+) bytes per sample.*/\1/' <<< "$line")
    [ "$samples" -ge 3 ] || continue
    printf '%-28s %6s %8s %10s %12s\n' "$(basename "$file")" "$step" "$samples" "$per_sample" \
      $(( per_sample * 86400 / seconds ))
  done
done

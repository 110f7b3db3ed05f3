#!/usr/bin/env bash
# link-order.sh: writes dist/link-order.txt, the functions `rstat collect` runs, which build.rs
# has LLD place together at the start of the binary's code (see build.rs for why).
#
# Builds rstat (cargo build --release -p rstat, or RSTAT_BIN=PATH), then runs under valgrind's
# callgrind (installed with apt-get when missing) the ways the collector is run:
#   collect --count 1 --comment boot --dir D      a new day file (rstat-boot.service)
#   collect --count 1 --quiet --dir D             appending one sample (rstat-collect.timer)
#   collect --count 1 --no-processes --no-cgroups appending, system activities only
#   collect -i 1 -c 3 --dir D2                    the continuous service (rstat-collectd)
# each with --config dist/rstat.toml, and writes every function of the rstat binary that ran,
# by its linkage (mangled) name, in the order callgrind lists them. Rerun it after large changes
# to the collector or data-format's writer: functions missing from the file still work, they
# only sit elsewhere. `nm` of the release binary shows how many of the names it found.
#
# The names carry the hashes rustc gives each crate's symbols, which change with the
# toolchain or a crate's dependencies (not with the code of a function): `--check` (run by
# CI) builds the release binary and fails when it lacks more than a tenth of the list. It
# also checks the rest of build.rs's start-up work: the binary needs no library but libc
# (no libgcc_s, no libm) and its relative relocations are packed (DT_RELR).
#
# Usage:  bench/link-order.sh [--check]
#   env:  RSTAT_BIN=PATH   profile (or check) this binary instead of building (built from this tree)
#         OUT=DIR          where the data files and callgrind outputs go (default bench/out/order)
set -euo pipefail
export LC_ALL=C

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OUT=${OUT:-$BENCH_DIR/out/order}
ORDER=$REPO_ROOT/dist/link-order.txt
CONFIG=$REPO_ROOT/dist/rstat.toml

if [ "${1:-}" = --check ]; then
  build_rstat
  read -r found listed < <(link_order_counts "$RSTAT")
  say "link order: $found of the $listed functions of dist/link-order.txt are in $RSTAT"
  if [ $((found * 10)) -lt $((listed * 9)) ]; then
    say "link order: the list is stale (a new toolchain or changed dependencies rename the"
    say "symbols), so rstat collect's code is spread over the binary again and its memory"
    say "grows by ~2 MB: run bench/link-order.sh (needs valgrind) and commit dist/link-order.txt"
    exit 1
  fi
  # Each library loaded costs every start its mapping and relocation (libm: 7% of a one-shot
  # collect, README "Issue 10, seventh round"); so does an unpacked relocation table.
  needed=$(readelf -d "$RSTAT" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
  say "link order: $RSTAT needs: $needed"
  if [ "$needed" != "libc.so.6 " ]; then
    say "link order: the release binary needs more than libc.so.6. libm: a call such as"
    say "f64::powf, log10 or exp came in (src/views/svg.rs says how it was avoided); libgcc_s:"
    say "build.rs's static unwinder probe failed (its cargo warning says why)"
    exit 1
  fi
  if ! readelf -d "$RSTAT" | grep -q '(RELR)'; then
    say "link order: the release binary's relocations are not packed: build.rs's probe of"
    say "-z pack-relative-relocs failed (its cargo warning says why)"
    exit 1
  fi
  exit 0
fi

if ! command -v valgrind >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { say "bench: valgrind is missing: apt-get install -y valgrind"; exit 1; }
  say "bench: valgrind is missing: running apt-get install -y valgrind"
  DEBIAN_FRONTEND=noninteractive apt-get install -y valgrind >&2
fi
build_rstat
rm -rf "$OUT"
mkdir -p "$OUT/day" "$OUT/loop"

profiled=0
profile() {
  profiled=$((profiled + 1))
  if ! valgrind --tool=callgrind --demangle=no --callgrind-out-file="$OUT/run-$profiled.cg" \
    "$RSTAT" --config "$CONFIG" collect "$@" >"$OUT/run-$profiled.log" 2>&1; then
    say "bench: valgrind of rstat collect $* failed; see $OUT/run-$profiled.log"
    exit 1
  fi
}
profile --count 1 --comment boot --dir "$OUT/day"
profile --count 1 --quiet --dir "$OUT/day"
profile --count 1 --quiet --no-processes --no-cgroups --file "$OUT/system.rstat"
profile --count 1 --quiet --no-processes --no-cgroups --file "$OUT/system.rstat"
profile --interval 1 --count 3 --dir "$OUT/loop"

# Callgrind compresses names: "fn=(12) name" defines 12, "fn=(12)" refers to it; the same for
# objects (ob=, cob=) and called functions (cfn=). A function is kept when its own object is
# the binary.
binary=$(readlink -f "$RSTAT")
{
  echo "# Functions rstat collect runs, placed first in the binary (build.rs). Written by"
  echo "# bench/link-order.sh; do not edit by hand."
  for file in "$OUT"/run-*.cg; do
    awk -v binary="$binary" '
      function define(line, names,    id, name) {
        id = line; sub(/^[a-z]+=\(/, "", id); sub(/\).*/, "", id)
        name = line; sub(/^[a-z]+=\([0-9]+\) ?/, "", name)
        if (name != "") names[id] = name
        return names[id]
      }
      /^ob=/  { object = define($0, objects); next }
      /^cob=/ { define($0, objects); next }
      /^cfn=/ { define($0, functions); next }
      /^fn=/  { name = define($0, functions); if (object == binary) print name }
    ' "$file"
  done | awk '!seen[$0]++'
} >"$ORDER.tmp"
mv "$ORDER.tmp" "$ORDER"
say "bench: $(grep -vc '^#' "$ORDER") functions written to $ORDER; rebuild to apply"

# Helpers shared by the bench/*.sh scripts (sourced, not run).
#
# CPU time is taken from bash's `times` builtin in a subshell whose only children are the
# measured commands: it reports the children's user and system time with 1 ms resolution,
# where /usr/bin/time prints only 10 ms.
# shellcheck shell=bash

SADC=/usr/lib/sysstat/sadc
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)

say() { printf '%s\n' "$*" >&2; }

# Installs sysstat (for sadc) and time (for /usr/bin/time) when missing, saying so.
ensure_tools() {
  local missing=()
  [ -x "$SADC" ] || missing+=(sysstat)
  [ -x /usr/bin/time ] || missing+=(time)
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "bench: missing ${missing[*]} and not root: install them first (apt-get install -y ${missing[*]})"
    exit 1
  fi
  say "bench: $SADC or /usr/bin/time is missing: running apt-get install -y ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2; then
    say "bench: install failed; running apt-get update, then apt-get install -y ${missing[*]} again"
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2
  fi
}

# Builds the release binary and sets RSTAT to its path; RSTAT_BIN=PATH uses that binary
# instead, without building.
build_rstat() {
  if [ -n "${RSTAT_BIN:-}" ]; then
    RSTAT=$RSTAT_BIN
    [ -x "$RSTAT" ] || { say "bench: RSTAT_BIN=$RSTAT is not an executable"; exit 1; }
    say "bench: using RSTAT_BIN=$RSTAT (not building)"
    return 0
  fi
  say "bench: cargo build --release -p rstat (in $REPO_ROOT)"
  (cd "$REPO_ROOT" && cargo build --release -p rstat >&2)
  local target=${CARGO_TARGET_DIR:-$REPO_ROOT/target}
  RSTAT=$target/release/rstat
  [ -x "$RSTAT" ] || { say "bench: $RSTAT was not built"; exit 1; }
}

# Seconds of user+system time of the children, from the output of `times` in FILE.
children_cpu_seconds() {
  awk 'NR == 2 {
    total = 0
    for (i = 1; i <= 2; i++) { split($i, t, "m"); sub("s", "", t[2]); total += t[1] * 60 + t[2] }
    printf "%.3f\n", total
  }' "$1"
}

# A field of /usr/bin/time -v output: time_field FILE "Maximum resident set size".
time_field() {
  awk -F': ' -v key="$2" 'index($1, key) { gsub(/^[ \t]+/, "", $2); print $2; exit }' "$1"
}

# Size of an rstat file's header (magic, lengths, postcard header, crc), from its bytes.
rstat_header_bytes() {
  local len
  len=$(od -An -tu4 -j12 -N4 "$1" | tr -d ' ')
  echo $((16 + len + 4))
}

# calc EXPR: floating-point arithmetic through awk, e.g. calc "3 / 7".
calc() { awk "BEGIN { printf \"%.4f\n\", $1 }"; }

# verdict VALUE LIMIT: PASS when VALUE <= LIMIT.
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "PASS" : "MISS" }'; }

# Sleeps without starting a process (so that `times` counts only the measured commands): a
# read with a timeout on a pipe nobody writes to, opened once here.
exec {PAUSE_FD}<> <(:)
pause() {
  [ "$1" = 0 ] && return 0
  read -r -t "$1" -u "$PAUSE_FD" _ || true
}

# Context lines for a results file.
describe_machine() {
  echo "date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "host:     $(uname -n), kernel $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rstat:    $("$RSTAT" --version) at $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO_ROOT" diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "sadc:     $("$SADC" -V 2>&1 | head -n1)"
}

# Sleeping processes started by start_sleepers N (to measure a collector with many
# processes), all stopped by stop_sleepers (scripts call it on EXIT too).
SLEEPERS=()
start_sleepers() {
  for _ in $(seq "$1"); do
    sleep 600 &
    SLEEPERS+=($!)
  done
}
stop_sleepers() {
  if [ "${#SLEEPERS[@]}" -gt 0 ]; then
    kill "${SLEEPERS[@]}" 2>/dev/null || true
    wait "${SLEEPERS[@]}" 2>/dev/null || true
    SLEEPERS=()
  fi
}

# "FOUND LISTED": how many of the functions dist/link-order.txt lists the binary BIN has (the
# ones build.rs had the linker place together; a stale list finds fewer).
link_order_counts() {
  local order=$REPO_ROOT/dist/link-order.txt listed found
  listed=$(grep -vc '^#' "$order" || true)
  found=$(nm --defined-only "$1" 2>/dev/null | awk '{ print $3 }' | sort -u |
    comm -12 - <(grep -v '^#' "$order" | sort -u) | wc -l)
  echo "$found $listed"
}

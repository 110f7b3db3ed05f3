#!/usr/bin/env bash
# plot-day.sh: the page of a full day (issue 14): page size, time to write it (wall and
# CPU), and time to first paint and to a drawn page in headless Chromium, for 86,400 samples
# one second apart with processes.
#
# Runs tests/plot_day.rs (ignored in `cargo test`: it takes a few minutes): it collects a
# real 30 s capture of this machine (1 s samples, processes included), replays it over a day
# with data-format's writer (counters carried on, so every interval derives plausible rates),
# runs `rstat plot --html` on the day and opens the page in /usr/bin/chromium (installed with
# apt-get when missing, as root). Figures only: the script exits 0 unless a step fails.
# Results: bench/out/last-plot-day.txt.
#
# Usage:  bench/plot-day.sh            (PROFILE=release by default; PROFILE=dev for a quick look)
#         RSTAT_PLOT_DAY_FILE=PATH bench/plot-day.sh   keeps the day file for the next run
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
profile=()
[ "${PROFILE:-release}" = release ] && profile=(--release)
cargo test "${profile[@]}" -p rstat --test plot_day -- --ignored --nocapture a_full_day 2>&1 \
  | grep -E '^(day file|rstat plot|Chromium)' | tee bench/out/last-plot-day.txt

#!/bin/sh
# Runs every fuzz target for at most SECONDS (default 30) or RUNS executions (default
# 1,000,000), whichever comes first, with an RSS limit of 512 MB (a memory bomb counts as a
# crash), seeded with the fixture trees' files, PARALLEL targets at a time (default 1), at
# nice NICE (default 19). Needs cargo-fuzz (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP=1 lets it use a
# stable toolchain. Corpora, seeds and logs go under fuzz/corpus/ (git-ignored); crashes
# under fuzz/artifacts/. Prints each target's executions and coverage; exits non-zero if any
# target found a crash.
set -u
seconds=${1:-30}
runs=${RUNS:-1000000}
parallel=${PARALLEL:-1}
cd "$(dirname "$0")/.."
RUSTC_BOOTSTRAP=1 cargo fuzz build -s none -O >/dev/null 2>&1 || { echo "cargo fuzz build failed"; exit 1; }

# run NAME FILE: one target; prints one line and leaves NAME.failed when it found a crash.
run() {
    name=$1
    file=$2
    seeds=fuzz/corpus/seeds/$name
    log=fuzz/corpus/logs/$name.log
    mkdir -p "$seeds" "fuzz/corpus/$name" fuzz/corpus/logs
    rm -f "fuzz/corpus/logs/$name.failed"
    for tree in tests/fixtures/*/; do
        if [ -f "$tree/proc/$file" ]; then
            cp "$tree/proc/$file" "$seeds/$(basename "$tree")"
        fi
    done
    if RUSTC_BOOTSTRAP=1 nice -n "${NICE:-19}" cargo fuzz run -s none -O "$name" "fuzz/corpus/$name" "$seeds" -- \
        -max_total_time="$seconds" -runs="$runs" -max_len=65536 -rss_limit_mb=512 \
        -print_final_stats=1 > "$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
        cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/\1 edges, \2 features, \3 inputs/p')
        echo "$name: ok, $execs executions, $cov, peak RSS ${peak} MB"
    else
        touch "fuzz/corpus/logs/$name.failed"
        echo "$name: FAILED, see $log"
        grep -E 'panicked|ERROR|artifact' "$log" | head -5
    fi
}

running=0
for target in uptime:uptime boot_id:sys/kernel/random/boot_id stat:stat meminfo:meminfo \
    vmstat:vmstat loadavg:loadavg diskstats:diskstats net_dev:net/dev \
    interrupts:interrupts pressure:pressure/io serial:tty/driver/serial rpc:net/rpc/nfsd \
    sockstat:net/sockstat snmp:net/snmp softnet:net/softnet_stat cpufreq:cpuinfo \
    mounts:self/mounts sysfs_values:sys/fs/file-nr \
    process_stat:1/stat process_status:1/status cgroup_files:pressure/cpu; do
    run "${target%%:*}" "${target#*:}" &
    running=$((running + 1))
    if [ "$running" -ge "$parallel" ]; then
        wait
        running=0
    fi
done
wait
! ls fuzz/corpus/logs/*.failed >/dev/null 2>&1

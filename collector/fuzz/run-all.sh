#!/bin/sh
# Runs every fuzz target for SECONDS (default 30), seeded with the fixture trees' files.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP=1 lets it use a stable toolchain.
# Corpora, seeds and logs go under fuzz/corpus/ (git-ignored); crashes under fuzz/artifacts/.
# Exits non-zero if any target found a crash.
set -u
seconds=${1:-30}
cd "$(dirname "$0")/.."
failed=0
for target in uptime:uptime boot_id:sys/kernel/random/boot_id stat:stat meminfo:meminfo \
    vmstat:vmstat loadavg:loadavg diskstats:diskstats net_dev:net/dev \
    interrupts:interrupts pressure:pressure/io serial:tty/driver/serial rpc:net/rpc/nfsd \
    sockstat:net/sockstat snmp:net/snmp softnet:net/softnet_stat cpufreq:cpuinfo \
    mounts:self/mounts sysfs_values:sys/fs/file-nr \
    process_stat:1/stat process_status:1/status cgroup_files:pressure/cpu; do
    name=${target%%:*}
    file=${target#*:}
    seeds=fuzz/corpus/seeds/$name
    log=fuzz/corpus/logs/$name.log
    mkdir -p "$seeds" "fuzz/corpus/$name" fuzz/corpus/logs
    for tree in tests/fixtures/*/; do
        if [ -f "$tree/proc/$file" ]; then
            cp "$tree/proc/$file" "$seeds/$(basename "$tree")"
        fi
    done
    if RUSTC_BOOTSTRAP=1 cargo fuzz run "$name" "fuzz/corpus/$name" "$seeds" -- \
        -max_total_time="$seconds" -max_len=65536 > "$log" 2>&1; then
        echo "$name: ok, $(grep -E '^Done [0-9]+ runs' "$log" || echo 'no summary line')"
    else
        failed=1
        echo "$name: FAILED, see $log"
        grep -E 'panicked|ERROR|artifact' "$log" | head -5
    fi
done
exit $failed

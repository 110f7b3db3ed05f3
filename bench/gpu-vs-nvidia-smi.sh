#!/usr/bin/env bash
# rstat's NVIDIA figures beside nvidia-smi's, on a host with an NVIDIA GPU (issue 16's
# real-hardware check; not run in CI, which has no GPU).
#
#   bench/gpu-vs-nvidia-smi.sh [SECONDS]      (default 60)
#
# For SECONDS, under a small GPU load (a PyTorch matrix-multiply loop when python3 has torch;
# without it the GPU idles and the comparison is of idle figures), runs side by side:
#   rstat collect -i 1 --activities ALL    (the release build of this checkout)
#   nvidia-smi --query-gpu=... --format=csv -l 1
# then prints, per GPU and figure, the mean of each tool over the run and their difference:
# %gpu, %mem (memory controller), MBfbused, MBfbtotal, degC, pwrW, smMHz, memMHz. The two
# tools sample at different instants, so utilisation means agree within a few points, levels
# (memory, clocks) closely. Last, the collector's CPU per sample with and without the GPU
# group (`--activities ALL` vs `ALL,-gpu`, 30 one-shot samples each): the cost NVML adds.
# Files under bench/out/gpu/ (git-ignored).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

seconds=${1:-60}
out=$BENCH_DIR/out/gpu
mkdir -p "$out"
if ! command -v nvidia-smi >/dev/null; then
  say "gpu-vs-nvidia-smi: nvidia-smi not found: run this on a host with an NVIDIA GPU and its driver"
  exit 1
fi
say "gpu-vs-nvidia-smi: building the release binary"
(cd "$REPO_ROOT" && cargo build --release -p rstat >&2)
rstat=$REPO_ROOT/target/release/rstat
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader >&2

load_pid=
if python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  say "gpu-vs-nvidia-smi: PyTorch load on every GPU for $((seconds + 5)) s"
  python3 - "$((seconds + 5))" <<'PY' &
import sys, time, torch
end = time.time() + float(sys.argv[1])
mats = [torch.randn(4096, 4096, device=f"cuda:{i}") for i in range(torch.cuda.device_count())]
while time.time() < end:
    for m in mats:
        m @ m
    torch.cuda.synchronize()
    time.sleep(0.02)  # a partial load: utilisation below 100% shows sampling differences
PY
  load_pid=$!
  sleep 3
else
  say "gpu-vs-nvidia-smi: python3 has no CUDA PyTorch: comparing an idle GPU"
fi

rm -f "$out/gpu.rstat"
nvidia-smi --query-gpu=timestamp,index,utilization.gpu,utilization.memory,memory.used,memory.total,temperature.gpu,power.draw,clocks.sm,clocks.mem \
  --format=csv,noheader,nounits -l 1 >"$out/smi.csv" &
smi_pid=$!
"$rstat" collect -i 1 --count "$seconds" --activities ALL --quiet --file "$out/gpu.rstat"
kill "$smi_pid" 2>/dev/null || true
wait "$smi_pid" 2>/dev/null || true
[ -n "$load_pid" ] && wait "$load_pid"
"$rstat" export --csv --gpu -f "$out/gpu.rstat" >"$out/rstat.csv"

python3 - "$out/rstat.csv" "$out/smi.csv" <<'PY'
import csv, re, sys
from collections import defaultdict
ours = defaultdict(lambda: defaultdict(list))
with open(sys.argv[1]) as f:
    for row in csv.DictReader(f):
        m = re.match(r"nvidia(\d+)\b", row["GPU"])
        if not m:
            continue
        for col in ("%gpu", "%mem", "MBfbused", "MBfbtotal", "degC", "pwrW", "smMHz", "memMHz"):
            try:
                ours[m.group(1)][col].append(float(row[col]))
            except (KeyError, ValueError):
                pass
theirs = defaultdict(lambda: defaultdict(list))
names = ["%gpu", "%mem", "MBfbused", "MBfbtotal", "degC", "pwrW", "smMHz", "memMHz"]
with open(sys.argv[2]) as f:
    for fields in csv.reader(f):
        fields = [x.strip() for x in fields]
        if len(fields) < 10:
            continue
        for col, value in zip(names, fields[2:10]):
            try:
                theirs[fields[1]][col].append(float(value))
            except ValueError:
                pass
mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")
print(f"{'GPU':<4} {'figure':<10} {'rstat':>10} {'nvidia-smi':>11} {'diff':>8}  samples")
for gpu in sorted(set(ours) | set(theirs)):
    for col in names:
        a, b = ours[gpu][col], theirs[gpu][col]
        print(f"{gpu:<4} {col:<10} {mean(a):>10.2f} {mean(b):>11.2f} {mean(a) - mean(b):>8.2f}  {len(a)}/{len(b)}")
PY

cost() {
  local activities=$1 file=$out/cost.rstat
  rm -f "$file"
  (
    for _ in $(seq 30); do
      "$rstat" collect --count 1 --no-processes --quiet --activities "$activities" --file "$file"
    done
    times
  ) | tail -n 1 | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/);
      printf "%.2f ms CPU per one-shot sample\n", ((u[1] * 60 + u[2]) + (s[1] * 60 + s[2])) * 1000 / 30 }'
}
printf 'one-shot, --activities ALL:      %s' "$(cost ALL)"
printf '\none-shot, --activities ALL,-gpu: %s\n' "$(cost ALL,-gpu)"

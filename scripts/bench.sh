#!/usr/bin/env bash
# Times `kubeward scan` on generated corpora and the real-world corpus, with /usr/bin/time -v.
# Usage: scripts/bench.sh [OBJECT_COUNTS...]   (default: 10000 100000)
# Needs ../shared (the generator and the real-world corpus); prints a Markdown table for
# docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
[ -f "$shared/bench/gen.py" ] || { echo "bench.sh: $shared/bench/gen.py not found" >&2; exit 2; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
runs=${RUNS:-3}

cargo build --release --locked -p kubeward >/dev/null 2>&1 || cargo build --release --locked -p kubeward
bin=target/release/kubeward
corpus=target/bench-corpus
mkdir -p "$corpus"

measure() { # label dir
  local label=$1 dir=$2 best_wall="" best_rss="" best_cpu=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -v "$bin" scan "$dir" --no-config --format json --output /dev/null --fail-on never \
      2> "$corpus/time.txt" >/dev/null || true
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$corpus/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$corpus/time.txt")
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$corpus/time.txt")
    if [ -z "$best_wall" ] || awk "BEGIN{exit !($wall < $best_wall)}"; then
      best_wall=$wall; best_rss=$rss; best_cpu=$cpu
    fi
  done
  printf '| %s | %s s | %s s | %s MiB |\n' "$label" "$best_wall" "$best_cpu" "$((best_rss / 1024))"
}

echo "| corpus | wall (best of $runs) | CPU user+sys | peak RSS |"
echo "|---|---|---|---|"
for n in "${sizes[@]}"; do
  dir="$corpus/n$n"
  [ -d "$dir" ] || python3 "$shared/bench/gen.py" --objects "$n" --seed 42 --out "$dir" >/dev/null 2>&1
  measure "generated, $n objects (gen.py --seed 42)" "$dir"
done
if [ -d "$shared/corpus/realworld" ]; then
  measure "real-world corpus (5,415 files, 10,420 objects)" "$shared/corpus/realworld"
fi

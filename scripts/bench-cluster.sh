#!/usr/bin/env bash
# Times `kubeward scan --cluster` against the test API server serving a generated corpus, with
# /usr/bin/time -v (the server's own time and memory are not counted; it runs on the same machine).
# Usage: scripts/bench-cluster.sh [OBJECTS]   (default: 50000). Needs ../shared/bench/gen.py.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
[ -f "$shared/bench/gen.py" ] || { echo "bench-cluster.sh: $shared/bench/gen.py not found" >&2; exit 2; }
n=${1:-50000}
runs=${RUNS:-3}

cargo build --release --locked -p kubeward -p kubeward-testapi >/dev/null 2>&1 \
  || cargo build --release --locked -p kubeward -p kubeward-testapi
corpus=target/bench-corpus
dir="$corpus/n$n"
mkdir -p "$corpus"
[ -d "$dir" ] || python3 "$shared/bench/gen.py" --objects "$n" --seed 42 --out "$dir" >/dev/null

kubeconfig="$corpus/kubeconfig-n$n"
fifo=$(mktemp -u)
mkfifo "$fifo"
# The server serves until its standard input closes: keep the FIFO open on fd 3 while measuring.
target/release/kubeward-testapi --kubeconfig "$kubeconfig" "$dir" < "$fifo" > "$corpus/testapi.out" &
server=$!
exec 3> "$fifo"
rm -f "$fifo"
for _ in $(seq 600); do grep -q '^ready' "$corpus/testapi.out" 2>/dev/null && break; sleep 0.1; done
echo "server: $(cat "$corpus/testapi.out")"

echo "| run | wall | CPU user+sys | peak RSS | collection |"
echo "|---|---|---|---|---|"
for i in $(seq "$runs"); do
  /usr/bin/time -v target/release/kubeward scan --cluster --kubeconfig "$kubeconfig" --no-config \
    --format json --output /dev/null --fail-on never 2> "$corpus/time.txt" || true
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$corpus/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$corpus/time.txt")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$corpus/time.txt")
  read_line=$(grep '^kubeward: read' "$corpus/time.txt" | sed 's/^kubeward: //')
  printf '| %s | %s s | %s s | %s MiB | %s |\n' "$i" "$wall" "$cpu" "$((rss / 1024))" "$read_line"
done
exec 3>&-
wait "$server" || true

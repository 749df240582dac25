#!/usr/bin/env bash
# Prints sampling throughput of the shipped gmm8 model on the CPU provider for several chunk sizes and
# thread counts (ODE, Euler, 80 steps), and checks that every configuration wrote identical bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${N:-20000}
dotnet build runtime/flowmatch -c Release >/dev/null
out=out/benchmark
mkdir -p "$out"
printf '%-8s %-8s %10s %14s\n' chunk threads seconds samples/s
for chunk in 1000 5000 20000; do
  for threads in 1 2; do
    start=$(date +%s.%N)
    dotnet runtime/flowmatch/bin/Release/net10.0/flowmatch.dll sample --provider cpu --n "$n" --chunk "$chunk" --threads "$threads" \
      --out "$out/samples-$chunk-$threads.csv" --force 2>/dev/null
    awk -v c="$chunk" -v t="$threads" -v s="$start" -v e="$(date +%s.%N)" -v n="$n" \
      'BEGIN { printf "%-8s %-8s %10.2f %14.0f\n", c, t, e - s, n / (e - s) }'
  done
done
if [[ $(sha256sum "$out"/samples-*.csv | awk '{print $1}' | sort -u | wc -l) -eq 1 ]]; then
  echo "all outputs identical"
else
  echo "outputs differ between configurations" >&2
  exit 1
fi

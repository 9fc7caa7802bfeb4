#!/usr/bin/env bash
# Instructions per token verify for each path, counted by valgrind's callgrind.
# Each path runs twice, with 0 and with COUNT counted verifies after the same warm-up. The
# difference divided by COUNT leaves out start-up, JIT and key generation.
# Usage: tests/EdgeIoT.Benchmarks/callgrind.sh [COUNT]   (from the repository root)
set -euo pipefail

count="${1:-1000}"
dll="tests/EdgeIoT.Benchmarks/bin/Release/net10.0/EdgeIoT.Benchmarks.dll"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

dotnet build -c Release tests/EdgeIoT.Benchmarks >/dev/null

# Tiered compilation off: every method is jitted once at full optimization, so a background
# re-jit cannot land inside the counted loop of one run and not the other.
export DOTNET_TieredCompilation=0
export DOTNET_TieredPGO=0

collected() {
    valgrind --tool=callgrind --callgrind-out-file="$out/cg.%p" dotnet "$dll" callgrind "$1" "$2" 2>&1 \
        | sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p'
}

printf '%-10s %15s %15s %15s\n' path "Ir at 0" "Ir at $count" "Ir per verify"
for path in raw nsec pipeline text; do
    base="$(collected "$path" 0)"
    total="$(collected "$path" "$count")"
    printf '%-10s %15s %15s %15s\n' "$path" "$base" "$total" "$(( (total - base) / count ))"
done

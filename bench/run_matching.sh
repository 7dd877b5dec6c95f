#!/usr/bin/env bash
# Kindred matching engine vs OR-Tools SimpleMinCostFlow on the identical problem.
#
# Usage: bench/run_matching.sh [SEED] [SIZE ...]     SIZE = MENTEESxMENTORS
#   e.g. bench/run_matching.sh 1 10000x2000 100000x20000
#
# For each size: runs the Kindred benchmark (generate, score every pair,
# solve, certify; --export-graph writes the certified candidate network as
# DIMACS), then bench/peers/ortools_mincostflow.py on that file, and prints a
# comparison table. Needs `pip install ortools numpy`.
set -euo pipefail
cd "$(dirname "$0")/.."
SEED="${1:-1}"
shift || true
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(10000x2000 100000x20000)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-matching}"
cargo build -q -p kindred-matching --release --features bench --example bench
BIN="$CARGO_TARGET_DIR/release/examples/bench"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

rows=()
for size in "${SIZES[@]}"; do
  n="${size%x*}"; m="${size#*x}"
  graph="$TMP/g_${size}.dimacs"
  echo "=== ${n} mentees x ${m} mentors, seed ${SEED}; $(uptime)" >&2
  "$BIN" --mentees "$n" --mentors "$m" --seed "$SEED" --export-graph "$graph" | tee "$TMP/k_${size}.txt" >&2
  python3 bench/peers/ortools_mincostflow.py "$graph" | tee "$TMP/o_${size}.txt" >&2
  k="$TMP/k_${size}.txt"; o="$TMP/o_${size}.txt"
  pipe=$(awk '/pipeline total/ {print $3}' "$k")
  score=$(awk '/score\/candidates/ {print $2}' "$k")
  solve=$(awk '/^  solve / {print $2}' "$k")
  cert=$(awk '/^  certify / {print $2}' "$k")
  kobj=$(awk -F': ' '/DIMACS min-cost units/ {print $2}' "$k")
  krss=$(awk '/peak RSS/ {print $3}' "$k"); kprss=$(awk '/peak RSS/ {print $8}' "$k")
  p99=$(awk '/suggest/ {print $8}' "$k")
  # CPU time of all threads (not inflated by other processes on the machine)
  cpu=$(awk '/cpu time, all threads/ {gsub(/[(,]/, ""); print $6 " / " $14 " / " $17 " (" $8 ")"}' "$k")
  arcs=$(awk '/SimpleMinCostFlow/ {print $5}' "$o")
  oload=$(awk '/^  load/ {print $2}' "$o")
  osolve=$(awk '/^  solve/ {print $2}' "$o")
  oobj=$(awk '/objective/ {print $4}' "$o")
  orss=$(awk '/peak RSS/ {print $3}' "$o")
  same=$([ "$kobj" = "$oobj" ] && echo yes || echo NO)
  rows+=("| ${n}x${m} | ${score} | ${solve} | ${cert} | ${pipe} | ${cpu} | ${krss} (${kprss}) | ${p99} | ${arcs} | ${oload} | ${osolve} | ${orss} | ${kobj} | ${same} |")
  echo "    load after this size: $(uptime)" >&2
done
echo
echo "| size | kindred score+cand ms | kindred solve ms | kindred certify ms | kindred pipeline ms | kindred CPU ms score / solve / certify (M pairs per CPU-s) | kindred peak RSS MiB (at optimum) | suggest p99 ms | graph arcs | OR-Tools load ms | OR-Tools solve ms | OR-Tools peak RSS MiB | objective (min-cost) | identical |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"

#!/usr/bin/env bash
# Kindred circle formation vs OR-Tools CP-SAT on the identical instance.
#
# Usage: bench/run_circles.sh small|medium|large
#   small : 16 participants x 3 facilitators, seeds 1..10, CP-SAT 60 s each
#   medium: 200 x 20, seed 1, CP-SAT 120 s
#   large : 20 000 x 2 000, seed 1, Kindred only (/usr/bin/time -v for RSS)
#
# For each run: `kindred bench circles --export DIR` (instance.json and
# Kindred's solution.json), then bench/peers/circles_cpsat.py DIR, which
# checks Kindred's solution against every hard rule, recomputes its
# objective and solves the same instance with CP-SAT (2 workers). Prints a
# markdown table. Needs `pip install 'ortools==9.15.6755'`.
set -euo pipefail
cd "$(dirname "$0")/.."
WHICH="${1:-small}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-circles}"
cargo build -q -p kindred --release --features bench
BIN="$CARGO_TARGET_DIR/release/kindred"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

field() { awk -v k="$1" '$1 == k {print $2}' "$2"; }

run() { # n f seed limit
  local n=$1 f=$2 seed=$3 limit=$4 dir="$TMP/${1}x${2}-s${3}"
  echo "=== ${n} x ${f}, seed ${seed}; $(uptime)" >&2
  "$BIN" bench circles --participants "$n" --facilitators "$f" --seed "$seed" --export "$dir" | tee "$dir.k" >&2
  local ms; ms=$(awk '/form circles/ {print $3}' "$dir.k")
  python3 bench/peers/circles_cpsat.py "$dir" --time-limit "$limit" --kindred-ms "$ms" | tee "$dir.o" >&2
  local kobj kub cp cpb cpt status
  kobj=$(field objective "$dir.k"); kub=$(awk '/upper bound/ {print $3}' "$dir.k")
  status=$(awk '/^cp-sat   : [A-Z]+,/ {sub(",", "", $3); print $3}' "$dir.o")
  cp=$(awk '/^cp-sat   : [A-Z]+,/ {for (i = 1; i <= NF; i++) if ($i == "objective") {v = $(i + 1); sub(",", "", v); print v}}' "$dir.o")
  cpb=$(awk '/^cp-sat   : [A-Z]+,/ {for (i = 1; i <= NF; i++) if ($i == "bound") print $(i + 1)}' "$dir.o")
  cpt=$(awk '/^cp-sat   : [A-Z]+,/ {for (i = 1; i <= NF; i++) if ($i == "wall,") print $(i - 2)}' "$dir.o")
  local check; check=$(grep -q ": feasible" "$dir.o" && echo feasible || echo INVALID)
  python3 - "$seed" "$kobj" "$kub" "$ms" "$status" "$cp" "$cpb" "$cpt" "$check" <<'EOF'
import sys
seed, kobj, kub, ms, status, cp, cpb, cpt, check = sys.argv[1:]
kobj, kub, ms, cp, cpb, cpt = int(kobj), int(kub), float(ms), int(cp), int(cpb), float(cpt)
ref = cpb if status == "OPTIMAL" else cp
print(f"| {seed} | {kobj} ({check}) | {100 * kobj / ref:.2f} % | {ms:.2f} ms | {kub} ({100 * (kub - kobj) / kub:.1f} %) "
      f"| {status} {cp} | {cpb} | {cpt:.2f} s | 1/{cpt * 1e3 / ms:.0f} |")
EOF
}

header='| seed | Kindred objective (peer check) | of CP-SAT optimum / best | Kindred time | Kindred bound (gap) | CP-SAT status, objective | CP-SAT bound | CP-SAT time | time ratio |'
sep='|---|---|---|---|---|---|---|---|---|'
case "$WHICH" in
  small)
    echo "$header"; echo "$sep"
    for s in 1 2 3 4 5 6 7 8 9 10; do run 16 3 "$s" 60; done ;;
  medium)
    echo "$header"; echo "$sep"
    run 200 20 1 120 ;;
  large)
    echo "=== 20000 x 2000, seed 1; $(uptime)" >&2
    /usr/bin/time -v "$BIN" bench circles --participants 20000 --facilitators 2000 --seed 1 2> "$TMP/time.txt"
    grep -E "Elapsed|Maximum resident|User time|System time" "$TMP/time.txt" ;;
  *) echo "usage: $0 small|medium|large" >&2; exit 2 ;;
esac

#!/usr/bin/env python3
"""Check Kindred's circles against an exported instance, then solve it with CP-SAT.

Usage: bench/peers/circles_cpsat.py DIR [--time-limit SECONDS] [--workers N]
                                        [--kindred-ms MS] [--check-only]

DIR holds instance.json and solution.json as written by
`kindred bench circles --export DIR` (shared/API.md, "Circle formation
instance (for external solvers)"). The script

1. checks Kindred's solution against every hard rule of the instance, on its
   own: each circle's key is held by its facilitator and every member, its
   size is within [min_size, max_size], no forbidden pair shares a circle
   (participant-participant or participant-facilitator), no facilitator leads
   more than max_circles circles, no participant is in two circles; and
   recomputes the objective from the weights (absent pairs weigh 0);
2. solves the instance with OR-Tools CP-SAT (num_workers = 2 by default, the
   given time limit) and prints both side by side with CP-SAT's best bound.

Model: each facilitator f has max_circles circle slots; slot c picks at most
one of f's keys (y[c,k]); x[i,c] = participant i in slot c, only for i that
shares a key with f and is not forbidden with f, and only under a key both
hold; min_size*open <= size <= max_size*open; each participant in at most one
slot; forbidden pairs x[i,c] + x[j,c] <= 1; and for every compatible pair
(both candidates of c, a common key with f, weight > 0) z[i,j,c] <= x[i,c],
z[i,j,c] <= x[j,c] (exact for a maximisation with non-negative weights).
Objective: sum w[i,j] z[i,j,c] + sum fw[f,i] x[i,c]. Slots of one
facilitator are opened in order (symmetry).

Exit status: 0 when Kindred's solution is feasible and its objective is
recomputed exactly (and CP-SAT, when run, found nothing contradicting it);
1 when the check fails; 2 on bad usage; 3 when ortools is missing or not the
pinned version. Requires `pip install 'ortools==9.15.6755'`.
"""
import argparse
import json
import resource
import sys
import time
from collections import defaultdict
from itertools import combinations

ORTOOLS_VERSION = "9.15.6755"
INSTALL = f"pip install 'ortools=={ORTOOLS_VERSION}'"


def load(dirname):
    with open(f"{dirname}/instance.json", encoding="utf-8") as f:
        inst = json.load(f)
    with open(f"{dirname}/solution.json", encoding="utf-8") as f:
        sol = json.load(f)
    return inst, sol


class Instance:
    def __init__(self, raw):
        self.min_size = raw["min_size"]
        self.max_size = raw["max_size"]
        self.p_keys = {p["id"]: set(p["keys"]) for p in raw["participants"]}
        self.f_keys = {f["id"]: set(f["keys"]) for f in raw["facilitators"]}
        self.f_cap = {f["id"]: f["max_circles"] for f in raw["facilitators"]}
        self.w = {}
        for a, b, v in raw["weights"]:
            self.w[frozenset((a, b))] = self.w.get(frozenset((a, b)), 0) + v
        self.fw = {}
        for f, r, v in raw["facilitator_weights"]:
            self.fw[(f, r)] = self.fw.get((f, r), 0) + v
        self.forbidden = {frozenset(p) for p in raw["forbidden"]}
        if len(self.p_keys) != len(raw["participants"]):
            raise ValueError("duplicate participant ids")
        if any(v < 0 for v in self.w.values()) or any(v < 0 for v in self.fw.values()):
            raise ValueError("negative weight")

    def pair(self, a, b):
        return self.w.get(frozenset((a, b)), 0)


def check(inst, sol):
    """Returns (errors, recomputed objective)."""
    errors = []
    seen = {}
    load = defaultdict(int)
    total = 0
    for n, c in enumerate(sol["circles"]):
        f, key, members = c["facilitator"], c["key"], c["members"]
        where = f"circle {n} ({f}, key {key})"
        if f not in inst.f_keys:
            errors.append(f"{where}: unknown facilitator")
            continue
        load[f] += 1
        if key not in inst.f_keys[f]:
            errors.append(f"{where}: the facilitator does not hold the key")
        if not inst.min_size <= len(members) <= inst.max_size:
            errors.append(f"{where}: {len(members)} members, outside [{inst.min_size}, {inst.max_size}]")
        for m in members:
            if m not in inst.p_keys:
                errors.append(f"{where}: unknown participant {m}")
                continue
            if key not in inst.p_keys[m]:
                errors.append(f"{where}: {m} does not hold the key")
            if m in seen:
                errors.append(f"{where}: {m} is also in circle {seen[m]}")
            seen[m] = n
            if frozenset((m, f)) in inst.forbidden:
                errors.append(f"{where}: {m} is forbidden with the facilitator")
            total += inst.fw.get((f, m), 0)
        for a, b in combinations(members, 2):
            if frozenset((a, b)) in inst.forbidden:
                errors.append(f"{where}: forbidden pair {a}, {b}")
            total += inst.pair(a, b)
    for f, k in load.items():
        if k > inst.f_cap[f]:
            errors.append(f"facilitator {f} leads {k} circles, max_circles {inst.f_cap[f]}")
    if total != sol["objective"]:
        errors.append(f"objective: recomputed {total}, solution says {sol['objective']}")
    return errors, total


def import_cp_model():
    try:
        import ortools
        from ortools.sat.python import cp_model
    except ImportError:
        print(f"circles_cpsat: ortools is not installed: {INSTALL}", file=sys.stderr)
        sys.exit(3)
    if ortools.__version__ != ORTOOLS_VERSION:
        print(
            f"circles_cpsat: ortools {ORTOOLS_VERSION} is pinned, found {ortools.__version__}: {INSTALL}",
            file=sys.stderr,
        )
        sys.exit(3)
    return cp_model


def build(cp_model, inst):
    m = cp_model.CpModel()
    x = {}  # (participant, slot) -> var
    objective = []
    slots = []
    counts = {"slots": 0, "x": 0, "z": 0, "y": 0}
    for f in sorted(inst.f_keys):
        fkeys = inst.f_keys[f]
        cands = sorted(
            p for p, ks in inst.p_keys.items()
            if ks & fkeys and frozenset((p, f)) not in inst.forbidden
        )
        if len(cands) < inst.min_size or not fkeys:
            continue
        # Pairs without a common key of f can never share a slot (one key
        # per slot, and x[i,c] needs a key of i): no variable for them.
        pairs, forbidden = [], []
        for a, b in combinations(cands, 2):
            if not inst.p_keys[a] & inst.p_keys[b] & fkeys:
                continue
            if frozenset((a, b)) in inst.forbidden:
                forbidden.append((a, b))
            elif inst.pair(a, b) > 0:
                pairs.append((a, b, inst.pair(a, b)))
        prev_open = None
        for s in range(inst.f_cap[f]):
            c = (f, s)
            y = {k: m.NewBoolVar(f"y[{f},{s},{k}]") for k in sorted(fkeys)}
            counts["y"] += len(y)
            is_open = m.NewBoolVar(f"open[{f},{s}]")
            m.Add(sum(y.values()) == is_open)
            if prev_open is not None:
                m.AddImplication(is_open, prev_open)
            prev_open = is_open
            xs = {}
            for p in cands:
                v = m.NewBoolVar(f"x[{p},{f},{s}]")
                m.Add(v <= sum(y[k] for k in inst.p_keys[p] & fkeys))
                xs[p] = v
                x[(p, c)] = v
                objective.append(inst.fw.get((f, p), 0) * v)
            counts["x"] += len(xs)
            size = sum(xs.values())
            m.Add(size >= inst.min_size * is_open)
            m.Add(size <= inst.max_size * is_open)
            for a, b in forbidden:
                m.Add(xs[a] + xs[b] <= 1)
            for a, b, w in pairs:
                z = m.NewBoolVar(f"z[{a},{b},{f},{s}]")
                m.Add(z <= xs[a])
                m.Add(z <= xs[b])
                objective.append(w * z)
            counts["z"] += len(pairs)
            slots.append(c)
            counts["slots"] += 1
    by_p = defaultdict(list)
    for (p, c), v in x.items():
        by_p[p].append(v)
    for vs in by_p.values():
        m.AddAtMostOne(vs)
    m.Maximize(sum(objective))
    return m, counts, x


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--time-limit", type=float, default=60.0, help="CP-SAT seconds (default 60)")
    ap.add_argument("--workers", type=int, default=2, help="CP-SAT num_workers (default 2)")
    ap.add_argument("--kindred-ms", type=float, help="Kindred's time, for the ratio")
    ap.add_argument("--check-only", action="store_true", help="check Kindred's solution, no solve")
    ap.add_argument("--print", action="store_true", help="print CP-SAT's circles")
    args = ap.parse_args()

    raw, sol = load(args.dir)
    inst = Instance(raw)
    errors, total = check(inst, sol)
    print(f"instance {args.dir}: {len(inst.p_keys)} participants, {len(inst.f_keys)} facilitators, "
          f"{len(set().union(*inst.p_keys.values(), *inst.f_keys.values()))} keys, "
          f"{len(inst.w)} weighted pairs, {len(inst.forbidden)} forbidden pairs")
    print(f"kindred  : {len(sol['circles'])} circles, objective {sol['objective']} "
          f"(recomputed {total}): {'feasible' if not errors else 'INVALID'}")
    for e in errors[:20]:
        print(f"  - {e}")
    if errors:
        return 1
    if args.check_only:
        return 0

    cp_model = import_cp_model()
    t0 = time.perf_counter()
    model, counts, xvars = build(cp_model, inst)
    t_build = time.perf_counter() - t0
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = args.workers
    solver.parameters.max_time_in_seconds = args.time_limit
    status = solver.Solve(model)
    name = solver.StatusName(status)
    print(f"cp-sat   : ortools {ORTOOLS_VERSION}, {args.workers} workers, limit {args.time_limit:g} s; "
          f"model {counts['slots']} circle slots, {counts['y']} key, {counts['x']} member, "
          f"{counts['z']} pair variables (built in {t_build:.2f} s)")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        print(f"cp-sat   : {name} after {solver.WallTime():.2f} s, no solution")
        return 0
    best, bound = int(round(solver.ObjectiveValue())), int(round(solver.BestObjectiveBound()))
    gap = 100.0 * (bound - best) / bound if bound else 0.0
    print(f"cp-sat   : {name}, objective {best}, best bound {bound} (gap {gap:.2f} %), "
          f"{solver.WallTime():.2f} s wall, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if args.print:
        circles = defaultdict(list)
        for (p, c), v in xvars.items():
            if solver.Value(v):
                circles[c].append(p)
        for (f, s), ms in sorted(circles.items()):
            print(f"  cp-sat circle {f}#{s}: {sorted(ms, key=lambda r: (len(r), r))}")
    ref = bound if status == cp_model.OPTIMAL else best
    pct = 100.0 * total / ref if ref else 100.0
    line = (f"side by side: kindred {total} vs cp-sat {best} ({name.lower()}), "
            f"kindred = {pct:.3f} % of cp-sat's {'optimum' if status == cp_model.OPTIMAL else 'best'}; "
            f"cp-sat bound {bound}")
    if args.kindred_ms is not None and args.kindred_ms > 0:
        line += f"; time kindred {args.kindred_ms:.1f} ms vs cp-sat {solver.WallTime() * 1e3:.0f} ms " \
                f"(1/{solver.WallTime() * 1e3 / args.kindred_ms:.0f})"
    print(line)
    if total > bound:
        print("  - Kindred's objective is above CP-SAT's proven bound: the two disagree on the instance")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

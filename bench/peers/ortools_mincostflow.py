#!/usr/bin/env python3
"""Solve a DIMACS min-cost-flow file with OR-Tools SimpleMinCostFlow.

Usage: bench/peers/ortools_mincostflow.py FILE

Prints load time (parsing + building the OR-Tools graph) separately from
solve time, the optimal cost, and the process's peak RSS
(resource.getrusage ru_maxrss). Requires `pip install ortools numpy`.
"""
import resource
import sys
import time

import numpy as np
from ortools.graph.python import min_cost_flow


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def load(path: str):
    """Parse `p`, `n` and `a` lines; returns arrays (0-based node ids)."""
    n_nodes = 0
    supply_nodes, supplies = [], []
    with open(path, "rb") as f:
        data = f.read()
    arc_chunks = []
    for line in data.split(b"\n"):
        if not line:
            continue
        c = line[:1]
        if c == b"a":
            arc_chunks.append(line[2:])
        elif c == b"n":
            _, i, s = line.split()
            supply_nodes.append(int(i) - 1)
            supplies.append(int(s))
        elif c == b"p":
            parts = line.split()
            n_nodes = int(parts[2])
    del data
    arcs = np.array(b" ".join(arc_chunks).split(), dtype=np.int64).reshape(-1, 5)
    del arc_chunks
    return n_nodes, np.array(supply_nodes, dtype=np.int64), np.array(supplies, dtype=np.int64), arcs


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    t0 = time.perf_counter()
    n_nodes, snodes, supplies, arcs = load(path)
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(
        arcs[:, 0] - 1, arcs[:, 1] - 1, arcs[:, 3], arcs[:, 4]
    )
    smcf.set_nodes_supplies(snodes, supplies)
    n_arcs = len(arcs)
    del arcs
    t_load = time.perf_counter() - t0
    rss_before = rss_mib()
    t1 = time.perf_counter()
    status = smcf.solve()
    t_solve = time.perf_counter() - t1
    if status != smcf.OPTIMAL:
        print(f"ortools: status {status} (not OPTIMAL)")
        return 1
    print(f"ortools SimpleMinCostFlow: {n_nodes} nodes, {n_arcs} arcs")
    print(f"  load  {t_load * 1e3:10.1f} ms")
    print(f"  solve {t_solve * 1e3:10.1f} ms")
    print(f"  objective (min cost) {smcf.optimal_cost()}")
    print(f"  peak RSS {rss_mib():.1f} MiB (after load, before solve: {rss_before:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""CP-SAT's starting plan: the greedy dispatcher on a few jittered job orders, the best kept.

The greedy plan of one order can leave a car a night late that another order would finish in
the day: on the 12 stored dealership days the best start given 30 s was 0-53 % cheaper than the
promise order alone (median 28 %); benchmarks/warm_starts.md measures what the search makes of
it. The extra orders get a small share of the time limit, so quick re-plans of a big day run the
one order.
"""

from __future__ import annotations

import time

from solver.evaluate import evaluate_terms, weighted_total
from solver.greedy import greedy_solution
from solver.greedy_order import jittered_order, job_order
from solver.instance import Instance
from solver.solution import Solution

STARTS_SHARE = 0.1
"""Share of the time limit that jittered orders may use, after the promise order."""
MAX_STARTS = 8
"""Orders tried at most, the promise order included."""


def best_start(instance: Instance, *, time_limit: float, seed: int) -> Solution:
    """The cheapest plan of the promise order and of jittered orders.

    Another order is tried only while the time spent, plus what the last order took, stays within
    `STARTS_SHARE` of `time_limit`. Orders are drawn from `seed`: the same inputs give the same start.
    """
    began = time.perf_counter()
    budget = STARTS_SHARE * time_limit
    best: Solution | None = None
    best_cost = 0.0
    for n in range(MAX_STARTS):
        tried = time.perf_counter()
        order = job_order if n == 0 else jittered_order(seed * MAX_STARTS + n)
        candidate = greedy_solution(instance, order)
        cost = float(weighted_total(instance, evaluate_terms(instance, candidate)))
        if best is None or cost < best_cost:
            best, best_cost = candidate, cost
        took = time.perf_counter() - tried
        if time.perf_counter() - began + took > budget:
            break
    assert best is not None
    return best

"""What the search gains from starting at the best of several greedy job orders instead of the
promise order alone, on stored dealership days and FJSP instances; writes benchmarks/warm_starts.md.

    .venv/bin/python -m benchmarks.warm_starts [--days 20x60:3,mk10] [--limits 10,30] [--runs 3]

A day is `size:seed` (benchmarks/instances/dealership) or an FJSP instance name (solved as
benchmarks/fjsp.py does, objective = makespan).

Both arms run the same code on the same machine, one after the other for each solver seed; only
`solver.starts.MAX_STARTS` differs (1: the promise order alone). Tables from different days or
machines cannot show this: the machine's speed moves the results more than the change does.
Every plan is checked by the independent validator.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from pathlib import Path

from benchmarks.dealership_days import run_one
from benchmarks.instances import load_instance
from fixtures.fjsp import instance_path, load_fjs, to_problem
from scheduler.problem import Problem
from scheduler.solve_settings import SolverSettings
from solver import starts
from solver.evaluate import evaluate_terms, weighted_total
from solver.greedy import greedy_solution
from solver.instance import compile_problem

RESULTS = Path(__file__).with_name("warm_starts.md")
DAYS = "10x30:1,20x60:3,40x120:1,40x120:2,80x250:2,mk02,mk10"
ARMS = (1, starts.MAX_STARTS)


@dataclass(frozen=True)
class Cell:
    day: str
    limit: float
    objectives: dict[int, list[float]]
    """Per arm (orders tried at most), one objective per solver seed."""


def problem_of(day: str) -> tuple[Problem, dict[str, int]]:
    """The problem and the solver settings it needs beyond the defaults."""
    if ":" in day:
        size, seed = day.split(":")
        return load_instance(size, int(seed)), {}
    fjsp = load_fjs(instance_path(day))
    return to_problem(fjsp), {"max_candidates_per_operation": max(12, fjsp.max_options)}


def start_costs(day: str) -> tuple[float, float, float]:
    """The promise order's greedy cost, the best start's cost (30 s budget) and the seconds it took."""
    instance = compile_problem(problem_of(day)[0])
    promise = float(weighted_total(instance, evaluate_terms(instance, greedy_solution(instance))))
    began = time.perf_counter()
    best = starts.best_start(instance, time_limit=30, seed=1)
    seconds = time.perf_counter() - began
    return promise, float(weighted_total(instance, evaluate_terms(instance, best))), seconds


def bench_cell(day: str, limit: float, runs: int, workers: int) -> Cell:
    problem, extra = problem_of(day)
    objectives: dict[int, list[float]] = {arm: [] for arm in ARMS}
    default = starts.MAX_STARTS
    try:
        for run in range(1, runs + 1):
            for arm in ARMS:
                starts.MAX_STARTS = arm
                settings = SolverSettings.model_validate(
                    {"time_limit_seconds": limit, "workers": workers, "seed": run, **extra}
                )
                objectives[arm].append(run_one(problem, settings).solve.objective or 0.0)
    finally:
        starts.MAX_STARTS = default
    cell = Cell(day, limit, objectives)
    print(
        f"{day} {limit:g}s: " + ", ".join(f"{a}: {statistics.median(o):.0f}" for a, o in objectives.items())
    )
    return cell


def render(cells: list[Cell], costs: dict[str, tuple[float, float, float]], runs: int, workers: int) -> str:
    one, many = ARMS
    lines = [
        f"## Warm start: the best of {many} greedy job orders vs the promise order "
        f"({date.today().isoformat()})",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; OR-Tools "
        f"{version('ortools')}; `solver.planner.make_plan`, {workers} workers, solver seeds 1–{runs}, "
        "both arms run back to back per seed on this machine. Days: benchmarks/instances/dealership "
        "(size:seed) and FJSP instances (mk…, objective = makespan).",
        "",
        "Starting plans (greedy cost = the workshop's weighted objective; the best start given "
        "a 30 s limit):",
        "",
        "| day | promise order | best start | cheaper by | seconds |",
        "|---|---|---|---|---|",
    ]
    for day, (promise, best, seconds) in costs.items():
        cheaper = 100 * (promise - best) / promise
        lines.append(f"| {day} | {promise:.0f} | {best:.0f} | {cheaper:.0f} % | {seconds:.2f} |")
    lines += [
        "",
        "Objective after the search (median of the seeds, the runs in brackets):",
        "",
        f"| day | limit | promise order only | best of {many} | change of the median |",
        "|---|---|---|---|---|",
    ]
    for cell in cells:
        base, new = statistics.median(cell.objectives[one]), statistics.median(cell.objectives[many])
        runs_of = {arm: ", ".join(f"{o:.0f}" for o in cell.objectives[arm]) for arm in ARMS}
        lines.append(
            f"| {cell.day} | {cell.limit:g} s | {base:.0f} ({runs_of[one]}) | {new:.0f} ({runs_of[many]}) "
            f"| {100 * (new - base) / base:+.0f} % |"
        )
    better = sum(statistics.median(c.objectives[many]) < statistics.median(c.objectives[one]) for c in cells)
    lines += ["", f"The best-of-{many} start gave the lower median in {better} of {len(cells)} cells."]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", default=DAYS, help="size:seed, comma-separated")
    parser.add_argument("--limits", default="10,30")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    days = args.days.split(",")
    costs = {day: start_costs(day) for day in days}
    cells = [
        bench_cell(day, float(limit), args.runs, args.workers)
        for day in days
        for limit in args.limits.split(",")
    ]
    args.out.write_text(render(cells, costs, args.runs, args.workers), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

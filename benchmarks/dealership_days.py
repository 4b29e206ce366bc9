"""Greedy vs CP-SAT on generated dealership days; writes benchmarks/dealership_days.md.

    .venv/bin/python -m benchmarks.dealership_days [--sizes 10x30,20x60] [--seeds 1,2,3] [--limits 10,30]

Every plan is checked by the independent validator; a benchmark that returns an
invalid plan stops with an error instead of reporting it.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fixtures.generator import generate_problem
from scheduler.plan import Plan
from scheduler.plan_validator import validate_plan
from scheduler.problem import Problem
from scheduler.solve_settings import EngineChoice, SolverSettings
from solver.planner import make_plan

RESULTS = Path(__file__).with_name("dealership_days.md")
DEFAULT_SIZES = "10x30,20x60,40x120,80x250"


@dataclass(frozen=True)
class Row:
    size: str
    seed: int
    engine: str
    limit: float | None
    objective: float
    tardiness: int
    on_time: float
    bound: float | None
    seconds: float
    status: str


def run_one(problem: Problem, settings: SolverSettings) -> Plan:
    plan = make_plan(problem, settings)
    violations = validate_plan(problem, plan)
    if violations:
        raise SystemExit(f"invalid plan: {violations[:3]}")
    return plan


def row_of(size: str, seed: int, limit: float | None, plan: Plan) -> Row:
    return Row(
        size=size,
        seed=seed,
        engine=plan.solve.engine.value,
        limit=limit,
        objective=plan.solve.objective or 0.0,
        tardiness=plan.kpis.total_tardiness_minutes,
        on_time=plan.kpis.on_time_share,
        bound=plan.solve.best_bound,
        seconds=plan.solve.solve_seconds,
        status=plan.solve.status.value,
    )


def bench_instance(size: str, seed: int, limits: Sequence[float], workers: int) -> list[Row]:
    technicians, jobs = (int(x) for x in size.split("x"))
    problem = generate_problem(technicians=technicians, bays=None, jobs=jobs, days=1, seed=seed)
    rows = [row_of(size, seed, None, run_one(problem, SolverSettings(engine=EngineChoice.GREEDY)))]
    for limit in limits:
        settings = SolverSettings(time_limit_seconds=limit, workers=workers, seed=seed)
        rows.append(row_of(size, seed, limit, run_one(problem, settings)))
        print(f"{size} seed {seed} limit {limit}s: {rows[-1]}", flush=True)
    return rows


def _improvement(greedy: Row, row: Row) -> str:
    if greedy.objective <= 0:
        return "n/a"
    return f"{100 * (greedy.objective - row.objective) / greedy.objective:.1f} %"


def _gap(row: Row) -> str:
    if row.bound is None or row.objective <= 0:
        return "–"
    return f"{100 * (row.objective - row.bound) / row.objective:.1f} %"


def render(rows: list[Row], workers: int) -> str:
    lines = [
        f"## Greedy vs CP-SAT on generated dealership days ({date.today().isoformat()})",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"CP-SAT with {workers} workers; one day per instance (fixtures.generator, seeds as listed).",
        "Objective = the workshop's weighted sum (lower is better); tardiness in minutes; gap = "
        "(objective − best bound) / objective; 'better' = CP-SAT's objective improvement over greedy.",
        "",
        "| size (techs×jobs) | seed | engine | limit s | objective | better than greedy | tardiness min "
        "| on-time | best bound | gap | time s | status |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    greedy_of = {(r.size, r.seed): r for r in rows if r.limit is None}
    for r in rows:
        greedy = greedy_of[(r.size, r.seed)]
        better = "–" if r.limit is None else _improvement(greedy, r)
        bound = f"{r.bound:.0f}" if r.bound is not None else "–"
        limit = f"{r.limit:g}" if r.limit is not None else "–"
        lines.append(
            f"| {r.size} | {r.seed} | {r.engine} | {limit} | {r.objective:.0f} | {better} | {r.tardiness} "
            f"| {r.on_time:.0%} | {bound} | {_gap(r)} | {r.seconds:.2f} | {r.status} |"
        )
    solved = [r for r in rows if r.limit is not None]
    beaten = [r for r in solved if r.objective < greedy_of[(r.size, r.seed)].objective]
    lines += [
        "",
        f"CP-SAT beat the greedy plan in {len(beaten)} of {len(solved)} runs "
        f"(strictly lower objective on the same instance).",
        "",
        *_medians(rows, greedy_of),
    ]
    return "\n".join(lines) + "\n"


def _medians(rows: list[Row], greedy_of: dict[tuple[str, int], Row]) -> list[str]:
    lines = [
        "Medians over the seeds:",
        "",
        "| size | engine | limit s | median objective | median improvement over greedy | median time s |",
        "|---|---|---|---|---|---|",
    ]
    keys = sorted({(r.size, r.limit or 0.0) for r in rows}, key=lambda k: (int(k[0].split("x")[0]), k[1]))
    for size, limit in keys:
        group = [r for r in rows if r.size == size and (r.limit or 0.0) == limit]
        baselines = [(greedy_of[(r.size, r.seed)].objective, r.objective) for r in group]
        gains = [100 * (base - obj) / base for base, obj in baselines if base > 0]
        gain = f"{statistics.median(gains):.1f} %" if gains and limit else "–"
        lines.append(
            f"| {size} | {'greedy' if not limit else 'cp-sat'} | {limit or '–'} "
            f"| {statistics.median(r.objective for r in group):.0f} | {gain} "
            f"| {statistics.median(r.seconds for r in group):.2f} |"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--limits", default="10,30")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    limits = [float(x) for x in args.limits.split(",")]
    rows = [
        row
        for size in args.sizes.split(",")
        for seed in (int(s) for s in args.seeds.split(","))
        for row in bench_instance(size, seed, limits, args.workers)
    ]
    args.out.write_text(render(rows, args.workers), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

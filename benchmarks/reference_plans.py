"""Long runs that give each dealership-day instance its reference plan and lower bound.

    .venv/bin/python -m benchmarks.reference_plans [--sizes 10x30,20x60] [--seeds 1,2,3]
        [--minutes 10] [--workers 2] [--rescore]

Each run solves the stored instance (benchmarks/instances.py) with Bayplan's planner for
`--minutes`, checks the plan with the independent validator, and computes the job-alone bound.
A stored reference is replaced only by a better plan (both scored by today's evaluation); bounds
only ever rise (every bound found is valid, so the larger one is kept). `--rescore` only checks
the stored references and scores them again.
"""

from __future__ import annotations

import argparse
import os
import platform
from collections.abc import Sequence
from datetime import date
from importlib.metadata import version

from benchmarks.instances import SEEDS, SIZES, Reference, load_instance, load_reference, save_reference
from scheduler.plan_validator import validate_plan
from scheduler.solve_settings import SolverSettings
from solver.bounds import job_alone_bound
from solver.evaluate import evaluate_terms, weighted_total
from solver.instance import compile_problem
from solver.plan_builder import solution_of
from solver.planner import make_plan


def improve_reference(size: str, seed: int, minutes: float, workers: int) -> Reference:
    problem = load_instance(size, seed)
    settings = SolverSettings(time_limit_seconds=minutes * 60, workers=workers, seed=seed)
    plan = make_plan(problem, settings)
    violations = validate_plan(problem, plan)
    if violations:
        raise SystemExit(f"{size} seed {seed}: invalid plan: {violations[:3]}")
    assert plan.solve.objective is not None
    old = rescored(size, seed)
    alone = old.job_alone_bound if old else job_alone_bound(compile_problem(problem)).value
    bounds = [plan.solve.best_bound, old.cp_sat_bound if old else None]
    cp_sat = max((b for b in bounds if b is not None), default=None)
    found = Reference(
        objective=plan.solve.objective,
        lower_bound=max(alone, cp_sat if cp_sat is not None else alone),
        cp_sat_bound=cp_sat,
        job_alone_bound=alone,
        time_limit_seconds=settings.time_limit_seconds,
        workers=workers,
        made_on=date.today(),
        machine=f"{platform.machine()}, {os.cpu_count()} cores",
        ortools=version("ortools"),
        plan=plan,
    )
    kept = found if old is None or found.objective < old.objective else old
    best = kept.model_copy(update={"lower_bound": found.lower_bound, "cp_sat_bound": cp_sat})
    save_reference(size, seed, best)
    return best


def rescored(size: str, seed: int) -> Reference | None:
    """The stored reference, checked again and scored by today's evaluation (an older run may have
    recorded CP-SAT's interim objective, or goals may have changed since)."""
    problem, reference = load_instance(size, seed), load_reference(size, seed)
    if reference is None:
        return None
    violations = validate_plan(problem, reference.plan)
    if violations:
        raise SystemExit(f"{size} seed {seed}: the stored reference is not valid: {violations[:3]}")
    instance = compile_problem(problem)
    objective = weighted_total(instance, evaluate_terms(instance, solution_of(instance, reference.plan)))
    return reference.model_copy(update={"objective": float(objective)})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--seeds", default=",".join(str(s) for s in SEEDS))
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rescore", action="store_true", help="only check and re-score the stored ones")
    args = parser.parse_args(argv)
    for size in args.sizes.split(","):
        for seed in (int(s) for s in args.seeds.split(",")):
            if args.rescore:
                found = rescored(size, seed)
                if found is None:
                    continue
                save_reference(size, seed, found)
                reference = found
            else:
                reference = improve_reference(size, seed, args.minutes, args.workers)
            print(
                f"{size} seed {seed}: reference {reference.objective:.0f} (made {reference.made_on}, "
                f"{reference.time_limit_seconds:g} s), lower bound {reference.lower_bound:.0f} "
                f"(job-alone {reference.job_alone_bound:.0f}, CP-SAT {reference.cp_sat_bound})",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

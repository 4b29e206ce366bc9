"""The job-alone lower bound: the sum of each job's own best cost, never above any plan's objective."""

from __future__ import annotations

import pytest

from fixtures.generator import generate_problem
from scheduler.problem import Problem
from scheduler.solve_settings import SolverSettings
from solver.bounds import job_alone_bound
from solver.instance import compile_problem
from solver.planner import make_plan
from tests.solver.conftest import solve_and_validate
from tests.solver.tiny_problems import job, operation, problem, technician

PROMISE = "2026-11-23T10:00:00+08:00"


def one_technician_day(*jobs: dict[str, object]) -> Problem:
    return problem([technician("T1", {"maintenance": 1})], list(jobs))


def optimum(day: Problem) -> float:
    plan = make_plan(day, SolverSettings(time_limit_seconds=10, workers=1))
    assert plan.solve.status.value == "optimal" and plan.solve.objective is not None
    return plan.solve.objective


def test_a_day_of_one_job_is_bounded_by_its_optimum_exactly() -> None:
    day = one_technician_day(job("J1", [operation("a", 90), operation("b", 30, predecessors=["a"])]))
    assert job_alone_bound(compile_problem(day)).value == optimum(day)


def test_jobs_that_wait_for_each_other_are_bounded_by_their_costs_alone() -> None:
    first = job("J1", [operation("a", 120)], promised_at=PROMISE)
    second = job("J2", [operation("b", 120)], promised_at=PROMISE)
    bound = job_alone_bound(compile_problem(one_technician_day(first, second)))
    alone = optimum(one_technician_day(first)) + optimum(one_technician_day(second))
    assert bound.value == alone and bound.proven_jobs == bound.jobs == 2
    # Together one of them waits two hours for the technician and misses its promise.
    assert bound.value < optimum(one_technician_day(first, second))


@pytest.mark.parametrize("seed", [1, 2])
def test_the_bound_lies_below_every_plan_of_a_generated_day(seed: int) -> None:
    day = generate_problem(technicians=5, bays=6, jobs=12, days=1, seed=seed)
    bound = job_alone_bound(compile_problem(day)).value
    plans = [solve_and_validate(day, engine) for engine in ("greedy", "cp-sat")]
    assert all(plan.solve.objective is not None and bound <= plan.solve.objective for plan in plans)
    assert bound > 0

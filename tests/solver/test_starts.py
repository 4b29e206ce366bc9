"""CP-SAT's starting plan: the cheapest greedy plan over jittered job orders, valid and repeatable."""

from __future__ import annotations

import time

import pytest

from benchmarks.instances import load_instance
from scheduler.plan import Engine, SolveStatus
from scheduler.plan_validator import validate_plan
from solver.evaluate import evaluate_terms, weighted_total
from solver.greedy import greedy_solution
from solver.greedy_order import jittered_order, job_order
from solver.instance import Instance, compile_problem, plannable_ops
from solver.planner import _plan
from solver.solution import Solution
from solver.starts import best_start


def cost(instance: Instance, solution: Solution) -> float:
    return float(weighted_total(instance, evaluate_terms(instance, solution)))


@pytest.fixture(scope="module")
def night_late_day() -> Instance:
    """The stored 10x30 day 1: the promise order leaves a car a night late."""
    return compile_problem(load_instance("10x30", 1))


def test_a_jittered_order_takes_every_job_once_and_no_spread_is_the_promise_order(
    night_late_day: Instance,
) -> None:
    ops = plannable_ops(night_late_day)
    promise_order = [job.job.id for job in job_order(night_late_day, ops)]
    jittered = [job.job.id for job in jittered_order(3)(night_late_day, ops)]
    assert sorted(jittered) == sorted(promise_order) and jittered != promise_order
    assert [job.job.id for job in jittered_order(3, spread=0.0)(night_late_day, ops)] == promise_order


def test_the_start_is_cheaper_than_the_promise_order_valid_and_repeatable(night_late_day: Instance) -> None:
    promise_plan = greedy_solution(night_late_day)
    start = best_start(night_late_day, time_limit=60, seed=1)
    assert cost(night_late_day, start) < cost(night_late_day, promise_plan)
    plan = _plan(night_late_day, start, Engine.GREEDY, SolveStatus.GREEDY, time.perf_counter())
    assert not validate_plan(night_late_day.problem, plan)
    again = best_start(night_late_day, time_limit=60, seed=1)
    assert again.placements == start.placements


def test_without_time_for_more_orders_the_start_is_the_promise_order(night_late_day: Instance) -> None:
    start = best_start(night_late_day, time_limit=1e-9, seed=1)
    assert start.placements == greedy_solution(night_late_day).placements

"""A plan reads back onto the axis it was built from: stored plans can be scored again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fixtures import load_fixture
from scheduler.plan import Engine, SolveInfo, SolveStatus
from scheduler.problem import Problem
from solver.greedy import greedy_solution
from solver.instance import compile_problem
from solver.plan_builder import build_plan, solution_of
from solver.solution import Solution
from tests.solver.tiny_problems import job, operation, problem, technician

INFO = SolveInfo(
    engine=Engine.GREEDY, status=SolveStatus.GREEDY, objective=None, best_bound=None, solve_seconds=0
)


def round_trip(day: Problem) -> tuple[Solution, Solution]:
    instance = compile_problem(day)
    solution = greedy_solution(instance)
    plan = build_plan(instance, solution, INFO, datetime.now(UTC))
    return solution, solution_of(instance, plan)


def test_the_demo_day_reads_back_to_the_same_placements() -> None:
    solution, back = round_trip(load_fixture("dealership_day"))
    assert solution.placements and back.placements == solution.placements


def test_started_work_reads_back_from_where_it_goes_on() -> None:
    # T1's job, started at 11:00, resumes after his lunch at 13:00; T2 works through lunch, so the
    # axis holds 12:05-13:00 and the plan's start (11:00) is not where the work goes on.
    shift = {"days": ["mon"], "window": {"start": "08:00", "end": "18:00"}}
    lunch = {"start": "12:00", "end": "13:00"}
    progress = {"started_at": "2026-11-23T11:00:00+08:00", "technician_id": "T1", "remaining_minutes": 45}
    started = operation("o", 120, status="started", progress=progress)
    day = problem(
        [
            technician("T1", {"maintenance": 1}, shifts=[{**shift, "breaks": [lunch]}]),
            technician("T2", {"maintenance": 1}, shifts=[shift]),
        ],
        [job("J", [started], status="in_progress", arrived_at="2026-11-23T10:50:00+08:00")],
        now="2026-11-23T12:05:00+08:00",
        workshop={"default_breaks": []},
    )
    solution, back = round_trip(day)
    assert next(iter(solution.placements.values())).start > 0
    assert back.placements == solution.placements


def test_a_plan_of_another_problem_does_not_read_back() -> None:
    instance = compile_problem(
        problem([technician("T1", {"maintenance": 1})], [job("J", [operation("o", 30)])])
    )
    other = problem([technician("T9", {"maintenance": 1})], [job("J", [operation("o", 30)])])
    foreign = build_plan(
        compile_problem(other), greedy_solution(compile_problem(other)), INFO, datetime.now(UTC)
    )
    with pytest.raises(LookupError, match="technician T9"):
        solution_of(instance, foreign)

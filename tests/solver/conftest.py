"""Solving helpers: every plan a test gets has passed the independent validator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from scheduler.plan import OperationAssignment, Plan
from scheduler.plan_validator import validate_plan
from scheduler.problem import Problem
from scheduler.solve_settings import EngineChoice, SolverSettings
from solver.planner import make_plan

Solve = Callable[..., Plan]


def solve_and_validate(problem: Problem, engine: str = "cp-sat", time_limit: float = 5.0) -> Plan:
    settings = SolverSettings(engine=EngineChoice(engine), time_limit_seconds=time_limit, workers=1, seed=7)
    plan = make_plan(problem, settings)
    violations = validate_plan(problem, plan)
    assert not violations, "\n".join(f"{v.rule}: {v.message}" for v in violations)
    return plan


@pytest.fixture(params=["cp-sat", "greedy"])
def solve(request: pytest.FixtureRequest) -> Solve:
    """Both engines must keep every rule."""

    def run(problem: Problem) -> Plan:
        return solve_and_validate(problem, engine=request.param)

    return run


@pytest.fixture
def solve_cpsat() -> Solve:
    return lambda problem: solve_and_validate(problem, engine="cp-sat")


def op(plan: Plan, job_id: str, operation_id: str) -> OperationAssignment:
    found = plan.assignment(job_id, operation_id)
    assert found is not None, f"{job_id}/{operation_id} was not planned: {plan.unplanned}"
    return found


def hm(moment: datetime) -> str:
    """Local wall-clock HH:MM in the problems' timezone (+08:00)."""
    return moment.astimezone(datetime.fromisoformat("2026-11-23T00:00:00+08:00").tzinfo).strftime("%H:%M")

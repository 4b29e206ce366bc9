"""Re-planning from the published plan: frozen work stays, moves cost, the cap binds, changes are told."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fixtures.generator import generate_problem
from scheduler.common import TimeWindow
from scheduler.plan import OperationAssignment, Plan
from scheduler.problem import Problem
from tests.solver.conftest import solve_and_validate

ENGINES = ["greedy", "cp-sat"]


@pytest.fixture(scope="module")
def day() -> Problem:
    return generate_problem(technicians=6, bays=7, jobs=16, days=1, seed=3)


@pytest.fixture(scope="module")
def published(day: Problem) -> Plan:
    return solve_and_validate(day, engine="greedy")


def replan(problem: Problem, published: Plan, engine: str, **settings: Any) -> tuple[Problem, Plan]:
    workshop = problem.workshop
    if settings:
        weights = workshop.settings.weights.model_copy(update=settings.pop("weights", {}))
        updated = workshop.settings.model_copy(update={**settings, "weights": weights})
        workshop = workshop.model_copy(update={"settings": updated})
    again = problem.model_copy(update={"workshop": workshop, "published_plan": published})
    return again, solve_and_validate(again, engine=engine, time_limit=4.0)


def placement(a: OperationAssignment) -> tuple[str | None, str | None, str]:
    return a.technician_id, a.bay_id, a.start.isoformat()


FROZEN_MINUTES = 90
"""The generated day starts at 07:30 and work at 08:00: a window wide enough to hold some of it."""


def frozen_assignments(problem: Problem, plan: Plan) -> list[OperationAssignment]:
    limit = problem.now + timedelta(minutes=FROZEN_MINUTES)
    return [a for a in plan.operations if a.start < limit and not a.started]


def test_a_replan_without_change_keeps_the_greedy_plan_as_published(day: Problem, published: Plan) -> None:
    _, plan = replan(day, published, "greedy")
    assert [placement(a) for a in plan.operations] == [placement(a) for a in published.operations]
    assert plan.changes is not None
    assert plan.changes.moved == [] and plan.changes.moved_jobs == 0
    assert plan.solve.objective_terms["plan_change"] == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_frozen_work_stays_even_when_moving_costs_nothing(day: Problem, published: Plan, engine: str) -> None:
    frozen = frozen_assignments(day, published)
    assert frozen, "the fixture day must have work starting within the frozen window"
    # Free moves and a heavy completion weight: without the frozen window the solver would reshuffle.
    weights = {"plan_change": 0, "completion": 50}
    _, plan = replan(day, published, engine, weights=weights, frozen_window_minutes=FROZEN_MINUTES)
    for before in frozen:
        after = plan.assignment(before.job_id, before.operation_id)
        assert after is not None and placement(after) == placement(before)


@pytest.mark.parametrize("engine", ENGINES)
def test_work_of_an_absent_technician_moves_and_the_change_report_names_it(
    day: Problem, published: Plan, engine: str
) -> None:
    frozen = {(a.job_id, a.operation_id) for a in frozen_assignments(day, published)}
    victim = next(a.technician_id for a in published.operations if (a.job_id, a.operation_id) not in frozen)
    assert victim is not None
    absence = TimeWindow(start=day.now, end=day.now + timedelta(days=7))
    technicians = [
        t.model_copy(update={"absences": [absence]}) if t.id == victim else t
        for t in day.workshop.technicians
    ]
    sick = day.model_copy(update={"workshop": day.workshop.model_copy(update={"technicians": technicians})})
    _, plan = replan(sick, published, engine)
    assert all(a.technician_id != victim for a in plan.operations)
    assert plan.changes is not None
    moved = {(m.job_id, m.operation_id) for m in plan.changes.moved}
    victims_work = {(a.job_id, a.operation_id) for a in published.operations if a.technician_id == victim}
    assert victims_work <= moved
    for move in plan.changes.moved:
        before = published.assignment(move.job_id, move.operation_id)
        after = plan.assignment(move.job_id, move.operation_id)
        assert before is not None and (after is None or placement(after) != placement(before))
    assert plan.changes.moved_jobs == len({m.job_id for m in plan.changes.moved})
    assert plan.solve.objective_terms["plan_change"] >= len(victims_work)


def test_the_cap_limits_how_many_jobs_move(day: Problem, published: Plan) -> None:
    # Everything costs completion time and moving costs nothing: CP-SAT would move many jobs.
    weights = {"plan_change": 0, "completion": 200, "workload_balance": 20}
    _, free = replan(day, published, "cp-sat", weights=weights)
    assert free.changes is not None and free.changes.moved_jobs > 1
    _, capped = replan(day, published, "cp-sat", weights=weights, max_moved_jobs=1)
    assert capped.changes is not None and capped.changes.moved_jobs <= 1
    assert capped.solve.objective_terms["moved_jobs_over_cap"] == 0


def test_the_first_plan_has_no_changes_to_report(published: Plan) -> None:
    assert published.changes is None
    assert published.solve.objective_terms["plan_change"] == 0

"""Hypothesis-generated workshops: every plan from CP-SAT and from the greedy passes the validator."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.problem import Problem
from tests.solver.conftest import solve_and_validate
from tests.solver.tiny_problems import job, operation, problem, technician

SKILLS = ["maintenance", "brakes_chassis", "alignment"]


@st.composite
def technicians(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 4))
    result = []
    for i in range(count):
        skills = {s: draw(st.integers(1, 3)) for s in draw(st.sets(st.sampled_from(SKILLS), min_size=1))}
        extra: dict[str, Any] = {"efficiency": draw(st.sampled_from([0.8, 1.0, 1.25])), "team": f"T{i % 2}"}
        if draw(st.booleans()):
            extra["absences"] = [{"start": "2026-11-23T10:00:00+08:00", "end": "2026-11-23T11:30:00+08:00"}]
        if draw(st.booleans()):
            extra["shifts"] = [
                {
                    "days": ["mon", "tue", "wed", "thu", "fri"],
                    "window": {"start": "09:00", "end": "17:30"},
                    "breaks": [{"start": "12:30", "end": "13:15"}],
                }
            ]
        result.append(technician(f"T{i}", skills, **extra))
    return result


@st.composite
def operations(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 3))
    ops = []
    for i in range(count):
        extra: dict[str, Any] = {"min_level": draw(st.integers(1, 2))}
        if draw(st.integers(0, 4)) == 0:
            extra["lift_type"] = draw(st.sampled_from(["two_post", "column"]))
        if draw(st.integers(0, 4)) == 0:
            extra["equipment"] = ["rig"]
        if draw(st.integers(0, 3)) == 0:
            extra["parts"] = [{"part_number": "P1", "quantity": 1}]
        if i and draw(st.booleans()):
            extra["predecessors"] = [f"o{i - 1}"]
        minutes = draw(st.sampled_from([15, 30, 45, 60, 90, 180, 400]))
        ops.append(operation(f"o{i}", minutes, skill=draw(st.sampled_from(SKILLS)), **extra))
    return ops


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    jobs = []
    for j in range(draw(st.integers(1, 5))):
        extra: dict[str, Any] = {"customer_waiting": draw(st.booleans())}
        if draw(st.booleans()):
            extra["arrived_at"] = (
                f"2026-11-23T{draw(st.integers(7, 14)):02d}:{draw(st.sampled_from([0, 7, 30])):02d}:00+08:00"
            )
        if draw(st.booleans()):
            extra["promised_at"] = f"2026-11-23T{draw(st.integers(9, 18)):02d}:00:00+08:00"
        jobs.append(job(f"J{j}", draw(operations()), **extra))
    bays: list[dict[str, Any]] = [
        {"id": "B1"},
        {
            "id": "B2",
            "out_of_service": [{"start": "2026-11-23T08:00:00+08:00", "end": "2026-11-23T09:00:00+08:00"}],
        },
    ]
    lifts = [
        {"id": "L1", "type": "two_post", "load_limit_kg": 3000, "bay_id": "B1"},
        {"id": "COL", "type": "column", "load_limit_kg": 5000},
    ]
    parts = {
        "stock": [{"part_number": "P1", "on_hand": draw(st.integers(0, 2))}],
        "deliveries": [{"part_number": "P1", "quantity": 1, "eta": "2026-11-23T13:00:00+08:00"}],
    }
    return problem(
        draw(technicians()),
        jobs,
        bays=bays,
        lifts=lifts,
        parts=parts,
        equipment=[{"id": "rig", "count": 1}],
        settings={"horizon_days": draw(st.integers(1, 2))},
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_greedy_plans_pass_the_validator(generated: Problem) -> None:
    plan = solve_and_validate(generated, engine="greedy")
    assert len(plan.operations) + len(plan.unplanned) == sum(
        1 for j in generated.plannable_jobs() for o in j.operations if o.plannable
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_cp_sat_plans_pass_the_validator(generated: Problem) -> None:
    plan = solve_and_validate(generated, engine="cp-sat", time_limit=2.0)
    assert len(plan.operations) + len(plan.unplanned) == sum(
        1 for j in generated.plannable_jobs() for o in j.operations if o.plannable
    )

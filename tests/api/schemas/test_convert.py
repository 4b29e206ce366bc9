"""Domain -> wire -> domain round trips of the demo workshop, its jobs, parts and a plan of it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from api.demo import demo_problem
from api.schemas.convert import (
    job_to_wire,
    parts_to_domain,
    parts_to_wire,
    plan_to_wire,
    workshop_to_domain,
    workshop_to_wire,
)
from api.schemas.jobs import JobIn
from api.schemas.workshops import PartsIn, WorkshopConfig, WorkshopCreate
from api.settings import Settings
from api.store.jobs import merge_job
from scheduler.jobs import Job, Pin
from scheduler.plan import CompletionChange, OperationMove, Plan, PlanChanges
from scheduler.problem import Problem
from scheduler.solve_settings import EngineChoice, SolverSettings
from scheduler.workshop import LabourCode, LiftType
from solver.planner import make_plan
from tests.api import data

META = {"group_id", "version", "updated_at", "workshop_id", "day"}
"""What the wire adds to a domain object: where and when it was stored."""
GREEDY = SolverSettings(engine=EngineChoice.GREEDY, time_limit_seconds=5, workers=1)


@pytest.fixture(scope="module")
def demo() -> Problem:
    """The demo day, with a labour catalogue and a pinned operation so those travel too."""
    problem = demo_problem(Settings(), data.NOW)
    catalogue = [
        LabourCode(
            code="BRK-F",
            text="Front brake pads",
            standard_minutes=90,
            skill="brakes_chassis",
            min_level=2,
            lift_type=LiftType.TWO_POST,
            typical_parts=["BP-4471"],
        ),
        LabourCode(
            code="ROAD",
            kind="inspection",
            standard_minutes=20,
            skill="quality_inspection",
            bay_capability=None,
        ),
    ]
    job = problem.jobs[0]
    pinned = job.operations[0].model_copy(
        update={"pin": Pin(technician_id=problem.workshop.technicians[0].id)}
    )
    jobs = [job.model_copy(update={"operations": [pinned, *job.operations[1:]]}), *problem.jobs[1:]]
    workshop = problem.workshop.model_copy(update={"labour_catalogue": catalogue})
    return problem.model_copy(update={"workshop": workshop, "jobs": jobs})


def _without(document: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in keys}


def test_the_workshop_comes_back_unchanged_from_a_read_and_a_replace(demo: Problem) -> None:
    out = workshop_to_wire(demo.workshop, group_id="g1", version=3, updated_at=data.NOW)
    assert out.model_dump(mode="json") == {
        **demo.workshop.model_dump(mode="json"),
        "group_id": "g1",
        "version": 3,
        "updated_at": data.NOW.isoformat(),
    }
    body = WorkshopCreate.model_validate(_without(out.model_dump(mode="json"), META))
    assert workshop_to_domain(body, demo.workshop.id) == demo.workshop


def test_an_omitted_field_takes_the_domain_default_but_an_explicit_none_stays() -> None:
    body = WorkshopConfig.model_validate(
        {
            "opening_hours": None,
            "labour_catalogue": [{"code": "ROAD", "standard_minutes": 20, "bay_capability": None}],
        }
    )
    workshop = workshop_to_domain(body, "w")
    assert workshop.opening_hours["mon"][0].start_minute == 8 * 60  # the domain's default hours
    assert workshop.labour_catalogue[0].bay_capability is None  # a road test needs no bay
    assert workshop.labour_catalogue[0].kind == "repair"


def test_jobs_come_back_unchanged_from_a_read_and_a_replace(demo: Problem) -> None:
    for job in demo.jobs:
        out = job_to_wire(job, workshop_id="demo", day=None, version=1, updated_at=data.NOW).model_dump(
            mode="json"
        )
        assert Job.model_validate(_without(out, META)) == job
        operations = [_without(op, {"status", "progress", "pin"}) for op in out["operations"]]
        body = JobIn.model_validate({**_without(out, META | {"id"}), "operations": operations})
        assert merge_job(job.id, body, job, demo.workshop) == job


def test_parts_come_back_unchanged(demo: Problem) -> None:
    out = parts_to_wire(demo.parts, version=2).model_dump(mode="json")
    assert out["version"] == 2 and out["deliveries"]
    assert parts_to_domain(PartsIn.model_validate(_without(out, {"version"}))) == demo.parts


def test_the_plan_on_the_wire_is_the_plan_with_its_changes(demo: Problem) -> None:
    plan = make_plan(demo, GREEDY)
    first = plan.operations[0]
    changes = PlanChanges(
        moved=[
            OperationMove(
                job_id=first.job_id,
                operation_id=first.operation_id,
                from_technician_id="T01",
                to_technician_id=first.technician_id,
                from_bay_id=None,
                to_bay_id=first.bay_id,
                from_start=first.start - timedelta(minutes=30),
                to_start=first.start,
            ),
        ],
        completions=[
            CompletionChange(job_id=first.job_id, before=first.end, after=None, delta_minutes=None),
        ],
        new_at_risk=[first.job_id],
        moved_jobs=1,
    )
    plan = plan.model_copy(update={"changes": changes})
    wire = plan_to_wire(plan).model_dump(mode="json")
    assert wire == plan.model_dump(mode="json")
    assert Plan.model_validate(wire) == plan
    assert wire["changes"]["moved"][0]["from_technician_id"] == "T01"

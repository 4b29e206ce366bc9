"""Shared by the front-desk API tests: a workshop with a labour catalogue, snapshots, plan checks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from api.db.models import PlanRow
from api.store.problem import build_problem
from scheduler.plan import Plan
from scheduler.plan_validator import validate_plan
from tests.api import data
from tests.api.conftest import Api

CATALOGUE: list[dict[str, Any]] = [
    {"code": "OIL", "text": "Oil service", "standard_minutes": 30, "skill": "maintenance"},
    {"code": "BRK", "text": "Front brake pads", "standard_minutes": 60, "skill": "brakes_chassis"},
    {
        "code": "CHECK",
        "text": "Final check",
        "kind": "inspection",
        "standard_minutes": 10,
        "skill": "maintenance",
        "bay_capability": None,
    },
]


def desk_workshop(workshop_id: str = "w1", **extra: Any) -> dict[str, Any]:
    return data.workshop(workshop_id, labour_catalogue=CATALOGUE, **extra)


def book(api: Api, job_id: str, codes_minutes: list[tuple[str, int, str]], **extra: Any) -> None:
    operations = [data.operation(op_id, minutes, skill) for op_id, minutes, skill in codes_minutes]
    response = api.client.post(
        "/v1/workshops/w1/jobs", json=data.job(job_id, operations, **extra), headers=api.admin
    )
    assert response.status_code == 201, response.text


def snapshot(api: Api, workshop_id: str = "w1", headers: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything a front-desk call must leave alone: plan history, the published plan, the jobs."""
    api.wait(workshop_id)
    auth = headers or api.admin
    base = f"/v1/workshops/{workshop_id}"
    return {
        "plans": api.client.get(f"{base}/plans", headers=auth).json(),
        "plan": api.client.get(f"{base}/plan", headers=auth).content,
        "jobs": api.client.get(f"{base}/jobs", headers=auth).json(),
        "parts": api.client.get(f"{base}/parts", headers=auth).json(),
    }


def published(api: Api, workshop_id: str = "w1") -> Plan:
    """The published plan as the domain holds it."""
    with api.services.database.session() as session:
        row = session.scalar(
            select(PlanRow).where(PlanRow.workshop_id == workshop_id, PlanRow.state == "published")
        )
        assert row is not None and row.result is not None
        return Plan.model_validate(row.result)


def assert_published_plan_valid(api: Api, workshop_id: str = "w1", now: datetime | None = None) -> Plan:
    """The published plan keeps every rule for the workshop as stored now."""
    api.wait(workshop_id)
    plan = published(api, workshop_id)
    with api.services.database.session() as session:
        problem = build_problem(session, workshop_id, now or api.clock())
    violations = validate_plan(problem, plan)
    assert not violations, "\n".join(f"{v.rule}: {v.message}" for v in violations)
    return plan

"""Conversions between the wire schemas (api/schemas) and the domain classes (scheduler/).

Today the wire classes mirror the domain ones field by field, so each conversion
dumps one side and validates the other. Both sides forbid unknown fields: a field
that one side has and the other lacks fails loudly instead of being dropped, and
tests/api/schemas/test_mirrors.py keeps the mirrors complete. When the wire one day
differs from the domain (a renamed field, a field kept private), the function of
that resource maps the difference here; routes and stores only call these.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from api.schemas import plan_document as wire_plan
from api.schemas.base import WireModel
from api.schemas.jobs import JobIn, JobOut, OperationFields, PinIn
from api.schemas.workshops import PartsIn, PartsOut, WorkshopConfig, WorkshopOut
from scheduler.jobs import Job, JobStatus, Operation, PartsSituation, Pin
from scheduler.plan import Kpis, Plan
from scheduler.workshop import Workshop

_Target = TypeVar("_Target", bound=BaseModel)


def _to_wire(source: BaseModel, target: type[_Target], **extra: Any) -> _Target:
    """Every field of the domain object, plus what only the wire shows (versions, timestamps)."""
    return target.model_validate({**source.model_dump(), **extra})


def _to_domain(source: WireModel, target: type[_Target], exclude: set[str], **extra: Any) -> _Target:
    """What the client sent; what it left out takes the domain's default, not the wire's copy of it."""
    return target.model_validate({**source.model_dump(exclude_unset=True, exclude=exclude), **extra})


# --- workshops and parts --------------------------------------------------------------------------


def workshop_to_domain(config: WorkshopConfig, workshop_id: str) -> Workshop:
    """The workshop `workshop_id` as configured; the id in the body (if any) was checked by the route."""
    fields = config.model_dump(exclude_unset=True, exclude={"id"})
    # At the top level None means "the default": opening hours, breaks and the vocabularies.
    given = {name: value for name, value in fields.items() if value is not None}
    return Workshop.model_validate({**given, "id": workshop_id})


def workshop_to_wire(
    workshop: Workshop, *, group_id: str | None, version: int, updated_at: datetime
) -> WorkshopOut:
    return _to_wire(workshop, WorkshopOut, group_id=group_id, version=version, updated_at=updated_at)


def parts_to_domain(parts: PartsIn) -> PartsSituation:
    return _to_domain(parts, PartsSituation, exclude=set())


def parts_to_wire(parts: PartsSituation, *, version: int) -> PartsOut:
    return _to_wire(parts, PartsOut, version=version)


# --- jobs and operations --------------------------------------------------------------------------


def operation_to_domain(fields: OperationFields, operation_id: str, stored: Operation | None) -> Operation:
    """The client's labour line; status, progress and pin are the service's and stay as stored.

    So does the approval of supplemental work when the client leaves it out: a DMS that echoes an
    operation it learnt from Bayplan neither plans work the customer has not approved nor drops an
    approval; sending `approval` (null included) sets it.
    """
    kept: dict[str, Any] = (
        {"status": stored.status, "progress": stored.progress, "pin": stored.pin} if stored else {}
    )
    if stored is not None and "approval" not in fields.model_fields_set:
        kept["approval"] = stored.approval
    return _to_domain(fields, Operation, exclude={"id"}, id=operation_id, **kept)


def pin_to_domain(pin: PinIn) -> Pin:
    return _to_domain(pin, Pin, exclude=set())


def job_to_domain(
    job_id: str,
    incoming: JobIn,
    *,
    status: JobStatus,
    arrived_at: datetime | None,
    operations: list[Operation],
) -> Job:
    """The repair order the client sent, with what the service decided about it (see merge_job)."""
    return _to_domain(
        incoming,
        Job,
        exclude={"id", "status", "arrived_at", "operations"},
        id=job_id,
        status=status,
        arrived_at=arrived_at,
        operations=operations,
    )


def job_to_wire(
    job: Job, *, workshop_id: str, day: date | None, version: int, updated_at: datetime
) -> JobOut:
    return _to_wire(job, JobOut, workshop_id=workshop_id, day=day, version=version, updated_at=updated_at)


# --- plans ----------------------------------------------------------------------------------------


def plan_to_wire(plan: Plan) -> wire_plan.Plan:
    return _to_wire(plan, wire_plan.Plan)


def kpis_to_wire(kpis: Kpis) -> wire_plan.Kpis:
    return _to_wire(kpis, wire_plan.Kpis)

"""DMS events on the wire: a batch of typed events, each with the DMS's own id."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field

from api.schemas.base import WireModel
from api.schemas.jobs import JobCreate
from scheduler.common import Identifier

EventId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-/]*$")]


class _Event(WireModel):
    id: EventId
    """Unique per workshop; a replayed id is a no-op that returns the original answer."""
    occurred_at: AwareDatetime | None = None
    """Omitted: when the service receives it."""


class JobCreated(_Event):
    type: Literal["job.created"]
    job: JobCreate


class JobUpdated(_Event):
    type: Literal["job.updated"]
    job: JobCreate


class _JobEvent(_Event):
    job_id: Identifier


class JobCancelled(_JobEvent):
    type: Literal["job.cancelled"]
    reason: str = Field("", max_length=200)


class VehicleArrived(_JobEvent):
    type: Literal["vehicle.arrived"]


class NoShow(_JobEvent):
    type: Literal["job.no_show"]


class _OperationEvent(_JobEvent):
    operation_id: Identifier


class OperationStarted(_OperationEvent):
    type: Literal["operation.started"]
    technician_id: Identifier | None = None
    bay_id: Identifier | None = None
    lift_id: Identifier | None = None


class OperationPaused(_OperationEvent):
    type: Literal["operation.paused"]
    remaining_minutes: Annotated[int, Field(ge=0, le=60 * 40)]


class OperationFinished(_OperationEvent):
    type: Literal["operation.finished"]


class PartsEtaChanged(_Event):
    type: Literal["parts.eta_changed"]
    part_number: Identifier
    eta: AwareDatetime
    quantity: Annotated[int, Field(ge=1, le=10000)] | None = None
    """Omitted: every open delivery of the part moves to the new ETA (one unit if none is open)."""


class PartsArrived(_Event):
    type: Literal["parts.arrived"]
    part_number: Identifier
    quantity: Annotated[int, Field(ge=1, le=10000)]


class _Outage(_Event):
    start: AwareDatetime | None = None
    """Omitted: occurred_at."""
    end: AwareDatetime | None = None
    """Omitted: open-ended until a matching 'back' event (planned as 14 days)."""
    reason: str = Field("", max_length=200)


class TechnicianAbsent(_Outage):
    type: Literal["technician.absent"]
    technician_id: Identifier


class TechnicianBack(_Event):
    type: Literal["technician.back"]
    technician_id: Identifier


class BayOutOfService(_Outage):
    type: Literal["bay.out_of_service"]
    bay_id: Identifier


class BayBack(_Event):
    type: Literal["bay.back"]
    bay_id: Identifier


class LiftOutOfService(_Outage):
    type: Literal["lift.out_of_service"]
    lift_id: Identifier


class LiftBack(_Event):
    type: Literal["lift.back"]
    lift_id: Identifier


Event = Annotated[
    JobCreated
    | JobUpdated
    | JobCancelled
    | VehicleArrived
    | NoShow
    | OperationStarted
    | OperationPaused
    | OperationFinished
    | PartsEtaChanged
    | PartsArrived
    | TechnicianAbsent
    | TechnicianBack
    | BayOutOfService
    | BayBack
    | LiftOutOfService
    | LiftBack,
    Field(discriminator="type"),
]


class EventBatch(WireModel):
    events: list[Event] = Field(min_length=1, max_length=1000)


class EventResult(WireModel):
    id: str
    type: str
    outcome: Literal["applied"]
    detail: str
    job_id: str | None = None


class EventBatchResult(WireModel):
    results: list[EventResult]
    """One per event, in order; a replayed event gets its original answer."""
    replayed: list[str]
    """Ids of events that had been applied before: nothing was done for them."""
    plan_id: str | None
    """The re-plan this batch triggered; None when every event was a replay."""


EVENTS_EXAMPLE: dict[str, Any] = {
    "events": [
        {
            "id": "evt-1001",
            "type": "vehicle.arrived",
            "job_id": "RO-1001",
            "occurred_at": "2026-11-23T08:52:00+08:00",
        },
        {
            "id": "evt-1002",
            "type": "operation.started",
            "job_id": "RO-1001",
            "operation_id": "10",
            "technician_id": "T1",
            "bay_id": "B1",
            "occurred_at": "2026-11-23T09:05:00+08:00",
        },
        {"id": "evt-1003", "type": "parts.arrived", "part_number": "BP-4471", "quantity": 4},
    ]
}

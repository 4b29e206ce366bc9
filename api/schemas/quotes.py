"""The front desk on the wire: work items, promise quotes, appointment slots, the labour catalogue."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, model_validator

from api.schemas.base import WireModel
from api.schemas.resources import LabourCode
from scheduler.common import Identifier
from scheduler.jobs import Powertrain, Priority, Vehicle
from scheduler.labour import OperationKind, OperationSpec, WorkItem
from scheduler.workshop import LiftType
from solver.quotes import PartNeed, Prospect, Quote, Slot

MAX_WORK_ITEMS = 40


class PartLineIn(WireModel):
    part_number: Identifier
    quantity: Annotated[int, Field(ge=1, le=10000)] = 1


class WorkOperationIn(WireModel):
    """An operation written out, as in a job; its id and predecessors are given by the service."""

    id: Identifier | None = None
    """Ignored: the service numbers the operations."""
    labour_code: str = Field("", max_length=64)
    text: str = Field("", max_length=500)
    standard_minutes: Annotated[int, Field(ge=1, le=60 * 40)]
    skill: str | None = Field(None, max_length=64)
    min_level: Annotated[int, Field(ge=1, le=3)] = 1
    certification: str | None = Field(None, max_length=64)
    bay_capability: str | None = Field("general", max_length=64)
    lift_type: LiftType | None = None
    equipment: list[Identifier] = Field(default_factory=list, max_length=10)
    parts: list[PartLineIn] = Field(default_factory=list, max_length=50)
    predecessors: list[Identifier] = Field(default_factory=list, max_length=50)
    """Ignored: the job's flow (diagnosis → repair → alignment → inspection → wash) sets them."""
    crew_size: Literal[0, 1] = 1


class WorkItemIn(WireModel):
    """A labour code of the workshop's catalogue, or an operation written out."""

    labour_code: str | None = Field(None, min_length=1, max_length=64)
    operation: WorkOperationIn | None = None
    kind: OperationKind | None = None
    """Place in the job's flow; omitted: the labour code's kind, or guessed from the skill."""

    @model_validator(mode="after")
    def _one_of(self) -> WorkItemIn:
        if (self.labour_code is None) == (self.operation is None):
            raise ValueError("give either labour_code or operation")
        return self


class PartNeedIn(WireModel):
    """A part the work needs: on hand (eta null) or arriving at eta."""

    part_number: Identifier
    quantity: Annotated[int, Field(ge=1, le=10000)] = 1
    eta: AwareDatetime | None = None


class ProspectVehicleIn(WireModel):
    vin: str = Field("", max_length=32)
    model: str = Field("", max_length=100)
    powertrain: Powertrain = Powertrain.ICE
    weight_kg: Annotated[int, Field(gt=0, le=60000)] = 1600
    length_mm: Annotated[int, Field(gt=0, le=30000)] | None = None


class ProspectIn(WireModel):
    work: list[WorkItemIn] = Field(min_length=1, max_length=MAX_WORK_ITEMS)
    customer_waiting: bool = False
    vehicle: ProspectVehicleIn | None = None
    priority: Priority = Priority.NORMAL
    parts: list[PartNeedIn] = Field(default_factory=list, max_length=50)


class QuoteRequest(ProspectIn):
    arrival: Literal["earliest"] | AwareDatetime = "earliest"
    """When the car would come in; "earliest": now, or the next opening."""


class SlotsRequest(ProspectIn):
    day: date
    slot_minutes: Annotated[int, Field(ge=5, le=240)] = 15


class QuotedOperationOut(WireModel):
    operation_id: str
    labour_code: str
    text: str
    technician_id: str | None
    bay_id: str | None
    start: datetime
    end: datetime


class QuoteOut(WireModel):
    arrival_at: datetime
    predicted_completion: datetime | None
    """Null when the work does not fit in the planning horizon."""
    promise_at: datetime | None
    """Completion + the workshop's promise margin, up to the quarter hour, inside opening hours."""
    margin_minutes: int | None
    late_in_day: bool
    """The promise falls in the last hour before closing of the arrival day, or later."""
    reasons: list[str]
    operations: list[QuotedOperationOut]
    based_on_plan_version: int | None


class SlotOut(WireModel):
    arrival_at: datetime
    predicted_completion: datetime | None
    promise_at: datetime | None
    grade: Literal["best", "good", "fair", "poor", "unavailable"]
    disturbance_minutes: int
    """Minutes other jobs would finish later if the job is booked here."""
    moved_jobs: int
    breaks_promise: bool
    broken_promises: list[str]


class SlotsOut(WireModel):
    day: date
    slots: list[SlotOut]
    based_on_plan_version: int | None


class LabourCatalogueOut(WireModel):
    items: list[LabourCode]


QUOTE_EXAMPLE: dict[str, Any] = {
    "work": [{"labour_code": "OIL-EXP"}, {"labour_code": "BRK-PAD-F"}, {"labour_code": "QC-LANE"}],
    "arrival": "earliest",
    "customer_waiting": True,
    "vehicle": {"model": "Camry", "powertrain": "ice", "weight_kg": 1550},
}
SLOTS_EXAMPLE: dict[str, Any] = {
    "work": [{"labour_code": "MNT-30K"}, {"labour_code": "QC-CHECK"}],
    "day": "2026-11-24",
    "slot_minutes": 30,
}


# --- to the domain -------------------------------------------------------------------------------


def work_items_to_domain(items: list[WorkItemIn]) -> list[WorkItem]:
    return [
        WorkItem(
            labour_code=item.labour_code,
            operation=(
                OperationSpec.model_validate(item.operation.model_dump(exclude={"id", "predecessors"}))
                if item.operation is not None
                else None
            ),
            kind=item.kind,
        )
        for item in items
    ]


def prospect_to_domain(body: ProspectIn) -> Prospect:
    vehicle = Vehicle.model_validate(body.vehicle.model_dump()) if body.vehicle else Vehicle()
    return Prospect(
        work=work_items_to_domain(body.work),
        customer_waiting=body.customer_waiting,
        vehicle=vehicle,
        priority=body.priority,
        parts=[PartNeed(p.part_number, p.quantity, p.eta) for p in body.parts],
    )


def quote_to_wire(quote: Quote, plan_version: int | None) -> QuoteOut:
    return QuoteOut(
        arrival_at=quote.arrival_at,
        predicted_completion=quote.predicted_completion,
        promise_at=quote.promise_at,
        margin_minutes=quote.margin_minutes,
        late_in_day=quote.late_in_day,
        reasons=quote.reasons,
        operations=[QuotedOperationOut.model_validate(asdict(op)) for op in quote.operations],
        based_on_plan_version=plan_version,
    )


def slot_to_wire(slot: Slot) -> SlotOut:
    return SlotOut(
        arrival_at=slot.arrival_at,
        predicted_completion=slot.predicted_completion,
        promise_at=slot.promise_at,
        grade=slot.grade.value,
        disturbance_minutes=slot.disturbance_minutes,
        moved_jobs=slot.moved_jobs,
        breaks_promise=slot.breaks_promise,
        broken_promises=slot.broken_promises,
    )

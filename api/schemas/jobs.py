"""Repair orders (jobs) and their operations on the wire (STAR: repair order, vehicle by VIN)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field

from api.schemas.base import WireModel
from scheduler.common import Identifier
from scheduler.jobs import Approval, JobStatus, OperationStatus, Powertrain, Priority
from scheduler.workshop import LiftType

Minutes = Annotated[int, Field(ge=1, le=60 * 40)]


class VehicleIn(WireModel):
    vin: str = Field("", max_length=32)
    model: str = Field("", max_length=100)
    powertrain: Powertrain = Powertrain.ICE
    weight_kg: Annotated[int, Field(gt=0, le=60000)] = 1600
    length_mm: Annotated[int, Field(gt=0, le=30000)] | None = None


class PartLineIn(WireModel):
    part_number: Identifier
    quantity: Annotated[int, Field(ge=1, le=10000)] = 1


class OperationFields(WireModel):
    """One labour line of the repair order, as the DMS or the front desk knows it."""

    labour_code: str = Field("", max_length=64)
    text: str = Field("", max_length=500)
    standard_minutes: Minutes
    technician_minutes: Annotated[dict[Identifier, Minutes], Field(min_length=1)] | None = None
    """Measured minutes per technician id; when given, only these technicians may do it."""
    skill: str | None = None
    min_level: Annotated[int, Field(ge=1, le=3)] = 1
    certification: str | None = None
    bay_capability: str | None = "general"
    lift_type: LiftType | None = None
    equipment: list[Identifier] = Field(default_factory=list, max_length=10)
    parts: list[PartLineIn] = Field(default_factory=list, max_length=50)
    predecessors: list[Identifier] = Field(default_factory=list, max_length=50)
    crew_size: Literal[0, 1] = 1
    approval: Approval | None = None
    """Supplemental work only: planned when approved (or when None)."""


class OperationIn(OperationFields):
    id: Identifier


class _JobFields(WireModel):
    vehicle: VehicleIn = Field(default_factory=VehicleIn)
    customer_name: str = Field("", max_length=200)
    customer_waiting: bool = False
    appointment_at: AwareDatetime | None = None
    arrived_at: AwareDatetime | None = None
    promised_at: AwareDatetime | None = None
    priority: Priority = Priority.NORMAL
    comeback: bool = False


class JobIn(_JobFields):
    """A repair order; its operations' progress and pins are kept by the service."""

    status: JobStatus | None = None
    """Omitted: kept as stored (a new job is booked, or arrived when arrived_at is given)."""
    operations: list[OperationIn] = Field(min_length=1, max_length=200)


class JobCreate(JobIn):
    id: Identifier


class PinIn(WireModel):
    technician_id: Identifier | None = None
    bay_id: Identifier | None = None
    start: AwareDatetime | None = None


class ProgressOut(WireModel):
    started_at: datetime
    technician_id: str | None
    bay_id: str | None
    lift_id: str | None
    remaining_minutes: int | None


class OperationOut(OperationIn):
    status: OperationStatus
    progress: ProgressOut | None
    pin: PinIn | None


class JobOut(_JobFields):
    id: str
    workshop_id: str
    status: JobStatus
    day: date | None
    """The job's local day in the workshop: appointment, arrival or promise, the first one known."""
    version: int
    updated_at: datetime
    operations: list[OperationOut]


class JobList(WireModel):
    items: list[JobOut]


OPERATION_EXAMPLE: dict[str, Any] = {
    "id": "20",
    "labour_code": "BRK-F",
    "text": "Replace front brake pads",
    "standard_minutes": 90,
    "skill": "brakes_chassis",
    "min_level": 2,
    "lift_type": "two_post",
    "parts": [{"part_number": "BP-4471", "quantity": 1}],
    "predecessors": ["10"],
}

JOB_EXAMPLE: dict[str, Any] = {
    "id": "RO-1001",
    "vehicle": {"vin": "LSVAU2180N2183321", "model": "Lavida", "weight_kg": 1350},
    "customer_name": "Wang Fang",
    "customer_waiting": True,
    "appointment_at": "2026-11-23T09:00:00+08:00",
    "promised_at": "2026-11-23T12:00:00+08:00",
    "operations": [
        {"id": "10", "text": "Oil and filter service", "standard_minutes": 45, "skill": "maintenance"},
        OPERATION_EXAMPLE,
    ],
}

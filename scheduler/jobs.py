"""Work: repair orders (jobs), their operations, and the parts situation."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from scheduler.common import DomainModel, Identifier
from scheduler.workshop import LiftType, SkillLevel


class Powertrain(StrEnum):
    ICE = "ice"
    HYBRID = "hybrid"
    PHEV = "phev"
    EV = "ev"


class JobStatus(StrEnum):
    BOOKED = "booked"
    ARRIVED = "arrived"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    DONE = "done"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


PLANNABLE_JOB_STATUSES = frozenset(
    {JobStatus.BOOKED, JobStatus.ARRIVED, JobStatus.IN_PROGRESS, JobStatus.ON_HOLD}
)


class Priority(StrEnum):
    NORMAL = "normal"
    FLEET = "fleet"
    WARRANTY = "warranty"
    VIP = "vip"


class OperationStatus(StrEnum):
    PENDING = "pending"
    STARTED = "started"
    DONE = "done"


class Approval(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    DEFERRED = "deferred"


class Vehicle(DomainModel):
    vin: str = ""
    model: str = ""
    powertrain: Powertrain = Powertrain.ICE
    weight_kg: Annotated[int, Field(gt=0, le=60000)] = 1600
    length_mm: Annotated[int, Field(gt=0, le=30000)] | None = None


class PartLine(DomainModel):
    part_number: Identifier
    quantity: Annotated[int, Field(ge=1)] = 1


class Pin(DomainModel):
    """The dispatcher's hand: any of technician, bay, start fixed."""

    technician_id: Identifier | None = None
    bay_id: Identifier | None = None
    start: AwareDatetime | None = None


class Progress(DomainModel):
    """Where started work is: it stays on its technician, bay and lift."""

    started_at: AwareDatetime
    technician_id: Identifier | None = None
    bay_id: Identifier | None = None
    lift_id: Identifier | None = None
    remaining_minutes: Annotated[int, Field(ge=0)] | None = None
    """Working minutes still to go; None: standard time / efficiency minus time worked."""


class Operation(DomainModel):
    id: Identifier
    labour_code: str = ""
    text: str = ""
    standard_minutes: Annotated[int, Field(ge=1, le=60 * 40)]
    """Standard labour time (flat rate), in minutes."""
    technician_minutes: (
        Annotated[dict[Identifier, Annotated[int, Field(ge=1, le=60 * 40)]], Field(min_length=1)] | None
    ) = None
    """Measured minutes of this operation per technician id (e.g. from the DMS's time study).
    When given, only these technicians may do it (skill, level and certification still apply)
    and each takes exactly its minutes, overriding standard time / efficiency."""
    skill: str | None = None
    """None only for unattended steps (crew_size 0)."""
    min_level: SkillLevel = 1
    certification: str | None = None
    bay_capability: str | None = "general"
    """None: needs no bay (e.g. a road test)."""
    lift_type: LiftType | None = None
    equipment: list[Identifier] = Field(default_factory=list)
    """Equipment pools, one unit of each for the whole operation."""
    parts: list[PartLine] = Field(default_factory=list)
    predecessors: list[Identifier] = Field(default_factory=list)
    """Operation ids of the same job that must finish first."""
    crew_size: Literal[0, 1] = 1
    status: OperationStatus = OperationStatus.PENDING
    progress: Progress | None = None
    pin: Pin | None = None
    approval: Approval | None = None
    """Set on supplemental work only; plans include it when None or approved."""

    @property
    def plannable(self) -> bool:
        return self.status != OperationStatus.DONE and self.approval in (None, Approval.APPROVED)


class Job(DomainModel):
    id: Identifier
    vehicle: Vehicle = Field(default_factory=Vehicle)
    customer_name: str = ""
    customer_waiting: bool = False
    appointment_at: AwareDatetime | None = None
    arrived_at: AwareDatetime | None = None
    promised_at: AwareDatetime | None = None
    priority: Priority = Priority.NORMAL
    comeback: bool = False
    status: JobStatus = JobStatus.BOOKED
    operations: list[Operation] = Field(min_length=1)

    @property
    def expected_arrival(self) -> AwareDatetime | None:
        return self.arrived_at or self.appointment_at

    def operation(self, operation_id: str) -> Operation | None:
        return next((o for o in self.operations if o.id == operation_id), None)


class PartStock(DomainModel):
    part_number: Identifier
    on_hand: Annotated[int, Field(ge=0)]


class PartDelivery(DomainModel):
    part_number: Identifier
    quantity: Annotated[int, Field(ge=1)]
    eta: AwareDatetime


class PartsSituation(DomainModel):
    """Stock on hand and inbound deliveries. A part number not listed is always available."""

    stock: list[PartStock] = Field(default_factory=list)
    deliveries: list[PartDelivery] = Field(default_factory=list)

    def tracked(self, part_number: str) -> bool:
        return any(s.part_number == part_number for s in self.stock) or any(
            d.part_number == part_number for d in self.deliveries
        )

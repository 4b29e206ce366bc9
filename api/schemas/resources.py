"""What a workshop is made of, on the wire: technicians, bays, lifts, equipment, labour codes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from api.schemas.base import WireModel
from api.schemas.windows import ClockWindow, TimeWindow
from scheduler.common import WEEKDAYS, Identifier
from scheduler.workshop import LiftType

SkillLevel = Annotated[int, Field(ge=1, le=3)]
Efficiency = Annotated[float, Field(gt=0.2, le=3.0)]
WeightKg = Annotated[int, Field(gt=0, le=60000)]
LengthMm = Annotated[int, Field(gt=0, le=30000)]


class SkillGrade(WireModel):
    skill: str
    level: SkillLevel
    efficiency: Efficiency | None = None
    """Overrides the technician's overall efficiency for this skill."""


class Shift(WireModel):
    """A weekly recurring shift: on these weekdays, from start to end, minus breaks."""

    days: list[str] = Field(min_length=1)
    window: ClockWindow
    breaks: list[ClockWindow] = Field(default_factory=list)

    @field_validator("days")
    @classmethod
    def _known_days(cls, days: list[str]) -> list[str]:
        unknown = [d for d in days if d not in WEEKDAYS]
        if unknown:
            raise ValueError(f"unknown weekday {unknown[0]!r}; use one of {', '.join(WEEKDAYS)}")
        return days


class Technician(WireModel):
    id: Identifier
    name: str = ""
    team: str = ""
    skills: list[SkillGrade] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    efficiency: Efficiency = 1.0
    shifts: list[Shift] = Field(default_factory=list)
    """Empty: the workshop's opening hours with its default breaks."""
    absences: list[TimeWindow] = Field(default_factory=list)


class Lift(WireModel):
    id: Identifier
    type: LiftType
    load_limit_kg: WeightKg
    bay_id: Identifier | None = None
    """The bay it is installed in; None for a mobile lift."""
    out_of_service: list[TimeWindow] = Field(default_factory=list)


class Bay(WireModel):
    id: Identifier
    name: str = ""
    capabilities: list[str] = Field(default_factory=lambda: ["general"])
    max_vehicle_weight_kg: WeightKg | None = None
    max_vehicle_length_mm: LengthMm | None = None
    out_of_service: list[TimeWindow] = Field(default_factory=list)


class EquipmentOutage(TimeWindow):
    units: Annotated[int, Field(ge=1)] = 1


class EquipmentPool(WireModel):
    """Identical shared units (alignment rigs, diagnostic testers, AC stations, engine hoists)."""

    id: Identifier
    name: str = ""
    count: Annotated[int, Field(ge=1, le=100)]
    out_of_service: list[EquipmentOutage] = Field(default_factory=list)


class LabourCode(WireModel):
    """A line of the workshop's labour catalogue (标准工时): what a labour code's operation needs."""

    code: Identifier
    text: str = ""
    kind: str = "repair"
    """Place in a job's flow: diagnosis, repair, body, paint, curing, alignment, inspection, wash."""
    standard_minutes: Annotated[int, Field(ge=1, le=60 * 40)]
    skill: str | None = None
    min_level: SkillLevel = 1
    certification: str | None = None
    bay_capability: str | None = "general"
    """None: needs no bay (e.g. a road test)."""
    lift_type: LiftType | None = None
    equipment: list[Identifier] = Field(default_factory=list)
    typical_parts: list[Identifier] = Field(default_factory=list)
    """Part numbers this work usually takes (one of each)."""
    crew_size: Literal[0, 1] = 1

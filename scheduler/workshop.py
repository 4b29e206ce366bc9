"""The workshop: calendar, technicians, bays, lifts, equipment and planning settings."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, field_validator

from scheduler.common import WEEKDAYS, ClockWindow, DomainModel, Identifier, TimeWindow

DEFAULT_SKILLS: tuple[str, ...] = (
    "maintenance",
    "brakes_chassis",
    "engine",
    "electrical_diagnosis",
    "air_conditioning",
    "ev_high_voltage",
    "alignment",
    "tyres",
    "body",
    "paint",
    "quality_inspection",
    "wash",
)

DEFAULT_BAY_CAPABILITIES: tuple[str, ...] = (
    "general",
    "express",
    "alignment",
    "ev_safe",
    "body",
    "paint_booth",
    "inspection_lane",
    "wash",
)

DEFAULT_CERTIFICATIONS: tuple[str, ...] = ("hv", "brand", "ac_refrigerant", "airbag")


class LiftType(StrEnum):
    TWO_POST = "two_post"
    FOUR_POST = "four_post"
    SCISSOR = "scissor"
    COLUMN = "column"
    """Portable column lifts: mobile, they turn a flat bay into a lift bay."""


SkillLevel = Annotated[int, Field(ge=1, le=3)]
Efficiency = Annotated[float, Field(gt=0.2, le=3.0)]


class SkillGrade(DomainModel):
    skill: str
    level: SkillLevel
    efficiency: Efficiency | None = None
    """Overrides the technician's overall efficiency for this skill."""


class Shift(DomainModel):
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


class Technician(DomainModel):
    id: Identifier
    name: str = ""
    team: str = ""
    skills: list[SkillGrade] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    efficiency: Efficiency = 1.0
    shifts: list[Shift] = Field(default_factory=list)
    """Empty: the workshop's opening hours with its default breaks."""
    absences: list[TimeWindow] = Field(default_factory=list)

    def grade(self, skill: str) -> SkillGrade | None:
        return next((g for g in self.skills if g.skill == skill), None)

    def efficiency_for(self, skill: str) -> float:
        grade = self.grade(skill)
        if grade is not None and grade.efficiency is not None:
            return grade.efficiency
        return self.efficiency


class Lift(DomainModel):
    id: Identifier
    type: LiftType
    load_limit_kg: Annotated[int, Field(gt=0, le=60000)]
    bay_id: Identifier | None = None
    """The bay it is installed in; None for a mobile lift."""
    out_of_service: list[TimeWindow] = Field(default_factory=list)

    @property
    def mobile(self) -> bool:
        return self.bay_id is None


class Bay(DomainModel):
    id: Identifier
    name: str = ""
    capabilities: list[str] = Field(default_factory=lambda: ["general"])
    max_vehicle_weight_kg: Annotated[int, Field(gt=0, le=60000)] | None = None
    max_vehicle_length_mm: Annotated[int, Field(gt=0, le=30000)] | None = None
    out_of_service: list[TimeWindow] = Field(default_factory=list)


class EquipmentOutage(TimeWindow):
    units: Annotated[int, Field(ge=1)] = 1


class EquipmentPool(DomainModel):
    """Identical shared units (alignment rigs, diagnostic testers, AC stations, engine hoists)."""

    id: Identifier
    name: str = ""
    count: Annotated[int, Field(ge=1, le=100)]
    out_of_service: list[EquipmentOutage] = Field(default_factory=list)


class ObjectiveWeights(DomainModel):
    """Weights of the soft goals, per minute unless named otherwise."""

    tardiness: Annotated[int, Field(ge=0)] = 100
    unfinished: Annotated[int, Field(ge=0)] = 1000
    """Per standard minute of work that cannot be planned inside the horizon."""
    completion: Annotated[int, Field(ge=0)] = 1
    makespan: Annotated[int, Field(ge=0)] = 0
    """The last completion of all jobs; off by default (a dealership cares per job, a shop floor overall)."""
    overtime: Annotated[int, Field(ge=0)] = 20
    overqualification: Annotated[int, Field(ge=0)] = 2
    """Per minute and per level above what the operation needs."""
    workload_balance: Annotated[int, Field(ge=0)] = 2
    """Per minute between the busiest and the least busy technician (and team)."""
    bay_change: Annotated[int, Field(ge=0)] = 30
    technician_change: Annotated[int, Field(ge=0)] = 15
    plan_change: Annotated[int, Field(ge=0)] = 200
    """Moving a published operation to another technician, bay or time: about two minutes of a
    normal car's lateness, so a re-plan does not reshuffle technicians for a little completion time
    (at 50, the simulated day showed a third more changes to technicians, for no promise kept)."""


class PriorityWeights(DomainModel):
    """Tardiness multipliers; a job takes the largest that applies."""

    normal: Annotated[int, Field(ge=1)] = 1
    fleet: Annotated[int, Field(ge=1)] = 2
    warranty: Annotated[int, Field(ge=1)] = 2
    vip: Annotated[int, Field(ge=1)] = 4
    waiting_customer: Annotated[int, Field(ge=1)] = 6
    comeback: Annotated[int, Field(ge=1)] = 8


class PlanningSettings(DomainModel):
    horizon_days: Annotated[int, Field(ge=1, le=14)] = 3
    """Working days planned, starting with the planning day."""
    grain_minutes: Annotated[int, Field(ge=1, le=60)] = 5
    overtime_max_minutes_per_day: Annotated[int, Field(ge=0, le=240)] = 60
    """How long a technician may work past the end of a shift, at a cost."""
    at_risk_slack_minutes: Annotated[int, Field(ge=0)] = 30
    promise_margin_minutes: Annotated[int, Field(ge=0)] = 30
    no_show_after_minutes: Annotated[int, Field(ge=0)] = 30
    frozen_window_minutes: Annotated[int, Field(ge=0)] = 30
    max_moved_jobs: Annotated[int, Field(ge=0)] | None = None
    auto_publish: bool = True
    weights: ObjectiveWeights = Field(default_factory=ObjectiveWeights)
    priority_weights: PriorityWeights = Field(default_factory=PriorityWeights)


class LabourCode(DomainModel):
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
    lift_type: LiftType | None = None
    equipment: list[Identifier] = Field(default_factory=list)
    typical_parts: list[Identifier] = Field(default_factory=list)
    """Part numbers this work usually takes (one of each)."""
    crew_size: Literal[0, 1] = 1


class Workshop(DomainModel):
    id: Identifier
    name: str = ""
    timezone: str = "UTC"
    """IANA name, e.g. Asia/Shanghai."""
    opening_hours: dict[str, list[ClockWindow]] = Field(
        default_factory=lambda: {
            d: [ClockWindow.model_validate({"start": "08:00", "end": "18:00"})] for d in WEEKDAYS[:6]
        }
    )
    default_breaks: list[ClockWindow] = Field(
        default_factory=lambda: [ClockWindow.model_validate({"start": "12:00", "end": "13:00"})]
    )
    closed_days: list[date] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=lambda: list(DEFAULT_SKILLS))
    bay_capabilities: list[str] = Field(default_factory=lambda: list(DEFAULT_BAY_CAPABILITIES))
    certifications: list[str] = Field(default_factory=lambda: list(DEFAULT_CERTIFICATIONS))
    technicians: list[Technician] = Field(default_factory=list)
    bays: list[Bay] = Field(default_factory=list)
    lifts: list[Lift] = Field(default_factory=list)
    equipment: list[EquipmentPool] = Field(default_factory=list)
    settings: PlanningSettings = Field(default_factory=PlanningSettings)
    labour_catalogue: list[LabourCode] = Field(default_factory=list)

    def labour(self, code: str) -> LabourCode | None:
        return next((item for item in self.labour_catalogue if item.code == code), None)

    def technician(self, technician_id: str) -> Technician | None:
        return next((t for t in self.technicians if t.id == technician_id), None)

    def bay(self, bay_id: str) -> Bay | None:
        return next((b for b in self.bays if b.id == bay_id), None)

    def lift(self, lift_id: str) -> Lift | None:
        return next((lift for lift in self.lifts if lift.id == lift_id), None)

    def installed_lift(self, bay_id: str) -> Lift | None:
        return next((lift for lift in self.lifts if lift.bay_id == bay_id), None)

    def equipment_pool(self, pool_id: str) -> EquipmentPool | None:
        return next((p for p in self.equipment if p.id == pool_id), None)

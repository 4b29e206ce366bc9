"""Workshop configuration on the wire."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Annotated, Any, ClassVar
from zoneinfo import available_timezones

from pydantic import AwareDatetime, Field, field_validator

from api.schemas.base import WireModel
from api.schemas.planning_settings import PlanningSettings
from api.schemas.resources import Bay, EquipmentPool, LabourCode, Lift, Technician
from api.schemas.windows import ClockWindow
from scheduler.common import Identifier


class WorkshopConfig(WireModel):
    """The whole configuration of a workshop; an omitted field takes its default."""

    name: str = Field("", max_length=200)
    timezone: str = "UTC"
    opening_hours: dict[str, list[ClockWindow]] | None = None
    """Per weekday (mon..sun); omitted: Monday to Saturday, 08:00-18:00."""
    default_breaks: list[ClockWindow] | None = None
    closed_days: list[date] = Field(default_factory=list, max_length=400)
    skills: list[str] | None = None
    bay_capabilities: list[str] | None = None
    certifications: list[str] | None = None
    technicians: list[Technician] = Field(default_factory=list, max_length=200)
    bays: list[Bay] = Field(default_factory=list, max_length=200)
    lifts: list[Lift] = Field(default_factory=list, max_length=200)
    equipment: list[EquipmentPool] = Field(default_factory=list, max_length=100)
    settings: PlanningSettings = Field(default_factory=PlanningSettings)
    labour_catalogue: list[LabourCode] = Field(default_factory=list, max_length=5000)
    """The workshop's standard labour times; operations refer to them by labour_code."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        if zone not in _zones():
            raise ValueError(f"unknown IANA timezone {zone!r}")
        return zone


class WorkshopCreate(WorkshopConfig):
    id: Identifier


class WorkshopOut(WorkshopCreate):
    """The stored configuration with every default filled in."""

    group_id: str | None
    version: int
    updated_at: datetime


class WorkshopSummary(WireModel):
    id: str
    name: str
    group_id: str | None
    version: int


class WorkshopList(WireModel):
    items: list[WorkshopSummary]


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


WORKSHOP_EXAMPLE: dict[str, Any] = {
    "id": "demo",
    "name": "Demo dealership",
    "timezone": "Asia/Shanghai",
    "technicians": [
        {"id": "T1", "name": "Li Wei", "team": "A", "skills": [{"skill": "maintenance", "level": 2}]},
        {"id": "T2", "name": "Zhang Min", "team": "A", "skills": [{"skill": "brakes_chassis", "level": 3}]},
    ],
    "bays": [{"id": "B1", "capabilities": ["general"]}, {"id": "B2", "capabilities": ["general", "express"]}],
    "lifts": [{"id": "L1", "type": "two_post", "load_limit_kg": 3500, "bay_id": "B1"}],
    "settings": {"horizon_days": 2, "auto_publish": True},
}


class PartStock(WireModel):
    part_number: Identifier
    on_hand: Annotated[int, Field(ge=0)]


class PartDelivery(WireModel):
    part_number: Identifier
    quantity: Annotated[int, Field(ge=1)]
    eta: AwareDatetime


class PartsIn(WireModel):
    """Stock on hand per part number and inbound deliveries; a part not listed is always available."""

    stock: list[PartStock] = Field(default_factory=list, max_length=5000)
    deliveries: list[PartDelivery] = Field(default_factory=list, max_length=5000)

    EXAMPLE: ClassVar[dict[str, Any]] = {
        "stock": [{"part_number": "BP-4471", "on_hand": 2}],
        "deliveries": [{"part_number": "BP-4471", "quantity": 4, "eta": "2026-11-23T14:00:00+08:00"}],
    }


class PartsOut(PartsIn):
    version: int

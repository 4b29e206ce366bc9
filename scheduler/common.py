"""Shared building blocks of the domain model: base class, ids, time windows."""

from __future__ import annotations

from datetime import time
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

Identifier = Annotated[
    str,
    Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-/]*$"),
]
"""Ids are the DMS's own: short, printable, no spaces."""

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class DomainModel(BaseModel):
    """Immutable, strict-keyed base of every domain class."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class ClockWindow(DomainModel):
    """A daily window in local wall-clock time, e.g. 08:00-18:00."""

    start: time
    end: time

    @model_validator(mode="after")
    def _end_after_start(self) -> ClockWindow:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} must be after start {self.start}")
        return self

    @property
    def start_minute(self) -> int:
        return self.start.hour * 60 + self.start.minute

    @property
    def end_minute(self) -> int:
        return self.end.hour * 60 + self.end.minute


class TimeWindow(DomainModel):
    """An absolute window [start, end) with timezone offsets."""

    start: AwareDatetime
    end: AwareDatetime
    reason: str = ""

    @model_validator(mode="after")
    def _end_after_start(self) -> TimeWindow:
        if self.end <= self.start:
            raise ValueError(f"end {self.end.isoformat()} must be after start {self.start.isoformat()}")
        return self

"""Shared building blocks of the domain model: base class, ids, clock times, time windows."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

Identifier = Annotated[
    str,
    Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-/]*$"),
]
"""Ids are the DMS's own: short, printable, no spaces."""

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def wall_clock_minute(value: time) -> time:
    """A clock time of the workshop's local day: no offset, whole minutes.

    An offset would make it incomparable with the other clock times (Python raises
    TypeError comparing aware and naive times), and the calendar counts whole
    minutes, so seconds would be dropped without a word.
    """
    if value.tzinfo is not None:
        raise ValueError(
            f"must be a local wall-clock time without UTC offset, e.g. 08:00 (got {value.isoformat()})"
        )
    if value.second or value.microsecond:
        raise ValueError(f"must be a whole minute, e.g. 08:00 (got {value.isoformat()})")
    return value


ClockTime = Annotated[time, AfterValidator(wall_clock_minute)]
"""A local wall-clock time of day, HH:MM."""

_Moment = TypeVar("_Moment", time, datetime)


def ensure_end_after_start(start: _Moment, end: _Moment) -> None:
    """The rule of every window, shared with the API's wire schemas so both say the same."""
    if end <= start:
        raise ValueError(f"end {end.isoformat()} must be after start {start.isoformat()}")


class DomainModel(BaseModel):
    """Immutable, strict-keyed base of every domain class."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class ClockWindow(DomainModel):
    """A daily window in local wall-clock time, e.g. 08:00-18:00."""

    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _end_after_start(self) -> ClockWindow:
        ensure_end_after_start(self.start, self.end)
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
        ensure_end_after_start(self.start, self.end)
        return self

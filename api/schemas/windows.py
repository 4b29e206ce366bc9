"""Time windows on the wire: daily clock windows and absolute windows."""

from __future__ import annotations

from pydantic import AwareDatetime, model_validator

from api.schemas.base import WireModel
from scheduler.common import ClockTime, ensure_end_after_start


class ClockWindow(WireModel):
    """A daily window in local wall-clock time, e.g. 08:00-18:00."""

    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _end_after_start(self) -> ClockWindow:
        ensure_end_after_start(self.start, self.end)
        return self


class TimeWindow(WireModel):
    """An absolute window [start, end) with timezone offsets."""

    start: AwareDatetime
    end: AwareDatetime
    reason: str = ""

    @model_validator(mode="after")
    def _end_after_start(self) -> TimeWindow:
        ensure_end_after_start(self.start, self.end)
        return self

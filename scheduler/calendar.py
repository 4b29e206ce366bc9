"""Working time in wall-clock terms: opening hours, shifts, breaks, absences, overtime.

Everything here returns sorted, disjoint lists of aware datetime windows in the
workshop's timezone. The solver builds its integer time axis from these; the
independent plan validator checks plans against them directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from scheduler.common import WEEKDAYS, ClockWindow, TimeWindow
from scheduler.workshop import Shift, Technician, Workshop

Window = tuple[datetime, datetime]


def merge(windows: Iterable[Window]) -> list[Window]:
    """Sort and merge overlapping or touching windows."""
    merged: list[Window] = []
    for start, end in sorted(windows):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(windows: Sequence[Window], holes: Iterable[Window]) -> list[Window]:
    """Remove every hole from the windows."""
    result = list(merge(windows))
    for hole_start, hole_end in merge(holes):
        pieces: list[Window] = []
        for start, end in result:
            if hole_end <= start or end <= hole_start:
                pieces.append((start, end))
                continue
            if start < hole_start:
                pieces.append((start, hole_start))
            if hole_end < end:
                pieces.append((hole_end, end))
        result = pieces
    return result


def intersect(a: Sequence[Window], b: Sequence[Window]) -> list[Window]:
    result: list[Window] = []
    for a_start, a_end in merge(a):
        for b_start, b_end in merge(b):
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                result.append((start, end))
    return merge(result)


def clip(windows: Iterable[Window], start: datetime, end: datetime) -> list[Window]:
    return intersect(list(windows), [(start, end)])


def total_minutes(windows: Iterable[Window]) -> int:
    return int(sum((end - start).total_seconds() for start, end in windows) // 60)


def covers(windows: Sequence[Window], start: datetime, end: datetime) -> bool:
    """True when [start, end) lies inside the union of the windows."""
    return not subtract([(start, end)], windows) if start < end else True


def outage_windows(outages: Iterable[TimeWindow]) -> list[Window]:
    return merge((o.start, o.end) for o in outages)


@dataclass(frozen=True)
class WorkshopCalendar:
    """The workshop's calendar over its planning horizon, as seen at `now`."""

    workshop: Workshop
    now: datetime

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.workshop.timezone)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def is_working_day(self, day: date) -> bool:
        return day not in self.workshop.closed_days and bool(self._opening_of(day))

    @cached_property
    def working_days(self) -> list[date]:
        """The horizon's working days, starting with today (or the next working day)."""
        days: list[date] = []
        day = self.local_date(self.now)
        for _ in range(366):
            if len(days) == self.workshop.settings.horizon_days:
                break
            if self.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    @cached_property
    def horizon_start(self) -> datetime:
        return self.now.astimezone(self.zone)

    @cached_property
    def horizon_end(self) -> datetime:
        """End of the last working day, overtime included."""
        ends = [end for _, end in self.opening_windows()]
        ends += [end for t in self.workshop.technicians for _, end in self.overtime_windows(t)]
        ends += [end for t in self.workshop.technicians for _, end in self.shift_windows(t)]
        return max(ends, default=self.horizon_start)

    def at(self, day: date, clock: ClockWindow) -> Window:
        start = datetime.combine(day, clock.start, tzinfo=self.zone)
        end = datetime.combine(day, clock.end, tzinfo=self.zone)
        return start, end

    def _opening_of(self, day: date) -> list[ClockWindow]:
        return self.workshop.opening_hours.get(WEEKDAYS[day.weekday()], [])

    def opening_windows(self) -> list[Window]:
        return merge(self.at(day, w) for day in self.working_days for w in self._opening_of(day))

    def _default_shift(self) -> list[Shift]:
        return [
            Shift(days=[wd], window=w, breaks=list(self.workshop.default_breaks))
            for wd, windows in self.workshop.opening_hours.items()
            for w in windows
        ]

    def shifts_of(self, technician: Technician) -> list[Shift]:
        return list(technician.shifts) or self._default_shift()

    def _shift_days(self, technician: Technician) -> list[tuple[date, Shift]]:
        return [
            (day, shift)
            for day in self.working_days
            for shift in self.shifts_of(technician)
            if WEEKDAYS[day.weekday()] in shift.days
        ]

    def shift_windows(self, technician: Technician) -> list[Window]:
        """Shift windows with breaks and absences removed, before clipping to now."""
        windows = [self.at(day, shift.window) for day, shift in self._shift_days(technician)]
        breaks = [self.at(day, b) for day, shift in self._shift_days(technician) for b in shift.breaks]
        absences = outage_windows(technician.absences)
        return subtract(windows, breaks + absences)

    def overtime_windows(self, technician: Technician) -> list[Window]:
        """Up to the overtime allowance right after the last shift of each working day."""
        allowance = timedelta(minutes=self.workshop.settings.overtime_max_minutes_per_day)
        if not allowance:
            return []
        day_ends: dict[date, datetime] = {}
        for day, shift in self._shift_days(technician):
            _, end = self.at(day, shift.window)
            day_ends[day] = max(day_ends.get(day, end), end)
        windows = [(end, end + allowance) for end in day_ends.values()]
        booked = [self.at(day, s.window) for day, s in self._shift_days(technician)]
        return subtract(windows, booked + outage_windows(technician.absences))

    def technician_work(self, technician: Technician) -> list[Window]:
        """Regular working time of a technician from now to the horizon's end."""
        return clip(self.shift_windows(technician), self.horizon_start, self.horizon_end)

    def technician_overtime(self, technician: Technician) -> list[Window]:
        return clip(self.overtime_windows(technician), self.horizon_start, self.horizon_end)

    def bay_outages(self, bay_id: str) -> list[Window]:
        bay = self.workshop.bay(bay_id)
        return outage_windows(bay.out_of_service) if bay else []

    def lift_outages(self, lift_id: str) -> list[Window]:
        lift = self.workshop.lift(lift_id)
        return outage_windows(lift.out_of_service) if lift else []

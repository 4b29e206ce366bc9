"""When a technician's operation ends, given where it starts on the axis.

Work runs over the technician's regular slots and pauses over breaks, absences
and closing time. Overtime slots (right after a shift) are used only to finish
an operation on its last day; an operation that cannot finish inside today's
overtime allowance pauses at the shift's end and resumes the next working day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from solver.axis import BoolArray, IntArray, runs

NO_START = -1


@dataclass(frozen=True)
class Timing:
    """Per start slot: the end point the greedy uses, or NO_START when it cannot start there."""

    end: IntArray


@dataclass
class TechnicianTime:
    work: BoolArray
    overtime: BoolArray
    day: IntArray
    _cache: dict[int, Timing] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.available = self.work | self.overtime
        self._cum_any = np.concatenate(([0], np.cumsum(self.available)))
        self._cum_work = np.concatenate(([0], np.cumsum(self.work)))
        self._cum_ot = np.concatenate(([0], np.cumsum(self.overtime)))
        size = len(self.work)
        starts_of_day = np.zeros(size, dtype=np.int64)
        for i in range(1, size):
            starts_of_day[i] = starts_of_day[i - 1] if self.day[i] == self.day[i - 1] else i
        self._day_start = starts_of_day

    def without(self, start: int, end: int) -> TechnicianTime:
        """The same calendar with the slots [start, end) taken away (held by other work)."""
        work, overtime = self.work.copy(), self.overtime.copy()
        work[start:end] = False
        overtime[start:end] = False
        return TechnicianTime(work=work, overtime=overtime, day=self.day)

    @property
    def size(self) -> int:
        return len(self.work)

    def timing(self, slots: int) -> Timing:
        if slots not in self._cache:
            self._cache[slots] = self._compute(slots)
        return self._cache[slots]

    def _compute(self, slots: int) -> Timing:
        size = self.size
        starts = np.arange(size)
        end_any = np.searchsorted(self._cum_any, self._cum_any[:-1] + slots, side="left")
        end_any_ok = self.available & (end_any <= size)
        last_slot = np.clip(end_any - 1, 0, max(size - 1, 0))
        day_start = self._day_start[last_slot] if size else last_slot
        ot_before_last_day = self._cum_ot[np.maximum(day_start, starts)] - self._cum_ot[starts]
        use_any = end_any_ok & (ot_before_last_day == 0)

        end_work = np.searchsorted(self._cum_work, self._cum_work[:-1] + slots, side="left")
        use_work = ~use_any & self.work & (end_work <= size)

        end = np.full(size, NO_START, dtype=np.int64)
        end[use_any] = end_any[use_any]
        end[use_work] = end_work[use_work]
        return Timing(end=end)

    @cached_property
    def pattern(self) -> bytes:
        """Technicians with equal calendars share their gap decisions in CP-SAT."""
        return self.work.tobytes() + self.overtime.tobytes()

    @cached_property
    def span(self) -> tuple[int, int]:
        """First available slot and the point after the last one."""
        available = np.flatnonzero(self.available)
        if not len(available):
            return 0, 0
        return int(available[0]), int(available[-1]) + 1

    @cached_property
    def hard_gaps(self) -> list[tuple[int, int]]:
        """Runs of slots off work (breaks, absences, others' shifts) between the first and last slot."""
        first, last = self.span
        return [(a, b) for a, b in runs(~self.available) if first < a and b < last]

    @cached_property
    def overtime_runs(self) -> list[tuple[int, int]]:
        return runs(self.overtime)

    def slots_between(self, start: int, end: int) -> list[int]:
        """The slots worked by an operation placed on [start, end).

        Regular slots always count; overtime counts only in the run in which the
        operation finishes (it is done to finish the car, not to pre-work tomorrow).
        """
        last_run = next(((a, b) for a, b in self.overtime_runs if a < end <= b), None)
        return [
            s
            for s in range(start, end)
            if self.work[s] or (last_run is not None and last_run[0] <= s < last_run[1])
        ]

    def overtime_between(self, start: int, end: int) -> int:
        return sum(1 for s in self.slots_between(start, end) if self.overtime[s])

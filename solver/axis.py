"""The solver's integer time axis.

The axis keeps only the grain slots in which somebody could work (shifts,
overtime, opening hours) from `now` to the horizon's end; nights, closed days
and shared breaks are cut out. An operation that spans a cut simply pauses, and
its bay stays occupied: in axis time it is one contiguous interval.

Points are slot boundaries: point p < N is the start of slot p; an interval
[s, e) on the axis covers slots s .. e-1.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from scheduler.calendar import Window, merge

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def _ceil_to_grain(moment: datetime, grain: int) -> datetime:
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    minutes = (moment - midnight).total_seconds() / 60
    slots = int(-(-minutes // grain))
    return midnight + timedelta(minutes=slots * grain)


@dataclass(frozen=True)
class TimeAxis:
    grain_minutes: int
    slot_starts: tuple[datetime, ...]
    origin: datetime
    """Where the axis begins: the answer for every point when no slot is left in the horizon
    (asked in the evening with a one-day horizon)."""

    @classmethod
    def build(cls, windows: Sequence[Window], start: datetime, grain_minutes: int) -> TimeAxis:
        """Slots of `grain_minutes` lying wholly inside the windows, from `start` on."""
        grain = timedelta(minutes=grain_minutes)
        slots: list[datetime] = []
        for w_start, w_end in merge(windows):
            t = _ceil_to_grain(max(w_start, start), grain_minutes)
            while t + grain <= w_end:
                slots.append(t)
                t += grain
        return cls(grain_minutes, tuple(sorted(set(slots))), start)

    @property
    def size(self) -> int:
        return len(self.slot_starts)

    @property
    def grain(self) -> timedelta:
        return timedelta(minutes=self.grain_minutes)

    def start_time(self, point: int) -> datetime:
        """Wall-clock time at which something starting at `point` starts."""
        if not self.slot_starts:
            return self.origin
        if point >= self.size:
            return self.slot_starts[-1] + self.grain
        return self.slot_starts[point]

    def end_time(self, point: int) -> datetime:
        """Wall-clock time at which something ending at `point` ends."""
        if not self.slot_starts:
            return self.origin
        if point <= 0:
            return self.slot_starts[0]
        return self.slot_starts[point - 1] + self.grain

    def release_point(self, moment: datetime | None) -> int:
        """First point whose slot starts at or after `moment`."""
        if moment is None:
            return 0
        return bisect.bisect_left(self.slot_starts, moment)

    def deadline_point(self, moment: datetime) -> int:
        """Last point at which something may end and still be done by `moment`."""
        return bisect.bisect_right([s + self.grain for s in self.slot_starts], moment)

    def minutes_between(self, earlier: int, later: int) -> int:
        """Wall-clock minutes from the end at point `earlier` to the end at point `later`:
        the slots between plus the nights and breaks cut out of the axis."""
        return int((self.end_time(later) - self.end_time(earlier)).total_seconds()) // 60

    def cuts(self) -> list[tuple[int, int]]:
        """(point b, minutes cut out of the axis between slot b-1 and slot b), in order."""
        return [
            (b, minutes)
            for b in range(1, self.size)
            for minutes in [
                int((self.slot_starts[b] - self.slot_starts[b - 1] - self.grain).total_seconds()) // 60
            ]
            if minutes > 0
        ]

    def mask(self, windows: Sequence[Window]) -> BoolArray:
        """Slots lying wholly inside the windows."""
        result = np.zeros(self.size, dtype=np.bool_)
        for w_start, w_end in merge(windows):
            lo = bisect.bisect_left(self.slot_starts, w_start)
            hi = bisect.bisect_right(self.slot_starts, w_end - self.grain)
            result[lo:hi] = True
        return result

    def touching(self, windows: Sequence[Window]) -> BoolArray:
        """Slots overlapping the windows at all (for outages)."""
        result = np.zeros(self.size, dtype=np.bool_)
        for w_start, w_end in merge(windows):
            lo = bisect.bisect_right(self.slot_starts, w_start - self.grain)
            hi = bisect.bisect_left(self.slot_starts, w_end)
            result[lo:hi] = True
        return result

    def day_index(self) -> IntArray:
        """Index of each slot's local day, counted along the axis."""
        days = np.zeros(self.size, dtype=np.int64)
        for i in range(1, self.size):
            same = self.slot_starts[i].date() == self.slot_starts[i - 1].date()
            days[i] = days[i - 1] + (0 if same else 1)
        return days

    def pieces(self, slots: Sequence[int]) -> list[Window]:
        """Wall-clock pieces made of the given slots, merging neighbours in time."""
        return merge((self.slot_starts[s], self.slot_starts[s] + self.grain) for s in slots)


def runs(mask: BoolArray) -> list[tuple[int, int]]:
    """Maximal [start, end) runs of True in a mask."""
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]

"""Resource calendars for the greedy dispatcher: busy intervals, pool usage, valid starts.

Every query answers "is [start, end) free?" and, when it is not, the earliest
start worth trying next. The jump is safe because an operation's end never
moves earlier when its start moves later: any start before the jump would
still overlap the same busy stretch.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

import numpy as np

from solver.axis import IntArray
from solver.tech_time import NO_START


class Timeline:
    """Disjoint busy intervals [start, end) of one unit resource, sorted by start."""

    def __init__(self, busy: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(busy):
            self.add(start, end)

    def blocker(self, start: int, end: int) -> int | None:
        """End of the last busy interval overlapping [start, end); None when it is free."""
        # Intervals are disjoint, so the last one starting before `end` also ends last.
        i = bisect.bisect_left(self._starts, end) - 1
        if i >= 0 and self._ends[i] > start:
            return self._ends[i]
        return None

    def add(self, start: int, end: int) -> None:
        if self.blocker(start, end) is not None:
            raise ValueError(f"[{start}, {end}) overlaps a busy interval")
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)

    def remove(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self._starts, start)
        if i == len(self._starts) or self._starts[i] != start or self._ends[i] != end:
            raise ValueError(f"[{start}, {end}) is not booked")
        del self._starts[i]
        del self._ends[i]

    def intervals(self) -> list[tuple[int, int]]:
        return list(zip(self._starts, self._ends, strict=True))


class PoolUsage:
    """Units of one equipment pool in use per slot, against the units in service."""

    def __init__(self, capacity: IntArray) -> None:
        self.capacity = capacity
        self.used = np.zeros_like(capacity)

    def blocker(self, start: int, end: int) -> int | None:
        """One past the last fully used slot inside [start, end); None when a unit is free throughout."""
        full = np.flatnonzero(self.used[start:end] >= self.capacity[start:end])
        return start + int(full[-1]) + 1 if full.size else None

    def add(self, start: int, end: int) -> None:
        self.used[start:end] += 1

    def remove(self, start: int, end: int) -> None:
        self.used[start:end] -= 1


class StartTable:
    """Where an operation may start with one technician (or unattended), and where it then ends."""

    def __init__(self, ends: IntArray) -> None:
        self.ends: list[int] = ends.tolist()
        self.starts: list[int] = np.flatnonzero(ends != NO_START).tolist()

    @classmethod
    def unattended(cls, slots: int, horizon: int) -> StartTable:
        """Unattended work runs straight through the axis: it ends `slots` later, inside the horizon."""
        ends = np.arange(horizon, dtype=np.int64) + slots
        ends[ends > horizon] = NO_START
        return cls(ends)

    def first_from(self, point: int) -> int | None:
        """First valid start at or after `point`."""
        i = bisect.bisect_left(self.starts, point)
        return self.starts[i] if i < len(self.starts) else None

    def end(self, start: int) -> int:
        """End point when starting at `start`, NO_START when it cannot start there."""
        return self.ends[start] if 0 <= start < len(self.ends) else NO_START

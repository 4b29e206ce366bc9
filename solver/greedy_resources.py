"""What the greedy dispatcher has booked so far, and earliest-fit search against it.

One calendar per technician, bay, lift and car, and a usage profile per
equipment pool. Outages are booked up front as busy stretches, so a search
never needs to look at them separately.
"""

from __future__ import annotations

from typing import NamedTuple

from solver.axis import runs
from solver.instance import Instance, Op, PlaceOption, TechOption
from solver.solution import Placement
from solver.tech_time import NO_START
from solver.timeline import PoolUsage, StartTable, Timeline


def _later(a: int | None, b: int | None) -> int | None:
    """The later of two jump targets, where None means 'no conflict'."""
    if a is None:
        return b
    return a if b is None or a >= b else b


class Fit(NamedTuple):
    """A technician option that fits from `start` to `end`, with the places free then."""

    tech_option: int | None
    start: int
    end: int
    places: list[int]


PlaceMemo = dict[tuple[int, int], tuple[list[int], int | None]]
"""Free places and next try, per window [start, end), for one operation."""


class Resources:
    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.techs = [Timeline() for _ in instance.technicians]
        self.bays = [Timeline(runs(blocked)) for blocked in instance.bay_blocked]
        self.lifts = [Timeline(runs(blocked)) for blocked in instance.lift_blocked]
        self.cars = [Timeline() for _ in instance.jobs]
        self.pools = [PoolUsage(capacity) for capacity in instance.pool_capacity]
        self.load = [0] * len(instance.technicians)
        """Working slots booked per technician, to spread the work."""
        self._tables: dict[tuple[int, int], StartTable] = {}

    def table(self, op: Op, option: TechOption | None) -> StartTable:
        """Valid starts and ends of `op` with this technician option (or unattended)."""
        key = (option.tech, option.slots) if option is not None else (-1, op.work_slots)
        if key not in self._tables:
            if option is None:
                self._tables[key] = StartTable.unattended(op.work_slots, self.instance.horizon)
            else:
                timing = self.instance.tech_time[option.tech].timing(option.slots)
                self._tables[key] = StartTable(timing.end)
        return self._tables[key]

    def options(self, op: Op) -> list[int | None]:
        """Indices into op.techs, or [None] for unattended work."""
        return list(range(len(op.techs))) if op.techs else [None]

    def _option(self, op: Op, index: int | None) -> TechOption | None:
        return op.techs[index] if index is not None else None

    def _crew_blocker(self, op: Op, option: TechOption | None, start: int, end: int) -> int | None:
        """Conflict with the technician, the car or an equipment pool (all places alike)."""
        jump = self.cars[op.job].blocker(start, end)
        if option is not None:
            jump = _later(jump, self.techs[option.tech].blocker(start, end))
        for pool in op.equipment:
            jump = _later(jump, self.pools[pool].blocker(start, end))
        return jump

    def _place_blocker(self, place: PlaceOption, start: int, end: int) -> int | None:
        jump = self.bays[place.bay].blocker(start, end) if place.bay is not None else None
        if place.lift is not None:
            jump = _later(jump, self.lifts[place.lift].blocker(start, end))
        return jump

    def _free_places(self, op: Op, start: int, end: int, memo: PlaceMemo) -> tuple[list[int], int | None]:
        """Places free over [start, end), and otherwise the first start at which one might be."""
        # Technicians with the same duration often reach the same window; the places answer once.
        if (start, end) in memo:
            return memo[start, end]
        memo[start, end] = self._scan_places(op, start, end)
        return memo[start, end]

    def _scan_places(self, op: Op, start: int, end: int) -> tuple[list[int], int | None]:
        free: list[int] = []
        jump: int | None = None
        for index, place in enumerate(op.places):
            blocked_until = self._place_blocker(place, start, end)
            if blocked_until is None:
                free.append(index)
            elif jump is None or blocked_until < jump:
                jump = blocked_until
        return free, jump

    def earliest(
        self, op: Op, option_index: int | None, earliest_start: int, latest_end: int, memo: PlaceMemo
    ) -> Fit | None:
        """The earliest start >= earliest_start at which this technician option fits, with every
        place free then; None when nothing fits ending by latest_end. `memo` caches place answers
        for `op` while nothing is booked."""
        option = self._option(op, option_index)
        table = self.table(op, option)
        point: int | None = earliest_start
        while point is not None:
            start = table.first_from(point)
            if start is None:
                return None
            end = table.ends[start]
            if end > latest_end:
                return None  # later starts end no earlier
            point = self._crew_blocker(op, option, start, end)
            if point is not None:
                continue
            free, point = self._free_places(op, start, end, memo)
            if free:
                return Fit(option_index, start, end, free)
        return None

    def fits_at(self, op: Op, start: int, latest_end: int) -> list[Fit]:
        """Every technician option, with its free places, with which `op` can start exactly at `start`."""
        fits: list[Fit] = []
        for option_index in self.options(op):
            option = self._option(op, option_index)
            end = self.table(op, option).end(start)
            if end == NO_START or end > latest_end:
                continue
            if self._crew_blocker(op, option, start, end) is not None:
                continue
            free, _ = self._scan_places(op, start, end)
            if free:
                fits.append(Fit(option_index, start, end, free))
        return fits

    def is_free(self, op: Op, placement: Placement) -> bool:
        """True when everything this exact placement needs is free."""
        option = self._option(op, placement.tech_option)
        start, end = placement.start, placement.end
        crew_free = self._crew_blocker(op, option, start, end) is None
        return crew_free and self._place_blocker(op.places[placement.place], start, end) is None

    def book(self, op: Op, placement: Placement) -> None:
        self._each_calendar(op, placement, book=True)

    def unbook(self, op: Op, placement: Placement) -> None:
        self._each_calendar(op, placement, book=False)

    def _each_calendar(self, op: Op, placement: Placement, *, book: bool) -> None:
        start, end = placement.start, placement.end
        place = op.places[placement.place]
        lines = [self.cars[op.job]]
        option = self._option(op, placement.tech_option)
        if option is not None:
            lines.append(self.techs[option.tech])
            self.load[option.tech] += option.slots if book else -option.slots
        if place.bay is not None:
            lines.append(self.bays[place.bay])
        if place.lift is not None:
            lines.append(self.lifts[place.lift])
        for line in lines:
            if book:
                line.add(start, end)
            else:
                line.remove(start, end)
        for pool in op.equipment:
            if book:
                self.pools[pool].add(start, end)
            else:
                self.pools[pool].remove(start, end)

"""Which stock tranche serves which operation, for the greedy dispatcher.

A part's supply is a list of tranches (stock on hand, then deliveries). Units
given out from tranches 0..k may never exceed what has arrived by tranche k;
each demand takes the earliest tranche that keeps this true for every k, so an
early taker never starves work already promised a later delivery.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate

from solver.instance import PartDemand, PartSupply


class PartsLedger:
    def __init__(self, supplies: Sequence[PartSupply]) -> None:
        self._supplies = supplies
        self._taken = [[0] * len(s.points) for s in supplies]

    def tranche(self, demand: PartDemand) -> int | None:
        """Earliest tranche that can give the demand without breaking any promise made; None if none can."""
        supply = self._supplies[demand.part]
        given = list(accumulate(self._taken[demand.part]))
        slack = [have - out for have, out in zip(supply.cumulative, given, strict=True)]
        # Taking from tranche k uses up slack of every tranche from k on.
        suffix_min = list(accumulate(reversed(slack), min))[::-1]
        return next((k for k, room in enumerate(suffix_min) if room >= demand.quantity), None)

    def offer(self, demands: Sequence[PartDemand]) -> list[int] | PartDemand:
        """A tranche per demand, or the first demand that cannot be supplied within the horizon."""
        tranches: list[int] = []
        for demand in demands:
            k = self.tranche(demand)
            if k is None:
                return demand
            tranches.append(k)
        return tranches

    def ready_point(self, demands: Sequence[PartDemand], tranches: Sequence[int]) -> int:
        """Axis point from which every part of the offer is there."""
        points = (self._supplies[d.part].points[k] for d, k in zip(demands, tranches, strict=True))
        return max(points, default=0)

    def take(self, demands: Sequence[PartDemand], tranches: Sequence[int]) -> None:
        for demand, k in zip(demands, tranches, strict=True):
            self._taken[demand.part][k] += demand.quantity

    def give_back(self, demands: Sequence[PartDemand], tranches: Sequence[int]) -> None:
        for demand, k in zip(demands, tranches, strict=True):
            self._taken[demand.part][k] -= demand.quantity

    def part_number(self, demand: PartDemand) -> str:
        return self._supplies[demand.part].part_number

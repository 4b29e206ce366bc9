"""The greedy dispatcher: a fast valid plan, used as benchmark baseline, CP-SAT warm start and fallback.

Fixed work goes first (started work, then the dispatcher's pins), exactly where
it must start. On a re-plan, published work keeps its technician, place and
start where that still fits, the frozen window first. Then jobs are taken by
earliest promise and each operation, in the order its predecessors allow, gets
the technician, place and start that finish it earliest. Whatever cannot be
placed is left unplanned with a reason, and so is the work waiting on it.
"""

from __future__ import annotations

from solver.greedy_order import JobOrder, job_order, topological
from solver.greedy_parts import PartsLedger
from solver.greedy_reasons import NO_ROOM, fixed_blocked, waiting_for_part, waits_for
from solver.greedy_resources import Fit, PlaceMemo, Resources
from solver.instance import Instance, Op, PartDemand, Reference, plannable_ops
from solver.solution import Placement, Solution
from solver.tech_time import NO_START

PlacementKey = tuple[int, int, int, bool, bool, int, int, int, int]


def greedy_solution(instance: Instance, order: JobOrder = job_order) -> Solution:
    """The dispatcher's plan, taking jobs in `order` (by default: earliest promise first)."""
    return _Dispatcher(instance, order).run()


class _Dispatcher:
    def __init__(self, instance: Instance, order: JobOrder) -> None:
        self.instance = instance
        self.order = order
        self.resources = Resources(instance)
        self.ledger = PartsLedger(instance.parts)
        self.solution = Solution()
        self.tranches: dict[int, list[int]] = {}
        self.deadline: dict[int, int] = {}
        """Latest end of work that a fixed successor waits for."""
        self.last_tech: dict[int, int] = {}
        self.last_bay: dict[int, int] = {}
        self.successors: dict[int, list[int]] = {}
        self.position: dict[int, int] = {}
        """Place of each op in the dispatch sequence."""
        self.specialness = [len(b.capabilities) + _has_lift(instance, b.id) for b in instance.bays]

    def run(self) -> Solution:
        instance = self.instance
        for op in instance.ops:
            if op.key in instance.unplannable:
                self.solution.unplanned[op.index] = instance.unplannable[op.key]
        ops = plannable_ops(instance)
        plannable = {op.index for op in ops}
        sequence = [op for job in self.order(instance, ops) for op in topological(instance, job, plannable)]
        self.position = {op.index: i for i, op in enumerate(sequence)}
        for op in ops:
            for pred in op.predecessors:
                self.successors.setdefault(pred, []).append(op.index)
        fixed = [op for op in sequence if op.fixed_start is not None and self._open(op)]
        for op in sorted(fixed, key=lambda o: not o.started):  # stable: keeps the topological order
            self._place_fixed(op)
        # A re-plan keeps the published plan where it still holds: the frozen window first.
        for frozen in (True, False):
            for op in sequence:
                if op.reference is not None and op.reference.frozen == frozen and self._open(op):
                    self._keep(op, op.reference)
        for op in sequence:
            if op.index in self.solution.placements:
                self._recheck_fixed(op)
            elif self._open(op):
                self._place_free(op)
        return self.solution

    def _open(self, op: Op) -> bool:
        return op.index not in self.solution.placements and op.index not in self.solution.unplanned

    # --- fixed work -------------------------------------------------------------------------------

    def _place_fixed(self, op: Op) -> None:
        start = op.fixed_start
        assert start is not None
        tranches = self.ledger.offer(op.parts)
        reason = self._fixed_conflict(op, start) or self._parts_too_late(op, tranches, start)
        if reason or isinstance(tranches, PartDemand):
            self._unplan(op, reason)
            return
        limit = min(self.instance.horizon, self.deadline.get(op.index, self.instance.horizon))
        best = self._choose(op, self.resources.fits_at(op, start, limit))
        if best is None:
            self._unplan(op, fixed_blocked(op))
            return
        self._book(op, best, tranches)
        self._set_deadlines(op, start)

    def _fixed_conflict(self, op: Op, start: int) -> str:
        """Why a fixed start breaks the order of work or the car's arrival; empty when it does not."""
        for pred in op.predecessors:
            if pred in self.solution.unplanned:
                return waits_for(self.instance.ops[pred])
            placed = self.solution.placements.get(pred)
            if placed is not None and placed.end > start:
                return f"pinned start lies before operation {self.instance.ops[pred].operation.id} ends"
        if not op.started and start < op.release:
            return "pinned start lies before the car arrives"
        return ""

    def _parts_too_late(self, op: Op, tranches: list[int] | PartDemand, start: int) -> str:
        """Why the parts are not there by a fixed start; empty when they are."""
        if isinstance(tranches, PartDemand):
            return waiting_for_part(self.ledger.part_number(tranches))
        for demand, tranche in zip(op.parts, tranches, strict=True):
            if self.ledger.ready_point([demand], [tranche]) > start:
                return (
                    f"waiting for part {self.ledger.part_number(demand)}: it is not there by the pinned start"
                )
        return ""

    def _set_deadlines(self, op: Op, start: int) -> None:
        """Work that op waits for, still to be placed, must end by its fixed start."""
        stack = list(op.predecessors)
        while stack:
            pred = stack.pop()
            if not self._open(self.instance.ops[pred]) or self.deadline.get(pred, start + 1) <= start:
                continue
            self.deadline[pred] = start
            stack += self.instance.ops[pred].predecessors

    def _recheck_fixed(self, op: Op) -> None:
        """A fixed op stays only if everything it waits for is placed and ends by its start."""
        placement = self.solution.placements[op.index]
        for pred in op.predecessors:
            placed = self.solution.placements.get(pred)
            if placed is None:
                reason = waits_for(self.instance.ops[pred])
            elif placed.end > placement.start:
                reason = f"pinned start lies before operation {self.instance.ops[pred].operation.id} ends"
            else:
                continue
            self._unbook(op)
            self._unplan(op, reason)
            return

    def _fixed_successors(self, op: Op) -> list[Op]:
        """Placed work that waits on op, directly or not, in dispatch order (all of it fixed work)."""
        found: set[int] = set()
        stack = list(self.successors.get(op.index, []))
        while stack:
            succ = stack.pop()
            if succ not in found:
                found.add(succ)
                stack += self.successors.get(succ, [])
        placed = sorted((i for i in found if i in self.solution.placements), key=self.position.__getitem__)
        return [self.instance.ops[i] for i in placed]

    def _rebook(self, op: Op, placement: Placement) -> None:
        """Put fixed work back where it was, if its predecessors, parts and resources still allow."""
        start = placement.start
        tranches = self.ledger.offer(op.parts)
        reason = self._fixed_conflict(op, start) or self._parts_too_late(op, tranches, start)
        if not reason and not self.resources.is_free(op, placement):
            reason = fixed_blocked(op)
        if reason or isinstance(tranches, PartDemand):
            self._unplan(op, reason)
        else:
            self._book(op, placement, tranches)

    # --- published work ----------------------------------------------------------------------------

    def _keep(self, op: Op, reference: Reference) -> None:
        """Book op where the published plan has it, if that still fits; otherwise it is placed later."""
        if reference.place is None or (op.attended and reference.tech is None):
            return
        start = reference.start
        preds = [self.solution.placements.get(p) for p in op.predecessors]
        if start < op.release or any(p is None or p.end > start for p in preds):
            return
        tranches = self.ledger.offer(op.parts)
        if isinstance(tranches, PartDemand) or self.ledger.ready_point(op.parts, tranches) > start:
            return
        option = op.techs[reference.tech] if reference.tech is not None else None
        end = self.resources.table(op, option).end(start)
        if end == NO_START or end > self.deadline.get(op.index, self.instance.horizon):
            return
        placement = Placement(op.index, reference.tech, reference.place, start, end)
        if self.resources.is_free(op, placement):
            self._book(op, placement, tranches)

    # --- free work --------------------------------------------------------------------------------

    def _place_free(self, op: Op) -> None:
        waiting = [p for p in op.predecessors if p not in self.solution.placements]
        if waiting:
            self._unplan(op, waits_for(self.instance.ops[waiting[0]]))
            return
        tranches = self.ledger.offer(op.parts)
        if isinstance(tranches, PartDemand):
            self._unplan(op, waiting_for_part(self.ledger.part_number(tranches)))
            return
        ready = [self.solution.placements[p].end for p in op.predecessors]
        ready += [op.release, self.ledger.ready_point(op.parts, tranches)]
        earliest = max(ready)
        best: Placement | None = None
        released: list[tuple[Op, Placement]] = []
        if op.index in self.deadline:
            best = self._best(op, earliest, self.deadline[op.index])
            if best is None:
                # The fixed work waiting on op cannot keep its start: op takes its time first,
                # and the fixed work that still fits afterwards stays.
                released = [(succ, self._unbook(succ)) for succ in self._fixed_successors(op)]
        best = best or self._best(op, earliest, self.instance.horizon)
        if best is None:
            self._unplan(op, NO_ROOM)
        else:
            self._book(op, best, tranches)
        for succ, placement in released:
            self._rebook(succ, placement)

    def _best(self, op: Op, earliest: int, latest_end: int) -> Placement | None:
        fits: list[Fit] = []
        memo: PlaceMemo = {}
        limit = latest_end
        for option in self.resources.options(op):
            # Only an end as early as the best so far can still win.
            fit = self.resources.earliest(op, option, earliest, limit, memo)
            if fit is not None:
                fits.append(fit)
                limit = min(limit, fit.end)
        return self._choose(op, [f for f in fits if f.end == limit])

    def _choose(self, op: Op, fits: list[Fit]) -> Placement | None:
        keyed = [(self._key(op, fit, place), fit, place) for fit in fits for place in fit.places]
        if not keyed:
            return None
        _, fit, place = min(keyed, key=lambda k: k[0])
        return Placement(op.index, fit.tech_option, place, fit.start, fit.end)

    def _key(self, op: Op, fit: Fit, place: int) -> PlacementKey:
        """Earliest end; then the least overqualified, least loaded technician; then the job's own
        technician and bay; then the least specialised bay, kept free for work that needs it."""
        option = op.techs[fit.tech_option] if fit.tech_option is not None else None
        tech = option.tech if option is not None else -1
        bay = op.places[place].bay
        return (
            fit.end,
            option.overqualification if option is not None else 0,
            self.resources.load[tech] if option is not None else 0,
            option is not None and self.last_tech.get(op.job, tech) != tech,
            bay is not None and self.last_bay.get(op.job, bay) != bay,
            self.specialness[bay] if bay is not None else 0,
            fit.start,
            fit.tech_option if fit.tech_option is not None else -1,
            place,
        )

    # --- bookkeeping ------------------------------------------------------------------------------

    def _book(self, op: Op, placement: Placement, tranches: list[int]) -> None:
        self.resources.book(op, placement)
        self.ledger.take(op.parts, tranches)
        self.tranches[op.index] = tranches
        self.solution.placements[op.index] = placement
        if placement.tech_option is not None:
            self.last_tech[op.job] = op.techs[placement.tech_option].tech
        bay = op.places[placement.place].bay
        if bay is not None:
            self.last_bay[op.job] = bay

    def _unbook(self, op: Op) -> Placement:
        placement = self.solution.placements.pop(op.index)
        self.resources.unbook(op, placement)
        self.ledger.give_back(op.parts, self.tranches.pop(op.index))
        return placement

    def _unplan(self, op: Op, reason: str) -> None:
        self.solution.unplanned[op.index] = reason


def _has_lift(instance: Instance, bay_id: str) -> int:
    return int(any(lift.bay_id == bay_id for lift in instance.lifts))

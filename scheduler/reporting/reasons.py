"""Why a job finishes when it does, in plain words, read off the plan's critical chain.

Starting from the job's last-finishing operation we ask what fixed its start:
the car's arrival, a parts delivery, an earlier operation of the same car, the
workshop or shift opening, or a technician / bay / lift / equipment unit that
was busy until that moment. When the answer is an earlier operation of the
same job we keep walking back from it; any other answer is where the chain
starts. The chain is then read forwards (chronologically), so an advisor can
tell the customer the story in order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from itertools import pairwise

from scheduler.calendar import Window, WorkshopCalendar
from scheduler.jobs import Job, Operation, OperationStatus
from scheduler.plan import OperationAssignment
from scheduler.problem import Problem
from scheduler.reporting.text import (
    clock,
    duration,
    local,
    operation_label,
    operation_short,
    technician_name,
)

MAX_REASONS = 6
"""A handful: enough for the advisor's phone call, short enough for the board."""

MINUTE = timedelta(minutes=1)


class Weight(IntEnum):
    """How much a reason explains the completion time; only used to trim long chains."""

    LINK = 1
    """A hand-over between operations of the car, or a start nothing delayed."""
    MINOR = 2
    """A break: costs minutes, not hours."""
    CAUSE = 3
    """A real wait: the car, a part, closing time, a busy resource, fixed work."""


@dataclass(frozen=True)
class Reason:
    text: str
    weight: Weight


class GapKind(StrEnum):
    BREAK = "break"
    CLOSED = "closed"


@dataclass(frozen=True)
class IdleGap:
    """The non-working stretch right before an operation's start.

    A blocker that ended anywhere in [since, start] still explains the start,
    because nothing could have happened in between anyway.
    """

    since: datetime
    kind: GapKind | None


def minutes_late(completion: datetime, promised: datetime) -> int:
    """Whole minutes past the promise, rounded up so that any lateness shows."""
    return -((promised - completion) // MINUTE)


def lateness_reason(problem: Problem, completion: datetime, promised: datetime, *, at_least: bool) -> str:
    qualifier = "at least " if at_least else ""
    late_by = duration(minutes_late(completion, promised))
    return f"late by {qualifier}{late_by} against the promise of {clock(promised, problem)}"


class PlanIndex:
    """Look-ups over one plan's assignments, shared by forecasts and reasons."""

    def __init__(self, problem: Problem, operations: Iterable[OperationAssignment]) -> None:
        self.problem = problem
        self.calendar = WorkshopCalendar(problem.workshop, problem.now)
        self.grain = timedelta(minutes=problem.workshop.settings.grain_minutes)
        self.assignments = list(operations)
        self._operations: dict[tuple[str, str], Operation] = {
            (job.id, op.id): op for job in problem.jobs for op in job.operations
        }
        self._by_job: dict[str, list[OperationAssignment]] = defaultdict(list)
        self._by_technician: dict[str, list[OperationAssignment]] = defaultdict(list)
        self._by_bay: dict[str, list[OperationAssignment]] = defaultdict(list)
        self._by_lift: dict[str, list[OperationAssignment]] = defaultdict(list)
        self._by_pool: dict[str, list[OperationAssignment]] = defaultdict(list)
        for a in self.assignments:
            self._by_job[a.job_id].append(a)
            if a.technician_id is not None:
                self._by_technician[a.technician_id].append(a)
            if a.bay_id is not None:
                self._by_bay[a.bay_id].append(a)
            if a.lift_id is not None:
                self._by_lift[a.lift_id].append(a)
            for use in a.equipment:
                self._by_pool[use.pool_id].append(a)
        self._windows: dict[str | None, list[Window]] = {}

    def operation(self, a: OperationAssignment) -> Operation | None:
        return self._operations.get((a.job_id, a.operation_id))

    def label(self, a: OperationAssignment) -> str:
        return operation_label(self.operation(a), a.operation_id)

    def short(self, a: OperationAssignment) -> str:
        return operation_short(self.operation(a), a.operation_id)

    def of_job(self, job_id: str) -> list[OperationAssignment]:
        return self._by_job.get(job_id, [])

    def on_technician(self, technician_id: str) -> list[OperationAssignment]:
        return self._by_technician.get(technician_id, [])

    def in_bay(self, bay_id: str) -> list[OperationAssignment]:
        return self._by_bay.get(bay_id, [])

    def on_lift(self, lift_id: str) -> list[OperationAssignment]:
        return self._by_lift.get(lift_id, [])

    def using_pool(self, pool_id: str) -> list[OperationAssignment]:
        return self._by_pool.get(pool_id, [])

    def working_windows(self, technician_id: str | None) -> list[Window]:
        """Regular working time of the operation's worker: the technician's shifts, or the
        opening hours for unattended steps and unknown technicians.

        Overtime is left out on purpose: it is optional, so work that waits past the
        shift end is still waiting for the next shift, and a blocker that ran until
        the shift end must count as touching the gap.
        """
        if technician_id not in self._windows:
            technician = self.problem.workshop.technician(technician_id) if technician_id else None
            if technician is None:
                windows = self.calendar.opening_windows()
            else:
                windows = self.calendar.shift_windows(technician)
            self._windows[technician_id] = windows
        return self._windows[technician_id]

    def is_opening(self, moment: datetime) -> bool:
        return any(start == moment for start, _ in self.calendar.opening_windows())


# ---------------------------------------------------------------------------
# What fixed one operation's start


def idle_gap(index: PlanIndex, a: OperationAssignment) -> IdleGap:
    """The closed stretch just before the start, if the start opens a working window."""
    windows = index.working_windows(a.technician_id)
    for position, (window_start, _) in enumerate(windows):
        if window_start != a.start:
            continue
        # Before `now` nothing was being planned, so a gap never reaches back past it.
        floor = min(index.problem.now, a.start)
        previous_end = windows[position - 1][1] if position else None
        since = max(previous_end, floor) if previous_end is not None else floor
        if since >= a.start:
            return IdleGap(a.start, None)
        same_day = previous_end is not None and (
            local(previous_end, index.problem).date() == local(a.start, index.problem).date()
        )
        return IdleGap(since, GapKind.BREAK if same_day else GapKind.CLOSED)
    return IdleGap(a.start, None)


def gap_phrase(index: PlanIndex, a: OperationAssignment, gap: IdleGap) -> str:
    when = clock(a.start, index.problem)
    if gap.kind is GapKind.BREAK:
        return f"waited for the end of the break at {when}"
    if a.technician_id is None or index.is_opening(a.start):
        return f"waited for opening at {when}"
    technician = index.problem.workshop.technician(a.technician_id)
    return f"waited for the start of {technician_name(technician, a.technician_id)}'s shift at {when}"


def fixed_start(index: PlanIndex, a: OperationAssignment) -> str | None:
    """Work already under way or pinned by hand is not the planner's choice."""
    op = index.operation(a)
    if a.started or (op is not None and op.status is OperationStatus.STARTED):
        since = op.progress.started_at if op is not None and op.progress is not None else a.start
        return f"in progress since {clock(since, index.problem)}"
    # A pin may fix only the technician or bay; it explains the start only when it fixes the time
    # (or when the operation's pin is unknown here and the plan marks the assignment pinned).
    pin = op.pin if op is not None else None
    if (pin is not None and pin.start == a.start) or (pin is None and a.pinned):
        return f"pinned by the dispatcher to start at {clock(a.start, index.problem)}"
    return None


def arrival_wait(index: PlanIndex, job: Job, a: OperationAssignment, gap: IdleGap) -> str | None:
    """The car got there at most one grain before the start (the start is rounded up to the grain)."""
    arrival = job.expected_arrival
    if arrival is None or not (gap.since - index.grain < arrival <= a.start):
        return None
    return f"waited for the car to arrive at {clock(arrival, index.problem)}"


def _stock_short_without(
    index: PlanIndex, a: OperationAssignment, part_number: str, quantity: int, eta: datetime
) -> bool:
    """Would the operation have lacked the part without the delivery due at `eta`?

    Stock on hand plus earlier deliveries, minus what operations planned to start
    earlier take (jobs compete for stock); work already started has drawn its parts.
    """
    parts = index.problem.parts
    available = sum(s.on_hand for s in parts.stock if s.part_number == part_number)
    available += sum(d.quantity for d in parts.deliveries if d.part_number == part_number and d.eta < eta)
    for other in index.assignments:
        other_op = index.operation(other)
        if other is a or other_op is None or other.started or other.start >= a.start:
            continue
        available -= sum(line.quantity for line in other_op.parts if line.part_number == part_number)
    return available < quantity


def part_wait(index: PlanIndex, a: OperationAssignment, gap: IdleGap) -> str | None:
    op = index.operation(a)
    if op is None:
        return None
    parts = index.problem.parts
    waits: list[tuple[datetime, str]] = []
    for line in op.parts:
        if not parts.tracked(line.part_number):
            continue
        for delivery in parts.deliveries:
            if delivery.part_number != line.part_number:
                continue
            if not (gap.since - index.grain < delivery.eta <= a.start):
                continue
            if _stock_short_without(index, a, line.part_number, line.quantity, delivery.eta):
                waits.append((delivery.eta, line.part_number))
    if not waits:
        return None
    eta, part_number = max(waits)
    return f"waited for part {part_number} (ETA {clock(eta, index.problem)})"


def _latest_ending(
    candidates: Iterable[OperationAssignment], a: OperationAssignment, gap: IdleGap
) -> OperationAssignment | None:
    """The candidate that freed up last inside [gap.since, start], if any did."""
    ending = [c for c in candidates if c is not a and gap.since <= c.end <= a.start]
    return max(ending, key=lambda c: (c.end, c.start), default=None)


def previous_in_job(index: PlanIndex, a: OperationAssignment, gap: IdleGap) -> OperationAssignment | None:
    """A declared predecessor first; else any other operation of the car, which is in one place at a time."""
    op = index.operation(a)
    siblings = index.of_job(a.job_id)
    declared = set(op.predecessors) if op is not None else set()
    found = _latest_ending((s for s in siblings if s.operation_id in declared), a, gap)
    return found or _latest_ending(siblings, a, gap)


BlockerText = Callable[[PlanIndex, OperationAssignment, OperationAssignment], str]


def _until(index: PlanIndex, blocker: OperationAssignment) -> str:
    return f"job {blocker.job_id} ({index.short(blocker)}) until {clock(blocker.end, index.problem)}"


def _technician_blocker(index: PlanIndex, a: OperationAssignment, gap: IdleGap) -> str | None:
    if a.technician_id is None:
        return None
    blocker = _latest_ending(index.on_technician(a.technician_id), a, gap)
    if blocker is None:
        return None
    name = technician_name(index.problem.workshop.technician(a.technician_id), a.technician_id)
    return f"technician {name} busy with {_until(index, blocker)}"


def _bay_blocker(index: PlanIndex, a: OperationAssignment, gap: IdleGap) -> str | None:
    if a.bay_id is None:
        return None
    blocker = _latest_ending(index.in_bay(a.bay_id), a, gap)
    if blocker is None:
        return None
    bay = index.problem.workshop.bay(a.bay_id)
    name = bay.name if bay is not None and bay.name else a.bay_id
    return f"bay {name} occupied by {_until(index, blocker)}"


def _lift_blocker(index: PlanIndex, a: OperationAssignment, gap: IdleGap) -> str | None:
    if a.lift_id is None:
        return None
    blocker = _latest_ending(index.on_lift(a.lift_id), a, gap)
    if blocker is None:
        return None
    lift = index.problem.workshop.lift(a.lift_id)
    kind = "mobile lift" if lift is not None and lift.mobile else "lift"
    return f"{kind} {a.lift_id} busy with {_until(index, blocker)}"


def _equipment_blocker(index: PlanIndex, a: OperationAssignment, gap: IdleGap) -> str | None:
    for use in a.equipment:
        users = index.using_pool(use.pool_id)
        # The unit actually handed over is the precise answer; any unit of the pool is the fallback.
        same_unit = [u for u in users if use in u.equipment]
        blocker = _latest_ending(same_unit, a, gap) or _latest_ending(users, a, gap)
        if blocker is not None:
            pool = index.problem.workshop.equipment_pool(use.pool_id)
            name = pool.name if pool is not None and pool.name else use.pool_id
            return f"{name} busy with {_until(index, blocker)}"
    return None


RESOURCE_BLOCKERS = (_technician_blocker, _bay_blocker, _lift_blocker, _equipment_blocker)
"""In this order: the technician is what the dispatcher reasons about first."""


def start_cause(
    index: PlanIndex, job: Job, a: OperationAssignment
) -> tuple[Reason, OperationAssignment | None]:
    """Why the operation starts when it does, and the job's operation to explain next (if any)."""
    label = index.label(a)
    fixed = fixed_start(index, a)
    if fixed is not None:
        return Reason(f"{label}: {fixed}", Weight.CAUSE), None

    gap = idle_gap(index, a)
    # A wait that ran into closing time or a break is worth saying, and costs more.
    then = f", then {gap_phrase(index, a, gap)}" if gap.kind is not None else ""
    gap_weight = {None: Weight.LINK, GapKind.BREAK: Weight.MINOR, GapKind.CLOSED: Weight.CAUSE}[gap.kind]

    for outside in (arrival_wait(index, job, a, gap), part_wait(index, a, gap)):
        if outside is not None:
            return Reason(f"{label}: {outside}{then}", Weight.CAUSE), None

    previous = previous_in_job(index, a, gap)
    if previous is not None:
        finished = f"{index.label(previous)} finished at {clock(previous.end, index.problem)}"
        return Reason(f"{label}: started after {finished}{then}", gap_weight), previous

    for blocker in RESOURCE_BLOCKERS:
        busy = blocker(index, a, gap)
        if busy is not None:
            return Reason(f"{label}: {busy}{then}", Weight.CAUSE), None

    if gap.kind is not None:
        return Reason(f"{label}: {gap_phrase(index, a, gap)}", gap_weight), None
    now = index.problem.now
    if now <= a.start < now + index.grain:
        return Reason(f"{label}: started at the beginning of planning", Weight.LINK), None
    return Reason(f"{label}: planned at {clock(a.start, index.problem)}", Weight.LINK), None


def pause_reasons(index: PlanIndex, a: OperationAssignment) -> list[Reason]:
    """Pauses inside a long operation: every overnight stop, and the first break."""
    label = index.label(a)
    reasons: list[Reason] = []
    said_break = False
    pieces = sorted(a.pieces, key=lambda p: p.start)
    for before, after in pairwise(pieces):
        if after.start <= before.end:
            continue
        resumes = clock(after.start, index.problem)
        overnight = local(before.end, index.problem).date() != local(after.start, index.problem).date()
        if overnight:
            reasons.append(Reason(f"{label}: paused over closing time, resumes at {resumes}", Weight.CAUSE))
        elif not said_break:
            reasons.append(Reason(f"{label}: paused over the break, resumes at {resumes}", Weight.MINOR))
            said_break = True
    return reasons


# ---------------------------------------------------------------------------
# The chain of one job


def last_operation(assignments: list[OperationAssignment]) -> OperationAssignment | None:
    return max(assignments, key=lambda a: (a.end, a.start), default=None)


def chain_reasons(index: PlanIndex, job: Job) -> list[Reason]:
    """The critical chain of the job, chronologically: root cause first, last operation last."""
    current = last_operation(index.of_job(job.id))
    steps: list[list[Reason]] = []
    seen: set[str] = set()
    while current is not None and current.operation_id not in seen:
        seen.add(current.operation_id)
        cause, previous = start_cause(index, job, current)
        steps.append([cause, *pause_reasons(index, current)])
        current = previous
    return [reason for step in reversed(steps) for reason in step]


def compose(headlines: list[str], chain: list[Reason], limit: int = MAX_REASONS) -> list[str]:
    """Headlines first, then the chain in reading order, trimmed to the limit.

    Trimming drops the least telling links first; among equals it keeps those
    nearest the completion, since they moved the finishing time most directly.
    """
    room = max(limit - len(headlines), 0)
    ranked = sorted(range(len(chain)), key=lambda i: (-chain[i].weight, -i))[:room]
    return headlines + [chain[i].text for i in sorted(ranked)]


def explain_jobs(problem: Problem, operations: list[OperationAssignment]) -> dict[str, list[str]]:
    """Plain-language reasons for every job that has planned operations, keyed by job id.

    A late job's first reason says how late it is against its promise.
    """
    index = PlanIndex(problem, operations)
    explained: dict[str, list[str]] = {}
    for job in problem.jobs:
        assignments = index.of_job(job.id)
        last = last_operation(assignments)
        if last is None:
            continue
        headlines: list[str] = []
        if job.promised_at is not None and last.end > job.promised_at:
            headlines.append(lateness_reason(problem, last.end, job.promised_at, at_least=False))
        explained[job.id] = compose(headlines, chain_reasons(index, job))
    return explained

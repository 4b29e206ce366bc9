"""What every rule family works on: the plan's operations resolved against the problem, and the
helpers they share (violations, time formatting, windows, double bookings).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction

from scheduler.calendar import Window, WorkshopCalendar, merge
from scheduler.jobs import Job, Operation, OperationStatus
from scheduler.plan import OperationAssignment, Plan
from scheduler.problem import Problem
from scheduler.workshop import Technician

Key = tuple[str, str]
"""(job id, operation id)."""

ZERO = timedelta(0)


@dataclass(frozen=True)
class Violation:
    rule: str
    job_id: str | None
    operation_id: str | None
    message: str

    def __str__(self) -> str:
        where = "/".join(part for part in (self.job_id, self.operation_id) if part)
        return f"[{self.rule}] {where}: {self.message}" if where else f"[{self.rule}] {self.message}"


@dataclass(frozen=True)
class Item:
    """A planned operation resolved against the problem (first assignment of a plannable op)."""

    job: Job
    op: Operation
    a: OperationAssignment

    @property
    def started(self) -> bool:
        return self.op.status == OperationStatus.STARTED

    @property
    def fixed_start(self) -> bool:
        """Started work with known progress keeps its start, before now and before arrival."""
        return self.started and self.op.progress is not None


@dataclass
class Context:
    problem: Problem
    plan: Plan
    calendar: WorkshopCalendar
    expected: dict[Key, tuple[Job, Operation]]
    items: list[Item]
    planned: dict[Key, Item]
    """The items by (job id, operation id)."""
    _windows: dict[str, list[Window]] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        return self.problem.now

    @property
    def grain(self) -> int:
        return self.problem.workshop.settings.grain_minutes

    def technician(self, item: Item) -> Technician | None:
        tech_id = item.a.technician_id
        return self.problem.workshop.technician(tech_id) if tech_id is not None else None

    def technician_windows(self, tech: Technician) -> list[Window]:
        """Shift and overtime windows of a technician."""
        if tech.id not in self._windows:
            self._windows[tech.id] = merge(
                self.calendar.shift_windows(tech) + self.calendar.overtime_windows(tech)
            )
        return self._windows[tech.id]

    def unattended_windows(self) -> list[Window]:
        """Opening hours plus every technician's shift and overtime windows."""
        if "" not in self._windows:
            windows = list(self.calendar.opening_windows())
            for tech in self.problem.workshop.technicians:
                windows += self.technician_windows(tech)
            self._windows[""] = merge(windows)
        return self._windows[""]


def build_context(problem: Problem, plan: Plan) -> Context:
    expected: dict[Key, tuple[Job, Operation]] = {
        (job.id, op.id): (job, op)
        for job in problem.plannable_jobs()
        for op in job.operations
        if op.plannable
    }
    items: list[Item] = []
    seen: set[Key] = set()
    for assignment in plan.operations:
        key = (assignment.job_id, assignment.operation_id)
        if key in expected and key not in seen:
            seen.add(key)
            job, op = expected[key]
            items.append(Item(job, op, assignment))
    calendar = WorkshopCalendar(problem.workshop, problem.now)
    planned = {(it.job.id, it.op.id): it for it in items}
    return Context(problem, plan, calendar, expected, items, planned)


def item_violation(rule: str, item: Item | None, message: str) -> Violation:
    if item is None:
        return Violation(rule, None, None, message)
    return Violation(rule, item.job.id, item.op.id, message)


def fmt(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def span(windows: Iterable[Window]) -> timedelta:
    return sum((end - start for start, end in windows), ZERO)


def pieces_of(item: Item) -> list[Window]:
    return [(p.start, p.end) for p in item.a.pieces]


def windows_after(windows: Sequence[Window], moment: datetime) -> list[Window]:
    return [(max(start, moment), end) for start, end in windows if end > moment]


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def fmt_minutes(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 60:g} min"


def ceil_to_grain(minutes: Fraction, grain: int) -> int:
    return math.ceil(minutes / grain) * grain


def ceil_minutes(delta: timedelta) -> int:
    return math.ceil(Fraction(delta // timedelta(microseconds=1), 60_000_000))


def double_bookings(
    items: Sequence[Item], resources: Callable[[Item], Iterable[str]], rule: str, label: str
) -> list[Violation]:
    """Every pair of assignments that holds one resource at overlapping [start, end)."""
    holders: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        for resource in dict.fromkeys(resources(item)):
            holders[resource].append(item)
    found: list[Violation] = []
    for resource, group in sorted(holders.items()):
        group.sort(key=lambda it: (it.a.start, it.a.end))
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                if second.a.start >= first.a.end:
                    break
                if second.a.start < second.a.end:
                    found.append(
                        item_violation(
                            rule,
                            second,
                            f"{label} {resource} is also held by {first.job.id}/{first.op.id} "
                            f"({fmt(first.a.start)}-{fmt(first.a.end)}) from {fmt(second.a.start)}",
                        )
                    )
    return found


def outage_hits(item: Item, outages: Sequence[Window], rule: str, label: str) -> list[Violation]:
    return [
        item_violation(rule, item, f"{label} is out of service {fmt(start)}-{fmt(end)}")
        for start, end in outages
        if overlaps(item.a.start, item.a.end, start, end)
    ]

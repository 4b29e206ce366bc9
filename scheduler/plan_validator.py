"""The independent plan validator: checks any Plan against its Problem and lists every violation.

It uses the domain model and the calendar only, never the solver, so a solver bug
cannot hide behind a matching bug here. Each rule family is one small function; all
of them run, and every broken rule is reported with a stable rule name.

Rule names (stable; tests and tools may rely on them):

- coverage: unknown_operation, not_plannable_operation, duplicate_operation, missing_operation
- pieces and working time: invalid_pieces, outside_working_time, overtime_mismatch
- duration: work_minutes_mismatch, duration_mismatch
- technician: technician_missing, technician_unexpected, unknown_technician, technician_skill,
  technician_level, technician_certification, technician_unlisted, technician_double_booked
- bay: bay_missing, bay_unexpected, unknown_bay, bay_capability, bay_vehicle_limit, bay_double_booked,
  bay_out_of_service
- lift: lift_missing, lift_unexpected, unknown_lift, lift_type, lift_overload, lift_wrong_bay,
  mobile_lift_in_lift_bay, lift_double_booked, lift_out_of_service
- equipment: equipment_mismatch, unknown_equipment_pool, equipment_unit_range, equipment_double_booked,
  equipment_over_capacity
- car: car_double_booked
- release: before_arrival, before_now, parts_shortage
- precedence: precedence, unplanned_predecessor
- fixed work: started_moved, started_flag, pin_ignored, pinned_flag
- horizon: beyond_horizon
- forecasts: forecast_missing, forecast_unexpected, forecast_duplicate, forecast_promised_at,
  forecast_completion, forecast_slack, forecast_late
- KPIs: kpi_mismatch
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction

from scheduler.calendar import Window, WorkshopCalendar, covers, intersect, merge
from scheduler.jobs import PLANNABLE_JOB_STATUSES, Job, Operation, OperationStatus
from scheduler.plan import OperationAssignment, Plan
from scheduler.problem import Problem
from scheduler.workshop import Technician

Key = tuple[str, str]
"""(job id, operation id)."""

ON_TIME_SHARE_TOLERANCE = 1e-4  # plans round shares to 4 digits so equal plans serialise equally
_ZERO = timedelta(0)


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
class _Item:
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
class _Context:
    problem: Problem
    plan: Plan
    calendar: WorkshopCalendar
    expected: dict[Key, tuple[Job, Operation]]
    items: list[_Item]
    planned: dict[Key, _Item]
    """The items by (job id, operation id)."""
    _windows: dict[str, list[Window]] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        return self.problem.now

    @property
    def grain(self) -> int:
        return self.problem.workshop.settings.grain_minutes

    def technician(self, item: _Item) -> Technician | None:
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


def _build_context(problem: Problem, plan: Plan) -> _Context:
    expected: dict[Key, tuple[Job, Operation]] = {
        (job.id, op.id): (job, op)
        for job in problem.plannable_jobs()
        for op in job.operations
        if op.plannable
    }
    items: list[_Item] = []
    seen: set[Key] = set()
    for assignment in plan.operations:
        key = (assignment.job_id, assignment.operation_id)
        if key in expected and key not in seen:
            seen.add(key)
            job, op = expected[key]
            items.append(_Item(job, op, assignment))
    calendar = WorkshopCalendar(problem.workshop, problem.now)
    planned = {(it.job.id, it.op.id): it for it in items}
    return _Context(problem, plan, calendar, expected, items, planned)


# --- helpers -------------------------------------------------------------------------------------------


def _violation(rule: str, item: _Item | None, message: str) -> Violation:
    if item is None:
        return Violation(rule, None, None, message)
    return Violation(rule, item.job.id, item.op.id, message)


def _fmt(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def _span(windows: Iterable[Window]) -> timedelta:
    return sum((end - start for start, end in windows), _ZERO)


def _pieces(item: _Item) -> list[Window]:
    return [(p.start, p.end) for p in item.a.pieces]


def _after(windows: Sequence[Window], moment: datetime) -> list[Window]:
    return [(max(start, moment), end) for start, end in windows if end > moment]


def _overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def _minutes(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 60:g} min"


def _ceil_to_grain(minutes: Fraction, grain: int) -> int:
    return math.ceil(minutes / grain) * grain


def _ceil_minutes(delta: timedelta) -> int:
    return math.ceil(Fraction(delta // timedelta(microseconds=1), 60_000_000))


def _double_bookings(
    items: Sequence[_Item], resources: Callable[[_Item], Iterable[str]], rule: str, label: str
) -> list[Violation]:
    """Every pair of assignments that holds one resource at overlapping [start, end)."""
    holders: dict[str, list[_Item]] = defaultdict(list)
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
                        _violation(
                            rule,
                            second,
                            f"{label} {resource} is also held by {first.job.id}/{first.op.id} "
                            f"({_fmt(first.a.start)}-{_fmt(first.a.end)}) from {_fmt(second.a.start)}",
                        )
                    )
    return found


def _outage_hits(item: _Item, outages: Sequence[Window], rule: str, label: str) -> list[Violation]:
    return [
        _violation(rule, item, f"{label} is out of service {_fmt(start)}-{_fmt(end)}")
        for start, end in outages
        if _overlaps(item.a.start, item.a.end, start, end)
    ]


# --- coverage ------------------------------------------------------------------------------------------


def _why_not_plannable(problem: Problem, key: Key) -> str | None:
    """None when the id is unknown; else why the operation is not to be planned."""
    job = problem.job(key[0])
    op = job.operation(key[1]) if job is not None else None
    if job is None or op is None:
        return None
    if job.status not in PLANNABLE_JOB_STATUSES:
        return f"job status is {job.status.value}"
    if op.status == OperationStatus.DONE:
        return "operation is done"
    return f"supplemental work with approval {op.approval.value if op.approval else '?'}"


def _check_coverage(ctx: _Context) -> list[Violation]:
    listed = [(a.job_id, a.operation_id) for a in ctx.plan.operations]
    listed += [(u.job_id, u.operation_id) for u in ctx.plan.unplanned]
    counts = Counter(listed)
    found: list[Violation] = []
    for key in dict.fromkeys(listed):
        if key not in ctx.expected:
            reason = _why_not_plannable(ctx.problem, key)
            if reason is None:
                found.append(Violation("unknown_operation", *key, "no such operation in the problem"))
            else:
                found.append(Violation("not_plannable_operation", *key, f"must not be in the plan: {reason}"))
        elif counts[key] > 1:
            found.append(Violation("duplicate_operation", *key, f"listed {counts[key]} times"))
    for key in ctx.expected:
        if key not in counts:
            found.append(Violation("missing_operation", *key, "neither planned nor listed as unplanned"))
    return found


# --- pieces, working time, overtime, duration ----------------------------------------------------------


def _piece_problems(a: OperationAssignment) -> list[str]:
    if a.start >= a.end:
        return [f"start {_fmt(a.start)} is not before end {_fmt(a.end)}"]
    if not a.pieces:
        return ["no working pieces"]
    problems: list[str] = []
    # Started work shows only the pieces still to come.
    if a.pieces[0].start != a.start and not a.started:
        problems.append(f"first piece starts at {_fmt(a.pieces[0].start)}, not at the start")
    if a.pieces[-1].end != a.end:
        problems.append(f"last piece ends at {_fmt(a.pieces[-1].end)}, not at the end")
    for piece in a.pieces:
        if piece.start >= piece.end:
            problems.append(f"empty piece {_fmt(piece.start)}-{_fmt(piece.end)}")
    for before, after in zip(a.pieces, a.pieces[1:], strict=False):
        if after.start < before.end:
            problems.append(f"pieces overlap or are unsorted at {_fmt(after.start)}")
    return problems


def _check_pieces(ctx: _Context) -> list[Violation]:
    return [
        _violation("invalid_pieces", item, problem)
        for item in ctx.items
        for problem in _piece_problems(item.a)
    ]


def _check_working_time(ctx: _Context) -> list[Violation]:
    found: list[Violation] = []
    for item in ctx.items:
        if item.op.crew_size == 0:
            windows, whose = ctx.unattended_windows(), "workshop"
        else:
            tech = ctx.technician(item)
            if tech is None:
                continue
            windows, whose = ctx.technician_windows(tech), f"technician {tech.id}"
        pieces = _pieces(item)
        if item.started:
            pieces = _after(pieces, ctx.now)
        for start, end in pieces:
            if start < end and not covers(windows, start, end):
                found.append(
                    _violation(
                        "outside_working_time",
                        item,
                        f"piece {_fmt(start)}-{_fmt(end)} is outside the {whose}'s working time",
                    )
                )
    return found


def _check_overtime(ctx: _Context) -> list[Violation]:
    found: list[Violation] = []
    for item in ctx.items:
        tech = ctx.technician(item)
        if item.op.crew_size == 0 or tech is None:
            continue
        overtime = _span(intersect(_pieces(item), ctx.calendar.overtime_windows(tech)))
        if overtime != timedelta(minutes=item.a.overtime_minutes):
            found.append(
                _violation(
                    "overtime_mismatch",
                    item,
                    f"overtime_minutes is {item.a.overtime_minutes}, pieces in overtime make "
                    f"{_minutes(overtime)}",
                )
            )
    return found


def _expected_work(ctx: _Context, item: _Item) -> int | None:
    """Minutes of work the pieces must hold (after now for started work); None: not checkable."""
    op = item.op
    if item.started:
        progress = op.progress
        if progress is None or progress.remaining_minutes is None:
            return None
        return max(ctx.grain, _ceil_to_grain(Fraction(progress.remaining_minutes), ctx.grain))
    if op.crew_size == 0:
        return _ceil_to_grain(Fraction(op.standard_minutes), ctx.grain)
    tech = ctx.technician(item)
    if tech is None or op.skill is None:
        return None
    measured = op.technician_minutes
    if measured is not None:
        # Measured minutes per technician replace standard time / efficiency.
        minutes = measured.get(tech.id)
        return None if minutes is None else _ceil_to_grain(Fraction(minutes), ctx.grain)
    efficiency = Fraction(str(tech.efficiency_for(op.skill)))
    return _ceil_to_grain(Fraction(op.standard_minutes) / efficiency, ctx.grain)


def _check_durations(ctx: _Context) -> list[Violation]:
    found: list[Violation] = []
    for item in ctx.items:
        pieces = _pieces(item)
        total = _span(pieces)
        # Started work shows only its remaining pieces; its full duration is checked below.
        whole = item.op.crew_size == 1 and not item.started
        if whole and total != timedelta(minutes=item.a.work_minutes):
            found.append(
                _violation(
                    "work_minutes_mismatch",
                    item,
                    f"work_minutes is {item.a.work_minutes}, pieces add up to {_minutes(total)}",
                )
            )
        relevant = _span(_after(pieces, ctx.now)) if item.started else total
        scope = "after now " if item.started else ""
        expected = _expected_work(ctx, item)
        if expected is not None and relevant != timedelta(minutes=expected):
            found.append(
                _violation(
                    "duration_mismatch",
                    item,
                    f"pieces {scope}hold {_minutes(relevant)} of work, expected {expected} min",
                )
            )
        elif expected is None and item.started and relevant <= _ZERO:
            found.append(_violation("duration_mismatch", item, "started work has no piece after now"))
    return found


# --- technicians ---------------------------------------------------------------------------------------


def _technician_fit(ctx: _Context, item: _Item) -> list[Violation]:
    op, tech_id = item.op, item.a.technician_id
    if op.crew_size == 0:
        if tech_id is not None:
            return [_violation("technician_unexpected", item, f"unattended step has technician {tech_id}")]
        return []
    if tech_id is None:
        return [_violation("technician_missing", item, "operation needs a technician")]
    tech = ctx.technician(item)
    if tech is None:
        return [_violation("unknown_technician", item, f"no technician {tech_id}")]
    found: list[Violation] = []
    grade = tech.grade(op.skill) if op.skill is not None else None
    if op.skill is not None and grade is None:
        found.append(_violation("technician_skill", item, f"{tech_id} lacks skill {op.skill}"))
    if grade is not None and grade.level < op.min_level:
        found.append(
            _violation(
                "technician_level", item, f"{tech_id} has {op.skill} level {grade.level} < {op.min_level}"
            )
        )
    if op.certification is not None and op.certification not in tech.certifications:
        found.append(
            _violation("technician_certification", item, f"{tech_id} lacks certification {op.certification}")
        )
    if op.technician_minutes is not None and tech_id not in op.technician_minutes:
        listed = ", ".join(sorted(op.technician_minutes))
        found.append(
            _violation(
                "technician_unlisted", item, f"{tech_id} is not among the technicians timed for it ({listed})"
            )
        )
    return found


def _check_technicians(ctx: _Context) -> list[Violation]:
    found = [v for item in ctx.items for v in _technician_fit(ctx, item)]
    found += _double_bookings(
        ctx.items,
        lambda it: [it.a.technician_id] if it.a.technician_id is not None else [],
        "technician_double_booked",
        "technician",
    )
    return found


# --- bays ----------------------------------------------------------------------------------------------


def _bay_fit(ctx: _Context, item: _Item) -> list[Violation]:
    op, bay_id, vehicle = item.op, item.a.bay_id, item.job.vehicle
    if bay_id is None:
        if op.bay_capability is not None:
            return [_violation("bay_missing", item, f"operation needs a {op.bay_capability} bay")]
        return []
    if op.bay_capability is None:
        return [_violation("bay_unexpected", item, f"operation needs no bay but has {bay_id}")]
    bay = ctx.problem.workshop.bay(bay_id)
    if bay is None:
        return [_violation("unknown_bay", item, f"no bay {bay_id}")]
    found: list[Violation] = []
    if op.bay_capability not in bay.capabilities:
        found.append(
            _violation("bay_capability", item, f"bay {bay_id} has no capability {op.bay_capability}")
        )
    if bay.max_vehicle_weight_kg is not None and vehicle.weight_kg > bay.max_vehicle_weight_kg:
        found.append(
            _violation(
                "bay_vehicle_limit",
                item,
                f"vehicle {vehicle.weight_kg} kg exceeds bay {bay_id} limit {bay.max_vehicle_weight_kg} kg",
            )
        )
    limit = bay.max_vehicle_length_mm
    if limit is not None and vehicle.length_mm is not None and vehicle.length_mm > limit:
        found.append(
            _violation(
                "bay_vehicle_limit",
                item,
                f"vehicle {vehicle.length_mm} mm exceeds bay {bay_id} limit {limit} mm",
            )
        )
    found += _outage_hits(item, ctx.calendar.bay_outages(bay_id), "bay_out_of_service", f"bay {bay_id}")
    return found


def _check_bays(ctx: _Context) -> list[Violation]:
    found = [v for item in ctx.items for v in _bay_fit(ctx, item)]
    found += _double_bookings(
        ctx.items,
        lambda it: [it.a.bay_id] if it.a.bay_id is not None else [],
        "bay_double_booked",
        "bay",
    )
    return found


# --- lifts ---------------------------------------------------------------------------------------------


def _lift_fit(ctx: _Context, item: _Item) -> list[Violation]:
    op, lift_id, bay_id = item.op, item.a.lift_id, item.a.bay_id
    if lift_id is None:
        if op.lift_type is not None:
            return [_violation("lift_missing", item, f"operation needs a {op.lift_type.value} lift")]
        return []
    if op.lift_type is None:
        return [_violation("lift_unexpected", item, f"operation needs no lift but has {lift_id}")]
    lift = ctx.problem.workshop.lift(lift_id)
    if lift is None:
        return [_violation("unknown_lift", item, f"no lift {lift_id}")]
    found: list[Violation] = []
    if lift.type != op.lift_type:
        found.append(
            _violation("lift_type", item, f"lift {lift_id} is {lift.type.value}, needs {op.lift_type.value}")
        )
    weight = item.job.vehicle.weight_kg
    if weight > lift.load_limit_kg:
        found.append(
            _violation(
                "lift_overload", item, f"vehicle {weight} kg > lift {lift_id} limit {lift.load_limit_kg} kg"
            )
        )
    if lift.bay_id is not None and lift.bay_id != bay_id:
        found.append(
            _violation(
                "lift_wrong_bay", item, f"lift {lift_id} is installed in bay {lift.bay_id}, not {bay_id}"
            )
        )
    installed = ctx.problem.workshop.installed_lift(bay_id) if bay_id is not None else None
    if lift.bay_id is None and installed is not None:
        found.append(
            _violation(
                "mobile_lift_in_lift_bay",
                item,
                f"mobile lift {lift_id} used in bay {bay_id}, which has lift {installed.id} installed",
            )
        )
    found += _outage_hits(item, ctx.calendar.lift_outages(lift_id), "lift_out_of_service", f"lift {lift_id}")
    return found


def _check_lifts(ctx: _Context) -> list[Violation]:
    found = [v for item in ctx.items for v in _lift_fit(ctx, item)]
    found += _double_bookings(
        ctx.items,
        lambda it: [it.a.lift_id] if it.a.lift_id is not None else [],
        "lift_double_booked",
        "lift",
    )
    return found


# --- equipment -----------------------------------------------------------------------------------------


def _equipment_fit(ctx: _Context, item: _Item) -> list[Violation]:
    found: list[Violation] = []
    wanted, used = Counter(item.op.equipment), Counter(use.pool_id for use in item.a.equipment)
    if wanted != used:
        found.append(
            _violation(
                "equipment_mismatch",
                item,
                f"uses pools {sorted(used.elements())}, operation needs {sorted(wanted.elements())}",
            )
        )
    for use in item.a.equipment:
        pool = ctx.problem.workshop.equipment_pool(use.pool_id)
        if pool is None:
            found.append(_violation("unknown_equipment_pool", item, f"no equipment pool {use.pool_id}"))
        elif not 1 <= use.unit <= pool.count:
            found.append(
                _violation(
                    "equipment_unit_range", item, f"unit {use.unit} of {pool.id} is not in 1..{pool.count}"
                )
            )
    return found


def _pool_overload(ctx: _Context, item: _Item, pool_id: str, users: Sequence[_Item]) -> Violation | None:
    """The first moment of the item's use at which the pool's units in use exceed what is in service."""
    pool = ctx.problem.workshop.equipment_pool(pool_id)
    if pool is None:
        return None
    start, end = item.a.start, item.a.end
    outages = [o for o in pool.out_of_service if _overlaps(start, end, o.start, o.end)]
    users = [u for u in users if _overlaps(start, end, u.a.start, u.a.end)]
    moments = (
        {start}
        | {u.a.start for u in users if u.a.start > start}
        | {o.start for o in outages if o.start > start}
    )
    for moment in sorted(moments):
        in_use = sum(
            1
            for u in users
            if u.a.start <= moment < u.a.end
            for use in u.a.equipment
            if use.pool_id == pool_id
        )
        down = sum(o.units for o in outages if o.start <= moment < o.end)
        if in_use + down > pool.count:
            return _violation(
                "equipment_over_capacity",
                item,
                f"{pool_id} at {_fmt(moment)}: {in_use} unit(s) in use and {down} out of service "
                f"of {pool.count}",
            )
    return None


def _check_equipment(ctx: _Context) -> list[Violation]:
    found = [v for item in ctx.items for v in _equipment_fit(ctx, item)]
    found += _double_bookings(
        ctx.items,
        lambda it: [f"{use.pool_id}#{use.unit}" for use in it.a.equipment],
        "equipment_double_booked",
        "equipment unit",
    )
    users: dict[str, list[_Item]] = defaultdict(list)
    for item in ctx.items:
        for pool_id in dict.fromkeys(use.pool_id for use in item.a.equipment):
            users[pool_id].append(item)
    for pool_id, group in users.items():
        for item in group:
            overload = _pool_overload(ctx, item, pool_id, group)
            if overload is not None:
                found.append(overload)
    return found


# --- the car -------------------------------------------------------------------------------------------


def _check_car(ctx: _Context) -> list[Violation]:
    return _double_bookings(ctx.items, lambda it: [it.job.id], "car_double_booked", "car of job")


# --- release: arrival, now, parts ----------------------------------------------------------------------


def _check_release(ctx: _Context) -> list[Violation]:
    found: list[Violation] = []
    for item in ctx.items:
        if item.fixed_start:
            continue
        arrival = item.job.expected_arrival
        if arrival is not None and item.a.start < arrival:
            found.append(
                _violation(
                    "before_arrival", item, f"starts {_fmt(item.a.start)} before the car, {_fmt(arrival)}"
                )
            )
        if item.a.start < ctx.now:
            found.append(
                _violation("before_now", item, f"starts {_fmt(item.a.start)} before now {_fmt(ctx.now)}")
            )
    return found


def _part_shortages(ctx: _Context, part_number: str) -> list[Violation]:
    parts = ctx.problem.parts
    stock = sum(s.on_hand for s in parts.stock if s.part_number == part_number)
    events: list[tuple[datetime, int, int, _Item | None]] = [
        (d.eta, 0, d.quantity, None) for d in parts.deliveries if d.part_number == part_number
    ]
    for item in ctx.items:
        if item.op.status == OperationStatus.STARTED:
            continue  # started work took its parts from the shelf before the stock was counted
        demand = sum(line.quantity for line in item.op.parts if line.part_number == part_number)
        if demand:
            events.append((item.a.start, 1, -demand, item))
    found: list[Violation] = []
    for moment, _, change, consumer in sorted(events, key=lambda e: (e[0], e[1])):
        stock += change
        if consumer is not None and stock < 0:
            found.append(
                _violation(
                    "parts_shortage",
                    consumer,
                    f"part {part_number}: {-change} needed at {_fmt(moment)}, stock runs {-stock} short",
                )
            )
    return found


def _check_parts(ctx: _Context) -> list[Violation]:
    numbers = dict.fromkeys(line.part_number for item in ctx.items for line in item.op.parts)
    return [
        v for number in numbers if ctx.problem.parts.tracked(number) for v in _part_shortages(ctx, number)
    ]


# --- precedence ----------------------------------------------------------------------------------------


def _plannable_predecessors(ctx: _Context, job: Job, op: Operation) -> list[Operation]:
    preds = [job.operation(pred_id) for pred_id in op.predecessors]
    return [p for p in preds if p is not None and (job.id, p.id) in ctx.expected]


def _unplanned_ancestors(ctx: _Context, item: _Item) -> list[str]:
    planned = ctx.planned
    missing: list[str] = []
    seen: set[str] = set()
    stack = _plannable_predecessors(ctx, item.job, item.op)
    while stack:
        pred = stack.pop()
        if pred.id in seen:
            continue
        seen.add(pred.id)
        if (item.job.id, pred.id) not in planned:
            missing.append(pred.id)
        stack += _plannable_predecessors(ctx, item.job, pred)
    return sorted(missing)


def _check_precedence(ctx: _Context) -> list[Violation]:
    planned = ctx.planned
    found: list[Violation] = []
    for item in ctx.items:
        for pred in _plannable_predecessors(ctx, item.job, item.op):
            before = planned.get((item.job.id, pred.id))
            if before is not None and item.a.start < before.a.end:
                found.append(
                    _violation(
                        "precedence",
                        item,
                        f"starts {_fmt(item.a.start)} before predecessor {pred.id} ends {_fmt(before.a.end)}",
                    )
                )
        missing = _unplanned_ancestors(ctx, item)
        if missing:
            found.append(
                _violation(
                    "unplanned_predecessor", item, f"planned although predecessor(s) {missing} are not"
                )
            )
    return found


# --- fixed work: started and pinned --------------------------------------------------------------------


def _started_fit(item: _Item) -> list[Violation]:
    a, progress = item.a, item.op.progress
    if not item.started:
        if a.started:
            return [_violation("started_flag", item, "marked started but the operation has not started")]
        return []
    found: list[Violation] = []
    if not a.started:
        found.append(_violation("started_flag", item, "started operation is not marked started"))
    if progress is None:
        return found
    pairs = [
        ("technician", progress.technician_id, a.technician_id),
        ("bay", progress.bay_id, a.bay_id),
        ("lift", progress.lift_id, a.lift_id),
    ]
    for what, kept, given in pairs:
        if kept is not None and given != kept:
            found.append(_violation("started_moved", item, f"started on {what} {kept}, planned on {given}"))
    if a.start != progress.started_at:
        found.append(
            _violation(
                "started_moved", item, f"started at {_fmt(progress.started_at)}, planned from {_fmt(a.start)}"
            )
        )
    return found


def _pin_start_kept(ctx: _Context, item: _Item, pinned: datetime) -> bool:
    """A pin into a break or before the shift means the first working moment after it."""
    if item.a.start == pinned:
        return True
    tech = ctx.technician(item)
    windows = ctx.technician_windows(tech) if tech is not None else ctx.unattended_windows()
    return item.a.start > pinned and not intersect(windows, [(pinned, item.a.start)])


def _pin_fit(ctx: _Context, item: _Item) -> list[Violation]:
    a, pin = item.a, item.op.pin
    if pin is None:
        return []
    found: list[Violation] = []
    if not a.pinned:
        found.append(_violation("pinned_flag", item, "pinned operation is not marked pinned"))
    if pin.technician_id is not None and a.technician_id != pin.technician_id:
        found.append(
            _violation(
                "pin_ignored", item, f"pinned to technician {pin.technician_id}, planned {a.technician_id}"
            )
        )
    if pin.bay_id is not None and a.bay_id != pin.bay_id:
        found.append(_violation("pin_ignored", item, f"pinned to bay {pin.bay_id}, planned {a.bay_id}"))
    if pin.start is not None and not _pin_start_kept(ctx, item, pin.start):
        found.append(
            _violation("pin_ignored", item, f"pinned to start {_fmt(pin.start)}, planned {_fmt(a.start)}")
        )
    return found


def _check_fixed_work(ctx: _Context) -> list[Violation]:
    return [v for item in ctx.items for v in _started_fit(item) + _pin_fit(ctx, item)]


# --- horizon -------------------------------------------------------------------------------------------


def _check_horizon(ctx: _Context) -> list[Violation]:
    end = ctx.plan.horizon_end
    return [
        _violation("beyond_horizon", item, f"ends {_fmt(item.a.end)} after the horizon {_fmt(end)}")
        for item in ctx.items
        if item.a.end > end
    ]


# --- forecasts and KPIs --------------------------------------------------------------------------------


def _completions(ctx: _Context) -> dict[str, datetime | None]:
    """Per plannable job: the end of its last operation when all are planned, else None."""
    planned = ctx.planned
    completions: dict[str, datetime | None] = {}
    for job in ctx.problem.plannable_jobs():
        keys = [(job.id, op.id) for op in job.operations if op.plannable]
        ends = [planned[key].a.end for key in keys if key in planned]
        completions[job.id] = max(ends) if keys and len(ends) == len(keys) else None
    return completions


def _forecast_fit(ctx: _Context, job: Job, completion: datetime | None) -> list[Violation]:
    forecast = next(f for f in ctx.plan.jobs if f.job_id == job.id)
    found: list[Violation] = []

    def add(rule: str, message: str) -> None:
        found.append(Violation(rule, job.id, None, message))

    if forecast.promised_at != job.promised_at:
        add("forecast_promised_at", f"promised_at {forecast.promised_at}, the job says {job.promised_at}")
    if forecast.completion != completion:
        add("forecast_completion", f"completion {forecast.completion}, the operations give {completion}")
    promised = job.promised_at
    if promised is not None and completion is not None:
        slack = Fraction((promised - completion) // timedelta(microseconds=1), 60_000_000)
        if forecast.slack_minutes not in (math.floor(slack), math.ceil(slack)):
            add("forecast_slack", f"slack_minutes {forecast.slack_minutes}, expected {float(slack):g}")
    elif forecast.slack_minutes is not None:
        add("forecast_slack", f"slack_minutes {forecast.slack_minutes} without completion and promise")
    late = promised is not None and (completion is None or completion > promised)
    if forecast.late != late:
        add("forecast_late", f"late is {forecast.late}, expected {late}")
    return found


def _check_forecasts(ctx: _Context) -> list[Violation]:
    completions = _completions(ctx)
    counts = Counter(f.job_id for f in ctx.plan.jobs)
    found: list[Violation] = []
    for job_id, count in counts.items():
        if job_id not in completions:
            found.append(Violation("forecast_unexpected", job_id, None, "no plannable job with this id"))
        elif count > 1:
            found.append(Violation("forecast_duplicate", job_id, None, f"{count} forecasts for one job"))
    for job in ctx.problem.plannable_jobs():
        if job.id not in counts:
            found.append(Violation("forecast_missing", job.id, None, "plannable job without forecast"))
        else:
            found += _forecast_fit(ctx, job, completions[job.id])
    return found


def _kpis(ctx: _Context) -> dict[str, float]:
    completions = _completions(ctx)
    tardiness: list[int] = []
    on_time = 0
    for job in ctx.problem.plannable_jobs():
        promised, completion = job.promised_at, completions[job.id]
        if promised is None:
            continue
        if completion is not None and completion <= promised:
            on_time += 1
        finish = completion if completion is not None else ctx.plan.horizon_end
        tardiness.append(_ceil_minutes(max(_ZERO, finish - promised)))
    promised_jobs = len(tardiness)
    planned = ctx.planned
    return {
        "jobs_planned": sum(1 for c in completions.values() if c is not None),
        "jobs_with_promise": promised_jobs,
        "on_time_share": on_time / promised_jobs if promised_jobs else 1.0,
        "late_jobs": promised_jobs - on_time,
        "total_tardiness_minutes": sum(tardiness),
        "worst_tardiness_minutes": max(tardiness, default=0),
        "overtime_minutes": sum(item.a.overtime_minutes for item in ctx.items),
        "unplanned_operations": sum(1 for key in ctx.expected if key not in planned),
    }


def _check_kpis(ctx: _Context) -> list[Violation]:
    reported = ctx.plan.kpis.model_dump()
    found: list[Violation] = []
    for name, value in _kpis(ctx).items():
        given = float(reported[name])
        tolerance = ON_TIME_SHARE_TOLERANCE if name == "on_time_share" else 0.0
        if abs(given - value) > tolerance:
            found.append(Violation("kpi_mismatch", None, None, f"{name} is {given:g}, recomputed {value:g}"))
    return found


# --- public API ----------------------------------------------------------------------------------------

_RULE_FAMILIES: tuple[Callable[[_Context], list[Violation]], ...] = (
    _check_coverage,
    _check_pieces,
    _check_technicians,
    _check_working_time,
    _check_overtime,
    _check_durations,
    _check_bays,
    _check_lifts,
    _check_equipment,
    _check_car,
    _check_release,
    _check_parts,
    _check_precedence,
    _check_fixed_work,
    _check_horizon,
    _check_forecasts,
    _check_kpis,
)


def validate_plan(problem: Problem, plan: Plan) -> list[Violation]:
    """Every rule the plan breaks, in rule-family order; an empty list for a valid plan."""
    ctx = _build_context(problem, plan)
    return [violation for family in _RULE_FAMILIES for violation in family(ctx)]


def recompute_kpis(problem: Problem, plan: Plan) -> dict[str, float]:
    """The plan's KPIs (except utilisation) recomputed from its assignments, without the solver."""
    return _kpis(_build_context(problem, plan))


def assert_valid(problem: Problem, plan: Plan) -> None:
    """Raise AssertionError listing every violation when the plan breaks any rule."""
    violations = validate_plan(problem, plan)
    if violations:
        lines = "\n".join(f"  - {v}" for v in violations)
        raise AssertionError(f"plan has {len(violations)} violation(s):\n{lines}")

"""Promise quotes and appointment slots for a prospective job, fitted around the published plan.

A quote pins every operation of the published plan where it is (technician, bay,
start; work already due keeps its technician and bay), adds the prospective job
and lets the greedy dispatcher place it. Nothing of the current plan moves, so a
quote never breaks a promise the plan keeps. The promise is the predicted
completion plus the workshop's promise margin, rounded up to the quarter hour.

Slots ask the same for every slot of a day's opening hours, and also how much
booking the job there would shake the workshop: a second, un-pinned greedy
re-plan starting from the published plan (which keeps what it can) with the job
carrying its promise, compared to the same re-plan without the job. The
difference is the slot's disturbance: jobs that move, minutes other jobs finish
later, and promises kept before and broken after.

Both compile the problem once and run the greedy dispatcher once per slot, with
the prospective job's release (and promise) set for the slot.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from scheduler.calendar import WorkshopCalendar
from scheduler.common import WEEKDAYS
from scheduler.jobs import (
    Job,
    JobStatus,
    Operation,
    OperationStatus,
    PartDelivery,
    PartLine,
    PartsSituation,
    PartStock,
    Pin,
    Priority,
    Vehicle,
)
from scheduler.labour import WorkItem, attach_parts, build_job_work
from scheduler.plan import Plan
from scheduler.problem import Problem
from scheduler.solve_settings import EngineChoice, SolverSettings
from solver.greedy import greedy_solution
from solver.instance import Instance, compile_problem
from solver.planner import make_plan
from solver.solution import Solution

QUOTE_JOB_ID = "QUOTE"
GREEDY = SolverSettings(engine=EngineChoice.GREEDY)
QUARTER_SECONDS = 15 * 60
MINUTE = timedelta(minutes=1)
MAX_HORIZON_DAYS = 14
EXTRA_DAYS = 2
"""Working days planned past the arrival day, for work that takes longer than a day."""
LATE_IN_DAY = timedelta(hours=1)
"""A promise within this long before closing (or after it) is late in the day."""


class QuoteError(ValueError):
    """A quote request that cannot be answered; `path` names the field (e.g. `arrival`)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class PartNeed:
    """A part the prospective job needs, reserved for it: on hand (eta None) or arriving at eta."""

    part_number: str
    quantity: int = 1
    eta: datetime | None = None


@dataclass(frozen=True)
class Prospect:
    """The job the front desk is asked about."""

    work: Sequence[WorkItem]
    customer_waiting: bool = False
    vehicle: Vehicle = field(default_factory=Vehicle)
    priority: Priority = Priority.NORMAL
    parts: Sequence[PartNeed] = ()


@dataclass(frozen=True)
class Prepared:
    """The prospective job (without arrival) and the parts situation with its reserved parts."""

    job: Job
    item_of: dict[str, int]
    """Operation id → index of the work item it came from."""
    parts: PartsSituation


def _reserved(part_number: str, job_id: str) -> str:
    return f"{part_number[: 63 - len(job_id)]}:{job_id}"


def prepare(problem: Problem, prospect: Prospect, job_id: str = QUOTE_JOB_ID) -> Prepared:
    """Operations of the prospect in flow order (ids Q-01, …); LabourError for an unknown labour code."""
    work = build_job_work(prospect.work, problem.workshop, lambda n: f"Q-{n + 1:02d}")
    lines = [PartLine(part_number=n.part_number, quantity=n.quantity) for n in prospect.parts]
    operations = attach_parts(
        work.operations, lines, work.kinds, rename=lambda number: _reserved(number, job_id)
    )
    job = Job(
        id=job_id,
        vehicle=prospect.vehicle,
        customer_waiting=prospect.customer_waiting,
        priority=prospect.priority,
        status=JobStatus.BOOKED,
        operations=operations,
    )
    stock = Counter[str]()
    deliveries: list[PartDelivery] = []
    for need in prospect.parts:
        number = _reserved(need.part_number, job_id)
        stock[number] += need.quantity if need.eta is None else 0
        if need.eta is not None:
            deliveries.append(PartDelivery(part_number=number, quantity=need.quantity, eta=need.eta))
    parts = PartsSituation(
        stock=[*problem.parts.stock, *(PartStock(part_number=n, on_hand=q) for n, q in stock.items())],
        deliveries=[*problem.parts.deliveries, *deliveries],
    )
    return Prepared(job, work.item_of, parts)


def free_job_id(problem: Problem) -> str:
    taken = {job.id for job in problem.jobs}
    return next(c for c in (QUOTE_JOB_ID, *(f"{QUOTE_JOB_ID}-{n}" for n in range(1, 1000))) if c not in taken)


# --- time ----------------------------------------------------------------------------------------


def promise_for(completion: datetime, problem: Problem) -> datetime:
    """Completion plus the workshop's promise margin, rounded up to the quarter hour; a promise
    that falls outside the opening hours moves to the next opening (the car is handed over then)."""
    moment = completion + timedelta(minutes=problem.workshop.settings.promise_margin_minutes)
    seconds = moment.timestamp()
    rounded = datetime.fromtimestamp(-(-seconds // QUARTER_SECONDS) * QUARTER_SECONDS, moment.tzinfo)
    return next_opening(problem, rounded) or rounded


def next_opening(problem: Problem, moment: datetime) -> datetime | None:
    """`moment` if the workshop is open then, else when it next opens (within 14 days)."""
    zone = ZoneInfo(problem.workshop.timezone)
    local = moment.astimezone(zone)
    for offset in range(MAX_HORIZON_DAYS + 1):
        day = local.date() + timedelta(days=offset)
        if day in problem.workshop.closed_days:
            continue
        windows = problem.workshop.opening_hours.get(WEEKDAYS[day.weekday()], [])
        for start, end in sorted(
            (datetime.combine(day, w.start, zone), datetime.combine(day, w.end, zone)) for w in windows
        ):
            if local <= end:
                return max(local, start)
    return None


def earliest_arrival(problem: Problem) -> datetime:
    """Now, or the next opening when the workshop is closed; on the planning grain."""
    calendar = WorkshopCalendar(problem.workshop, problem.now)
    grain = problem.workshop.settings.grain_minutes * 60
    now = problem.now.astimezone(calendar.zone)
    for start, end in calendar.opening_windows():
        if end > now:
            moment = max(start, now)
            seconds = -(-moment.timestamp() // grain) * grain
            return datetime.fromtimestamp(seconds, calendar.zone)
    raise QuoteError("arrival", "the workshop does not open within the planning horizon")


def closing_time(problem: Problem, day: date) -> datetime | None:
    """When the workshop closes on that local day; None when it does not open."""
    if day in problem.workshop.closed_days:
        return None
    windows = problem.workshop.opening_hours.get(WEEKDAYS[day.weekday()], [])
    if not windows:
        return None
    zone = ZoneInfo(problem.workshop.timezone)
    return max(datetime.combine(day, w.end, zone) for w in windows)


def opening_slots(problem: Problem, day: date, slot_minutes: int) -> list[datetime]:
    """Arrival times on the slot grid inside the day's opening hours."""
    if day in problem.workshop.closed_days:
        return []
    zone = ZoneInfo(problem.workshop.timezone)
    step = timedelta(minutes=slot_minutes)
    slots: list[datetime] = []
    for window in problem.workshop.opening_hours.get(WEEKDAYS[day.weekday()], []):
        moment, end = datetime.combine(day, window.start, zone), datetime.combine(day, window.end, zone)
        while moment < end:
            slots.append(moment)
            moment += step
    return sorted(set(slots))


def covering(problem: Problem, last_day: date) -> Problem:
    """The problem with a horizon long enough for work arriving on `last_day` (at most 14 working days)."""
    calendar = WorkshopCalendar(problem.workshop, problem.now)
    day, count = calendar.local_date(problem.now), 0
    while day <= last_day:
        count += calendar.is_working_day(day)
        day += timedelta(days=1)
    settings = problem.workshop.settings
    wanted = min(MAX_HORIZON_DAYS, max(settings.horizon_days, count + EXTRA_DAYS))
    if count + 1 > MAX_HORIZON_DAYS:
        raise QuoteError("arrival", f"lies more than {MAX_HORIZON_DAYS} working days ahead")
    if wanted == settings.horizon_days:
        return problem
    workshop = problem.workshop.model_copy(
        update={"settings": settings.model_copy(update={"horizon_days": wanted})}
    )
    return problem.model_copy(update={"workshop": workshop})


# --- pinning the published plan ------------------------------------------------------------------


def pinned_jobs(problem: Problem) -> list[Job]:
    """The jobs with every pending operation of the published plan pinned where the plan has it.

    Work the plan started before now (not reported started) keeps its technician and bay and
    goes as soon as it can; started work stays where it is anyway.
    """
    plan = problem.published_plan
    if plan is None:
        return list(problem.jobs)
    jobs: list[Job] = []
    for job in problem.jobs:
        operations: list[Operation] = []
        for op in job.operations:
            placed = plan.assignment(job.id, op.id)
            if placed is None or op.status != OperationStatus.PENDING or not op.plannable:
                operations.append(op)
                continue
            start = placed.start if placed.start >= problem.now else None
            pin = Pin(technician_id=placed.technician_id, bay_id=placed.bay_id, start=start)
            operations.append(op.model_copy(update={"pin": pin}))
        jobs.append(job.model_copy(update={"operations": operations}))
    return jobs


def _with_job(problem: Problem, jobs: list[Job], job: Job, parts: PartsSituation) -> Problem:
    return problem.model_copy(update={"jobs": [*jobs, job], "parts": parts})


def _booked(job: Job, arrival: datetime, promised_at: datetime | None = None) -> Job:
    return job.model_copy(update={"appointment_at": arrival, "promised_at": promised_at})


# --- the quote -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotedOperation:
    operation_id: str
    labour_code: str
    text: str
    technician_id: str | None
    bay_id: str | None
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Quote:
    job_id: str
    arrival_at: datetime
    predicted_completion: datetime | None
    """None when the work does not fit in the planning horizon (or cannot be done here)."""
    promise_at: datetime | None
    margin_minutes: int | None
    late_in_day: bool
    reasons: list[str]
    operations: list[QuotedOperation]
    problem: Problem
    """What was planned: the published plan pinned, the prospective job added."""
    plan: Plan


def _plain(text: str, job_id: str) -> str:
    return text.replace(f":{job_id}", "")


def _late_in_day(problem: Problem, arrival: datetime, promise: datetime | None) -> bool:
    if promise is None:
        return True
    zone = ZoneInfo(problem.workshop.timezone)
    closing = closing_time(problem, arrival.astimezone(zone).date())
    return closing is None or promise > closing - LATE_IN_DAY


def quote(problem: Problem, prospect: Prospect, arrival: datetime | None = None) -> Quote:
    """The promise for the prospect arriving at `arrival` (None: the earliest), the current plan kept."""
    arrival_at = arrival or earliest_arrival(problem)
    if arrival_at < problem.now - timedelta(minutes=problem.workshop.settings.grain_minutes):
        raise QuoteError("arrival", f"{arrival_at.isoformat()} lies before now ({problem.now.isoformat()})")
    base = covering(problem, arrival_at.astimezone(ZoneInfo(problem.workshop.timezone)).date())
    job_id = free_job_id(base)
    prepared = prepare(base, prospect, job_id)
    job = _booked(prepared.job, arrival_at)
    planned = _with_job(base, pinned_jobs(base), job, prepared.parts)
    plan = make_plan(planned, GREEDY)
    forecast = next(f for f in plan.jobs if f.job_id == job_id)
    completion = forecast.completion
    promise = promise_for(completion, base) if completion is not None else None
    unplanned = [f"{u.operation_id}: {u.reason}" for u in plan.unplanned if u.job_id == job_id]
    reasons = [_plain(r, job_id) for r in forecast.reasons] or unplanned
    operations = [
        QuotedOperation(
            a.operation_id,
            op.labour_code,
            op.text,
            a.technician_id,
            a.bay_id,
            a.start,
            a.end,
        )
        for a in sorted(plan.operations, key=lambda a: (a.start, a.operation_id))
        if a.job_id == job_id and (op := job.operation(a.operation_id)) is not None
    ]
    return Quote(
        job_id=job_id,
        arrival_at=arrival_at,
        predicted_completion=completion,
        promise_at=promise,
        margin_minutes=(promise - completion) // MINUTE if promise and completion else None,
        late_in_day=_late_in_day(base, arrival_at, promise),
        reasons=reasons,
        operations=operations,
        problem=planned,
        plan=plan,
    )


# --- slots ---------------------------------------------------------------------------------------


class Grade(StrEnum):
    BEST = "best"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    UNAVAILABLE = "unavailable"


GOOD_WITHIN_MINUTES = 30
FAIR_WITHIN_MINUTES = 90


@dataclass(frozen=True)
class Slot:
    arrival_at: datetime
    predicted_completion: datetime | None
    promise_at: datetime | None
    grade: Grade
    disturbance_minutes: int
    """Minutes other jobs finish later in the re-plan with the job booked here."""
    moved_jobs: int
    broken_promises: list[str]
    """Jobs on time without the booking and late (or unplanned) with it."""

    @property
    def breaks_promise(self) -> bool:
        return bool(self.broken_promises)


Placed = tuple[int | None, int | None, int | None, int, int]
"""(technician, bay, lift, start, end) of an operation on the axis."""


@dataclass
class _Runs:
    """One compiled instance; the prospective job's release and promise set per run."""

    instance: Instance
    job_index: int | None

    @classmethod
    def compile(cls, problem: Problem, job_id: str | None) -> _Runs:
        instance = compile_problem(problem)
        index = next((i for i, info in enumerate(instance.jobs) if info.job.id == job_id), None)
        return cls(instance, index)

    def run(self, arrival: datetime | None = None, promise: datetime | None = None) -> Solution:
        instance = self.instance
        if self.job_index is not None and arrival is not None:
            release = instance.axis.release_point(max(arrival, instance.problem.now))
            info = instance.jobs[self.job_index]
            for index in info.ops:
                instance.ops[index].release = release
            deadline = instance.axis.deadline_point(promise) if promise is not None else None
            instance.jobs[self.job_index] = replace(info, promise=deadline)
        return greedy_solution(instance)

    @property
    def horizon_end(self) -> datetime:
        return self.instance.axis.end_time(self.instance.axis.size)

    def placed(self, solution: Solution) -> dict[tuple[str, str], Placed]:
        found: dict[tuple[str, str], Placed] = {}
        for index, p in solution.placements.items():
            op = self.instance.ops[index]
            tech = op.techs[p.tech_option].tech if p.tech_option is not None else None
            place = op.places[p.place]
            found[op.key] = (tech, place.bay, place.lift, p.start, p.end)
        return found

    def completions(self, solution: Solution) -> dict[str, datetime | None]:
        """Per job: the end of its last operation; None when any of its work is unplanned."""
        result: dict[str, datetime | None] = {}
        for info in self.instance.jobs:
            ends = [solution.placements[i].end for i in info.ops if i in solution.placements]
            complete = ends and len(ends) == len(info.ops)
            result[info.job.id] = self.instance.axis.end_time(max(ends)) if complete else None
        return result


@dataclass(frozen=True)
class _Baseline:
    placed: dict[tuple[str, str], Placed]
    completions: dict[str, datetime | None]
    on_time: frozenset[str]
    horizon_end: datetime


def _on_time(problem: Problem, completions: dict[str, datetime | None]) -> frozenset[str]:
    return frozenset(
        job.id
        for job in problem.plannable_jobs()
        if job.promised_at is not None
        and (done := completions.get(job.id)) is not None
        and done <= job.promised_at
    )


def _grade(slots: list[Slot], customer_waiting: bool) -> list[Slot]:
    """Graded by the promise and the disturbance. A waiting customer's score is the time from
    arrival to promise, a drop-off's how much later the promise is than the earliest one; both plus
    the minutes other jobs finish later. Best: the lowest score among slots that break no promise;
    good within 30 minutes of it, fair within 90; poor beyond, or when the slot breaks a promise."""
    usable = [s for s in slots if s.promise_at is not None and s.grade != Grade.UNAVAILABLE]
    earliest = min((s.promise_at for s in usable if s.promise_at is not None), default=None)
    scores: dict[datetime, int] = {}
    for s in usable:
        assert s.promise_at is not None and earliest is not None
        wait = s.promise_at - (s.arrival_at if customer_waiting else earliest)
        scores[s.arrival_at] = wait // MINUTE + s.disturbance_minutes
    best = min((scores[s.arrival_at] for s in usable if not s.breaks_promise), default=None)
    graded: list[Slot] = []
    for s in slots:
        score = scores.get(s.arrival_at)
        if score is None:
            grade = Grade.UNAVAILABLE
        elif s.breaks_promise or best is None:
            grade = Grade.POOR
        elif score <= best:
            grade = Grade.BEST
        elif score <= best + GOOD_WITHIN_MINUTES:
            grade = Grade.GOOD
        elif score <= best + FAIR_WITHIN_MINUTES:
            grade = Grade.FAIR
        else:
            grade = Grade.POOR
        graded.append(replace(s, grade=grade))
    return graded


def appointment_slots(problem: Problem, prospect: Prospect, day: date, slot_minutes: int = 15) -> list[Slot]:
    """One graded slot per arrival on the grid of the day's opening hours."""
    arrivals = opening_slots(problem, day, slot_minutes)
    if not arrivals:
        return []
    base = covering(problem, day)
    job_id = free_job_id(base)
    prepared = prepare(base, prospect, job_id)
    first = max(arrivals[0], base.now)
    pinned = _Runs.compile(
        _with_job(base, pinned_jobs(base), _booked(prepared.job, first), prepared.parts), job_id
    )
    free = _Runs.compile(
        _with_job(base, list(base.jobs), _booked(prepared.job, first), prepared.parts), job_id
    )
    before = _Runs.compile(base.model_copy(update={"parts": prepared.parts}), None)
    solution = before.run()
    completions = before.completions(solution)
    baseline = _Baseline(
        before.placed(solution), completions, _on_time(base, completions), before.horizon_end
    )
    slots = [_slot(base, job_id, pinned, free, baseline, arrival) for arrival in arrivals]
    return _grade(slots, prospect.customer_waiting)


def _slot(
    problem: Problem, job_id: str, pinned: _Runs, free: _Runs, baseline: _Baseline, arrival: datetime
) -> Slot:
    unavailable = Slot(arrival, None, None, Grade.UNAVAILABLE, 0, 0, [])
    if arrival < problem.now:
        return unavailable
    completion = pinned.completions(pinned.run(arrival))[job_id]
    if completion is None:
        return unavailable
    promise = promise_for(completion, problem)
    solution = free.run(arrival, promise)
    placed = free.placed(solution)
    after = free.completions(solution)
    moved = {key[0] for key, where in baseline.placed.items() if placed.get(key) != where}
    moved |= {key[0] for key in placed if key[0] != job_id and key not in baseline.placed}
    delay = 0
    for other, before in baseline.completions.items():
        now_done = after.get(other) or baseline.horizon_end
        delay += max(0, (now_done - (before or baseline.horizon_end)) // MINUTE)
    still = _on_time(problem, after)
    broken = sorted(baseline.on_time - still)
    return Slot(arrival, completion, promise, Grade.BEST, delay, len(moved - {job_id}), broken)

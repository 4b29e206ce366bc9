"""The random facts of a simulated day, drawn up front and independent of the policy.

Every fact has its own `Random` stream keyed by the seed and by what it is about (a job, an
operation, a delivery), so a fact never depends on how many draws came before it: the three
policies see exactly the same arrivals, durations, findings, slips, sickness and lift failure,
however differently their days unfold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from random import Random

from scheduler.calendar import WorkshopCalendar
from scheduler.jobs import Job, JobStatus
from scheduler.problem import Problem
from scheduler.workshop import Technician

NO_SHOW_SHARE = 0.12
"""Booked cars that never come (the brief: about 10-15 %)."""
VERY_LATE_SHARE = 0.12
"""Booked cars more than 30 minutes late (31-90 minutes)."""
WALK_IN_SHARE = 0.08
"""Booked drop-off cars the DMS only reports when they drive in, as walk-ins."""
DURATION_SPREAD = 0.2
"""Sigma of the lognormal factor on standard time / efficiency: about ±20 %."""
FINDING_SHARE = 0.25
"""Jobs on which the technician finds supplemental work."""
FINDING_MINUTES = (20, 30, 45, 60)
APPROVE_SHARE, DECLINE_SHARE = 0.75, 0.15
"""The customer's answer; the rest defer the work to a later visit."""
ON_TIME_DELIVERY_SHARE = 0.4
"""Parts deliveries that come at their ETA; the others slip by 30-180 minutes."""
LIFT_OUTAGE = timedelta(hours=2)


class Decision(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    DEFER = "defer"


@dataclass(frozen=True)
class Arrival:
    """A booked car: when it drives in (None: a no-show), and whether the DMS sends it as a walk-in."""

    job_id: str
    at: datetime | None
    late_minutes: float
    walk_in: bool

    @property
    def no_show(self) -> bool:
        return self.at is None


@dataclass(frozen=True)
class Finding:
    """Supplemental work found after the job's first attended operation, and the customer's answer."""

    job_id: str
    minutes: int
    answer_after: timedelta
    decision: Decision
    scatter: float
    """Actual over expected duration of the found work, if approved."""


@dataclass(frozen=True)
class Delivery:
    part_number: str
    quantity: int
    eta: datetime
    arrives: datetime
    notice: datetime | None
    """When the supplier says it will be late (None: on time)."""


@dataclass(frozen=True)
class Outage:
    resource_id: str
    at: datetime


@dataclass(frozen=True)
class DayFacts:
    arrivals: dict[str, Arrival]
    """Booked jobs only; the others are in the workshop at the start of the day."""
    scatter: dict[tuple[str, str], float]
    """(job, operation) → actual over expected duration."""
    findings: dict[str, Finding]
    deliveries: tuple[Delivery, ...]
    sick: Outage
    """A technician who goes home sick at noon."""
    lift_failure: Outage | None
    """A lift out of service for LIFT_OUTAGE."""


def stream(seed: int, *about: str) -> Random:
    """The random stream of one fact: a string seed is hashed (SHA-512), stable across runs."""
    return Random("/".join(["bayplan-sim", str(seed), *about]))


def scatter_factor(rng: Random) -> float:
    """Lognormal with mean 1."""
    return rng.lognormvariate(-DURATION_SPREAD * DURATION_SPREAD / 2, DURATION_SPREAD)


def draw_arrival(seed: int, job: Job, day_start: datetime) -> Arrival:
    assert job.appointment_at is not None
    rng = stream(seed, "arrival", job.id)
    draw = rng.random()
    late = rng.uniform(31, 90) if draw >= 1 - VERY_LATE_SHARE else rng.gauss(-5, 12)
    walk_in = rng.random() < WALK_IN_SHARE and not job.customer_waiting
    at = None if draw < NO_SHOW_SHARE else max(day_start, job.appointment_at + timedelta(minutes=late))
    return Arrival(job_id=job.id, at=at, late_minutes=late, walk_in=walk_in)


def draw_finding(seed: int, job: Job) -> Finding | None:
    rng = stream(seed, "finding", job.id)
    found = rng.random() < FINDING_SHARE
    minutes = rng.choice(FINDING_MINUTES)
    answer_after = timedelta(minutes=rng.randint(10, 30))
    draw = rng.random()
    decision = (
        Decision.APPROVE
        if draw < APPROVE_SHARE
        else Decision.DECLINE
        if draw < APPROVE_SHARE + DECLINE_SHARE
        else Decision.DEFER
    )
    scatter = scatter_factor(rng)
    return Finding(job.id, minutes, answer_after, decision, scatter) if found else None


def can_find_work(job: Job, arrival: Arrival | None) -> bool:
    """Work is found when the job's first attended operation ends, with more work left on the car.

    Every policy reaches that moment on a job with at least two attended operations to do, so
    only those jobs (and never a no-show) get a finding: every policy proposes the same findings.
    """
    if arrival is not None and arrival.no_show:
        return False
    return sum(op.crew_size for op in job.operations if op.plannable) >= 2


def draw_delivery(seed: int, index: int, part_number: str, quantity: int, eta: datetime) -> Delivery:
    rng = stream(seed, "delivery", str(index), part_number)
    if rng.random() < ON_TIME_DELIVERY_SHARE:
        return Delivery(part_number, quantity, eta, eta, None)
    slip = timedelta(minutes=rng.randint(30, 180))
    notice = eta - timedelta(minutes=rng.randint(30, 120))
    return Delivery(part_number, quantity, eta, eta + slip, notice)


def replaceable(technician: Technician, others: list[Technician]) -> bool:
    """Someone else has each of the technician's skills at the same level or higher, and each of
    their certifications: the afternoon's work can still be done, only by fewer people."""
    colleagues = [t for t in others if t.id != technician.id]
    skills_covered = all(
        any((g := c.grade(grade.skill)) is not None and g.level >= grade.level for c in colleagues)
        for grade in technician.skills
    )
    held = {cert for c in colleagues for cert in c.certifications}
    return skills_covered and set(technician.certifications) <= held


def draw_sick(seed: int, problem: Problem, noon: datetime) -> Outage:
    technicians = sorted(problem.workshop.technicians, key=lambda t: t.id)
    candidates = [t for t in technicians if replaceable(t, technicians)] or technicians
    return Outage(stream(seed, "sick").choice(candidates).id, noon)


def draw_lift_failure(seed: int, problem: Problem, day_start: datetime) -> Outage | None:
    lifts = sorted(lift.id for lift in problem.workshop.lifts)
    if not lifts:
        return None
    rng = stream(seed, "lift")
    at = day_start.replace(hour=9, minute=30) + timedelta(minutes=rng.randint(0, 240))
    return Outage(rng.choice(lifts), at)


def draw_day(problem: Problem, seed: int) -> DayFacts:
    start = problem.now.astimezone(WorkshopCalendar(problem.workshop, problem.now).zone)
    arrivals = {
        job.id: draw_arrival(seed, job, start)
        for job in problem.jobs
        if job.status == JobStatus.BOOKED and job.appointment_at is not None
    }
    scatter = {
        (job.id, op.id): scatter_factor(stream(seed, "duration", job.id, op.id))
        for job in problem.jobs
        for op in job.operations
    }
    findings = {
        job.id: finding
        for job in problem.jobs
        if can_find_work(job, arrivals.get(job.id)) and (finding := draw_finding(seed, job)) is not None
    }
    deliveries = tuple(
        draw_delivery(seed, i, d.part_number, d.quantity, d.eta)
        for i, d in enumerate(problem.parts.deliveries)
    )
    return DayFacts(
        arrivals=arrivals,
        scatter=scatter,
        findings=findings,
        deliveries=deliveries,
        sick=draw_sick(seed, problem, start.replace(hour=12, minute=0)),
        lift_failure=draw_lift_failure(seed, problem, start),
    )


def describe(facts: DayFacts) -> str:
    """The day in one line, for the results page."""
    arrivals = list(facts.arrivals.values())
    answers = [f.decision for f in facts.findings.values()]
    lift = facts.lift_failure
    return (
        f"{len(arrivals)} booked (no-show {sum(a.no_show for a in arrivals)}, "
        f"over 30 min late {sum(a.at is not None and a.late_minutes > 30 for a in arrivals)}, "
        f"sent as walk-in {sum(a.walk_in and not a.no_show for a in arrivals)}); "
        f"findings {len(answers)} (approved {answers.count(Decision.APPROVE)}, "
        f"declined {answers.count(Decision.DECLINE)}, deferred {answers.count(Decision.DEFER)}); "
        f"deliveries late {sum(d.notice is not None for d in facts.deliveries)}/{len(facts.deliveries)}; "
        f"{facts.sick.resource_id} sick at {facts.sick.at:%H:%M}; "
        + (f"lift {lift.resource_id} down at {lift.at:%H:%M}" if lift else "no lift")
    )

"""Per-job forecasts: predicted completion, slack, risk, and when the advisor acts.

The advisor rules come from the dealership manuals: call the customer 1 hour
before pick-up for jobs under two days and 4 hours before for longer ones, and
ask the workshop about progress at 70-80 % of the estimated duration (we use 75 %).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from scheduler.jobs import Job, JobStatus
from scheduler.plan import JobForecast, OperationAssignment, UnplannedOperation
from scheduler.problem import Problem
from scheduler.reporting.reasons import (
    MINUTE,
    PlanIndex,
    chain_reasons,
    compose,
    lateness_reason,
)
from scheduler.reporting.text import clock, duration, operation_label

LONG_JOB = timedelta(hours=48)
SHORT_JOB_CALL_LEAD = timedelta(hours=1)
LONG_JOB_CALL_LEAD = timedelta(hours=4)
PROGRESS_CHECK_SHARE = (3, 4)
"""75 %, kept as a fraction so the arithmetic stays exact on timedeltas."""
UNPLANNED_SHOWN = 2


def round_to_minute(moment: datetime) -> datetime:
    """Nearest whole minute, half a minute rounding up."""
    floor = moment.replace(second=0, microsecond=0)
    return floor + MINUTE if moment - floor >= timedelta(seconds=30) else floor


def call_customer_at(problem: Problem, job: Job, first_start: datetime, completion: datetime) -> datetime:
    """1 h before completion for jobs spanning under two days, 4 h for longer ones.

    The span runs from the car's arrival (or appointment, or now for a car with
    neither) to completion; the call never precedes the job's first operation,
    because before that there is nothing to report.
    """
    span = completion - (job.expected_arrival or problem.now)
    lead = LONG_JOB_CALL_LEAD if span >= LONG_JOB else SHORT_JOB_CALL_LEAD
    return max(completion - lead, first_start)


def progress_check_at(first_start: datetime, completion: datetime) -> datetime:
    numerator, denominator = PROGRESS_CHECK_SHARE
    return round_to_minute(first_start + (completion - first_start) * numerator / denominator)


def overdue_appointment(problem: Problem, job: Job) -> bool:
    """A booked car more than the no-show allowance past its appointment (to be followed up)."""
    if job.status is not JobStatus.BOOKED or job.arrived_at is not None or job.appointment_at is None:
        return False
    allowance = timedelta(minutes=problem.workshop.settings.no_show_after_minutes)
    return job.appointment_at + allowance < problem.now


def _unplanned_headline(job: Job, missing: list[str], reasons: dict[str, str]) -> str:
    described = [
        f"{operation_label(job.operation(op_id), op_id)} ({reasons.get(op_id, 'not in the plan')})"
        for op_id in missing[:UNPLANNED_SHOWN]
    ]
    more = len(missing) - UNPLANNED_SHOWN
    tail = f" and {more} more operation{'s' if more > 1 else ''}" if more > 0 else ""
    return f"not all work fits in the plan: {'; '.join(described)}{tail}"


def _headlines(
    problem: Problem,
    job: Job,
    forecast: JobForecast,
    horizon_end: datetime,
    missing: list[str],
    unplanned_reasons: dict[str, str],
) -> list[str]:
    """What the advisor must know first: lateness, thin margin, a missing car, missing work."""
    settings = problem.workshop.settings
    promised = forecast.promised_at
    headlines: list[str] = []
    if promised is not None and forecast.late:
        if forecast.completion is not None:
            headlines.append(lateness_reason(problem, forecast.completion, promised, at_least=False))
        else:
            headlines.append(lateness_reason(problem, horizon_end, promised, at_least=True))
    elif (
        promised is not None
        and forecast.slack_minutes is not None
        and forecast.slack_minutes < settings.at_risk_slack_minutes
    ):
        margin = f"only {duration(forecast.slack_minutes)}" if forecast.slack_minutes else "no"
        headlines.append(f"{margin} margin before the promise of {clock(promised, problem)}")
    if overdue_appointment(problem, job) and job.appointment_at is not None:
        overdue = (problem.now - job.appointment_at) // MINUTE
        headlines.append(
            f"car not arrived {duration(overdue)} after the appointment at "
            f"{clock(job.appointment_at, problem)}: follow up, possible no-show"
        )
    if missing:
        headlines.append(_unplanned_headline(job, missing, unplanned_reasons))
    return headlines


def job_forecast(
    index: PlanIndex, job: Job, unplanned: list[UnplannedOperation], horizon_end: datetime
) -> JobForecast:
    problem = index.problem
    planned = index.of_job(job.id)
    planned_ids = {a.operation_id for a in planned}
    open_ops = [op for op in job.operations if op.plannable]
    if not open_ops:
        # Nothing left to plan: the car waits for handover, its completion is history.
        return JobForecast(
            job_id=job.id,
            completion=None,
            promised_at=job.promised_at,
            slack_minutes=None,
            late=False,
            at_risk=False,
            call_customer_at=None,
            progress_check_at=None,
            reasons=["all work is done; ready for handover"],
        )

    # An operation the solver neither planned nor reported counts as unplanned too.
    missing = [op.id for op in open_ops if op.id not in planned_ids]
    completion = max(a.end for a in planned) if planned and not missing else None
    first_start = min((a.start for a in planned), default=None)
    promised = job.promised_at

    slack: int | None = None
    late = False
    if promised is not None and completion is not None:
        slack = (promised - completion) // MINUTE
        late = completion > promised
    elif promised is not None:
        # Work beyond the horizon finishes after it: certainly late if promised before it.
        late = horizon_end > promised

    at_risk = (
        late
        or (slack is not None and slack < problem.workshop.settings.at_risk_slack_minutes)
        or (completion is None and promised is not None)
        or overdue_appointment(problem, job)
    )
    call_at = check_at = None
    if completion is not None and first_start is not None:
        call_at = call_customer_at(problem, job, first_start, completion)
        check_at = progress_check_at(first_start, completion)

    forecast = JobForecast(
        job_id=job.id,
        completion=completion,
        promised_at=promised,
        slack_minutes=slack,
        late=late,
        at_risk=at_risk,
        call_customer_at=call_at,
        progress_check_at=check_at,
    )
    unplanned_reasons = {u.operation_id: u.reason for u in unplanned}
    headlines = _headlines(problem, job, forecast, horizon_end, missing, unplanned_reasons)
    reasons = compose(headlines, chain_reasons(index, job))
    return forecast.model_copy(update={"reasons": reasons})


def build_job_forecasts(
    problem: Problem,
    operations: list[OperationAssignment],
    unplanned: list[UnplannedOperation],
    horizon_end: datetime,
) -> list[JobForecast]:
    """One forecast per plannable job, in the problem's job order."""
    index = PlanIndex(problem, operations)
    unplanned_by_job: dict[str, list[UnplannedOperation]] = defaultdict(list)
    for u in unplanned:
        unplanned_by_job[u.job_id].append(u)
    return [
        job_forecast(index, job, unplanned_by_job[job.id], horizon_end) for job in problem.plannable_jobs()
    ]

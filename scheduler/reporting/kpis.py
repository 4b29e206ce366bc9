"""Plan-wide key figures: promises kept, tardiness, utilisation, overtime."""

from __future__ import annotations

from datetime import datetime

from scheduler.calendar import WorkshopCalendar, clip, total_minutes
from scheduler.plan import JobForecast, Kpis, OperationAssignment, UnplannedOperation
from scheduler.problem import Problem
from scheduler.reporting.reasons import minutes_late

SHARE_DIGITS = 4
"""Shares are rounded so that equal plans serialise to equal JSON."""


def tardiness_minutes(forecast: JobForecast, horizon_end: datetime) -> int:
    """Minutes past the promise; work that does not fit counts up to the horizon's end,
    the least it can be late by."""
    if forecast.promised_at is None:
        return 0
    completion = forecast.completion or horizon_end
    return max(0, minutes_late(completion, forecast.promised_at))


def on_time(forecast: JobForecast) -> bool:
    if forecast.completion is None or forecast.promised_at is None:
        return False
    return forecast.completion <= forecast.promised_at


def _open_with_promise(problem: Problem, forecasts: list[JobForecast]) -> list[JobForecast]:
    """Promised jobs that still have work: a job whose work is all done cannot miss anything now."""
    open_jobs = {job.id for job in problem.jobs if any(op.plannable for op in job.operations)}
    return [f for f in forecasts if f.promised_at is not None and f.job_id in open_jobs]


def _is_attended(problem: Problem, a: OperationAssignment) -> bool:
    job = problem.job(a.job_id)
    op = job.operation(a.operation_id) if job is not None else None
    return op.crew_size == 1 if op is not None else a.technician_id is not None


def planned_work_minutes(problem: Problem, operations: list[OperationAssignment]) -> int:
    """Technician minutes worked from now on; work before now is history, not plan."""
    seconds = 0.0
    for a in operations:
        if not _is_attended(problem, a):
            continue
        pieces = [(p.start, p.end) for p in a.pieces] or [(a.start, a.end)]
        for start, end in pieces:
            start = max(start, problem.now)
            if end > start:
                seconds += (end - start).total_seconds()
    return int(seconds // 60)


def shift_minutes(problem: Problem, horizon_end: datetime) -> int:
    """Regular shift minutes (no overtime) of all technicians from now to the horizon's end."""
    calendar = WorkshopCalendar(problem.workshop, problem.now)
    return sum(
        total_minutes(clip(calendar.technician_work(t), problem.now, horizon_end))
        for t in problem.workshop.technicians
    )


def compute_kpis(
    problem: Problem,
    operations: list[OperationAssignment],
    unplanned: list[UnplannedOperation],
    forecasts: list[JobForecast],
    horizon_end: datetime,
) -> Kpis:
    promised = _open_with_promise(problem, forecasts)
    tardiness = [tardiness_minutes(f, horizon_end) for f in promised]
    capacity = shift_minutes(problem, horizon_end)
    return Kpis(
        jobs_planned=sum(1 for f in forecasts if f.completion is not None),
        jobs_with_promise=len(promised),
        on_time_share=round(sum(1 for f in promised if on_time(f)) / len(promised), SHARE_DIGITS)
        if promised
        else 1.0,
        late_jobs=sum(1 for t in tardiness if t > 0),
        total_tardiness_minutes=sum(tardiness),
        worst_tardiness_minutes=max(tardiness, default=0),
        technician_utilisation=(
            round(planned_work_minutes(problem, operations) / capacity, SHARE_DIGITS) if capacity else 0.0
        ),
        overtime_minutes=sum(a.overtime_minutes for a in operations),
        unplanned_operations=len(unplanned),
    )

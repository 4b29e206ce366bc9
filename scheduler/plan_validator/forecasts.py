"""Job forecasts (completion, slack, late) and the plan's KPIs, recomputed from the assignments."""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime, timedelta
from fractions import Fraction

from scheduler.jobs import Job
from scheduler.plan_validator.context import ZERO, Context, Violation, ceil_minutes

ON_TIME_SHARE_TOLERANCE = 1e-4  # plans round shares to 4 digits so equal plans serialise equally


def _completions(ctx: Context) -> dict[str, datetime | None]:
    """Per plannable job: the end of its last operation when all are planned, else None."""
    planned = ctx.planned
    completions: dict[str, datetime | None] = {}
    for job in ctx.problem.plannable_jobs():
        keys = [(job.id, op.id) for op in job.operations if op.plannable]
        ends = [planned[key].a.end for key in keys if key in planned]
        completions[job.id] = max(ends) if keys and len(ends) == len(keys) else None
    return completions


def _forecast_fit(ctx: Context, job: Job, completion: datetime | None) -> list[Violation]:
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


def check_forecasts(ctx: Context) -> list[Violation]:
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


def recomputed_kpis(ctx: Context) -> dict[str, float]:
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
        tardiness.append(ceil_minutes(max(ZERO, finish - promised)))
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


def check_kpis(ctx: Context) -> list[Violation]:
    reported = ctx.plan.kpis.model_dump()
    found: list[Violation] = []
    for name, value in recomputed_kpis(ctx).items():
        given = float(reported[name])
        tolerance = ON_TIME_SHARE_TOLERANCE if name == "on_time_share" else 0.0
        if abs(given - value) > tolerance:
            found.append(Violation("kpi_mismatch", None, None, f"{name} is {given:g}, recomputed {value:g}"))
    return found

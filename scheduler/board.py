"""The scheduling board (控工板) as plain text: who does what when, what is late, and why.

Meant for a terminal, a log or a wall printout, so it is plain text without colours.
"""

from __future__ import annotations

from collections.abc import Iterable

from scheduler.plan import JobForecast, Kpis, OperationAssignment, Plan, UnplannedOperation
from scheduler.problem import Problem
from scheduler.reporting.text import (
    clock,
    day_label,
    duration,
    local,
    operation_label,
    operation_short,
    planning_day,
    short_clock,
    technician_name,
)
from scheduler.workshop import Technician

ITEM_SEPARATOR = " · "
MAX_TEXT = 24
"""Operation texts are cut on the board so one technician's day fits a wide line."""


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _item(problem: Problem, a: OperationAssignment) -> str:
    """'08:00→09:10 J-0001/oil'; the end is shown as bare HH:MM when it is on the start's day."""
    job = problem.job(a.job_id)
    op = job.operation(a.operation_id) if job is not None else None
    start, end = local(a.start, problem), local(a.end, problem)
    end_text = end.strftime("%H:%M") if end.date() == start.date() else short_clock(a.end, problem)
    what = _cut(operation_short(op, a.operation_id))
    return f"{short_clock(a.start, problem)}→{end_text} {a.job_id}/{what}"


def _team_label(technician: Technician) -> str:
    if not technician.team:
        return ""
    team = technician.team if technician.team.lower().startswith("team") else f"Team {technician.team}"
    return f" ({team})"


def _in_order(assignments: Iterable[OperationAssignment]) -> list[OperationAssignment]:
    return sorted(assignments, key=lambda a: (a.start, a.end, a.job_id, a.operation_id))


def _header(problem: Problem, plan: Plan) -> list[str]:
    workshop = problem.workshop
    objective = "n/a" if plan.solve.objective is None else f"{plan.solve.objective:g}"
    return [
        f"{workshop.name or workshop.id} - board for {day_label(planning_day(problem), with_year=True)}"
        f" (times in {workshop.timezone})",
        f"engine {plan.solve.engine.value}, status {plan.solve.status.value}, objective {objective},"
        f" planned at {clock(problem.now, problem)}",
    ]


def _technician_lines(problem: Problem, plan: Plan) -> list[str]:
    """One line per technician, by team then id; work on unknown technicians is not hidden."""
    # Technicians without a team go after the teams.
    technicians = sorted(problem.workshop.technicians, key=lambda t: (not t.team, t.team, t.id))
    known = {t.id for t in technicians}
    labels = [(t.id, technician_name(t, t.id) + _team_label(t)) for t in technicians]
    assigned = {a.technician_id for a in plan.operations if a.technician_id is not None}
    strays = sorted(assigned - known)
    labels += [(tid, f"{tid} (unknown technician)") for tid in strays]
    width = max((len(label) for _, label in labels), default=0)
    lines = ["", "Technicians"]
    for tid, label in labels:
        work = _in_order(a for a in plan.operations if a.technician_id == tid)
        items = ITEM_SEPARATOR.join(_item(problem, a) for a in work) or "no work planned"
        lines.append(f"  {label.ljust(width)}  {items}")
    unattended = _in_order(a for a in plan.operations if a.technician_id is None)
    if unattended:
        items = ITEM_SEPARATOR.join(_item(problem, a) for a in unattended)
        lines.append(f"  {'Unattended'.ljust(width)}  {items}")
    return lines


def _slack_text(forecast: JobForecast) -> str:
    if forecast.slack_minutes is None:
        return "slack n/a"
    sign = "-" if forecast.slack_minutes < 0 else ""
    return f"slack {sign}{duration(forecast.slack_minutes)}"


def _job_lines(problem: Problem, forecasts: list[JobForecast]) -> list[str]:
    """Late jobs first, then the thinnest margins; no-slack-known jobs (unplanned work) with the late."""
    flagged = [f for f in forecasts if f.late or f.at_risk]
    if not flagged:
        return []
    flagged.sort(key=lambda f: (not f.late, f.slack_minutes if f.slack_minutes is not None else -(10**9)))
    lines = ["", "Late and at-risk jobs"]
    for f in flagged:
        promised = clock(f.promised_at, problem) if f.promised_at else "none"
        predicted = clock(f.completion, problem) if f.completion else "not within the horizon"
        flag = "LATE" if f.late else "AT RISK"
        lines.append(f"  {f.job_id}  {flag}  promised {promised}  predicted {predicted}  {_slack_text(f)}")
        lines += [f"      - {reason}" for reason in f.reasons]
    return lines


def _unplanned_lines(problem: Problem, unplanned: list[UnplannedOperation]) -> list[str]:
    if not unplanned:
        return []
    lines = ["", "Unplanned"]
    for u in unplanned:
        job = problem.job(u.job_id)
        op = job.operation(u.operation_id) if job is not None else None
        lines.append(f"  {u.job_id}/{operation_label(op, u.operation_id)}: {u.reason}")
    return lines


def _kpi_lines(kpis: Kpis) -> list[str]:
    return [
        "",
        "KPIs",
        f"  on-time share {kpis.on_time_share:.0%} of {kpis.jobs_with_promise} promised jobs,"
        f" {kpis.late_jobs} late",
        f"  tardiness total {kpis.total_tardiness_minutes} min, worst {kpis.worst_tardiness_minutes} min",
        f"  technician utilisation {kpis.technician_utilisation:.0%}, overtime {kpis.overtime_minutes} min",
        f"  jobs planned {kpis.jobs_planned}, unplanned operations {kpis.unplanned_operations}",
    ]


def render_board(problem: Problem, plan: Plan) -> str:
    lines = _header(problem, plan)
    lines += _technician_lines(problem, plan)
    lines += _job_lines(problem, plan.jobs)
    lines += _unplanned_lines(problem, plan.unplanned)
    lines += _kpi_lines(plan.kpis)
    return "\n".join(lines) + "\n"

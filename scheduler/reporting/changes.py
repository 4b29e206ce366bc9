"""What a new plan changes against the published plan it started from."""

from __future__ import annotations

from scheduler.plan import (
    CompletionChange,
    JobForecast,
    OperationAssignment,
    OperationMove,
    PlanChanges,
)
from scheduler.problem import Problem


def plan_changes(
    problem: Problem, operations: list[OperationAssignment], forecasts: list[JobForecast]
) -> PlanChanges | None:
    """Moves of published work still to do, completion shifts, and promises newly in danger."""
    published = problem.published_plan
    if published is None:
        return None
    new = {(a.job_id, a.operation_id): a for a in operations}
    moved = [
        move
        for before in published.operations
        if _still_to_do(problem, before)
        for move in [_move(before, new.get((before.job_id, before.operation_id)))]
        if move is not None
    ]
    old_forecasts = {f.job_id: f for f in published.jobs}
    completions = [
        change
        for forecast in forecasts
        if forecast.job_id in old_forecasts
        for change in [_completion_change(old_forecasts[forecast.job_id], forecast)]
        if change is not None
    ]
    new_at_risk = [
        f.job_id
        for f in forecasts
        if (f.late or f.at_risk)
        and f.job_id in old_forecasts
        and not (old_forecasts[f.job_id].late or old_forecasts[f.job_id].at_risk)
    ]
    return PlanChanges(
        moved=moved,
        completions=completions,
        new_at_risk=new_at_risk,
        moved_jobs=len({m.job_id for m in moved}),
    )


def _still_to_do(problem: Problem, assignment: OperationAssignment) -> bool:
    """Work done or cancelled since, or started as published, is not a move anyone needs to hear of."""
    job = problem.job(assignment.job_id)
    if job is None or job not in problem.plannable_jobs():
        return False
    operation = job.operation(assignment.operation_id)
    return operation is not None and operation.plannable and operation.progress is None


def _move(before: OperationAssignment, after: OperationAssignment | None) -> OperationMove | None:
    if after is not None and (after.technician_id, after.bay_id, after.start) == (
        before.technician_id,
        before.bay_id,
        before.start,
    ):
        return None
    return OperationMove(
        job_id=before.job_id,
        operation_id=before.operation_id,
        from_technician_id=before.technician_id,
        to_technician_id=after.technician_id if after else None,
        from_bay_id=before.bay_id,
        to_bay_id=after.bay_id if after else None,
        from_start=before.start,
        to_start=after.start if after else None,
    )


def _completion_change(before: JobForecast, after: JobForecast) -> CompletionChange | None:
    if before.completion == after.completion:
        return None
    delta = None
    if before.completion is not None and after.completion is not None:
        delta = round((after.completion - before.completion).total_seconds() / 60)
    return CompletionChange(
        job_id=after.job_id, before=before.completion, after=after.completion, delta_minutes=delta
    )

"""What supplemental work does to the plan, before the customer says yes.

The preview re-plans with the new operations approved, starting from the
published plan (with the settings the approval's re-plan will use), and compares the
result with the published plan: the job's new completion, its delay against the
promise, the promise to give now, and every other job that moves and by how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scheduler.jobs import Approval, Job, PartsSituation
from scheduler.plan import Plan
from scheduler.problem import Problem
from scheduler.solve_settings import SolverSettings
from solver.planner import make_plan
from solver.quotes import GREEDY, MINUTE, promise_for


@dataclass(frozen=True)
class CompletionShift:
    job_id: str
    completion_before: datetime | None
    completion_after: datetime | None
    delta_minutes: int | None
    """Positive: later than published; None when either side has no completion."""


@dataclass(frozen=True)
class SupplementalPreview:
    job_id: str
    promised_at: datetime | None
    completion_before: datetime | None
    completion_after: datetime | None
    delay_minutes: int
    """Minutes the new completion lies past the promise (without a promise: past the old completion)."""
    new_promise_at: datetime | None
    """The promise kept when the job still makes it; else the new completion with margin."""
    moved_jobs: list[CompletionShift]
    problem: Problem
    """The problem re-planned: the job with the new work approved."""
    plan: Plan
    before: Plan
    """The plan compared with: the published one, or a re-plan without the new work when the
    published plan does not hold the job yet."""


def approved(job: Job, operation_ids: set[str]) -> Job:
    """The job with these operations approved."""
    operations = [
        op.model_copy(update={"approval": Approval.APPROVED}) if op.id in operation_ids else op
        for op in job.operations
    ]
    return job.model_copy(update={"operations": operations})


def _minutes(before: datetime | None, after: datetime | None) -> int | None:
    if before is None or after is None:
        return None
    return (after - before) // MINUTE


def _moved(before: Plan, after: Plan) -> set[str]:
    """Jobs with an operation on another technician, bay or start."""
    where = {(a.job_id, a.operation_id): (a.technician_id, a.bay_id, a.start) for a in after.operations}
    return {
        a.job_id
        for a in before.operations
        if where.get((a.job_id, a.operation_id)) != (a.technician_id, a.bay_id, a.start)
    }


def preview_supplemental(
    problem: Problem,
    job: Job,
    operation_ids: set[str],
    parts: PartsSituation | None = None,
    settings: SolverSettings = GREEDY,
) -> SupplementalPreview:
    """Re-plan `problem` with `job` (holding the new operations) and those operations approved.

    `settings` should be those of the re-plan an approval starts, so that the preview shows
    what the approval will do.
    """
    before = problem.published_plan
    if before is None or all(f.job_id != job.id for f in before.jobs):
        before = make_plan(problem, settings)  # nothing published for the job yet: today's re-plan
    changed_job = approved(job, operation_ids)
    jobs = [changed_job if j.id == job.id else j for j in problem.jobs]
    changed = problem.model_copy(update={"jobs": jobs, "parts": parts or problem.parts})
    after = make_plan(changed, settings)
    was = {f.job_id: f.completion for f in before.jobs}
    now = {f.job_id: f.completion for f in after.jobs}
    completion = now.get(job.id)
    promised = job.promised_at
    if completion is None:
        delay, promise = 0, None
    elif promised is not None:
        delay = max(0, -((promised - completion) // MINUTE))
        promise = promised if completion <= promised else promise_for(completion, problem)
    else:
        delay = max(0, _minutes(was.get(job.id), completion) or 0)
        promise = promise_for(completion, problem)
    moved_ids = (_moved(before, after) & now.keys()) | {
        j for j in was.keys() & now.keys() if was[j] != now[j]
    }
    moved = [
        CompletionShift(j, was.get(j), now.get(j), _minutes(was.get(j), now.get(j)))
        for j in sorted(moved_ids - {job.id})
    ]
    return SupplementalPreview(
        job_id=job.id,
        promised_at=promised,
        completion_before=was.get(job.id),
        completion_after=completion,
        delay_minutes=delay,
        new_promise_at=promise,
        moved_jobs=moved,
        problem=changed,
        plan=after,
        before=before,
    )

"""Coverage: every plannable operation is planned or listed as unplanned, once; nothing else is."""

from __future__ import annotations

from collections import Counter

from scheduler.jobs import PLANNABLE_JOB_STATUSES, OperationStatus
from scheduler.plan_validator.context import Context, Key, Violation
from scheduler.problem import Problem


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


def check_coverage(ctx: Context) -> list[Violation]:
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

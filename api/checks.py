"""Cross-reference checks and size limits, before anything is stored or solved."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from api.problems import ApiProblem, FieldError
from api.settings import Settings
from scheduler.jobs import Job, PartsSituation
from scheduler.problem import Problem
from scheduler.validation import check_problem
from scheduler.workshop import Workshop

_ANY_NOW = datetime(2000, 1, 1, tzinfo=UTC)  # the checks below do not depend on the planning time


def _rebase(path: str, old: str, new: str) -> str:
    return new + path[len(old) :]


def _rebase_quoted(message: str, old: str, new: str) -> str:
    """Paths a message quotes ('duplicate … (first at workshop.bays[0].id)') rebased like the issue's."""
    return re.sub(rf"(?<=[( ]){re.escape(old)}(?=[.\[])", new, message)


def job_issues(workshop: Workshop, job: Job, prefix: str) -> list[FieldError]:
    """What is wrong with the job in this workshop; paths start with `prefix` (e.g. 'body')."""
    problem = Problem(workshop=workshop, jobs=[job], now=_ANY_NOW)
    return [
        FieldError(
            path=_rebase(issue.path, "jobs[0]", prefix),
            message=_rebase_quoted(issue.message, "jobs[0]", prefix),
        )
        for issue in check_problem(problem)
        if issue.path.startswith("jobs[0]")
    ]


def check_job(workshop: Workshop, job: Job, settings: Settings, prefix: str = "body") -> None:
    limit = settings.max_operations_per_job
    if len(job.operations) > limit:
        raise ApiProblem(
            422,
            "too many operations",
            errors=[FieldError(path=f"{prefix}.operations", message=f"at most {limit} operations per job")],
        )
    errors = job_issues(workshop, job, prefix)
    if errors:
        raise ApiProblem(422, f"job {job.id!r} does not fit the workshop", errors=errors)


def check_workshop(workshop: Workshop, jobs: Sequence[Job], parts: PartsSituation) -> None:
    """The configuration itself, and the open jobs against it (a removed technician still pinned, ...)."""
    problem = Problem(workshop=workshop, jobs=list(jobs), parts=parts, now=_ANY_NOW)
    errors: list[FieldError] = []
    for issue in check_problem(problem):
        if issue.path.startswith("workshop"):
            message = _rebase_quoted(issue.message, "workshop", "body")
            errors.append(FieldError(path=_rebase(issue.path, "workshop", "body"), message=message))
        elif issue.path.startswith("jobs["):
            index = int(issue.path[5 : issue.path.index("]")])
            old, new = f"jobs[{index}]", f"jobs[{jobs[index].id}]"
            message = _rebase_quoted(issue.message, old, new)
            errors.append(FieldError(path=_rebase(issue.path, old, new), message=f"stored job: {message}"))
    if errors:
        raise ApiProblem(422, "the configuration is inconsistent", errors=errors)


def check_job_count(open_jobs: int, settings: Settings, path: str = "body") -> None:
    if open_jobs >= settings.max_jobs_per_workshop:
        raise ApiProblem(
            422,
            "the workshop holds as many open jobs as it may",
            errors=[
                FieldError(
                    path=path, message=f"at most {settings.max_jobs_per_workshop} open jobs per workshop"
                )
            ],
        )

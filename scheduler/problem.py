"""The planning problem: what the planner is given (one JSON document)."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from scheduler.common import DomainModel
from scheduler.jobs import PLANNABLE_JOB_STATUSES, Job, PartsSituation
from scheduler.plan import Plan
from scheduler.workshop import Workshop


class Problem(DomainModel):
    """A workshop, its jobs and parts, as seen at `now`."""

    workshop: Workshop
    jobs: list[Job] = Field(default_factory=list)
    parts: PartsSituation = Field(default_factory=PartsSituation)
    now: AwareDatetime
    """Planning starts here; nothing new is planned before it."""
    published_plan: Plan | None = None
    """The plan the workshop follows now. A re-plan starts from it: work starting within the
    frozen window stays, and moving the rest costs the plan_change weight."""

    def plannable_jobs(self) -> list[Job]:
        return [j for j in self.jobs if j.status in PLANNABLE_JOB_STATUSES]

    def job(self, job_id: str) -> Job | None:
        return next((j for j in self.jobs if j.id == job_id), None)

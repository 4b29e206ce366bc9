"""Plans on the wire: solve requests, status, history."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field

from api.schemas.base import WireModel
from api.schemas.plan_document import Kpis, Plan
from scheduler.plan import SolveStatus
from scheduler.solve_settings import EngineChoice


class PlanStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    STOPPED = "stopped"
    """Stopped on request; keeps the best plan found."""
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    """The service stopped during the solve; a new solve was started."""
    CANCELLED = "cancelled"
    """Stopped before it started."""


FINISHED = frozenset(
    {PlanStatus.DONE, PlanStatus.STOPPED, PlanStatus.FAILED, PlanStatus.INTERRUPTED, PlanStatus.CANCELLED}
)


class PlanState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    """Was published; a later plan replaced it."""


class SolveRequest(WireModel):
    engine: EngineChoice | None = None
    """Omitted: the service's default engine."""
    time_limit_seconds: Annotated[float, Field(gt=0, le=3600)] | None = None


class SolveAccepted(WireModel):
    plan_id: str
    version: int
    status: PlanStatus
    coalesced: bool
    """True when the request joined a solve that was already queued."""


class PlanSummary(WireModel):
    id: str
    workshop_id: str
    version: int
    status: PlanStatus
    state: PlanState
    trigger: str
    engine: str | None
    time_limit_seconds: float | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    published_at: datetime | None
    error: str | None
    solve_status: SolveStatus | None
    kpis: Kpis | None


class PlanOut(PlanSummary):
    plan: Plan | None
    """The best plan found so far (the final one once finished)."""


class PlanList(WireModel):
    items: list[PlanSummary]


SOLVE_EXAMPLE: dict[str, Any] = {"engine": "cp-sat", "time_limit_seconds": 5}

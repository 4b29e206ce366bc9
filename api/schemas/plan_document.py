"""The dispatch plan on the wire: assignments, forecasts per job, KPIs, solve facts, changes."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from api.schemas.base import WireModel
from scheduler.common import Identifier
from scheduler.plan import Engine, SolveStatus


class WorkPiece(WireModel):
    """A stretch of actual work; an operation pauses between pieces."""

    start: AwareDatetime
    end: AwareDatetime


class EquipmentUse(WireModel):
    pool_id: Identifier
    unit: int
    """1-based unit number inside the pool."""


class OperationAssignment(WireModel):
    job_id: Identifier
    operation_id: Identifier
    technician_id: Identifier | None
    bay_id: Identifier | None
    lift_id: Identifier | None = None
    equipment: list[EquipmentUse] = Field(default_factory=list)
    start: AwareDatetime
    end: AwareDatetime
    pieces: list[WorkPiece] = Field(default_factory=list)
    """Working pieces of the technician (or of the process, when unattended)."""
    work_minutes: int
    """Minutes actually worked = standard time / efficiency, rounded up to the grain."""
    overtime_minutes: int = 0
    pinned: bool = False
    started: bool = False


class UnplannedOperation(WireModel):
    job_id: Identifier
    operation_id: Identifier
    reason: str


class JobForecast(WireModel):
    job_id: Identifier
    completion: AwareDatetime | None
    """None when some of the job's work does not fit in the horizon."""
    promised_at: AwareDatetime | None
    slack_minutes: int | None
    late: bool
    at_risk: bool
    call_customer_at: AwareDatetime | None
    progress_check_at: AwareDatetime | None
    reasons: list[str] = Field(default_factory=list)


class Kpis(WireModel):
    jobs_planned: int
    jobs_with_promise: int
    on_time_share: float
    """Share of promised jobs predicted to finish by their promise (1.0 when none is promised)."""
    late_jobs: int
    total_tardiness_minutes: int
    worst_tardiness_minutes: int
    technician_utilisation: float
    """Planned work minutes / shift minutes of the technicians over the planning horizon."""
    overtime_minutes: int
    unplanned_operations: int


class SolveInfo(WireModel):
    engine: Engine
    status: SolveStatus
    objective: float | None
    best_bound: float | None
    solve_seconds: float
    objective_terms: dict[str, float] = Field(default_factory=dict)
    """Value of each named soft goal (before weighting) in the returned plan."""
    weighted_terms: dict[str, float] = Field(default_factory=dict)


class OperationMove(WireModel):
    """A published operation that the new plan gives another technician, bay or time."""

    job_id: Identifier
    operation_id: Identifier
    from_technician_id: Identifier | None
    to_technician_id: Identifier | None
    from_bay_id: Identifier | None
    to_bay_id: Identifier | None
    from_start: AwareDatetime
    to_start: AwareDatetime | None
    """None when the new plan leaves the operation unplanned."""


class CompletionChange(WireModel):
    job_id: Identifier
    before: AwareDatetime | None
    after: AwareDatetime | None
    delta_minutes: int | None
    """Positive: later than published; None when either side has no completion."""


class PlanChanges(WireModel):
    """What a plan changes against the published plan it started from."""

    moved: list[OperationMove] = Field(default_factory=list)
    completions: list[CompletionChange] = Field(default_factory=list)
    new_at_risk: list[Identifier] = Field(default_factory=list)
    """Promised jobs late or at risk now that were on time in the published plan."""
    moved_jobs: int = 0


class Plan(WireModel):
    workshop_id: Identifier
    created_at: AwareDatetime
    horizon_start: AwareDatetime
    horizon_end: AwareDatetime
    solve: SolveInfo
    operations: list[OperationAssignment] = Field(default_factory=list)
    unplanned: list[UnplannedOperation] = Field(default_factory=list)
    jobs: list[JobForecast] = Field(default_factory=list)
    kpis: Kpis
    changes: PlanChanges | None = None
    """Against the published plan; None when there was none."""

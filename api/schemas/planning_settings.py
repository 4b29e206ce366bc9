"""A workshop's planning settings on the wire: horizon, grain, frozen window, weights of the soft goals."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from api.schemas.base import WireModel

NonNegative = Annotated[int, Field(ge=0)]
Multiplier = Annotated[int, Field(ge=1)]


class ObjectiveWeights(WireModel):
    """Weights of the soft goals, per minute unless named otherwise."""

    tardiness: NonNegative = 100
    unfinished: NonNegative = 1000
    """Per standard minute of work that cannot be planned inside the horizon."""
    completion: NonNegative = 1
    makespan: NonNegative = 0
    """The last completion of all jobs; off by default."""
    overtime: NonNegative = 20
    overqualification: NonNegative = 2
    """Per minute and per level above what the operation needs."""
    workload_balance: NonNegative = 2
    """Per minute between the busiest and the least busy technician (and team)."""
    bay_change: NonNegative = 30
    technician_change: NonNegative = 15
    plan_change: NonNegative = 200
    """Moving a published operation to another technician, bay or time."""


class PriorityWeights(WireModel):
    """Tardiness multipliers; a job takes the largest that applies."""

    normal: Multiplier = 1
    fleet: Multiplier = 2
    warranty: Multiplier = 2
    vip: Multiplier = 4
    waiting_customer: Multiplier = 6
    comeback: Multiplier = 8


class PlanningSettings(WireModel):
    horizon_days: Annotated[int, Field(ge=1, le=14)] = 3
    """Working days planned, starting with the planning day."""
    grain_minutes: Annotated[int, Field(ge=1, le=60)] = 5
    overtime_max_minutes_per_day: Annotated[int, Field(ge=0, le=240)] = 60
    """How long a technician may work past the end of a shift, at a cost."""
    at_risk_slack_minutes: NonNegative = 30
    promise_margin_minutes: NonNegative = 30
    no_show_after_minutes: NonNegative = 30
    frozen_window_minutes: NonNegative = 30
    max_moved_jobs: NonNegative | None = None
    auto_publish: bool = True
    weights: ObjectiveWeights = Field(default_factory=ObjectiveWeights)
    priority_weights: PriorityWeights = Field(default_factory=PriorityWeights)

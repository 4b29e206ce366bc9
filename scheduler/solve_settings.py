"""How hard and how long the planner may try."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from scheduler.common import DomainModel


class EngineChoice(StrEnum):
    CP_SAT = "cp-sat"
    GREEDY = "greedy"


class SolverSettings(DomainModel):
    engine: EngineChoice = EngineChoice.CP_SAT
    time_limit_seconds: Annotated[float, Field(gt=0, le=3600)] = 10.0
    workers: Annotated[int, Field(ge=1, le=64)] = 2
    seed: Annotated[int, Field(ge=0)] = 0
    relative_gap: Annotated[float, Field(ge=0, le=1)] = 0.0
    max_candidates_per_operation: Annotated[int, Field(ge=1, le=200)] = 12
    """Technicians and bays offered to CP-SAT per operation (the greedy's choice is always among them)."""
    whole_model_share: Annotated[float, Field(ge=0, le=1)] = 0.1
    """Share of the time CP-SAT first searches the whole day on every worker (it proves small days
    optimal and gives the bound); the rest goes to neighbourhood rounds, one per worker at a time,
    that re-solve a slice of the day each. 1.0: no rounds; 0.0: rounds only, without building the
    whole model (quick re-plans: no bound, answers within a second or two)."""
    whole_model_max_operations: Annotated[int, Field(ge=0)] = 300
    """Above this many operations the whole model is not built unless it gets all the time: on such
    days building it alone takes seconds, and the rounds use the time better."""

"""An engine's answer on the axis, before it becomes a Plan."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Placement:
    op: int
    tech_option: int | None
    """Index into Op.techs; None for unattended operations."""
    place: int
    """Index into Op.places."""
    start: int
    end: int


@dataclass
class Solution:
    placements: dict[int, Placement] = field(default_factory=dict)
    """By op index; an op without placement is unplanned."""
    unplanned: dict[int, str] = field(default_factory=dict)
    """Why an op (by index) could not be placed."""

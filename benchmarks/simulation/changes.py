"""Plan changes as technicians see them, between two consecutive plans they were shown.

A technician notices an operation of theirs that moved to another technician (the one losing it
and the one getting it each notice), or whose start moved by more than CHANGE_THRESHOLD — and only
when that work starts within VISIBLE_HORIZON of now, before or after the change: work later than
that is not on the technician's mind yet. Work already started, new work and technicians not at
work (gone home sick) notice nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, timedelta

from scheduler.plan import Plan

CHANGE_THRESHOLD = timedelta(minutes=15)
"""A start that moves by this much or less is noise on the board, not a change."""
VISIBLE_HORIZON = timedelta(hours=2)
"""How far ahead a technician looks at their own work: the next job or two."""

Key = tuple[str, str]
"""(job id, operation id)."""
Slot = tuple[str | None, datetime]
"""(technician id, start) of an operation in a plan."""


def slots(plan: Plan) -> dict[Key, Slot]:
    return {(a.job_id, a.operation_id): (a.technician_id, a.start) for a in plan.operations}


def _visible(technician: str | None, start: datetime, horizon: datetime, present: Collection[str]) -> bool:
    return technician is not None and technician in present and start < horizon


def changes_seen(
    before: dict[Key, Slot],
    after: dict[Key, Slot],
    now: datetime,
    not_started: Callable[[Key], bool],
    present: Collection[str],
) -> list[str]:
    """One technician id per change noticed (a technician noticing two changes appears twice)."""
    horizon = now + VISIBLE_HORIZON
    seen: list[str] = []
    for key, (old_tech, old_start) in before.items():
        if key not in after or not not_started(key):
            continue
        new_tech, new_start = after[key]
        if old_tech != new_tech:
            for tech, start in ((old_tech, old_start), (new_tech, new_start)):
                if _visible(tech, start, horizon, present):
                    seen.append(str(tech))
        elif abs(new_start - old_start) > CHANGE_THRESHOLD and _visible(
            new_tech, min(old_start, new_start), horizon, present
        ):
            seen.append(str(new_tech))
    return seen

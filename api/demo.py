"""The demo workshop: the dealership day of fixtures/ with its labour catalogue, moved to today,
with a known admin key."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from api.auth import Role, hash_key, store_key
from api.db.models import ApiKeyRow, WorkshopRow
from api.db.session import Database
from api.settings import Settings
from api.store.jobs import save_job
from api.store.workshops import create_workshop, parts_row, set_parts
from scheduler.common import WEEKDAYS
from scheduler.problem import Problem
from scheduler.validation import load_problem

DEMO_GROUP = "demo-dealer"
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dealership_day.json"
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _fixture(settings: Settings) -> Problem:
    path = settings.demo_fixture or FIXTURE
    if path.exists():
        return _with_catalogue(load_problem(json.loads(path.read_text(encoding="utf-8"))))
    from fixtures.dealership_day import build_dealership_day

    return build_dealership_day()


def _with_catalogue(problem: Problem) -> Problem:
    """A demo fixture without a labour catalogue gets the dealership's (the front desk quotes from it)."""
    if problem.workshop.labour_catalogue:
        return problem
    from fixtures.catalogue import labour_catalogue

    workshop = problem.workshop.model_copy(update={"labour_catalogue": labour_catalogue()})
    return problem.model_copy(update={"workshop": workshop})


def _shift(value: Any, delta: timedelta) -> Any:
    if isinstance(value, dict):
        return {k: _shift(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, delta) for v in value]
    if isinstance(value, str) and _DATETIME.match(value):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            return (moment + delta).isoformat()
    return value


def demo_day(problem: Problem, today: date) -> date:
    """Today, or the next day the workshop opens."""
    day = today
    for _ in range(14):
        if (
            WEEKDAYS[day.weekday()] in problem.workshop.opening_hours
            and day not in problem.workshop.closed_days
        ):
            break
        day += timedelta(days=1)
    return day


def demo_problem(settings: Settings, now: datetime) -> Problem:
    """The fixture with every date-time moved by whole days so that its day is today's working day."""
    problem = _fixture(settings)
    zone = ZoneInfo(problem.workshop.timezone)
    target = demo_day(problem, now.astimezone(zone).date())
    delta = timedelta(days=(target - problem.now.astimezone(zone).date()).days)
    return Problem.model_validate(_shift(problem.model_dump(mode="json"), delta))


def ensure_demo(database: Database, settings: Settings, now: datetime) -> str | None:
    """Load the demo workshop unless it is there; make sure its key works. The workshop's id when
    loaded now (the fixture's own: `demo` for the dealership day), else None."""
    problem = demo_problem(settings, now)
    with database.session() as session:
        if (
            session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_key(settings.demo_api_key)))
            is None
        ):
            store_key(session, settings.demo_api_key, name="demo admin", role=Role.ADMIN, group_id=DEMO_GROUP)
        if session.get(WorkshopRow, problem.workshop.id) is not None:
            return None
        create_workshop(session, problem.workshop, DEMO_GROUP)
        for job in problem.jobs:
            save_job(session, problem.workshop.id, job, problem.workshop.timezone, None)
        set_parts(parts_row(session, problem.workshop.id), problem.parts)
    return problem.workshop.id

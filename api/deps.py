"""Annotated dependencies shared by the routers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from api.db.session import Database
from api.settings import Settings, get_settings
from api.solving import SolveManager


@dataclass(frozen=True)
class Services:
    """What the running app holds: built at start-up, closed at shutdown (no module-level state)."""

    settings: Settings
    database: Database
    solver: SolveManager
    clock: Callable[[], datetime]


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    """A session per request; routes commit what they change, anything else rolls back."""
    with services.database.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]

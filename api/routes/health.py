"""Liveness and readiness."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import ServicesDep
from api.problems import ApiProblem, error_responses


class Health(BaseModel):
    status: Literal["ok"]


router = APIRouter(tags=["health"])


@router.get("/livez", response_model=Health)
def livez() -> Health:
    """The process answers."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses=error_responses(503))
def readyz(services: ServicesDep) -> Health:
    """The database answers."""
    try:
        services.database.ping()
    except Exception as error:
        raise ApiProblem(503, f"database unavailable: {type(error).__name__}") from error
    return Health(status="ok")

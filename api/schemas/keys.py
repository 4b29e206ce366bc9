"""API keys on the wire."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.auth import Role
from api.schemas.base import WireModel
from scheduler.common import Identifier


class KeyCreate(WireModel):
    name: str = Field(min_length=1, max_length=100)
    role: Role
    workshop_id: Identifier | None = None
    """Omitted by a dealer group's admin: a key for the whole group."""


class KeyCreated(WireModel):
    id: str
    key: str
    """Shown once: only its hash is stored."""
    name: str
    role: Role
    workshop_id: str | None
    group_id: str | None


KEY_EXAMPLE: dict[str, Any] = {"name": "DMS link", "role": "dms", "workshop_id": "demo"}

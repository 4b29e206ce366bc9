"""The base of every wire schema."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class WireModel(BaseModel):
    """Strict-keyed: an unknown field is an error that names it."""

    model_config = ConfigDict(extra="forbid")

"""The OpenAPI document, adjusted where JSON Schema's formats differ from what the service writes."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

CLOCK_TIME = {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "examples": ["08:00"]}
"""Wall-clock times of day are local, without an offset (JSON Schema's `time` format demands one)."""


def _clock_times(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            return {**{k: v for k, v in node.items() if k != "format"}, **CLOCK_TIME}
        return {k: _clock_times(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_clock_times(v) for v in node]
    return node


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = _clock_times(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

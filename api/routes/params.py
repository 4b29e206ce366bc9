"""Path and header parameters shared by the routers, with examples for the docs."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Path

WorkshopId = Annotated[str, Path(max_length=64, description="The workshop's id.", examples=["demo"])]
JobId = Annotated[str, Path(max_length=64, description="The DMS's repair order id.", examples=["RO-1001"])]
OperationId = Annotated[
    str, Path(max_length=64, description="The operation's id in its job.", examples=["10"])
]
PlanId = Annotated[str, Path(max_length=36, description="A plan id from POST .../plans.")]
IfMatch = Annotated[
    str | None,
    Header(description="The ETag last read; a stale one answers 412 Precondition Failed."),
]

"""The browser pages: the dispatch board and the advisor's desk, their static files, and a plan feed.

The pages are static: they hold no data and need no key. In the browser the user enters an API key
once (kept in the tab's sessionStorage); the pages send it as the Bearer header on every API call,
so a key sees exactly what the API lets it see. The plan feed is a server-sent event stream that
tells an open board when a new plan is queued, solved or published.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated

import anyio
from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, RedirectResponse, StreamingResponse
from sqlalchemy import select

from api.auth import PrincipalDep, visible_workshop
from api.db.models import PlanRow
from api.db.session import Database
from api.deps import ServicesDep
from api.problems import not_found
from api.routes.params import WorkshopId
from api.schemas.plans import PlanState

WEB = Path(__file__).resolve().parent.parent / "web"
_ASSET = re.compile(r"^[a-z0-9][a-z0-9_-]*\.(js|css|svg|png|ico|woff2)$")
_MEDIA = {
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "ico": "image/x-icon",
    "woff2": "font/woff2",
}
# Nothing but this origin: the pages fetch no script, style, font or data from anywhere else.
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

FEED_POLL_SECONDS = 1.0
FEED_KEEPALIVE_SECONDS = 15.0

router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    return FileResponse(WEB / name, media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/board", status_code=307)


@router.get("/board")
def board() -> FileResponse:
    """The dispatch board (工作排程看板): a timeline per technician, bay, lift or equipment unit."""
    return _page("board.html")


@router.get("/desk")
def desk() -> FileResponse:
    """The advisor's desk: promise quotes, appointment slots, supplemental work."""
    return _page("desk.html")


@router.get("/web/{name}")
def asset(name: str) -> FileResponse:
    """A script, style sheet or image of the pages (flat names only, from api/web)."""
    match = _ASSET.match(name)
    path = WEB / name
    if match is None or not path.is_file():
        raise not_found("file", name)
    return FileResponse(
        path,
        media_type=_MEDIA[match.group(1)],
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


@dataclass(frozen=True)
class PlanRef:
    id: str
    version: int
    status: str
    state: str


@dataclass(frozen=True)
class FeedState:
    """What an open board needs to know to follow the workshop's plans."""

    published: PlanRef | None
    latest: PlanRef | None
    """The newest plan of any state: queued or running while a re-plan is under way."""


def feed_state(database: Database, workshop_id: str) -> FeedState:
    columns = (PlanRow.id, PlanRow.version, PlanRow.status, PlanRow.state)
    newest = select(*columns).where(PlanRow.workshop_id == workshop_id).order_by(PlanRow.version.desc())
    with database.session() as session:
        latest = session.execute(newest.limit(1)).first()
        published = session.execute(newest.where(PlanRow.state == PlanState.PUBLISHED.value).limit(1)).first()
    return FeedState(
        published=None if published is None else PlanRef(*published),
        latest=None if latest is None else PlanRef(*latest),
    )


def _event(state: FeedState) -> str:
    return f"event: plan\ndata: {json.dumps(asdict(state), separators=(',', ':'))}\n\n"


async def _feed(database: Database, workshop_id: str, seconds: float) -> AsyncIterator[str]:
    """A plan event now and at every change; a comment now and then; the end after `seconds`.

    The stream ends by itself so that a server shutting down never waits long for an open board;
    the board reconnects at once.
    """
    yield "retry: 1000\n\n"
    end = time.monotonic() + seconds
    last: FeedState | None = None
    quiet_since = time.monotonic()
    while True:
        state = await anyio.to_thread.run_sync(feed_state, database, workshop_id)
        if state != last:
            last, quiet_since = state, time.monotonic()
            yield _event(state)
        elif time.monotonic() - quiet_since >= FEED_KEEPALIVE_SECONDS:
            quiet_since = time.monotonic()
            yield ": still here\n\n"
        if time.monotonic() >= end:
            return
        await anyio.sleep(FEED_POLL_SECONDS)


@router.get("/v1/workshops/{workshop_id}/plan-feed")
def plan_feed(
    workshop_id: WorkshopId,
    services: ServicesDep,
    principal: PrincipalDep,
    seconds: Annotated[float, Query(ge=1, le=300, description="End the stream after this long.")] = 25,
) -> StreamingResponse:
    """Server-sent events (`event: plan`): the published and the newest plan, at once and on change."""
    with services.database.session() as session:
        visible_workshop(session, principal, workshop_id)
    return StreamingResponse(
        _feed(services.database, workshop_id, seconds),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )

"""Errors as application/problem+json (RFC 9457), naming the field and the reason."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from scheduler.validation import structural_issue

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("api.errors")


class FieldError(BaseModel):
    path: str
    """Dotted path of the offending field, e.g. `body.operations[0].standard_minutes`."""
    message: str


class ProblemDetails(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str | None = None
    errors: list[FieldError] = []


class ApiProblem(Exception):
    """Raised anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str = "",
        *,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers or {}


def not_found(what: str, ident: str) -> ApiProblem:
    return ApiProblem(404, f"{what} {ident!r} not found")


def format_path(location: Iterable[Any]) -> str:
    """('body', 'operations', 0, 'skill') -> 'body.operations[0].skill'."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def validation_errors(errors: Iterable[Any], prefix: Sequence[Any] = ()) -> list[FieldError]:
    """Pydantic errors as field errors; FastAPI's loc already starts with body/query/path/header."""
    fields: list[FieldError] = []
    for error in errors:
        loc = [part for part in error.get("loc", ()) if not _is_union_tag(part)]
        fields.append(FieldError(path=format_path([*prefix, *loc]), message=structural_issue(error).message))
    return fields


def _is_union_tag(part: Any) -> bool:
    """Discriminated unions put the tag (e.g. 'vehicle.arrived') into the location: drop it."""
    return isinstance(part, str) and "." in part


def problem_response(
    request: Request, problem: ProblemDetails, headers: dict[str, str] | None = None
) -> JSONResponse:
    problem.instance = problem.instance or request.url.path
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        headers=headers,
        media_type=PROBLEM_JSON,
    )


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


async def _api_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    body = ProblemDetails(title=_title(exc.status), status=exc.status, detail=exc.detail, errors=exc.errors)
    return problem_response(request, body, exc.headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    body = ProblemDetails(title=_title(exc.status_code), status=exc.status_code, detail=str(exc.detail))
    return problem_response(request, body, dict(exc.headers or {}))


async def _request_invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = validation_errors(exc.errors())
    detail = "; ".join(f"{e.path}: {e.message}" for e in errors[:3])
    body = ProblemDetails(title="Unprocessable Content", status=422, detail=detail, errors=errors)
    return problem_response(request, body)


async def _domain_invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ValidationError)
    errors = validation_errors(exc.errors(), prefix=("body",))
    body = ProblemDetails(title="Unprocessable Content", status=422, detail=str(exc.title), errors=errors)
    return problem_response(request, body)


async def _stale(request: Request, exc: Exception) -> JSONResponse:
    detail = "the resource was changed by another request meanwhile; read it again"
    return problem_response(request, ProblemDetails(title=_title(412), status=412, detail=detail))


async def _conflict(request: Request, exc: Exception) -> JSONResponse:
    detail = "a concurrent request created the same resource; read it again"
    return problem_response(request, ProblemDetails(title=_title(409), status=409, detail=detail))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    body = ProblemDetails(title="Internal Server Error", status=500, detail="unexpected error; see the logs")
    return problem_response(request, body)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiProblem, _api_problem)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(ValidationError, _domain_invalid)
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(IntegrityError, _conflict)
    app.add_exception_handler(Exception, _unexpected)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem answers a route may give."""
    return {
        status: {
            "model": ProblemDetails,
            "description": _title(status),
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}},
        }
        for status in statuses
    }

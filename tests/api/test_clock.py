"""The service's clock set per request with X-Bayplan-Now: honoured only when the settings allow it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.api import data
from tests.api.conftest import Api, StartApi, test_settings

H1 = "2026-11-23T07:30:00+08:00"
H2 = "2026-11-23T08:05:00+08:00"
ARRIVED = {"events": [{"id": "e1", "type": "vehicle.arrived", "job_id": "RO-1"}]}
"""The car drives in; the event does not say when, so it is the service's now."""


@pytest.fixture
def allowed(start_api: StartApi, sqlite_url: str) -> Iterator[Api]:
    with start_api(test_settings(sqlite_url, allow_clock_override=True), own_clock=True) as api:
        yield api


@pytest.fixture
def not_allowed(start_api: StartApi, sqlite_url: str) -> Iterator[Api]:
    with start_api(test_settings(sqlite_url), own_clock=True) as api:
        yield api


def _at(api: Api, moment: str) -> dict[str, str]:
    return {**api.admin, "X-Bayplan-Now": moment}


def _published(api: Api) -> dict[str, Any]:
    api.wait()
    response = api.client.get("/v1/workshops/w1/plan", headers=api.admin)
    assert response.status_code == 200, response.text
    plan: dict[str, Any] = response.json()["plan"]
    return plan


def test_the_header_sets_now_when_allowed(allowed: Api) -> None:
    created = allowed.client.post("/v1/workshops", json=data.workshop(), headers=_at(allowed, H1))
    assert created.status_code == 201, created.text
    assert _published(allowed)["horizon_start"] == H1  # the first plan was made at H1

    booked = allowed.client.post("/v1/workshops/w1/jobs", json=data.job(), headers=_at(allowed, H1))
    assert booked.status_code == 201, booked.text
    answer = allowed.client.post("/v1/workshops/w1/events", json=ARRIVED, headers=_at(allowed, H2))
    assert answer.status_code == 200, answer.text
    job = allowed.client.get("/v1/workshops/w1/jobs/RO-1", headers=allowed.admin).json()
    assert job["arrived_at"] == H2 and job["status"] == "arrived"
    plan = _published(allowed)  # asked without the header: now stays the latest one sent
    assert plan["horizon_start"] == H2
    assert all(op["start"] >= H2 for op in plan["operations"])


def test_the_header_is_ignored_when_not_allowed(not_allowed: Api) -> None:
    before = datetime.now(UTC)
    created = not_allowed.client.post("/v1/workshops", json=data.workshop(), headers=_at(not_allowed, H1))
    assert created.status_code == 201, created.text
    walk_in = data.job(appointment_at=None, promised_at=None)  # whatever day it is now
    booked = not_allowed.client.post("/v1/workshops/w1/jobs", json=walk_in, headers=not_allowed.admin)
    assert booked.status_code == 201, booked.text
    answer = not_allowed.client.post(
        "/v1/workshops/w1/events", json=ARRIVED, headers=_at(not_allowed, "not a time")
    )
    assert answer.status_code == 200, answer.text  # not even read, so not refused
    job = not_allowed.client.get("/v1/workshops/w1/jobs/RO-1", headers=not_allowed.admin).json()
    assert before <= datetime.fromisoformat(job["arrived_at"]) <= datetime.now(UTC)
    assert datetime.fromisoformat(_published(not_allowed)["horizon_start"]) >= before


@pytest.mark.parametrize("moment", ["yesterday", "2026-11-23T08:05:00", "2026-11-23 25:00+08:00"])
def test_a_malformed_header_is_422_naming_it_and_changes_nothing(allowed: Api, moment: str) -> None:
    response = allowed.client.post("/v1/workshops", json=data.workshop(), headers=_at(allowed, moment))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["path"] == "header.X-Bayplan-Now" and "UTC offset" in error["message"]
    assert allowed.client.get("/v1/workshops/w1", headers=allowed.admin).status_code == 404

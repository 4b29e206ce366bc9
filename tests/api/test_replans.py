"""Re-plans that changes trigger start from the published plan and run for the short re-plan limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api import data
from tests.api.conftest import Api, StartApi, test_settings


@pytest.fixture
def quick(start_api: StartApi, sqlite_url: str) -> Iterator[Api]:
    settings = test_settings(sqlite_url, solve_time_limit_seconds=4.0, replan_time_limit_seconds=0.5)
    with start_api(settings) as api:
        api.create_workshop()
        api.wait()
        yield api


def _latest(api: Api) -> dict[str, object]:
    api.wait()
    items = api.client.get("/v1/workshops/w1/plans", headers=api.admin).json()["items"]
    plan = api.client.get(f"/v1/workshops/w1/plans/{items[0]['id']}", headers=api.admin).json()
    assert isinstance(plan, dict)
    return plan


def test_triggered_replans_are_short_and_start_from_the_published_plan(quick: Api) -> None:
    first = _latest(quick)
    assert first["time_limit_seconds"] == 4.0  # nothing was published: the first plan takes its time
    assert first["plan"]["changes"] is None  # type: ignore[index]
    response = quick.client.post("/v1/workshops/w1/jobs", json=data.job("RO-1"), headers=quick.admin)
    assert response.status_code == 201
    replan = _latest(quick)
    assert replan["version"] == 2 and replan["time_limit_seconds"] == 0.5
    assert replan["plan"]["changes"] is not None  # type: ignore[index]


def test_a_solve_asked_for_takes_the_solve_limit_or_its_own(quick: Api) -> None:
    asked = quick.client.post("/v1/workshops/w1/plans", headers=quick.admin).json()
    quick.wait()
    plan = quick.client.get(f"/v1/workshops/w1/plans/{asked['plan_id']}", headers=quick.admin).json()
    assert plan["time_limit_seconds"] == 4.0
    own = quick.client.post(
        "/v1/workshops/w1/plans", json={"time_limit_seconds": 2}, headers=quick.admin
    ).json()
    quick.wait()
    plan = quick.client.get(f"/v1/workshops/w1/plans/{own['plan_id']}", headers=quick.admin).json()
    assert plan["time_limit_seconds"] == 2.0

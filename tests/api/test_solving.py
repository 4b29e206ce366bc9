"""Solves run in the process pool; triggers coalesce; stop keeps the best plan; reads go on meanwhile."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.api import data
from tests.api.conftest import Api, StartApi, test_settings
from tests.api.planners import held_planner


@pytest.fixture
def held(start_api: StartApi, sqlite_url: str) -> Iterator[Api]:
    with start_api(test_settings(sqlite_url), planner=held_planner) as running:
        running.create_workshop()
        running.wait("w1")
        yield running


def _solve(api: Api, seconds: float) -> str:
    response = api.client.post(
        "/v1/workshops/w1/plans", json={"time_limit_seconds": seconds}, headers=api.admin
    )
    assert response.status_code == 202, response.text
    plan_id: str = response.json()["plan_id"]
    return plan_id


def _status(api: Api, plan_id: str) -> dict[str, Any]:
    result: dict[str, Any] = api.client.get(f"/v1/workshops/w1/plans/{plan_id}", headers=api.admin).json()
    return result


def _wait_for(condition: Callable[[], object], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_reads_answer_while_a_solve_runs_and_stop_keeps_the_best_plan(held: Api) -> None:
    plan_id = _solve(held, 60)
    _wait_for(lambda: _status(held, plan_id)["status"] == "running" and _status(held, plan_id)["plan"])
    began = time.monotonic()
    assert held.client.get("/livez").status_code == 200
    assert held.client.get("/v1/workshops/w1/plan", headers=held.admin).status_code == 200
    assert held.client.get("/v1/workshops/w1/jobs", headers=held.admin).status_code == 200
    assert time.monotonic() - began < 2
    best = _status(held, plan_id)["plan"]
    stopped = held.client.delete(f"/v1/workshops/w1/plans/{plan_id}", headers=held.admin)
    assert stopped.status_code == 200
    _wait_for(lambda: _status(held, plan_id)["status"] == "stopped")
    final = _status(held, plan_id)
    assert final["plan"]["operations"] == best["operations"] and final["state"] == "published"
    again = held.client.delete(f"/v1/workshops/w1/plans/{plan_id}", headers=held.admin)
    assert again.status_code == 409


def test_triggers_during_a_solve_coalesce_into_one_follow_up(held: Api) -> None:
    running = _solve(held, 60)
    _wait_for(lambda: _status(held, running)["status"] == "running")
    follow_ups = set()
    for number in range(3):
        job = data.job(f"RO-{number}")
        response = held.client.post("/v1/workshops/w1/jobs", json=job, headers=held.admin)
        assert response.status_code == 201
        event = {"id": f"e{number}", "type": "vehicle.arrived", "job_id": f"RO-{number}"}
        batch = held.client.post("/v1/workshops/w1/events", json={"events": [event]}, headers=held.admin)
        follow_ups.add(batch.json()["plan_id"])
    solve = held.client.post("/v1/workshops/w1/plans", headers=held.admin).json()
    assert solve["coalesced"] is True
    follow_ups.add(solve["plan_id"])
    assert len(follow_ups) == 1
    [follow_up] = follow_ups
    assert _status(held, follow_up)["status"] == "queued"
    held.client.delete(f"/v1/workshops/w1/plans/{running}", headers=held.admin)
    held.wait("w1")
    history = held.client.get("/v1/workshops/w1/plans", headers=held.admin).json()["items"]
    assert [p["version"] for p in history] == [3, 2, 1]  # the workshop's first plan, the solve, one follow-up
    assert history[0]["id"] == follow_up and history[0]["status"] == "done"
    plan = held.client.get("/v1/workshops/w1/plan", headers=held.admin).json()
    assert plan["id"] == follow_up
    assert {a["job_id"] for a in plan["plan"]["operations"]} == {"RO-0", "RO-1", "RO-2"}


def test_stopping_a_queued_solve_cancels_it(held: Api) -> None:
    running = _solve(held, 60)
    queued = _solve(held, 1)
    assert _status(held, queued)["status"] == "queued"
    assert held.client.delete(f"/v1/workshops/w1/plans/{queued}", headers=held.admin).status_code == 200
    assert _status(held, queued)["status"] == "cancelled"
    held.client.delete(f"/v1/workshops/w1/plans/{running}", headers=held.admin)
    held.wait("w1")
    assert [
        p["status"] for p in held.client.get("/v1/workshops/w1/plans", headers=held.admin).json()["items"]
    ] == [
        "cancelled",
        "stopped",
        "done",
    ]


def test_the_real_cp_sat_engine_solves_through_the_pool(start_api: StartApi, sqlite_url: str) -> None:
    with start_api(test_settings(sqlite_url)) as api:
        api.create_workshop()
        api.client.post("/v1/workshops/w1/jobs", json=data.job(), headers=api.admin)
        plan_id = api.client.post(
            "/v1/workshops/w1/plans", json={"engine": "cp-sat", "time_limit_seconds": 2}, headers=api.admin
        ).json()["plan_id"]
        api.wait("w1")
        status = _status(api, plan_id)
        assert status["status"] == "done" and status["engine"] == "cp-sat"
        assert status["solve_status"] in ("optimal", "feasible")
        assert [a["job_id"] for a in status["plan"]["operations"]] == ["RO-1"]

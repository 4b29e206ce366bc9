"""The app as a whole: a restart keeps everything; OpenAPI documents every body with an example."""

from __future__ import annotations

from sqlalchemy import update

from api.db.models import PlanRow
from tests.api import data
from tests.api.conftest import StartApi, test_settings
from tests.api.planners import held_planner


def test_a_restart_loses_nothing(start_api: StartApi, database_url: str) -> None:
    settings = test_settings(database_url)
    event = {
        "id": "e1",
        "type": "vehicle.arrived",
        "job_id": "RO-1",
        "occurred_at": "2026-11-23T08:01:00+08:00",
    }
    with start_api(settings) as first:
        first.create_workshop()
        first.client.post("/v1/workshops/w1/jobs", json=data.job(), headers=first.admin)
        answer = first.client.post(
            "/v1/workshops/w1/events", json={"events": [event]}, headers=first.admin
        ).json()
        first.client.put(
            "/v1/workshops/w1/parts",
            json={"stock": [{"part_number": "P1", "on_hand": 1}]},
            headers=first.admin,
        )
        first.wait()
        before = {
            url: first.client.get(url, headers=first.admin).json()
            for url in (
                "/v1/workshops/w1",
                "/v1/workshops/w1/parts",
                "/v1/workshops/w1/jobs/RO-1",
                "/v1/workshops/w1/plan",
                "/v1/workshops/w1/plans",
            )
        }
    with start_api(settings) as second:
        for url, body in before.items():
            assert second.client.get(url, headers=second.admin).json() == body, url
        replay = second.client.post("/v1/workshops/w1/events", json={"events": [event]}, headers=second.admin)
        assert replay.json()["results"] == answer["results"] and replay.json()["replayed"] == ["e1"]


def test_a_solve_cut_off_by_a_crash_is_solved_again(start_api: StartApi, sqlite_url: str) -> None:
    settings = test_settings(sqlite_url)
    with start_api(settings) as first:
        first.create_workshop()
        first.wait()
        with first.services.database.session() as session:  # as if the process died mid-solve
            session.execute(update(PlanRow).values(status="running", finished_at=None))
    with start_api(settings) as second:
        second.wait()
        history = second.client.get("/v1/workshops/w1/plans", headers=second.admin).json()["items"]
        assert [(p["version"], p["status"]) for p in history] == [(2, "done"), (1, "interrupted")]
        assert history[0]["trigger"] == "re-plan after a restart"


def test_stopping_the_app_stops_its_solves_and_keeps_their_plans(
    start_api: StartApi, sqlite_url: str
) -> None:
    settings = test_settings(sqlite_url)
    with start_api(settings, planner=held_planner) as first:
        first.create_workshop()
        first.wait()
        plan_id = first.client.post(
            "/v1/workshops/w1/plans", json={"time_limit_seconds": 120}, headers=first.admin
        ).json()["plan_id"]
    with start_api(settings) as second:
        plan = second.client.get(f"/v1/workshops/w1/plans/{plan_id}", headers=second.admin).json()
        assert plan["status"] == "stopped" and plan["plan"] is not None


def test_openapi_has_an_example_for_every_request_body(start_api: StartApi, sqlite_url: str) -> None:
    with start_api(test_settings(sqlite_url)) as api:
        schema = api.client.get("/openapi.json").json()
    bodies = 0
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if "requestBody" in operation:
                bodies += 1
                content = operation["requestBody"]["content"]["application/json"]
                assert content.get("examples") or content.get("example"), (method, path)
    assert bodies >= 10
    assert schema["components"]["securitySchemes"].keys() == {"APIKeyHeader", "HTTPBearer"}

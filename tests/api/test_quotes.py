"""Promise quotes and appointment slots through the API: answers, and nothing stored changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from api.auth import Role
from api.demo import demo_problem
from api.settings import Settings
from fixtures import load_fixture
from fixtures.catalogue import labour_catalogue
from tests.api.conftest import Api, StartApi, test_settings
from tests.api.frontdesk import assert_published_plan_valid, book, desk_workshop, snapshot

QUOTES = "/v1/workshops/w1/quotes"
OIL_AND_PADS: dict[str, Any] = {
    "work": [{"labour_code": "BRK"}, {"labour_code": "OIL"}, {"labour_code": "CHECK"}]
}


@pytest.fixture
def desk(api: Api) -> Api:
    """w1 with a labour catalogue and a morning's jobs, planned and published."""
    api.create_workshop(desk_workshop())
    book(api, "RO-1", [("10", 120, "maintenance")], promised_at="2026-11-23T11:00:00+08:00")
    book(api, "RO-2", [("10", 90, "brakes_chassis")], promised_at="2026-11-23T12:00:00+08:00")
    assert_published_plan_valid(api)
    return api


def test_a_quote_answers_the_promise_and_changes_nothing(desk: Api) -> None:
    before = snapshot(desk)
    response = desk.client.post(QUOTES, json={**OIL_AND_PADS, "customer_waiting": True}, headers=desk.admin)
    assert response.status_code == 200, response.text
    quote = response.json()
    assert quote["arrival_at"] == "2026-11-23T08:00:00+08:00"  # asked at 07:30: the next opening
    by_id = {op["operation_id"]: op["labour_code"] for op in quote["operations"]}
    assert by_id == {"Q-01": "BRK", "Q-02": "OIL", "Q-03": "CHECK"}  # in the flow: the check last
    assert quote["operations"][-1]["labour_code"] == "CHECK"
    completion = datetime.fromisoformat(quote["predicted_completion"])
    promise = datetime.fromisoformat(quote["promise_at"])
    assert completion == max(datetime.fromisoformat(op["end"]) for op in quote["operations"])
    assert promise.minute % 15 == 0 and (promise - completion).total_seconds() / 60 == quote["margin_minutes"]
    assert (
        quote["margin_minutes"] >= 30
        and quote["based_on_plan_version"] == before["plans"]["items"][0]["version"]
    )
    assert snapshot(desk) == before


def test_a_quote_fits_around_the_published_plan(desk: Api) -> None:
    plan = desk.client.get("/v1/workshops/w1/plan", headers=desk.admin).json()["plan"]
    quote = desk.client.post(QUOTES, json=OIL_AND_PADS, headers=desk.admin).json()
    for new in quote["operations"]:
        for old in plan["operations"]:
            overlap = new["start"] < old["end"] and old["start"] < new["end"]
            assert not (overlap and new["technician_id"] == old["technician_id"]), (new, old)
            assert not (overlap and new["bay_id"] and new["bay_id"] == old["bay_id"]), (new, old)


def test_a_quote_at_a_given_arrival_and_with_a_part_on_order(desk: Api) -> None:
    body = {
        **OIL_AND_PADS,
        "arrival": "2026-11-23T10:00:00+08:00",
        "parts": [{"part_number": "BP-1", "eta": "2026-11-23T14:00:00+08:00"}],
    }
    quote = desk.client.post(QUOTES, json=body, headers=desk.admin).json()
    assert quote["arrival_at"] == "2026-11-23T10:00:00+08:00"
    pads = next(op for op in quote["operations"] if op["labour_code"] == "BRK")
    assert pads["start"] >= "2026-11-23T14:00:00+08:00"
    assert any("BP-1" in reason for reason in quote["reasons"]), quote["reasons"]


def test_slots_cover_the_opening_hours_and_change_nothing(desk: Api) -> None:
    before = snapshot(desk)
    body = {**OIL_AND_PADS, "day": "2026-11-23", "slot_minutes": 60}
    response = desk.client.post(f"{QUOTES}/slots", json=body, headers=desk.admin)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["day"] == "2026-11-23"
    assert [s["arrival_at"][11:16] for s in answer["slots"]] == [f"{h:02d}:00" for h in range(8, 18)]
    assert {s["grade"] for s in answer["slots"]} <= {"best", "good", "fair", "poor", "unavailable"}
    assert "best" in {s["grade"] for s in answer["slots"]}
    assert all(not s["breaks_promise"] and s["broken_promises"] == [] for s in answer["slots"])
    assert snapshot(desk) == before


def test_a_slot_that_would_break_a_promise_is_marked(api: Api) -> None:
    """T1 alone does X's engine work (promised 10:45); brakes go to T1 in an hour or to T2 in two.
    Nothing is published (auto_publish off), so X is free to move."""
    technicians = [
        {"id": "T1", "skills": [{"skill": "engine", "level": 2}, {"skill": "brakes_chassis", "level": 2}]},
        {"id": "T2", "skills": [{"skill": "brakes_chassis", "level": 2}], "efficiency": 0.5},
    ]
    api.create_workshop(
        desk_workshop(technicians=technicians, settings={"horizon_days": 1, "auto_publish": False})
    )
    book(api, "X", [("10", 120, "engine")], promised_at="2026-11-23T10:45:00+08:00")
    api.wait()
    body = {"work": [{"labour_code": "BRK"}], "day": "2026-11-23", "slot_minutes": 60}
    slots = api.client.post(f"{QUOTES}/slots", json=body, headers=api.admin).json()["slots"]
    by_time = {s["arrival_at"][11:16]: s for s in slots}
    assert by_time["08:00"]["breaks_promise"] and by_time["08:00"]["broken_promises"] == ["X"]
    assert by_time["08:00"]["grade"] == "poor" and by_time["08:00"]["moved_jobs"] == 1
    assert not by_time["09:00"]["breaks_promise"] and by_time["09:00"]["grade"] != "poor"


def test_an_unknown_labour_code_is_422_naming_the_item(desk: Api) -> None:
    body = {"work": [{"labour_code": "OIL"}, {"labour_code": "OIL-CHANGE"}]}
    for path in (QUOTES, f"{QUOTES}/slots"):
        extra = {"day": "2026-11-23"} if path.endswith("slots") else {}
        response = desk.client.post(path, json={**body, **extra}, headers=desk.admin)
        assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
        [error] = response.json()["errors"]
        assert error["path"] == "body.work[1].labour_code" and "OIL-CHANGE" in error["message"]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (
            {"work": [{"operation": {"standard_minutes": 30, "skill": "hvac"}}]},
            "body.work[0].operation.skill",
        ),
        ({"work": [{"labour_code": "OIL", "operation": {"standard_minutes": 30}}]}, "body.work[0]"),
        ({"work": []}, "body.work"),
        ({"work": [{"labour_code": "OIL"}], "arrival": "2026-11-23T06:00:00+08:00"}, "body.arrival"),
        ({"work": [{"labour_code": "OIL"}], "arrival": "tomorrow"}, "body.arrival"),
    ],
)
def test_bad_quotes_name_the_field(desk: Api, body: dict[str, Any], path: str) -> None:
    response = desk.client.post(QUOTES, json=body, headers=desk.admin)
    assert response.status_code == 422, response.text
    assert path in [e["path"] for e in response.json()["errors"]] or any(
        e["path"].startswith(path) for e in response.json()["errors"]
    ), response.json()


def test_slots_of_a_past_day_are_422(desk: Api) -> None:
    response = desk.client.post(
        f"{QUOTES}/slots", json={**OIL_AND_PADS, "day": "2026-11-20"}, headers=desk.admin
    )
    assert response.status_code == 422 and response.json()["errors"][0]["path"] == "body.day"


def test_roles_and_workshops(desk: Api) -> None:
    desk.create_workshop(desk_workshop("w2"))
    foreign = desk.key(Role.ADMIN, workshop_id="w2")
    assert desk.client.post(QUOTES, json=OIL_AND_PADS, headers=foreign).status_code == 404
    assert desk.client.get("/v1/workshops/w1/labour-catalogue", headers=foreign).status_code == 404
    dms = desk.key(Role.DMS, workshop_id="w1")
    assert desk.client.post(QUOTES, json=OIL_AND_PADS, headers=dms).status_code == 403
    advisor = desk.key(Role.ADVISOR, workshop_id="w1")
    assert desk.client.post(QUOTES, json=OIL_AND_PADS, headers=advisor).status_code == 200
    catalogue = desk.client.get("/v1/workshops/w1/labour-catalogue", headers=dms)
    assert [item["code"] for item in catalogue.json()["items"]] == ["OIL", "BRK", "CHECK"]
    assert catalogue.json()["items"][2]["kind"] == "inspection"


@pytest.fixture
def demo(start_api: StartApi, database_url: str) -> Iterator[Api]:
    settings = test_settings(database_url, load_demo=True, startup_wait_seconds=60)
    with start_api(settings) as running:
        yield running


def test_a_quote_on_the_demo_day_keeps_every_assignment_and_promise(demo: Api) -> None:
    headers = {"Authorization": "Bearer bayplan-demo-key"}
    assert_published_plan_valid(demo, "demo")
    before = snapshot(demo, "demo", headers)
    plan = demo.client.get("/v1/workshops/demo/plan", headers=headers).json()["plan"]
    body = {"work": [{"labour_code": "MNT-30K"}, {"labour_code": "BRK-PAD-F"}, {"labour_code": "QC-LANE"}]}
    quote = demo.client.post("/v1/workshops/demo/quotes", json=body, headers=headers).json()
    assert quote["predicted_completion"] and quote["reasons"]
    busy = {(a["technician_id"], a["start"], a["end"]) for a in plan["operations"]}
    for new in quote["operations"]:
        assert not any(t == new["technician_id"] and s < new["end"] and new["start"] < e for t, s, e in busy)
    assert snapshot(demo, "demo", headers) == before


def test_a_demo_fixture_without_catalogue_gets_the_dealerships(tmp_path: Path) -> None:
    day = load_fixture("dealership_day")
    bare = day.model_copy(update={"workshop": day.workshop.model_copy(update={"labour_catalogue": []})})
    path = tmp_path / "day.json"
    path.write_text(bare.model_dump_json(), encoding="utf-8")
    problem = demo_problem(Settings(demo_fixture=path), day.now)
    assert [c.code for c in problem.workshop.labour_catalogue] == [c.code for c in labour_catalogue()]
    assert demo_problem(Settings(), day.now).workshop.labour_catalogue == day.workshop.labour_catalogue

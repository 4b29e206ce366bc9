"""Supplemental work through the API: preview, then the customer's answer."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from api.auth import Role
from scheduler.plan import Plan
from tests.api.conftest import Api, StartApi, test_settings
from tests.api.frontdesk import assert_published_plan_valid, book, desk_workshop, published, snapshot

JOB = "/v1/workshops/w1/jobs/RO-1"
SUPPLEMENTAL = f"{JOB}/supplemental"
SUPPLEMENTAL_PATH = "/v1/workshops/{workshop_id}/jobs/{job_id}/supplemental"
PADS: dict[str, Any] = {"work": [{"labour_code": "BRK"}], "note": "front pads at 2 mm"}


RO_1: dict[str, Any] = {
    "appointment_at": "2026-11-23T08:00:00+08:00",
    "promised_at": "2026-11-23T10:00:00+08:00",
    "operations": [
        {"id": "10", "labour_code": "OIL", "standard_minutes": 30, "skill": "maintenance"},
        {
            "id": "20",
            "labour_code": "CHECK",
            "standard_minutes": 10,
            "skill": "maintenance",
            "bay_capability": None,
            "predecessors": ["10"],
        },
    ],
}
"""RO-1 as the DMS knows it: oil service then the final check (promised 10:00)."""


def _day(api: Api) -> Api:
    """RO-1 (see RO_1); three other jobs."""
    api.create_workshop(desk_workshop(technicians=_technicians()))
    api.client.post("/v1/workshops/w1/jobs", json={"id": "RO-1", **RO_1}, headers=api.admin)
    book(api, "RO-2", [("10", 60, "brakes_chassis")], promised_at="2026-11-23T12:00:00+08:00")
    book(api, "RO-3", [("10", 120, "engine")], promised_at="2026-11-23T17:00:00+08:00")
    book(api, "RO-4", [("10", 45, "maintenance")], promised_at="2026-11-23T16:00:00+08:00")
    assert_published_plan_valid(api)
    return api


def _technicians() -> list[dict[str, Any]]:
    return [
        {"id": "T1", "skills": [{"skill": "maintenance", "level": 2}]},
        {
            "id": "T2",
            "skills": [{"skill": "brakes_chassis", "level": 2}, {"skill": "maintenance", "level": 1}],
        },
        {"id": "T3", "skills": [{"skill": "engine", "level": 2}]},
    ]


@pytest.fixture
def day(api: Api) -> Api:
    return _day(api)


def _propose(api: Api, body: dict[str, Any] = PADS, headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = api.client.post(SUPPLEMENTAL, json=body, headers=headers or api.admin)
    assert response.status_code == 201, response.text
    proposal: dict[str, Any] = response.json()
    assert response.headers["location"] == f"{SUPPLEMENTAL}/{proposal['id']}"
    return proposal


def test_a_preview_shows_the_delay_and_changes_no_plan(day: Api) -> None:
    before = snapshot(day)
    proposal = _propose(day)
    assert proposal["status"] == "pending" and proposal["job_id"] == "RO-1"
    assert proposal["operation_ids"] == ["RO-1-S1"] and proposal["note"] == "front pads at 2 mm"
    assert proposal["promised_at"] == "2026-11-23T10:00:00+08:00"
    assert proposal["predicted_completion"] > proposal["predicted_completion_before"]
    assert proposal["based_on_plan_version"] == before["plans"]["items"][0]["version"]
    assert proposal["plan_id"] is None and proposal["decided_at"] is None
    after = snapshot(day)
    assert after["plans"] == before["plans"] and after["plan"] == before["plan"]
    job = day.client.get(JOB, headers=day.admin).json()
    new = next(op for op in job["operations"] if op["id"] == "RO-1-S1")
    assert new["approval"] == "pending" and new["labour_code"] == "BRK"
    check = next(op for op in job["operations"] if op["id"] == "20")
    assert check["predecessors"] == ["10", "RO-1-S1"]  # the final check waits for the new work
    assert day.client.get(f"{SUPPLEMENTAL}/{proposal['id']}", headers=day.admin).json() == proposal
    assert day.client.get(SUPPLEMENTAL, headers=day.admin).json()["items"] == [proposal]


def _assignments(plan: Plan) -> dict[tuple[str, str], tuple[str | None, str | None, str]]:
    return {
        (a.job_id, a.operation_id): (a.technician_id, a.bay_id, a.start.isoformat()) for a in plan.operations
    }


def test_approval_replans_and_moves_only_what_it_must(day: Api) -> None:
    before = published(day)
    version = snapshot(day)["plans"]["items"][0]["version"]
    proposal = _propose(day)
    response = day.client.post(f"{SUPPLEMENTAL}/{proposal['id']}/approve", headers=day.admin)
    assert response.status_code == 200, response.text
    decision = response.json()
    assert decision["status"] == "approved" and decision["plan_id"]
    assert decision["plan_version"] == version + 1
    after = assert_published_plan_valid(day)
    plan_row = day.client.get(f"/v1/workshops/w1/plans/{decision['plan_id']}", headers=day.admin).json()
    assert plan_row["state"] == "published" and plan_row["version"] == decision["plan_version"]
    assert after.assignment("RO-1", "RO-1-S1") is not None
    forecast = next(f for f in after.jobs if f.job_id == "RO-1")
    assert (
        forecast.completion is not None
        and forecast.completion.isoformat() >= proposal["predicted_completion"]
    )
    moved = {m["job_id"] for m in proposal["moved_jobs"]} | {"RO-1"}
    old, new = _assignments(before), _assignments(after)
    unaffected = {key: where for key, where in old.items() if key[0] not in moved}
    assert unaffected and all(new[key] == where for key, where in unaffected.items())
    again = day.client.post(f"{SUPPLEMENTAL}/{proposal['id']}/decline", headers=day.admin)
    assert again.status_code == 409


@pytest.mark.parametrize("answer", ["decline", "defer"])
def test_a_decline_or_deferral_leaves_the_plan_byte_for_byte(day: Api, answer: str) -> None:
    proposal = _propose(day)
    before = snapshot(day)
    response = day.client.post(f"{SUPPLEMENTAL}/{proposal['id']}/{answer}", headers=day.admin)
    assert response.status_code == 200, response.text
    decision = response.json()
    status = {"decline": "declined", "defer": "deferred"}[answer]
    assert decision == {
        "id": proposal["id"],
        "status": status,
        "plan_id": None,
        "plan_version": before["plans"]["items"][0]["version"],
    }
    after = snapshot(day)
    assert after["plan"] == before["plan"] and after["plans"] == before["plans"]
    job = day.client.get(JOB, headers=day.admin).json()
    assert next(op for op in job["operations"] if op["id"] == "RO-1-S1")["approval"] == status
    stored = day.client.get(f"{SUPPLEMENTAL}/{proposal['id']}", headers=day.admin).json()
    assert stored["status"] == status and stored["decided_at"]
    for second in ("approve", "decline", "defer"):
        assert (
            day.client.post(f"{SUPPLEMENTAL}/{proposal['id']}/{second}", headers=day.admin).status_code == 409
        )


def test_bad_work_is_422_naming_the_field_and_stores_nothing(day: Api) -> None:
    before = snapshot(day)
    bad = {"work": [{"labour_code": "BRK"}, {"labour_code": "BRAKES-XL"}]}
    response = day.client.post(SUPPLEMENTAL, json=bad, headers=day.admin)
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["path"] == "body.work[1].labour_code" and "BRAKES-XL" in error["message"]
    skill = {"work": [{"operation": {"text": "Wipers", "standard_minutes": 10, "skill": "hvac"}}]}
    response = day.client.post(SUPPLEMENTAL, json=skill, headers=day.admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "body.work[0].operation.skill"
    assert snapshot(day) == before
    assert day.client.get(SUPPLEMENTAL, headers=day.admin).json()["items"] == []


def test_roles_foreign_keys_and_unknown_ids(day: Api) -> None:
    day.create_workshop(desk_workshop("w2"))
    foreign = day.key(Role.ADMIN, workshop_id="w2")
    assert day.client.post(SUPPLEMENTAL, json=PADS, headers=foreign).status_code == 404
    assert day.client.get(SUPPLEMENTAL, headers=foreign).status_code == 404
    assert (
        day.client.post("/v1/workshops/w1/jobs/RO-404/supplemental", json=PADS, headers=day.admin).status_code
        == 404
    )
    dms = day.key(Role.DMS, workshop_id="w1")
    proposal = _propose(day, headers=dms)  # found by the technician, sent by the DMS
    assert day.client.post(f"{SUPPLEMENTAL}/{proposal['id']}/approve", headers=foreign).status_code == 404
    assert day.client.post(f"{SUPPLEMENTAL}/S-unknown/approve", headers=dms).status_code == 404
    assert day.client.post(f"{SUPPLEMENTAL}/{proposal['id']}/defer", headers=dms).status_code == 200
    cancelled = day.client.post(f"{JOB}/cancel", headers=day.admin)
    assert cancelled.status_code == 200
    assert day.client.post(SUPPLEMENTAL, json=PADS, headers=day.admin).status_code == 409


def test_a_stale_etag_is_412(day: Api) -> None:
    etag = day.client.get(JOB, headers=day.admin).headers["etag"]
    _propose(day)
    response = day.client.post(SUPPLEMENTAL, json=PADS, headers={**day.admin, "If-Match": etag})
    assert response.status_code == 412


def test_approval_with_cp_sat_keeps_the_jobs_it_does_not_touch(start_api: StartApi, sqlite_url: str) -> None:
    """The service's own engine, with the short re-plan time limit."""
    settings = test_settings(sqlite_url, solve_engine="cp-sat", solve_time_limit_seconds=3.0)
    with start_api(settings) as api:
        _day(api)
        before = published(api)
        proposal = _propose(api)
        decision = api.client.post(f"{SUPPLEMENTAL}/{proposal['id']}/approve", headers=api.admin).json()
        plan = api.client.get(
            f"/v1/workshops/w1/plans/{decision['plan_id']}?wait_seconds=30", headers=api.admin
        )
        assert plan.json()["time_limit_seconds"] == settings.replan_time_limit_seconds
        after = assert_published_plan_valid(api)
        moved = {m["job_id"] for m in proposal["moved_jobs"]} | {"RO-1"}
        old, new = _assignments(before), _assignments(after)
        assert all(new[key] == where for key, where in old.items() if key[0] not in moved), (old, new)


# --- the DMS updates the repair order without knowing the supplemental work ----------------------


def _dms_update(api: Api, dms: dict[str, str], via: str, body: dict[str, Any] = RO_1) -> dict[str, Any]:
    """The DMS sends RO-1 again, by PUT or as a job.updated event; the job as stored afterwards."""
    if via == "put":
        response = api.client.put(JOB, json=body, headers=dms)
    else:
        event = {"id": f"e-{uuid.uuid4().hex}", "type": "job.updated", "job": {"id": "RO-1", **body}}
        response = api.client.post("/v1/workshops/w1/events", json={"events": [event]}, headers=dms)
    assert response.status_code == 200, response.text
    job: dict[str, Any] = api.client.get(JOB, headers=api.admin).json()
    return job


def _operation(job: dict[str, Any], operation_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(op for op in job["operations"] if op["id"] == operation_id)
    return found


@pytest.mark.parametrize("via", ["put", "event"])
def test_a_dms_update_without_the_proposed_work_keeps_it_and_the_approval_plans_it(
    day: Api, via: str
) -> None:
    dms = day.key(Role.DMS, workshop_id="w1")
    proposal = _propose(day)
    job = _dms_update(day, dms, via)
    assert [op["id"] for op in job["operations"]] == ["10", "20", "RO-1-S1"]
    assert _operation(job, "RO-1-S1")["approval"] == "pending"
    assert _operation(job, "20")["predecessors"] == ["10", "RO-1-S1"]  # the final check waits again
    assert_published_plan_valid(day)
    assert published(day).assignment("RO-1", "RO-1-S1") is None  # pending work stays out of the plan

    response = day.client.post(f"{SUPPLEMENTAL}/{proposal['id']}/approve", headers=dms)
    assert response.status_code == 200, response.text
    plan = assert_published_plan_valid(day)
    pads, check = plan.assignment("RO-1", "RO-1-S1"), plan.assignment("RO-1", "20")
    assert pads is not None and check is not None and check.start >= pads.end


@pytest.mark.parametrize("answer", ["approve", "decline", "defer"])
def test_answered_work_survives_later_dms_updates(day: Api, answer: str) -> None:
    dms = day.key(Role.DMS, workshop_id="w1")
    proposal = _propose(day)
    assert day.client.post(f"{SUPPLEMENTAL}/{proposal['id']}/{answer}", headers=dms).status_code == 200
    status = {"approve": "approved", "decline": "declined", "defer": "deferred"}[answer]
    job = _dms_update(day, dms, "put")
    assert _operation(job, "RO-1-S1")["approval"] == status
    plan = assert_published_plan_valid(day)
    assert (plan.assignment("RO-1", "RO-1-S1") is not None) == (answer == "approve")
    stored = day.client.get(f"{SUPPLEMENTAL}/{proposal['id']}", headers=dms).json()
    assert stored["status"] == status


def test_an_update_that_names_the_supplemental_work_replaces_it_keeping_its_approval(day: Api) -> None:
    dms = day.key(Role.DMS, workshop_id="w1")
    proposal = _propose(day)
    pads = {
        "id": "RO-1-S1",
        "labour_code": "BRK",
        "standard_minutes": 45,
        "skill": "brakes_chassis",
        "predecessors": [],
    }
    check = {**RO_1["operations"][1], "predecessors": ["10", "RO-1-S1"]}
    body = {**RO_1, "operations": [RO_1["operations"][0], check, pads]}
    job = _dms_update(day, dms, "put", body)
    replaced = _operation(job, "RO-1-S1")
    assert replaced["standard_minutes"] == 45 and replaced["approval"] == "pending"
    assert assert_published_plan_valid(day).assignment("RO-1", "RO-1-S1") is None  # not approved yet

    assert day.client.post(f"{SUPPLEMENTAL}/{proposal['id']}/approve", headers=dms).status_code == 200
    job = _dms_update(day, dms, "put", body)
    assert _operation(job, "RO-1-S1")["approval"] == "approved"
    plan = assert_published_plan_valid(day)
    planned = plan.assignment("RO-1", "RO-1-S1")
    assert planned is not None and planned.end - planned.start == timedelta(minutes=45)
    job = _dms_update(
        day, dms, "put", {**body, "operations": [*body["operations"][:2], {**pads, "approval": "declined"}]}
    )
    assert _operation(job, "RO-1-S1")["approval"] == "declined"  # an approval sent is taken


def test_each_answer_has_its_own_documented_route(start_api: StartApi, sqlite_url: str) -> None:
    with start_api(test_settings(sqlite_url)) as api:
        paths = api.client.get("/openapi.json").json()["paths"]
    answers = {"approve": "re-planned", "decline": "says no", "defer": "later visit"}
    posts = {action: paths[f"{SUPPLEMENTAL_PATH}/{{proposal_id}}/{action}"]["post"] for action in answers}
    assert len({post["operationId"] for post in posts.values()}) == 3
    for action, words in answers.items():
        assert words in posts[action]["description"] and posts[action]["summary"] == action.title()
        assert {"200", "409"} <= set(posts[action]["responses"])

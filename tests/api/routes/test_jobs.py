from __future__ import annotations

from tests.api import data
from tests.api.conftest import Api

JOBS = "/v1/workshops/w1/jobs"


def test_create_read_and_conflict(w1: Api) -> None:
    response = w1.client.post(JOBS, json=data.job(), headers=w1.admin)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"{JOBS}/RO-1"
    body = response.json()
    assert body["status"] == "booked" and body["day"] == "2026-11-23" and body["version"] == 1
    assert body["operations"][0]["status"] == "pending"
    read = w1.client.get(f"{JOBS}/RO-1", headers=w1.admin)
    assert read.status_code == 200 and read.headers["etag"] == '"1"'
    assert w1.client.post(JOBS, json=data.job(), headers=w1.admin).status_code == 409


def test_upsert_creates_then_updates_keeping_progress(w1: Api) -> None:
    created = w1.client.put(f"{JOBS}/RO-7", json=data.without_id(data.job()), headers=w1.admin)
    assert created.status_code == 201
    event = {
        "id": "e1",
        "type": "operation.started",
        "job_id": "RO-7",
        "operation_id": "10",
        "technician_id": "T1",
    }
    assert (
        w1.client.post("/v1/workshops/w1/events", json={"events": [event]}, headers=w1.admin).status_code
        == 200
    )
    changed = data.without_id(
        data.job(customer_name="Chen", operations=[data.operation(), data.operation("20", 30)])
    )
    etag = w1.client.get(f"{JOBS}/RO-7", headers=w1.admin).headers["etag"]
    updated = w1.client.put(f"{JOBS}/RO-7", json=changed, headers={**w1.admin, "If-Match": etag})
    assert updated.status_code == 200, updated.text
    job = updated.json()
    assert job["customer_name"] == "Chen" and job["status"] == "in_progress"
    assert job["operations"][0]["status"] == "started"
    assert job["operations"][0]["progress"]["technician_id"] == "T1"
    assert [op["id"] for op in job["operations"]] == ["10", "20"]


def test_update_with_stale_etag_is_412(w1: Api) -> None:
    w1.client.put(f"{JOBS}/RO-1", json=data.without_id(data.job()), headers=w1.admin)
    w1.client.put(f"{JOBS}/RO-1", json=data.without_id(data.job(customer_name="x")), headers=w1.admin)
    response = w1.client.put(
        f"{JOBS}/RO-1", json=data.without_id(data.job()), headers={**w1.admin, "If-Match": '"1"'}
    )
    assert response.status_code == 412


def test_started_work_cannot_be_removed(w1: Api) -> None:
    w1.client.post(JOBS, json=data.job(operations=[data.operation(), data.operation("20")]), headers=w1.admin)
    event = {"id": "e1", "type": "operation.started", "job_id": "RO-1", "operation_id": "20"}
    w1.client.post("/v1/workshops/w1/events", json={"events": [event]}, headers=w1.admin)
    response = w1.client.put(f"{JOBS}/RO-1", json=data.without_id(data.job()), headers=w1.admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "body.operations"


def test_list_by_day_and_status(w1: Api) -> None:
    w1.client.post(JOBS, json=data.job("RO-1"), headers=w1.admin)
    w1.client.post(
        JOBS,
        json=data.job(
            "RO-2", appointment_at="2026-11-24T09:00:00+08:00", promised_at="2026-11-24T12:00:00+08:00"
        ),
        headers=w1.admin,
    )
    w1.client.post(JOBS, json=data.job("RO-3", status="arrived"), headers=w1.admin)

    def ids(params: dict[str, object]) -> list[str]:
        return [j["id"] for j in w1.client.get(JOBS, params=params, headers=w1.admin).json()["items"]]

    assert ids({}) == ["RO-1", "RO-3", "RO-2"]
    assert ids({"day": "2026-11-23"}) == ["RO-1", "RO-3"]
    assert ids({"status": "arrived"}) == ["RO-3"]
    assert ids({"status": ["arrived", "booked"], "day": "2026-11-24"}) == ["RO-2"]


def test_cancel_removes_the_job_from_the_next_plan(w1: Api) -> None:
    w1.client.post(JOBS, json=data.job(), headers=w1.admin)
    w1.wait()
    plan = w1.client.get("/v1/workshops/w1/plan", headers=w1.admin).json()["plan"]
    assert [a["job_id"] for a in plan["operations"]] == ["RO-1"]
    cancelled = w1.client.post(f"{JOBS}/RO-1/cancel", headers={**w1.admin, "If-Match": '"1"'})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    plan = w1.client.get("/v1/workshops/w1/plan", params={"wait_seconds": 20}, headers=w1.admin).json()[
        "plan"
    ]
    assert plan["operations"] == []


def test_unknown_skill_names_the_field(w1: Api) -> None:
    body = data.job(operations=[data.operation(skill="juggling")])
    response = w1.client.post(JOBS, json=body, headers=w1.admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "body.operations[0].skill"


def test_unknown_job_is_404(w1: Api) -> None:
    for response in (
        w1.client.get(f"{JOBS}/RO-404", headers=w1.admin),
        w1.client.post(f"{JOBS}/RO-404/cancel", headers=w1.admin),
        w1.client.get(f"{JOBS}/RO-404/operations/10", headers=w1.admin),
    ):
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"

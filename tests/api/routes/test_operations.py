from __future__ import annotations

from tests.api import data
from tests.api.conftest import Api

JOB = "/v1/workshops/w1/jobs/RO-1"


def test_add_supplemental_operation(w1: Api) -> None:
    w1.client.post("/v1/workshops/w1/jobs", json=data.job(), headers=w1.admin)
    body = {"standard_minutes": 30, "skill": "brakes_chassis", "predecessors": ["10"], "approval": "approved"}
    response = w1.client.put(f"{JOB}/operations/20", json=body, headers={**w1.admin, "If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert response.json()["id"] == "20" and response.headers["etag"] == '"2"'
    assert [op["id"] for op in w1.client.get(JOB, headers=w1.admin).json()["operations"]] == ["10", "20"]


def test_pin_is_kept_by_later_plans_and_unpin_releases_it(w1: Api) -> None:
    w1.client.post("/v1/workshops/w1/jobs", json=data.job(), headers=w1.admin)
    pin = {"technician_id": "T2", "bay_id": "B2", "start": "2026-11-23T10:00:00+08:00"}
    response = w1.client.put(f"{JOB}/operations/10/pin", json=pin, headers=w1.admin)
    assert response.status_code == 200, response.text
    assert response.json()["pin"] == pin
    for _ in range(2):  # the pin's plan, and a later one
        w1.wait()
        [assignment] = w1.client.get("/v1/workshops/w1/plan", headers=w1.admin).json()["plan"]["operations"]
        assert assignment["pinned"] is True
        assert (assignment["technician_id"], assignment["bay_id"]) == ("T2", "B2")
        assert assignment["start"] == "2026-11-23T10:00:00+08:00"
        w1.client.post("/v1/workshops/w1/plans", headers=w1.admin)
    w1.wait()
    unpinned = w1.client.delete(f"{JOB}/operations/10/pin", headers=w1.admin)
    assert unpinned.status_code == 200 and unpinned.json()["pin"] is None
    w1.wait()
    [assignment] = w1.client.get("/v1/workshops/w1/plan", headers=w1.admin).json()["plan"]["operations"]
    assert assignment["pinned"] is False


def test_pin_needs_something_and_known_ids(w1: Api) -> None:
    w1.client.post("/v1/workshops/w1/jobs", json=data.job(), headers=w1.admin)
    empty = w1.client.put(f"{JOB}/operations/10/pin", json={}, headers=w1.admin)
    assert empty.status_code == 422
    unknown = w1.client.put(f"{JOB}/operations/10/pin", json={"technician_id": "T9"}, headers=w1.admin)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["path"] == "body.operations[0].pin.technician_id"
    missing = w1.client.put(f"{JOB}/operations/99/pin", json={"bay_id": "B1"}, headers=w1.admin)
    assert missing.status_code == 404

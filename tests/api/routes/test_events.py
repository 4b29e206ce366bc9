from __future__ import annotations

from typing import Any

from tests.api import data
from tests.api.conftest import Api

EVENTS = "/v1/workshops/w1/events"


def _post(api: Api, *events: dict[str, Any]) -> Any:
    return api.client.post(EVENTS, json={"events": list(events)}, headers=api.admin)


def _job(api: Api, job_id: str = "RO-1") -> dict[str, Any]:
    result: dict[str, Any] = api.client.get(f"/v1/workshops/w1/jobs/{job_id}", headers=api.admin).json()
    return result


def test_a_replayed_event_is_a_no_op_with_the_original_answer(w1: Api) -> None:
    created = {"id": "e1", "type": "job.created", "job": data.job()}
    first = _post(w1, created)
    assert first.status_code == 200, first.text
    assert first.json()["results"][0]["detail"] == "job RO-1 created"
    assert first.json()["replayed"] == [] and first.json()["plan_id"]
    version = _job(w1)["version"]
    again = _post(w1, {**created, "job": data.job(customer_name="changed")})
    assert again.status_code == 200
    assert again.json()["results"] == first.json()["results"]
    assert again.json()["replayed"] == ["e1"] and again.json()["plan_id"] is None
    assert _job(w1)["version"] == version and _job(w1)["customer_name"] == ""


def test_a_batch_applies_all_or_nothing(w1: Api) -> None:
    w1.client.post("/v1/workshops/w1/jobs", json=data.job(), headers=w1.admin)
    plans_before = len(w1.client.get("/v1/workshops/w1/plans", headers=w1.admin).json()["items"])
    arrived = {"id": "e1", "type": "vehicle.arrived", "job_id": "RO-1"}
    bad = {
        "id": "e2",
        "type": "operation.started",
        "job_id": "RO-1",
        "operation_id": "10",
        "technician_id": "T9",
    }
    response = _post(
        w1, arrived, {"id": "e0", "type": "parts.arrived", "part_number": "P1", "quantity": 2}, bad
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"path": "body.events[2].technician_id", "message": "unknown technician 'T9'"}
    ]
    assert _job(w1)["status"] == "booked"
    assert w1.client.get("/v1/workshops/w1/parts", headers=w1.admin).json()["stock"] == []
    assert len(w1.client.get("/v1/workshops/w1/plans", headers=w1.admin).json()["items"]) == plans_before
    retried = _post(w1, arrived)  # e1 was not stored: it applies now
    assert retried.json()["replayed"] == [] and _job(w1)["status"] == "arrived"


def test_unknown_event_type_names_the_field(w1: Api) -> None:
    response = _post(w1, {"id": "e1", "type": "car.exploded", "job_id": "RO-1"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"].startswith("body.events[0]")


def test_events_change_jobs_parts_and_resources(w1: Api) -> None:
    job = data.job(operations=[data.operation("10"), data.operation("20", parts=[{"part_number": "P1"}])])
    ts = "2026-11-23T{}:00+08:00".format
    response = _post(
        w1,
        {"id": "e1", "type": "job.created", "job": job},
        {"id": "e2", "type": "vehicle.arrived", "job_id": "RO-1", "occurred_at": ts("08:05")},
        {
            "id": "e3",
            "type": "operation.started",
            "job_id": "RO-1",
            "operation_id": "10",
            "technician_id": "T1",
            "bay_id": "B1",
            "occurred_at": ts("08:10"),
        },
        {
            "id": "e4",
            "type": "operation.paused",
            "job_id": "RO-1",
            "operation_id": "10",
            "remaining_minutes": 25,
        },
        {"id": "e5", "type": "parts.eta_changed", "part_number": "P1", "eta": ts("13:00"), "quantity": 2},
        {"id": "e6", "type": "parts.arrived", "part_number": "P1", "quantity": 1},
        {
            "id": "e7",
            "type": "technician.absent",
            "technician_id": "T2",
            "start": ts("12:00"),
            "end": ts("15:00"),
        },
        {"id": "e8", "type": "technician.back", "technician_id": "T2", "occurred_at": ts("14:00")},
        {
            "id": "e9",
            "type": "bay.out_of_service",
            "bay_id": "B2",
            "start": ts("09:00"),
            "reason": "hoist fault",
        },
        {"id": "e10", "type": "bay.back", "bay_id": "B2", "occurred_at": ts("11:00")},
        {"id": "e11", "type": "operation.finished", "job_id": "RO-1", "operation_id": "10"},
        {"id": "e12", "type": "job.created", "job": data.job("RO-2")},
        {"id": "e13", "type": "job.no_show", "job_id": "RO-2"},
        {"id": "e14", "type": "job.created", "job": data.job("RO-3")},
        {"id": "e15", "type": "job.cancelled", "job_id": "RO-3"},
        {
            "id": "e16",
            "type": "job.updated",
            "job": data.job("RO-3", customer_name="Zhao", status="cancelled"),
        },
    )
    assert response.status_code == 200, response.text
    assert [r["id"] for r in response.json()["results"]] == [f"e{i}" for i in range(1, 17)]
    ro1 = _job(w1)
    assert ro1["status"] == "in_progress" and ro1["arrived_at"] == ts("08:05")
    first = ro1["operations"][0]
    assert first["status"] == "done"
    assert first["progress"] == {
        "started_at": ts("08:10"),
        "technician_id": "T1",
        "bay_id": "B1",
        "lift_id": None,
        "remaining_minutes": 25,
    }
    assert _job(w1, "RO-2")["status"] == "no_show"
    assert _job(w1, "RO-3")["status"] == "cancelled" and _job(w1, "RO-3")["customer_name"] == "Zhao"
    parts = w1.client.get("/v1/workshops/w1/parts", headers=w1.admin).json()
    assert parts["stock"] == [{"part_number": "P1", "on_hand": 1}]
    assert parts["deliveries"] == [{"part_number": "P1", "quantity": 1, "eta": ts("13:00")}]
    workshop = w1.client.get("/v1/workshops/w1", headers=w1.admin).json()
    t2 = workshop["technicians"][1]
    assert [(a["start"], a["end"]) for a in t2["absences"]] == [(ts("12:00"), ts("14:00"))]
    assert [(w["start"], w["end"]) for w in workshop["bays"][1]["out_of_service"]] == [
        (ts("09:00"), ts("11:00"))
    ]
    w1.wait()
    plan = w1.client.get("/v1/workshops/w1/plan", headers=w1.admin).json()["plan"]
    assert {(a["job_id"], a["operation_id"]) for a in plan["operations"]} == {("RO-1", "20")}


def test_finishing_the_last_operation_finishes_the_job(w1: Api) -> None:
    _post(w1, {"id": "e1", "type": "job.created", "job": data.job()})
    _post(w1, {"id": "e2", "type": "operation.started", "job_id": "RO-1", "operation_id": "10"})
    response = _post(w1, {"id": "e3", "type": "operation.finished", "job_id": "RO-1", "operation_id": "10"})
    assert response.json()["results"][0]["detail"].endswith("job done")
    assert _job(w1)["status"] == "done"


def test_rejections_name_the_reason(w1: Api) -> None:
    _post(w1, {"id": "e1", "type": "job.created", "job": data.job()})
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"id": "x1", "type": "job.created", "job": data.job()}, "body.events[0].job.id", "already exists"),
        (
            {"id": "x2", "type": "job.updated", "job": data.job("RO-9")},
            "body.events[0].job.id",
            "unknown job",
        ),
        ({"id": "x3", "type": "vehicle.arrived", "job_id": "RO-9"}, "body.events[0].job_id", "unknown job"),
        (
            {
                "id": "x4",
                "type": "operation.paused",
                "job_id": "RO-1",
                "operation_id": "10",
                "remaining_minutes": 5,
            },
            "body.events[0].operation_id",
            "not started",
        ),
        (
            {"id": "x5", "type": "operation.finished", "job_id": "RO-1", "operation_id": "99"},
            "body.events[0].operation_id",
            "has no operation",
        ),
        ({"id": "x6", "type": "bay.out_of_service", "bay_id": "B7"}, "body.events[0].bay_id", "unknown bay"),
        (
            {
                "id": "x7",
                "type": "technician.absent",
                "technician_id": "T1",
                "start": "2026-11-23T12:00:00+08:00",
                "end": "2026-11-23T11:00:00+08:00",
            },
            "body.events[0].end",
            "after start",
        ),
    ]
    for event, path, message in cases:
        response = _post(w1, event)
        assert response.status_code == 422, event
        [error] = response.json()["errors"]
        assert error["path"] == path and message in error["message"], (event, error)


def test_a_car_that_comes_in_after_its_promise_is_recorded_and_planned_late(w1: Api) -> None:
    job = data.job(promised_at="2026-11-23T09:00:00+08:00")  # appointment 08:00
    w1.client.post("/v1/workshops/w1/jobs", json=job, headers=w1.admin)
    arrived = {
        "id": "late",
        "type": "vehicle.arrived",
        "job_id": "RO-1",
        "occurred_at": "2026-11-23T09:40:00+08:00",
    }
    response = _post(w1, arrived)
    assert response.status_code == 200, response.text
    assert _job(w1)["status"] == "arrived" and _job(w1)["arrived_at"].startswith("2026-11-23T09:40")
    plan = w1.client.get("/v1/workshops/w1/plan", params={"wait_seconds": 30}, headers=w1.admin).json()
    forecast = next(f for f in plan["plan"]["jobs"] if f["job_id"] == "RO-1")
    assert forecast["late"] is True

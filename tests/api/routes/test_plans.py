from __future__ import annotations

from tests.api import data
from tests.api.conftest import Api

PLANS = "/v1/workshops/w1/plans"


def _jobs(api: Api) -> None:
    two_ops = [data.operation("10", 60), data.operation("20", 60, "brakes_chassis", predecessors=["10"])]
    api.client.post("/v1/workshops/w1/jobs", json=data.job("RO-1", two_ops), headers=api.admin)
    api.client.post("/v1/workshops/w1/jobs", json=data.job("RO-2"), headers=api.admin)
    api.wait()


def test_solve_answers_202_then_the_plan_is_polled(w1: Api) -> None:
    _jobs(w1)
    response = w1.client.post(PLANS, json={"engine": "greedy"}, headers=w1.admin)
    assert response.status_code == 202
    accepted = response.json()
    assert response.headers["location"] == f"{PLANS}/{accepted['plan_id']}"
    assert accepted["status"] in ("queued", "running") and accepted["coalesced"] is False
    polled = w1.client.get(
        f"{PLANS}/{accepted['plan_id']}", params={"wait_seconds": 20}, headers=w1.admin
    ).json()
    assert polled["status"] == "done" and polled["version"] == accepted["version"]
    assert polled["solve_status"] == "greedy" and polled["kpis"]["jobs_planned"] == 2
    assert len(polled["plan"]["operations"]) == 3


def test_current_plan_filters_by_technician_bay_and_day(w1: Api) -> None:
    _jobs(w1)
    full = w1.client.get("/v1/workshops/w1/plan", headers=w1.admin).json()["plan"]
    assert len(full["operations"]) == 3
    t2 = w1.client.get("/v1/workshops/w1/plan", params={"technician_id": "T2"}, headers=w1.admin).json()[
        "plan"
    ]
    assert t2["operations"] and all(a["technician_id"] == "T2" for a in t2["operations"])
    assert {j["job_id"] for j in t2["jobs"]} == {a["job_id"] for a in t2["operations"]}
    bay = full["operations"][0]["bay_id"]
    by_bay = w1.client.get("/v1/workshops/w1/plan", params={"bay_id": bay}, headers=w1.admin).json()["plan"]
    assert by_bay["operations"] and all(a["bay_id"] == bay for a in by_bay["operations"])
    today = w1.client.get("/v1/workshops/w1/plan", params={"day": "2026-11-23"}, headers=w1.admin).json()[
        "plan"
    ]
    assert len(today["operations"]) == 3
    other = w1.client.get("/v1/workshops/w1/plan", params={"day": "2026-11-25"}, headers=w1.admin).json()[
        "plan"
    ]
    assert other["operations"] == []


def test_drafts_wait_for_the_dispatcher_when_auto_publish_is_off(w1: Api) -> None:
    body = data.without_id(data.workshop(settings={"horizon_days": 1, "auto_publish": False}))
    w1.client.put("/v1/workshops/w1", json=body, headers=w1.admin)
    w1.wait()
    published = w1.client.get("/v1/workshops/w1/plan", headers=w1.admin).json()
    history = w1.client.get(PLANS, headers=w1.admin).json()["items"]
    draft = history[0]
    assert draft["state"] == "draft" and draft["status"] == "done"
    assert published["id"] == history[1]["id"] and published["version"] == 1
    response = w1.client.post(f"{PLANS}/{draft['id']}/publish", headers=w1.admin)
    assert response.status_code == 200 and response.json()["state"] == "published"
    assert w1.client.get("/v1/workshops/w1/plan", headers=w1.admin).json()["id"] == draft["id"]
    states = [p["state"] for p in w1.client.get(PLANS, headers=w1.admin).json()["items"]]
    assert states == ["published", "superseded"]


def test_no_published_plan_and_unknown_plan_are_404(api: Api) -> None:
    body = data.workshop(settings={"auto_publish": False})
    api.create_workshop(body)
    api.wait()
    assert api.client.get("/v1/workshops/w1/plan", headers=api.admin).status_code == 404
    assert api.client.get(f"{PLANS}/0123", headers=api.admin).status_code == 404
    assert api.client.delete(f"{PLANS}/0123", headers=api.admin).status_code == 404
    assert api.client.post(f"{PLANS}/0123/publish", headers=api.admin).status_code == 404

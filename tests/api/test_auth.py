"""API keys: hashed, scoped to a workshop or a dealer group, limited by role; foreign ids answer 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from api.auth import Role, hash_key
from api.db.models import ApiKeyRow
from tests.api import data
from tests.api.conftest import Api


@pytest.fixture
def two(w1: Api) -> Api:
    """Workshops w1 (with job RO-1 and a plan) and w2, both in dealer group g1."""
    w1.create_workshop(data.workshop("w2"))
    w1.client.post("/v1/workshops/w1/jobs", json=data.job(), headers=w1.admin)
    w1.wait("w1")
    w1.wait("w2")
    return w1


def _w1_urls(api: Api) -> list[tuple[str, str, object]]:
    plan_id = api.client.get("/v1/workshops/w1/plans", headers=api.admin).json()["items"][0]["id"]
    base = "/v1/workshops/w1"
    return [
        ("GET", base, None),
        ("PUT", base, data.without_id(data.workshop())),
        ("GET", f"{base}/parts", None),
        ("GET", f"{base}/jobs", None),
        ("GET", f"{base}/jobs/RO-1", None),
        ("PUT", f"{base}/jobs/RO-1", data.without_id(data.job())),
        ("POST", f"{base}/jobs", data.job("RO-2")),
        ("POST", f"{base}/jobs/RO-1/cancel", None),
        ("GET", f"{base}/jobs/RO-1/operations/10", None),
        ("PUT", f"{base}/jobs/RO-1/operations/10/pin", {"bay_id": "B1"}),
        ("POST", f"{base}/events", {"events": [{"id": "x", "type": "vehicle.arrived", "job_id": "RO-1"}]}),
        ("GET", f"{base}/plan", None),
        ("GET", f"{base}/plans", None),
        ("POST", f"{base}/plans", None),
        ("GET", f"{base}/plans/{plan_id}", None),
        ("DELETE", f"{base}/plans/{plan_id}", None),
        ("POST", f"{base}/plans/{plan_id}/publish", None),
    ]


def test_a_key_of_another_workshop_gets_404_everywhere(two: Api) -> None:
    w2_admin = two.key(Role.ADMIN, workshop_id="w2")
    other_group = two.key(Role.ADMIN, group_id="g2")
    for headers in (w2_admin, other_group):
        for method, url, body in _w1_urls(two):
            response = two.client.request(method, url, json=body, headers=headers)
            assert response.status_code == 404, (method, url, response.text)
            assert response.headers["content-type"] == "application/problem+json"
    unknown = two.client.get("/v1/workshops/nope", headers=w2_admin)
    assert unknown.status_code == 404 and unknown.json()["detail"] == two.client.get(
        "/v1/workshops/w1", headers=w2_admin
    ).json()["detail"].replace("w1", "nope")
    assert [w["id"] for w in two.client.get("/v1/workshops", headers=w2_admin).json()["items"]] == ["w2"]
    assert two.client.get("/v1/workshops", headers=other_group).json()["items"] == []


def test_a_group_key_sees_every_workshop_of_its_group(two: Api) -> None:
    group_dms = two.key(Role.DMS, group_id="g1")
    assert [w["id"] for w in two.client.get("/v1/workshops", headers=group_dms).json()["items"]] == [
        "w1",
        "w2",
    ]
    assert two.client.get("/v1/workshops/w2/jobs", headers=group_dms).status_code == 200


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.DMS, {"jobs", "events"}),
        (Role.ADVISOR, {"jobs"}),
        (Role.DISPATCHER, {"jobs", "events", "solve", "pin", "publish"}),
        (Role.ADMIN, {"jobs", "events", "solve", "pin", "publish", "configure"}),
    ],
)
def test_roles_limit_what_a_key_may_call(two: Api, role: Role, allowed: set[str]) -> None:
    headers = two.key(role, workshop_id="w1")
    plan_id = two.client.get("/v1/workshops/w1/plans", headers=two.admin).json()["items"][0]["id"]
    calls = {
        "jobs": ("PUT", "/v1/workshops/w1/jobs/RO-1", data.without_id(data.job())),
        "events": (
            "POST",
            "/v1/workshops/w1/events",
            {"events": [{"id": f"{role}", "type": "parts.arrived", "part_number": "P1", "quantity": 1}]},
        ),
        "solve": ("POST", "/v1/workshops/w1/plans", None),
        "pin": ("PUT", "/v1/workshops/w1/jobs/RO-1/operations/10/pin", {"bay_id": "B1"}),
        "publish": ("POST", f"/v1/workshops/w1/plans/{plan_id}/publish", None),
        "configure": ("PUT", "/v1/workshops/w1", data.without_id(data.workshop())),
    }
    for name, (method, url, body) in calls.items():
        response = two.client.request(method, url, json=body, headers=headers)
        if name in allowed:
            assert response.status_code < 300, (role, name, response.text)
        else:
            assert response.status_code == 403, (role, name, response.text)
            assert response.headers["content-type"] == "application/problem+json"
        two.wait("w1")
    assert two.client.get("/v1/workshops/w1/plan", headers=headers).status_code == 200  # every role reads


def test_missing_and_unknown_keys_are_401(api: Api) -> None:
    assert api.client.get("/v1/workshops").status_code == 401
    response = api.client.get("/v1/workshops", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert api.client.get("/v1/workshops", headers={"X-API-Key": "test-admin-g1"}).status_code == 200


def test_keys_are_stored_hashed_and_made_by_admins(w1: Api) -> None:
    made = w1.client.post(
        "/v1/api-keys", json={"name": "dms", "role": "dms", "workshop_id": "w1"}, headers=w1.admin
    )
    assert made.status_code == 201
    key = made.json()["key"]
    assert w1.client.get("/v1/workshops/w1", headers={"X-API-Key": key}).status_code == 200
    with w1.services.database.session() as session:
        hashes = list(session.scalars(select(ApiKeyRow.key_hash)))
    assert hash_key(key) in hashes and key not in hashes
    dms = {"X-API-Key": key}
    assert w1.client.post("/v1/api-keys", json={"name": "x", "role": "admin"}, headers=dms).status_code == 403
    workshop_admin = w1.key(Role.ADMIN, workshop_id="w1")
    assert (
        w1.client.post("/v1/workshops", json=data.workshop("w3"), headers=workshop_admin).status_code == 403
    )
    foreign = w1.client.post(
        "/v1/api-keys", json={"name": "x", "role": "dms", "workshop_id": "w9"}, headers=workshop_admin
    )
    assert foreign.status_code == 404

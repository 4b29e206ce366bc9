"""Errors are problem+json naming the field; size limits answer before any solve starts."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from api.db.models import WorkshopRow
from tests.api import data
from tests.api.conftest import Api, StartApi, test_settings


def test_schema_errors_name_the_field(w1: Api) -> None:
    body = data.job(operations=[data.operation(minutes=0)])
    response = w1.client.post("/v1/workshops/w1/jobs", json=body, headers=w1.admin)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422 and problem["instance"] == "/v1/workshops/w1/jobs"
    assert problem["errors"][0]["path"] == "body.operations[0].standard_minutes"
    assert problem["errors"][0]["message"] == "must be >= 1"
    unknown = w1.client.post("/v1/workshops/w1/jobs", json={**data.job(), "colour": "red"}, headers=w1.admin)
    assert unknown.json()["errors"] == [{"path": "body.colour", "message": "unknown field"}]


def test_unknown_routes_and_methods_are_problems(api: Api) -> None:
    missing = api.client.get("/v2/nothing")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    wrong = api.client.patch("/livez")
    assert wrong.status_code == 405 and wrong.json()["title"] == "Method Not Allowed"


def test_size_limits_answer_413_and_422_before_solving(start_api: StartApi, sqlite_url: str) -> None:
    settings = test_settings(
        sqlite_url, max_body_bytes=4096, max_jobs_per_workshop=2, max_operations_per_job=2
    )
    with start_api(settings) as api:
        api.create_workshop()
        api.wait()

        def plans() -> int:
            return len(api.client.get("/v1/workshops/w1/plans", headers=api.admin).json()["items"])

        before = plans()
        huge = data.job(customer_name="x" * 5000)
        too_big = api.client.post("/v1/workshops/w1/jobs", json=huge, headers=api.admin)
        assert too_big.status_code == 413 and too_big.headers["content-type"] == "application/problem+json"
        ops = [data.operation(str(n)) for n in range(3)]
        too_many_ops = api.client.post(
            "/v1/workshops/w1/jobs", json=data.job(operations=ops), headers=api.admin
        )
        assert too_many_ops.status_code == 422
        assert too_many_ops.json()["errors"] == [
            {"path": "body.operations", "message": "at most 2 operations per job"}
        ]
        for number in range(2):
            assert (
                api.client.post(
                    "/v1/workshops/w1/jobs", json=data.job(f"RO-{number}"), headers=api.admin
                ).status_code
                == 201
            )
        api.wait()
        before = plans()
        third = api.client.post("/v1/workshops/w1/jobs", json=data.job("RO-3"), headers=api.admin)
        assert third.status_code == 422 and "at most 2 open jobs" in third.json()["errors"][0]["message"]
        event = {"id": "e1", "type": "job.created", "job": data.job("RO-4")}
        batch = api.client.post("/v1/workshops/w1/events", json={"events": [event]}, headers=api.admin)
        assert batch.status_code == 422
        assert plans() == before


# PostgreSQL only: SQLite's write lock serialises the two writers, so there is no race to lose.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_concurrent_change_is_412_not_500(w1: Api) -> None:

    def another_writer(session: Session, context: object, instances: object) -> None:
        """Bumps the row between this request's read and its write."""
        with w1.services.database.engine.begin() as other:
            other.execute(update(WorkshopRow).values(version=WorkshopRow.version + 1))

    event.listen(Session, "before_flush", another_writer, once=True)
    try:
        body = data.without_id(data.workshop(name="mine"))
        response = w1.client.put("/v1/workshops/w1", json=body, headers=w1.admin)
    finally:
        if event.contains(Session, "before_flush", another_writer):
            event.remove(Session, "before_flush", another_writer)
    assert response.status_code == 412, response.text
    assert "changed by another request" in response.json()["detail"]

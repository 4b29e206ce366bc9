"""Schemathesis against the OpenAPI schema: no server error, no response that breaks the schema.

The schema comes from an app made at import time (only its OpenAPI document is
read then); the calls go to that app through ASGI, whose lifespan Schemathesis
starts on the first call, on a database seeded before it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from api.app import create_app
from api.auth import Role, store_key
from api.db.session import Database
from api.demo import DEMO_GROUP
from api.migrations import upgrade
from api.store.jobs import save_job
from api.store.workshops import create_workshop
from scheduler.jobs import Job
from scheduler.workshop import Workshop
from tests.api import data
from tests.api.conftest import Clock, test_settings

KEY = "schemathesis-admin"
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
URL = f"sqlite:///{Path(tempfile.mkdtemp(prefix='bayplan-schemathesis-')) / 'bayplan.sqlite3'}"
APP = create_app(test_settings(URL, max_body_bytes=200_000), clock=Clock())
schema = schemathesis.openapi.from_dict(APP.openapi())
schema.app = APP


@pytest.fixture(scope="module", autouse=True)
def seeded() -> None:
    """The demo workshop of the examples (id 'demo', job RO-1001) and an admin key."""
    database = Database(URL)
    upgrade(database)
    with database.session() as session:
        store_key(session, KEY, name="schemathesis", role=Role.ADMIN, group_id=DEMO_GROUP)
        workshop = Workshop.model_validate(data.workshop("demo"))
        create_workshop(session, workshop, DEMO_GROUP)
        save_job(session, "demo", Job.model_validate(data.job("RO-1001")), workshop.timezone, None)
    database.dispose()


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {KEY}"}, checks=CHECKS)

from __future__ import annotations

import json
import logging

import pytest

from api.logs import JsonFormatter
from tests.api.conftest import Api


def test_each_request_logs_one_json_line_with_its_request_id(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="api.request"):
        given = api.client.get("/livez", headers={"X-Request-ID": "req-42"})
        made = api.client.get("/livez")
    assert given.headers["x-request-id"] == "req-42"
    assert len(made.headers["x-request-id"]) == 32
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "api.request"]
    assert [line["request_id"] for line in lines] == ["req-42", made.headers["x-request-id"]]
    assert lines[0]["status"] == 200 and lines[0]["path"] == "/livez" and lines[0]["method"] == "GET"
    assert lines[0]["duration_ms"] >= 0 and lines[0]["level"] == "INFO"


def test_a_malformed_request_id_is_replaced(api: Api) -> None:
    response = api.client.get("/livez", headers={"X-Request-ID": "bad id with spaces"})
    assert response.headers["x-request-id"] != "bad id with spaces"

from __future__ import annotations

import pytest

from tests.api.conftest import Api


def test_livez_answers_without_a_key(api: Api) -> None:
    response = api.client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_the_database(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    assert api.client.get("/readyz").json() == {"status": "ok"}

    def broken() -> None:
        raise ConnectionError("database down")

    monkeypatch.setattr(api.services.database, "ping", broken)
    response = api.client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "database unavailable" in response.json()["detail"]

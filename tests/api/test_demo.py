from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from api.demo import DEMO_GROUP, demo_day, demo_problem
from api.settings import Settings
from tests.api.conftest import StartApi, test_settings

ZONE = ZoneInfo("Asia/Shanghai")
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_the_demo_day_moves_to_the_next_working_day() -> None:
    sunday = datetime(2027, 3, 7, 10, 0, tzinfo=ZONE)  # the demo workshop is closed on Sundays
    problem = demo_problem(Settings(), sunday)
    assert demo_day(problem, sunday.date()) == date(2027, 3, 8)
    appointments = {j.appointment_at.astimezone(ZONE).date() for j in problem.jobs if j.appointment_at}
    assert date(2027, 3, 8) in appointments
    assert problem.workshop.id == "demo" and len(problem.jobs) >= 10


def test_the_app_loads_the_demo_with_its_key(start_api: StartApi, sqlite_url: str) -> None:
    settings = test_settings(sqlite_url, load_demo=True, startup_wait_seconds=60)
    with start_api(settings) as api:
        headers = {"Authorization": f"Bearer {settings.demo_api_key}"}
        workshops = api.client.get("/v1/workshops", headers=headers).json()["items"]
        assert [(w["id"], w["group_id"]) for w in workshops] == [("demo", DEMO_GROUP)]
        plan = api.client.get("/v1/workshops/demo/plan", headers=headers)
        assert plan.status_code == 200  # solved before the app answers
        assert plan.json()["kpis"]["jobs_planned"] > 10
    with start_api(settings) as again:  # a second start loads nothing twice
        jobs = again.client.get("/v1/workshops/demo/jobs", headers=headers).json()["items"]
        assert len(jobs) == len({j["id"] for j in jobs})
        assert len(again.client.get("/v1/workshops/demo/plans", headers=headers).json()["items"]) == 1


def test_a_demo_fixture_of_another_workshop_is_loaded_and_solved(
    start_api: StartApi, sqlite_url: str
) -> None:
    settings = test_settings(
        sqlite_url, load_demo=True, demo_fixture=FIXTURES / "tiny.json", startup_wait_seconds=60
    )
    with start_api(settings) as api:
        headers = {"Authorization": f"Bearer {settings.demo_api_key}"}
        workshops = api.client.get("/v1/workshops", headers=headers).json()["items"]
        assert [w["id"] for w in workshops] == ["tiny"]
        plan = api.client.get("/v1/workshops/tiny/plan", headers=headers)
        assert plan.status_code == 200 and plan.json()["kpis"]["jobs_planned"] > 0

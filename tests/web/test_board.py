"""The dispatch board in headless Chromium against the real service with the demo workshop."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from api.auth import Role
from tests.api import data
from tests.web.conftest import OpenPage, loaded
from tests.web.service import DEMO_KEY, DEMO_NOW, Service

DEMO_DAY = DEMO_NOW.date().isoformat()


def _plan(service: Service) -> dict[str, Any]:
    service.idle()
    plan: dict[str, Any] = service.call("GET", "/v1/workshops/demo/plan")["plan"]
    return plan


def _row_ids(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(".tl-row", "rows => rows.map(r => r.dataset.row)")
    return ids


def _shown_reason(reasons: list[str]) -> str:
    """The reason the late list shows: the first one after the headline ("late by …")."""
    rest = [r for r in reasons if not r.startswith(("late by", "only ", "no completion"))]
    return rest[0] if rest else reasons[0]


def test_the_board_has_a_row_per_technician_and_lists_the_late_jobs_with_their_reasons(
    service: Service, open_page: OpenPage
) -> None:
    workshop = service.call("GET", "/v1/workshops/demo")
    plan = _plan(service)
    page = open_page("/board?workshop=demo")
    loaded(page)

    assert sorted(_row_ids(page)) == sorted(t["id"] for t in workshop["technicians"])
    expect(page.locator("body")).to_have_attribute("data-day", DEMO_DAY)
    late = [j for j in plan["jobs"] if j["late"]]
    assert late, "the demo day has late jobs"
    for job in late:
        card = page.locator(f".trouble.late[data-job='{job['job_id']}']")
        expect(card.locator(".reason")).to_have_text(_shown_reason(job["reasons"]))
    expect(page.locator("[data-kpi=late_jobs] .kpi-value")).to_have_text(str(plan["kpis"]["late_jobs"]))
    today = {a["job_id"] for a in plan["operations"] if a["start"].startswith(DEMO_DAY)}
    late_today = next(j["job_id"] for j in late if j["job_id"] in today)
    expect(page.locator(f".bar.job-late[data-job='{late_today}']").first).to_be_attached()

    page.locator(f".trouble[data-job='{late_today}']").click()
    drawer = page.locator("#drawer")
    expect(drawer).to_have_attribute("data-job", late_today)
    forecast = next(j for j in plan["jobs"] if j["job_id"] == late_today)
    for reason in forecast["reasons"][1:]:
        expect(drawer.get_by_text(reason, exact=True)).to_be_visible()
    job = service.call("GET", f"/v1/workshops/demo/jobs/{late_today}")
    expect(drawer.locator(".op-card")).to_have_count(len(job["operations"]))


def test_the_rows_switch_to_bays_and_to_lifts_and_equipment_and_the_days_to_the_next(
    service: Service, open_page: OpenPage
) -> None:
    workshop = service.call("GET", "/v1/workshops/demo")
    page = open_page("/board?workshop=demo")
    loaded(page)

    page.locator(".segmented [data-view=bays]").click()
    expect(page.locator("body")).to_have_attribute("data-view", "bays")
    assert set(_row_ids(page)) - {"__nobay"} == {b["id"] for b in workshop["bays"]}
    page.locator(".segmented [data-view=resources]").click()
    units = {f"{p['id']}#{n}" for p in workshop["equipment"] for n in range(1, p["count"] + 1)}
    assert set(_row_ids(page)) == {lift["id"] for lift in workshop["lifts"]} | units

    tabs = page.locator(".day-tabs [data-day]")
    second = tabs.nth(1).get_attribute("data-day")
    assert second is not None and second > DEMO_DAY
    tabs.nth(1).click()
    expect(page.locator("body")).to_have_attribute("data-day", second)
    plan = _plan(service)
    on_second = {a["operation_id"] for a in plan["operations"] if a["lift_id"] and a["start"][:10] == second}
    shown: list[str] = page.eval_on_selector_all(".bar", "bars => bars.map(b => b.dataset.op)")
    assert on_second and on_second <= set(shown)


def _qualified(technician: dict[str, Any], operation: dict[str, Any]) -> bool:
    grade = next((g for g in technician["skills"] if g["skill"] == operation["skill"]), None)
    return (
        grade is not None
        and grade["level"] >= operation["min_level"]
        and (not operation["certification"] or operation["certification"] in technician["certifications"])
    )


def _movable(service: Service) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A planned operation of the demo day, not started, without parts, and another technician for it."""
    workshop = service.call("GET", "/v1/workshops/demo")
    jobs = {j["id"]: j for j in service.call("GET", "/v1/workshops/demo/jobs?limit=1000")["items"]}
    for assignment in sorted(_plan(service)["operations"], key=lambda a: a["start"]):
        if assignment["started"] or assignment["pinned"] or not assignment["technician_id"]:
            continue
        if not assignment["start"].startswith(DEMO_DAY):
            continue
        operation = next(
            o for o in jobs[assignment["job_id"]]["operations"] if o["id"] == assignment["operation_id"]
        )
        if operation["parts"] or not operation["skill"]:
            continue
        others = [
            t["id"]
            for t in workshop["technicians"]
            if t["id"] != assignment["technician_id"] and _qualified(t, operation)
        ]
        if others:
            return assignment, operation, others[-1]
    raise AssertionError("the demo day has no operation another technician could do")


def test_the_dispatcher_pins_an_operation_from_the_page_and_unpins_it(
    service: Service, open_page: OpenPage
) -> None:
    assignment, operation, technician = _movable(service)
    job_id, op_id = assignment["job_id"], operation["id"]
    page = open_page("/board?workshop=demo")
    loaded(page)

    page.locator(f".bar[data-op='{op_id}']").click()
    card = page.locator(f"#drawer .op-card[data-op='{op_id}']")
    card.locator("[data-action=pin]").click()
    card.locator("select[name=technician]").select_option(technician)
    card.locator("select[name=bay]").select_option("")
    start = card.locator("input[name=time]").input_value()
    card.get_by_role("button", name="Pin", exact=True).click()

    pinned_bar = page.locator(f".tl-row[data-row='{technician}'] .bar[data-op='{op_id}'][data-state=pinned]")
    expect(pinned_bar).to_be_attached()
    plan = _plan(service)
    moved = next(a for a in plan["operations"] if a["job_id"] == job_id and a["operation_id"] == op_id)
    assert moved["technician_id"] == technician and moved["pinned"]
    assert datetime.fromisoformat(moved["start"]).astimezone(DEMO_NOW.tzinfo).strftime("%H:%M") == start
    pin = service.call("GET", f"/v1/workshops/demo/jobs/{job_id}/operations/{op_id}")["pin"]
    assert pin["technician_id"] == technician and pin["bay_id"] is None

    version = page.locator("body").get_attribute("data-plan-version")
    assert version is not None
    card = page.locator(f"#drawer .op-card[data-op='{op_id}']")
    card.locator("[data-action=unpin]").click()
    expect(page.locator("body")).not_to_have_attribute("data-plan-version", version)
    expect(page.locator(f".bar[data-op='{op_id}']")).not_to_have_attribute("data-state", "pinned")
    assert service.call("GET", f"/v1/workshops/demo/jobs/{job_id}/operations/{op_id}")["pin"] is None
    unpinned = next(a for a in _plan(service)["operations"] if a["operation_id"] == op_id)
    assert not unpinned["pinned"]


def test_a_replan_triggered_through_the_api_appears_on_the_open_page_without_a_reload(
    service: Service, open_page: OpenPage
) -> None:
    page = open_page("/board?workshop=demo")
    loaded(page)
    version = int(page.locator("body").get_attribute("data-plan-version") or 0)
    page.evaluate("window.sameDocument = true")
    expect(page.locator(".bar[data-job='RO-9001']")).to_have_count(0)

    service.call(
        "PUT",
        "/v1/workshops/demo/jobs/RO-9001",
        json={
            "vehicle": {"vin": "LVSHCAMB1CE054321", "model": "Focus"},
            "customer_waiting": True,
            "arrived_at": DEMO_NOW.isoformat(),
            "operations": [
                {
                    "id": "10",
                    "text": "Oil and filter service",
                    "standard_minutes": 45,
                    "skill": "maintenance",
                    "bay_capability": "express",
                }
            ],
        },
    )

    expect(page.locator(".bar[data-job='RO-9001']")).to_have_count(1)
    assert int(page.locator("body").get_attribute("data-plan-version") or 0) > version
    assert page.evaluate("window.sameDocument") is True


def _set_auto_publish(service: Service, on: bool) -> None:
    workshop = service.call("GET", "/v1/workshops/demo")
    config = {k: v for k, v in workshop.items() if k not in ("id", "group_id", "version", "updated_at")}
    config["settings"]["auto_publish"] = on
    service.call("PUT", "/v1/workshops/demo", json=config)
    service.idle()


def test_the_dispatcher_reviews_a_draft_plan_and_publishes_it(service: Service, open_page: OpenPage) -> None:
    page = open_page("/board?workshop=demo")
    loaded(page)
    body = page.locator("body")
    published = body.get_attribute("data-plan-version")
    try:
        _set_auto_publish(service, False)  # the re-plan this change triggers stays a draft
        draft = service.call("GET", "/v1/workshops/demo/plans?limit=1")["items"][0]
        assert draft["state"] == "draft" and str(draft["version"]) != published

        banner = page.locator(f".banner.draft[data-draft='{draft['id']}']")
        banner.get_by_role("button", name="Review").click()
        expect(body).to_have_attribute("data-plan-state", "draft")
        expect(body).to_have_attribute("data-plan-version", str(draft["version"]))
        assert service.call("GET", "/v1/workshops/demo/plan")["version"] == int(published or 0)

        page.locator(".banner.draft").get_by_role("button", name="Publish", exact=True).click()
        expect(body).to_have_attribute("data-plan-state", "published")
        expect(body).to_have_attribute("data-plan-version", str(draft["version"]))
        expect(page.locator(".banner.draft")).to_have_count(0)
        assert service.call("GET", "/v1/workshops/demo/plan")["id"] == draft["id"]
    finally:
        _set_auto_publish(service, True)


def test_a_key_of_another_workshop_sees_none_of_the_demo(service: Service, open_page: OpenPage) -> None:
    admin = service.key("web-g2-admin", Role.ADMIN, group_id="g2")
    service.call("POST", "/v1/workshops", key=admin, json=data.workshop("w2"))
    service.idle("w2")
    key = service.key("web-w2-dispatcher", Role.DISPATCHER, workshop_id="w2")

    page = open_page("/board?workshop=demo", key=None)
    page.locator("#key-input").fill(key)
    page.locator("form.signin button[type=submit]").click()
    expect(page.locator(".no-access[data-state=no-access]")).to_be_visible()
    expect(page.locator(".no-access h1")).to_have_text("Workshop not found or no access")
    expect(page.locator("a.workshop-choice")).to_have_attribute("href", "/board?workshop=w2")
    for secret in ("RO-261123", "Zhang Wei", "Bayplan demo dealership"):
        assert secret not in page.content()

    page.goto(f"{service.url}/desk?workshop=demo")  # the key stays in the tab
    expect(page.locator(".no-access[data-state=no-access]")).to_be_visible()

    page.goto(f"{service.url}/board")  # the only workshop the key sees
    loaded(page)
    expect(page.locator("body")).to_have_attribute("data-plan-version", "1")
    assert sorted(_row_ids(page)) == ["T1", "T2"]
    for secret in ("RO-261123", "Zhang Wei", "Bayplan demo dealership"):
        assert secret not in page.content()

    feed = service.http.get(
        "/v1/workshops/demo/plan-feed", params={"seconds": 1}, headers={"Authorization": f"Bearer {key}"}
    )
    assert feed.status_code == 404


def test_the_plan_feed_sends_the_published_plan_and_needs_a_key(service: Service) -> None:
    published = service.call("GET", "/v1/workshops/demo/plan")
    assert service.http.get("/v1/workshops/demo/plan-feed").status_code == 401
    headers = {"Authorization": f"Bearer {DEMO_KEY}"}
    with service.http.stream(
        "GET", "/v1/workshops/demo/plan-feed", params={"seconds": 1}, headers=headers
    ) as feed:
        assert feed.status_code == 200
        assert feed.headers["content-type"].startswith("text/event-stream")
        lines = list(feed.iter_lines())
    assert "event: plan" in lines
    event = json.loads(next(line for line in lines if line.startswith("data:"))[5:])
    assert event["published"]["id"] == published["id"]
    assert event["published"]["version"] == published["version"]
    assert event["latest"]["version"] >= published["version"]


def test_the_pages_are_served_without_a_key_and_fetch_nothing_from_elsewhere(service: Service) -> None:
    for path in ("/board", "/desk"):
        page = service.http.get(path)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert "http" not in page.text.replace("http-equiv", "")
    script = service.http.get("/web/board.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert service.http.get("/web/..%2Fapp.py").status_code == 404
    assert service.http.get("/web/nothing.js").status_code == 404
    paths = httpx.get(f"{service.url}/openapi.json").json()["paths"]
    assert not any(p.startswith(("/board", "/desk", "/web")) or p.endswith("/plan-feed") for p in paths)

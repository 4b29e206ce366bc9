"""Screenshots of the board and the desk on the demo day: `python -m tests.web.screenshots [OUT_DIR]`.

Starts the real service with the demo workshop at the fixture's 07:30, plays the morning up to
10:30 as the DMS would report it (arrivals, operations started and finished as planned), pins one
operation, proposes supplemental work on a job in progress, then photographs both pages at
1366 x 768 in headless Chromium with the browser's clock at 10:30. Writes docs/board.png and
docs/desk.png by default.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect, sync_playwright

from tests.web.service import CHROMIUM, CHROMIUM_ARGS, DEMO_KEY, DEMO_NOW, Service, running_service

ROOT = Path(__file__).resolve().parents[2]
MORNING = DEMO_NOW.replace(hour=10, minute=30)
VIEWPORT = {"width": 1366, "height": 768}


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def morning_events(service: Service, until: datetime) -> list[dict[str, Any]]:
    """What the DMS reports by `until` if the morning goes as planned: in time order."""
    plan = service.call("GET", "/v1/workshops/demo/plan")["plan"]
    jobs = {j["id"]: j for j in service.call("GET", "/v1/workshops/demo/jobs?limit=1000")["items"]}
    timed: list[tuple[datetime, dict[str, Any]]] = []
    for job in jobs.values():
        appointment = job["appointment_at"] and _at(job["appointment_at"])
        if job["status"] == "booked" and appointment and appointment <= until:
            event = {"type": "vehicle.arrived", "job_id": job["id"], "occurred_at": appointment.isoformat()}
            timed.append((appointment, event))
    for a in plan["operations"]:
        start, end = _at(a["start"]), _at(a["end"])
        if start >= until or not a["technician_id"]:
            continue
        ids = {"job_id": a["job_id"], "operation_id": a["operation_id"]}
        where = {"technician_id": a["technician_id"], "bay_id": a["bay_id"], "lift_id": a["lift_id"]}
        timed.append((start, {"type": "operation.started", **ids, **where, "occurred_at": start.isoformat()}))
        if end <= until:
            timed.append((end, {"type": "operation.finished", **ids, "occurred_at": end.isoformat()}))
    timed.sort(key=lambda pair: (pair[0], pair[1]["type"] != "vehicle.arrived"))
    return [{"id": f"morning-{n:03d}", **event} for n, (_, event) in enumerate(timed)]


def play_morning(service: Service) -> None:
    service.idle()
    events = morning_events(service, MORNING)
    service.clock.now = MORNING
    for start in range(0, len(events), 50):
        answer = service.call(
            "POST", "/v1/workshops/demo/events", json={"events": events[start : start + 50]}
        )
        refused = [r for r in answer["results"] if r["outcome"] != "applied"]
        assert not refused, refused
    service.idle()


def pin_one(service: Service) -> None:
    """The dispatcher fixes an afternoon operation to its technician and time."""
    plan = service.call("GET", "/v1/workshops/demo/plan")["plan"]
    afternoon = MORNING.replace(hour=14)
    candidates = [
        a
        for a in plan["operations"]
        if a["technician_id"]
        and not a["started"]
        and afternoon <= _at(a["start"]) < afternoon + timedelta(hours=2)
    ]
    chosen = max(candidates, key=lambda a: a["work_minutes"])
    service.call(
        "PUT",
        f"/v1/workshops/demo/jobs/{chosen['job_id']}/operations/{chosen['operation_id']}/pin",
        json={"technician_id": chosen["technician_id"], "start": chosen["start"]},
    )
    service.idle()


def propose_supplemental(service: Service) -> None:
    """A technician finds worn front pads on a car in the workshop: the customer has not answered yet."""
    jobs = service.call("GET", "/v1/workshops/demo/jobs?status=in_progress&limit=1000")["items"]
    plan = service.call("GET", "/v1/workshops/demo/plan")["plan"]
    planned = {a["job_id"] for a in plan["operations"] if not a["started"]}
    job = next(j for j in sorted(jobs, key=lambda j: j["id"]) if j["id"] in planned)
    service.call(
        "POST",
        f"/v1/workshops/demo/jobs/{job['id']}/supplemental",
        json={"work": [{"labour_code": "BRK-PAD-F"}], "note": "front pads at 2 mm"},
    )


def _page(browser: Any, service: Service, path: str) -> Page:
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB", device_scale_factor=1)
    page: Page = context.new_page()
    page.clock.set_fixed_time(MORNING)
    page.goto(f"{service.url}/livez")
    page.evaluate("key => sessionStorage.setItem('bayplan.key', key)", DEMO_KEY)
    page.goto(f"{service.url}{path}")
    expect(page.locator("body[data-loaded=true]")).to_be_attached(timeout=60_000)
    return page


def photograph(service: Service, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        board = _page(browser, service, "/board?workshop=demo")
        expect(board.locator(".bar").first).to_be_visible()
        board.screenshot(path=str(out / "board.png"))

        desk = _page(browser, service, "/desk?workshop=demo")
        for code in ("MNT-30K", "BRK-PAD-F", "QC-CHECK"):
            desk.locator(f".labour-row[data-code='{code}'] input").check()
        desk.locator(".labour-list").evaluate("list => list.scrollTo(0, 0)")
        desk.locator("input[name=arrival][value=at]").check()
        tomorrow = (MORNING + timedelta(days=1)).date().isoformat()
        desk.locator("select[name=arrival-day]").select_option(tomorrow)
        desk.locator("select[name=arrival-time]").select_option("08:30")
        desk.locator("input[name=waiting][value=no]").check()
        desk.locator("input[name=model]").fill("Volkswagen Lavida")
        desk.locator("[data-action=quote]").click()
        expect(desk.locator(".slot").first).to_be_visible(timeout=60_000)
        desk.screenshot(path=str(out / "desk.png"))
        browser.close()


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    with (
        tempfile.TemporaryDirectory(prefix="bayplan-screenshots-") as folder,
        running_service(Path(folder)) as service,
    ):
        play_morning(service)
        pin_one(service)
        propose_supplemental(service)
        service.idle()
        photograph(service, out)
    print(f"wrote {out / 'board.png'} and {out / 'desk.png'}")


if __name__ == "__main__":
    main()

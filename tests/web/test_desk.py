"""The advisor's desk in headless Chromium: promise quotes, appointment slots, supplemental work."""

from __future__ import annotations

from datetime import datetime

from playwright.sync_api import expect

from tests.web.conftest import OpenPage, loaded
from tests.web.service import DEMO_NOW, Service

GRADES = {"best", "good", "fair", "poor", "unavailable"}
WORK = ["OIL-EXP", "QC-CHECK"]


def test_a_quote_shows_the_promise_time_and_the_graded_slots_of_the_day(
    service: Service, open_page: OpenPage
) -> None:
    service.idle()
    page = open_page("/desk?workshop=demo")
    loaded(page)
    for code in WORK:
        page.locator(f".labour-row[data-code='{code}'] input").check()
    page.locator("input[name=waiting][value=yes]").check()
    page.locator("[data-action=quote]").click()

    box = page.locator(".promise-box[data-promise]")
    expect(box).to_be_visible()
    expected = service.call(
        "POST",
        "/v1/workshops/demo/quotes",
        json={"work": [{"labour_code": c} for c in WORK], "arrival": "earliest", "customer_waiting": True},
    )
    promise = datetime.fromisoformat(expected["promise_at"])
    assert datetime.fromisoformat(box.get_attribute("data-promise") or "") == promise
    expect(box.locator(".promise-time")).to_have_text(promise.astimezone(DEMO_NOW.tzinfo).strftime("%H:%M"))
    for reason in expected["reasons"]:
        expect(page.get_by_text(reason, exact=True)).to_be_visible()

    slots = page.locator(".slot[data-grade]")
    expect(slots.first).to_be_visible()
    grades = set(page.eval_on_selector_all(".slot", "slots => slots.map(s => s.dataset.grade)"))
    assert grades and grades <= GRADES
    arrival_day = (
        datetime.fromisoformat(expected["arrival_at"]).astimezone(DEMO_NOW.tzinfo).date().isoformat()
    )
    expect(page.locator(f".slots .day-tabs [data-day='{arrival_day}']")).to_have_class("active")


def test_supplemental_work_is_previewed_shows_on_the_board_and_the_customer_declines_it(
    service: Service, open_page: OpenPage
) -> None:
    job_id = "RO-261123-001"  # arrived before opening on the demo day
    desk = open_page(f"/desk?workshop=demo&tab=supplemental&job={job_id}")
    loaded(desk)
    desk.locator(".labour-row[data-code='BRK-PAD-F'] input").check()
    desk.locator("textarea[name=note]").fill("front pads at 2 mm")
    desk.locator("[data-action=preview]").click()

    preview = desk.locator(".preview .proposal[data-status=pending]")
    expect(preview).to_be_visible()
    proposal = service.call("GET", f"/v1/workshops/demo/jobs/{job_id}/supplemental")["items"][-1]
    assert proposal["status"] == "pending" and proposal["note"] == "front pads at 2 mm"
    expect(preview).to_have_attribute("data-proposal", proposal["id"])

    board = open_page("/board?workshop=demo")
    loaded(board)
    for operation_id in proposal["operation_ids"]:
        ghost = board.locator(f".bar.state-supplemental[data-job='{job_id}'][data-op='{operation_id}']")
        expect(ghost).to_be_attached()

    preview.locator("[data-action=decline]").click()
    expect(desk.locator(f".preview .proposal[data-proposal='{proposal['id']}']")).to_have_attribute(
        "data-status", "declined"
    )
    decided = service.call("GET", f"/v1/workshops/demo/jobs/{job_id}/supplemental/{proposal['id']}")
    assert decided["status"] == "declined"

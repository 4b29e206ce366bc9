"""Promise quotes and appointment slots: the published plan stays, the promise has its margin."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from fixtures import load_fixture
from scheduler.labour import OperationSpec, WorkItem
from scheduler.plan import Plan
from scheduler.plan_validator import validate_plan
from scheduler.problem import Problem
from solver.planner import make_plan
from solver.quotes import (
    GREEDY,
    Grade,
    PartNeed,
    Prospect,
    QuoteError,
    appointment_slots,
    earliest_arrival,
    quote,
)
from solver.supplemental import preview_supplemental
from tests.solver.tiny_problems import job, operation, problem, technician

ZONE = datetime.fromisoformat("2026-11-23T00:00:00+08:00").tzinfo
DAY = date(2026, 11, 23)


def at(clock: str, day: date = DAY) -> datetime:
    return datetime.combine(day, datetime.strptime(clock, "%H:%M").time(), ZONE)


def valid(problem: Problem, plan: Plan) -> None:
    violations = validate_plan(problem, plan)
    assert not violations, "\n".join(f"{v.rule}: {v.message}" for v in violations)


@pytest.fixture(scope="module")
def demo() -> Problem:
    """The demo day with a published (greedy) plan."""
    day = load_fixture("dealership_day")
    return day.model_copy(update={"published_plan": make_plan(day, GREEDY)})


PADS = Prospect(
    work=[
        WorkItem(labour_code="QC-LANE"),
        WorkItem(labour_code="BRK-PAD-F"),
        WorkItem(labour_code="OIL-EXP"),
    ],
    customer_waiting=True,
)


def on_time(plan: Plan) -> set[str]:
    return {
        f.job_id
        for f in plan.jobs
        if f.promised_at is not None and f.completion is not None and f.completion <= f.promised_at
    }


def test_a_quote_keeps_the_published_plan_and_every_promise_it_keeps(demo: Problem) -> None:
    published = demo.published_plan
    assert published is not None
    answer = quote(demo, PADS)
    valid(answer.problem, answer.plan)
    for a in published.operations:
        kept = answer.plan.assignment(a.job_id, a.operation_id)
        assert kept is not None and (kept.technician_id, kept.bay_id, kept.start, kept.end) == (
            a.technician_id,
            a.bay_id,
            a.start,
            a.end,
        )
    assert on_time(published) <= on_time(answer.plan)
    assert [op.labour_code for op in answer.operations] == ["OIL-EXP", "BRK-PAD-F", "QC-LANE"]
    assert answer.arrival_at == at("08:00")  # seen at 07:30: the next opening
    assert all(op.start >= answer.arrival_at for op in answer.operations)
    assert answer.predicted_completion == max(op.end for op in answer.operations)


def test_the_promise_is_completion_plus_margin_up_to_the_quarter_hour_inside_opening_hours() -> None:
    day = problem(
        [technician("T1", {"maintenance": 2})],
        [],
        workshop={"labour_catalogue": [{"code": "OIL", "standard_minutes": 35, "skill": "maintenance"}]},
    )
    oil = Prospect(work=[WorkItem(labour_code="OIL")])
    morning = quote(day, oil, at("09:00"))
    assert morning.predicted_completion == at("09:35")
    assert morning.promise_at == at("10:15")  # 09:35 + 30 min, up to the quarter
    assert morning.margin_minutes == 40 and not morning.late_in_day
    evening = quote(day, oil, at("17:40"))
    assert evening.predicted_completion == at("18:15")  # overtime
    assert evening.promise_at == at("08:00", DAY + timedelta(days=1))  # handed over when it opens
    assert evening.late_in_day
    with pytest.raises(QuoteError) as raised:
        quote(day, oil, at("07:00"))
    assert raised.value.path == "arrival"


def test_a_part_on_order_holds_the_work_until_it_arrives() -> None:
    day = _contested()
    ordered = Prospect(work=[WorkItem(labour_code="BRK")], parts=[PartNeed("BP-F-CAM", 1, at("14:00"))])
    answer = quote(day, ordered, at("08:00"))
    [pads] = answer.operations
    assert pads.start == at("14:00")
    assert any("BP-F-CAM" in r and "14:00" in r for r in answer.reasons), answer.reasons
    assert not any(":QUOTE" in r for r in answer.reasons)
    on_hand = quote(
        day, Prospect(work=[WorkItem(labour_code="BRK")], parts=[PartNeed("BP-F-CAM")]), at("08:00")
    )
    assert on_hand.operations[0].start == at("08:00")


def test_work_nobody_here_can_do_gets_no_completion_and_says_why(demo: Problem) -> None:
    spec = OperationSpec(
        text="Gearbox rebuild", standard_minutes=120, skill="engine", min_level=3, certification="hv"
    )
    answer = quote(demo, Prospect(work=[WorkItem(operation=spec)]))
    assert answer.predicted_completion is None and answer.promise_at is None and answer.late_in_day
    assert any("certification hv" in r for r in answer.reasons), answer.reasons


def test_earliest_arrival_is_now_when_open() -> None:
    day = problem([technician("T1", {"maintenance": 2})], [], now="2026-11-23T10:02:00+08:00")
    assert earliest_arrival(day) == at("10:05")


def test_a_slot_promises_what_a_quote_for_that_arrival_promises(demo: Problem) -> None:
    slots = appointment_slots(demo, PADS, DAY, 60)
    assert [s.arrival_at for s in slots] == [at(f"{h:02d}:00") for h in range(8, 18)]
    for slot in slots[::4]:
        answer = quote(demo, PADS, slot.arrival_at)
        assert (slot.predicted_completion, slot.promise_at) == (
            answer.predicted_completion,
            answer.promise_at,
        )
    assert {s.grade for s in slots} <= {Grade.BEST, Grade.GOOD, Grade.FAIR, Grade.POOR}
    assert Grade.BEST in {s.grade for s in slots}


def _contested() -> Problem:
    """T1 alone can do X's engine work (08:00-10:00, promised 10:45); brakes go to T1 in an hour or
    to T2 (half as fast) in two. Nothing is published."""
    return problem(
        [
            technician("T1", {"engine": 2, "brakes_chassis": 2}),
            technician("T2", {"brakes_chassis": 2}, efficiency=0.5),
        ],
        [
            job(
                "X",
                [operation("10", 120, "engine")],
                appointment_at="2026-11-23T08:00:00+08:00",
                promised_at="2026-11-23T10:45:00+08:00",
            )
        ],
        workshop={"labour_catalogue": [{"code": "BRK", "standard_minutes": 60, "skill": "brakes_chassis"}]},
    )


def test_a_slot_that_would_break_a_promise_is_marked() -> None:
    day = _contested()
    slots = {
        s.arrival_at: s for s in appointment_slots(day, Prospect(work=[WorkItem(labour_code="BRK")]), DAY)
    }
    first = slots[at("08:00")]
    # Promised 10:30 (T2 08:00-10:00), booked there the job goes first and takes T1: X ends 11:00.
    assert first.promise_at == at("10:30")
    assert first.breaks_promise and first.broken_promises == ["X"]
    assert first.grade == Grade.POOR and first.moved_jobs == 1 and first.disturbance_minutes == 60
    later = slots[at("09:00")]
    assert not later.breaks_promise and later.disturbance_minutes == 0 and later.grade != Grade.POOR
    # The quote itself fits around X and breaks nothing.
    answer = quote(day, Prospect(work=[WorkItem(labour_code="BRK")]), at("08:00"))
    assert on_time(answer.plan) == {"X"}
    valid(answer.problem, answer.plan)


def test_slots_before_now_are_unavailable() -> None:
    day = _contested().model_copy(update={"now": at("10:10")})
    slots = appointment_slots(day, Prospect(work=[WorkItem(labour_code="BRK")]), DAY, 30)
    assert all(s.grade == Grade.UNAVAILABLE for s in slots if s.arrival_at < at("10:10"))
    assert all(s.grade != Grade.UNAVAILABLE for s in slots if s.arrival_at >= at("10:30"))


def test_a_supplemental_preview_shows_the_delay_and_who_moves(demo: Problem) -> None:
    from scheduler.labour import add_supplemental

    target = demo.job("RO-261123-002")  # front pads and the lane test, promised 17:00
    assert target is not None
    added = add_supplemental(target, [WorkItem(labour_code="SUS-F")], [], demo.workshop)
    preview = preview_supplemental(demo, added.job, set(added.operation_ids))
    valid(preview.problem, preview.plan)
    assert preview.completion_after is not None and preview.completion_before is not None
    assert preview.completion_after > preview.completion_before
    promised = target.promised_at
    assert promised is not None
    assert preview.delay_minutes == max(0, -((promised - preview.completion_after) // timedelta(minutes=1)))
    assert preview.new_promise_at is not None and preview.new_promise_at >= preview.completion_after
    assert all(m.job_id != target.id for m in preview.moved_jobs)

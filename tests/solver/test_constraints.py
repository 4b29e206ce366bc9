"""One pair per rule of the plan: the case where the rule does not bind, and the case
where breaking it would have improved the objective — the plan must keep it."""

from __future__ import annotations

from typing import Any

from tests.solver.conftest import Solve, hm, op
from tests.solver.tiny_problems import job, operation, problem, technician

PROMISE_0900 = "2026-11-23T09:00:00+08:00"


def busy_until_ten(job_id: str, technician_id: str, skill: str, **op_extra: Any) -> dict[str, Any]:
    """A job already under way on the technician, two hours to go."""
    progress = {
        "started_at": "2026-11-23T07:30:00+08:00",
        "technician_id": technician_id,
        "remaining_minutes": 120,
    }
    busy = operation("o", 120, skill=skill, status="started", progress=progress, **op_extra)
    return job(job_id, [busy], status="in_progress", arrived_at="2026-11-23T07:20:00+08:00")


def two_waiting_jobs(technicians: list[dict[str, Any]]) -> Any:
    jobs = [
        job(j, [operation("o", 60)], customer_waiting=True, promised_at=PROMISE_0900) for j in ("J1", "J2")
    ]
    return problem(technicians, jobs)


def test_technicians_work_in_parallel_when_two_are_free(solve: Solve) -> None:
    plan = solve(
        two_waiting_jobs([technician("T1", {"maintenance": 1}), technician("T2", {"maintenance": 1})])
    )
    assert {hm(op(plan, j, "o").start) for j in ("J1", "J2")} == {"08:00"}


def test_one_technician_is_never_double_booked(solve: Solve) -> None:
    plan = solve(two_waiting_jobs([technician("T1", {"maintenance": 1})]))
    starts = sorted(hm(op(plan, j, "o").start) for j in ("J1", "J2"))
    assert starts == ["08:00", "09:00"]
    assert plan.kpis.late_jobs == 1


def _skill_case(level: int) -> Any:
    techs = [technician("APPR", {"brakes_chassis": 1}), technician("MASTER", {"brakes_chassis": 3})]
    busy = busy_until_ten("BUSY", "MASTER", "brakes_chassis", min_level=3)
    target = job(
        "J",
        [operation("o", 60, skill="brakes_chassis", min_level=level)],
        customer_waiting=True,
        promised_at=PROMISE_0900,
    )
    return problem(techs, [busy, target])


def test_a_low_level_job_goes_to_the_free_apprentice(solve: Solve) -> None:
    plan = solve(_skill_case(level=1))
    assert op(plan, "J", "o").technician_id == "APPR"


def test_skill_level_is_kept_even_when_the_apprentice_is_free(solve: Solve) -> None:
    plan = solve(_skill_case(level=2))
    assert op(plan, "J", "o").technician_id == "MASTER"
    assert plan.kpis.late_jobs >= 1


def _certification_case(certification: str | None) -> Any:
    techs = [
        technician("PLAIN", {"ev_high_voltage": 2}),
        technician("HV", {"ev_high_voltage": 2}, certifications=["hv"]),
    ]
    busy = busy_until_ten("BUSY", "HV", "ev_high_voltage", certification="hv")
    target = job(
        "J",
        [operation("o", 60, skill="ev_high_voltage", certification=certification)],
        customer_waiting=True,
        promised_at=PROMISE_0900,
    )
    return problem(techs, [busy, target])


def test_uncertified_work_may_go_to_any_ev_technician(solve: Solve) -> None:
    assert op(solve(_certification_case(None)), "J", "o").technician_id == "PLAIN"


def test_high_voltage_work_waits_for_a_certified_technician(solve: Solve) -> None:
    plan = solve(_certification_case("hv"))
    assert op(plan, "J", "o").technician_id == "HV"
    assert hm(op(plan, "J", "o").start) == "10:00"


def _bay_case(capability: str) -> Any:
    techs = [technician("T1", {"alignment": 2}), technician("T2", {"alignment": 2})]
    bays = [
        {"id": "GEN", "capabilities": ["general"]},
        {"id": "ALN", "capabilities": ["alignment", "general"]},
    ]
    jobs = [
        job(
            j,
            [operation("o", 60, skill="alignment", bay_capability=capability)],
            customer_waiting=True,
            promised_at=PROMISE_0900,
        )
        for j in ("J1", "J2")
    ]
    return problem(techs, jobs, bays=bays)


def test_general_work_uses_both_bays(solve: Solve) -> None:
    plan = solve(_bay_case("general"))
    assert {op(plan, j, "o").bay_id for j in ("J1", "J2")} == {"GEN", "ALN"}


def test_bay_capability_is_kept_even_when_it_makes_a_job_late(solve: Solve) -> None:
    plan = solve(_bay_case("alignment"))
    assert {op(plan, j, "o").bay_id for j in ("J1", "J2")} == {"ALN"}
    assert plan.kpis.late_jobs == 1


def _lift_case(weight_kg: int) -> Any:
    techs = [technician("T1", {"maintenance": 1}), technician("T2", {"maintenance": 1})]
    bays = [{"id": "B2P"}, {"id": "B4P"}]
    lifts = [
        {"id": "L2P", "type": "two_post", "load_limit_kg": 2500, "bay_id": "B2P"},
        {"id": "L2P-HD", "type": "two_post", "load_limit_kg": 3500, "bay_id": "B4P"},
    ]
    jobs = [
        job(
            j,
            [operation("o", 60, lift_type="two_post")],
            vehicle={"weight_kg": weight_kg},
            customer_waiting=True,
            promised_at=PROMISE_0900,
        )
        for j in ("J1", "J2")
    ]
    return problem(techs, jobs, bays=bays, lifts=lifts)


def test_light_cars_use_both_lifts(solve: Solve) -> None:
    plan = solve(_lift_case(1600))
    assert {op(plan, j, "o").lift_id for j in ("J1", "J2")} == {"L2P", "L2P-HD"}


def test_a_heavy_car_only_goes_on_a_lift_that_can_carry_it(solve: Solve) -> None:
    plan = solve(_lift_case(3000))
    assert {op(plan, j, "o").lift_id for j in ("J1", "J2")} == {"L2P-HD"}
    assert plan.kpis.late_jobs == 1


def _mobile_lift_case(mobile_lifts: int) -> Any:
    techs = [technician("T1", {"tyres": 1}), technician("T2", {"tyres": 1})]
    lifts = [{"id": f"COL{i}", "type": "column", "load_limit_kg": 5000} for i in range(mobile_lifts)]
    jobs = [
        job(
            j,
            [operation("o", 60, skill="tyres", lift_type="column")],
            customer_waiting=True,
            promised_at=PROMISE_0900,
        )
        for j in ("J1", "J2")
    ]
    return problem(techs, jobs, lifts=lifts)


def test_two_mobile_lifts_serve_two_flat_bays_at_once(solve: Solve) -> None:
    plan = solve(_mobile_lift_case(2))
    assert {hm(op(plan, j, "o").start) for j in ("J1", "J2")} == {"08:00"}


def test_one_mobile_lift_is_in_one_bay_at_a_time(solve: Solve) -> None:
    plan = solve(_mobile_lift_case(1))
    assert sorted(hm(op(plan, j, "o").start) for j in ("J1", "J2")) == ["08:00", "09:00"]


def _equipment_case(count: int) -> Any:
    techs = [technician("T1", {"alignment": 1}), technician("T2", {"alignment": 1})]
    jobs = [
        job(
            j,
            [operation("o", 60, skill="alignment", equipment=["rig"])],
            customer_waiting=True,
            promised_at=PROMISE_0900,
        )
        for j in ("J1", "J2")
    ]
    return problem(techs, jobs, equipment=[{"id": "rig", "count": count}])


def test_two_rigs_allow_two_alignments_at_once(solve: Solve) -> None:
    plan = solve(_equipment_case(2))
    assert {hm(op(plan, j, "o").start) for j in ("J1", "J2")} == {"08:00"}
    assert {op(plan, j, "o").equipment[0].unit for j in ("J1", "J2")} == {1, 2}


def test_one_rig_is_used_by_one_operation_at_a_time(solve: Solve) -> None:
    plan = solve(_equipment_case(1))
    assert sorted(hm(op(plan, j, "o").start) for j in ("J1", "J2")) == ["08:00", "09:00"]


def _car_case(same_job: bool) -> Any:
    techs = [technician("T1", {"maintenance": 1}), technician("T2", {"maintenance": 1})]
    ops = [operation("a", 60), operation("b", 60)]
    jobs = (
        [job("J", ops, customer_waiting=True, promised_at=PROMISE_0900)]
        if same_job
        else [job(f"J{o['id']}", [o], customer_waiting=True, promised_at=PROMISE_0900) for o in ops]
    )
    return problem(techs, jobs)


def test_operations_of_two_cars_run_side_by_side(solve: Solve) -> None:
    plan = solve(_car_case(same_job=False))
    assert plan.kpis.late_jobs == 0


def test_a_car_is_in_one_place_at_a_time(solve: Solve) -> None:
    plan = solve(_car_case(same_job=True))
    a, b = op(plan, "J", "a"), op(plan, "J", "b")
    assert a.end <= b.start or b.end <= a.start


def _arrival_case(arrival: str | None) -> Any:
    extra = {"arrived_at": arrival} if arrival else {}
    return problem([technician("T1", {"maintenance": 1})], [job("J", [operation("o", 30)], **extra)])


def test_work_starts_at_opening_when_the_car_is_there(solve: Solve) -> None:
    assert hm(op(solve(_arrival_case(None)), "J", "o").start) == "08:00"


def test_work_never_starts_before_the_car_arrives(solve: Solve) -> None:
    assert hm(op(solve(_arrival_case("2026-11-23T10:03:00+08:00")), "J", "o").start) == "10:05"


def _parts_case(on_hand: int) -> Any:
    techs = [technician("T1", {"brakes_chassis": 1}), technician("T2", {"brakes_chassis": 1})]
    pads = [{"part_number": "PAD-1", "quantity": 1}]
    jobs = [
        job(
            "DROP",
            [operation("o", 60, skill="brakes_chassis", parts=pads)],
            promised_at="2026-11-23T17:00:00+08:00",
        ),
        job(
            "WAIT",
            [operation("o", 60, skill="brakes_chassis", parts=pads)],
            customer_waiting=True,
            promised_at=PROMISE_0900,
        ),
    ]
    parts = {
        "stock": [{"part_number": "PAD-1", "on_hand": on_hand}],
        "deliveries": [{"part_number": "PAD-1", "quantity": 1, "eta": "2026-11-23T14:00:00+08:00"}],
    }
    return problem(techs, jobs, parts=parts)


def test_both_jobs_start_when_stock_covers_them(solve: Solve) -> None:
    plan = solve(_parts_case(on_hand=2))
    assert {hm(op(plan, j, "o").start) for j in ("DROP", "WAIT")} == {"08:00"}


def test_short_stock_goes_to_the_waiting_customer_and_the_other_job_waits_for_delivery(solve: Solve) -> None:
    plan = solve(_parts_case(on_hand=1))
    assert hm(op(plan, "WAIT", "o").start) == "08:00"
    assert hm(op(plan, "DROP", "o").start) >= "14:00"


def _order_case(ordered: bool) -> Any:
    techs = [technician("T1", {"maintenance": 1}), technician("T2", {"maintenance": 1})]
    repair = operation("repair", 60, predecessors=["diag"] if ordered else [])
    jobs = [job("J", [operation("diag", 60), repair], customer_waiting=True, promised_at=PROMISE_0900)]
    return problem(techs, jobs)


def test_independent_operations_may_go_first_either_way(solve: Solve) -> None:
    plan = solve(_order_case(ordered=False))
    assert plan.kpis.late_jobs == 1  # the car's two hours of work cannot fit in one


def test_repair_follows_diagnosis(solve: Solve) -> None:
    plan = solve(_order_case(ordered=True))
    assert op(plan, "J", "repair").start >= op(plan, "J", "diag").end


def test_a_short_operation_before_lunch_runs_in_one_piece(solve: Solve) -> None:
    plan = solve(problem([technician("T1", {"maintenance": 1})], [job("J", [operation("o", 60)])]))
    assert len(op(plan, "J", "o").pieces) == 1


def test_a_long_operation_pauses_over_lunch_with_the_same_technician(solve: Solve) -> None:
    tech = technician("T1", {"maintenance": 1})
    busy = job("EARLY", [operation("o", 180)], priority="vip", promised_at="2026-11-23T11:00:00+08:00")
    plan = solve(problem([tech], [busy, job("J", [operation("o", 120)])]))
    assignment = op(plan, "J", "o")
    assert [(hm(p.start), hm(p.end)) for p in assignment.pieces] == [("11:00", "12:00"), ("13:00", "14:00")]
    assert assignment.work_minutes == 120


def test_a_two_day_job_pauses_overnight_and_keeps_its_bay(solve: Solve) -> None:
    settings = {"horizon_days": 2, "overtime_max_minutes_per_day": 0}
    plan = solve(
        problem(
            [technician("T1", {"engine": 3})],
            [job("J", [operation("o", 720, skill="engine")])],
            settings=settings,
        )
    )
    assignment = op(plan, "J", "o")
    assert assignment.start.date() != assignment.end.date()
    assert len(assignment.pieces) == 3  # morning, afternoon, next morning


def _efficiency_case(efficiency: float) -> Any:
    return problem(
        [technician("T1", {"maintenance": 1}, efficiency=efficiency)], [job("J", [operation("o", 60)])]
    )


def test_standard_time_at_efficiency_one(solve: Solve) -> None:
    assert op(solve(_efficiency_case(1.0)), "J", "o").work_minutes == 60


def test_duration_is_standard_time_over_efficiency(solve: Solve) -> None:
    assert op(solve(_efficiency_case(1.25)), "J", "o").work_minutes == 50  # 48 min, up to the 5-min grain


def _started_case(started: bool) -> Any:
    techs = [technician("FAST", {"maintenance": 1}, efficiency=1.5), technician("SLOW", {"maintenance": 1})]
    operation_ = operation("o", 60)
    if started:
        operation_ |= {
            "status": "started",
            "progress": {"started_at": "2026-11-23T07:30:00+08:00", "technician_id": "SLOW", "bay_id": "B2"},
        }
    jobs = [
        job(
            "J",
            [operation_],
            status="in_progress" if started else "arrived",
            arrived_at="2026-11-23T07:20:00+08:00",
            customer_waiting=True,
            promised_at=PROMISE_0900,
        )
    ]
    return problem(techs, jobs)


def test_pending_work_goes_to_the_faster_technician(solve: Solve) -> None:
    assert op(solve(_started_case(started=False)), "J", "o").technician_id == "FAST"


def test_started_work_stays_where_it_is(solve: Solve) -> None:
    assignment = op(solve(_started_case(started=True)), "J", "o")
    assert (assignment.technician_id, assignment.bay_id, assignment.started) == ("SLOW", "B2", True)


def _pin_case(pinned: bool) -> Any:
    techs = [technician("T1", {"maintenance": 1}), technician("T2", {"maintenance": 1})]
    operation_ = operation("o", 60)
    if pinned:
        operation_["pin"] = {"technician_id": "T2", "start": "2026-11-23T10:00:00+08:00"}
    jobs = [job("J", [operation_], customer_waiting=True, promised_at=PROMISE_0900)]
    return problem(techs, jobs)


def test_unpinned_work_starts_at_once(solve: Solve) -> None:
    assert hm(op(solve(_pin_case(pinned=False)), "J", "o").start) == "08:00"


def test_a_pin_is_kept_even_when_it_makes_the_job_late(solve: Solve) -> None:
    assignment = op(solve(_pin_case(pinned=True)), "J", "o")
    assert (assignment.technician_id, hm(assignment.start), assignment.pinned) == ("T2", "10:00", True)


def _outage_case(out_of_service: bool) -> Any:
    windows = [{"start": "2026-11-23T07:00:00+08:00", "end": "2026-11-23T10:00:00+08:00"}]
    bays = [{"id": "B1", "out_of_service": windows if out_of_service else []}]
    jobs = [job("J", [operation("o", 60)], customer_waiting=True, promised_at=PROMISE_0900)]
    return problem([technician("T1", {"maintenance": 1})], jobs, bays=bays)


def test_a_bay_in_service_is_used_at_once(solve: Solve) -> None:
    assert hm(op(solve(_outage_case(False)), "J", "o").start) == "08:00"


def test_a_bay_out_of_service_is_not_used(solve: Solve) -> None:
    assert hm(op(solve(_outage_case(True)), "J", "o").start) == "10:00"


def _absence_case(absent: bool) -> Any:
    absences = [{"start": "2026-11-23T08:00:00+08:00", "end": "2026-11-23T11:00:00+08:00"}] if absent else []
    jobs = [job("J", [operation("o", 60)], customer_waiting=True, promised_at=PROMISE_0900)]
    return problem([technician("T1", {"maintenance": 1}, absences=absences)], jobs)


def test_a_present_technician_starts_at_opening(solve: Solve) -> None:
    assert hm(op(solve(_absence_case(False)), "J", "o").start) == "08:00"


def test_an_absent_technician_gets_no_work(solve: Solve) -> None:
    assert hm(op(solve(_absence_case(True)), "J", "o").start) == "11:00"


def _closing_case(promise: str) -> Any:
    busy = job("BUSY", [operation("o", 480)], priority="vip", promised_at="2026-11-23T17:00:00+08:00")
    target = job("J", [operation("o", 90)], promised_at=promise)
    return problem([technician("T1", {"maintenance": 1})], [busy, target], settings={"horizon_days": 2})


def test_work_due_tomorrow_pauses_at_closing_time(solve_cpsat: Solve) -> None:
    assignment = op(solve_cpsat(_closing_case("2026-11-24T12:00:00+08:00")), "J", "o")
    assert assignment.overtime_minutes == 0


def test_work_due_tonight_is_finished_in_overtime(solve_cpsat: Solve) -> None:
    plan = solve_cpsat(_closing_case("2026-11-23T19:00:00+08:00"))
    assignment = op(plan, "J", "o")
    assert assignment.overtime_minutes == 30
    assert hm(assignment.end) == "18:30"
    assert plan.kpis.overtime_minutes == 30


def test_a_pin_into_the_lunch_break_starts_when_work_resumes(solve: Solve) -> None:
    operation_ = operation("o", 60, pin={"technician_id": "T1", "start": "2026-11-23T12:30:00+08:00"})
    plan = solve(problem([technician("T1", {"maintenance": 1})], [job("J", [operation_])]))
    assert hm(op(plan, "J", "o").start) == "13:00"


def test_started_work_with_time_left_keeps_only_that_time(solve: Solve) -> None:
    progress = {"started_at": "2026-11-23T07:30:00+08:00", "technician_id": "T1", "remaining_minutes": 45}
    started = operation("o", 120, status="started", progress=progress)
    jobs = [job("J", [started], status="in_progress", arrived_at="2026-11-23T07:20:00+08:00")]
    assignment = op(solve(problem([technician("T1", {"maintenance": 1})], jobs)), "J", "o")
    assert [(hm(p.start), hm(p.end)) for p in assignment.pieces] == [("08:00", "08:45")]
    assert assignment.work_minutes == 120


def _paused_started_work(remaining: int) -> dict[str, Any]:
    """A job under way on T1 in bay B1 since 11:00, `remaining` minutes to go."""
    progress = {
        "started_at": "2026-11-23T11:00:00+08:00",
        "technician_id": "T1",
        "bay_id": "B1",
        "remaining_minutes": remaining,
    }
    started = operation("o", 120, status="started", progress=progress)
    return job("BUSY", [started], status="in_progress", arrived_at="2026-11-23T10:50:00+08:00")


def _t1_lunches_t2_works_through() -> list[dict[str, Any]]:
    """T1 lunches 12:00-13:00 on Monday; T2 works 08:00-18:00 without a break."""
    lunch = {"start": "12:00", "end": "13:00"}
    shift = {"days": ["mon"], "window": {"start": "08:00", "end": "18:00"}}
    return [
        technician("T1", {"maintenance": 1}, shifts=[{**shift, "breaks": [lunch]}]),
        technician("T2", {"maintenance": 1}, shifts=[shift]),
    ]


def test_started_work_paused_for_lunch_keeps_its_bay_until_it_resumes(solve: Solve) -> None:
    # T1 lunches 12:00-13:00; T2 works through it and could use the bay meanwhile, but the car of
    # T1's paused job stands there: the next car comes in after it.
    techs = _t1_lunches_t2_works_through()
    waiting = job("J", [operation("o", 30)], arrived_at="2026-11-23T11:50:00+08:00")
    day = problem(
        techs,
        [_paused_started_work(60), waiting],
        bays=[{"id": "B1"}],
        now="2026-11-23T12:05:00+08:00",
        workshop={"default_breaks": []},
    )
    plan = solve(day)
    assert hm(op(plan, "BUSY", "o").end) == "14:00"
    assert hm(op(plan, "J", "o").start) == "14:00"


def test_started_work_paused_in_overtime_keeps_its_technician_until_it_resumes(solve: Solve) -> None:
    # At 18:02 T1's job needs 90 more minutes: more than tonight's overtime, so it resumes tomorrow.
    # Only T1 can do the quick check; he does not squeeze it into tonight's overtime meanwhile.
    techs = [
        technician("T1", {"maintenance": 1, "quality_inspection": 1}),
        technician("T2", {"maintenance": 1}),
    ]
    check = job(
        "J", [operation("check", 10, skill="quality_inspection")], arrived_at="2026-11-23T17:50:00+08:00"
    )
    day = problem(
        techs,
        [_paused_started_work(90), check],
        now="2026-11-23T18:02:00+08:00",
        settings={"horizon_days": 2},
    )
    plan = solve(day)
    busy = op(plan, "BUSY", "o")
    assert hm(busy.pieces[-1].start) == "08:00"
    assert op(plan, "J", "check").start >= busy.end


def test_started_work_paused_for_lunch_keeps_its_equipment_unit_until_it_resumes(solve: Solve) -> None:
    # Two testers. T1's job has held tester 1 since 11:00 and is paused for lunch; T2's job, under way
    # through lunch since 11:30, holds the other one: the two never share a unit number.
    techs = _t1_lunches_t2_works_through()
    paused = _paused_started_work(60)
    paused["operations"][0]["equipment"] = ["tester"]
    progress = {"started_at": "2026-11-23T11:30:00+08:00", "technician_id": "T2", "remaining_minutes": 30}
    running = job(
        "RUN",
        [operation("o", 60, status="started", progress=progress, equipment=["tester"])],
        status="in_progress",
        arrived_at="2026-11-23T11:20:00+08:00",
    )
    day = problem(
        techs,
        [paused, running],
        bays=[{"id": "B1"}, {"id": "B2"}],
        equipment=[{"id": "tester", "count": 2}],
        now="2026-11-23T12:05:00+08:00",
        workshop={"default_breaks": []},
    )
    plan = solve(day)
    assert hm(op(plan, "RUN", "o").end) == "12:35" and hm(op(plan, "BUSY", "o").pieces[-1].start) == "13:00"
    assert {op(plan, j, "o").equipment[0].unit for j in ("BUSY", "RUN")} == {1, 2}


def test_asked_after_closing_with_a_one_day_horizon_the_plan_is_empty_and_says_why(solve: Solve) -> None:
    # 20:45 on a one-day horizon: no working minute is left, yet the service still needs a plan.
    day = problem(
        [technician("T1", {"maintenance": 1})],
        [job("J", [operation("o", 30)])],
        now="2026-11-23T20:45:00+08:00",
    )
    plan = solve(day)
    assert not plan.operations and [u.operation_id for u in plan.unplanned] == ["o"]
    assert plan.horizon_start == plan.horizon_end
    assert plan.unplanned[0].reason

"""The independent plan validator on one tiny workshop day and hand-built plans.

The valid plan below satisfies every rule; each other test corrupts one thing (in the
plan, or the problem the plan answers) and expects exactly the rule that guards it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scheduler.plan import (
    Engine,
    EquipmentUse,
    JobForecast,
    Kpis,
    OperationAssignment,
    Plan,
    SolveInfo,
    SolveStatus,
    UnplannedOperation,
    WorkPiece,
)
from scheduler.plan_validator import Violation, assert_valid, recompute_kpis, validate_plan
from scheduler.problem import Problem

ZONE = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")


def at(hour: int, minute: int = 0, day: int = 3) -> datetime:
    """Wall-clock time in the workshop; 2025-03-03 is a Monday, the 1st a Saturday."""
    return datetime(2025, 3, day, hour, minute, tzinfo=ZONE)


NOW = at(8)
HORIZON_END = at(19)  # Monday's shifts end at 18:00, plus 60 minutes of overtime.

Data = dict[str, Any]


# --- the problem ---------------------------------------------------------------------------------------


def _tech(tech_id: str, skills: dict[str, int], **extra: Any) -> Data:
    return {"id": tech_id, "skills": [{"skill": s, "level": lv} for s, lv in skills.items()], **extra}


def _op(op_id: str, minutes: int, skill: str | None = "maintenance", **extra: Any) -> Data:
    return {"id": op_id, "standard_minutes": minutes, "skill": skill, **extra}


def problem_data() -> Data:
    technicians = [
        _tech("t1", {"maintenance": 2, "brakes_chassis": 3, "alignment": 2}),
        _tech("t2", {"brakes_chassis": 2, "maintenance": 1}, efficiency=1.25),
        _tech("t3", {"engine": 1, "alignment": 2}),
        _tech("t4", {"wash": 1, "maintenance": 1}),
    ]
    bays = [
        {"id": "b1", "out_of_service": [{"start": at(14), "end": at(16)}]},
        {"id": "b2", "capabilities": ["general", "alignment"], "max_vehicle_weight_kg": 2500},
        {"id": "b3"},
        {"id": "b4"},
        {"id": "b5"},
        {"id": "b6"},
    ]
    lifts = [
        {"id": "L1", "type": "two_post", "load_limit_kg": 3000, "bay_id": "b1"},
        {"id": "L3", "type": "two_post", "load_limit_kg": 3000, "bay_id": "b5"},
        {"id": "M1", "type": "column", "load_limit_kg": 2500},
        {"id": "L2", "type": "column", "load_limit_kg": 1500},
    ]
    equipment = [
        {"id": "rig", "count": 1, "out_of_service": [{"start": at(10, 30), "end": at(11, 30), "units": 1}]},
        {"id": "tester", "count": 2},
    ]
    jobs = [
        {
            "id": "J1",
            "arrived_at": at(7, 30),
            "promised_at": at(17),
            "status": "arrived",
            "operations": [
                _op("o0", 10, status="done"),
                _op("o1", 60, min_level=2, lift_type="two_post", parts=[{"part_number": "P1"}]),
                _op(
                    "o2", 30, "alignment", bay_capability="alignment", equipment=["rig"], predecessors=["o1"]
                ),
            ],
        },
        {
            "id": "J2",
            "appointment_at": at(9),
            "promised_at": at(12),
            "vehicle": {"weight_kg": 2000},
            "operations": [
                _op(
                    "a",
                    90,
                    "brakes_chassis",
                    min_level=2,
                    lift_type="column",
                    equipment=["tester"],
                    pin={"technician_id": "t2", "start": at(9)},
                ),
                _op("b", 30, bay_capability=None),
                _op("d", 20, approval="declined"),
            ],
        },
        {
            "id": "J3",
            "arrived_at": at(8),
            "promised_at": at(12),
            "status": "arrived",
            "operations": [_op("x", 150), _op("y", 30, None, crew_size=0, predecessors=["x"])],
        },
        {
            "id": "J4",
            "appointment_at": at(8),
            "operations": [_op("z", 60, certification="hv"), _op("z2", 30, predecessors=["z"])],
        },
        {
            "id": "J5",
            "arrived_at": at(16, day=1),
            "promised_at": at(9),
            "status": "in_progress",
            "operations": [
                _op(
                    "s",
                    120,
                    "engine",
                    equipment=["tester"],
                    status="started",
                    progress={
                        "started_at": at(17, day=1),
                        "technician_id": "t3",
                        "bay_id": "b4",
                        "remaining_minutes": 120,
                    },
                )
            ],
        },
        {"id": "J6", "status": "cancelled", "operations": [_op("c", 30)]},
    ]
    return {
        "workshop": {
            "id": "w",
            "timezone": "Asia/Shanghai",
            "technicians": technicians,
            "bays": bays,
            "lifts": lifts,
            "equipment": equipment,
            "settings": {"horizon_days": 1, "grain_minutes": 5, "overtime_max_minutes_per_day": 60},
        },
        "jobs": jobs,
        "parts": {
            "stock": [{"part_number": "P1", "on_hand": 0}],
            "deliveries": [{"part_number": "P1", "quantity": 1, "eta": at(8, 30)}],
        },
        "now": NOW,
    }


def make_problem(tweak: Callable[[Data], None] | None = None) -> Problem:
    data = problem_data()
    if tweak is not None:
        tweak(data)
    return Problem.model_validate(data)


def op_data(data: Data, job_id: str, op_id: str) -> Data:
    job = next(j for j in data["jobs"] if j["id"] == job_id)
    return next(o for o in job["operations"] if o["id"] == op_id)


def item_data(data: Data, kind: str, item_id: str) -> Data:
    return next(x for x in data["workshop"][kind] if x["id"] == item_id)


# --- the plan ------------------------------------------------------------------------------------------


def assign(
    job_id: str,
    op_id: str,
    tech: str | None,
    bay: str | None,
    start: datetime,
    end: datetime,
    pieces: list[tuple[datetime, datetime]] | None = None,
    **extra: Any,
) -> OperationAssignment:
    windows = pieces if pieces is not None else [(start, end)]
    worked = sum(((e - s) for s, e in windows), timedelta(0)) // timedelta(minutes=1)
    return OperationAssignment(
        job_id=job_id,
        operation_id=op_id,
        technician_id=tech,
        bay_id=bay,
        start=start,
        end=end,
        pieces=[WorkPiece(start=s, end=e) for s, e in windows],
        work_minutes=extra.pop("work_minutes", worked),
        **extra,
    )


def forecast(job_id: str, completion: datetime | None, promised: datetime | None) -> JobForecast:
    slack = (
        None if completion is None or promised is None else int((promised - completion).total_seconds() // 60)
    )
    late = promised is not None and (completion is None or completion > promised)
    return JobForecast(
        job_id=job_id,
        completion=completion,
        promised_at=promised,
        slack_minutes=slack,
        late=late,
        at_risk=late,
        call_customer_at=None,
        progress_check_at=None,
    )


def valid_plan() -> Plan:
    operations = [
        assign("J1", "o1", "t1", "b1", at(8, 30), at(9, 30), lift_id="L1"),
        assign("J1", "o2", "t1", "b2", at(9, 30), at(10), equipment=[EquipmentUse(pool_id="rig", unit=1)]),
        assign(
            "J2",
            "a",
            "t2",
            "b3",
            at(9),
            at(10, 15),
            lift_id="M1",
            equipment=[EquipmentUse(pool_id="tester", unit=1)],
            pinned=True,
        ),
        assign("J2", "b", "t4", None, at(10, 15), at(10, 45)),
        assign("J3", "x", "t2", "b1", at(10, 15), at(13, 15), [(at(10, 15), at(12)), (at(13), at(13, 15))]),
        assign("J3", "y", None, "b1", at(13, 15), at(13, 45)),
        assign(
            "J5",
            "s",
            "t3",
            "b4",
            at(17, day=1),
            at(10),
            [(at(17, day=1), at(18, day=1)), (at(8), at(10))],
            equipment=[EquipmentUse(pool_id="tester", unit=2)],
            started=True,
        ),
    ]
    return Plan(
        workshop_id="w",
        created_at=NOW,
        horizon_start=NOW,
        horizon_end=HORIZON_END,
        solve=SolveInfo(
            engine=Engine.GREEDY,
            status=SolveStatus.GREEDY,
            objective=None,
            best_bound=None,
            solve_seconds=0.0,
        ),
        operations=operations,
        unplanned=[
            UnplannedOperation(job_id="J4", operation_id="z", reason="no hv-certified technician"),
            UnplannedOperation(job_id="J4", operation_id="z2", reason="predecessor z unplanned"),
        ],
        jobs=[
            forecast("J1", at(10), at(17)),
            forecast("J2", at(10, 45), at(12)),
            forecast("J3", at(13, 45), at(12)),
            forecast("J4", None, None),
            forecast("J5", at(10), at(9)),
        ],
        kpis=Kpis(
            jobs_planned=4,
            jobs_with_promise=4,
            on_time_share=0.5,
            late_jobs=2,
            total_tardiness_minutes=105 + 60,
            worst_tardiness_minutes=105,
            technician_utilisation=0.4,
            overtime_minutes=0,
            unplanned_operations=2,
        ),
    )


def summarised(problem: Problem, plan: Plan) -> Plan:
    """The plan with job forecasts and KPIs rebuilt, after a test moved its operations."""
    forecasts = []
    for job in problem.plannable_jobs():
        ops = [op.id for op in job.operations if op.plannable]
        ends = {a.operation_id: a.end for a in plan.operations if a.job_id == job.id}
        completion = max(ends.values()) if ops and set(ops) <= set(ends) else None
        forecasts.append(forecast(job.id, completion, job.promised_at))
    plan = plan.model_copy(update={"jobs": forecasts})
    kpis = recompute_kpis(problem, plan)
    return plan.model_copy(
        update={
            "kpis": Kpis(
                jobs_planned=int(kpis["jobs_planned"]),
                jobs_with_promise=int(kpis["jobs_with_promise"]),
                on_time_share=kpis["on_time_share"],
                late_jobs=int(kpis["late_jobs"]),
                total_tardiness_minutes=int(kpis["total_tardiness_minutes"]),
                worst_tardiness_minutes=int(kpis["worst_tardiness_minutes"]),
                technician_utilisation=plan.kpis.technician_utilisation,
                overtime_minutes=int(kpis["overtime_minutes"]),
                unplanned_operations=int(kpis["unplanned_operations"]),
            )
        }
    )


def changed(plan: Plan, job_id: str, op_id: str, **update: Any) -> Plan:
    """The plan with one assignment's fields replaced."""
    if "pieces" in update:
        update["pieces"] = [WorkPiece(start=s, end=e) for s, e in update["pieces"]]
    operations = [
        a.model_copy(update=update) if (a.job_id, a.operation_id) == (job_id, op_id) else a
        for a in plan.operations
    ]
    return plan.model_copy(update={"operations": operations})


def moved(problem: Problem, plan: Plan, job_id: str, op_id: str, start: datetime, end: datetime) -> Plan:
    """One assignment moved to a single piece [start, end), forecasts and KPIs rebuilt."""
    return summarised(problem, changed(plan, job_id, op_id, start=start, end=end, pieces=[(start, end)]))


def rules(problem: Problem, plan: Plan) -> set[str]:
    return {v.rule for v in validate_plan(problem, plan)}


# --- the valid plan ------------------------------------------------------------------------------------


def test_valid_plan_has_no_violations() -> None:
    assert validate_plan(make_problem(), valid_plan()) == []
    assert_valid(make_problem(), valid_plan())


def test_timestamps_are_compared_as_instants() -> None:
    plan = valid_plan()
    operations = [
        a.model_copy(
            update={
                "start": a.start.astimezone(UTC),
                "end": a.end.astimezone(UTC),
                "pieces": [
                    WorkPiece(start=p.start.astimezone(UTC), end=p.end.astimezone(UTC)) for p in a.pieces
                ],
            }
        )
        for a in plan.operations
    ]
    assert validate_plan(make_problem(), plan.model_copy(update={"operations": operations})) == []


def test_recomputed_kpis_match_the_hand_count() -> None:
    assert recompute_kpis(make_problem(), valid_plan()) == {
        "jobs_planned": 4,
        "jobs_with_promise": 4,
        "on_time_share": 0.5,
        "late_jobs": 2,
        "total_tardiness_minutes": 165,
        "worst_tardiness_minutes": 105,
        "overtime_minutes": 0,
        "unplanned_operations": 2,
    }
    problem = make_problem()
    assert summarised(problem, valid_plan()) == valid_plan()


def test_unfinished_promised_job_is_late_up_to_the_horizon_end() -> None:
    problem = make_problem(lambda d: d["jobs"][3].update(promised_at=at(18)))
    plan = summarised(problem, valid_plan())
    kpis = recompute_kpis(problem, plan)
    assert (kpis["jobs_with_promise"], kpis["late_jobs"], kpis["total_tardiness_minutes"]) == (5, 3, 165 + 60)
    assert validate_plan(problem, plan) == []


def test_overtime_is_allowed_and_counted() -> None:
    problem = make_problem()
    plan = moved(problem, valid_plan(), "J1", "o2", at(18), at(18, 30))
    assert rules(problem, plan) == {"overtime_mismatch"}
    plan = summarised(problem, changed(plan, "J1", "o2", overtime_minutes=30))
    assert validate_plan(problem, plan) == []
    assert recompute_kpis(problem, plan)["overtime_minutes"] == 30


def test_every_violation_is_listed_not_only_the_first() -> None:
    problem = make_problem()
    plan = changed(valid_plan(), "J1", "o2", technician_id="t3")
    plan = changed(plan, "J1", "o1", start=at(8), end=at(9), pieces=[(at(8), at(9))])
    found = validate_plan(problem, plan)
    assert {v.rule for v in found} == {"technician_double_booked", "parts_shortage"}
    with pytest.raises(AssertionError) as raised:
        assert_valid(problem, plan)
    assert "technician_double_booked" in str(raised.value)
    assert "parts_shortage" in str(raised.value)
    assert Violation("parts_shortage", "J1", "o1", "x").job_id == "J1"


# --- coverage ------------------------------------------------------------------------------------------


def test_missing_operation() -> None:
    problem = make_problem()
    plan = valid_plan()
    plan = plan.model_copy(update={"operations": [a for a in plan.operations if a.operation_id != "o2"]})
    found = validate_plan(problem, summarised(problem, plan))
    assert [(v.rule, v.job_id, v.operation_id) for v in found] == [("missing_operation", "J1", "o2")]


def test_duplicate_operation() -> None:
    plan = valid_plan()
    extra = UnplannedOperation(job_id="J1", operation_id="o1", reason="?")
    plan = plan.model_copy(update={"unplanned": [*plan.unplanned, extra]})
    assert rules(make_problem(), plan) == {"duplicate_operation"}


def test_unknown_operation() -> None:
    plan = valid_plan()
    ghost = plan.operations[0].model_copy(update={"operation_id": "nope"})
    stray = UnplannedOperation(job_id="J9", operation_id="x", reason="?")
    plan = plan.model_copy(
        update={"operations": [*plan.operations, ghost], "unplanned": [*plan.unplanned, stray]}
    )
    assert [v.rule for v in validate_plan(make_problem(), plan)] == ["unknown_operation"] * 2


def test_done_declined_and_cancelled_work_is_not_planned() -> None:
    plan = valid_plan()
    strays = [
        UnplannedOperation(job_id=j, operation_id=o, reason="?")
        for j, o in [("J1", "o0"), ("J2", "d"), ("J6", "c")]
    ]
    plan = plan.model_copy(update={"unplanned": [*plan.unplanned, *strays]})
    assert [v.rule for v in validate_plan(make_problem(), plan)] == ["not_plannable_operation"] * 3


def test_successor_of_unplanned_work_must_stay_unplanned() -> None:
    problem = make_problem()
    plan = valid_plan()
    plan = plan.model_copy(
        update={
            "operations": [*plan.operations, assign("J4", "z2", "t1", "b6", at(10), at(10, 30))],
            "unplanned": plan.unplanned[:1],
        }
    )
    assert rules(problem, summarised(problem, plan)) == {"unplanned_predecessor"}


# --- pieces, working time, duration --------------------------------------------------------------------


def test_unsorted_pieces() -> None:
    plan = changed(valid_plan(), "J1", "o1", pieces=[(at(9), at(9, 30)), (at(8, 30), at(9))])
    assert rules(make_problem(), plan) == {"invalid_pieces"}


def test_piece_in_a_break() -> None:
    plan = changed(valid_plan(), "J3", "x", end=at(12, 15), pieces=[(at(10, 15), at(12, 15))])
    found = validate_plan(make_problem(), plan)
    assert [(v.rule, v.operation_id) for v in found] == [("outside_working_time", "x")]


def test_wrong_work_minutes() -> None:
    assert rules(make_problem(), changed(valid_plan(), "J1", "o1", work_minutes=55)) == {
        "work_minutes_mismatch"
    }


def test_duration_ignores_efficiency() -> None:
    # t2 has efficiency 1.25: x takes 150 / 1.25 = 120 minutes, not 150.
    problem = make_problem()
    plan = changed(
        valid_plan(),
        "J3",
        "x",
        end=at(13, 45),
        pieces=[(at(10, 15), at(12)), (at(13), at(13, 45))],
        work_minutes=150,
    )
    plan = changed(
        plan, "J3", "y", bay_id="b6", start=at(13, 45), end=at(14, 15), pieces=[(at(13, 45), at(14, 15))]
    )
    assert rules(problem, summarised(problem, plan)) == {"duration_mismatch"}


def test_started_work_keeps_its_remaining_minutes() -> None:
    problem = make_problem()
    plan = changed(
        valid_plan(),
        "J5",
        "s",
        end=at(9, 30),
        pieces=[(at(17, day=1), at(18, day=1)), (at(8), at(9, 30))],
        work_minutes=150,
    )
    assert rules(problem, summarised(problem, plan)) == {"duration_mismatch"}


# --- technicians ---------------------------------------------------------------------------------------


def test_double_booked_technician() -> None:
    found = validate_plan(make_problem(), changed(valid_plan(), "J1", "o2", technician_id="t3"))
    assert [(v.rule, v.job_id, v.operation_id) for v in found] == [("technician_double_booked", "J1", "o2")]


def test_technician_without_the_skill() -> None:
    assert rules(make_problem(), changed(valid_plan(), "J1", "o2", technician_id="t4")) == {
        "technician_skill"
    }


def test_technician_below_the_level() -> None:
    problem = make_problem(lambda d: op_data(d, "J1", "o1").update(min_level=3))
    assert rules(problem, valid_plan()) == {"technician_level"}


def test_technician_without_the_certification() -> None:
    problem = make_problem(lambda d: op_data(d, "J1", "o1").update(certification="brand"))
    assert rules(problem, valid_plan()) == {"technician_certification"}


@pytest.mark.parametrize(
    ("job_id", "op_id", "tech", "rule"),
    [
        ("J3", "x", None, "technician_missing"),
        ("J3", "y", "t4", "technician_unexpected"),
        ("J2", "b", "t9", "unknown_technician"),
    ],
)
def test_technician_presence(job_id: str, op_id: str, tech: str | None, rule: str) -> None:
    assert rules(make_problem(), changed(valid_plan(), job_id, op_id, technician_id=tech)) == {rule}


# --- bays ----------------------------------------------------------------------------------------------


def test_bay_out_of_service() -> None:
    problem = make_problem()
    assert rules(problem, moved(problem, valid_plan(), "J3", "y", at(14), at(14, 30))) == {
        "bay_out_of_service"
    }


def test_double_booked_bay() -> None:
    problem = make_problem(lambda d: item_data(d, "bays", "b3").update(capabilities=["general", "alignment"]))
    assert rules(problem, changed(valid_plan(), "J1", "o2", bay_id="b3")) == {"bay_double_booked"}


def test_vehicle_too_heavy_for_the_bay() -> None:
    problem = make_problem(lambda d: item_data(d, "bays", "b3").update(max_vehicle_weight_kg=1800))
    assert rules(problem, valid_plan()) == {"bay_vehicle_limit"}


@pytest.mark.parametrize(
    ("job_id", "op_id", "bay", "rule"),
    [
        ("J1", "o2", "b6", "bay_capability"),
        ("J1", "o2", None, "bay_missing"),
        ("J2", "b", "b6", "bay_unexpected"),
        ("J1", "o2", "b9", "unknown_bay"),
    ],
)
def test_bay_fit(job_id: str, op_id: str, bay: str | None, rule: str) -> None:
    assert rules(make_problem(), changed(valid_plan(), job_id, op_id, bay_id=bay)) == {rule}


# --- lifts ---------------------------------------------------------------------------------------------


def test_lift_overload() -> None:
    assert rules(make_problem(), changed(valid_plan(), "J2", "a", lift_id="L2")) == {"lift_overload"}


def test_mobile_lift_in_a_bay_with_an_installed_lift() -> None:
    assert rules(make_problem(), changed(valid_plan(), "J2", "a", bay_id="b5")) == {"mobile_lift_in_lift_bay"}


def test_installed_lift_used_from_another_bay() -> None:
    assert rules(make_problem(), changed(valid_plan(), "J1", "o1", lift_id="L3")) == {"lift_wrong_bay"}


def test_wrong_lift_type() -> None:
    assert rules(make_problem(), changed(valid_plan(), "J2", "a", lift_id="L3")) == {
        "lift_type",
        "lift_wrong_bay",
    }


def test_double_booked_lift() -> None:
    problem = make_problem(lambda d: op_data(d, "J1", "o2").update(lift_type="column"))
    assert rules(problem, changed(valid_plan(), "J1", "o2", lift_id="M1")) == {"lift_double_booked"}


def test_lift_out_of_service() -> None:
    outage = [{"start": at(9, 30), "end": at(9, 45)}]
    problem = make_problem(lambda d: item_data(d, "lifts", "M1").update(out_of_service=outage))
    assert rules(problem, valid_plan()) == {"lift_out_of_service"}


@pytest.mark.parametrize(
    ("job_id", "op_id", "lift", "rule"),
    [
        ("J1", "o1", None, "lift_missing"),
        ("J3", "x", "M1", "lift_unexpected"),
        ("J2", "a", "L9", "unknown_lift"),
    ],
)
def test_lift_presence(job_id: str, op_id: str, lift: str | None, rule: str) -> None:
    assert rules(make_problem(), changed(valid_plan(), job_id, op_id, lift_id=lift)) == {rule}


# --- equipment -----------------------------------------------------------------------------------------


def test_equipment_over_the_count_left_by_an_outage() -> None:
    problem = make_problem()
    plan = moved(problem, valid_plan(), "J1", "o2", at(10, 30), at(11))
    assert rules(problem, plan) == {"equipment_over_capacity"}


def test_equipment_unit_beyond_the_count() -> None:
    plan = changed(valid_plan(), "J1", "o2", equipment=[EquipmentUse(pool_id="rig", unit=2)])
    assert rules(make_problem(), plan) == {"equipment_unit_range"}


def test_double_booked_equipment_unit() -> None:
    plan = changed(valid_plan(), "J2", "a", equipment=[EquipmentUse(pool_id="tester", unit=2)])
    assert rules(make_problem(), plan) == {"equipment_double_booked"}


def test_equipment_in_use_exceeds_the_count() -> None:
    problem = make_problem(lambda d: item_data(d, "equipment", "tester").update(count=1))
    found = rules(problem, valid_plan())
    assert found == {"equipment_unit_range", "equipment_over_capacity"}


def test_equipment_not_what_the_operation_needs() -> None:
    assert rules(make_problem(), changed(valid_plan(), "J2", "a", equipment=[])) == {"equipment_mismatch"}
    uses = [EquipmentUse(pool_id="tester", unit=1), EquipmentUse(pool_id="hoist", unit=1)]
    found = rules(make_problem(), changed(valid_plan(), "J2", "a", equipment=uses))
    assert found == {"equipment_mismatch", "unknown_equipment_pool"}


# --- the car, release, precedence ----------------------------------------------------------------------


def test_car_in_two_places_at_once() -> None:
    problem = make_problem()
    assert rules(problem, moved(problem, valid_plan(), "J2", "b", at(10), at(10, 30))) == {
        "car_double_booked"
    }


def test_start_before_arrival() -> None:
    problem = make_problem(lambda d: d["jobs"][2].update(arrived_at=at(10, 30)))
    found = validate_plan(problem, valid_plan())
    assert [(v.rule, v.operation_id) for v in found] == [("before_arrival", "x")]


def test_start_before_now() -> None:
    problem = make_problem()
    plan = moved(problem, valid_plan(), "J2", "b", at(10, day=1), at(10, 30, day=1))
    assert rules(problem, plan) == {"before_now", "before_arrival", "outside_working_time"}


def test_parts_used_before_their_delivery() -> None:
    plan = changed(valid_plan(), "J1", "o1", start=at(8), end=at(9), pieces=[(at(8), at(9))])
    assert rules(make_problem(), plan) == {"parts_shortage"}


def test_parts_competition_between_jobs() -> None:
    problem = make_problem(lambda d: op_data(d, "J3", "y").update(parts=[{"part_number": "P1"}]))
    found = validate_plan(problem, valid_plan())
    assert [(v.rule, v.operation_id) for v in found] == [("parts_shortage", "y")]


def test_untracked_parts_are_always_there() -> None:
    problem = make_problem(
        lambda d: op_data(d, "J3", "y").update(parts=[{"part_number": "P7", "quantity": 9}])
    )
    assert validate_plan(problem, valid_plan()) == []


def test_predecessor_order() -> None:
    problem = make_problem()
    assert rules(problem, moved(problem, valid_plan(), "J3", "y", at(8), at(8, 30))) == {"precedence"}


# --- started and pinned work ---------------------------------------------------------------------------


def test_started_work_moved_to_another_bay() -> None:
    assert rules(make_problem(), changed(valid_plan(), "J5", "s", bay_id="b6")) == {"started_moved"}


def test_started_work_moved_in_time() -> None:
    pieces = [(at(16, day=1), at(18, day=1)), (at(8), at(10))]
    plan = changed(valid_plan(), "J5", "s", start=at(16, day=1), pieces=pieces, work_minutes=240)
    assert rules(make_problem(), plan) == {"started_moved"}


def test_started_flag() -> None:
    assert rules(make_problem(), changed(valid_plan(), "J5", "s", started=False)) == {"started_flag"}


def test_ignored_pin() -> None:
    problem = make_problem(lambda d: op_data(d, "J2", "a")["pin"].update(start=at(9, 5)))
    assert rules(problem, valid_plan()) == {"pin_ignored"}


def test_pinned_flag() -> None:
    assert rules(make_problem(), changed(valid_plan(), "J2", "a", pinned=False)) == {"pinned_flag"}


# --- horizon, forecasts, KPIs --------------------------------------------------------------------------


def test_work_beyond_the_horizon() -> None:
    plan = valid_plan().model_copy(update={"horizon_end": at(13)})
    found = validate_plan(make_problem(), plan)
    assert [(v.rule, v.operation_id) for v in found] == [("beyond_horizon", "x"), ("beyond_horizon", "y")]


@pytest.mark.parametrize(
    ("index", "update", "rule"),
    [
        (0, {"completion": at(10, 5)}, "forecast_completion"),
        (0, {"slack_minutes": 400}, "forecast_slack"),
        (2, {"late": False}, "forecast_late"),
        (1, {"promised_at": at(13)}, "forecast_promised_at"),
    ],
)
def test_wrong_forecast(index: int, update: dict[str, Any], rule: str) -> None:
    plan = valid_plan()
    jobs = list(plan.jobs)
    jobs[index] = jobs[index].model_copy(update=update)
    assert rules(make_problem(), plan.model_copy(update={"jobs": jobs})) == {rule}


def test_missing_and_unexpected_forecasts() -> None:
    plan = valid_plan()
    jobs = [f for f in plan.jobs if f.job_id != "J4"] + [forecast("J6", None, None), plan.jobs[0]]
    found = validate_plan(make_problem(), plan.model_copy(update={"jobs": jobs}))
    assert {(v.rule, v.job_id) for v in found} == {
        ("forecast_unexpected", "J6"),
        ("forecast_duplicate", "J1"),
        ("forecast_missing", "J4"),
    }


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        ({"late_jobs": 1}, {"kpi_mismatch"}),
        ({"on_time_share": 0.51}, {"kpi_mismatch"}),
        ({"on_time_share": 0.5 + 1e-9}, set()),
        ({"total_tardiness_minutes": 105}, {"kpi_mismatch"}),
        ({"technician_utilisation": 0.9}, set()),
    ],
)
def test_wrong_kpi(update: dict[str, Any], expected: set[str]) -> None:
    plan = valid_plan()
    plan = plan.model_copy(update={"kpis": plan.kpis.model_copy(update=update)})
    assert rules(make_problem(), plan) == expected

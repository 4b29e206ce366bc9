"""Pre-solve feasibility: work that nothing can serve within the horizon, and why."""

from __future__ import annotations

from typing import Any

from scheduler.feasibility import FeasibilityIssue, check_feasibility
from scheduler.problem import Problem
from scheduler.validation import load_problem
from tests.scheduler.test_validation import tiny_document

# Monday 2026-11-23; the default horizon is Mon-Wed, open 08:00-18:00 with 60 min overtime.
NOW = "2026-11-23T07:30:00+08:00"
WHOLE_WEEK = {"start": "2026-11-23T00:00:00+08:00", "end": "2026-11-30T00:00:00+08:00"}


def tech(tech_id: str, skills: dict[str, int], *certifications: str, **extra: Any) -> dict[str, Any]:
    grades = [{"skill": skill, "level": level} for skill, level in skills.items()]
    return {"id": tech_id, "skills": grades, "certifications": list(certifications), **extra}


def op(op_id: str = "op", **fields: Any) -> dict[str, Any]:
    return {"id": op_id, "standard_minutes": 60, "skill": "maintenance", **fields}


def job(*operations: dict[str, Any], weight: int = 1600, **extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"arrived_at": "2026-11-23T07:00:00+08:00", "status": "arrived", **extra}
    return {"id": "j1", "vehicle": {"weight_kg": weight}, "operations": list(operations), **fields}


def problem(
    *jobs: dict[str, Any],
    technicians: list[dict[str, Any]] | None = None,
    bays: list[dict[str, Any]] | None = None,
    lifts: list[dict[str, Any]] | None = None,
    equipment: list[dict[str, Any]] | None = None,
    parts: dict[str, Any] | None = None,
) -> Problem:
    """A valid problem (load_problem runs the input checks first, as the service does)."""
    workshop = {
        "id": "ws",
        "timezone": "Asia/Shanghai",
        "technicians": technicians if technicians is not None else [tech("t1", {"maintenance": 2})],
        "bays": bays if bays is not None else [{"id": "b1"}],
        "lifts": lifts or [],
        "equipment": equipment or [],
    }
    return load_problem({"workshop": workshop, "jobs": list(jobs), "parts": parts or {}, "now": NOW})


def reasons(p: Problem) -> list[str]:
    return [issue.reason for issue in check_feasibility(p)]


def only_issue(p: Problem) -> FeasibilityIssue:
    issues = check_feasibility(p)
    assert len(issues) == 1, issues
    return issues[0]


# --- nothing to report ----------------------------------------------------------------------------


def test_tiny_valid_problem_is_feasible() -> None:
    assert check_feasibility(load_problem(tiny_document())) == []


def test_unattended_work_needs_no_technician() -> None:
    curing = op("cure", skill=None, crew_size=0, bay_capability=None, standard_minutes=240)
    assert check_feasibility(problem(job(curing), technicians=[])) == []


def test_work_that_is_not_plannable_is_not_checked() -> None:
    needs_ev = {"skill": "ev_high_voltage", "certification": "hv"}
    done = op("done", status="done", **needs_ev)
    declined = op("declined", approval="declined", **needs_ev)
    cancelled = job(op("x", **needs_ev), status="cancelled") | {"id": "j2"}
    assert check_feasibility(problem(job(done, declined), cancelled)) == []


# --- technicians ----------------------------------------------------------------------------------


def test_ev_work_without_a_certified_technician_names_skill_level_and_certification() -> None:
    technicians = [
        tech("t1", {"ev_high_voltage": 1}, "hv"),
        tech("t2", {"ev_high_voltage": 3}),
    ]
    ev = op("hv_battery", skill="ev_high_voltage", min_level=2, certification="hv")
    issue = only_issue(problem(job(ev), technicians=technicians))
    assert issue.job_id == "j1" and issue.operation_id == "hv_battery"
    assert issue.path == "jobs[0].operations[0].skill"
    assert (
        issue.reason
        == "no technician with skill ev_high_voltage level ≥ 2 and certification hv works in this workshop"
    )


def test_qualified_technician_absent_for_the_whole_horizon() -> None:
    technicians = [
        tech("t1", {"maintenance": 1}),
        tech("t2", {"ev_high_voltage": 2}, "hv", absences=[WHOLE_WEEK]),
    ]
    ev = op("hv_battery", skill="ev_high_voltage", min_level=2, certification="hv")
    assert reasons(problem(job(ev), technicians=technicians)) == [
        "no technician with skill ev_high_voltage level ≥ 2 and certification hv "
        "is on shift within the horizon (qualified: t2)"
    ]


def test_qualified_technician_only_on_shift_before_the_car_arrives() -> None:
    monday_only = [{"days": ["mon"], "window": {"start": "08:00", "end": "17:00"}}]
    technicians = [tech("t1", {"alignment": 2}, shifts=monday_only)]
    tuesday = job(
        op(skill="alignment"), arrived_at=None, status="booked", appointment_at="2026-11-24T09:00:00+08:00"
    )
    assert reasons(problem(tuesday, technicians=technicians)) == [
        "no technician with skill alignment is on shift within the horizon after the car arrives "
        "(2026-11-24 09:00) (qualified: t1)"
    ]


def test_work_longer_than_the_time_left_in_the_horizon() -> None:
    # Mon-Wed 08:00-18:00 minus the 12:00-13:00 break, plus 60 min overtime a day: 3 x 600 minutes.
    issue = only_issue(problem(job(op("rebuild", standard_minutes=2000))))
    assert issue.path == "jobs[0].operations[0].standard_minutes"
    assert issue.reason == (
        "takes longer than the working time left in the horizon: t1 would need 2,000 minutes "
        "but is on shift for only 1,800"
    )


def test_efficiency_counts_when_judging_the_time_left() -> None:
    fast = [tech("t1", {"maintenance": 2}, efficiency=1.5)]
    assert check_feasibility(problem(job(op("rebuild", standard_minutes=2000)), technicians=fast)) == []


def test_pinned_technician_lacking_the_certification() -> None:
    technicians = [tech("t1", {"ev_high_voltage": 3}), tech("t2", {"ev_high_voltage": 3}, "hv")]
    ev = op(skill="ev_high_voltage", certification="hv", pin={"technician_id": "t1"})
    issue = only_issue(problem(job(ev), technicians=technicians))
    assert issue.path == "jobs[0].operations[0].pin.technician_id"
    assert issue.reason == "pinned technician t1 lacks certification hv"


def test_pinned_technician_below_the_level() -> None:
    technicians = [tech("t1", {"engine": 1}), tech("t2", {"engine": 3})]
    engine = op(skill="engine", min_level=3, pin={"technician_id": "t1"})
    assert reasons(problem(job(engine), technicians=technicians)) == [
        "pinned technician t1 has skill engine only at level 1, needs 3"
    ]


def test_pinned_technician_off_shift() -> None:
    technicians = [tech("t1", {"maintenance": 1}, absences=[WHOLE_WEEK]), tech("t2", {"maintenance": 1})]
    assert reasons(problem(job(op(pin={"technician_id": "t1"})), technicians=technicians)) == [
        "pinned technician t1 is not on shift within the horizon"
    ]


def test_started_work_whose_technician_is_away() -> None:
    started = op(
        status="started",
        progress={"started_at": "2026-11-20T15:00:00+08:00", "technician_id": "t1", "bay_id": "b1"},
    )
    technicians = [tech("t1", {"maintenance": 1}, absences=[WHOLE_WEEK]), tech("t2", {"maintenance": 1})]
    issue = only_issue(problem(job(started, status="in_progress"), technicians=technicians))
    assert issue.path == "jobs[0].operations[0].progress.technician_id"
    assert "t1, who started the work, is not on shift" in issue.reason


# --- bays and lifts -------------------------------------------------------------------------------


def test_no_bay_with_the_capability_takes_a_heavy_vehicle() -> None:
    bays: list[dict[str, Any]] = [
        {"id": "b1", "capabilities": ["alignment"], "max_vehicle_weight_kg": 2500},
        {"id": "b2"},
    ]
    issue = only_issue(problem(job(op(bay_capability="alignment"), weight=2800), bays=bays))
    assert issue.path == "jobs[0].operations[0].bay_capability"
    assert issue.reason == "no bay with capability alignment takes a vehicle of 2,800 kg"


def test_no_bay_with_the_capability_at_all() -> None:
    assert reasons(problem(job(op(bay_capability="paint_booth")))) == [
        "no bay with capability paint_booth exists in this workshop"
    ]


def test_capable_bay_out_of_service_all_horizon() -> None:
    bays = [{"id": "b1", "capabilities": ["ev_safe"], "out_of_service": [WHOLE_WEEK]}]
    assert reasons(problem(job(op(bay_capability="ev_safe")), bays=bays)) == [
        "every bay with capability ev_safe that takes a vehicle of 1,600 kg is out of service "
        "for the rest of the horizon"
    ]


def test_heavy_vehicle_with_only_light_lifts_names_lift_type_and_weight() -> None:
    bays = [{"id": "b1"}, {"id": "b2"}]
    lifts = [
        {"id": "l1", "type": "four_post", "load_limit_kg": 2500, "bay_id": "b1"},
        {"id": "l2", "type": "two_post", "load_limit_kg": 4000, "bay_id": "b2"},
    ]
    issue = only_issue(problem(job(op(lift_type="four_post"), weight=2800), bays=bays, lifts=lifts))
    assert issue.path == "jobs[0].operations[0].lift_type"
    assert issue.reason == (
        "no bay with a four_post lift for 2,800 kg (the strongest four_post lift takes 2,500 kg)"
    )


def test_lift_type_missing_from_the_workshop() -> None:
    lifts = [{"id": "l1", "type": "two_post", "load_limit_kg": 3500, "bay_id": "b1"}]
    assert reasons(problem(job(op(lift_type="scissor")), lifts=lifts)) == [
        "no bay with a scissor lift for 1,600 kg (the workshop has no scissor lift)"
    ]


def test_installed_lift_must_be_in_a_capable_bay() -> None:
    bays = [{"id": "b1", "capabilities": ["general"]}, {"id": "b2", "capabilities": ["alignment"]}]
    lifts = [{"id": "l1", "type": "four_post", "load_limit_kg": 3500, "bay_id": "b1"}]
    only = problem(job(op(bay_capability="alignment", lift_type="four_post")), bays=bays, lifts=lifts)
    assert reasons(only) == [
        "no bay with a four_post lift for 1,600 kg (the four_post lifts strong enough are not in, "
        "or cannot be brought to, a bay that fits)"
    ]


def test_mobile_lift_serves_a_capable_bay_without_installed_lift() -> None:
    lifts = [{"id": "col", "type": "column", "load_limit_kg": 4000}]
    assert check_feasibility(problem(job(op(lift_type="column"), weight=2800), lifts=lifts)) == []


def test_mobile_lift_needs_a_bay_without_installed_lift() -> None:
    lifts = [
        {"id": "col", "type": "column", "load_limit_kg": 4000},
        {"id": "l1", "type": "two_post", "load_limit_kg": 3500, "bay_id": "b1"},
    ]
    assert reasons(problem(job(op(lift_type="column")), lifts=lifts)) == [
        "no bay with a column lift for 1,600 kg (the column lifts strong enough are not in, "
        "or cannot be brought to, a bay that fits)"
    ]


def test_pinned_bay_lacking_the_capability() -> None:
    bays: list[dict[str, Any]] = [{"id": "b1"}, {"id": "b2", "capabilities": ["alignment"]}]
    pinned = op(bay_capability="alignment", pin={"bay_id": "b1"})
    issue = only_issue(problem(job(pinned), bays=bays))
    assert issue.path == "jobs[0].operations[0].pin.bay_id"
    assert issue.reason == "pinned bay b1 lacks capability alignment"


# --- equipment, parts, arrival --------------------------------------------------------------------


def test_equipment_pool_with_every_unit_out_of_service() -> None:
    hoist = {"id": "engine_hoist", "count": 2, "out_of_service": [WHOLE_WEEK | {"units": 2}]}
    issue = only_issue(problem(job(op(equipment=["engine_hoist"])), equipment=[hoist]))
    assert issue.path == "jobs[0].operations[0].equipment[0]"
    assert issue.reason == "equipment pool 'engine_hoist' has no unit in service within the horizon"


def test_equipment_pool_with_a_unit_back_in_service_is_fine() -> None:
    outage = {"start": "2026-11-23T00:00:00+08:00", "end": "2026-11-25T10:00:00+08:00"}
    hoist = {"id": "engine_hoist", "count": 1, "out_of_service": [outage]}
    assert check_feasibility(problem(job(op(equipment=["engine_hoist"])), equipment=[hoist])) == []


def test_tracked_part_not_there_within_the_horizon() -> None:
    parts = {
        "stock": [{"part_number": "BP-77", "on_hand": 1}],
        "deliveries": [{"part_number": "BP-77", "quantity": 4, "eta": "2026-11-27T10:00:00+08:00"}],
    }
    pads = op(parts=[{"part_number": "BP-77", "quantity": 2}, {"part_number": "UNTRACKED", "quantity": 9}])
    issue = only_issue(problem(job(pads), parts=parts))
    assert issue.path == "jobs[0].operations[0].parts[0]"
    assert issue.reason == "part BP-77: needs 2, only 1 in stock or delivered within the horizon"


def test_job_arriving_after_the_horizon_is_one_job_level_issue() -> None:
    late = job(
        op(skill="ev_high_voltage"),
        arrived_at=None,
        status="booked",
        appointment_at="2026-11-27T09:00:00+08:00",
    )
    issue = only_issue(problem(late))
    assert issue.operation_id is None
    assert issue.path == "jobs[0].appointment_at"
    assert issue.reason.startswith("arrives after the planning horizon")
    assert "2026-11-27 09:00" in issue.reason and "2026-11-25 19:00" in issue.reason
    assert str(issue) == f"j1: {issue.reason}"


def test_every_operation_is_reported_with_its_own_reason() -> None:
    operations = [
        op("a", skill="paint"),
        op("b", bay_capability="wash"),
        op("c", lift_type="four_post"),
    ]
    issues = check_feasibility(problem(job(*operations)))
    assert [(i.operation_id, i.path.rsplit(".", 1)[1]) for i in issues] == [
        ("a", "skill"),
        ("b", "bay_capability"),
        ("c", "lift_type"),
    ]

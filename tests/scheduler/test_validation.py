"""Input validation: every fault at once, each with its document path."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from scheduler.problem import Problem
from scheduler.schema import generated_schemas, write_schemas
from scheduler.validation import (
    ROOT_PATH,
    InputIssue,
    InvalidProblem,
    check_problem,
    load_problem,
    loc_to_path,
    validate_document,
)

REPO = Path(__file__).resolve().parents[2]
INVALID_DIR = REPO / "fixtures" / "invalid"
SCHEMA_DIR = REPO / "schemas"

# The small valid problem every invalid fixture is derived from (one fault each):
# 2 technicians, 2 bays, 2 jobs, planned on Monday 2026-11-23 in Shanghai.
TINY: dict[str, Any] = {
    "workshop": {
        "id": "ws-tiny",
        "name": "Tiny workshop",
        "timezone": "Asia/Shanghai",
        "opening_hours": {
            "mon": [{"start": "08:00", "end": "18:00"}],
            "tue": [{"start": "08:00", "end": "18:00"}],
            "wed": [{"start": "08:00", "end": "18:00"}],
            "thu": [{"start": "08:00", "end": "18:00"}],
            "fri": [{"start": "08:00", "end": "18:00"}],
            "sat": [{"start": "08:00", "end": "18:00"}],
        },
        "default_breaks": [{"start": "12:00", "end": "13:00"}],
        "technicians": [
            {
                "id": "t1",
                "name": "Wang Qiang",
                "team": "A",
                "skills": [{"skill": "maintenance", "level": 2}, {"skill": "brakes_chassis", "level": 2}],
                "certifications": ["brand"],
                "shifts": [
                    {
                        "days": ["mon", "tue", "wed", "thu", "fri"],
                        "window": {"start": "08:00", "end": "17:00"},
                        "breaks": [{"start": "12:00", "end": "13:00"}],
                    }
                ],
            },
            {
                "id": "t2",
                "name": "Li Na",
                "team": "B",
                "skills": [
                    {"skill": "electrical_diagnosis", "level": 3},
                    {"skill": "maintenance", "level": 1},
                ],
                "certifications": ["hv"],
            },
        ],
        "bays": [
            {"id": "b1", "name": "Express 1", "capabilities": ["general", "express"]},
            {"id": "b2", "name": "General 2", "capabilities": ["general"], "max_vehicle_weight_kg": 3000},
        ],
        "lifts": [
            {"id": "l1", "type": "two_post", "load_limit_kg": 3500, "bay_id": "b1"},
            {"id": "l2", "type": "column", "load_limit_kg": 4000},
        ],
        "equipment": [{"id": "diag_tester", "name": "Diagnostic tester", "count": 1}],
    },
    "jobs": [
        {
            "id": "j1",
            "vehicle": {"model": "Sagitar", "weight_kg": 1400},
            "customer_waiting": True,
            "appointment_at": "2026-11-23T08:30:00+08:00",
            "promised_at": "2026-11-23T11:30:00+08:00",
            "status": "booked",
            "operations": [
                {
                    "id": "oil",
                    "labour_code": "M01",
                    "text": "Oil and filter change",
                    "standard_minutes": 60,
                    "skill": "maintenance",
                    "bay_capability": "express",
                    "lift_type": "two_post",
                    "parts": [{"part_number": "OF-123"}],
                }
            ],
        },
        {
            "id": "j2",
            "vehicle": {"model": "ID.4", "powertrain": "ev", "weight_kg": 2100},
            "arrived_at": "2026-11-23T07:10:00+08:00",
            "promised_at": "2026-11-23T17:00:00+08:00",
            "status": "arrived",
            "operations": [
                {
                    "id": "diag",
                    "text": "Diagnose brake noise",
                    "standard_minutes": 45,
                    "skill": "electrical_diagnosis",
                    "min_level": 2,
                    "equipment": ["diag_tester"],
                },
                {
                    "id": "repair",
                    "text": "Replace front pads",
                    "standard_minutes": 90,
                    "skill": "brakes_chassis",
                    "lift_type": "column",
                    "predecessors": ["diag"],
                },
            ],
        },
    ],
    "parts": {"stock": [{"part_number": "OF-123", "on_hand": 4}]},
    "now": "2026-11-23T07:30:00+08:00",
}


def tiny_document() -> dict[str, Any]:
    return copy.deepcopy(TINY)


def messages(data: object) -> list[str]:
    return [str(issue) for issue in validate_document(data)[1]]


def expected_issues() -> dict[str, list[str]]:
    data: dict[str, list[str]] = json.loads((INVALID_DIR / "expected.json").read_text(encoding="utf-8"))
    return data


def invalid_fixture(name: str) -> object:
    return json.loads((INVALID_DIR / name).read_text(encoding="utf-8"))


# --- the valid baseline ---------------------------------------------------------------------------


def test_tiny_valid_problem_has_no_issues() -> None:
    problem, issues = validate_document(tiny_document())
    assert issues == []
    assert problem is not None
    assert [job.id for job in problem.jobs] == ["j1", "j2"]


def test_a_booked_car_that_comes_in_after_its_promise_is_late_not_invalid() -> None:
    document = tiny_document()
    booked = document["jobs"][0]  # appointment 08:30, promised 11:30
    booked.update(status="arrived", arrived_at="2026-11-23T11:45:00+08:00")
    assert messages(document) == []
    booked["promised_at"] = "2026-11-23T08:15:00+08:00"
    assert messages(document) == [
        "jobs[0].promised_at: promised time 2026-11-23T08:15:00+08:00 is before the appointment "
        "2026-11-23T08:30:00+08:00"
    ]


def test_load_problem_returns_the_problem() -> None:
    problem = load_problem(tiny_document())
    assert problem.workshop.timezone == "Asia/Shanghai"


def test_json_text_is_accepted() -> None:
    problem, issues = validate_document(json.dumps(tiny_document()))
    assert issues == [] and problem is not None


def test_broken_json_text_is_one_document_issue() -> None:
    problem, issues = validate_document('{"workshop": ')
    assert problem is None
    assert len(issues) == 1
    assert issues[0].path == ROOT_PATH
    assert issues[0].message.startswith("not valid JSON")


# --- the fixtures folder: one kind of fault per file ----------------------------------------------


def test_every_invalid_fixture_has_expectations() -> None:
    files = {p.name for p in INVALID_DIR.glob("*.json")} - {"expected.json"}
    assert files == set(expected_issues())
    assert len(files) >= 15


@pytest.mark.parametrize("name", sorted(expected_issues()))
def test_invalid_fixture_reports_its_fault(name: str) -> None:
    reported = messages(invalid_fixture(name))
    for expected in expected_issues()[name]:
        assert any(expected in line for line in reported), f"{expected!r} not in {reported}"


@pytest.mark.parametrize("name", sorted(expected_issues()))
def test_invalid_fixture_has_no_other_fault(name: str) -> None:
    # Each fixture is the tiny valid problem with exactly one kind of fault.
    reported = messages(invalid_fixture(name))
    unexpected = [line for line in reported if not any(e in line for e in expected_issues()[name])]
    assert reported and unexpected == []


def test_load_problem_raises_with_the_issues() -> None:
    with pytest.raises(InvalidProblem) as raised:
        load_problem(invalid_fixture("unknown_skill.json"))
    assert [str(i) for i in raised.value.issues] == ["jobs[1].operations[1].skill: unknown skill 'hvac'"]
    assert "unknown skill 'hvac'" in str(raised.value)


# --- all issues at once ---------------------------------------------------------------------------


def test_two_cross_reference_faults_are_both_reported() -> None:
    data = tiny_document()
    data["jobs"][1]["operations"][1]["skill"] = "hvac"
    data["workshop"]["lifts"][0]["bay_id"] = "b7"
    assert messages(data) == [
        "workshop.lifts[0].bay_id: unknown bay 'b7'",
        "jobs[1].operations[1].skill: unknown skill 'hvac'",
    ]


def test_two_structural_faults_are_both_reported() -> None:
    data = tiny_document()
    del data["jobs"][0]["operations"][0]["standard_minutes"]
    data["jobs"][1]["operations"][0]["duration"] = 45
    data["now"] = "2026-11-23T07:30:00"
    assert sorted(messages(data)) == [
        "jobs[0].operations[0].standard_minutes: field required",
        "jobs[1].operations[0].duration: unknown field",
        "now: must have a timezone offset, e.g. 2026-11-23T08:30:00+08:00",
    ]


def test_invalid_problem_lists_every_issue() -> None:
    data = tiny_document()
    data["jobs"][1]["id"] = "j1"
    data["workshop"]["timezone"] = "Mars/Olympus"
    with pytest.raises(InvalidProblem) as raised:
        load_problem(data)
    assert [i.path for i in raised.value.issues] == ["workshop.timezone", "jobs[1].id"]


# --- checks the fixtures do not cover -------------------------------------------------------------


def parse(data: dict[str, Any]) -> Problem:
    """Parse without the cross-reference checks, as the API does before calling check_problem."""
    return Problem.model_validate(data)


def test_check_problem_on_a_parsed_problem() -> None:
    data = tiny_document()
    data["jobs"][0]["operations"][0]["certification"] = "hvv"
    issues = check_problem(parse(data))
    assert issues == [
        InputIssue("jobs[0].operations[0].certification", "unknown certification 'hvv' (did you mean 'hv'?)")
    ]


def test_three_operation_cycle_is_named_in_work_order() -> None:
    data = tiny_document()
    operations = data["jobs"][1]["operations"]
    operations.append(
        {"id": "test", "standard_minutes": 10, "skill": "maintenance", "predecessors": ["repair"]}
    )
    operations[0]["predecessors"] = ["test"]
    assert messages(data) == [
        "jobs[1].operations[0].predecessors: cyclic predecessors: diag -> repair -> test -> diag"
    ]


def test_separate_cycles_are_each_reported_once() -> None:
    data = tiny_document()
    data["jobs"][1]["operations"][0]["predecessors"] = ["repair"]
    data["jobs"][0]["operations"].append(
        {"id": "wash", "standard_minutes": 10, "skill": "wash", "predecessors": ["oil"]}
    )
    data["jobs"][0]["operations"][0]["predecessors"] = ["wash"]
    assert messages(data) == [
        "jobs[0].operations[0].predecessors: cyclic predecessors: oil -> wash -> oil",
        "jobs[1].operations[0].predecessors: cyclic predecessors: diag -> repair -> diag",
    ]


def test_progress_lift_must_be_installed_in_the_progress_bay() -> None:
    data = tiny_document()
    operation = data["jobs"][1]["operations"][1]
    operation["status"] = "started"
    operation["progress"] = {
        "started_at": "2026-11-23T07:20:00+08:00",
        "technician_id": "t1",
        "bay_id": "b2",
        "lift_id": "l1",
    }
    assert messages(data) == [
        "jobs[1].operations[1].progress.lift_id: lift 'l1' is installed in bay 'b1', not in 'b2'"
    ]


def test_pinning_a_technician_to_unattended_work() -> None:
    data = tiny_document()
    data["jobs"][0]["operations"].append(
        {"id": "cure", "standard_minutes": 30, "crew_size": 0, "pin": {"technician_id": "t1"}}
    )
    assert messages(data) == [
        "jobs[0].operations[1].pin.technician_id: pinned to technician 't1' but the operation "
        "needs no technician (crew_size 0)"
    ]


def test_pin_with_unknown_bay() -> None:
    data = tiny_document()
    data["jobs"][0]["operations"][0]["pin"] = {"bay_id": "b3"}
    assert messages(data) == ["jobs[0].operations[0].pin.bay_id: unknown bay 'b3'"]


def test_more_units_out_of_service_than_the_pool_has() -> None:
    data = tiny_document()
    data["workshop"]["equipment"][0]["out_of_service"] = [
        {"start": "2026-11-23T08:00:00+08:00", "end": "2026-11-23T10:00:00+08:00", "units": 2}
    ]
    assert messages(data) == [
        "workshop.equipment[0].out_of_service[0].units: "
        "2 units out of service but pool 'diag_tester' has only 1"
    ]


def test_duplicate_stock_line_and_overlapping_default_breaks() -> None:
    data = tiny_document()
    data["parts"]["stock"].append({"part_number": "OF-123", "on_hand": 1})
    data["workshop"]["default_breaks"].append({"start": "12:30", "end": "12:45"})
    assert messages(data) == [
        "workshop.default_breaks[1]: break 12:30-12:45 overlaps break 12:00-13:00 "
        "(workshop.default_breaks[0])",
        "parts.stock[1].part_number: duplicate stock line for part 'OF-123' "
        "(first at parts.stock[0].part_number)",
    ]


def test_touching_windows_do_not_overlap() -> None:
    data = tiny_document()
    data["workshop"]["opening_hours"]["sat"] = [
        {"start": "08:00", "end": "12:00"},
        {"start": "12:00", "end": "15:00"},
    ]
    data["workshop"]["technicians"][0]["shifts"].append(
        {"days": ["mon"], "window": {"start": "17:00", "end": "19:00"}}
    )
    assert messages(data) == []


def test_shifts_on_different_days_may_share_hours() -> None:
    data = tiny_document()
    data["workshop"]["technicians"][0]["shifts"].append(
        {"days": ["sat"], "window": {"start": "08:00", "end": "12:00"}}
    )
    assert messages(data) == []


def test_duplicate_skill_on_a_technician() -> None:
    data = tiny_document()
    data["workshop"]["technicians"][0]["skills"].append({"skill": "maintenance", "level": 3})
    assert messages(data) == [
        "workshop.technicians[0].skills[2].skill: duplicate skill 'maintenance' "
        "(first at workshop.technicians[0].skills[0].skill)"
    ]


def test_unknown_bay_capability_on_a_bay() -> None:
    data = tiny_document()
    data["workshop"]["bays"][1]["capabilities"] = ["general", "ev"]
    assert messages(data) == ["workshop.bays[1].capabilities[1]: unknown bay capability 'ev'"]


# --- paths and messages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        (("jobs", 4, "operations", 1, "skill"), "jobs[4].operations[1].skill"),
        (("workshop", "technicians", 2, "shifts", 0), "workshop.technicians[2].shifts[0]"),
        (("workshop", "opening_hours", "mon", 1, "end"), "workshop.opening_hours.mon[1].end"),
        (("now",), "now"),
        ((), ROOT_PATH),
    ],
)
def test_loc_to_path(loc: tuple[int | str, ...], path: str) -> None:
    assert loc_to_path(loc) == path


def test_issue_str_is_path_and_message() -> None:
    assert str(InputIssue("jobs[0].id", "duplicate job id 'j1'")) == "jobs[0].id: duplicate job id 'j1'"


def test_range_messages_are_readable() -> None:
    data = tiny_document()
    data["workshop"]["lifts"][0]["load_limit_kg"] = 0
    data["workshop"]["technicians"][0]["skills"][0]["level"] = 0
    data["jobs"][0]["operations"][0]["crew_size"] = 2
    data["jobs"][0]["operations"][0]["equipment"] = "diag_tester"
    assert sorted(messages(data)) == [
        "jobs[0].operations[0].crew_size: must be one of 0 or 1",
        "jobs[0].operations[0].equipment: must be a list",
        "workshop.lifts[0].load_limit_kg: must be > 0",
        "workshop.technicians[0].skills[0].level: must be >= 1",
    ]


# --- JSON schemas ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(generated_schemas()))
def test_committed_schema_is_up_to_date(name: str) -> None:
    committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == generated_schemas()[name], (
        f"schemas/{name} is stale: run `python -m scheduler.schema schemas`"
    )


def test_problem_schema_header_and_shape() -> None:
    schema = json.loads(generated_schemas()["problem.schema.json"])
    assert schema["$id"] == "urn:bayplan:schema:problem"
    assert schema["title"] == "Bayplan planning problem"
    assert set(schema["required"]) == {"workshop", "now"}
    assert schema["additionalProperties"] is False


def test_write_schemas(tmp_path: Path) -> None:
    written = write_schemas(tmp_path / "out")
    assert sorted(p.name for p in written) == ["plan.schema.json", "problem.schema.json"]
    plan = json.loads((tmp_path / "out" / "plan.schema.json").read_text(encoding="utf-8"))
    assert plan["$id"] == "urn:bayplan:schema:plan"
    assert "operations" in plan["properties"]

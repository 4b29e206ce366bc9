"""The greedy dispatcher keeps every rule of the plan, checked here from its placements alone."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from itertools import pairwise
from random import Random
from typing import Any

from scheduler.problem import Problem
from solver.greedy import greedy_solution
from solver.greedy_reasons import NO_ROOM
from solver.instance import Instance, Op, compile_problem, plannable_ops
from solver.solution import Placement, Solution
from solver.tech_time import NO_START
from tests.solver.tiny_problems import job, operation, problem, technician

DAY = "2026-11-23T"


def at(instance: Instance, clock: str) -> int:
    """Axis point of a local wall-clock time on the planning day."""
    return instance.axis.release_point(datetime.fromisoformat(f"{DAY}{clock}:00+08:00"))


def clock(instance: Instance, point: int) -> str:
    return instance.axis.start_time(point).strftime("%H:%M")


def violations(instance: Instance, solution: Solution) -> list[str]:
    """Every rule of the plan, recomputed from the placements without the dispatcher's bookkeeping."""
    found: list[str] = []
    plannable = {op.index for op in plannable_ops(instance)}
    for op in instance.ops:
        placed, unplanned = op.index in solution.placements, op.index in solution.unplanned
        if placed == unplanned:
            found.append(f"{op.key} is placed {placed} and unplanned {unplanned}")
        if placed and op.index not in plannable:
            found.append(f"{op.key} is unplannable but placed")
    for placement in solution.placements.values():
        found += _own_rules(instance, instance.ops[placement.op], placement, solution)
    found += _overlaps(instance, solution)
    found += _pool_overuse(instance, solution)
    found += _parts_overuse(instance, solution)
    return found


def _own_rules(instance: Instance, op: Op, placement: Placement, solution: Solution) -> list[str]:
    found: list[str] = []
    option = op.techs[placement.tech_option] if placement.tech_option is not None else None
    if (option is None) != (not op.techs):
        found.append(f"{op.key} crew does not match")
    end = instance.end_of(op, option, placement.start)
    if end == NO_START or end != placement.end or end > instance.horizon:
        found.append(f"{op.key} ends at {placement.end}, expected {end}")
    if placement.start < op.release and not op.started:
        found.append(f"{op.key} starts before its release")
    if op.fixed_start is not None and placement.start != op.fixed_start:
        found.append(f"{op.key} leaves its fixed start")
    for pred in op.predecessors:
        before = solution.placements.get(pred)
        if before is None or before.end > placement.start:
            found.append(f"{op.key} starts before predecessor {pred} ends")
    place = op.places[placement.place]
    window = slice(placement.start, placement.end)
    if place.bay is not None and instance.bay_blocked[place.bay][window].any():
        found.append(f"{op.key} uses bay {place.bay} while it is out of service")
    if place.lift is not None and instance.lift_blocked[place.lift][window].any():
        found.append(f"{op.key} uses lift {place.lift} while it is out of service")
    return found


def _overlaps(instance: Instance, solution: Solution) -> list[str]:
    users: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for p in solution.placements.values():
        op = instance.ops[p.op]
        place = op.places[p.place]
        keys = [("car", op.job)]
        keys += [("tech", op.techs[p.tech_option].tech)] if p.tech_option is not None else []
        keys += [("bay", place.bay)] if place.bay is not None else []
        keys += [("lift", place.lift)] if place.lift is not None else []
        for key in keys:
            users[key].append((p.start, p.end))
    found: list[str] = []
    for key, intervals in users.items():
        intervals.sort()
        found += [f"{key} double-booked at {b[0]}" for a, b in pairwise(intervals) if b[0] < a[1]]
    return found


def _pool_overuse(instance: Instance, solution: Solution) -> list[str]:
    found: list[str] = []
    for pool, capacity in enumerate(instance.pool_capacity):
        used = [0] * instance.horizon
        for p in solution.placements.values():
            if pool in instance.ops[p.op].equipment:
                for slot in range(p.start, p.end):
                    used[slot] += 1
        found += [
            f"pool {pool} over capacity at {s}" for s in range(instance.horizon) if used[s] > capacity[s]
        ]
    return found


def _parts_overuse(instance: Instance, solution: Solution) -> list[str]:
    """Work starting before delivery k+1 can only be served from tranches 0..k."""
    found: list[str] = []
    for part, supply in enumerate(instance.parts):
        takers = [
            (p.start, d.quantity)
            for p in solution.placements.values()
            for d in instance.ops[p.op].parts
            if d.part == part
        ]
        bounds = [*supply.points[1:], instance.horizon + 1]
        for k, bound in enumerate(bounds):
            taken = sum(q for start, q in takers if start < bound)
            if taken > supply.cumulative[k]:
                found.append(f"part {supply.part_number}: {taken} units used before point {bound}")
    return found


def plan(problem_: Problem) -> tuple[Instance, Solution]:
    instance = compile_problem(problem_)
    solution = greedy_solution(instance)
    assert violations(instance, solution) == []
    return instance, solution


def placed(instance: Instance, solution: Solution, job_id: str, op_id: str) -> Placement:
    op = next(o for o in instance.ops if o.key == (job_id, op_id))
    assert op.index in solution.placements, solution.unplanned.get(op.index)
    return solution.placements[op.index]


def reason(instance: Instance, solution: Solution, job_id: str, op_id: str) -> str:
    op = next(o for o in instance.ops if o.key == (job_id, op_id))
    assert op.index not in solution.placements
    return solution.unplanned[op.index]


def tech_id(instance: Instance, job_id: str, op_id: str, p: Placement) -> str:
    op = next(o for o in instance.ops if o.key == (job_id, op_id))
    assert p.tech_option is not None
    return instance.technicians[op.techs[p.tech_option].tech].id


MECHANIC = {"maintenance": 1}


# --- technicians, cars, order of work ---------------------------------------------------------------


def test_one_technician_does_two_jobs_one_after_the_other() -> None:
    instance, solution = plan(
        problem(
            [technician("T1", MECHANIC)], [job("J1", [operation("o", 60)]), job("J2", [operation("o", 60)])]
        )
    )
    starts = sorted(clock(instance, placed(instance, solution, j, "o").start) for j in ("J1", "J2"))
    assert starts == ["08:00", "09:00"]


def test_two_free_technicians_work_in_parallel() -> None:
    techs = [technician("T1", MECHANIC), technician("T2", MECHANIC)]
    instance, solution = plan(
        problem(techs, [job("J1", [operation("o", 60)]), job("J2", [operation("o", 60)])])
    )
    assert {placed(instance, solution, j, "o").start for j in ("J1", "J2")} == {at(instance, "08:00")}


def test_a_car_is_worked_on_by_one_operation_at_a_time() -> None:
    techs = [technician("T1", MECHANIC), technician("T2", MECHANIC)]
    instance, solution = plan(problem(techs, [job("J", [operation("a", 60), operation("b", 60)])]))
    a, b = placed(instance, solution, "J", "a"), placed(instance, solution, "J", "b")
    assert a.end <= b.start or b.end <= a.start


def test_an_operation_waits_for_its_predecessor() -> None:
    ops = [operation("wash", 30, skill="wash", predecessors=["fix"]), operation("fix", 60)]
    techs = [technician("T1", MECHANIC), technician("W", {"wash": 1})]
    instance, solution = plan(problem(techs, [job("J", ops)]))
    assert placed(instance, solution, "J", "wash").start == placed(instance, solution, "J", "fix").end


def test_work_starts_when_the_car_arrives() -> None:
    instance, solution = plan(
        problem(
            [technician("T1", MECHANIC)],
            [job("J", [operation("o", 30)], appointment_at=f"{DAY}10:00:00+08:00")],
        )
    )
    assert clock(instance, placed(instance, solution, "J", "o").start) == "10:00"


def test_the_earliest_promise_is_served_first() -> None:
    jobs = [
        job("LATER", [operation("o", 60)], promised_at=f"{DAY}17:00:00+08:00"),
        job("SOON", [operation("o", 60)], promised_at=f"{DAY}09:00:00+08:00"),
        job("NONE", [operation("o", 60)]),
    ]
    instance, solution = plan(problem([technician("T1", MECHANIC)], jobs))
    order = sorted(("LATER", "SOON", "NONE"), key=lambda j: placed(instance, solution, j, "o").start)
    assert order == ["SOON", "LATER", "NONE"]


def test_the_least_overqualified_technician_takes_simple_work() -> None:
    techs = [technician("MASTER", {"maintenance": 3}), technician("APPR", {"maintenance": 1})]
    instance, solution = plan(problem(techs, [job("J", [operation("o", 60)])]))
    assert tech_id(instance, "J", "o", placed(instance, solution, "J", "o")) == "APPR"


def test_a_long_operation_pauses_over_lunch_with_the_same_technician() -> None:
    lunch_12 = {
        "days": ["mon"],
        "window": {"start": "08:00", "end": "18:00"},
        "breaks": [{"start": "12:00", "end": "13:00"}],
    }
    lunch_13 = {**lunch_12, "breaks": [{"start": "13:00", "end": "14:00"}]}
    techs = [
        technician("T1", {"engine": 2}, shifts=[lunch_12]),
        technician("T2", MECHANIC, shifts=[lunch_13]),
    ]
    arrival = f"{DAY}10:00:00+08:00"
    instance, solution = plan(
        problem(techs, [job("J", [operation("o", 180, skill="engine")], arrived_at=arrival)])
    )
    p = placed(instance, solution, "J", "o")
    assert tech_id(instance, "J", "o", p) == "T1"
    assert clock(instance, p.start) == "10:00"
    assert p.end == p.start + 36 + 12  # three hours of work and the lunch hour kept in the bay
    assert instance.axis.end_time(p.end).strftime("%H:%M") == "14:00"


# --- bays, lifts, equipment --------------------------------------------------------------------------


def test_an_out_of_service_bay_is_avoided() -> None:
    outage = {"start": f"{DAY}08:00:00+08:00", "end": f"{DAY}10:00:00+08:00"}
    bays = [{"id": "B1", "out_of_service": [outage]}]
    instance, solution = plan(
        problem([technician("T1", MECHANIC)], [job("J", [operation("o", 30)])], bays=bays)
    )
    assert clock(instance, placed(instance, solution, "J", "o").start) == "10:00"


def test_a_mobile_lift_turns_a_flat_bay_into_a_lift_bay() -> None:
    lifts = [{"id": "M1", "type": "column", "load_limit_kg": 3000}]
    ops = [operation("o", 60, lift_type="column")]
    techs = [technician("T1", MECHANIC), technician("T2", MECHANIC)]
    instance, solution = plan(problem(techs, [job("J1", ops), job("J2", ops)], lifts=lifts))
    first, second = sorted((placed(instance, solution, j, "o") for j in ("J1", "J2")), key=lambda p: p.start)
    assert instance.ops[first.op].places[first.place].lift == 0
    assert second.start == first.end  # one mobile lift, two bays: the second car waits for the lift


def test_one_equipment_unit_is_shared_in_turn() -> None:
    equipment = [{"id": "RIG", "count": 1}]
    ops = [operation("o", 60, equipment=["RIG"])]
    techs = [technician("T1", MECHANIC), technician("T2", MECHANIC)]
    instance, solution = plan(problem(techs, [job("J1", ops), job("J2", ops)], equipment=equipment))
    starts = sorted(clock(instance, placed(instance, solution, j, "o").start) for j in ("J1", "J2"))
    assert starts == ["08:00", "09:00"]


# --- parts ------------------------------------------------------------------------------------------


def _parts_problem(delivery_quantity: int | None) -> Problem:
    ops = [
        operation("fit", 30, parts=[{"part_number": "PAD", "quantity": 1}]),
        operation("test", 15, predecessors=["fit"]),
    ]
    deliveries = (
        []
        if delivery_quantity is None
        else [{"part_number": "PAD", "quantity": delivery_quantity, "eta": f"{DAY}10:00:00+08:00"}]
    )
    parts = {"stock": [{"part_number": "PAD", "on_hand": 1}], "deliveries": deliveries}
    techs = [technician("T1", MECHANIC), technician("T2", MECHANIC)]
    return problem(techs, [job("J1", ops), job("J2", ops)], parts=parts)


def test_two_jobs_compete_for_one_part_and_one_waits_for_the_delivery() -> None:
    instance, solution = plan(_parts_problem(1))
    starts = sorted(clock(instance, placed(instance, solution, j, "fit").start) for j in ("J1", "J2"))
    assert starts == ["08:00", "10:00"]


def test_work_without_its_part_is_unplanned_and_so_is_what_follows() -> None:
    instance, solution = plan(_parts_problem(None))
    unplanned = [
        j for j in ("J1", "J2") if instance.ops[0].key and _is_unplanned(instance, solution, j, "fit")
    ]
    assert len(unplanned) == 1
    assert reason(instance, solution, unplanned[0], "fit") == (
        "waiting for part PAD: not enough stock or deliveries within the horizon"
    )
    assert (
        reason(instance, solution, unplanned[0], "test") == "waits for operation fit, which cannot be planned"
    )


def _is_unplanned(instance: Instance, solution: Solution, job_id: str, op_id: str) -> bool:
    op = next(o for o in instance.ops if o.key == (job_id, op_id))
    return op.index in solution.unplanned


# --- fixed work, horizon ----------------------------------------------------------------------------


def _started(job_id: str, technician_id: str, minutes: int) -> dict[str, Any]:
    progress = {
        "started_at": f"{DAY}07:30:00+08:00",
        "technician_id": technician_id,
        "bay_id": "B1",
        "remaining_minutes": minutes,
    }
    return job(job_id, [operation("o", minutes, status="started", progress=progress)], status="in_progress")


def test_started_work_stays_on_its_technician_and_bay() -> None:
    techs = [technician("T1", MECHANIC), technician("T2", MECHANIC)]
    instance, solution = plan(problem(techs, [job("NEW", [operation("o", 60)]), _started("RUN", "T2", 60)]))
    running = placed(instance, solution, "RUN", "o")
    assert (tech_id(instance, "RUN", "o", running), clock(instance, running.start)) == ("T2", "08:00")
    assert instance.ops[running.op].places[running.place].bay == 0
    new = placed(instance, solution, "NEW", "o")
    assert tech_id(instance, "NEW", "o", new) == "T1"
    assert instance.ops[new.op].places[new.place].bay == 1


def test_a_pinned_start_is_honoured() -> None:
    pinned = operation("o", 60, pin={"start": f"{DAY}11:00:00+08:00"})
    instance, solution = plan(problem([technician("T1", MECHANIC)], [job("J", [pinned])]))
    assert clock(instance, placed(instance, solution, "J", "o").start) == "11:00"


def test_a_pin_clashing_with_started_work_takes_another_technician() -> None:
    pinned = operation("o", 60, pin={"start": f"{DAY}08:00:00+08:00"})
    techs = [technician("T1", MECHANIC), technician("T2", MECHANIC)]
    instance, solution = plan(problem(techs, [job("J", [pinned]), _started("RUN", "T1", 120)]))
    p = placed(instance, solution, "J", "o")
    assert (tech_id(instance, "J", "o", p), clock(instance, p.start)) == ("T2", "08:00")


def test_a_pin_that_cannot_be_kept_is_unplanned_with_its_reason() -> None:
    pinned = operation("o", 60, pin={"start": f"{DAY}08:00:00+08:00", "technician_id": "T1"})
    instance, solution = plan(
        problem([technician("T1", MECHANIC)], [job("J", [pinned]), _started("RUN", "T1", 120)])
    )
    assert reason(instance, solution, "J", "o").startswith("pinned start cannot be kept")


def test_work_before_a_pinned_operation_is_fitted_in_before_the_pin() -> None:
    ops = [operation("a", 60), operation("b", 60, predecessors=["a"], pin={"start": f"{DAY}10:00:00+08:00"})]
    techs = [technician("T1", MECHANIC)]
    instance, solution = plan(problem(techs, [job("BUSY", [operation("o", 60)]), job("J", ops)]))
    assert clock(instance, placed(instance, solution, "J", "b").start) == "10:00"
    assert placed(instance, solution, "J", "a").end <= at(instance, "10:00")


def test_a_pin_its_predecessor_cannot_reach_is_dropped_and_the_predecessor_planned() -> None:
    ops = [operation("a", 120), operation("b", 60, predecessors=["a"], pin={"start": f"{DAY}09:00:00+08:00"})]
    instance, solution = plan(problem([technician("T1", MECHANIC)], [job("J", ops)]))
    assert clock(instance, placed(instance, solution, "J", "a").start) == "08:00"
    assert reason(instance, solution, "J", "b") == "pinned start lies before operation a ends"


def test_unattended_curing_follows_painting_without_a_technician() -> None:
    booth = {"bay_capability": "paint_booth"}
    ops = [
        operation("paint", 60, skill="paint", **booth),
        operation("cure", 45, skill=None, crew_size=0, predecessors=["paint"], **booth),
    ]
    bays = [{"id": "PB", "capabilities": ["paint_booth"]}]
    instance, solution = plan(problem([technician("P", {"paint": 2})], [job("J", ops)], bays=bays))
    paint, cure = placed(instance, solution, "J", "paint"), placed(instance, solution, "J", "cure")
    assert cure.tech_option is None
    assert (cure.start, cure.end) == (paint.end, paint.end + 9)


def test_work_that_does_not_fit_the_horizon_is_unplanned() -> None:
    ops = [operation("a", 330), operation("b", 330), operation("c", 30, predecessors=["b"])]
    instance, solution = plan(problem([technician("T1", MECHANIC)], [job("J1", ops[:1]), job("J2", ops[1:])]))
    assert reason(instance, solution, "J2", "b") == NO_ROOM
    assert reason(instance, solution, "J2", "c") == "waits for operation b, which cannot be planned"


# --- a busier mix -----------------------------------------------------------------------------------


def _random_operation(rng: Random, k: int, skills: list[str]) -> dict[str, Any]:
    extra: dict[str, Any] = {"predecessors": [f"o{k - 1}"]} if k and rng.random() < 0.7 else {}
    if rng.random() < 0.3:
        extra["lift_type"] = rng.choice(["two_post", "column"])
    if rng.random() < 0.2:
        extra["equipment"] = ["RIG"]
    if rng.random() < 0.3:
        extra["parts"] = [{"part_number": "P", "quantity": rng.randint(1, 2)}]
    if rng.random() < 0.1:
        extra["pin"] = {"start": f"{DAY}{rng.randint(8, 16):02d}:00:00+08:00"}
    minutes = rng.choice([15, 30, 60, 120, 240])
    return operation(f"o{k}", minutes, skill=rng.choice(skills), min_level=rng.randint(1, 2), **extra)


def _random_problem(seed: int) -> Problem:
    """Fourteen jobs on five technicians: lifts, a shared rig, a scarce part, pins and started work."""
    rng = Random(seed)
    skills = ["maintenance", "brakes_chassis", "engine"]
    techs = [technician(f"T{i}", {s: rng.randint(1, 3) for s in rng.sample(skills, 2)}) for i in range(5)]
    bays = [{"id": f"B{i}"} for i in range(4)] + [{"id": "AL", "capabilities": ["general", "alignment"]}]
    lifts = [
        {"id": "L1", "type": "two_post", "load_limit_kg": 3000, "bay_id": "B0"},
        {"id": "M1", "type": "column", "load_limit_kg": 3000},
    ]
    jobs = [_started(f"RUN{i}", f"T{i}", rng.choice([30, 90])) for i in range(rng.randint(0, 2))]
    for j in range(14):
        ops = [_random_operation(rng, k, skills) for k in range(rng.randint(1, 4))]
        arrival = f"{DAY}{rng.randint(8, 14):02d}:00:00+08:00"
        promise = f"{DAY}{rng.randint(10, 18):02d}:00:00+08:00"
        jobs.append(job(f"J{j}", ops, appointment_at=arrival, promised_at=promise))
    parts = {
        "stock": [{"part_number": "P", "on_hand": 2}],
        "deliveries": [{"part_number": "P", "quantity": 3, "eta": f"{DAY}13:00:00+08:00"}],
    }
    return problem(
        techs,
        jobs,
        bays=bays,
        lifts=lifts,
        equipment=[{"id": "RIG", "count": 1}],
        parts=parts,
        settings={"horizon_days": 2},
    )


def test_a_busy_random_mix_keeps_every_rule() -> None:
    for seed in range(20):
        _, solution = plan(_random_problem(seed))
        assert solution.placements, seed


def test_the_rule_check_itself_catches_a_double_booking() -> None:
    jobs = [job("J1", [operation("o", 60)]), job("J2", [operation("o", 60)])]
    instance, solution = plan(problem([technician("T1", MECHANIC)], jobs))
    first, second = sorted(solution.placements.values(), key=lambda p: p.start)
    solution.placements[second.op] = Placement(
        second.op, second.tech_option, 1 - first.place, first.start, first.end
    )
    assert violations(instance, solution) == [f"('tech', 0) double-booked at {first.start}"]

"""Input validation of a planning problem that reports every problem at once, each with its path.

Two stages: pydantic checks the structure (types, ranges, required and unknown
fields); then, when the structure parses, the cross-reference checks below look
at what pydantic cannot see (unknown ids and names, duplicates, cycles,
overlapping windows, contradictory states). Every check collects instead of
raising, so a dispatcher fixing a DMS export sees all faults in one go.

Paths follow the document: `jobs[4].operations[1].skill`,
`workshop.technicians[2].shifts[0]`, `workshop.opening_hours.mon[1]`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from scheduler.common import WEEKDAYS, ClockWindow
from scheduler.jobs import Job, JobStatus, Operation, OperationStatus, Pin, Progress
from scheduler.labour import OperationKind
from scheduler.problem import Problem
from scheduler.workshop import Shift, Technician, Workshop

ROOT_PATH = "(document)"
"""Path of an issue about the document as a whole (e.g. not a JSON object)."""


@dataclass(frozen=True)
class InputIssue:
    """One fault of the input, located by its path in the problem document."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidProblem(ValueError):
    """The input is not a valid problem; `issues` lists every fault found."""

    def __init__(self, issues: Sequence[InputIssue]) -> None:
        self.issues: list[InputIssue] = list(issues)
        lines = "\n".join(f"  {issue}" for issue in self.issues)
        super().__init__(f"invalid problem ({len(self.issues)} issue(s)):\n{lines}")


def validate_document(data: object) -> tuple[Problem | None, list[InputIssue]]:
    """Parse a problem document and check it; the problem is None when the structure does not parse.

    `data` is the decoded JSON (a dict); a JSON text (str or bytes) is decoded first.
    """
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as error:
            return None, [InputIssue(ROOT_PATH, f"not valid JSON: {error}")]
    try:
        problem = Problem.model_validate(data)
    except ValidationError as error:
        return None, [structural_issue(detail) for detail in error.errors()]
    return problem, check_problem(problem)


def load_problem(data: object) -> Problem:
    """Parse and check a problem document; raise InvalidProblem listing every issue."""
    problem, issues = validate_document(data)
    if issues or problem is None:
        raise InvalidProblem(issues)
    return problem


def check_problem(problem: Problem) -> list[InputIssue]:
    """The cross-reference checks of an already parsed problem, in document order."""
    names = _Names.of(problem.workshop)
    checks: list[Callable[[], Iterable[InputIssue]]] = [
        lambda: _check_timezone(problem.workshop),
        lambda: _check_opening_hours(problem.workshop),
        lambda: _overlapping_windows(problem.workshop.default_breaks, "workshop.default_breaks", "break"),
        lambda: _check_technicians(problem.workshop, names),
        lambda: _check_bays(problem.workshop, names),
        lambda: _check_lifts(problem.workshop, names),
        lambda: _check_equipment(problem.workshop),
        lambda: _check_labour_catalogue(problem.workshop, names),
        lambda: _check_jobs(problem.jobs, names),
        lambda: _check_parts(problem),
    ]
    return [issue for check in checks for issue in check()]


# --- structural (pydantic) issues ------------------------------------------------------------


def loc_to_path(loc: Sequence[int | str]) -> str:
    """('jobs', 4, 'operations', 1, 'skill') -> 'jobs[4].operations[1].skill'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path or ROOT_PATH


_DATETIME_EXAMPLE = "e.g. 2026-11-23T08:30:00+08:00"

_FIXED_MESSAGES: dict[str, str] = {
    "missing": "field required",
    "extra_forbidden": "unknown field",
    "timezone_aware": f"must have a timezone offset, {_DATETIME_EXAMPLE}",
    "datetime_type": f"must be a date-time with timezone offset, {_DATETIME_EXAMPLE}",
    "datetime_parsing": f"must be a date-time with timezone offset, {_DATETIME_EXAMPLE}",
    "datetime_from_date_parsing": f"must be a date-time with timezone offset, {_DATETIME_EXAMPLE}",
    "time_type": "must be a time of day HH:MM",
    "time_parsing": "must be a time of day HH:MM",
    "date_type": "must be a date YYYY-MM-DD",
    "date_parsing": "must be a date YYYY-MM-DD",
    "date_from_datetime_parsing": "must be a date YYYY-MM-DD",
    "int_type": "must be an integer",
    "int_parsing": "must be an integer",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "string_pattern_mismatch": "must be an id: letters, digits and _ . : - / without spaces",
}

_BOUND_MESSAGES: dict[str, tuple[str, str]] = {
    "greater_than_equal": ("ge", ">="),
    "greater_than": ("gt", ">"),
    "less_than_equal": ("le", "<="),
    "less_than": ("lt", "<"),
}


def structural_issue(detail: ErrorDetails) -> InputIssue:
    """Turn one pydantic error into an issue with a document path and a readable message."""
    return InputIssue(loc_to_path(detail["loc"]), _readable_message(detail))


def _readable_message(detail: ErrorDetails) -> str:
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    if kind in _FIXED_MESSAGES:
        return _FIXED_MESSAGES[kind]
    if kind in _BOUND_MESSAGES:
        key, operator = _BOUND_MESSAGES[kind]
        return f"must be {operator} {ctx.get(key)}"
    if kind in ("enum", "literal_error"):
        return f"must be one of {ctx.get('expected')}"
    if kind == "too_short":
        return f"must have at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} item(s)"
    if kind == "string_too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else f"too short: {detail['msg']}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    return _plain(detail["msg"])


def _plain(message: str) -> str:
    """Pydantic's own wording, without its 'Value error, ' prefix and with a lower-case start."""
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return message[:1].lower() + message[1:]


# --- vocabulary and ids of the workshop --------------------------------------------------------


@dataclass(frozen=True)
class _Names:
    """What ids and names a reference may use."""

    skills: frozenset[str]
    capabilities: frozenset[str]
    certifications: frozenset[str]
    technicians: dict[str, Technician]
    bays: frozenset[str]
    lift_bays: dict[str, str | None]
    """Lift id -> the bay it is installed in (None: mobile)."""
    pools: frozenset[str]

    @staticmethod
    def of(workshop: Workshop) -> _Names:
        technicians: dict[str, Technician] = {}
        for technician in workshop.technicians:
            technicians.setdefault(technician.id, technician)
        return _Names(
            skills=frozenset(workshop.skills),
            capabilities=frozenset(workshop.bay_capabilities),
            certifications=frozenset(workshop.certifications),
            technicians=technicians,
            bays=frozenset(b.id for b in workshop.bays),
            lift_bays={lift.id: lift.bay_id for lift in reversed(workshop.lifts)},
            pools=frozenset(p.id for p in workshop.equipment),
        )


def _unknown(kind: str, value: str, known: Iterable[str]) -> str:
    """'unknown skill 'hvac'', with a hint when the value looks like a typo of a known one."""
    close = difflib.get_close_matches(value, sorted(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {kind} {value!r}{hint}"


def _check_name(path: str, kind: str, value: str | None, known: Iterable[str]) -> Iterator[InputIssue]:
    known_set = frozenset(known)
    if value is not None and value not in known_set:
        yield InputIssue(path, _unknown(kind, value, known_set))


def _duplicates(values: Sequence[str], path_of: Callable[[int], str], what: str) -> Iterator[InputIssue]:
    first_seen: dict[str, int] = {}
    for index, value in enumerate(values):
        if value in first_seen:
            yield InputIssue(
                path_of(index), f"duplicate {what} {value!r} (first at {path_of(first_seen[value])})"
            )
        else:
            first_seen[value] = index


# --- workshop ------------------------------------------------------------------------------


def _check_timezone(workshop: Workshop) -> Iterator[InputIssue]:
    try:
        ZoneInfo(workshop.timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        yield InputIssue(
            "workshop.timezone",
            f"unknown timezone {workshop.timezone!r}; use an IANA name like Asia/Shanghai",
        )


def _clock(window: ClockWindow) -> str:
    return f"{window.start.strftime('%H:%M')}-{window.end.strftime('%H:%M')}"


def _overlap(a: ClockWindow, b: ClockWindow) -> bool:
    # Touching windows (12:00-13:00 and 13:00-18:00) do not overlap.
    return a.start < b.end and b.start < a.end


def _overlapping_windows(windows: Sequence[ClockWindow], path: str, what: str) -> Iterator[InputIssue]:
    for later, window in enumerate(windows):
        for earlier in range(later):
            if _overlap(windows[earlier], window):
                yield InputIssue(
                    f"{path}[{later}]",
                    f"{what} {_clock(window)} overlaps {what} {_clock(windows[earlier])} ({path}[{earlier}])",
                )


def _check_opening_hours(workshop: Workshop) -> Iterator[InputIssue]:
    for day, windows in workshop.opening_hours.items():
        path = f"workshop.opening_hours.{day}"
        if day not in WEEKDAYS:
            yield InputIssue(path, f"unknown weekday {day!r}; use one of {', '.join(WEEKDAYS)}")
        yield from _overlapping_windows(windows, path, "opening window")


def _check_technicians(workshop: Workshop, names: _Names) -> Iterator[InputIssue]:
    technicians = workshop.technicians
    yield from _duplicates(
        [t.id for t in technicians], lambda i: f"workshop.technicians[{i}].id", "technician id"
    )
    for index, technician in enumerate(technicians):
        path = f"workshop.technicians[{index}]"
        yield from _technician_vocabulary(technician, path, names)
        yield from _check_shifts(technician.shifts, f"{path}.shifts")


def _technician_vocabulary(technician: Technician, path: str, names: _Names) -> Iterator[InputIssue]:
    skills = [grade.skill for grade in technician.skills]
    for n, skill in enumerate(skills):
        yield from _check_name(f"{path}.skills[{n}].skill", "skill", skill, names.skills)
    yield from _duplicates(skills, lambda n: f"{path}.skills[{n}].skill", "skill")
    for n, certification in enumerate(technician.certifications):
        yield from _check_name(
            f"{path}.certifications[{n}]", "certification", certification, names.certifications
        )


def _shared_days(a: Shift, b: Shift) -> list[str]:
    return [day for day in WEEKDAYS if day in a.days and day in b.days]


def _check_shifts(shifts: Sequence[Shift], path: str) -> Iterator[InputIssue]:
    for later, shift in enumerate(shifts):
        for earlier in range(later):
            days = _shared_days(shifts[earlier], shift)
            if days and _overlap(shifts[earlier].window, shift.window):
                yield InputIssue(
                    f"{path}[{later}]",
                    f"shift {_clock(shift.window)} overlaps shift {_clock(shifts[earlier].window)} "
                    f"({path}[{earlier}]) on {', '.join(days)}",
                )
        yield from _check_breaks(shift, f"{path}[{later}]")


def _check_breaks(shift: Shift, path: str) -> Iterator[InputIssue]:
    for n, pause in enumerate(shift.breaks):
        if pause.start < shift.window.start or pause.end > shift.window.end:
            yield InputIssue(
                f"{path}.breaks[{n}]",
                f"break {_clock(pause)} is outside the shift window {_clock(shift.window)}",
            )
    yield from _overlapping_windows(shift.breaks, f"{path}.breaks", "break")


def _check_bays(workshop: Workshop, names: _Names) -> Iterator[InputIssue]:
    yield from _duplicates([b.id for b in workshop.bays], lambda i: f"workshop.bays[{i}].id", "bay id")
    for index, bay in enumerate(workshop.bays):
        for n, capability in enumerate(bay.capabilities):
            yield from _check_name(
                f"workshop.bays[{index}].capabilities[{n}]", "bay capability", capability, names.capabilities
            )


def _check_lifts(workshop: Workshop, names: _Names) -> Iterator[InputIssue]:
    lifts = workshop.lifts
    yield from _duplicates([lift.id for lift in lifts], lambda i: f"workshop.lifts[{i}].id", "lift id")
    installed: dict[str, str] = {}
    for index, lift in enumerate(lifts):
        if lift.bay_id is None:
            continue
        path = f"workshop.lifts[{index}].bay_id"
        if lift.bay_id not in names.bays:
            yield InputIssue(path, _unknown("bay", lift.bay_id, names.bays))
        elif lift.bay_id in installed:
            # The model has one installed lift per bay (Workshop.installed_lift).
            yield InputIssue(
                path, f"bay {lift.bay_id!r} already has lift {installed[lift.bay_id]!r} installed"
            )
        else:
            installed[lift.bay_id] = lift.id


def _check_equipment(workshop: Workshop) -> Iterator[InputIssue]:
    pools = workshop.equipment
    yield from _duplicates(
        [p.id for p in pools], lambda i: f"workshop.equipment[{i}].id", "equipment pool id"
    )
    for index, pool in enumerate(pools):
        for n, outage in enumerate(pool.out_of_service):
            if outage.units > pool.count:
                yield InputIssue(
                    f"workshop.equipment[{index}].out_of_service[{n}].units",
                    f"{outage.units} units out of service but pool {pool.id!r} has only {pool.count}",
                )


_KINDS = tuple(kind.value for kind in OperationKind)


def _check_labour_catalogue(workshop: Workshop, names: _Names) -> Iterator[InputIssue]:
    """Every entry must be able to become an operation of this workshop (see scheduler.labour)."""
    catalogue = workshop.labour_catalogue
    yield from _duplicates(
        [entry.code for entry in catalogue], lambda i: f"workshop.labour_catalogue[{i}].code", "labour code"
    )
    for index, entry in enumerate(catalogue):
        path = f"workshop.labour_catalogue[{index}]"
        if entry.kind not in _KINDS:
            yield InputIssue(
                f"{path}.kind", f"{_unknown('kind', entry.kind, _KINDS)}; use one of {', '.join(_KINDS)}"
            )
        if entry.crew_size == 1 and entry.skill is None:
            yield InputIssue(f"{path}.skill", "needs a skill: a technician does this work (crew_size 1)")
        yield from _check_name(f"{path}.skill", "skill", entry.skill, names.skills)
        yield from _check_name(
            f"{path}.certification", "certification", entry.certification, names.certifications
        )
        yield from _check_name(
            f"{path}.bay_capability", "bay capability", entry.bay_capability, names.capabilities
        )
        for n, pool in enumerate(entry.equipment):
            yield from _check_name(f"{path}.equipment[{n}]", "equipment pool", pool, names.pools)


# --- jobs ------------------------------------------------------------------------------------


def _check_jobs(jobs: Sequence[Job], names: _Names) -> Iterator[InputIssue]:
    yield from _duplicates([j.id for j in jobs], lambda i: f"jobs[{i}].id", "job id")
    for index, job in enumerate(jobs):
        yield from _check_job(job, f"jobs[{index}]", names)


def _check_job(job: Job, path: str, names: _Names) -> Iterator[InputIssue]:
    yield from _check_job_times(job, path)
    yield from _duplicates(
        [o.id for o in job.operations], lambda k: f"{path}.operations[{k}].id", "operation id"
    )
    for k, operation in enumerate(job.operations):
        yield from _check_operation(operation, f"{path}.operations[{k}]", names)
    yield from _check_predecessors(job, path)


def _stamp(moment: datetime) -> str:
    return moment.isoformat()


def _check_job_times(job: Job, path: str) -> Iterator[InputIssue]:
    if job.status == JobStatus.IN_PROGRESS and job.arrived_at is None:
        yield InputIssue(f"{path}.arrived_at", "job is in_progress but has no arrival time")
    # A promise is made against the appointment; a car that then comes in after its promised time
    # is late, not wrong. Only a walk-in's promise must follow its arrival.
    arrival, what = (job.appointment_at, "appointment") if job.appointment_at else (job.arrived_at, "arrival")
    if job.promised_at is not None and arrival is not None and job.promised_at < arrival:
        yield InputIssue(
            f"{path}.promised_at",
            f"promised time {_stamp(job.promised_at)} is before the {what} {_stamp(arrival)}",
        )


def _check_operation(operation: Operation, path: str, names: _Names) -> Iterator[InputIssue]:
    if operation.crew_size == 1 and operation.skill is None:
        yield InputIssue(f"{path}.skill", "needs a skill: a technician does this operation (crew_size 1)")
    yield from _check_name(f"{path}.skill", "skill", operation.skill, names.skills)
    yield from _check_name(
        f"{path}.certification", "certification", operation.certification, names.certifications
    )
    yield from _check_name(
        f"{path}.bay_capability", "bay capability", operation.bay_capability, names.capabilities
    )
    for n, pool in enumerate(operation.equipment):
        yield from _check_name(f"{path}.equipment[{n}]", "equipment pool", pool, names.pools)
    for technician_id in operation.technician_minutes or {}:
        yield from _check_name(
            f"{path}.technician_minutes.{technician_id}", "technician", technician_id, names.technicians
        )
    if operation.pin is not None:
        yield from _check_pin(operation, operation.pin, f"{path}.pin", names)
    if operation.status == OperationStatus.STARTED and operation.progress is None:
        yield InputIssue(f"{path}.progress", "operation is started but has no progress")
    if operation.progress is not None:
        yield from _check_progress(operation.progress, f"{path}.progress", names)


def _check_pin(operation: Operation, pin: Pin, path: str, names: _Names) -> Iterator[InputIssue]:
    yield from _check_name(f"{path}.bay_id", "bay", pin.bay_id, names.bays)
    if pin.technician_id is None:
        return
    technician = names.technicians.get(pin.technician_id)
    if technician is None:
        yield InputIssue(
            f"{path}.technician_id", _unknown("technician", pin.technician_id, names.technicians)
        )
    elif operation.crew_size == 0:
        yield InputIssue(
            f"{path}.technician_id",
            f"pinned to technician {pin.technician_id!r} but the operation needs no technician (crew_size 0)",
        )
    elif operation.skill is not None and technician.grade(operation.skill) is None:
        yield InputIssue(
            f"{path}.technician_id",
            f"technician {pin.technician_id!r} does not have skill {operation.skill!r}",
        )


def _check_progress(progress: Progress, path: str, names: _Names) -> Iterator[InputIssue]:
    yield from _check_name(f"{path}.technician_id", "technician", progress.technician_id, names.technicians)
    yield from _check_name(f"{path}.bay_id", "bay", progress.bay_id, names.bays)
    yield from _check_name(f"{path}.lift_id", "lift", progress.lift_id, names.lift_bays)
    if progress.lift_id in names.lift_bays and progress.bay_id in names.bays:
        installed_in = names.lift_bays[progress.lift_id]
        if installed_in is not None and installed_in != progress.bay_id:
            yield InputIssue(
                f"{path}.lift_id",
                f"lift {progress.lift_id!r} is installed in bay {installed_in!r}, not in {progress.bay_id!r}",
            )


def _check_predecessors(job: Job, path: str) -> Iterator[InputIssue]:
    index_of: dict[str, int] = {}
    for k, operation in enumerate(job.operations):
        index_of.setdefault(operation.id, k)
    for k, operation in enumerate(job.operations):
        for n, predecessor in enumerate(operation.predecessors):
            where = f"{path}.operations[{k}].predecessors[{n}]"
            if predecessor == operation.id:
                yield InputIssue(where, f"operation {operation.id!r} cannot be its own predecessor")
            elif predecessor not in index_of:
                yield InputIssue(where, _unknown("predecessor", predecessor, index_of))
    for cycle in _predecessor_cycles(job, index_of):
        yield InputIssue(
            f"{path}.operations[{index_of[cycle[0]]}].predecessors",
            "cyclic predecessors: " + " -> ".join([*cycle, cycle[0]]),
        )


def _predecessor_cycles(job: Job, index_of: dict[str, int]) -> list[list[str]]:
    """Each cycle once, in work order (predecessor first), starting at its earliest listed operation.

    Self-references and unknown ids are reported on their own and left out here.
    """
    successors: dict[str, list[str]] = {op_id: [] for op_id in index_of}
    for operation in job.operations:
        for predecessor in operation.predecessors:
            if predecessor in index_of and predecessor != operation.id:
                successors[predecessor].append(operation.id)
    finder = _CycleFinder(successors)
    for op_id in index_of:
        finder.visit(op_id)
    cycles: dict[frozenset[str], list[str]] = {}
    for cycle in finder.cycles:
        first = min(range(len(cycle)), key=lambda i: index_of[cycle[i]])
        cycles.setdefault(frozenset(cycle), cycle[first:] + cycle[:first])
    return list(cycles.values())


class _CycleFinder:
    """Depth-first search; every edge back into the current path closes a cycle."""

    def __init__(self, successors: dict[str, list[str]]) -> None:
        self.successors = successors
        self.done: set[str] = set()
        self.path: list[str] = []
        self.cycles: list[list[str]] = []

    def visit(self, node: str) -> None:
        if node in self.done:
            return
        if node in self.path:
            self.cycles.append(self.path[self.path.index(node) :])
            return
        self.path.append(node)
        for successor in self.successors[node]:
            self.visit(successor)
        self.path.pop()
        self.done.add(node)


# --- parts -----------------------------------------------------------------------------------


def _check_parts(problem: Problem) -> Iterator[InputIssue]:
    yield from _duplicates(
        [s.part_number for s in problem.parts.stock],
        lambda i: f"parts.stock[{i}].part_number",
        "stock line for part",
    )

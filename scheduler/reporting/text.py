"""Plain-language formatting shared by the reasons and the board.

Times are shown in the workshop's own timezone because that is the clock on the
workshop wall; the date is added only when it is not the planning day, so the
common case stays short ("14:00") and nothing is ambiguous across midnight.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from scheduler.jobs import Operation
from scheduler.problem import Problem
from scheduler.workshop import Technician

# Fixed English names: strftime("%a") would follow the process locale.
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def workshop_zone(problem: Problem) -> ZoneInfo:
    return ZoneInfo(problem.workshop.timezone)


def local(moment: datetime, problem: Problem) -> datetime:
    return moment.astimezone(workshop_zone(problem))


def planning_day(problem: Problem) -> date:
    return local(problem.now, problem).date()


def day_label(day: date, *, with_year: bool = False) -> str:
    """'Tue 24 Nov' (or 'Tue 24 Nov 2026')."""
    text = f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def clock(moment: datetime, problem: Problem) -> str:
    """'14:00' on the planning day, '08:00 on Tue 24 Nov' on any other day."""
    moment = local(moment, problem)
    hhmm = moment.strftime("%H:%M")
    if moment.date() == planning_day(problem):
        return hhmm
    return f"{hhmm} on {day_label(moment.date())}"


def short_clock(moment: datetime, problem: Problem) -> str:
    """Board form: '14:00' on the planning day, 'Tue 24 Nov 08:00' otherwise."""
    moment = local(moment, problem)
    hhmm = moment.strftime("%H:%M")
    if moment.date() == planning_day(problem):
        return hhmm
    return f"{day_label(moment.date())} {hhmm}"


def duration(minutes: int) -> str:
    """'45 min', '2 h', '1 h 20 min'; hours are not folded into days because
    advisors think of a car's delay in workshop hours, not calendar days."""
    minutes = abs(minutes)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    if not rest:
        return f"{hours} h"
    return f"{hours} h {rest} min"


def operation_label(operation: Operation | None, operation_id: str) -> str:
    """'Brake pads (R1)', or just the id when the operation has no text."""
    if operation is None or not operation.text:
        return operation_id
    return f"{operation.text} ({operation_id})"


def operation_short(operation: Operation | None, operation_id: str) -> str:
    """What another job's operation is called inside a sentence: its text, else its id."""
    if operation is None or not operation.text:
        return operation_id
    return operation.text


def technician_name(technician: Technician | None, technician_id: str) -> str:
    if technician is None or not technician.name:
        return technician_id
    return technician.name

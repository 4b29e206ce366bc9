"""Working pieces, working time, overtime and durations of each planned operation."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

from scheduler.calendar import covers, intersect
from scheduler.plan import OperationAssignment
from scheduler.plan_validator.context import (
    ZERO,
    Context,
    Item,
    Violation,
    ceil_to_grain,
    fmt,
    fmt_minutes,
    item_violation,
    pieces_of,
    span,
    windows_after,
)


def _piece_problems(a: OperationAssignment) -> list[str]:
    if a.start >= a.end:
        return [f"start {fmt(a.start)} is not before end {fmt(a.end)}"]
    if not a.pieces:
        return ["no working pieces"]
    problems: list[str] = []
    # Started work shows only the pieces still to come.
    if a.pieces[0].start != a.start and not a.started:
        problems.append(f"first piece starts at {fmt(a.pieces[0].start)}, not at the start")
    if a.pieces[-1].end != a.end:
        problems.append(f"last piece ends at {fmt(a.pieces[-1].end)}, not at the end")
    for piece in a.pieces:
        if piece.start >= piece.end:
            problems.append(f"empty piece {fmt(piece.start)}-{fmt(piece.end)}")
    for before, after in zip(a.pieces, a.pieces[1:], strict=False):
        if after.start < before.end:
            problems.append(f"pieces overlap or are unsorted at {fmt(after.start)}")
    return problems


def check_pieces(ctx: Context) -> list[Violation]:
    return [
        item_violation("invalid_pieces", item, problem)
        for item in ctx.items
        for problem in _piece_problems(item.a)
    ]


def check_working_time(ctx: Context) -> list[Violation]:
    found: list[Violation] = []
    for item in ctx.items:
        if item.op.crew_size == 0:
            windows, whose = ctx.unattended_windows(), "workshop"
        else:
            tech = ctx.technician(item)
            if tech is None:
                continue
            windows, whose = ctx.technician_windows(tech), f"technician {tech.id}"
        pieces = pieces_of(item)
        if item.started:
            pieces = windows_after(pieces, ctx.now)
        for start, end in pieces:
            if start < end and not covers(windows, start, end):
                found.append(
                    item_violation(
                        "outside_working_time",
                        item,
                        f"piece {fmt(start)}-{fmt(end)} is outside the {whose}'s working time",
                    )
                )
    return found


def check_overtime(ctx: Context) -> list[Violation]:
    found: list[Violation] = []
    for item in ctx.items:
        tech = ctx.technician(item)
        if item.op.crew_size == 0 or tech is None:
            continue
        overtime = span(intersect(pieces_of(item), ctx.calendar.overtime_windows(tech)))
        if overtime != timedelta(minutes=item.a.overtime_minutes):
            found.append(
                item_violation(
                    "overtime_mismatch",
                    item,
                    f"overtime_minutes is {item.a.overtime_minutes}, pieces in overtime make "
                    f"{fmt_minutes(overtime)}",
                )
            )
    return found


def _expected_work(ctx: Context, item: Item) -> int | None:
    """Minutes of work the pieces must hold (after now for started work); None: not checkable."""
    op = item.op
    if item.started:
        progress = op.progress
        if progress is None or progress.remaining_minutes is None:
            return None
        return max(ctx.grain, ceil_to_grain(Fraction(progress.remaining_minutes), ctx.grain))
    if op.crew_size == 0:
        return ceil_to_grain(Fraction(op.standard_minutes), ctx.grain)
    tech = ctx.technician(item)
    if tech is None or op.skill is None:
        return None
    measured = op.technician_minutes
    if measured is not None:
        # Measured minutes per technician replace standard time / efficiency.
        minutes = measured.get(tech.id)
        return None if minutes is None else ceil_to_grain(Fraction(minutes), ctx.grain)
    efficiency = Fraction(str(tech.efficiency_for(op.skill)))
    return ceil_to_grain(Fraction(op.standard_minutes) / efficiency, ctx.grain)


def check_durations(ctx: Context) -> list[Violation]:
    found: list[Violation] = []
    for item in ctx.items:
        pieces = pieces_of(item)
        total = span(pieces)
        # Started work shows only its remaining pieces; its full duration is checked below.
        whole = item.op.crew_size == 1 and not item.started
        if whole and total != timedelta(minutes=item.a.work_minutes):
            found.append(
                item_violation(
                    "work_minutes_mismatch",
                    item,
                    f"work_minutes is {item.a.work_minutes}, pieces add up to {fmt_minutes(total)}",
                )
            )
        relevant = span(windows_after(pieces, ctx.now)) if item.started else total
        scope = "after now " if item.started else ""
        expected = _expected_work(ctx, item)
        if expected is not None and relevant != timedelta(minutes=expected):
            found.append(
                item_violation(
                    "duration_mismatch",
                    item,
                    f"pieces {scope}hold {fmt_minutes(relevant)} of work, expected {expected} min",
                )
            )
        elif expected is None and item.started and relevant <= ZERO:
            found.append(item_violation("duration_mismatch", item, "started work has no piece after now"))
    return found

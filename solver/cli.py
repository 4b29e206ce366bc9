"""The `bayplan` console command: plan, validate, generate, schema."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from scheduler.board import render_board
from scheduler.feasibility import check_feasibility
from scheduler.plan import Plan
from scheduler.plan_validator import validate_plan
from scheduler.problem import Problem
from scheduler.solve_settings import EngineChoice, SolverSettings
from scheduler.validation import validate_document

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _read_problem(path: str) -> Problem | None:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        print(f"{path}: cannot read: {error}", file=sys.stderr)
        return None
    problem, issues = validate_document(data)
    for issue in issues:
        print(f"{path}: {issue}", file=sys.stderr)
    return problem if not issues else None


def _command_plan(args: argparse.Namespace) -> int:
    from solver.planner import make_plan  # the solver loads only when planning

    problem = _read_problem(args.file)
    if problem is None:
        return EXIT_INVALID
    for issue in check_feasibility(problem):
        print(f"warning: {issue.path}: {issue.reason}", file=sys.stderr)
    settings = SolverSettings(
        engine=EngineChoice(args.engine),
        time_limit_seconds=args.time_limit,
        workers=args.workers,
        seed=args.seed,
        relative_gap=args.gap,
    )
    plan = make_plan(problem, settings)
    print(render_board(problem, plan))
    if args.out:
        Path(args.out).write_text(plan.model_dump_json(indent=2), encoding="utf-8")
        print(f"\nplan written to {args.out}")
    violations = validate_plan(problem, plan)
    for violation in violations:
        print(f"plan violation: {violation.rule}: {violation.message}", file=sys.stderr)
    return EXIT_INVALID if violations else EXIT_OK


def _command_validate(args: argparse.Namespace) -> int:
    problem = _read_problem(args.file)
    if problem is None:
        return EXIT_INVALID
    issues = check_feasibility(problem)
    for issue in issues:
        print(f"{args.file}: {issue.path}: {issue.reason}")
    if args.plan:
        plan = Plan.model_validate_json(Path(args.plan).read_text(encoding="utf-8"))
        violations = validate_plan(problem, plan)
        for violation in violations:
            print(f"{args.plan}: {violation.rule}: {violation.message}")
        if violations:
            return EXIT_INVALID
    print(f"{args.file}: valid ({len(problem.jobs)} jobs, {len(issues)} operations nothing can serve)")
    return EXIT_OK


def _command_generate(args: argparse.Namespace) -> int:
    from fixtures.generator import generate_problem

    problem = generate_problem(
        technicians=args.technicians, bays=args.bays, jobs=args.jobs, days=args.days, seed=args.seed
    )
    text = problem.model_dump_json(indent=2)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text)
    return EXIT_OK


def _command_schema(args: argparse.Namespace) -> int:
    from scheduler.schema import plan_json_schema, problem_json_schema

    schema = plan_json_schema() if args.kind == "plan" else problem_json_schema()
    print(json.dumps(schema, indent=2))
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bayplan", description="Dealership workshop planner.")
    commands = parser.add_subparsers(dest="command", required=True)

    plan = commands.add_parser("plan", help="plan a workshop day and print the board")
    plan.add_argument("file")
    plan.add_argument("--time-limit", type=float, default=10.0, help="seconds for CP-SAT")
    plan.add_argument("--workers", type=int, default=2)
    plan.add_argument("--seed", type=int, default=0)
    plan.add_argument("--gap", type=float, default=0.0, help="relative gap at which CP-SAT may stop")
    plan.add_argument("--engine", choices=[e.value for e in EngineChoice], default="cp-sat")
    plan.add_argument("--out", help="write the JSON plan here")
    plan.set_defaults(run=_command_plan)

    validate = commands.add_parser("validate", help="check a problem file (and optionally a plan)")
    validate.add_argument("file")
    validate.add_argument("--plan", help="a JSON plan to check against the problem")
    validate.set_defaults(run=_command_validate)

    generate = commands.add_parser("generate", help="generate a realistic workshop day")
    generate.add_argument("--technicians", type=int, default=10)
    generate.add_argument("--bays", type=int, default=None)
    generate.add_argument("--jobs", type=int, default=30)
    generate.add_argument("--days", type=int, default=1)
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument("--out")
    generate.set_defaults(run=_command_generate)

    schema = commands.add_parser("schema", help="print the JSON Schema of the input or the plan")
    schema.add_argument("kind", choices=["problem", "plan"])
    schema.set_defaults(run=_command_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())

"""`python -m benchmarks.simulation`: the simulated day under three policies, to benchmarks/simulation.md.

The defaults are a realistic day (12 technicians, 40 jobs, like the demo dealership) over three seeds,
with the service's own re-plan budget (1 s, 2 CP-SAT workers).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchmarks.simulation.day import Policy, Result
from benchmarks.simulation.run import Setup, report, simulate, write

OUT = Path(__file__).resolve().parents[1] / "simulation.md"


def parse(argv: list[str] | None) -> tuple[Setup, Path]:
    default = Setup()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", default=",".join(map(str, default.seeds)))
    parser.add_argument("--technicians", type=int, default=default.technicians)
    parser.add_argument("--jobs", type=int, default=default.jobs)
    parser.add_argument("--replan-seconds", type=float, default=default.replan_seconds)
    parser.add_argument("--morning-seconds", type=float, default=default.morning_seconds)
    parser.add_argument("--workers", type=int, default=default.workers, help="CP-SAT workers per solve")
    parser.add_argument("--policies", default=",".join(p.value for p in Policy))
    parser.add_argument("--validate", action="store_true", help="validate every plan fetched")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    setup = Setup(
        technicians=args.technicians,
        jobs=args.jobs,
        seeds=tuple(int(s) for s in args.seeds.split(",")),
        replan_seconds=args.replan_seconds,
        morning_seconds=args.morning_seconds,
        workers=args.workers,
        policies=tuple(Policy(p) for p in args.policies.split(",")),
        validate=args.validate,
    )
    return setup, args.out


def progress(result: Result, seconds: float) -> str:
    return (
        f"{result.policy.value} seed {result.seed}: kept {result.kept}/{result.promises}, "
        f"plans {result.plans_seen}, changes seen {result.plan_changes}, events {result.events_sent}, "
        f"proposals {result.proposals}, errors {len(result.errors)}, violations {len(result.violations)} "
        f"({seconds:.0f} s)"
    )


def main(argv: list[str] | None = None) -> int:
    setup, out = parse(argv)
    results = []
    for policy in setup.policies:
        for seed in setup.seeds:
            started = time.monotonic()
            result = simulate(policy, seed, setup)
            print(progress(result, time.monotonic() - started), file=sys.stderr, flush=True)
            results.append(result)
    write(report(results, setup), out)
    print(f"wrote {out}", file=sys.stderr)
    return 1 if any(r.errors or r.violations for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

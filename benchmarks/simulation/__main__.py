"""`python -m benchmarks.simulation --seeds 1,2,3 --technicians 12 --jobs 40`: benchmarks/simulation.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.simulation.day import Policy
from benchmarks.simulation.run import report, simulate, write

OUT = Path(__file__).resolve().parents[1] / "simulation.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--technicians", type=int, default=12)
    parser.add_argument("--jobs", type=int, default=40)
    parser.add_argument("--replan-seconds", type=float, default=1.0)
    parser.add_argument("--morning-seconds", type=float, default=10.0)
    parser.add_argument("--policies", default=",".join(p.value for p in Policy))
    parser.add_argument("--validate", action="store_true", help="validate every plan fetched")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    results = []
    for policy in [Policy(p) for p in args.policies.split(",")]:
        for seed in seeds:
            result = simulate(
                policy,
                seed,
                args.technicians,
                args.jobs,
                replan_seconds=args.replan_seconds,
                morning_seconds=args.morning_seconds,
                validate=args.validate,
            )
            print(
                f"{policy.value} seed {seed}: kept {result.kept}/{result.promises}, "
                f"plans {result.plans_seen}, events {result.events_sent}, errors {len(result.errors)}, "
                f"violations {len(result.violations)}",
                file=sys.stderr,
                flush=True,
            )
            results.append(result)
    write(report(results, seeds, args.technicians, args.jobs, args.replan_seconds), args.out)
    print(f"wrote {args.out}", file=sys.stderr)
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

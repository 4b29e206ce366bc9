"""JSON Schemas of the problem (input) and plan (output) documents, for the DMS side to validate against.

The files in `schemas/` are generated from the pydantic models; a test keeps
them equal to what this module produces. Regenerate with
`python -m scheduler.schema [directory]` (default: ./schemas).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from scheduler.plan import Plan
from scheduler.problem import Problem

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
PROBLEM_SCHEMA_FILE = "problem.schema.json"
PLAN_SCHEMA_FILE = "plan.schema.json"


def problem_json_schema() -> dict[str, Any]:
    """What the planner accepts (validation mode: defaults may be left out)."""
    schema = Problem.model_json_schema(mode="validation")
    return _with_header(schema, "urn:bayplan:schema:problem", "Bayplan planning problem")


def plan_json_schema() -> dict[str, Any]:
    """What the planner answers (serialization mode: every field is present)."""
    schema = Plan.model_json_schema(mode="serialization")
    return _with_header(schema, "urn:bayplan:schema:plan", "Bayplan dispatch plan")


def _with_header(schema: dict[str, Any], schema_id: str, title: str) -> dict[str, Any]:
    # Header keys first so the files read well; the model's own title is replaced.
    body = {key: value for key, value in schema.items() if key != "title"}
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": schema_id, "title": title, **body}


def render_schema(schema: dict[str, Any]) -> str:
    """The exact text written to disk (stable: the test compares files with it)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def generated_schemas() -> dict[str, str]:
    """File name -> file text of every schema this module generates."""
    return {
        PROBLEM_SCHEMA_FILE: render_schema(problem_json_schema()),
        PLAN_SCHEMA_FILE: render_schema(plan_json_schema()),
    }


def write_schemas(directory: str | Path) -> list[Path]:
    """Write problem.schema.json and plan.schema.json into `directory`; return the paths written."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in generated_schemas().items():
        path = target / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for path in write_schemas(args[0] if args else "schemas"):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

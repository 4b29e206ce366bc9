"""The validator shares no code with the solver, and the domain imports no solver or web framework."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SCHEDULER = Path(__file__).resolve().parents[2] / "scheduler"


def _imported(path: Path) -> set[str]:
    """Top-level names of the modules a file imports (`scheduler.calendar` -> `scheduler`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((SCHEDULER / "plan_validator").glob("*.py")), ids=lambda p: p.name)
def test_the_validator_imports_only_the_standard_library_and_the_domain(path: Path) -> None:
    outside = _imported(path) - set(sys.stdlib_module_names) - {"scheduler"}
    assert outside == set(), f"{path.name} imports {sorted(outside)}"


def test_the_domain_imports_no_solver_and_no_web_framework() -> None:
    for path in sorted(SCHEDULER.rglob("*.py")):
        forbidden = _imported(path) & {"solver", "api", "ortools", "fastapi", "sqlalchemy"}
        assert forbidden == set(), f"{path.relative_to(SCHEDULER.parent)} imports {sorted(forbidden)}"

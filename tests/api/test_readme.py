"""The README's run command starts the service with the demo loaded, and its curl session works as written."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from benchmarks.simulation.service import free_port

ROOT = Path(__file__).resolve().parents[2]


def _readme() -> str:
    readme = ROOT / "README.md"
    if readme.exists() and "A curl session" in readme.read_text(encoding="utf-8"):
        return readme.read_text(encoding="utf-8")
    return (ROOT / "api" / "README_SECTION.md").read_text(encoding="utf-8")


@pytest.fixture
def service(tmp_path: Path) -> Iterator[int]:
    """`python -m api` (what scripts/run starts) on a free port and a fresh data directory."""
    port = free_port()
    env = {
        **os.environ,
        "BAYPLAN_DATA_DIR": str(tmp_path / "data"),
        "BAYPLAN_PORT": str(port),
        "BAYPLAN_SOLVE_TIME_LIMIT_SECONDS": "2",
    }
    env.pop("BAYPLAN_DATABASE_URL", None)
    log = (tmp_path / "service.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "api"], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, (tmp_path / "service.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the service did not start"
            time.sleep(0.25)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()
    banner = (tmp_path / "service.log").read_text()
    assert f"http://127.0.0.1:{port}" in banner and "bayplan-demo-key" in banner
    assert (tmp_path / "data" / "bayplan.sqlite3").exists()


def _documents(text: str) -> list[Any]:
    decoder, index, documents = json.JSONDecoder(), 0, []
    while index < len(text):
        if text[index].isspace():
            index += 1
            continue
        document, index = decoder.raw_decode(text, index)
        documents.append(document)
    return documents


def _run(session: str, port: int) -> list[Any]:
    script = session.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return _documents(done.stdout)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_readme_curl_session_works_as_written(service: int) -> None:
    assert "scripts/run" in _readme()
    session, advisor = [block for block in re.findall(r"```sh\n(.*?)```", _readme(), re.S) if "curl" in block]
    _check_advisor_session(_run(advisor, service))
    plan, job, events, new_plan = _run(session, service)
    assert plan["state"] == "published" and plan["plan"]["operations"]
    assert all(a["technician_id"] == "T04" for a in plan["plan"]["operations"])
    assert job["id"] == "RO-9001" and job["status"] == "booked"
    assert events["results"][0]["outcome"] == "applied" and events["plan_id"]
    assert new_plan["version"] > plan["version"]
    assert [a["job_id"] for a in new_plan["plan"]["operations"]] == ["RO-9001"]


def _check_advisor_session(documents: list[Any]) -> None:
    """Quote, book with the promise, supplemental work previewed, approved, the new plan and promise."""
    quote, job, preview, decision, plan, proposal = documents
    assert quote["promise_at"] and quote["predicted_completion"] <= quote["promise_at"]
    assert [op["labour_code"] for op in quote["operations"]][-1] == "QC-LANE"
    assert job["id"] == "RO-9002" and job["promised_at"] == quote["promise_at"]
    assert preview["status"] == "pending" and preview["operation_ids"] == ["RO-9002-S1"]
    # The preview is a re-plan: it may also place the car better than the plan did, so its
    # completion is not compared with the old one; the delay is counted from the promise.
    completion, promised = (
        datetime.fromisoformat(preview[k]) for k in ("predicted_completion", "promised_at")
    )
    assert preview["delay_minutes"] == max(0, (completion - promised) // timedelta(minutes=1))
    assert datetime.fromisoformat(preview["new_promise_at"]) >= completion
    assert decision == {
        "id": preview["id"],
        "status": "approved",
        "plan_id": decision["plan_id"],
        "plan_version": decision["plan_version"],
    }
    assert plan["version"] >= decision["plan_version"] and plan["state"] == "published"
    assert "RO-9002-S1" in {a["operation_id"] for a in plan["plan"]["operations"]}
    assert proposal["status"] == "approved" and proposal["new_promise_at"] == preview["new_promise_at"]

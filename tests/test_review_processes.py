"""The store under real concurrent processes and a `run` killed halfway (SIGKILL, no chance to clean up)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DOCS, ROOT
from test_cli import cli

from schemas import ExtractionResult


def _popen(*args) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BUDGET_EXTRACT_"))}
    return subprocess.Popen([sys.executable, "-m", "extractor", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _queue(db: Path, *args) -> list[dict]:
    return json.loads(cli("review", "list", "--db", db, "--json", "--status", "all", *args).stdout)


def _assert_queue_matches_files(out: Path) -> None:
    """Every result file is whole, and the queue holds exactly its flags with their statuses."""
    db = sqlite3.connect(out / "review.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    queued: dict[str, set] = {}
    for f in _queue(out):
        queued.setdefault(f["document"], set()).add((f["id"], f["status"]))
    on_disk = {}
    for path in out.glob("*.json"):
        result = ExtractionResult.model_validate_json(path.read_text(encoding="utf-8"))  # whole, or this fails
        on_disk[result.document.name] = {(f.id, f.status) for f in result.flags}
    assert {k: v for k, v in queued.items()} == {k: v for k, v in on_disk.items() if v}


def test_review_commands_at_once_lose_nothing(tmp_path):
    out = tmp_path / "out"
    cli("run", DOCS["000"], DOCS["002"], DOCS["003"], "--out", out)
    every = _queue(out)
    # Flags asking the same question twice (003's repeated cards) are decided together; keep one of each.
    flags = [f for f in every if f["fields"]
             and sum(1 for g in every if (g["document"], g["message"]) == (f["document"], f["message"])) == 1]
    assert len(flags) >= 8
    commands = []
    for i, f in enumerate(flags[:8]):
        if i % 3 == 2 and len(f["fields"]) >= 1:
            commands.append(("reject", f["id"], "--field", "1"))
        else:
            commands.append(("accept", f["id"]))
    procs = [_popen("review", *c, "--db", out, "--reviewer", f"r{i}", "--note", f"n{i}")
             for i, c in enumerate(commands)]
    # …and a rerun of the same documents in the middle of it.
    procs.append(_popen("run", DOCS["000"], DOCS["002"], DOCS["003"], "--out", out))
    for p in procs:
        _, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
    trail = json.loads(cli("review", "history", "--db", out, "--json").stdout)
    assert sorted((d["flag_id"], d["action"], d["reviewer"]) for d in trail) == \
        sorted((c[1], c[0], f"r{i}") for i, c in enumerate(commands))
    statuses = {f["id"]: f["status"] for f in _queue(out)}
    for c in commands:
        assert statuses[c[1]] == {"accept": "accepted", "reject": "rejected"}[c[0]]
    _assert_queue_matches_files(out)


@pytest.mark.parametrize("kill_after", [1, 5])
def test_a_run_killed_halfway_leaves_whole_files_and_a_consistent_queue(tmp_path, kill_after):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(6):
        for key, path in DOCS.items():
            (inputs / f"{key}_copy{i}.txt").write_bytes(path.read_bytes())
    out = tmp_path / "out"
    cli("run", inputs / "000_copy0.txt", "--out", out)
    accepted = next(f for f in _queue(out) if f["check"] == "card.cost")
    cli("review", "accept", accepted["id"], "--db", out)

    proc = _popen("run", inputs, "--out", out)
    deadline = time.time() + 120
    while len(list(out.glob("*.json"))) < kill_after + 1 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert len(list(out.glob("*.json"))) < 24  # it really stopped halfway

    leftovers = [p.name for p in out.iterdir()
                 if not (p.suffix == ".json" or p.name.startswith(("review.sqlite", "manifest.sqlite")) or
                         (p.name.startswith(".") and p.name.endswith(".tmp")))]
    assert leftovers == []  # only whole results, the store, and hidden temporary files a rerun removes
    _assert_queue_matches_files(out)
    # The decision made before the kill holds in whichever version of the file survived.
    statuses = {f["id"]: f["status"] for f in _queue(out, "-d", "000_copy0")}
    assert statuses[accepted["id"]] == "accepted"

    finished = cli("run", inputs, "--out", out)
    assert "24 document(s)" in finished.stderr and "1 flag(s) decided in review" in finished.stderr
    _assert_queue_matches_files(out)

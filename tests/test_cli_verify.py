"""`run` stores flags, `export --what flags` writes them, `verify` re-checks an edited result, `--strict` fails on errors."""

from __future__ import annotations

import csv
import io
import json
import shutil

from conftest import DOCS
from test_cli import cli, results  # noqa: F401  (the corpus run once, shared with test_cli)

FLAG_KEYS = {"document", "id", "check", "severity", "message", "message_en", "expected", "found", "spans", "status",
             "fields", "decision", "action", "decided_field", "before", "after", "reviewer", "note", "decided_at",
             "stale_reason"}


def test_run_stores_the_flags_and_counts_them_in_the_summary(tmp_path):
    proc = cli("run", DOCS["003"], "--out", tmp_path)
    assert "3 open flag(s) (0 error(s), 3 warning(s))" in proc.stderr
    data = json.loads((tmp_path / "003_aca33df6c8a48681.json").read_text(encoding="utf-8"))
    assert data["verified"] and len(data["flags"]) == 3 and data["claims"] and data["completeness"]


def test_export_flags_jsonl_has_one_line_per_flag_with_the_promised_fields(results):
    lines = cli("export", results, "--what", "flags", "--format", "jsonl").stdout.splitlines()
    flags = [json.loads(line) for line in lines]
    stored = sum(len(json.loads(p.read_text(encoding="utf-8"))["flags"]) for p in results.glob("*.json"))
    assert len(flags) == stored > 0
    assert all(set(f) == FLAG_KEYS for f in flags)
    assert all(f["status"] == "open" and f["spans"] and all(len(s) == 2 for s in f["spans"]) for f in flags)
    assert {f["document"] for f in flags} >= {"000_ccab51d03fd0280d", "003_aca33df6c8a48681"}


def test_export_flags_csv(results):
    text = cli("export", results, "--what", "flags", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and set(rows[0]) == FLAG_KEYS
    assert json.loads(rows[0]["spans"])[0][0] >= 0


def test_strict_fails_only_when_an_error_flag_is_open(tmp_path):
    # The corpus raises warnings only, so --strict passes on it …
    assert cli("run", DOCS["003"], "--out", tmp_path / "a", "--strict", check=False).returncode == 0
    # … and fails once a table amount is changed so that a sum breaks.
    text = DOCS["003"].read_text(encoding="utf-8").replace("405.21", "405.31", 1)
    bad = tmp_path / "003_changed.txt"
    bad.write_text(text, encoding="utf-8")
    proc = cli("run", bad, "--out", tmp_path / "b", "--strict", check=False)
    assert proc.returncode == 1 and "error(s)" in proc.stderr
    assert (tmp_path / "b" / "003_changed.json").exists()  # the result is still written


def test_verify_re_checks_an_edited_result(results, tmp_path):
    path = tmp_path / "000.json"
    shutil.copy(results / "000_ccab51d03fd0280d.json", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    before = {f["id"] for f in data["flags"]}
    # A person edits one amount in the result file (and records it as theirs).
    table = next(t for t in data["tables"] if t["kind"] == "expenditure_summary")
    row = next(r for r in table["rows"] if r["code"] == "2101501")
    row["values"]["basic"].update(value="1180.00", backend="person")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    proc = cli("verify", path, "--strict", check=False)
    assert proc.returncode == 1 and "error(s)" in proc.stderr
    after = json.loads(path.read_text(encoding="utf-8"))["flags"]
    new = [f for f in after if f["id"] not in before]
    assert {f["check"] for f in new} >= {"table.row_sum", "cross.same_code"}

    row["values"]["basic"].update(value="1182.71", backend="rules")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert cli("verify", path, "--strict").returncode == 0
    assert {f["id"] for f in json.loads(path.read_text(encoding="utf-8"))["flags"]} == before


def test_verify_refuses_a_result_whose_source_changed(results, tmp_path):
    src = tmp_path / "000_ccab51d03fd0280d.txt"
    src.write_text(DOCS["000"].read_text(encoding="utf-8") + "\n附注\n", encoding="utf-8")
    path = tmp_path / "000.json"
    shutil.copy(results / "000_ccab51d03fd0280d.json", path)
    original = path.read_bytes()
    proc = cli("verify", path, "--source", src, check=False)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "has changed since the result was written" in proc.stderr
    assert path.read_bytes() == original


def test_verify_reports_a_file_that_is_not_a_result(tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text("{}", encoding="utf-8")
    proc = cli("verify", bad, check=False)
    assert proc.returncode == 1 and proc.stderr.startswith(f"error: {bad}: not a result file")


def test_verify_from_another_folder_finds_a_source_run_was_given_by_a_relative_path(tmp_path):
    """`run examples/003….txt` from the project folder stores the relative path in the result; `verify` run from
    elsewhere finds the document where the review store recorded it, instead of "no such file"."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    out = tmp_path / "out"
    relative = DOCS["003"].relative_to(ROOT)
    cli("run", relative, "--out", out)  # from ROOT
    result = out / "003_aca33df6c8a48681.json"
    assert json.loads(result.read_text(encoding="utf-8"))["document"]["path"] == str(relative)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run([sys.executable, "-m", "extractor", "verify", result], cwd=elsewhere, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [f"{result}: 3 open flag(s) (0 error(s), 3 warning(s))"]
    # Without its store there is nothing to say where it was: one line naming the path it holds.
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(result, alone / result.name)
    proc = subprocess.run([sys.executable, "-m", "extractor", "verify", alone / result.name], cwd=elsewhere,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 1 and f"its source {relative}: no such file" in proc.stderr, proc.stderr

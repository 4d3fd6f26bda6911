"""A rerun into the same results folder reads only what changed, and leaves exactly what a fresh run writes.

Real processes over the corpus and generated variants of it (renamed, a department name changed, a file
that cannot be read); the tool's own fingerprint is changed in-process (CliRunner).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT
from test_cli import cli
from test_jobs import results, store_rows

from extractor.rerun import FLUSH_ROWS

DOC = EXAMPLES / "000_ccab51d03fd0280d.txt"


def variants(folder: Path, n: int) -> list[Path]:
    """``n`` departments: the corpus's 000, 002 and 003 under other names, each with its department renamed."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [EXAMPLES / "000_ccab51d03fd0280d.txt", EXAMPLES / "002_9308971da019406b.txt",
               EXAMPLES / "003_aca33df6c8a48681.txt"]
    paths = []
    for i in range(n):
        text = sources[i % 3].read_text(encoding="utf-8")
        path = folder / f"dept{i:03d}.txt"
        path.write_text(text.replace("局", f"局{i}", 1), encoding="utf-8")
        paths.append(path)
    return paths


def run(src, out, *args):
    proc = cli("run", src, "--out", out, "--jobs", 1, *args, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def mtimes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}


def manifest_rows(out: Path) -> dict[str, tuple]:
    db = sqlite3.connect(out / "manifest.sqlite")
    rows = {r[0]: r[1:] for r in db.execute("SELECT name, status, reason, key, result_sha256 FROM documents")}
    db.close()
    return rows


def manifest(out: Path) -> dict[str, tuple]:
    db = sqlite3.connect(out / "manifest.sqlite")
    rows = {r[0]: r[1:] for r in db.execute("SELECT name, status, reason, key FROM documents")}
    db.close()
    return rows


def test_a_rerun_reads_only_the_files_that_changed_and_writes_what_a_fresh_run_writes(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    paths = variants(src, 12)
    first = run(src, out)
    assert first.returncode == 0, first.stderr
    assert "unchanged" not in first.stderr
    before = mtimes(out)

    again = run(src, out)
    assert again.returncode == 0
    assert "12 document(s) (12 unchanged since the last run, not read again; --force reads them)" in again.stderr
    assert mtimes(out) == before  # not one result rewritten

    changed = paths[1], paths[5], paths[9]
    for path in changed:
        path.write_text(path.read_text(encoding="utf-8").replace("局", "署", 1), encoding="utf-8")
    third = run(src, out)
    assert "12 document(s) (9 unchanged since the last run" in third.stderr, third.stderr
    after = mtimes(out)
    rewritten = {name for name in after if after[name] != before[name]}
    assert rewritten == {f"{p.stem}.json" for p in changed}
    # Everything the rerun left — kept and rewritten alike — is what a fresh run over the same files writes.
    fresh = tmp_path / "fresh"
    run(src, fresh)
    assert results(out) == results(fresh)
    assert store_rows(out) == store_rows(fresh)
    # The summary counts a kept document as a read one.
    assert third.stderr.split("\n")[0].split(": ", 1)[1] == run(src, fresh).stderr.split("\n")[0].split(": ", 1)[1]

    forced = run(src, out, "--force")
    assert "unchanged" not in forced.stderr
    assert all(mtimes(out)[name] != after[name] for name in after)


def test_what_decides_a_result_reads_it_again(tmp_path):
    """Another option, a removed or edited result file, a review decision: each is read again."""
    src, out = tmp_path / "in", tmp_path / "out"
    variants(src, 3)
    run(src, out)
    assert "(3 unchanged" in run(src, out).stderr
    assert "unchanged" not in run(src, out, "--pretty").stderr  # the files' layout is part of the key
    assert "(3 unchanged" in run(src, out, "--pretty").stderr
    (out / "dept001.json").unlink()
    assert "(2 unchanged" in run(src, out, "--pretty").stderr
    data = (out / "dept002.json").read_bytes()
    (out / "dept002.json").write_bytes(data.replace(b'"verified"', b'"flagged"', 1) + b"\n")
    assert "(2 unchanged" in run(src, out, "--pretty").stderr
    assert (out / "dept002.json").read_bytes() == data  # a hand edit is undone as a fresh run would

    # A person's decision: the document is settled again with it, as a fresh run would.
    flags = json.loads((out / "dept000.json").read_text(encoding="utf-8"))["flags"]  # 000's own faults
    cli("review", "accept", flags[0]["id"], "--db", out, "--reviewer", "ann")
    rerun = run(src, out, "--pretty")
    assert "(2 unchanged" in rerun.stderr, rerun.stderr
    kept = json.loads((out / "dept000.json").read_text(encoding="utf-8"))
    assert [f["status"] for f in kept["flags"] if f["id"] == flags[0]["id"]] == ["accepted"]
    assert "(3 unchanged" in run(src, out, "--pretty").stderr


def test_a_new_version_of_the_tool_reads_everything_again(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from extractor import rerun
    from extractor.cli import app

    src, out = tmp_path / "in", tmp_path / "out"
    variants(src, 2)
    runner = CliRunner()
    said = runner.invoke(app, ["run", str(src), "--out", str(out), "--jobs", "1"])
    assert said.exit_code == 0, said.output
    said = runner.invoke(app, ["run", str(src), "--out", str(out), "--jobs", "1"])
    assert "(2 unchanged" in said.output
    rerun.tool_fingerprint.cache_clear()
    monkeypatch.setattr(rerun, "tool_fingerprint", lambda: "another version")
    said = runner.invoke(app, ["run", str(src), "--out", str(out), "--jobs", "1"])
    assert said.exit_code == 0 and "unchanged" not in said.output


def test_the_fingerprint_covers_the_code_of_the_readers_and_the_registry(tmp_path, monkeypatch):
    """A change to a rule, a column of the registry or a check changes the tool's fingerprint."""
    import schemas
    from extractor import rerun

    rerun.tool_fingerprint.cache_clear()
    before = rerun.tool_fingerprint()
    copy = tmp_path / "schemas"
    shutil.copytree(Path(schemas.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    tables = copy / "tables.py"
    tables.write_text(tables.read_text(encoding="utf-8") + "\n# another column\n", encoding="utf-8")
    # The fingerprint finds each package without importing it (find_spec gives an imported one's __spec__).
    monkeypatch.setattr(schemas.__spec__, "origin", str(copy / "__init__.py"))
    rerun.tool_fingerprint.cache_clear()
    try:
        assert rerun.tool_fingerprint() != before
    finally:
        monkeypatch.undo()
        rerun.tool_fingerprint.cache_clear()
    assert rerun.tool_fingerprint() == before


def test_the_key_holds_the_hints_and_the_decisions():
    from extractor.pipeline import RunOptions
    from extractor.rerun import document_key, run_settings
    from schemas import Decision, LayoutHint
    from schemas.hints import ColumnMove

    plain = run_settings(RunOptions(backend="rules"), False, None, None)
    hint = LayoutHint.make("expenditure_summary", "科目编码|科目名称|合计",
                           [ColumnMove(read_as="basic", printed_under="project")])
    hinted = run_settings(RunOptions(backend="rules", hints=(hint,)), False, None, None)
    assert plain != hinted
    decision = Decision(seq=1, action="accept", flag_id="F1", subject="S1", check="table.sum", field=None, before=None, after=None,
                        reviewer="ann", note=None, time="2026-01-01T00:00:00+00:00", document_sha256="0" * 64)
    keys = {document_key(s, "a" * 64, "预算", Path("预算.txt"), d) for s in (plain, hinted) for d in ([], [decision])}
    assert len(keys) == 4
    assert document_key(plain, "a" * 64, "预算", Path("预算.txt"), []) != \
        document_key(plain, "b" * 64, "预算", Path("预算.txt"), [])


def test_files_that_failed_are_in_the_manifest_until_they_are_read(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    variants(src, 2)
    (src / "broken.txt").write_bytes(b"\x00\x01\x02 not text")
    (src / "empty.txt").write_bytes(b"")
    proc = run(src, out)
    assert proc.returncode == 1
    rows = manifest(out)
    assert rows["broken"][:2] == ("error", f"{src / 'broken.txt'}: binary data, not a text file")
    assert rows["empty"][0] == "error" and "empty file" in rows["empty"][1]
    assert rows["dept000"][0] == "ok" and rows["dept000"][2]
    again = run(src, out)  # the failed files are read again, and fail again; the others are kept
    assert again.returncode == 1 and "(2 unchanged" in again.stderr and "broken.txt: binary data" in again.stderr
    shutil.copy(DOC, src / "empty.txt")
    run(src, out)
    assert manifest(out)["empty"][0] == "ok"



@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGKILL"])
def test_an_interrupted_run_leaves_a_manifest_of_whole_results_and_a_rerun_completes_it(tmp_path, signal_name):
    """The manifest's rows are written in batches. Ctrl-C writes the rows of every document written; a run killed
    outright (SIGKILL) loses the rows of its last documents, but never lists a result that is not on disk as it was
    written; either way the next run reads what is not listed and leaves what a fresh run leaves."""
    src, out = tmp_path / "in", tmp_path / "out"
    variants(src, 24)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BUDGET_EXTRACT_"))}
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "run", str(src), "--out", str(out), "--jobs", "1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as in a terminal
    deadline = time.monotonic() + 120
    while len(list(out.glob("*.json"))) < 4 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(getattr(signal, signal_name))
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == (130 if signal_name == "SIGINT" else -signal.SIGKILL), stderr
    written = {p.stem: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.glob("*.json")}
    assert 4 <= len(written) < 24  # it really stopped halfway

    listed = {name: row[3] for name, row in manifest_rows(out).items() if row[0] == "ok"}
    assert all(written.get(name) == sha for name, sha in listed.items())  # only whole results, as written
    if signal_name == "SIGINT":
        assert listed == written  # the last rows were written when the run stopped

    rerun = run(src, out)
    assert rerun.returncode == 0, rerun.stderr
    assert (f"({len(listed)} unchanged since the last run" in rerun.stderr) if listed else \
        ("unchanged" not in rerun.stderr)
    assert set(manifest(out)) == {f"dept{i:03d}" for i in range(24)}
    assert "24 document(s) (24 unchanged since the last run" in run(src, out).stderr
    fresh = tmp_path / "fresh"
    run(src, fresh)
    assert results(out) == results(fresh)
    assert store_rows(out) == store_rows(fresh)


def test_a_process_killed_outright_loses_only_the_manifest_rows_since_the_last_batch(tmp_path):
    """What SIGKILL loses, exactly: the rows recorded after the last batch was written (they are not on disk)."""
    path = tmp_path / "manifest.sqlite"
    script = (f"import os, signal; from pathlib import Path; from extractor.rerun import FLUSH_ROWS, Manifest\n"
              f"m = Manifest(Path({str(path)!r}), create=True)\n"
              f"for i in range(FLUSH_ROWS + 3): m.record_error(f'd{{i:03d}}', Path('x.txt'), 'cannot be read')\n"
              f"os.kill(os.getpid(), signal.SIGKILL)\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    rows = manifest_rows(path.parent)
    assert sorted(rows) == [f"d{i:03d}" for i in range(FLUSH_ROWS)]  # one whole batch; the 3 after it are lost
    assert not [p.name for p in tmp_path.iterdir() if p.name != "manifest.sqlite"]  # no journal left beside it

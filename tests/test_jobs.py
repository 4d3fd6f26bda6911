"""`run --jobs N`: documents read in worker processes, written by one writer; the outputs do not depend on N."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from conftest import DOCS, EXAMPLES
from fake_openai import FakeOpenAI
from test_cli import cli

# Timestamps, and where the results folder is: everything else in the store must be the same.
_VARYING = {"documents": ("result", "result_mtime_ns", "updated")}


def batch(tmp: Path) -> Path:
    """The corpus twice under other names, and a file that cannot be read: more documents than workers."""
    folder = tmp / "in"
    folder.mkdir()
    for path in EXAMPLES.glob("*.txt"):
        shutil.copy(path, folder / path.name)
        shutil.copy(path, folder / f"copy_{path.name}")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def store_rows(out: Path) -> dict[str, list]:
    db = sqlite3.connect(out / "review.sqlite")
    rows = {}
    for table in ("documents", "flags", "decisions"):
        cols = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        keep = [c for c in cols if c not in _VARYING.get(table, ())]
        rows[table] = sorted(db.execute(f"SELECT {', '.join(repr(c) for c in keep)} FROM {table}").fetchall())
    db.close()
    return rows


def results(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.json"))}


def run(src, out: Path, jobs: int, *args, **kw):
    proc = cli("run", src, "--out", out, "--jobs", jobs, *args, check=False, **kw)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc, proc.stderr.replace(str(out), "OUT")


def test_outputs_are_byte_identical_with_one_job_and_two(tmp_path):
    src = batch(tmp_path)
    one, said_one = run(src, tmp_path / "one", 1)
    two, said_two = run(src, tmp_path / "two", 2)
    assert one.returncode == two.returncode == 1  # the empty file
    assert said_one == said_two and "empty.txt: empty file" in said_one and "8 document(s)" in said_one
    assert len(results(tmp_path / "one")) == 8
    assert results(tmp_path / "one") == results(tmp_path / "two")
    assert store_rows(tmp_path / "one") == store_rows(tmp_path / "two")


def test_decisions_in_force_are_applied_alike_by_the_workers(tmp_path):
    src = batch(tmp_path)
    first = tmp_path / "first"
    run(src, first, 1)
    flags = json.loads(cli("review", "list", "--db", first, "--json").stdout)
    cost = next(f for f in flags if f["check"] == "card.cost")
    plan = next(f for f in flags if f["check"] == "card.spending_plan")
    cli("review", "fix", cost["id"], "--field", "2", "--value", "9.99", "--db", first)
    cli("review", "accept", plan["id"], "--db", first, "--reviewer", "ann")
    second = tmp_path / "second"
    shutil.copytree(first, second)  # the same store: the same decisions, made at the same times
    # Both read every document (--force): a copied folder's store names the first folder's files, so the second run
    # would read them all anyway, and the first would keep the documents no decision touched.
    _, said_one = run(src, first, 1, "--force")
    _, said_two = run(src, second, 2, "--force")
    assert said_one == said_two and "flag(s) decided in review" in said_one
    assert results(first) == results(second)
    assert store_rows(first) == store_rows(second)
    corrected = json.loads((first / f"{cost['document']}.json").read_text(encoding="utf-8"))["corrections"]
    assert [c["seq"] for c in corrected] == [1]


def test_result_files_are_compact_unless_pretty(tmp_path):
    cli("run", DOCS["003"], "--out", tmp_path / "compact")
    cli("run", DOCS["003"], "--out", tmp_path / "pretty", "--pretty")
    compact = (tmp_path / "compact" / f"{DOCS['003'].stem}.json").read_text(encoding="utf-8")
    pretty = (tmp_path / "pretty" / f"{DOCS['003'].stem}.json").read_text(encoding="utf-8")
    assert "\n" not in compact and pretty.startswith('{\n "schema_version"')
    assert json.loads(compact) == json.loads(pretty)
    assert len(compact) < 0.7 * len(pretty)
    # A review decision rewrites the file in the layout it had.
    flag = json.loads(cli("review", "list", "--db", tmp_path / "pretty", "--json").stdout)[0]
    cli("review", "accept", flag["id"], "--db", tmp_path / "pretty")
    assert (tmp_path / "pretty" / f"{DOCS['003'].stem}.json").read_text(encoding="utf-8").startswith("{\n")


def test_documents_that_need_the_model_are_read_by_one_reader_under_one_limit(tmp_path):
    """Two copies of 001 (16 sections for the model each) and 000 (none) with two jobs: every request goes
    through the parent's reader, so --concurrency 2 holds for the whole batch, not per process."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a", "b"):
        shutil.copy(DOCS["001"], src / f"{name}_001.txt")
    shutil.copy(DOCS["000"], src / "c_000.txt")
    with FakeOpenAI(delay=0.05) as fake:
        fake.responder = lambda body: {"rows": []}
        proc, said = run(src, tmp_path / "out", 2, "--backend", "auto", "--concurrency", "2", "--cache", "off",
                         "--model", "fixture", "--base-url", fake.base_url)
    assert proc.returncode == 0, proc.stderr
    per_doc = {p.stem: json.loads(p.read_text(encoding="utf-8"))["llm"] for p in (tmp_path / "out").glob("*.json")}
    assert len(per_doc["a_001"]["calls"]) == len(per_doc["b_001"]["calls"]) >= 10  # a request per unread section
    assert per_doc["c_000"] == {"model": "fixture", "endpoint_kind": per_doc["a_001"]["endpoint_kind"],
                                "mode": per_doc["a_001"]["mode"], "calls": [], "prompt_tokens": 0,
                                "completion_tokens": 0}
    assert fake.max_in_flight == 2
    assert len(fake.requests) == sum(len(d["calls"]) for d in per_doc.values())


def test_replayed_model_answers_give_the_same_results_with_one_job_and_two(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for doc in ("000", "001", "003"):
        shutil.copy(DOCS[doc], src / DOCS[doc].name)
    seen = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        proc, said = run(src, out, jobs, "--cache", "replay", "--cache-dir", tmp_path / "empty-cache",
                         env={"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
        assert proc.returncode == 0, proc.stderr
        assert "3 document(s)" in said and "from cache or recordings" in said
        seen.append(({p.name: _without_timings(p) for p in out.glob("*.json")}, said))
    assert seen[0] == seen[1]


def _without_timings(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    for call in (data.get("llm") or {}).get("calls", []):
        call.pop("seconds")
    return data


def test_results_written_by_the_pure_function_then_review_sync_match_run(tmp_path):
    """What a cluster's workers do (docs/dask.md), here in one process; tests/test_dask.py does it on Dask."""
    from extractor.work import extract_to_folder

    src = batch(tmp_path)
    lines = [extract_to_folder(p, tmp_path / "elsewhere") for p in sorted(src.glob("*.txt"))]
    assert [l for l in lines if l.startswith("error:")] == [f"error: {src / 'empty.txt'}: empty file"]
    synced = cli("review", "sync", tmp_path / "elsewhere")
    assert "8 document(s) in the store" in synced.stderr
    run(src, tmp_path / "run", 2)
    assert results(tmp_path / "elsewhere") == results(tmp_path / "run")
    assert store_rows(tmp_path / "elsewhere") == store_rows(tmp_path / "run")
    missing = cli("review", "sync", tmp_path / "nowhere", check=False)
    assert missing.returncode == 1 and "not a folder of results" in missing.stderr


def test_workers_name_results_as_run_recursive_does_when_files_share_a_name(tmp_path):
    """The recipe of docs/dask.md names each result by ``discover``: two 预算.txt in two sub-folders stay two."""
    from extractor.discover import discover
    from extractor.work import extract_to_folder

    src = tmp_path / "in"
    for sub, example in (("a", "000_ccab51d03fd0280d.txt"), ("b", "003_aca33df6c8a48681.txt")):
        (src / sub).mkdir(parents=True)
        shutil.copy(EXAMPLES / example, src / sub / "预算.txt")
    found = discover([src], recursive=True)
    for path in found.files:
        extract_to_folder(path, tmp_path / "cluster", name=found.names[path])
    cli("review", "sync", tmp_path / "cluster")
    cli("run", src, "--recursive", "--out", tmp_path / "run", "--jobs", 1, check=False)
    written = {p.relative_to(tmp_path / "cluster").as_posix() for p in (tmp_path / "cluster").rglob("*.json")}
    assert written == {"a/预算.json", "b/预算.json"}
    for name in written:
        assert (tmp_path / "cluster" / name).read_bytes() == (tmp_path / "run" / name).read_bytes()
    assert store_rows(tmp_path / "cluster") == store_rows(tmp_path / "run")


def test_workers_end_when_a_run_is_killed_outright(tmp_path):
    """SIGKILL gives `run` no chance to stop its pool: the workers notice and end, nothing is left running."""
    import signal
    import subprocess
    import sys
    import time

    import psutil
    from conftest import ROOT

    src = tmp_path / "in"
    src.mkdir()
    for i in range(12):
        for path in EXAMPLES.glob("*.txt"):
            shutil.copy(path, src / f"{i:02d}_{path.name}")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "run", str(src), "--out", str(out), "--jobs", "2"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while len(list(out.glob("*.json"))) < 4 and time.time() < deadline:
        time.sleep(0.05)
    started = psutil.Process(proc.pid).children(recursive=True)
    assert len(started) >= 2  # the pool's server and its workers
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(started, timeout=10)
    assert not alive, [p.cmdline()[:3] for p in alive]


def test_a_failure_inside_a_worker_is_one_line_and_the_batch_goes_on(tmp_path):
    """A reader that crashes on one document, inside the pool's worker processes (patched in by a sitecustomize,
    which every interpreter of the run imports): that document is one error line, the others are written."""
    from conftest import ROOT

    stub = tmp_path / "stub"
    stub.mkdir()
    (stub / "sitecustomize.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "import extractor.pipeline as pipeline\n"
        "real = pipeline.extract_and_verify\n"
        "def crashes_on_002(doc, options):\n"
        "    if doc.name.endswith('002_9308971da019406b'):\n"
        "        raise ZeroDivisionError('a bug in a reader')\n"
        "    return real(doc, options)\n"
        "pipeline.extract_and_verify = crashes_on_002\n", encoding="utf-8")
    src = batch(tmp_path)
    proc, said = run(src, tmp_path / "out", 2, env={"PYTHONPATH": str(stub)})
    assert proc.returncode == 1
    errors = [line for line in said.splitlines() if line.startswith("error:")]
    assert [e for e in errors if "ZeroDivisionError" in e] == [
        f"error: {src / name}: could not be processed (ZeroDivisionError: a bug in a reader); the rest of the batch "
        f"went on" for name in ("002_9308971da019406b.txt", "copy_002_9308971da019406b.txt")]
    assert len(results(tmp_path / "out")) == 6


def test_reading_a_document_leaves_the_collector_as_it_found_it(tmp_path):
    """The collector runs less often while a document is read (``pipeline.collecting_less_often``), and is put
    back afterwards, also when the reading fails: a process that reads documents among other work keeps its own."""
    import gc

    import pytest

    from extractor.load import LoadError
    from extractor.pipeline import RunOptions, run_file
    from extractor.work import read_document

    before = gc.get_threshold()
    try:
        gc.set_threshold(1234, 7, 9)
        read_document(DOCS["000"], RunOptions(backend="rules"))
        assert gc.get_threshold() == (1234, 7, 9)
        run_file(DOCS["003"])
        assert gc.get_threshold() == (1234, 7, 9)
        missing = tmp_path / "missing.txt"
        assert read_document(missing, RunOptions(backend="rules")).error
        with pytest.raises(LoadError):
            run_file(missing)
        assert gc.get_threshold() == (1234, 7, 9)
    finally:
        gc.set_threshold(*before)


def test_a_decision_made_while_a_document_is_read_is_in_the_result_written(tmp_path, monkeypatch):
    """A person decides on a document while `run` reads it: the writer finds the trail moved on, reads the document
    again with the decision and writes that reading (its own files, staged before, never reach their place)."""
    import asyncio

    from extractor import batch
    from extractor.pipeline import RunOptions
    from extractor.review.service import decide
    from extractor.review.store import ReviewStore

    out = tmp_path / "out"
    run(DOCS["001"], out, 1)
    store = ReviewStore(out / "review.sqlite")
    flag = store.queue(statuses=("open",))[0]
    real = batch.read_document
    reads = []

    def decided_meanwhile(path, options, decisions, *args):
        reads.append(len(decisions))
        outcome = real(path, options, decisions, *args)
        if len(reads) == 1:  # another process, as `budget-extract review accept` would be
            with ReviewStore(out / "review.sqlite") as other:
                decide(other, flag.id, "accept", reviewer="tester")
        return outcome

    monkeypatch.setattr(batch, "read_document", decided_meanwhile)
    report = asyncio.run(batch.run_batch([DOCS["001"]], out, RunOptions(), store=store))
    seq = store.last_seq(flag.document)
    assert seq > 0 and reads == [0, len(store.decisions(flag.document))]
    assert report.documents == 1 and report.failed == 0 and report.decided >= 1
    written = json.loads((out / f"{DOCS['001'].stem}.json").read_text(encoding="utf-8"))
    assert [d["seq"] for d in written["decisions"]] == [d.seq for d in store.decisions(flag.document)]
    assert next(f for f in written["flags"] if f["id"] == flag.id)["status"] == "accepted"
    assert store.db.execute("SELECT trail_seq FROM documents").fetchone()[0] == seq
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    store.close()


def test_writing_threads_never_set_the_umask(tmp_path, monkeypatch):
    """The umask is process-wide and read by setting it: a writing thread that held it at 0 would give another
    thread's new folder mode 0777. It is read once, at import; writing a result and its folder only uses it."""
    import os

    from extractor import writing

    def no_umask(mask):
        raise AssertionError("os.umask called while writing")

    monkeypatch.setattr(os, "umask", no_umask)
    writing.write_atomic(tmp_path / "sub" / "a.json", b"{}")
    assert (tmp_path / "sub" / "a.json").stat().st_mode & 0o777 == writing.PUBLIC_MODE

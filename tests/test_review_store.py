"""The review store under damage: the trail is the truth, and a file that is not a whole store is refused.

Real processes: `review accept` is SIGKILLed at aimed points (patched in by a wrapper, as a debugger would
stop it; the code under test is unchanged), and empty, foreign and damaged store files are handed to `run`
and `review`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import DOCS, ROOT
from test_cli import cli

from extractor.review.store import SCHEMA_VERSION
from schemas import ExtractionResult

# Where a `review accept` is stopped: each patch runs the real step first where it says "after".
AIMS = {
    # the decision is inserted, its transaction not yet committed
    "before-commit": "orig = store.ReviewStore.record\n"
                     "def record(self, **kw):\n    d = orig(self, **kw); pause(); return d\n"
                     "store.ReviewStore.record = record",
    # the decision is committed; the result file not yet rewritten
    "before-write": "orig = service.write_atomic\n"
                    "def write(path, text):\n    pause()\n"
                    "service.write_atomic = write",
    # the new result is in its temporary file, not yet renamed over the old one
    "mid-write": "import extractor.export as export\n"
                 "orig = os.replace\n"
                 "def replace(a, b):\n    pause() if str(b).endswith('.json') else orig(a, b)\n"
                 "export.os.replace = replace",
    # the result file is rewritten; its queue rows not yet replaced and committed
    "after-write": "orig = store.ReviewStore.sync\n"
                   "def sync(self, *a, **kw):\n    pause()\n"
                   "store.ReviewStore.sync = sync",
}

WRAPPER = """
import os, sys, time
sys.argv = ["budget-extract", *sys.argv[1:]]
import extractor.review.service as service, extractor.review.store as store
def pause():
    print("AIMED", flush=True)
    time.sleep(600)
{patch}
from extractor.cli import app
app()
"""


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BUDGET_EXTRACT_"))}


def kill_at(aim: str, *args) -> str:
    """Run the CLI with ``args``, SIGKILL it when it reaches ``aim``; its stderr (it must have got there)."""
    code = WRAPPER.format(patch=textwrap.dedent(AIMS[aim]))
    proc = subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    assert line.strip() == "AIMED", err
    assert proc.returncode == -signal.SIGKILL
    return err


def trail(out: Path) -> list:
    """The decisions, read from the store as it is (no reconciling)."""
    from extractor.review.store import ReviewStore

    with ReviewStore(out / "review.sqlite") as store:
        return store.decisions()


def queue(out: Path) -> list[dict]:
    return json.loads(cli("review", "list", "--db", out, "--json", "--status", "all").stdout)


def in_force(decisions: list) -> set[int]:
    """The seqs of the decisions in force, replaying the trail as the store does."""
    from extractor.review.apply import fold

    return {d.seq for d in fold(decisions).all()}


def assert_files_agree_with_trail(out: Path) -> None:
    """Every result file carries exactly the trail's decisions in force, and the queue exactly its flags."""
    flags = queue(out)  # opening the store reconciles it first
    from extractor.review.store import ReviewStore

    with ReviewStore(out / "review.sqlite") as store:
        by_doc = {name: store.decisions(name) for name in store.decision_documents()}
    queued: dict[str, set] = {}
    for f in flags:
        queued.setdefault(f["document"], set()).add((f["id"], f["status"]))
    for path in out.glob("*.json"):
        result = ExtractionResult.model_validate_json(path.read_text(encoding="utf-8"))
        name = result.document.name
        assert {d.seq for d in result.decisions} == in_force(by_doc.get(name, [])), name
        assert {(f.id, f.status) for f in result.flags} == queued.get(name, set()), name


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("template") / "out"
    cli("run", DOCS["000"], DOCS["003"], "--out", out)
    return out


def _fresh(template: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(template, out)
    # The copy's queue names the template's files: point it at the copies, as a `run` would have.
    db = sqlite3.connect(out / "review.sqlite")
    db.execute("UPDATE documents SET result = replace(result, ?, ?)", (str(template), str(out)))
    db.commit()
    db.close()
    return out


def _targets(out: Path, n: int) -> list[dict]:
    flags = [f for f in queue(out) if f["status"] == "open" and f["fields"]]
    # One flag per question (003 prints its cards twice: a decision settles both copies).
    seen, out_flags = set(), []
    for f in flags:
        key = (f["document"], f["message"])
        if key not in seen:
            seen.add(key)
            out_flags.append(f)
    return out_flags[:n]


def _kills(template: Path, tmp_path: Path, rounds: int) -> tuple[int, int]:
    """Kill `review accept` at every aimed point on ``rounds`` flags each; (kills, decisions kept)."""
    out = _fresh(template, tmp_path)
    inputs = sorted({Path(d.source) for d in _documents(out)})
    kills = 0
    flags = _targets(out, rounds * len(AIMS))
    assert len(flags) == rounds * len(AIMS)
    committed = []
    for i, flag in enumerate(flags):
        aim = list(AIMS)[i % len(AIMS)]
        kill_at(aim, "review", "accept", flag["id"], "--db", out, "--reviewer", f"k{i}")
        kills += 1
        assert_files_agree_with_trail(out)
        decided = {d.flag_id for d in trail(out)}
        # A decision exists exactly when its transaction committed.
        assert (flag["id"] in decided) == (aim != "before-commit"), aim
        if aim != "before-commit":
            committed.append(flag["id"])
            assert {f["id"]: f["status"] for f in queue(out)}[flag["id"]] == "accepted"
    # Nothing lost on the way: every committed decision is in force after a rerun too.
    cli("run", *inputs, "--out", out)
    statuses = {f["id"]: f["status"] for f in queue(out)}
    assert all(statuses[i] == "accepted" for i in committed)
    assert_files_agree_with_trail(out)
    return kills, len(committed)


def test_review_accept_killed_at_every_aimed_point_leaves_file_and_trail_agreeing(template, tmp_path):
    kills, kept = _kills(template, tmp_path, rounds=1)
    assert (kills, kept) == (4, 3)


def _documents(out: Path):
    from extractor.review.store import ReviewStore

    with ReviewStore(out / "review.sqlite") as store:
        return store.documents()


@pytest.mark.slow
def test_many_aimed_kills(tmp_path_factory, tmp_path):
    inputs = tmp_path_factory.mktemp("copies")
    for i in range(6):
        for key in ("000", "003"):
            (inputs / f"{key}_copy{i}.txt").write_bytes(DOCS[key].read_bytes())
    template = tmp_path_factory.mktemp("many") / "out"
    cli("run", inputs, "--out", template)
    kills, kept = _kills(template, tmp_path, rounds=7)
    print(f"{kills} kills of `review accept`, {kept} decisions committed and intact")


def test_a_file_claiming_a_decision_the_trail_lacks_is_rebuilt(template, tmp_path):
    """As a `review accept` of an older version left it when killed between its file and its commit."""
    out = _fresh(template, tmp_path)
    flag = _targets(out, 1)[0]
    path = out / f"{flag['document']}.json"
    before = path.read_text(encoding="utf-8")
    saved = {p.name: p.read_bytes() for p in out.glob("review.sqlite*")}
    cli("review", "accept", flag["id"], "--db", out)
    assert json.loads(path.read_text(encoding="utf-8"))["decisions"]
    # The store as it was before the decision (its transaction rolled back), the file as it is after it.
    for p in out.glob("review.sqlite*"):
        p.unlink()
    for name, data in saved.items():
        (out / name).write_bytes(data)
    assert_files_agree_with_trail(out)
    assert json.loads(path.read_text(encoding="utf-8"))["decisions"] == []
    assert json.loads(path.read_text(encoding="utf-8"))["flags"] == json.loads(before)["flags"]


# -- files that are not a whole store ------------------------------------------------------------------------


def _refused(proc, *words) -> None:
    assert proc.returncode == 1, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_an_empty_store_file_is_refused_not_taken_as_a_new_store(template, tmp_path):
    out = _fresh(template, tmp_path)
    flag = _targets(out, 1)[0]
    cli("review", "accept", flag["id"], "--db", out)
    (out / "review.sqlite").write_bytes(b"")
    for p in out.glob("review.sqlite-*"):
        p.unlink()
    _refused(cli("run", DOCS["000"], "--out", out, check=False), "empty file", "backup")
    _refused(cli("review", "list", "--db", out, check=False), "empty file")
    assert (out / "review.sqlite").stat().st_size == 0  # left as it was, for the person to restore
    # Results are not rewritten without their decisions either.
    assert json.loads((out / f"{flag['document']}.json").read_text(encoding="utf-8"))["decisions"]


def test_another_applications_sqlite_file_is_refused_and_left_untouched(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    db = sqlite3.connect(out / "review.sqlite")
    db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("INSERT INTO users (name) VALUES ('ann')")
    db.commit()
    db.close()
    before = (out / "review.sqlite").read_bytes()
    _refused(cli("run", DOCS["003"], "--out", out, check=False), "not a budget-extract review store", "users")
    _refused(cli("review", "list", "--db", out, check=False), "not a budget-extract review store")
    assert (out / "review.sqlite").read_bytes() == before
    assert not list(out.glob("*.json"))


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    store = tmp_path / "review.sqlite"
    store.write_text("these are my notes\n", encoding="utf-8")
    _refused(cli("review", "list", "--db", store, check=False), "not an SQLite file")
    assert store.read_text(encoding="utf-8") == "these are my notes\n"


def test_a_damaged_store_is_refused_with_the_way_to_salvage_it(template, tmp_path):
    out = _fresh(template, tmp_path)
    store = out / "review.sqlite"
    db = sqlite3.connect(store)
    page = db.execute("PRAGMA page_size").fetchone()[0]
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.close()
    assert pages >= 4
    data = bytearray(store.read_bytes())
    data[page * 2:page * 3] = b"\xa5" * page  # a whole b-tree page overwritten
    store.write_bytes(bytes(data))
    _refused(cli("review", "list", "--db", out, check=False), "damaged", ".recover")
    _refused(cli("run", DOCS["003"], "--out", out, check=False), "damaged")
    assert store.read_bytes() == bytes(data)


def test_a_store_missing_a_table_is_refused(template, tmp_path):
    out = _fresh(template, tmp_path)
    db = sqlite3.connect(out / "review.sqlite")
    db.execute("DROP TABLE flags")
    db.commit()
    db.close()
    _refused(cli("review", "list", "--db", out, check=False), "damaged", "flags")


def test_a_store_of_the_previous_version_is_upgraded_with_its_decisions(template, tmp_path):
    out = _fresh(template, tmp_path)
    flag = _targets(out, 1)[0]
    cli("review", "accept", flag["id"], "--db", out)
    db = sqlite3.connect(out / "review.sqlite")  # as version 1 wrote it: no application id, no trail_seq
    db.execute("ALTER TABLE documents DROP COLUMN trail_seq")
    db.execute("PRAGMA application_id = 0")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    assert {f["id"]: f["status"] for f in queue(out)}[flag["id"]] == "accepted"
    db = sqlite3.connect(out / "review.sqlite")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
    assert_files_agree_with_trail(out)

"""A rerun describes the files it was given as they are now (trial 23: stale_results_exported,
same_file_counted_twice, rename_move_loses_decisions).

A result whose file was inside what the rerun was given and is gone (deleted, renamed, moved) is retired:
moved to OUT/.retired/, out of the queue and every export, its manifest row ``retired``. Results of files the
rerun was not given are kept. A file given twice is read once. A moved file takes its decisions with it.
Real processes (the CLI) on copies of the corpus.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

from conftest import EXAMPLES
from test_cli import cli

A, B, C = (EXAMPLES / "003_aca33df6c8a48681.txt", EXAMPLES / "000_ccab51d03fd0280d.txt",
           EXAMPLES / "002_9308971da019406b.txt")


def run(*args):
    proc = cli("run", *args, "--jobs", 1, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def documents(out: Path) -> dict[str, dict]:
    rows = csv.DictReader(io.StringIO(cli("export", out, "--what", "documents", "--format", "csv", "--no-bom").stdout))
    return {r["document"]: r for r in rows}


def fact_documents(out: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in cli("export", out, "--what", "facts", "--format", "jsonl").stdout.splitlines():
        doc = json.loads(line)["document"]
        counts[doc] = counts.get(doc, 0) + 1
    return counts


def queue(out: Path) -> list[dict]:
    return json.loads(cli("review", "list", "--db", out, "--json", "--status", "all").stdout)


def manifest(out: Path) -> dict[str, tuple]:
    db = sqlite3.connect(out / "manifest.sqlite")
    rows = {r[0]: r[1:] for r in db.execute("SELECT name, status, reason FROM documents")}
    db.close()
    return rows


def three(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for src, name in ((A, "甲局"), (B, "乙局"), (C, "丙局")):
        shutil.copy(src, folder / f"{name}.txt")
    return folder


def test_a_rerun_retires_the_results_of_files_deleted_renamed_or_moved(tmp_path):
    src, out = three(tmp_path / "in"), tmp_path / "out"
    assert run(src, "--out", out).returncode == 0
    alone = fact_documents(out)
    (src / "甲局.txt").rename(src / "甲局（更正版）.txt")  # the publisher renamed it
    (src / "sub").mkdir()
    (src / "丙局.txt").rename(src / "sub" / "丙局.txt")  # moved into a sub-folder
    (src / "乙局.txt").unlink()  # withdrawn
    again = run(src, "--recursive", "--out", out)
    assert again.returncode == 0, again.stderr
    assert "3 result(s) retired" in again.stderr and "乙局 (its file is gone)" in again.stderr
    assert again.stderr.strip().splitlines()[-2].startswith("2 document(s)")

    assert sorted(documents(out)) == ["sub/丙局", "甲局（更正版）"]
    facts = fact_documents(out)
    assert facts == {"sub/丙局": alone["丙局"], "甲局（更正版）": alone["甲局"]}  # 746 amounts' facts, not 2,125
    assert {q["document"] for q in queue(out)} == {"sub/丙局", "甲局（更正版）"}
    for fmt in ("sqlite", "xlsx"):  # the files holding every kind list the same documents
        target = tmp_path / f"all.{fmt}"
        cli("export", out, "--format", fmt, "-o", target)
        if fmt == "sqlite":
            db = sqlite3.connect(target)
            assert sorted(r[0] for r in db.execute("SELECT document FROM documents")) == ["sub/丙局", "甲局（更正版）"]
            db.close()
    report = tmp_path / "report"
    cli("report", out, "-o", report)
    index = (report / "index.html").read_text(encoding="utf-8")
    assert "乙局" not in index and "甲局（更正版）" in index

    # Not deleted: kept aside, with the manifest saying why.
    assert sorted(p.relative_to(out / ".retired").as_posix() for p in (out / ".retired").rglob("*.json")) == \
        ["丙局.json", "乙局.json", "甲局.json"]
    rows = manifest(out)
    assert {n: r[0] for n, r in rows.items()} == {"甲局": "retired", "乙局": "retired", "丙局": "retired",
                                                 "sub/丙局": "ok", "甲局（更正版）": "ok"}
    assert rows["乙局"][1] == "retired: its file is gone"

    # A rerun with nothing changed retires nothing more and reads nothing.
    third = run(src, "--recursive", "--out", out)
    assert "retired" not in third.stderr and "2 unchanged" in third.stderr


def test_results_of_files_this_run_was_not_given_are_kept(tmp_path):
    """A team runs sub-folders into one OUT in turn; a run without --recursive does not look into sub-folders; a
    file an --exclude leaves out is not among what the run was given."""
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    shutil.copy(A, src / "a" / "甲局.txt")
    shutil.copy(B, src / "b" / "乙局.txt")
    shutil.copy(C, src / "丙局.txt")
    assert run(src / "a", "--out", out).returncode == 0
    assert run(src / "b", "--out", out).returncode == 0
    assert sorted(documents(out)) == ["乙局", "甲局"]

    both = tmp_path / "out2"
    assert run(src, "--recursive", "--out", both).returncode == 0
    (src / "丙局.txt").rename(tmp_path / "丙局.txt")
    shutil.rmtree(src / "a")
    kept = run(src, "--exclude", "*丙局*", "--out", both)  # no --recursive: a/ and b/ not searched; 丙局 excluded
    assert "retired" not in kept.stderr
    assert sorted(documents(both)) == ["a/甲局", "b/乙局", "丙局"]
    gone = run(src, "--out", both)  # 丙局 is among what this run was given, and gone
    assert "1 result(s) retired" in gone.stderr
    assert sorted(documents(both)) == ["a/甲局", "b/乙局"]


def test_the_same_file_given_by_its_folder_and_its_own_path_is_read_once(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(A, src / "甲局.txt")
    once = run(src, "--out", tmp_path / "once")
    twice = run(src, src / "甲局.txt", "--out", out)
    assert twice.returncode == 0, twice.stderr
    summary = [line for line in twice.stderr.splitlines() if "document(s)" in line][0]
    assert summary.startswith("1 document(s)")
    assert summary == [line for line in once.stderr.splitlines() if "document(s)" in line][0]
    assert "given more than once" in twice.stderr
    assert sorted(documents(out)) == ["甲局"]


def test_a_moved_file_takes_its_review_decisions_to_its_new_name(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(C, src / "丙局.txt")
    assert run(src, "--out", out).returncode == 0
    cli("review", "accept", "--check", "card.cost", "--document", "丙局", "--db", out, "--yes")
    decided = {q["subject"] for q in queue(out) if q["status"] != "open"}
    assert len(decided) == 3
    (src / "补充公开").mkdir()
    (src / "丙局.txt").rename(src / "补充公开" / "丙局.txt")
    moved = run(src, "--recursive", "--out", out)
    assert moved.returncode == 0, moved.stderr
    assert "丙局's 3 review decision(s) go with its file to its new name, 补充公开/丙局" in moved.stderr
    assert "3 flag(s) decided in review" in moved.stderr
    rows = queue(out)
    assert {q["document"] for q in rows} == {"补充公开/丙局"}
    assert {q["subject"] for q in rows if q["status"] != "open"} == decided
    assert sorted(documents(out)) == ["补充公开/丙局"]  # one document, with its decisions: no duplicate left behind

    # Moved back: the old name's own decisions apply again, and the new name is retired in turn.
    (src / "补充公开" / "丙局.txt").rename(src / "丙局.txt")
    back = run(src, "--recursive", "--out", out)
    assert "补充公开/丙局 (its file is gone)" in back.stderr and "3 flag(s) decided in review" in back.stderr
    assert {q["subject"] for q in queue(out) if q["status"] != "open"} == decided
    assert sorted(documents(out)) == ["丙局"]


def test_the_same_file_read_under_another_name_leaves_one_result(tmp_path):
    """Named alone it is 丙局; its folder given with --recursive names it sub/丙局: the first result is retired
    (the same file, read under its new name), with its decisions."""
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "sub").mkdir(parents=True)
    shutil.copy(C, src / "sub" / "丙局.txt")
    assert run(src / "sub" / "丙局.txt", "--out", out).returncode == 0
    cli("review", "accept", "--check", "card.cost", "--document", "丙局", "--db", out, "--yes")
    again = run(src, "--recursive", "--out", out)
    assert "丙局 (its file is read as sub/丙局)" in again.stderr
    assert sorted(documents(out)) == ["sub/丙局"]
    assert "3 flag(s) decided in review" in again.stderr


def test_a_failed_file_that_is_gone_leaves_the_documents_export(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(A, src / "甲局.txt")
    (src / "空.txt").write_bytes(b"")
    first = run(src, "--out", out)
    assert first.returncode == 1
    assert documents(out)["空"]["status"] == "error"
    (src / "空.txt").unlink()
    again = run(src, "--out", out)
    assert again.returncode == 0, again.stderr
    assert sorted(documents(out)) == ["甲局"]
    assert manifest(out)["空"][0] == "retired"


def test_a_results_folder_it_cannot_retire_in_is_one_error_line_and_the_run_goes_on(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(A, src / "甲局.txt")
    shutil.copy(B, src / "乙局.txt")
    assert run(src, "--out", out).returncode == 0
    (out / ".retired").write_text("not a folder")
    (src / "乙局.txt").unlink()
    proc = run(src, "--out", out)
    assert proc.returncode == 1
    assert "cannot retire the results of files that are gone" in proc.stderr
    assert "1 document(s)" in proc.stderr
    (out / ".retired").unlink()
    again = run(src, "--out", out)  # the next run retires it
    assert again.returncode == 0 and "乙局 (its file is gone)" in again.stderr
    assert sorted(documents(out)) == ["甲局"]


def test_a_corrected_version_under_a_new_name_is_a_new_document_and_the_run_says_where_the_decisions_are(tmp_path):
    """Other bytes under a new name are not taken for the old file (no decision carried on a guess): the old result
    is retired, and a line says its decisions stay in the trail under its name."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(C, src / "丙局2024.txt")
    assert run(src, "--out", out).returncode == 0
    cli("review", "accept", "--check", "card.cost", "--document", "丙局2024", "--db", out, "--yes")
    text = (src / "丙局2024.txt").read_text(encoding="utf-8")
    (src / "丙局2024（更正）.txt").write_text(text.replace("部门预算信息公开情况说明", "部门预算信息公开情况说明（更正）", 1),
                                        encoding="utf-8")
    (src / "丙局2024.txt").unlink()
    proc = run(src, "--out", out)
    assert "丙局2024 (its file is gone)" in proc.stderr
    assert "丙局2024's 3 review decision(s) stay in the trail under that name" in proc.stderr
    assert "decided in review" not in proc.stderr
    assert sorted(documents(out)) == ["丙局2024（更正）"]


def test_a_file_named_by_its_path_and_gone_is_retired_and_listed_as_failed(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(A, src / "甲局.txt")
    shutil.copy(B, src / "乙局.txt")
    assert run(src / "甲局.txt", src / "乙局.txt", "--out", out).returncode == 0
    (src / "乙局.txt").unlink()
    proc = run(src / "甲局.txt", src / "乙局.txt", "--out", out)
    assert proc.returncode == 1 and "乙局 (its file is gone)" in proc.stderr
    listed = documents(out)
    assert listed["乙局"]["status"] == "error" and listed["乙局"]["facts"] == ""  # no earlier result exported
    assert set(fact_documents(out)) == {"甲局"}

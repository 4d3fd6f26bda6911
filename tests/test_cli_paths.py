"""Where the commands write and what they read, as a new user meets it: bad output paths, files that are not
results, folders of folders, the same name twice. The CLI runs as a real process (``test_cli.cli``)."""

from __future__ import annotations

import json
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DOCS
from test_cli import cli


def one_error_line(proc, *parts: str) -> str:
    """The process failed with exactly one line on stderr, naming every one of ``parts``, and no traceback."""
    assert proc.returncode != 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("results")
    cli("run", DOCS["003"], "--out", out)
    return out


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in: a read-only one, or for root (whom permissions do not stop)
    a read-only file system."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    folder = Path("/sys")  # sysfs: even root cannot create a file there
    if not folder.is_dir() or os.access(folder, os.W_OK) and _can_create_in(folder):
        pytest.skip("no read-only folder on this machine to try (running as root, no /sys)")
    return folder


def _can_create_in(folder: Path) -> bool:
    try:
        (folder / "budget-extract-probe").touch()
    except OSError:
        return False
    (folder / "budget-extract-probe").unlink()
    return True


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sqlite"])
def test_export_to_a_folder_is_one_line_naming_it(results, tmp_path, fmt):
    target = tmp_path / "exports"
    target.mkdir()
    proc = cli("export", results, "--format", fmt, "-o", target, check=False)
    one_error_line(proc, str(target), "is a folder")
    assert list(target.iterdir()) == []


def test_export_under_a_file_is_one_line_and_writes_nothing(results, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file where a folder would have to be", encoding="utf-8")
    target = blocker / "sub" / "facts.csv"
    proc = cli("export", results, "--format", "csv", "-o", target, check=False)
    one_error_line(proc, str(target), f"{blocker} is a file, not a folder")
    assert blocker.read_text(encoding="utf-8") == "a file where a folder would have to be"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_export_to_a_read_only_place_is_one_line(results, tmp_path):
    folder = _unwritable_folder(tmp_path)
    target = folder / "facts.csv"
    proc = cli("export", results, "--format", "csv", "-o", target, check=False)
    one_error_line(proc, str(target), f"cannot write in {folder}")
    assert not target.exists()


def test_export_to_a_device_is_refused(results):
    # Renaming the finished export over /dev/null would replace the device itself (for root).
    proc = cli("export", results, "--format", "csv", "-o", "/dev/null", check=False)
    one_error_line(proc, "/dev/null", "not a regular file")
    assert Path("/dev/null").is_char_device()


def test_export_makes_missing_folders(results, tmp_path):
    target = tmp_path / "new" / "deeper" / "facts.csv"
    cli("export", results, "--format", "csv", "-o", target)
    assert target.read_text(encoding="utf-8-sig").startswith("document,department")


def test_a_json_file_written_into_the_results_folder_is_refused_it_would_pass_for_a_result(tmp_path):
    """`export out -o out/facts.json` and `hints export --db out -o out/hints.json` wrote a .json file that every later
    export, report and sync then stopped at ("not a result file"). Refused with one line; .jsonl there is fine."""
    out = tmp_path / "out"
    cli("run", DOCS["003"], "--out", out)
    for args in (["export", out, "-o", out / "facts.json"], ["export", out, "--format", "csv", "-o", out / "a" / "f.json"],
                 ["hints", "export", "--db", out, "-o", out / "hints.json"]):
        proc = cli(*args, check=False)
        one_error_line(proc, str(args[-1]), f"a .json file in the results folder {out} would be taken for a result")
    assert sorted(p.name for p in out.iterdir()) == ["003_aca33df6c8a48681.json", "manifest.sqlite", "review.sqlite"]
    cli("export", out, "-o", out / "facts.jsonl")
    cli("hints", "export", "--db", out, "-o", tmp_path / "hints.json")  # beside the folder, not in it
    assert len(cli("export", out).stdout.splitlines()) == 270


def test_report_to_bad_places_is_one_line(results, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    one_error_line(cli("report", results, "-o", blocker, check=False), str(blocker), "is a file")
    one_error_line(cli("report", results, "-o", blocker / "report", check=False),
                   str(blocker / "report"), f"{blocker} is a file, not a folder")
    folder = _unwritable_folder(tmp_path)
    one_error_line(cli("report", results, "-o", folder / "report", check=False),
                   str(folder / "report"), f"cannot write in {folder}")
    assert sorted(p.name for p in tmp_path.iterdir()) in (["notes.txt"], ["notes.txt", "read-only"])


NOT_RESULTS = {
    "empty.json": b"",
    "object.json": b'{"a": 1}',
    "text.json": b"hello",
    "binary.json": b"\x00\x01\x02\x03" * 50,
    "latin1.json": '{"name": "café"}'.encode("latin-1"),
    "list.json": b"[1, 2, 3]",
}


def _not_results(folder: Path) -> list[Path]:
    paths = []
    for name, data in NOT_RESULTS.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths


def test_verify_gives_one_line_per_file_that_is_not_a_result_and_goes_on(results, tmp_path):
    good = tmp_path / "good" / "003.json"
    good.parent.mkdir()
    shutil.copy(next(results.glob("*.json")), good)
    bad = _not_results(tmp_path)
    proc = cli("verify", *bad, tmp_path, tmp_path / "missing.json", DOCS["003"], results / "review.sqlite", good,
               check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == len(bad) + 5, proc.stderr
    for path, line in zip([*bad, tmp_path, tmp_path / "missing.json", DOCS["003"], results / "review.sqlite"], lines):
        assert line.startswith(f"error: {path}: "), line
    assert "not a result file (binary data, not JSON)" in lines[3]
    assert "not UTF-8" in lines[4]
    assert "`budget-extract run` reads documents" in lines[-3]
    assert "review store is not a result" in lines[-2]
    assert lines[-1].startswith(f"{good}: ") and "open flag(s)" in lines[-1]


def test_a_file_that_is_not_a_result_is_one_line_for_every_command_that_reads_results(results, tmp_path):
    folder = tmp_path / "results"
    shutil.copytree(results, folder)
    (folder / "zz.json").write_bytes(b"[1, 2, 3]")
    expected = f"{folder / 'zz.json'}: not a result file (JSON, but not in the result's shape"
    for args in (["export", folder, "--format", "csv", "-o", tmp_path / "facts.csv"],
                 ["report", folder, "-o", tmp_path / "report"]):
        one_error_line(cli(*args, check=False), expected)
    assert not (tmp_path / "facts.csv").exists() and not (tmp_path / "report").exists()
    # review sync brings in the good results and names the bad one.
    proc = cli("review", "sync", folder, "--db", tmp_path / "store.sqlite", check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    errors = [l for l in proc.stderr.splitlines() if l.startswith("error:")]
    assert len(errors) == 1 and expected in errors[0]
    assert "1 document(s) in the store" in proc.stderr


# -- folders of folders, and the same name twice -------------------------------------------------------


@pytest.fixture(scope="module")
def two_budgets(tmp_path_factory) -> Path:
    """``a/预算.txt`` and ``b/预算.txt`` (two different documents with one name), and ``top.txt`` beside them."""
    folder = tmp_path_factory.mktemp("downloads")
    (folder / "a").mkdir()
    (folder / "b").mkdir()
    shutil.copy(DOCS["003"], folder / "a" / "预算.txt")
    shutil.copy(DOCS["002"], folder / "b" / "预算.txt")
    shutil.copy(DOCS["003"], folder / "top.txt")
    return folder


@pytest.fixture(scope="module")
def mirrored(two_budgets, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("mirrored")
    proc = cli("run", two_budgets, "--recursive", "--out", out)
    assert "3 document(s)" in proc.stderr and "error:" not in proc.stderr
    return out


def _document(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["document"]


def test_recursive_run_mirrors_sub_folders_under_out(two_budgets, mirrored):
    results = sorted(p.relative_to(mirrored).as_posix() for p in mirrored.rglob("*.json"))
    assert results == ["a/预算.json", "b/预算.json", "top.json"]
    a, b = _document(mirrored / "a" / "预算.json"), _document(mirrored / "b" / "预算.json")
    assert (a["name"], a["path"]) == ("a/预算", str(two_budgets / "a" / "预算.txt"))
    assert (b["name"], b["path"]) == ("b/预算", str(two_budgets / "b" / "预算.txt"))
    assert a["sha256"] != b["sha256"]


def test_every_command_that_reads_a_results_folder_finds_the_sub_folders(mirrored, tmp_path):
    facts = [json.loads(line) for line in cli("export", mirrored).stdout.splitlines()]
    counts = {name: sum(1 for f in facts if f["document"] == name) for name in ("a/预算", "b/预算", "top")}
    assert counts == {"a/预算": 270, "b/预算": 476, "top": 270}
    # The review store knows both documents by their own names, each with its own result file.
    listed = json.loads(cli("review", "list", "--db", mirrored, "--json").stdout)
    assert {f["document"] for f in listed} == {"a/预算", "b/预算", "top"}
    # verify finds the store of the results folder (two levels up) and keeps the queue in step.
    proc = cli("verify", mirrored / "a" / "预算.json")
    assert proc.stderr.startswith(f"{mirrored / 'a' / '预算.json'}: 3 open flag(s)")
    # review sync into a new store finds them all.
    synced = cli("review", "sync", mirrored, "--db", tmp_path / "store.sqlite")
    assert "3 document(s) in the store" in synced.stderr
    # The report has a page for each.
    cli("report", mirrored, "-o", tmp_path / "report")
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert all(f">{name}</a>" in index for name in ("a/预算", "b/预算", "top"))
    assert len(list((tmp_path / "report" / "documents").glob("*.html"))) == 3


def test_two_files_of_one_name_named_on_the_command_line_get_a_result_each(two_budgets, tmp_path):
    """``run a/预算.txt b/预算.txt``: each is read into its own result, named by its folder as ``--recursive`` from
    their common folder names it, and a note says so; a third file of that name in a deeper folder named ``a``
    takes one folder more, and with it the other two (a group is named alike)."""
    out = tmp_path / "out"
    proc = cli("run", two_budgets / "a" / "预算.txt", two_budgets / "b" / "预算.txt", "--out", out)
    assert "2 document(s)" in proc.stderr and "error:" not in proc.stderr, proc.stderr
    assert (f"note: {two_budgets / 'a' / '预算.txt'}, {two_budgets / 'b' / '预算.txt'} would share the result name "
            f"预算: their results are a/预算.json, b/预算.json") in proc.stderr
    a, b = _document(out / "a" / "预算.json"), _document(out / "b" / "预算.json")
    assert (a["name"], a["path"]) == ("a/预算", str(two_budgets / "a" / "预算.txt"))
    assert (b["name"], b["path"]) == ("b/预算", str(two_budgets / "b" / "预算.txt"))
    assert a["sha256"] != b["sha256"]
    listed = json.loads(cli("review", "list", "--db", out, "--json").stdout)
    assert {f["document"] for f in listed} == {"a/预算", "b/预算"}
    # Named alone, a/预算.txt is 预算 again: one result for the file (a/预算's is retired), and the decisions made
    # on a/预算 go with it (extractor/retire.py); b/预算, not given this time, is kept.
    cli("review", "accept", next(f["id"] for f in listed if f["document"] == "a/预算"), "--db", out)
    alone = cli("run", two_budgets / "a" / "预算.txt", "--out", out)
    assert "a/预算 (its file is read as 预算)" in alone.stderr
    assert "a/预算's 1 review decision(s) go with its file to its new name, 预算" in alone.stderr
    assert "1 flag(s) decided in review" in alone.stderr
    assert not (out / "a" / "预算.json").exists() and (out / "b" / "预算.json").exists()

    deeper = tmp_path / "more" / "a"
    deeper.mkdir(parents=True)
    shutil.copy(DOCS["000"], deeper / "预算.txt")
    out3 = tmp_path / "out3"
    proc = cli("run", two_budgets / "a" / "预算.txt", two_budgets / "b" / "预算.txt", deeper / "预算.txt",
               "--out", out3)
    assert "3 document(s)" in proc.stderr and "error:" not in proc.stderr, proc.stderr
    assert sorted(p.relative_to(out3).as_posix() for p in out3.rglob("*.json")) == sorted(
        [f"{two_budgets.name}/a/预算.json", f"{two_budgets.name}/b/预算.json", "more/a/预算.json"])


def test_result_names_tell_files_apart_the_least_way_and_alike_within_a_group(tmp_path):
    from extractor.discover import discover

    for rel in ("a/预算.txt", "a/预算.docx", "b/预算.txt", ".h/报告.txt", "c/报告.txt", "d/表.txt", "e/表.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    named = [tmp_path / rel for rel in ("a/预算.txt", "a/预算.docx", "b/预算.txt", ".h/报告.txt", "c/报告.txt",
                                        "d/表.txt", "a/预算.txt")]
    found = discover(named)
    assert {p.relative_to(tmp_path).as_posix(): n for p, n in found.names.items()} == {
        "a/预算.txt": "a/预算.txt", "a/预算.docx": "a/预算.docx", "b/预算.txt": "b/预算.txt",  # folder and suffix
        ".h/报告.txt": "_h/报告", "c/报告.txt": "c/报告",  # a hidden folder's name is not hidden under OUT
        "d/表.txt": "表"}  # alone: its stem, as ever
    assert len(found.renamed) == 2
    # A folder named on the command line: its files are told apart from others by the folder's name.
    found = discover([tmp_path / "d", tmp_path / "e"])
    assert sorted(found.names.values()) == ["d/表", "e/表"]


def test_a_killed_runs_temporary_files_in_sub_folders_are_cleared(two_budgets, tmp_path):
    out = tmp_path / "out"
    cli("run", two_budgets, "--recursive", "--out", out)
    left = out / "a" / ".预算.json.k1l2.tmp"  # what write_atomic leaves when the process is killed mid-write
    left.write_text('{"half', encoding="utf-8")
    os.utime(left, (left.stat().st_atime - 3600, left.stat().st_mtime - 3600))
    cli("run", two_budgets, "--recursive", "--out", out)
    assert not left.exists()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "a/预算.json", "b/预算.json", "manifest.sqlite", "review.sqlite", "top.json"]


def test_a_decision_on_one_of_two_same_named_documents_stays_with_it(two_budgets, tmp_path):
    out = tmp_path / "out"
    cli("run", two_budgets, "--recursive", "--out", out)
    flag = next(f for f in json.loads(cli("review", "list", "--db", out, "--json").stdout)
                if f["document"] == "a/预算")
    cli("review", "accept", flag["id"], "--db", out, "--reviewer", "ann")
    cli("run", two_budgets, "--recursive", "--out", out)  # a rerun applies it again, to a/预算 only
    decided = [f for f in json.loads((out / "a" / "预算.json").read_text(encoding="utf-8"))["flags"]
               if f["status"] != "open"]
    assert [f["id"] for f in decided] == [flag["id"]]
    assert all(f["status"] == "open" for f in json.loads((out / "b" / "预算.json").read_text(encoding="utf-8"))["flags"])


def test_a_spreadsheet_in_a_sub_folder_keeps_its_text_beside_its_result(tmp_path):
    from sheetdocs import workbook

    from extractor.export import read_result
    from extractor.reverify import text_copy

    folder = tmp_path / "in"
    (folder / "2024").mkdir(parents=True)
    workbook(DOCS["003"].read_text(encoding="utf-8"), folder / "2024" / "预算.xlsx")
    out = tmp_path / "out"
    cli("run", folder, "--recursive", "--out", out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("预算.*")) == ["2024/预算.json", "2024/预算.txt"]
    result = read_result(out / "2024" / "预算.json")
    # Found from the results folder (review sync, the report) and from the result's own folder (review show).
    assert text_copy(result, out)[0] == text_copy(result, out / "2024")[0] == out / "2024" / "预算.txt"
    # verify reads that copy, and its source, which must be unchanged.
    assert "3 open flag(s)" in cli("verify", out / "2024" / "预算.json").stderr


def test_without_recursive_the_sub_folders_not_searched_are_named(two_budgets, tmp_path):
    (two_budgets / ".git").mkdir(exist_ok=True)  # hidden: not worth a mention
    out = two_budgets / "out"  # the output folder inside the input folder is not a folder left out
    try:
        proc = cli("run", two_budgets, "--out", out)
        lines = [l for l in proc.stderr.splitlines() if "not searched" in l]
        assert lines == [f"{two_budgets}: 2 sub-folder(s) not searched (a, b); --recursive reads them too"]
        assert "1 document(s)" in proc.stderr
        assert sorted(p.name for p in out.glob("*.json")) == ["top.json"]
    finally:
        shutil.rmtree(out, ignore_errors=True)
        (two_budgets / ".git").rmdir()


def test_a_folder_with_only_sub_folders_says_so_once(tmp_path):
    (tmp_path / "in" / "2023").mkdir(parents=True)
    shutil.copy(DOCS["003"], tmp_path / "in" / "2023" / "预算.txt")
    proc = cli("run", tmp_path / "in", "--out", tmp_path / "out", check=False)
    assert proc.returncode == 1
    assert proc.stderr.count("--recursive") == 1, proc.stderr
    assert f"{tmp_path / 'in'}: 1 sub-folder(s) not searched (2023); --recursive reads them too" in proc.stderr


def test_a_broken_docx_and_a_broken_xlsx_with_one_stem_get_an_error_each(tmp_path):
    from sheetdocs import word_document, workbook

    folder = tmp_path / "in"
    folder.mkdir()
    text = DOCS["003"].read_text(encoding="utf-8")
    for make, suffix in ((word_document, ".docx"), (workbook, ".xlsx")):
        whole = make(text, tmp_path / f"whole{suffix}").read_bytes()
        (folder / f"预算{suffix}").write_bytes(whole[: len(whole) // 2])  # cut off: a download that stopped
    out = tmp_path / "out"
    proc = cli("run", folder, "--out", out, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    errors = [l for l in proc.stderr.splitlines() if l.startswith("error:")]
    assert len(errors) == 2, proc.stderr
    assert errors == [f"error: {folder / '预算.docx'}: damaged Word document (.docx): not a readable zip container "
                      f"(File is not a zip file); a download cut short?",
                      f"error: {folder / '预算.xlsx'}: damaged Excel workbook (.xlsx): not a readable zip container "
                      f"(File is not a zip file); a download cut short?"]
    assert sorted(p.name for p in out.iterdir()) == ["manifest.sqlite", "review.sqlite"]
    # Whole again, both are read, each into its own result and text: neither replaces the other.
    word_document(text, folder / "预算.docx")
    workbook(DOCS["002"].read_text(encoding="utf-8"), folder / "预算.xlsx")
    proc = cli("run", folder, "--out", out)
    assert f"their results are 预算.docx.json, 预算.xlsx.json" in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["manifest.sqlite", "review.sqlite", "预算.docx.json", "预算.docx.txt",
                                                      "预算.xlsx.json", "预算.xlsx.txt"]
    assert _document(out / "预算.docx.json")["path"].endswith("预算.docx")
    assert _document(out / "预算.xlsx.json")["path"].endswith("预算.xlsx")


# -- --help ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command, metavars", [
    ("run", ["--out DIR", "--include GLOB", "--exclude GLOB", "--jobs N", "--max-size SIZE", "--db FILE|DIR",
             "--cache-dir DIR", "--recordings DIR", "--timeout SECONDS", "--model NAME", "--base-url URL"]),
    ("export", ["--output FILE"]),
    ("verify", ["--source FILE"]),
    ("report", ["--output DIR", "--db FILE|DIR"]),
])
def test_help_says_what_each_option_expects(command, metavars):
    text = " ".join(cli(command, "--help", env={"COLUMNS": "200"}).stdout.split())
    for metavar in metavars:
        assert metavar in text, metavar
    # No option left with a bare type for its value (arguments show theirs after their name: DIR <path>).
    assert not re.search(r"(-[a-z]|--[a-z-]+) <(path|str|int range|float range|list\[str\])>", text), text


def test_max_size_help_tells_what_the_limit_does(tmp_path):
    from sheetdocs import workbook

    text = " ".join(cli("run", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert "one limit for every kind of file" in text
    assert "default: 10MB for .txt, .md and .csv, 256MB for PDFs, workbooks and .docx" in text
    # As it says: a limit given applies to a workbook too (its default would be 256 MB), and the flag comes before
    # the environment variable.
    book = workbook(DOCS["003"].read_text(encoding="utf-8"), tmp_path / "预算.xlsx")
    assert book.stat().st_size > 10 * 1024
    small = cli("run", book, "--out", tmp_path / "out", "--max-size", "10KB", check=False)
    assert small.returncode == 1 and f"error: {book}: too large" in small.stderr
    assert "above the limit of 10.0 KB" in small.stderr  # a small limit is said in KB, not as 0.0 MB
    cli("run", book, "--out", tmp_path / "out", "--max-size", "1MB", env={"BUDGET_EXTRACT_MAX_SIZE": "10KB"})


# -- a PDF cut short (docs/pdf.md, "Bad files") -------------------------------------------------------------


def test_a_pdf_cut_short_is_refused_unless_only_its_end_marker_is_lost(tmp_path):
    from pdfdocs import render

    whole = render(DOCS["003"].read_text(encoding="utf-8"), tmp_path / "whole.pdf").read_bytes()
    assert whole.rstrip().endswith(b"%%EOF")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "half.pdf").write_bytes(whole[: len(whole) // 2])
    (folder / "ninety.pdf").write_bytes(whole[: len(whole) * 9 // 10])
    (folder / "no_eof.pdf").write_bytes(whole.rstrip()[: -len(b"%%EOF")])  # only the end marker lost
    proc = cli("run", folder, "--out", tmp_path / "out", check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    for name in ("half.pdf", "ninety.pdf"):
        assert [l for l in lines if name in l] == [
            f"error: {folder / name}: damaged PDF, cannot be opened: it is cut short (no %%EOF at its end; a "
            f"download that stopped?) (PdfminerException: Unexpected EOF)"]
    assert [l for l in lines if "no_eof.pdf" in l] == [
        f"warning: {folder / 'no_eof.pdf'}: the file seems cut short (no %%EOF at its end): pages or parts of them "
        f"may be missing; 13 page(s) read"]
    assert "1 document(s): 10 tables, 10 cards, 270 amounts" in proc.stderr  # read whole


# -- the SQLite export's amounts (docs/commands.md, export) -------------------------------------------------------


def test_sqlite_amounts_are_exact_text_not_real(results, tmp_path):
    import sqlite3

    target = tmp_path / "facts.sqlite"
    cli("export", results, "--format", "sqlite", "-o", target)
    db = sqlite3.connect(target)
    declared = {row[1]: row[2] for row in db.execute("PRAGMA table_info(facts)")}
    assert declared["value"] == declared["original_value"] == "TEXT"
    assert [c for c, kind in declared.items() if kind == "REAL"] == ["value_num"]  # the one float, beside value
    stored = db.execute("SELECT value, typeof(value) FROM facts WHERE value IS NOT NULL ORDER BY rowid").fetchall()
    assert {kind for _, kind in stored} == {"text"}
    jsonl = [json.loads(line)["value"] for line in cli("export", results).stdout.splitlines()]
    assert [value for value, _ in stored] == [v for v in jsonl if v is not None]
    assert any(value.endswith(".00") for value, _ in stored)  # printed decimals kept: "5.00", not 5.0
    # What docs/commands.md warns of: uncast, a comparison is between texts; cast, between numbers.
    assert db.execute("SELECT '9.00' > '100', CAST('9.00' AS REAL) > 100").fetchone() == (1, 0)
    big = db.execute("SELECT count(*) FROM facts WHERE CAST(value AS REAL) > 1000").fetchone()[0]
    assert big == sum(1 for value, _ in stored if float(value) > 1000)
    # value_num: a number to compare, sort and chart with, no cast; each reads back as its value exactly.
    pairs = db.execute("SELECT value, value_num, typeof(value_num) FROM facts ORDER BY rowid").fetchall()
    assert all((num is None) == (value is None) for value, num, _ in pairs)
    assert {kind for value, _, kind in pairs if value is not None} == {"real"}
    assert all(Decimal(repr(num)) == Decimal(value) for value, num, _ in pairs if value is not None)
    assert db.execute("SELECT count(*) FROM facts WHERE value_num > 1000").fetchone()[0] == big
    assert db.execute("SELECT value FROM facts WHERE value_num IS NOT NULL ORDER BY value_num DESC LIMIT 1"
                      ).fetchone()[0] == max((value for value, _ in stored), key=Decimal)


def test_sqlite_value_num_is_left_empty_for_a_value_no_float_holds():
    from extractor.export import as_float as _as_float

    assert _as_float("9.00") == 9.0 and _as_float("1182.71") == 1182.71 and _as_float(None) is None
    assert _as_float("12345678901234567.89") is None  # 19 significant digits: a float would round it


def test_verify_names_a_result_it_cannot_rewrite_and_goes_on(results, tmp_path, monkeypatch):
    # A full disk or a read-only folder cannot be made for root on every machine: the write fails as it would.
    import errno

    from typer.testing import CliRunner

    import extractor.export
    from extractor.cli import app

    first, second = tmp_path / "a" / "one.json", tmp_path / "b" / "two.json"
    for path in (first, second):
        path.parent.mkdir()
        shutil.copy(next(results.glob("*.json")), path)
    before = first.read_bytes()
    real = extractor.export.write_atomic

    def full_disk(path, text):
        if path == first:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, text)

    monkeypatch.setattr(extractor.export, "write_atomic", full_disk)
    result = CliRunner().invoke(app, ["verify", str(first), str(second)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # an exit, not an exception
    lines = result.output.splitlines()
    assert lines == [f"error: {first}: cannot be rewritten: No space left on device",
                     f"{second}: 3 open flag(s) (0 error(s), 3 warning(s))"]
    assert first.read_bytes() == before


def test_a_web_page_saved_as_a_workbook_or_a_document_is_named_with_the_right_article(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("budget.xlsx", "budget.xls", "budget.docx", "budget.pdf"):
        (folder / name).write_text("<!DOCTYPE html><html><body>404</body></html>", encoding="utf-8")
    proc = cli("run", folder, "--out", tmp_path / "out", check=False)
    errors = sorted(l for l in proc.stderr.splitlines() if l.startswith("error:"))
    page = "it is an HTML page (a failed download or a web page saved under this name)"
    assert errors == [f"error: {folder / 'budget.docx'}: not a DOCX file: {page}",
                      f"error: {folder / 'budget.pdf'}: not a PDF file: {page}",
                      f"error: {folder / 'budget.xls'}: not an XLS file: {page}",
                      f"error: {folder / 'budget.xlsx'}: not an XLSX file: {page}"]


def test_empty_files_of_one_name_get_no_note_about_names_neither_uses(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.csv").write_bytes(b"")
    (folder / "empty.pdf").write_bytes(b"")
    shutil.copy(DOCS["003"], folder / "budget.txt")
    (folder / "budget.csv").write_bytes(b"")  # one empty, one readable: the readable one's name is still said
    proc = cli("run", folder, "--out", tmp_path / "out", check=False)
    assert "empty.csv" in proc.stderr and "empty.pdf" in proc.stderr  # each refused, one line each
    assert not any("would share" in line and "empty.csv" in line for line in proc.stderr.splitlines())
    assert any("would share the result name budget" in line for line in proc.stderr.splitlines())
    assert (tmp_path / "out" / "budget.txt.json").exists()


def test_an_interrupted_run_says_how_much_it_wrote_and_what_it_wrote_is_whole(tmp_path):
    """Ctrl-C in the middle of a batch: one line saying so and how many documents were written, exit 130; every
    result written is complete, and none is half-written."""
    import signal
    import subprocess
    import sys
    import time

    from conftest import ROOT

    batch = tmp_path / "batch"
    batch.mkdir()
    for i in range(150):
        shutil.copy(DOCS["000"], batch / f"d{i:03}.txt")
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BUDGET_EXTRACT_"))}
    # A test runner started in the background (nohup, `&` in a script) ignores SIGINT, and its children inherit
    # that: the run gets Ctrl-C's default, as in a terminal.
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "run", str(batch), "--out", str(out), "--jobs", "1"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while len(list(out.glob("*.json"))) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    written = sorted(out.glob("*.json"))
    assert proc.returncode == 130, stderr
    assert 3 <= len(written) < 150
    last = stderr.strip().splitlines()[-1]
    assert last.startswith(f"interrupted: {len(written)} of 150 document(s) written to "), stderr
    assert "Traceback" not in stderr
    for path in written:
        assert json.loads(path.read_text(encoding="utf-8"))["document"]["name"] == path.stem
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_a_run_with_workers_stopped_by_a_signal_says_so_and_records_no_document_as_failed(tmp_path, signal_name):
    """`kill PID` (SIGTERM: a scheduler ending the job) stops a run as Ctrl-C does, with workers too: the workers'
    documents in flight are dropped, not waited for nor recorded as failed; one line says how many were written
    and how to go on — without --force, which would read again what was written."""
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    from conftest import ROOT

    batch = tmp_path / "batch"
    batch.mkdir()
    for i in range(60):
        shutil.copy(DOCS["000"], batch / f"d{i:03}.txt")
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BUDGET_EXTRACT_"))}
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "run", str(batch), "--out", str(out), "--jobs", "2",
                             "--force"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while len(list(out.glob("*.json"))) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(getattr(signal, signal_name))
    _, stderr = proc.communicate(timeout=120)
    written = sorted(out.glob("*.json"))
    assert proc.returncode == (143 if signal_name == "SIGTERM" else 130), stderr
    assert 3 <= len(written) < 60 and "Traceback" not in stderr and "leaked" not in stderr, stderr
    assert "could not be processed" not in stderr and "error:" not in stderr, stderr
    last = stderr.strip().splitlines()[-1]
    assert last == (f"interrupted: {len(written)} of 60 document(s) written to {out} (each complete); run it again "
                    f"without --force (what was written is kept) to read the rest"), stderr
    with sqlite3.connect(out / "manifest.sqlite") as db:
        rows = dict(db.execute("SELECT name, status FROM documents"))
    assert rows == {p.stem: "ok" for p in written}
    for path in written:
        assert json.loads(path.read_text(encoding="utf-8"))["document"]["name"] == path.stem

"""Where the commands write and what they read, as a new user meets it: bad output paths, files that are not
results, folders of folders, the same name twice. The CLI runs as a real process (``test_cli.cli``)."""

from __future__ import annotations

import json
import os
import shutil
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
    assert target.read_text(encoding="utf-8-sig").startswith("document,table")


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

"""`export … -o -` writes to standard output, as no -o does: users pipe with `-o -` by habit, and a file named
`-` in the working folder was never what they meant (trial 26, finding 10). A format that writes a file refuses
`-o -` in one line. The document is generated here (the final-accounts bureau of test_final_accounts)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_cli import cli
from test_final_accounts import bureau


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("dash")
    (tmp / "in").mkdir()
    (tmp / "in" / "bureau.txt").write_text(bureau("预算"), encoding="utf-8")
    cli("run", tmp / "in", "--out", tmp / "out")
    return tmp / "out"


def export_in(folder: Path, *args) -> subprocess.CompletedProcess:
    """``export`` run from ``folder``, where a file named ``-`` would land."""
    return subprocess.run([sys.executable, "-m", "extractor", "export", *map(str, args)], cwd=folder,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("what, fmt", [("claims", "csv"), ("facts", "jsonl")])
def test_dash_o_dash_prints_to_standard_output(results, tmp_path, what, fmt):
    proc = export_in(tmp_path, results, "--what", what, "--format", fmt, "-o", "-")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == cli("export", results, "--what", what, "--format", fmt).stdout != ""
    assert not (tmp_path / "-").exists() and proc.stderr == ""


def test_a_format_that_writes_a_file_refuses_dash_o_dash(results, tmp_path):
    proc = export_in(tmp_path, results, "--format", "xlsx", "-o", "-")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == "error: --format xlsx writes a file, not standard output: give it with -o, " \
                                  "e.g. -o results.xlsx"
    assert list(tmp_path.iterdir()) == []

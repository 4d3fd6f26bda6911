"""Start-up: heavy modules are imported only by the commands that use them (the speed is benchmarked in
benchmarks/bench_startup.py, not timed here)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import DOCS, ROOT

HEAVY = ("pydantic", "openai", "instructor", "openpyxl", "pyarrow", "duckdb", "schemas", "verify", "rich.console")


def imported_by(*code_and_args: str) -> set[str]:
    """The top modules a fresh interpreter has imported after running ``code`` (the CLI, with ``args``)."""
    code, *args = code_and_args
    script = (f"import sys\nsys.argv = ['budget-extract', *{args!r}]\n{code}\n"
              "print('--modules--', ' '.join(sorted(sys.modules)))")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BUDGET_EXTRACT_"))}
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.rsplit("--modules--", 1)[1].split())


CLI = "from extractor.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"


@pytest.mark.parametrize("args", [["--help"], []])
def test_help_imports_nothing_heavy(args):
    loaded = imported_by(CLI, *args)
    assert "typer" in loaded and "extractor.cli" in loaded
    assert not [m for m in HEAVY if m in loaded]


def test_a_run_that_sends_no_request_never_imports_openai(tmp_path):
    # A model is configured, but 000 reads with the rules alone: nothing is sent, so openai is never imported.
    loaded = imported_by(CLI, "run", str(DOCS["000"]), "--out", str(tmp_path / "out"), "--model", "m",
                         "--base-url", "http://127.0.0.1:9/v1")
    assert (tmp_path / "out" / f"{DOCS['000'].stem}.json").is_file()
    assert "extractor.llm.reader" in loaded and "openai" not in loaded and "instructor" not in loaded
    assert "openpyxl" not in loaded and "pyarrow" not in loaded


def test_run_with_a_pool_imports_no_reader_in_its_own_process(tmp_path):
    # At --jobs 2 the pool's workers read; `run`'s own process, the one writer, needs neither the readers nor the
    # models (its start-up is the batch's wait before the first document is read).
    out = tmp_path / "out"
    loaded = imported_by(CLI, "run", str(DOCS["000"]), str(DOCS["001"]), "--out", str(out), "--jobs", "2")
    assert len(list(out.glob("*.json"))) == 2
    assert not [m for m in ("schemas", "verify", "extractor.pipeline", "extractor.export") if m in loaded]


def test_the_console_script_entry_imports_nothing_until_it_runs():
    # Each worker of run --jobs N imports the script that started the run (multiprocessing does): the module the
    # script names must not import the command line (typer) into every worker.
    loaded = imported_by("import extractor.__main__")
    assert "typer" not in loaded and "extractor.cli" not in loaded

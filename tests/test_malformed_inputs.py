"""A batch of malformed inputs: each gets one line or a correct result, the batch goes on, the summary prints.

The inputs come from ``malformed.make_inputs`` (binary, empty, undecodable, a huge line, a 10-million-digit
number, NUL bytes, truncated GBK, a FIFO, symlink loops, /dev/zero, folders, odd and long names, a 50 MB
file …); `run` is a real process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from conftest import DOCS, ROOT
from malformed import make_inputs, shown
from test_cli import cli


def _run(*args, env=None, timeout=600):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BUDGET_EXTRACT_"))}
    return subprocess.run([sys.executable, "-m", "extractor", *args], cwd=ROOT, capture_output=True,
                          timeout=timeout, env={**clean, **(env or {})})


def test_a_batch_of_malformed_inputs_gets_one_line_each_and_a_summary(tmp_path):
    folder, special, out = tmp_path / "in", tmp_path / "special", tmp_path / "out"
    inputs = make_inputs(folder, special)
    assert len(inputs) >= 60
    args = [b"run", os.fsencode(folder), *(os.fsencode(i.path) for i in inputs if i.explicit), b"--out", os.fsencode(out)]
    started = time.perf_counter()
    proc = _run(*args)
    elapsed = time.perf_counter() - started
    err = proc.stderr.decode("utf-8")  # every line we print is UTF-8, whatever the names were
    lines = err.splitlines()
    assert "Traceback" not in err, err[-3000:]
    assert proc.returncode == 1
    summary = [line for line in lines if " document(s): " in line]
    assert len(summary) == 1, err[-2000:]
    results = {p.name for p in out.glob("*.json")} if out.is_dir() else set()
    wrong = []
    for item in inputs:
        name = shown(item.path)
        named = [line for line in lines if f"{name}:" in line]
        stem = os.path.splitext(os.path.basename(os.fsdecode(item.path)))[0]
        has_result = f"{stem}.json" in results
        if stem == "dup":  # dup.txt and dup.md would share a result name: each keeps its suffix, a note says so
            note = [line for line in lines if line.startswith("note: ") and name in line]
            ok = f"{os.path.basename(name)}.json" in results and len(note) == 1 and not named
            if not ok:
                wrong.append(f"{item.label}: {named[:2]}, results {sorted(r for r in results if 'dup' in r)}")
            continue
        nothing_read = has_result and len(named) == 1 and ": nothing read: " in named[0]
        if item.expect == "result":
            ok = has_result and not named
        elif item.expect == "error":
            ok = len(named) == 1 and not has_result
        elif item.expect == "empty":
            ok = nothing_read
        elif item.expect == "warned":
            ok = has_result and len(named) == 1 and named[0].startswith("warning: ")
        else:
            ok = (len(named) == 1) != has_result or nothing_read
        if not ok:
            wrong.append(f"{item.label} ({item.expect}): {len(named)} line(s), result {has_result}: {named[:2]}")
    assert not wrong, "\n".join(wrong)
    print(f"{len(inputs)} malformed inputs in {elapsed:.1f} s: {len(results)} results, "
          f"{sum(1 for line in lines if line.startswith('error: '))} error lines")


def test_out_naming_an_existing_file_is_one_line(tmp_path):
    target = tmp_path / "results.json"
    target.write_text("{}", encoding="utf-8")
    proc = cli("run", DOCS["003"], "--out", target, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [f"error: --out {target}: is a file; --out names the folder for the "
                                                f"results"]
    assert target.read_text(encoding="utf-8") == "{}"
    under = cli("run", DOCS["003"], "--out", target / "sub", check=False)
    assert under.returncode == 1 and len(under.stderr.strip().splitlines()) == 1 and "Traceback" not in under.stderr


def test_a_fifo_in_a_folder_gets_its_line_and_never_blocks(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "good.txt").write_bytes(DOCS["003"].read_bytes())
    proc = cli("run", folder, "--out", tmp_path / "out", check=False, timeout=120)
    assert proc.returncode == 1
    assert [line for line in proc.stderr.splitlines() if line.startswith("error:")] == \
        [f"error: {folder / 'pipe.txt'}: a FIFO (named pipe), not a regular file; only regular files are read"]
    assert (tmp_path / "out" / "good.json").is_file()


def test_the_input_size_limit_is_configurable(tmp_path):
    doc = tmp_path / "two-mb.txt"
    doc.write_bytes(DOCS["000"].read_bytes() * (2 * 1024 * 1024 // DOCS["000"].stat().st_size + 1))
    refused = cli("run", doc, "--out", tmp_path / "a", "--max-size", "1MB", check=False)
    assert refused.returncode == 1 and "too large" in refused.stderr and "above the limit of 1.0 MB" in refused.stderr
    by_env = cli("run", doc, "--out", tmp_path / "b", check=False, env={"BUDGET_EXTRACT_MAX_SIZE": "1m"})
    assert by_env.returncode == 1 and "above the limit of 1.0 MB" in by_env.stderr
    allowed = cli("run", doc, "--out", tmp_path / "c", "--max-size", "3MB", check=False)
    assert (tmp_path / "c" / "two-mb.json").is_file() and "too large" not in allowed.stderr
    bad = cli("run", doc, "--out", tmp_path / "d", "--max-size", "lots", check=False)
    assert bad.returncode == 2 and bad.stderr.strip().splitlines() == \
        ["error: --max-size: 'lots' is not a size (e.g. 20MB, 512KB, 1GB, or a number of bytes)"]


def test_an_unexpected_failure_in_one_document_is_one_line_and_the_batch_goes_on(tmp_path, monkeypatch):
    """Whatever a document makes go wrong (here a reader that crashes on one of them) stays with it."""
    import asyncio

    from extractor import batch
    from extractor.pipeline import RunOptions

    real = batch.read_document  # what a batch runs per document (in its workers, or here with one job)

    def crashes_on_002(path, *args):
        if path.name.startswith("002"):
            raise ZeroDivisionError("a bug in a reader")
        return real(path, *args)

    monkeypatch.setattr(batch, "read_document", crashes_on_002)
    report = asyncio.run(batch.run_batch([DOCS[k] for k in ("000", "002", "003")], tmp_path, RunOptions()))
    assert report.documents == 2 and report.failed == 1
    assert report.messages == [f"error: {DOCS['002']}: could not be processed (ZeroDivisionError: a bug in a "
                               f"reader); the rest of the batch went on"]
    assert sorted(p.name for p in tmp_path.glob("*.json")) == [f"{DOCS['000'].stem}.json", f"{DOCS['003'].stem}.json"]


def test_names_that_are_not_utf8_get_the_documented_line_and_the_batch_goes_on(tmp_path):
    """A name that is not UTF-8, at the top of the folder and in a sub-folder (--recursive), is one line saying so
    (not an internal error's text), recorded as failed; the good file beside them is read."""
    folder, out = tmp_path / "in", tmp_path / "out"
    (folder / "a").mkdir(parents=True)
    body = DOCS["003"].read_bytes()
    for where in (b"", b"a/"):
        with open(os.fsencode(folder) + b"/" + where + b"bad\xffname.txt", "wb") as fh:
            fh.write(body)
    (folder / "good.txt").write_bytes(body)
    proc = _run(b"run", os.fsencode(folder), b"--recursive", b"--out", os.fsencode(out))
    lines = proc.stderr.decode("utf-8").splitlines()
    named = [line for line in lines if "bad\\xffname.txt: " in line]
    assert len(named) == 2 and all("the file name is not valid UTF-8" in line for line in named), lines
    assert not any("could not be processed" in line for line in lines), lines
    assert proc.returncode == 1 and (out / "good.json").is_file()
    # The documents export names each as the error line did (\xff), not in Python's surrogate spelling (\udcff).
    listed = _run(b"export", os.fsencode(out), b"--what", b"documents", b"--format", b"csv").stdout.decode("utf-8")
    rows = [line.split(",")[0] for line in listed.splitlines()[1:] if ",error," in line]
    assert sorted(rows) == ["a/bad\\xffname", "bad\\xffname"] and "udcff" not in listed, listed


def test_a_rerun_after_a_rename_beside_a_name_that_is_not_utf8_carries_on(tmp_path):
    """A folder with a file named in GBK bytes (from a Windows zip) is rerun after another file was renamed: the
    rename is carried and the bad name is its one line again — not an internal error before anything is read."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_bytes(DOCS["000"].read_bytes())
    (folder / "b.txt").write_bytes(DOCS["003"].read_bytes())
    with open(os.fsencode(folder) + b"/c\xb1\xa8.txt", "wb") as fh:
        fh.write(DOCS["003"].read_bytes())
    for _ in range(2):
        assert _run(b"run", os.fsencode(folder), b"--out", os.fsencode(out)).returncode == 1
    (folder / "a.txt").rename(folder / "a2.txt")
    proc = _run(b"run", os.fsencode(folder), b"--out", os.fsencode(out))
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1 and "Traceback" not in err, err
    assert [line for line in err.splitlines() if line.startswith("error:")] == [
        f"error: {folder}/c\\xb1\\xa8.txt: the file name is not valid UTF-8 (shown escaped); rename it, e.g. "
        "`convmv -f gbk -t utf-8 --notest FILE` for names from a Chinese Windows"], err
    assert (out / "a2.json").is_file() and not (out / "a.json").exists() and (out / "b.json").is_file()

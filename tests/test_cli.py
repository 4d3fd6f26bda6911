"""The command line, run as a real process, on the bundled documents and on bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DOCS, EXAMPLES, ROOT


def cli(*args, check=True, env=None, timeout=300, input_text=None) -> subprocess.CompletedProcess:
    """The CLI as a real process, with no model settings from the developer's environment (tests never
    reach a network) plus ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BUDGET_EXTRACT_"))}
    proc = subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**clean, **(env or {})}, input=input_text)
    if check and proc.returncode != 0:
        raise AssertionError(proc.stderr)
    return proc


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    proc = cli("run", EXAMPLES, "--out", out)
    assert "4 document(s)" in proc.stderr
    return out


def test_run_writes_one_result_per_document(results):
    assert sorted(p.name for p in results.iterdir()) == sorted([f"{p.stem}.json" for p in DOCS.values()]
                                                               + ["manifest.sqlite", "review.sqlite"])
    data = json.loads((results / "000_ccab51d03fd0280d.json").read_text(encoding="utf-8"))
    assert data["document"]["sha256"] and data["document"]["encoding"] == "utf-8"


def test_export_facts_jsonl(results):
    from extractor.export_kinds import FACT_FIELDS

    lines = cli("export", results, "--what", "facts", "--format", "jsonl").stdout.splitlines()
    facts = [json.loads(l) for l in lines]
    assert tuple(facts[0]) == FACT_FIELDS
    split = [f for f in facts if f["document"].startswith("000") and f["table_kind"] == "fiscal_appropriation_summary"
             and f["row_label"] == "十、卫生健康支出" and f["column_key"] == "total"]
    assert [f["value"] for f in split] == ["9682.62"]
    text = (DOCS["000"]).read_text(encoding="utf-8")
    f = next(f for f in facts if f["row_code"] == "2101501" and f["table_kind"] == "expenditure_summary"
             and f["document"].startswith("000"))
    assert (f["column_key"], f["value"], text[f["span_start"]:f["span_end"]]) == ("total", "1182.71", "1182.71")


def test_export_csv_to_a_file(results, tmp_path):
    target = tmp_path / "facts.csv"
    cli("export", results, "--format", "csv", "-o", target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # so that Excel reads the Chinese as UTF-8
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows and rows[0]["value"] and int(rows[0]["span_end"]) > int(rows[0]["span_start"]) and rows[0]["document"]
    jsonl = cli("export", results).stdout.splitlines()
    assert len(rows) == len(jsonl)


def test_export_to_a_file_says_what_it_wrote_and_that_what_does_not_narrow_a_workbook(results, tmp_path):
    proc = cli("export", results, "--format", "csv", "--what", "flags", "-o", tmp_path / "flags.csv")
    assert proc.stderr.splitlines() == [f"{tmp_path / 'flags.csv'}: 4 document(s) exported (csv, flags)"]
    assert cli("export", results).stderr == ""  # to standard output: the lines only
    proc = cli("export", results, "--format", "xlsx", "--what", "flags", "-o", tmp_path / "all.xlsx")
    assert proc.stderr.splitlines() == [
        "note: --what applies to jsonl, csv and parquet; the xlsx file holds everything: the facts, the claims, the "
        "flags, the documents and the decisions", f"{tmp_path / 'all.xlsx'}: 4 document(s) exported (xlsx)"]


def test_a_result_file_given_to_run_is_one_error_line_not_an_empty_document(results, tmp_path):
    """`run out/003….json` read the result as a text document ("0 tables", exit 0); it is refused, and the
    document beside it is still read under its own name."""
    result = results / "003_aca33df6c8a48681.json"
    out = tmp_path / "out"
    proc = cli("run", result, DOCS["003"], "--out", out, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith(("error:", "note:"))]
    assert errors == [f"error: {result}: a .json file, not a document: `budget-extract run` reads documents (PDF, "
                      f"spreadsheets, Word, CSV, text); a result of `run` is re-checked with `budget-extract verify`"]
    assert "1 document(s): 10 tables" in proc.stderr and "1 file(s) failed" in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["003_aca33df6c8a48681.json", "manifest.sqlite", "review.sqlite"]


def test_bad_files_in_a_batch_get_one_line_each_and_the_rest_is_processed(tmp_path):
    bad_dir = tmp_path / "in"
    bad_dir.mkdir()
    (bad_dir / "empty.txt").write_bytes(b"")
    (bad_dir / "binary.txt").write_bytes(b"\x00\x01\x02PDF" * 100)
    (bad_dir / "good.txt").write_bytes(DOCS["003"].read_bytes())
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out"
    proc = cli("run", bad_dir, missing, "--out", out, check=False)
    assert proc.returncode == 1
    errors = [l for l in proc.stderr.splitlines() if l.startswith("error:")]
    assert len(errors) == 3
    assert any("empty.txt: empty file" in l for l in errors)
    assert any("binary.txt: binary data" in l for l in errors)
    assert any("missing.txt: no such file" in l for l in errors)
    # No temporary files left behind; the review store holds the good document's flags.
    assert sorted(p.name for p in out.iterdir()) == ["good.json", "manifest.sqlite", "review.sqlite"]


def test_gbk_file_runs_like_its_utf8_original(tmp_path):
    src = DOCS["003"].read_text(encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(src.encode("gb18030"))
    out = tmp_path / "out"
    cli("run", tmp_path / "gbk.txt", "--out", out)
    data = json.loads((out / "gbk.json").read_text(encoding="utf-8"))
    assert data["document"]["encoding"] == "gb18030"
    a = data["tables"][0]["rows"][0]["values"]["income_amount"]
    assert src[a["span"][0]:a["span"][1]] == a["raw"] == "2805.56"


def test_export_of_a_folder_without_results_fails_clearly(tmp_path):
    proc = cli("export", tmp_path, check=False)
    assert proc.returncode == 1 and "holds no result files" in proc.stderr


def test_schema_is_json_schema_of_the_result():
    schema = json.loads(cli("schema").stdout)
    assert schema["title"] == "ExtractionResult" and "tables" in schema["properties"]


@pytest.mark.parametrize("command", [[], ["run"], ["export"], ["schema"]])
def test_help_on_every_command(command):
    proc = cli(*command, "--help")
    assert "Usage:" in proc.stdout


def test_console_script_is_declared():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'budget-extract = "extractor.__main__:main"' in text


def test_a_text_with_no_budget_table_and_a_cut_short_one_are_named_in_the_summary(tmp_path):
    (tmp_path / "notice.txt").write_text("关于做好2024年工作的通知\n各单位：\n现将有关事项通知如下。\n", encoding="utf-8")
    text = (ROOT / "examples" / "000_ccab51d03fd0280d.txt").read_text(encoding="utf-8")
    (tmp_path / "cut.txt").write_text(text[:len(text) // 5], encoding="utf-8")
    proc = cli("run", tmp_path / "notice.txt", tmp_path / "cut.txt", "--out", tmp_path / "out", check=False)
    assert "1 document(s) with no budget table at all" in proc.stderr + proc.stdout
    assert "1 document(s) cut short inside a table" in proc.stderr + proc.stdout


@pytest.mark.parametrize("name", ["notes.dat", "notes.rtf", "notes.txt", "notes"])
def test_a_document_from_which_nothing_was_read_is_one_line_and_a_failed_run(tmp_path, name):
    """Whatever its suffix: a file read as text that holds no table and no card is no silent empty success. The batch
    goes on (003 beside it is read) and each result is still written."""
    (tmp_path / name).write_text("会议纪要\n这份文件没有预算表。\n", encoding="utf-8")
    proc = cli("run", tmp_path / name, ROOT / "examples" / "003_aca33df6c8a48681.txt", "--out", tmp_path / "out",
               check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if name in line]
    assert len(lines) == 1 and lines[0].startswith("error: ") and ": nothing read: no budget table" in lines[0]
    assert ("is not a kind of file budget-extract reads" in lines[0]) == (name != "notes.txt")
    # Counted once in the summary, under its most specific reason: not also as a document nothing was read from.
    summary = proc.stderr + proc.stdout
    assert "1 document(s) with no budget table at all" in summary
    assert "from which nothing was read" not in summary
    assert (tmp_path / "out" / "003_aca33df6c8a48681.json").is_file()
    assert (tmp_path / "out" / f"{Path(name).stem}.json").is_file()


def test_run_extracts_tables_from_space_aligned_text(tmp_path):
    """What pdftotext -layout writes (columns by runs of spaces, no | or tab) is read, not reported unread."""
    from test_read_layouts import PDFTOTEXT

    (tmp_path / "layout.txt").write_text(PDFTOTEXT, encoding="utf-8")
    cli("run", tmp_path / "layout.txt", "--out", tmp_path / "out")
    result = json.loads((tmp_path / "out" / "layout.json").read_text(encoding="utf-8"))
    table = next(t for t in result["tables"] if t["kind"] == "income_summary")
    total = next(r for r in table["rows"] if r["item"] == "total")
    assert {k: v["value"] for k, v in total["values"].items()} == {
        "total": "361.93", "income_subtotal": "356.93", "fiscal_appropriation": "356.93", "carryover": "5.00"}
    assert not result["unread"]

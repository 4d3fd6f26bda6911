"""What a data team exports besides the facts: every file a run was given (the ones that failed too), the figures the
explanation states in every format, and the words a project's line prints beside its numbers.

Real processes over the corpus, generated variants and files that cannot be read.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import EXAMPLES
from test_cli import cli

# 项目支出表 printing its projects' type, funding source and level as words (a hand-written fixture, in the form of
# trial 21d's project_merged_name: a project funded from two sources has its name on its first line only).
PROJECTS = """示范县水务局2025年部门预算

表9 示范县水务局2025年项目支出表
单位：万元
项目名称\t项目类型\t资金来源\t项目级次\t合计\t一般公共预算\t政府性基金预算
河道清淤\t特定目标类\t本级财力\t本级项目\t60.00\t60.00\t
农村饮水安全\t特定目标类\t本级财力\t本级项目\t150.00\t150.00\t
\t\t上级转移支付\t转移支付项目\t45.00\t45.00\t
\t\t土地出让收入\t本级项目\t30.00\t\t30.00
合计\t\t\t\t285.00\t255.00\t30.00
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Two corpus documents, the project table, and two files that cannot be read (one had a result before)."""
    tmp = tmp_path_factory.mktemp("kinds")
    src, out = tmp / "in", tmp / "out"
    src.mkdir()
    shutil.copy(EXAMPLES / "000_ccab51d03fd0280d.txt", src / "三河市医疗保障局.txt")
    shutil.copy(EXAMPLES / "003_aca33df6c8a48681.txt", src / "泗县医疗保障局.txt")
    (src / "示范县水务局.txt").write_text(PROJECTS, encoding="utf-8")
    (src / "某县财政局.txt").write_bytes(b"\x00\x01\x02 binary, not text")
    shutil.copy(EXAMPLES / "002_9308971da019406b.txt", src / "秦皇岛市医疗保障局.txt")
    assert cli("run", src, "--out", out, check=False).returncode == 1
    # The second run: 秦皇岛's file is now damaged (its result from the first run is still there).
    (src / "秦皇岛市医疗保障局.txt").write_bytes(b"")
    proc = cli("run", src, "--out", out, check=False)
    assert proc.returncode == 1 and "秦皇岛市医疗保障局.txt: empty file" in proc.stderr
    return out


def export(folder: Path, *args) -> str:
    return cli("export", folder, *args).stdout


def documents_csv(folder: Path) -> dict[str, dict]:
    rows = csv.DictReader(io.StringIO(export(folder, "--what", "documents", "--format", "csv")))
    return {r["document"]: r for r in rows}


def test_the_documents_export_lists_every_file_given_with_the_error_of_those_that_failed(folder):
    docs = documents_csv(folder)
    assert set(docs) == {"三河市医疗保障局", "泗县医疗保障局", "示范县水务局", "某县财政局", "秦皇岛市医疗保障局"}
    assert docs["三河市医疗保障局"]["status"] == "ok" and docs["三河市医疗保障局"]["department"] == "三河市医疗保障局"
    assert int(docs["三河市医疗保障局"]["facts"]) > 600
    assert docs["某县财政局"]["status"] == "error"
    assert docs["某县财政局"]["error"].endswith("某县财政局.txt: binary data, not a text file")
    assert docs["某县财政局"]["facts"] == ""  # no facts: not zero facts read, none at all
    # Failed now, read before: the error, and that the result exported is the earlier one.
    assert docs["秦皇岛市医疗保障局"]["status"] == "error"
    assert "empty file" in docs["秦皇岛市医疗保障局"]["error"]
    assert "from an earlier run" in docs["秦皇岛市医疗保障局"]["error"]
    # The facts are the results' only: a failed file adds none.
    facts = [json.loads(line) for line in export(folder, "--what", "facts").splitlines()]
    assert {f["document"] for f in facts} == {"三河市医疗保障局", "泗县医疗保障局", "示范县水务局", "秦皇岛市医疗保障局"}


def test_every_format_with_a_documents_table_lists_the_failed_files(folder, tmp_path):
    import duckdb
    import openpyxl
    import pyarrow.parquet as pq

    expected = {name: (row["status"], row["error"] or None) for name, row in documents_csv(folder).items()}
    for fmt in ("sqlite", "duckdb", "xlsx"):
        proc = cli("export", folder, "--format", fmt, "-o", tmp_path / f"all.{fmt}")
        assert "2 file(s) whose last run failed listed among the documents" in proc.stderr
    db = sqlite3.connect(tmp_path / "all.sqlite")
    assert {r[0]: (r[1], r[2]) for r in db.execute("SELECT document, status, error FROM documents")} == expected
    assert db.execute("SELECT count(*) FROM facts WHERE document = '某县财政局'").fetchone() == (0,)
    # A team's question: which departments have no facts this year?
    assert db.execute("SELECT document FROM documents d WHERE NOT EXISTS "
                      "(SELECT 1 FROM facts f WHERE f.document = d.document)").fetchall() == [("某县财政局",)]
    duck = duckdb.connect(str(tmp_path / "all.duckdb"), read_only=True)
    assert {r[0]: (r[1], r[2]) for r in duck.execute("SELECT document, status, error FROM documents").fetchall()} \
        == expected
    book = openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)
    rows = list(book["documents"].iter_rows(values_only=True))
    header = rows[0]
    assert {r[0]: (r[header.index("status")], r[header.index("error")]) for r in rows[1:]} == expected
    cli("export", folder, "--what", "documents", "--format", "parquet", "-o", tmp_path / "documents.parquet")
    table = pq.read_table(tmp_path / "documents.parquet").to_pylist()
    assert {r["document"]: (r["status"], r["error"]) for r in table} == expected


def test_claims_are_the_same_in_every_format(folder, tmp_path):
    import duckdb
    import openpyxl
    import pyarrow.parquet as pq

    claims = [json.loads(line) for line in export(folder, "--what", "claims").splitlines()]
    assert len(claims) > 100 and {c["status"] for c in claims} >= {"verified", "unchecked"}
    want = sorted((c["document"], c["claim"], Decimal(c["value"]), c["status"]) for c in claims)
    cli("export", folder, "--format", "sqlite", "-o", tmp_path / "all.sqlite")
    db = sqlite3.connect(tmp_path / "all.sqlite")
    got = db.execute("SELECT document, claim, value, status, value_num, span_start FROM claims").fetchall()
    assert sorted((d, c, Decimal(v), s) for d, c, v, s, _, _ in got) == want
    assert all(num == float(v) for _, _, v, _, num, _ in got)
    cli("export", folder, "--format", "duckdb", "-o", tmp_path / "all.duckdb")
    duck = duckdb.connect(str(tmp_path / "all.duckdb"), read_only=True)
    assert sorted(duck.execute("SELECT document, claim, value, status FROM claims").fetchall()) == want
    cli("export", folder, "--what", "claims", "--format", "parquet", "-o", tmp_path / "claims.parquet")
    table = pq.read_table(tmp_path / "claims.parquet")
    assert str(table.schema.field("value").type) == "decimal128(38, 10)"
    assert sorted((r["document"], r["claim"], r["value"], r["status"]) for r in table.to_pylist()) == want
    cli("export", folder, "--format", "xlsx", "-o", tmp_path / "all.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)["说明 claims"].iter_rows(values_only=True))
    head = rows[0]
    assert sorted((r[0], r[1], Decimal(str(r[head.index("value")])), r[head.index("status")]) for r in rows[1:]) == want


def test_a_projects_words_go_with_each_of_its_facts(folder, tmp_path):
    import duckdb
    import pyarrow.parquet as pq

    facts = [json.loads(line) for line in export(folder, "--what", "facts").splitlines()
             if "示范县水务局" in line]
    totals = {(f["row_label"], f["value"]): f["row_texts"] for f in facts if f["column_key"] == "total"}
    source = "资金来源" if "资金来源" in totals[("河道清淤", "60.00")] else next(
        k for k in totals[("河道清淤", "60.00")] if "资金来源" in k)
    level = next(k for k in totals[("河道清淤", "60.00")] if "项目级次" in k)
    assert totals[("河道清淤", "60.00")] == {"project_type": "特定目标类", source: "本级财力", level: "本级项目"}
    # The project funded from two sources: each line's own source and level, its name carried down.
    assert totals[("农村饮水安全", "45.00")][source] == "上级转移支付"
    assert totals[("农村饮水安全", "45.00")][level] == "转移支付项目"
    assert totals[("农村饮水安全", "30.00")][source] == "土地出让收入"
    assert totals[("合计", "285.00")] is None
    # What a fact is does not change: one number each, the words beside it.
    assert len([f for f in facts if f["row_label"] == "农村饮水安全"]) == 6  # 150 + 150, 45 + 45, 30 + 30
    rows = list(csv.DictReader(io.StringIO(export(folder, "--what", "facts", "--format", "csv"))))
    row = next(r for r in rows if r["row_label"] == "河道清淤" and r["column_key"] == "total")
    assert json.loads(row["row_texts"])[source] == "本级财力"
    cli("export", folder, "--format", "sqlite", "-o", tmp_path / "all.sqlite")
    db = sqlite3.connect(tmp_path / "all.sqlite")
    assert db.execute(f"SELECT sum(CAST(value AS REAL)) FROM facts WHERE column_key = 'total' "
                      f"AND json_extract(row_texts, '$.\"{source}\"') = '本级财力'").fetchone() == (210.0,)
    cli("export", folder, "--format", "duckdb", "-o", tmp_path / "all.duckdb")
    duck = duckdb.connect(str(tmp_path / "all.duckdb"), read_only=True)
    assert duck.execute(f"SELECT sum(value) FROM facts WHERE column_key = 'total' "
                        f"AND json_extract_string(row_texts, '$.\"{source}\"') = '上级转移支付'").fetchone() \
        == (Decimal("45"),)
    cli("export", folder, "--format", "parquet", "-o", tmp_path / "facts.parquet")
    long = [r for r in pq.read_table(tmp_path / "facts.parquet").to_pylist() if r["row_label"] == "农村饮水安全"]
    assert {json.loads(r["row_texts"])[source] for r in long} == {"本级财力", "上级转移支付", "土地出让收入"}


def _table_rows(result):
    """A kind a helper might add: a line per table read (for the registry test below)."""
    for table in result.tables:
        yield {"document": result.document.name, "table": table.kind, "title": table.title,
               "rows": [row.label.text if row.label else None for row in table.rows][:3]}


def test_a_kind_added_to_the_registry_is_written_by_every_format(folder, tmp_path, monkeypatch):
    import duckdb
    import openpyxl
    import pyarrow.parquet as pq

    from extractor.export import iter_results, kind_rows
    from extractor.export_files import write_sqlite, write_xlsx
    from extractor.export_kinds import EXPORT_KINDS, ExportKind
    from extractor.export_tables import write_duckdb, write_parquet

    monkeypatch.setitem(EXPORT_KINDS, "tables", ExportKind("tables", ("document", "table", "title", "rows"),
                                                           "test_export_kinds:_table_rows"))
    lines = list(kind_rows("tables", iter_results(folder)))
    assert len(lines) > 20 and {"document", "table", "title", "rows"} == set(lines[0])
    want = sorted((r["document"], r["table"], r["title"]) for r in lines)
    write_sqlite(iter_results(folder), tmp_path / "all.sqlite")
    db = sqlite3.connect(tmp_path / "all.sqlite")
    assert sorted(db.execute("SELECT document, \"table\", title FROM tables").fetchall()) == want
    assert json.loads(db.execute("SELECT rows FROM tables LIMIT 1").fetchone()[0])  # a list, as JSON
    write_duckdb(iter_results(folder), tmp_path / "all.duckdb")
    duck = duckdb.connect(str(tmp_path / "all.duckdb"), read_only=True)
    assert sorted(duck.execute('SELECT document, "table", title FROM tables').fetchall()) == want
    write_xlsx(iter_results(folder), tmp_path / "all.xlsx")
    sheet = list(openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)["tables"].iter_rows(values_only=True))
    assert sorted(r[:3] for r in sheet[1:]) == want
    write_parquet(iter_results(folder), tmp_path / "tables.parquet", "tables")
    assert sorted((r["document"], r["table"], r["title"]) for r in pq.read_table(tmp_path / "tables.parquet")
                  .to_pylist()) == want


OTHER_TABLE = """东岭区民政局2024年部门预算
表9
东岭区民政局2024年“三公”经费支出预算表
单位：元
项目\t2024年预算数\t2023年预算数\t增减
合计\t80,000.00\t100,000.00\t-20,000.00
因公出国（境）费\t0.00\t0.00\t0.00
公务用车购置及运行维护费\t50,000.00\t60,000.00\t-10,000.00
其中：公务用车购置费\t0.00\t0.00\t0.00
公务用车运行维护费\t50,000.00\t60,000.00\t-10,000.00
公务接待费\t30,000.00\t40,000.00\t-10,000.00

表10
东岭区民政局2024年机关运行经费预算表
单位：万元
项目\t预算数\t上年预算数\t资金来源
机关运行经费\t120.00\t130.00\t一般公共预算
其中：办公费\t40.00\t45.00\t一般公共预算
"""


def test_the_workbook_keeps_the_columns_the_registry_does_not_know(tmp_path):
    """A table of no known kind (机关运行经费预算表) has only such columns: its figures and words are in its sheet, under
    their headers, as every other export has them — never a sheet of empty lines."""
    import openpyxl

    src, out = tmp_path / "民政局.txt", tmp_path / "out"
    src.write_text(OTHER_TABLE, encoding="utf-8")
    cli("run", src, "--out", out, check=False)
    facts = [json.loads(line) for line in export(out, "--what", "facts").splitlines()]
    other = [f for f in facts if f["table_kind"] == "other_table"]
    assert {(f["row_label"], f["value"]) for f in other} >= {("机关运行经费", "120.00"), ("机关运行经费", "130.00")}
    cli("export", out, "--format", "xlsx", "-o", tmp_path / "all.xlsx")
    sheet = list(openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)["其他表"].iter_rows(values_only=True))
    head = sheet[0]
    assert "其他栏目 other columns" in head
    line = next(r for r in sheet[1:] if r[head.index("line")] == "机关运行经费")
    cell = line[head.index("其他栏目 other columns")]
    assert "120.00" in cell and "130.00" in cell and "一般公共预算" in cell, cell

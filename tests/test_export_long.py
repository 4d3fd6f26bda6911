"""The facts' long row is one definition (``FACT_COLUMNS``): every format writes the same columns, in the same order,
with the same values — a pipeline switches from CSV to Parquet without renaming anything."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DOCS
from test_cli import cli

from extractor.export import needs_quoting
from extractor.export_kinds import FACT_COLUMNS, FACT_FIELDS

KINDS = {name: kind for name, kind, _ in FACT_COLUMNS}
FORMATS = ("jsonl", "csv", "xlsx", "sqlite", "duckdb", "parquet")


@pytest.fixture(scope="module")
def decided(tmp_path_factory) -> Path:
    """The corpus's results with a person's decisions in them: a value corrected, one withdrawn, a flag accepted —
    so that original_value, decision, reviewer and note are written too (and a null value)."""
    out = tmp_path_factory.mktemp("decided")
    cli("run", *DOCS.values(), "--out", out)
    # (Flags whose first field is a value of a table or card: the explanation's figures are the verifier's, not fixed.)
    queue = [f for f in json.loads(cli("review", "list", "--db", out, "--json").stdout)
             if f["fields"] and not f["fields"][0]["key"].startswith("narrative[")]
    fixed, rejected, accepted = queue[0], queue[1], queue[2]
    cli("review", "fix", fixed["id"], "--db", out, "--field", "1", "--value", "12.50", "--reviewer", "ann",
        "--note", "as printed on page 3")
    cli("review", "reject", rejected["id"], "--db", out, "--field", "1", "--reviewer", "bo")
    cli("review", "accept", accepted["id"], "--db", out, "--reviewer", "ann")
    return out


@pytest.fixture(scope="module")
def exported(decided, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    files = {}
    for fmt in FORMATS:
        files[fmt] = folder / f"facts.{fmt}"
        what = ("--what", "facts") if fmt in ("jsonl", "csv", "parquet") else ()
        cli("export", decided, "--format", fmt, *what, "-o", files[fmt])
    return files


def _header_and_rows(fmt: str, path: Path) -> tuple[tuple[str, ...], list[tuple]]:
    """A format's facts table as read back by the library a user would read it with: its header and its rows."""
    if fmt == "jsonl":
        lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        return tuple(lines[0]), [tuple(line.values()) for line in lines]
    if fmt == "csv":
        header, *rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))
        return tuple(header), [tuple(row) for row in rows]
    if fmt == "xlsx":
        import openpyxl

        header, *rows = openpyxl.load_workbook(path, read_only=True)["facts"].iter_rows(values_only=True)
        return header, [row + (None,) * (len(header) - len(row)) for row in rows]  # empty cells at the end: none
    if fmt == "sqlite":
        db = sqlite3.connect(path)
        return (tuple(c[1] for c in db.execute("PRAGMA table_info(facts)")),
                db.execute("SELECT * FROM facts ORDER BY rowid").fetchall())
    if fmt == "duckdb":
        import duckdb

        db = duckdb.connect(str(path), read_only=True)
        cursor = db.execute("SELECT * FROM facts")
        return tuple(c[0] for c in cursor.description), cursor.fetchall()
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    return tuple(table.schema.names), [tuple(row.values()) for row in table.to_pylist()]


def _same(kind: str, cell):
    """A cell as a value to compare across formats, whatever type the format gave it."""
    if cell is None or cell == "":
        return None
    if kind == "decimal":
        return Decimal(str(cell))  # Decimal("9.00") == Decimal("9.0000000000") == Decimal(repr(9.0))
    if kind in ("int32", "int64"):
        return int(cell)
    if kind == "double":
        return float(cell)
    if kind in ("list", "json"):
        value = json.loads(cell) if isinstance(cell, str) else cell
        return value if value else None if kind == "json" else value
    if isinstance(cell, str) and cell.startswith("'") and needs_quoting(cell[1:]):
        return cell[1:]  # CSV's mark on a text a spreadsheet would run as a formula
    return str(cell)


def test_every_format_writes_the_facts_under_the_one_header(exported):
    for fmt, path in exported.items():
        header, rows = _header_and_rows(fmt, path)
        assert header == FACT_FIELDS, fmt
        assert rows, fmt


def test_every_format_holds_the_same_values(exported):
    want = None
    for fmt, path in exported.items():
        _, rows = _header_and_rows(fmt, path)
        got = [tuple(_same(KINDS[name], cell) for name, cell in zip(FACT_FIELDS, row)) for row in rows]
        if want is None:
            want = got
            statuses = {row[FACT_FIELDS.index("status")] for row in got}
            assert {"verified", "flagged", "rejected", "accepted"} <= statuses, statuses
            continue
        assert len(got) == len(want), fmt
        for a, b in zip(got, want):
            assert a == b, (fmt, [(n, x, y) for n, x, y in zip(FACT_FIELDS, a, b) if x != y])


def test_the_document_and_the_codes_levels_are_on_every_line_in_csv(exported):
    rows = list(csv.DictReader(io.StringIO(exported["csv"].read_text(encoding="utf-8-sig"))))
    line = next(r for r in rows if r["document"].startswith("000") and r["table_kind"] == "expenditure_summary"
                and r["row_code"] == "2101501" and r["column_key"] == "total")
    assert (line["department"], line["year"], line["stage"], line["classification"]) == \
           ("三河市医疗保障局", "2024", "budget", "functional")
    assert (line["lei_code"], line["lei_name"], line["kuan_name"], line["xiang_name"]) == \
           ("210", "卫生健康支出", "医疗保障管理事务", "行政运行")
    assert (line["value"], line["value_text"], line["value_num"]) == ("1182.71", "1182.71", "1182.71")
    fixed = next(r for r in rows if r["value"] == "12.50")  # corrected (or flagged still, the correction in place)
    assert fixed["original_value"] and fixed["reviewer"] == "ann"
    assert fixed["note"] == "as printed on page 3" and int(fixed["decision"]) >= 1
    withdrawn = next(r for r in rows if r["status"] == "rejected")
    assert withdrawn["value"] == withdrawn["value_text"] == withdrawn["value_num"] == "" and withdrawn["original_value"]


def test_each_format_types_the_columns_as_it_can(exported):
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(exported["parquet"])
    assert (schema.field("value").type, schema.field("year").type, schema.field("value_num").type) == \
           (pa.decimal128(38, 10), pa.int32(), pa.float64())
    # pandas reads a column of whole numbers with a null (a year not stated, no decision) as floats unless told
    assert {c["name"]: c["numpy_type"] for c in schema.pandas_metadata["columns"]} == \
           {"year": "Int32", "span_start": "Int64", "span_end": "Int64", "decision": "Int64"}
    db = duckdb.connect(str(exported["duckdb"]), read_only=True)
    types = dict(db.execute("SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_name = 'facts'").fetchall())
    assert (types["value"], types["year"], types["flags"]) == ("DECIMAL(38,10)", "INTEGER", "VARCHAR[]")
    lite = {c[1]: c[2] for c in sqlite3.connect(exported["sqlite"]).execute("PRAGMA table_info(facts)")}
    assert (lite["value"], lite["value_num"], lite["year"], lite["span_start"]) == \
           ("TEXT", "REAL", "INTEGER", "INTEGER")
    first = json.loads(exported["jsonl"].read_text("utf-8").splitlines()[0])
    assert isinstance(first["value"], str) and isinstance(first["year"], int) and isinstance(first["flags"], list)


def test_pandas_keeps_the_year_whole_and_the_value_exact(decided, tmp_path):
    """A document that does not state its year: its year is null, the others' stay whole numbers (the trial's
    float64 year)."""
    pd = pytest.importorskip("pandas")
    folder = tmp_path / "results"
    folder.mkdir()
    for path in sorted(decided.glob("*.json"))[:2]:
        data = json.loads(path.read_text("utf-8"))
        if path.name.startswith("001"):
            data["document"]["year"] = None
        (folder / path.name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    cli("export", folder, "--format", "parquet", "-o", tmp_path / "facts.parquet")
    df = pd.read_parquet(tmp_path / "facts.parquet")
    assert str(df["year"].dtype) == "Int32" and df["year"].isna().any() and 2024 in set(df["year"].dropna())
    assert str(df["decision"].dtype) == "Int64" and str(df["span_start"].dtype) == "Int64"
    assert df["value"].dropna().map(type).eq(Decimal).all()
    # The Stata step of docs/commands.md.
    df["value"] = df["value_text"]
    df["original_value"] = df["original_value"].astype("string")
    df["flags"] = df["flags"].map(lambda ids: ",".join(ids) if ids is not None else "")
    text = df.select_dtypes(include=["object", "string"]).columns
    df[text] = df[text].astype("string").fillna("")
    df.to_stata(tmp_path / "facts.dta", write_index=False, version=118)
    back = pd.read_stata(tmp_path / "facts.dta")
    assert len(back) == len(df) and list(back.columns) == list(FACT_FIELDS)
    assert list(back["value"]) == list(df["value_text"])


def test_a_workbook_goes_on_in_a_second_facts_sheet_past_the_rows_excel_holds(decided, tmp_path, monkeypatch):
    import openpyxl

    from extractor import export_files
    from extractor.export import iter_results

    monkeypatch.setattr(export_files, "EXCEL_ROWS", 500)
    export_files.write_xlsx(iter_results(decided), tmp_path / "all.xlsx")
    book = openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)
    sheets = [name for name in book.sheetnames if name == "facts" or name.startswith("facts ")]
    facts = cli("export", decided).stdout.count("\n")
    assert sheets == ["facts"] + [f"facts {n}" for n in range(2, len(sheets) + 1)] and len(sheets) == -(-facts // 499)
    rows = [list(book[name].iter_rows(values_only=True)) for name in sheets]
    assert all(r[0] == FACT_FIELDS and len(r) <= 500 for r in rows)
    assert sum(len(r) - 1 for r in rows) == facts
    cards = next(book[name] for name in book.sheetnames if "cards" in name)
    header = next(cards.iter_rows(values_only=True))
    assert [c for c in FACT_FIELDS if c in header] == list(header)  # the cards sheet: some of the same columns

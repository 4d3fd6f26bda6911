"""Exports for analysts: the long-format facts table as Parquet or DuckDB, for pandas, R, Stata or SQL.

One row per value (``FACT_COLUMNS``, the same row every format writes): which
document (department, year), which table, which line with its classification
levels (类 / 款 / 项, codes and names), which column, the value as an exact
decimal, its unit and its status. Written one result at a time in batches of
rows, so memory does not grow with the number of results.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from schemas import ExtractionResult

from .export import (FLAG_FIELDS, document_rows, fact_rows, kind_rows, replacing, result_claims, result_document,
                     result_flags)
from .export_kinds import EXPORT_KINDS, FACT_COLUMNS, flat, generic_kinds

# Exact decimals: 38 digits, 10 of them after the point. Documents print at most 6.
PRECISION, SCALE = 38, 10
DUCKDB_MEMORY = "64MB"
BATCH_ROWS = 2_000  # rows made as Python dicts at once (the bulky form)
ROW_GROUP_ROWS = 64_000  # rows per Parquet row group (as Arrow columns: compact)

# The figures the explanation states (export --what claims), in this order in Parquet and DuckDB.
CLAIM_COLUMNS = (
    ("document", "string", ""), ("claim", "string", "the claim's id"), ("section", "string", "the heading it is under"),
    ("kind", "string", "amount, change, percent, share or previous"), ("subject", "string", "what it is about"),
    ("value", "decimal", "the figure, exact"), ("value_text", "string", "the figure as a decimal string"),
    ("unit", "string", ""), ("direction", "string", "increase or decrease, for changes"),
    ("span_start", "int64", ""), ("span_end", "int64", ""), ("field", "string", "narrative[<id>]"),
    ("status", "string", "verified, flagged, unchecked, or a person's decision"),
    ("reason", "string", "why an unchecked figure was compared with nothing"),
    ("flags", "list", "the ids of the open flags on it"),
)

# A row per document: every result, and every file whose last run failed (status error, with the line why).
DOCUMENT_COLUMNS = (
    ("document", "string", ""), ("status", "string", "ok, nothing_read or error"),
    ("error", "string", "why the file could not be read"), ("path", "string", ""), ("sha256", "string", ""),
    ("encoding", "string", ""), ("department", "string", ""), ("department_code", "string", ""),
    ("year", "int32", ""), ("stage", "string", "budget or final_accounts"), ("unit", "string", ""),
    ("tables", "int64", ""), ("cards", "int64", ""), ("facts", "int64", ""), ("claims", "int64", ""),
    ("open_errors", "int64", ""), ("open_warnings", "int64", ""),
)


class ExportError(Exception):
    """A value this export cannot hold exactly: one line naming it."""


def long_facts(result: ExtractionResult) -> Iterator[dict]:
    """The facts' long rows (``FACT_COLUMNS``) as Arrow takes them: JSON objects as text, decimals checked to fit."""
    for row in fact_rows(result):
        if row["row_texts"] is not None:
            row["row_texts"] = json.dumps(row["row_texts"], ensure_ascii=False)
        _fits(row["value"], row)
        _fits(row["original_value"], row)
        yield row


def _text(value) -> str | None:
    flat_value = flat(value)
    return None if flat_value is None else str(flat_value)


def _exact(text: str | None, row: dict) -> Decimal | None:
    return None if text is None else _fits(Decimal(text), row)


def _fits(value: Decimal | None, row: dict) -> Decimal | None:
    """``value``, or an ``ExportError`` when it does not fit DECIMAL(PRECISION, SCALE) exactly."""
    if value is None:
        return None
    sign, digits, exponent = value.as_tuple()
    if -exponent > SCALE or len(digits) + exponent > PRECISION - SCALE:
        raise ExportError(f"{row['document']}: {row['field']} = {value} does not fit DECIMAL({PRECISION},{SCALE})")
    return value


def long_claims(result: ExtractionResult) -> Iterator[dict]:
    """One dict per claim with the columns of ``CLAIM_COLUMNS``."""
    for claim in result_claims(result):
        start, end = claim.pop("span")
        yield {**claim, "value": _exact(claim["value"], claim), "value_text": claim["value"], "span_start": start,
               "span_end": end}


def _schema(columns):
    import pyarrow as pa

    types = {"string": pa.string(), "int32": pa.int32(), "int64": pa.int64(), "double": pa.float64(),
             "decimal": pa.decimal128(PRECISION, SCALE), "list": pa.list_(pa.string()), "json": pa.string()}
    return _whole_numbers_stay_whole(pa.schema([pa.field(name, types[kind]) for name, kind, _ in columns]))


def _whole_numbers_stay_whole(schema):
    """``schema``, saying to pandas that its integer columns are its nullable integers (``Int32``, ``Int64``): else
    ``pd.read_parquet`` makes a column with a null (a year a document does not state, a value with no decision)
    floats. pandas reads this note (the metadata it writes itself); R, Polars and DuckDB read the types alone."""
    import pyarrow as pa

    nullable = {pa.int32(): "Int32", pa.int64(): "Int64"}
    columns = [{"name": f.name, "field_name": f.name, "pandas_type": str(f.type), "numpy_type": nullable[f.type],
                "metadata": None} for f in schema if f.type in nullable]
    note = {"index_columns": [], "column_indexes": [], "columns": columns}
    return schema.with_metadata({b"pandas": json.dumps(note).encode()})


def fact_schema():
    return _schema(FACT_COLUMNS)


def claim_schema():
    return _schema(CLAIM_COLUMNS)


def document_schema():
    return _schema(DOCUMENT_COLUMNS)


def flag_schema():
    import pyarrow as pa

    lists = {"spans": pa.list_(pa.list_(pa.int64())), "fields": pa.list_(pa.string())}
    ints = {"decision": pa.int64()}
    return _whole_numbers_stay_whole(
        pa.schema([pa.field(name, lists.get(name) or ints.get(name) or pa.string()) for name in FLAG_FIELDS]))


def _batches(rows: Iterable[dict], schema) -> Iterator:
    """Record batches of at most ``BATCH_ROWS`` rows, made as the rows come."""
    import pyarrow as pa

    buffer: list[dict] = []
    for row in rows:
        buffer.append(row)
        if len(buffer) >= BATCH_ROWS:
            yield pa.RecordBatch.from_pylist(buffer, schema=schema)
            buffer = []
    if buffer:
        yield pa.RecordBatch.from_pylist(buffer, schema=schema)


def write_parquet(results: Iterable[ExtractionResult], path: Path, what: str = "facts",
                  failed: dict | None = None) -> None:
    """The facts (or the flags, the claims, the documents) as one Parquet file, in row groups of ``ROW_GROUP_ROWS``.
    ``failed``: the files whose last run failed (the run manifest's), listed among the documents."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    shaped = {"facts": fact_schema, "flags": flag_schema, "claims": claim_schema, "documents": document_schema}
    if what in shaped:
        schema = shaped[what]()
        rows = document_rows(results, failed) if what == "documents" else _rows(results, what)
    else:  # a kind of the registry with no typed columns: its fields as text
        kind = EXPORT_KINDS[what]
        schema = pa.schema([pa.field(name, pa.string()) for name in kind.fields])
        rows = ({k: _text(row[k]) for k in kind.fields} for row in kind_rows(what, results))
    with replacing(path) as tmp:
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            group, size = [], 0
            for batch in _batches(rows, schema):
                group.append(batch)
                size += batch.num_rows
                if size >= ROW_GROUP_ROWS:
                    writer.write_table(pa.Table.from_batches(group, schema))
                    group, size = [], 0
            if group:
                writer.write_table(pa.Table.from_batches(group, schema))


def _rows(results: Iterable[ExtractionResult], what: str) -> Iterator[dict]:
    rows = {"facts": long_facts, "flags": result_flags, "claims": long_claims}[what]
    for result in results:
        yield from rows(result)


def write_duckdb(results: Iterable[ExtractionResult], path: Path, failed: dict | None = None) -> None:
    """A DuckDB database: the facts table (long format, DECIMAL values), flags, claims, documents and decisions.
    ``failed``: the files whose last run failed (the run manifest's), listed among the documents."""
    import duckdb
    import pyarrow as pa

    with replacing(path) as tmp:
        tmp.unlink()  # DuckDB creates its own file
        # DuckDB keeps what it wrote in its buffer pool up to its memory limit (most of the machine's memory by
        # default); a small limit makes it write blocks out instead, so memory stays flat.
        db = duckdb.connect(str(tmp), config={"memory_limit": DUCKDB_MEMORY, "threads": 1})
        try:
            _create_tables(db)
            failed = dict(failed or {})
            kinds = [(kind, kind.rows_of()) for kind in generic_kinds()]
            documents, decisions, facts, flags, claims = [], [], [], [], []
            others: dict[str, list[dict]] = {kind.name: [] for kind, _ in kinds}
            for result in results:
                doc = result.document
                documents.append(result_document(result, failed.pop(doc.name, None)))
                decisions += [(doc.name, d.seq, d.action, d.flag_id, d.check, d.field, d.before, d.after,
                               d.reviewer, d.note, d.time, d.document_sha256, d.stale, d.stale_reason)
                              for d in result.decisions]
                facts += long_facts(result)
                flags += result_flags(result)
                claims += long_claims(result)
                for kind, rows_of in kinds:
                    others[kind.name] += ({k: _varchar(flat(row[k])) for k in kind.fields} for row in rows_of(result))
                if len(facts) + len(claims) + sum(map(len, others.values())) >= BATCH_ROWS:
                    _flush(db, pa, documents, decisions, facts, flags, claims, others)
                    documents, decisions, facts, flags, claims = [], [], [], [], []
                    others = {name: [] for name in others}
            documents += document_rows((), failed)  # the files that could not be read: no facts
            _flush(db, pa, documents, decisions, facts, flags, claims, others)
            db.execute("CHECKPOINT")
        finally:
            db.close()
        Path(f"{tmp}.wal").unlink(missing_ok=True)


def _create_tables(db) -> None:
    sql = {"string": "VARCHAR", "int32": "INTEGER", "int64": "BIGINT", "double": "DOUBLE",
           "decimal": f"DECIMAL({PRECISION},{SCALE})", "list": "VARCHAR[]", "json": "VARCHAR"}
    db.execute("CREATE TABLE facts (" + ", ".join(f'"{n}" {sql[k]}' for n, k, _ in FACT_COLUMNS) + ")")
    for kind in generic_kinds():
        db.execute(f'CREATE TABLE "{kind.name}" (' + ", ".join(f'"{n}" VARCHAR' for n in kind.fields) + ")")
    flag_types = {"spans": "BIGINT[][]", "fields": "VARCHAR[]", "decision": "BIGINT"}
    db.execute("CREATE TABLE flags (" + ", ".join(f'"{n}" {flag_types.get(n, "VARCHAR")}' for n in FLAG_FIELDS)
               + ")")
    db.execute("CREATE TABLE claims (" + ", ".join(f'"{n}" {sql[k]}' for n, k, _ in CLAIM_COLUMNS) + ")")
    db.execute("CREATE TABLE documents (" + ", ".join(f'"{n}" {sql[k]}' + (" PRIMARY KEY" if n == "document" else "")
                                                      for n, k, _ in DOCUMENT_COLUMNS) + ")")
    db.execute('CREATE TABLE decisions (document VARCHAR, seq BIGINT, action VARCHAR, flag_id VARCHAR, "check" VARCHAR, '
               "field VARCHAR, before VARCHAR, after VARCHAR, reviewer VARCHAR, note VARCHAR, time VARCHAR, "
               "document_sha256 VARCHAR, stale BOOLEAN, stale_reason VARCHAR)")


def _varchar(value):
    """A generic kind's cell as the text DuckDB would make of it (its tables are VARCHAR columns)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flush(db, pa, documents, decisions, facts, flags, claims, others: dict[str, list[dict]]) -> None:
    if decisions:
        db.executemany("INSERT INTO decisions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", decisions)
    # Through Arrow: DuckDB reads a whole batch at once (executemany inserts a row at a time: 1.5 s a document's
    # cards), and DECIMAL values arrive exact.
    generic = [(name, rows, pa.schema([(k, pa.string()) for k in EXPORT_KINDS[name].fields]))
               for name, rows in others.items()]
    for name, rows, schema in (("documents", documents, document_schema()), ("facts", facts, fact_schema()),
                               ("flags", flags, flag_schema()), ("claims", claims, claim_schema()), *generic):
        if rows:
            db.register("batch", pa.Table.from_pylist(rows, schema=schema))
            db.execute(f'INSERT INTO "{name}" SELECT * FROM batch')
            db.unregister("batch")

"""The `budget-extract` command line: a thin shell over the pipeline and export functions.

Heavy imports (pydantic models, rich's progress bar) happen inside the commands
so that `budget-extract --help` starts fast.
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .export_kinds import EXPORT_KINDS

app = typer.Typer(
    name="budget-extract",
    help="Turn Chinese departmental budget disclosures (部门预算公开) into verified, traceable data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: rendering help with rich costs ~0.2 s of imports at every start.
    rich_markup_mode=None,
)


class FactFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    xlsx = "xlsx"
    sqlite = "sqlite"
    parquet = "parquet"
    duckdb = "duckdb"


# --what: the registry of export kinds (extractor/export_kinds.py), one entry each.
What = Enum("What", {name: name for name in EXPORT_KINDS}, type=str)


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _expand(paths: list[Path], recursive: bool = False, include: list[str] = (), exclude: list[str] = (),
            out: Path | None = None):
    """The files to read and each one's result name (``discover.Found``); what is not read is said on stderr."""
    from .discover import discover
    from .load import SUPPORTED_SUFFIXES, shown

    found = discover(paths, recursive, include or (), exclude or (), out)
    for line in found.skipped:
        _err(line)
    unsearched = {folder: subs for folder, subs in found.unsearched}
    for folder, subs in found.unsearched:
        listed = ", ".join(shown(s.name) for s in subs[:5]) + (f" and {len(subs) - 5} more" if len(subs) > 5 else "")
        _err(f"{shown(folder)}: {len(subs)} sub-folder(s) not searched ({listed}); --recursive reads them too")
    for folder in found.empty_folders:
        kinds = ", ".join(SUPPORTED_SUFFIXES)
        _err(f"{shown(folder)}: folder holds no files to read ({kinds})"
             + ("" if recursive or folder in unsearched else "; --recursive also searches its sub-folders"))
    for line in found.renamed + found.repeated:
        _err(line)
    return found


def _stop_on_sigterm(task) -> None:
    """SIGTERM (`kill PID`, a scheduler ending the job) stops the run as Ctrl-C does: what was written is whole, and
    the run says how much."""
    import asyncio
    import signal

    try:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    except (NotImplementedError, RuntimeError):  # no signals for the loop here (Windows): the default, an exit
        pass


def _names_changed(store, found) -> list[str]:
    """A line for each file the store knows, with review decisions, under another name than this run gives it
    (``a/预算`` named alone is ``预算``): its decisions stay with the name they were made under."""
    from .load import shown
    from .rerun import file_sha256

    decided = set(store.decision_documents())
    if not decided:
        return []
    before = {row.source: row.name for row in store.documents() if row.name in decided}
    known = {row.name for row in store.documents()} | decided
    by_sha = store.decided_versions()  # sha256 → the name decisions were made under
    lines = []
    for path in dict.fromkeys(found.files):
        new = found.names.get(path, path.stem)
        same = ""
        try:
            old = before.get(path.resolve())
            if old is None and new not in known:  # a new name: the same bytes moved or renamed?
                old, same = by_sha.get(file_sha256(path)), " (the same file, sha256 alike)"
        except (OSError, RuntimeError):
            continue
        if old is not None and old != new:
            lines.append(f"note: {shown(path)} was read before as {shown(old)}{same}, and its "
                         f"{len(store.decisions(old))} review decision(s) stay with that name; this run names it "
                         f"{shown(new)} — name the same files (or folder) together as before to keep its name and its "
                         f"decisions")
    return lines


class BackendChoice(str, Enum):
    auto = "auto"
    rules = "rules"
    llm = "llm"


class CacheChoice(str, Enum):
    use = "use"
    refresh = "refresh"
    off = "off"
    replay = "replay"


class ModeChoice(str, Enum):
    tools = "tools"
    json_schema = "json_schema"
    json = "json"
    md_json = "md_json"


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH", help="Disclosure files (PDF, .xlsx, .xls, .docx, .csv, .txt, .md) or folders of them.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Folder for the results: one <name>.json "
                                                                         "per document (made if missing).")],
    recursive: Annotated[bool, typer.Option("--recursive", "-r", help="Search folders' sub-folders too; a result "
                                                                      "keeps its sub-folder: OUT/2023/<name>.json.")] = False,
    include: Annotated[Optional[list[str]], typer.Option(
        "--include", metavar="GLOB", help="Only files matching this glob (by name or path in the folder, e.g. "
                                          "'*.pdf' or '2023/*'); repeatable.")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option(
        "--exclude", metavar="GLOB", help="Leave out files matching this glob; repeatable.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any error flag is open.")] = False,
    backend: Annotated[BackendChoice, typer.Option(
        "--backend", help="rules: no model. auto: the model for sections the rules cannot read or whose values "
                          "fail verification, when a model is configured. llm: the model for every section.")] =
    BackendChoice.auto,
    cross_check: Annotated[bool, typer.Option("--cross-check", help="Also read every section with the model and "
                                                                    "flag where it disagrees with the rules.")] = False,
    model: Annotated[Optional[str], typer.Option("--model", metavar="NAME",
                                                 help="Model name [env: BUDGET_EXTRACT_MODEL].")] = None,
    base_url: Annotated[Optional[str], typer.Option(
        "--base-url", metavar="URL", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1 [env: OPENAI_BASE_URL].")] = None,
    endpoint_kind: Annotated[Optional[str], typer.Option(
        "--endpoint-kind", metavar="KIND", help="openai, deepseek, qwen, glm, vllm, ollama, llamacpp… (guessed from the URL).")] = None,
    mode: Annotated[Optional[ModeChoice], typer.Option(
        "--mode", help="Structured output: tools, json_schema, json or md_json (default per endpoint kind).")] = None,
    concurrency: Annotated[Optional[int], typer.Option("--concurrency", min=1, metavar="N", help="Requests in flight at most.")] = None,
    cache: Annotated[CacheChoice, typer.Option(
        "--cache", help="use: reuse answers; refresh: ask again and store; off: no cache; "
                        "replay: recorded answers only, never the network.")] = CacheChoice.use,
    cache_dir: Annotated[Optional[Path], typer.Option(
        "--cache-dir", metavar="DIR", help="Live cache folder [env: BUDGET_EXTRACT_CACHE_DIR; default: the user's cache folder].")] = None,
    recordings: Annotated[Optional[Path], typer.Option(
        "--recordings", metavar="DIR", help="Folder of recorded responses, one JSON per request "
                             "[env: BUDGET_EXTRACT_RECORDINGS; default: ./cache/recordings if present].")] = None,
    record: Annotated[bool, typer.Option("--record", help="Write every answer from the network to --recordings.")] = False,
    max_tokens: Annotated[Optional[int], typer.Option("--max-tokens", min=1, metavar="N", help="Longest answer a request may get "
                                                                                  "(default 4096).")] = None,
    db: Annotated[Optional[Path], typer.Option(
        "--db", metavar="FILE|DIR", help="Review store (or the folder holding it) whose decisions are applied, "
                                         "whose layout hints are offered to the reader, and whose queue gets the "
                                         "flags [default: OUT/review.sqlite].")] = None,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, metavar="N", help="Documents read at once, each in its own process [default: the machine's "
                                    "cores, fewer for a batch under 20 documents a core]. The results are the same "
                                    "whatever the number.")] = None,
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the result files for people to read "
                                                          "(they are compact by default).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Read every document again, even one whose result nothing "
                                                        "has changed since the last run into OUT (by default it is "
                                                        "kept: same file, tool, options, hints and decisions).")] = False,
    timeout: Annotated[Optional[float], typer.Option(
        "--timeout", min=0.01, metavar="SECONDS", help="Seconds a model request may take (each wait for the server) "
                                   "[env: BUDGET_EXTRACT_TIMEOUT; default: 120].")] = None,
    max_retries: Annotated[Optional[int], typer.Option(
        "--max-retries", min=0, metavar="N", help="Retries of a model request after a timeout, 429 or 5xx "
                                     "[env: BUDGET_EXTRACT_MAX_RETRIES; default: 2].")] = None,
    section_deadline: Annotated[Optional[float], typer.Option(
        "--section-deadline", min=0.01, metavar="SECONDS", help="Seconds all of one section's requests may take together, "
                                             "retries and re-asks included [env: BUDGET_EXTRACT_SECTION_DEADLINE; "
                                             "default: 600].")] = None,
    max_size: Annotated[Optional[str], typer.Option(
        "--max-size", metavar="SIZE", help="Largest file read, by its size on disk, e.g. 20MB (KB, MB, GB: powers of "
                                           "1024); one limit for every kind of file. A larger file gets an error "
                                           "line and the rest of the batch goes on [env: BUDGET_EXTRACT_MAX_SIZE; "
                                           "default: 10MB for .txt, .md and .csv, 256MB for PDFs, workbooks and .docx].")] = None,
) -> None:
    """Extract every table and performance card of each document into OUT/<name>.json, verified.

    Every number is checked against the source text and the sums the document
    promises; what fails is stored as flags in the result (see `export --what flags`).
    The API key comes from OPENAI_API_KEY (or BUDGET_EXTRACT_API_KEY); a local server needs none.
    Bad files get a one-line error and a non-zero exit; the rest of the batch is still processed.
    """
    import asyncio
    import os

    from .llm.settings import LlmSettings
    from .load import parse_size, shown
    from .pool import default_jobs, start_server

    if out.exists() and not out.is_dir():
        _err(f"error: --out {shown(out)}: is a file; --out names the folder for the results")
        raise typer.Exit(2)
    try:
        # Without --max-size each kind of file has its own limit (see load_document).
        limit = parse_size(max_size) if max_size else None
    except ValueError as exc:
        _err(f"error: --max-size: {exc}")
        raise typer.Exit(2)
    found = _expand(paths, recursive, include, exclude, out)
    files = found.files
    if (jobs or default_jobs(len(files))) > 1 and len(files) > 1:
        start_server()  # the pool's server imports the readers while this process imports its own (below)
    from .batch import run_batch
    from .options import RunOptions

    recorded: dict = {}
    if cache is CacheChoice.replay:
        recorded = _recorded_defaults(recordings)
        model = model or os.environ.get("BUDGET_EXTRACT_MODEL") or recorded.get("model")
        endpoint_kind = endpoint_kind or os.environ.get("BUDGET_EXTRACT_ENDPOINT_KIND") or recorded.get("endpoint_kind")
        max_tokens = max_tokens or recorded.get("max_tokens")
    settings = LlmSettings.from_env(model=model, base_url=base_url, endpoint_kind=endpoint_kind,
                                    mode=mode.value if mode else None, concurrency=concurrency, cache=cache.value,
                                    cache_dir=cache_dir, recordings=recordings, record=record or None,
                                    max_tokens=max_tokens, temperature=recorded.get("temperature"), timeout=timeout,
                                    http_retries=None if max_retries is None else max_retries + 1,
                                    section_deadline=section_deadline)
    if record and settings.recordings is None:
        _err("error: --record needs a folder: pass --recordings DIR")
        raise typer.Exit(2)
    wants_model = backend is not BackendChoice.rules or cross_check
    if cache is CacheChoice.replay and wants_model and settings.recordings is None:
        _err("error: --cache replay needs recordings: there is no cache/recordings folder here; pass --recordings DIR "
             "(or set BUDGET_EXTRACT_RECORDINGS)")
        raise typer.Exit(2)
    if (backend is BackendChoice.llm or cross_check) and not settings.configured:
        _err("error: --backend llm and --cross-check need a model: set BUDGET_EXTRACT_MODEL and OPENAI_BASE_URL "
             "(or OPENAI_API_KEY), or pass --model/--base-url, or replay recordings with --cache replay")
        raise typer.Exit(2)
    options = RunOptions(backend=backend.value, cross_check=cross_check)
    from .review.store import DB_NAME, ReviewStore, StoreError

    try:
        out.mkdir(parents=True, exist_ok=True)
        store = ReviewStore(db if db is not None and not db.is_dir() else (db or out) / DB_NAME, create=True)
    except StoreError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(1)
    except OSError as exc:
        _err(f"error: --out {shown(out)}: cannot create the results folder or its review store: "
             f"{exc.strerror or exc}")
        raise typer.Exit(1)
    import sqlite3

    from .rerun import MANIFEST_NAME, Manifest

    try:
        manifest = Manifest(out / MANIFEST_NAME, create=True)
    except sqlite3.Error as exc:
        store.close()
        _err(f"error: {shown(out / MANIFEST_NAME)}: cannot be opened ({exc}); remove it: the next run reads every "
             f"document again and makes it anew")
        raise typer.Exit(1)
    from .retire import retire_gone, retired_count, summary

    # Results of files given again and gone (deleted, renamed, moved) leave the exported set before anything is read.
    try:
        retired, unretired = retire_gone(out, store, manifest, found, paths, recursive, include, exclude), None
    except OSError as exc:  # a results folder it cannot write in: said, and the run goes on (the next one retires)
        retired, unretired = [], (f"error: {shown(out)}: cannot retire the results of files that are gone "
                                  f"({exc.strerror or exc}: {shown(exc.filename or '')}); they are still exported")
        _err(unretired)
    for line in summary(retired, out, shown(store.arg)) + _names_changed(store, found):
        _err(line)
    options.hints = tuple(store.hints())  # people's column decisions, for tables printed under the same header
    options.taught = store.taught_here()

    from .batch import BatchReport

    report = BatchReport()

    async def go():
        _stop_on_sigterm(asyncio.current_task())
        reader = None
        if wants_model and settings.configured:
            from .llm.reader import LlmReader

            reader = LlmReader(settings)
        try:
            with _progress(len(files)) as advance:
                return await run_batch(files, out, options, reader, advance, store=store, max_size=limit,
                                       jobs=jobs, pretty=pretty, names=found.names, report=report,
                                       manifest=manifest, force=force)
        finally:
            if reader is not None:
                await reader.aclose()

    try:
        asyncio.run(go())
    except (KeyboardInterrupt, asyncio.CancelledError) as stopped:
        # Each result is written whole or not at all: what is there is complete, and a rerun reads the rest again.
        again = "run it again without --force (what was written is kept)" if force else "run the same command again"
        _err(f"interrupted: {report.documents} of {len(files)} document(s) written to {shown(out)} "
             f"(each complete); {again} to read the rest")
        raise typer.Exit(130 if isinstance(stopped, KeyboardInterrupt) else 143)
    finally:
        store.close()
        manifest.close()
    for message in report.messages:
        _err(message)
    _err(report.summary() + retired_count(retired))
    if report.errors + report.warnings:
        _err(f"Next: budget-extract review list --db {shown(store.arg)}   (the flags that need a decision)")
    if report.unread and reader_missing(backend, settings):
        _err("The sections not read need a model (the LLM reader): see docs/llm.md.")
    if report.model_down:
        _err("error: the model answered none of the requests sent to it: see the LLM part of the summary above")
    if unretired:
        _err(unretired)
    if report.failed or report.nothing_read or not files or (strict and report.errors) or report.model_down \
            or unretired:
        raise typer.Exit(1)


def reader_missing(backend: BackendChoice, settings) -> bool:
    return backend is BackendChoice.rules or not settings.configured


def _recorded_defaults(recordings: Optional[Path]) -> dict:
    """What the recordings were made with (model, endpoint kind, parameters), when they all agree.

    Replay answers only requests identical to recorded ones, so by default it asks them the same way.
    """
    import json

    from .llm.settings import _recordings_dir

    folder = _recordings_dir(recordings)
    if folder is None or not folder.is_dir():
        return {}
    from .load import shown

    made = set()
    for path in sorted(folder.glob("*.json")):
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            problem = None if isinstance(entry, dict) and isinstance(entry.get("request"), dict) \
                and isinstance(entry.get("response"), dict) else "not a recorded request and response"
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            problem = f"cannot be read as a recording ({exc})"
        if problem is not None:
            # A recording cut short (a --record run killed mid-write, a copy cut short) or another file: replay would
            # answer from it, so the folder is refused whole, naming the file.
            _err(f"error: --recordings: {shown(path)}: {problem}; remove it or record it again "
                 f"(--cache use --record)")
            raise typer.Exit(1)
        body = entry["request"]
        made.add((entry.get("model"), entry.get("endpoint_kind"), body.get("max_tokens"), body.get("temperature")))
    if len(made) != 1:
        return {}
    return dict(zip(("model", "endpoint_kind", "max_tokens", "temperature"), made.pop()))


class _progress:
    """A rich progress bar on a terminal for batches; nothing otherwise."""

    def __init__(self, total: int):
        self.total = total
        self.bar = None

    def __enter__(self):
        if self.total > 1 and sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            task = self.bar.add_task("extracting", total=self.total)
            return lambda: self.bar.advance(task)
        return lambda: None

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()


@app.command()
def export(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A folder written by `budget-extract run` (its "
                                                                "sub-folders included).")],
    what: Annotated[What, typer.Option("--what", help="What to export (jsonl, csv, parquet): a line per fact, per "
                                                      "flag, per figure the explanation states (claims: each "
                                                      "verified, flagged or unchecked), per performance-card "
                                                      "indicator (cards: targets as printed, comparators, text "
                                                      "targets, levels, goals), or per document (documents: each "
                                                      "read, or the error that kept it out).")] = What.facts,
    fmt: Annotated[FactFormat, typer.Option(
        "--format", "-f", help="jsonl or csv: a line per fact or flag. parquet: the facts in long format for "
                               "pandas, R or Stata (or the flags). xlsx: an Excel workbook with a sheet per table "
                               "kind, flagged cells coloured, plus cards and flags. sqlite or duckdb: a database with "
                               "the tables facts, claims, flags, decisions and documents (amounts as exact decimal text in "
                               "sqlite, with value_num a float to compare by; DECIMAL in duckdb). All but jsonl and csv need -o.")] = FactFormat.jsonl,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", metavar="FILE", help="File to write, replaced whole or not at all; its folders are made "
                                               "if missing (default, or -o -: standard output).")] = None,
    bom: Annotated[Optional[bool], typer.Option(
        "--bom/--no-bom", help="csv: begin with a UTF-8 byte-order mark, so Excel reads the Chinese as UTF-8 (read it "
                               "in Python with encoding='utf-8-sig'). Default: a file written with -o has one, "
                               "standard output has none.")] = None,
) -> None:
    """Write one line per extracted number (--what facts) or per verifier flag (--what flags).

    People's decisions from `review` are applied: each fact has a status (verified, flagged,
    accepted, corrected, rejected), corrected values replace the readings, and rejected
    values are withdrawn (empty value, the reading kept as original_value). Results are read one at a
    time, so memory stays flat however many there are. Text that a spreadsheet would run as a
    formula (starting with = + - @) is written as text in csv and xlsx.
    """
    from .export import ResultFileError, iter_results, output_file_problem, result_paths
    from .load.base import shown

    if not folder.is_dir():
        _err(f"error: {folder}: is a file; export takes the folder of results (e.g. {folder.parent})"
             if folder.is_file() else
             f"error: {folder}: not a folder of results (run `budget-extract run ... --out {folder}` first)")
        raise typer.Exit(1)
    if output is not None and str(output) == "-":
        # `-o -` means standard output, as no -o does (a file named "-" is never what is meant; ./- names one).
        if fmt not in (FactFormat.jsonl, FactFormat.csv):
            _err(f"error: --format {fmt.value} writes a file, not standard output: give it with -o, "
                 f"e.g. -o results.{fmt.value}")
            raise typer.Exit(2)
        output = None
    if fmt not in (FactFormat.jsonl, FactFormat.csv) and output is None:
        _err(f"error: --format {fmt.value} writes a file: give it with -o, e.g. -o results.{fmt.value}")
        raise typer.Exit(2)
    if output is not None and output.suffix.lower() == ".json" and _within(output, folder):
        _err(f"error: {shown(output)}: a .json file in the results folder {shown(folder)} would be taken for a result "
             f"by every later command; write it elsewhere, or name it .{fmt.value}")
        raise typer.Exit(1)
    if output is not None and (problem := output_file_problem(output, f"{what.value}.{fmt.value}")):
        _err(f"error: {shown(output)}: {problem}")
        raise typer.Exit(1)
    from .rerun import Manifest

    failed = Manifest.errors_of(folder)
    if not result_paths(folder) and not failed:
        _err(f"error: {folder}: holds no result files (*.json)")
        raise typer.Exit(1)
    if bom is not None and fmt is not FactFormat.csv:
        _err(f"note: --bom/--no-bom applies to csv only; the {fmt.value} output has no byte-order mark")
    whole = fmt in (FactFormat.xlsx, FactFormat.sqlite, FactFormat.duckdb)
    if whole and what is not What.facts:
        _err(f"note: --what applies to jsonl, csv and parquet; the {fmt.value} file holds everything: the facts, "
             f"the claims, the flags, the documents and the decisions")
    documents = 0

    def counted():
        nonlocal documents
        for result in iter_results(folder):
            documents += 1
            yield result

    try:
        _export(counted(), what, fmt, output, output is not None if bom is None else bom, failed)
    except ResultFileError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(1)
    except Exception as exc:  # noqa: BLE001 - sorted below: only a failure to write the output is ours to word
        why = _write_failure(exc) if output is not None else None
        if why is None:
            raise
        # Checked before the work; this is what changed under us since (the disk filled, the folder went …).
        _err(f"error: {shown(output)}: cannot be written: {why}")
        raise typer.Exit(1)
    if output is not None:
        missing = "" if not failed or not (whole or what is What.documents) else \
            f"; {len(failed)} file(s) whose last run failed listed among the documents, with the error"
        _err(f"{shown(output)}: {documents} document(s) exported ({fmt.value}"
             + (")" if whole else f", {what.value})") + missing)


def _write_failure(exc: Exception) -> str | None:
    """What went wrong writing an export file, worded for one line; None for an error that is not about that.

    The file system's own error, or the one SQLite or DuckDB raise for it (a full disk, a file that went away)."""
    import sqlite3

    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    engine = type(exc).__module__.split(".")[0]
    if isinstance(exc, sqlite3.Error) or engine in ("duckdb", "_duckdb"):
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if engine == "lxml" and str(exc).startswith("IO_"):  # openpyxl's sheet streams: "IO_ENOSPC", "IO_EFBIG"
        import errno
        import os

        code = getattr(errno, str(exc)[3:], None)
        return os.strerror(code) if code else str(exc)
    return None


def _within(path: Path, folder: Path) -> bool:
    try:
        return folder.resolve() in path.resolve().parents
    except (OSError, RuntimeError):
        return False


def _export(results, what: What, fmt: FactFormat, output: Optional[Path], bom: bool = False,
            failed: dict | None = None) -> None:
    """``failed``: the files whose last run failed (the run manifest's), listed among the documents."""
    from .export import EXPORT_KINDS, kind_rows, replacing, write_rows

    if fmt in (FactFormat.xlsx, FactFormat.sqlite):
        from .export_files import write_sqlite, write_xlsx

        (write_xlsx if fmt is FactFormat.xlsx else write_sqlite)(results, output, failed)
        return
    if fmt in (FactFormat.parquet, FactFormat.duckdb):
        from .export_tables import ExportError, write_duckdb, write_parquet

        try:
            if fmt is FactFormat.parquet:
                write_parquet(results, output, what.value, failed)
            else:
                write_duckdb(results, output, failed)
        except ExportError as exc:
            _err(f"error: {exc}")
            raise typer.Exit(1)
        return
    rows, fields = kind_rows(what.value, results, failed), EXPORT_KINDS[what.value].fields
    # A byte-order mark: Excel then reads the Chinese as UTF-8 instead of the locale's code page (csv only).
    mark = "\ufeff" if bom and fmt is FactFormat.csv else ""
    if output is None:
        sys.stdout.write(mark)
        write_rows(rows, fields, fmt.value, sys.stdout)
        return
    with replacing(output) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(mark)
        write_rows(rows, fields, fmt.value, fh)


@app.command()
def verify(
    files: Annotated[list[Path], typer.Argument(metavar="RESULT.json", help="Result files written by `run` "
                                                                            "(OUT/<name>.json), e.g. after an edit.")],
    source: Annotated[Optional[Path], typer.Option(
        "--source", metavar="FILE", help="The document the results were read from, when it has moved since `run`.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any error flag is open.")] = False,
) -> None:
    """Re-verify result files against their source documents and rewrite their flags in place."""
    import sqlite3

    from .export import is_pretty, result_json, results_folder, write_atomic
    from .load.base import shown
    from .reverify import ReverifyError, read_result, reverify_file
    from .review.store import DB_NAME, ReviewStore, StoreError

    failed = errors = 0
    for path in files:
        try:
            result = read_result(path)
        except ReverifyError as exc:
            _err(f"error: {exc}")
            failed += 1
            continue
        name = result.document.name
        # People's decisions stay in force when the store sits in the results folder (as `run` puts it).
        db_path = results_folder(path, name) / DB_NAME
        try:
            store = ReviewStore(db_path) if db_path.exists() else None
        except StoreError as exc:
            _err(f"error: {exc}")
            failed += 1
            continue
        try:
            with store.transaction() if store else nullcontext():
                result = reverify_file(path, source or _recorded_source(store, result),
                                       store.decisions(name) if store else None, result)
                write_atomic(path, result_json(result, is_pretty(path)))
                if store:
                    store.sync(result, path)
        except ReverifyError as exc:
            _err(f"error: {exc}")
            failed += 1
            continue
        except OSError as exc:  # the result's folder is read-only, the disk is full …: this file stays as it was
            _err(f"error: {shown(path)}: cannot be rewritten: {exc.strerror or exc}")
            failed += 1
            continue
        except sqlite3.Error as exc:  # the store is locked by a long review, or read-only
            _err(f"error: {shown(path)}: its review store {shown(db_path)} cannot be updated ({exc}); run verify "
                 f"again when it can")
            failed += 1
            continue
        finally:
            if store:
                store.close()
        open_flags = [f for f in result.flags if f.status in ("open", "stale")]
        n_err = sum(1 for f in open_flags if f.severity == "error")
        errors += n_err
        _err(f"{path}: {len(open_flags)} open flag(s) ({n_err} error(s), {len(open_flags) - n_err} warning(s))")
    if failed or (strict and errors):
        raise typer.Exit(1)


def _recorded_source(store, result) -> Path | None:
    """Where the store recorded the document (resolved when `run` read it), when the path in the result does not
    lead there from here: `run` was given a relative path in another folder."""
    if store is None or Path(result.document.path).exists():
        return None
    row = store.document(result.document.name)
    return row.source if row is not None and row.sha256 == result.document.sha256 else None


@app.command()
def report(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A folder written by `budget-extract run` (its "
                                                                "sub-folders included).")],
    output: Annotated[Path, typer.Option("-o", "--output", metavar="DIR", help="The folder to write the report into "
                                                                               "(DIR/index.html and a page per "
                                                                               "document).")],
    db: Annotated[Optional[Path], typer.Option(
        "--db", metavar="FILE|DIR", help="Review store (or the folder holding it) that knows where the sources are "
                     "[default: FOLDER/review.sqlite if present].")] = None,
) -> None:
    """Write an HTML report: an index page for the batch, and per document a page with its flags, tables and
    cards beside the source text, every value highlighted. Opens offline in any browser."""
    from .export import ResultFileError, parent_problem
    from .load.base import shown
    from .report import ReportError, write_report

    if problem := parent_problem(output):
        _err(f"error: {shown(output)}: {problem}")
        raise typer.Exit(1)
    try:
        written = write_report(folder, output, db)
    except (ReportError, ResultFileError) as exc:
        _err(f"error: {exc}")
        raise typer.Exit(1)
    except OSError as exc:  # checked before; what changed under us since
        _err(f"error: {shown(output)}: cannot be written: {exc.strerror or exc}")
        raise typer.Exit(1)
    _err(f"{written.index}: {written.pages - 1} document page(s), {written.total / 1e6:.1f} MB in all, "
         f"the largest {written.largest / 1e6:.1f} MB")


from .review.cli import app as review_app  # noqa: E402 - after the commands it sits beside in --help
from .review.hints import app as hints_app  # noqa: E402

app.add_typer(review_app, name="review")
app.add_typer(hints_app, name="hints")


@app.command()
def schema() -> None:
    """Print the JSON Schema of a result file (what `run` writes)."""
    import json

    from schemas import ExtractionResult

    typer.echo(json.dumps(ExtractionResult.model_json_schema(mode="serialization"), ensure_ascii=False, indent=1))


def main() -> None:  # console-script entry point
    app()

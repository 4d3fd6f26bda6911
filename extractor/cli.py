"""The `budget-extract` command line: a thin shell over the pipeline and export functions.

Heavy imports (pydantic models, rich's progress bar) happen inside the commands
so that `budget-extract --help` starts fast.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

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


class What(str, Enum):
    facts = "facts"
    flags = "flags"


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _expand(paths: list[Path]) -> list[Path]:
    from .load import SUPPORTED_SUFFIXES

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            if not found:
                _err(f"{path}: folder holds no .txt or .md files")
            files.extend(found)
        else:
            files.append(path)
    return files


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="Disclosure files (.txt/.md) or folders of them.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the results: one <name>.json per document.")],
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any error flag is open.")] = False,
) -> None:
    """Extract every table and performance card of each document into OUT/<name>.json, verified.

    Every number is checked against the source text and the sums the document
    promises; what fails is stored as flags in the result (see `export --what flags`).
    Bad files get a one-line error and a non-zero exit; the rest of the batch is still processed.
    """
    from .export import write_atomic
    from .load import LoadError
    from .pipeline import run_file

    files = _expand(paths)
    failed, done = 0, _Tally()
    seen: dict[str, Path] = {}
    with _progress(len(files)) as advance:
        for path in files:
            try:
                result = run_file(path)
            except LoadError as exc:
                _err(f"error: {exc}")
                failed += 1
                advance()
                continue
            name = result.document.name
            if name in seen and seen[name].resolve() != path.resolve():
                _err(f"error: {path}: same name as {seen[name]}; its result would overwrite that one — skipped")
                failed += 1
                advance()
                continue
            seen[name] = path
            write_atomic(out / f"{name}.json", result.model_dump_json(indent=1))
            done.add(result)
            advance()
    _summary(done, failed)
    if failed or not files or (strict and done.errors):
        raise typer.Exit(1)


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


class _Tally:
    """Counts for the summary line, kept as numbers so a long batch holds no results in memory."""

    def __init__(self):
        self.documents = self.tables = self.cards = self.facts = self.unread = 0
        self.errors = self.warnings = 0

    def add(self, result) -> None:
        from .export import result_facts

        self.documents += 1
        self.tables += len(result.tables)
        self.cards += len(result.cards)
        self.unread += len(result.unread)
        self.facts += sum(1 for _ in result_facts(result))
        self.errors += sum(1 for f in result.flags if f.severity == "error" and f.status == "open")
        self.warnings += sum(1 for f in result.flags if f.severity == "warning" and f.status == "open")


def _summary(t: _Tally, failed: int) -> None:
    line = f"{t.documents} document(s): {t.tables} tables, {t.cards} cards, {t.facts} amounts"
    line += f"; {t.errors + t.warnings} open flag(s) ({t.errors} error(s), {t.warnings} warning(s))"
    if t.unread:
        line += f"; {t.unread} section(s) the rules reader could not read (need the LLM reader)"
    if failed:
        line += f"; {failed} file(s) failed"
    _err(line)


@app.command()
def export(
    folder: Annotated[Path, typer.Argument(help="A folder written by `budget-extract run`.")],
    what: Annotated[What, typer.Option("--what", help="What to export.")] = What.facts,
    fmt: Annotated[FactFormat, typer.Option("--format", "-f", help="Output format.")] = FactFormat.jsonl,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="File to write (default: standard output).")] = None,
) -> None:
    """Write one line per extracted number (--what facts) or per verifier flag (--what flags)."""
    from pydantic import ValidationError

    from .export import FACT_FIELDS, FLAG_FIELDS, load_results, render, result_facts, result_flags, write_atomic

    if not folder.is_dir():
        _err(f"error: {folder}: not a folder of results (run `budget-extract run ... --out {folder}` first)")
        raise typer.Exit(1)
    try:
        results = load_results(folder)
    except ValidationError as exc:
        _err(f"error: {folder}: a result file does not match the schema: {exc.errors()[0]['msg']}")
        raise typer.Exit(1)
    if not results:
        _err(f"error: {folder}: holds no result files (*.json)")
        raise typer.Exit(1)
    if what is What.flags:
        text = render((f for r in results for f in result_flags(r)), FLAG_FIELDS, fmt.value)
    else:
        text = render((f for r in results for f in result_facts(r)), FACT_FIELDS, fmt.value)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


@app.command()
def verify(
    files: Annotated[list[Path], typer.Argument(help="Result files written by `run` (<name>.json), e.g. after an edit.")],
    source: Annotated[Optional[Path], typer.Option("--source", help="The document's text, when it has moved since `run`.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any error flag is open.")] = False,
) -> None:
    """Re-verify result files against their source documents and rewrite their flags in place."""
    from .export import write_atomic
    from .reverify import ReverifyError, reverify_file

    failed = errors = 0
    for path in files:
        try:
            result = reverify_file(path, source)
        except ReverifyError as exc:
            _err(f"error: {exc}")
            failed += 1
            continue
        write_atomic(path, result.model_dump_json(indent=1))
        open_flags = [f for f in result.flags if f.status == "open"]
        n_err = sum(1 for f in open_flags if f.severity == "error")
        errors += n_err
        _err(f"{path}: {len(open_flags)} open flag(s) ({n_err} error(s), {len(open_flags) - n_err} warning(s))")
    if failed or (strict and errors):
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a result file (what `run` writes)."""
    import json

    from schemas import ExtractionResult

    typer.echo(json.dumps(ExtractionResult.model_json_schema(mode="serialization"), ensure_ascii=False, indent=1))


def main() -> None:  # console-script entry point
    app()

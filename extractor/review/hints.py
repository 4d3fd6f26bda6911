"""`budget-extract hints …`: the layout hints people taught, as a small reviewable file to share.

A hint is kept when a person moves a misread column down a whole table
(`review move … --all-rows`); `run` offers it to the reader for every table
printed under the same header. Export them from one store and import them into
another (a colleague's, or CI's) to teach a template once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import EXIT_PROBLEM, EXIT_USAGE

FORMAT = "budget-extract layout hints"
VERSION = 1

app = typer.Typer(
    help="Layout hints: people's column decisions for a table's header, offered to the reader for every table "
         "printed under that header. List them, export them to a file, import a file.",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False,
)

DbOption = Annotated[Optional[Path], typer.Option(
    "--db", help="The review store, or the results folder holding it (DIR/review.sqlite) "
                 "[env: BUDGET_EXTRACT_DB; default: ./review.sqlite].")]


def _fail(message: str, code: int):
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _store(db: Optional[Path], create: bool = False):
    from .store import DB_NAME, ReviewStore, StoreError, resolve_db

    path = resolve_db(db)
    if create and not path.exists() and not path.suffix:
        path = path / DB_NAME  # a results folder to be: its store, where `run --out` will find it
    try:
        return ReviewStore(path, create=create)
    except StoreError as exc:
        _fail(str(exc), EXIT_PROBLEM)


def hints_document(hints) -> dict:
    return {"format": FORMAT, "version": VERSION,
            "hints": [h.model_dump(mode="json", exclude_none=True) for h in hints]}


def read_hints_file(path: Path) -> list:
    """The hints of a file written by `hints export` (each checked), or an error naming what is wrong."""
    from pydantic import ValidationError

    from schemas import LayoutHint

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a hints file ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("hints"), list):
        raise ValueError(f"{path}: not a hints file (written by `budget-extract hints export`)")
    if data.get("version", 0) > VERSION:
        raise ValueError(f"{path}: written by a newer budget-extract (hints format {data['version']})")
    hints = []
    for n, item in enumerate(data["hints"], 1):
        try:
            hint = LayoutHint.model_validate(item)
        except ValidationError as exc:
            raise ValueError(f"{path}: hint {n}: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}") from None
        problem = _unknown_columns(hint)
        if problem:
            raise ValueError(f"{path}: hint {n}: {problem}")
        # The id is made from the rest: a hand-edited hint gets the id of what it now says.
        hints.append(LayoutHint.make(hint.kind, hint.header, hint.moves, hint.origin))
    return hints


def _unknown_columns(hint) -> str | None:
    """A hint names a table kind and columns of it: registry keys, or header paths (not ASCII) for the rest."""
    from schemas import TABLE_KINDS, is_extra_column, spec_for

    if hint.kind not in TABLE_KINDS or spec_for(hint.kind).card:
        return f"{hint.kind!r} is not a table kind (see docs/columns.md)"
    spec = spec_for(hint.kind)
    for move in hint.moves:
        for key in (move.read_as, move.printed_under):
            if not spec.has_column(key) and not is_extra_column(key):
                return f"{key!r} is not a column of {hint.kind} (see docs/columns.md)"
    if not hint.moves:
        return "no moves"
    return None


@app.command("list")
def list_(db: DbOption = None,
          as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False) -> None:
    """The hints in the store: table kind, header, the columns moved, and who taught them."""
    store = _store(db)
    hints = store.hints()
    if as_json:
        typer.echo(json.dumps(hints_document(hints)["hints"], ensure_ascii=False, indent=1))
        return
    for h in hints:
        who = ""
        if h.origin:
            who = f" — taught on {h.origin.document}" + (f" by {h.origin.reviewer}" if h.origin.reviewer else "") \
                  + (f" (decision #{h.origin.decision})" if h.origin.decision else "")
        typer.echo(f"{h.id}  {h.kind}  {h.describe()}{who}\n    header: {h.header}")
    typer.echo(f"{len(hints)} hint(s).")


@app.command("export")
def export(
    db: DbOption = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to this file (default: print).")] =
    None,
) -> None:
    """Write the hints to a small JSON file people can read, review and share."""
    from ..export import write_atomic

    store = _store(db)
    folder = Path(store.path).parent
    if output is not None and output.suffix.lower() == ".json" and _within(output, folder) and _holds_results(folder):
        _fail(f"{output}: a .json file in the results folder {folder} would be taken for a result by every later "
              f"command (export, report, review sync); write it elsewhere, e.g. -o {output.name}", EXIT_USAGE)
    text = json.dumps(hints_document(store.hints()), ensure_ascii=False, indent=1) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    write_atomic(output, text)
    typer.echo(f"{len(store.hints())} hint(s) written to {output}", err=True)


def _holds_results(folder: Path) -> bool:
    from ..export import result_paths

    return bool(result_paths(folder))


def _within(path: Path, folder: Path) -> bool:
    try:
        return folder.resolve() in path.resolve().parents
    except (OSError, RuntimeError):
        return False


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A file written by `hints export`.")],
    db: DbOption = None,
) -> None:
    """Add the hints of a file to the store (a move of the same column under the same header is replaced)."""
    try:
        hints = read_hints_file(file)
    except ValueError as exc:
        _fail(str(exc), EXIT_USAGE)
    store = _store(db, create=True)
    with store.transaction():
        for hint in hints:
            store.add_hint(hint)
    typer.echo(f"{len(hints)} hint(s) imported into {store.path}. `budget-extract run` offers them to the reader when "
               f"it uses this store: {_run_with(store.path)}.")


def _run_with(path: Path) -> str:
    """How `run` finds a store: the one in its --out folder, or the one --db names."""
    from .store import DB_NAME

    if path.name == DB_NAME:
        return f"`run … --out {path.parent}` (its results folder), or `run … --out DIR --db {path}`"
    return f"`run … --out DIR --db {path}`"


@app.command()
def remove(
    hint_id: Annotated[str, typer.Argument(metavar="ID", help="A hint id from `hints list`.")],
    db: DbOption = None,
) -> None:
    """Take a hint out of the store (the decision that taught it stays in the trail)."""
    store = _store(db)
    found = [h for h in store.hints() if h.id == hint_id or h.id.startswith(hint_id)]
    if len(found) != 1:
        _fail(f"{hint_id}: {'no such hint' if not found else f'matches {len(found)} hints'}; "
              f"`budget-extract hints list` shows them", EXIT_USAGE)
    with store.transaction():
        store.remove_hint(found[0])
    typer.echo(f"{found[0].id} removed.")

"""`budget-extract review …`: work through the flags the verifier could not settle.

Exit codes: 0 done; 1 a file or the store cannot be used as it is; 2 the
request does not fit the flag (unknown field, bad value); 3 no such flag.
With --json every command prints one JSON document on standard output.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import EXIT_PROBLEM, EXIT_USAGE, ReviewError

app = typer.Typer(
    help="The review queue: list the flags, look at one with its source, and accept, fix, reject or move it. "
         "Decisions are kept in the store and re-applied by every later `run`.",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False,
)

NEEDS_REVIEW = ("open", "stale")


class SeverityFilter(str, Enum):
    error = "error"
    warning = "warning"


class StatusFilter(str, Enum):
    needs_review = "needs-review"
    open = "open"
    stale = "stale"
    accepted = "accepted"
    corrected = "corrected"
    rejected = "rejected"
    decided = "decided"
    all = "all"


_STATUSES = {
    "needs-review": NEEDS_REVIEW, "decided": ("accepted", "corrected", "rejected"), "all": (),
}

DbOption = Annotated[Optional[Path], typer.Option(
    "--db", help="The review store, or the results folder holding it (DIR/review.sqlite) "
                 "[env: BUDGET_EXTRACT_DB; default: ./review.sqlite].")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of text.")]
DocOption = Annotated[Optional[str], typer.Option("--document", "-d", metavar="NAME", help="Only this document: its name as `run` "
                                                                           "gave it (the file name without extension; "
                                                                           "a/预算 for a sub-folder's, 预算.docx when "
                                                                           "two files share a name).")]
ReviewerOption = Annotated[Optional[str], typer.Option(
    "--reviewer", help="Who decides, recorded with the decision [env: BUDGET_EXTRACT_REVIEWER].")]
NoteOption = Annotated[Optional[str], typer.Option("--note", help="Why, recorded with the decision.")]
IdArgument = Annotated[str, typer.Argument(metavar="ID", help="A flag id from `review list` (a unique prefix will do).")]


def _open_store(db: Optional[Path]):
    from .service import heal
    from .store import DB_NAME, ReviewStore, StoreError, resolve_db

    path = resolve_db(db)
    try:
        store = ReviewStore(path)
    except StoreError as exc:
        nearby = sorted(str(p.parent.relative_to(Path.cwd())) for p in Path.cwd().glob(f"*/{DB_NAME}"))
        hint = f"; did you mean --db {nearby[0]}?" if len(nearby) == 1 else \
            (f"; stores here: {', '.join(nearby)}" if nearby else "")
        _fail(f"{exc}{hint}", EXIT_PROBLEM)
    problems: list[str] = []
    heal(store, [path.parent], problems)
    for problem in problems:
        typer.echo(f"warning: {problem}", err=True)
    return store


def _fail(message: str, code: int, as_json: bool = False):
    if as_json:
        typer.echo(json.dumps({"error": message, "exit_code": code}, ensure_ascii=False))
    else:
        typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _console():
    from rich.console import Console

    # markup off: paths like performance_target[s24-…] are data, not rich tags.
    console = Console(highlight=False, soft_wrap=False, markup=False)
    if not console.is_terminal:  # a pipe or a file: wide enough that ids and values are never cut
        console.width = max(console.width, 160)
    return console


def _reviewer(name: Optional[str]) -> Optional[str]:
    return name or os.environ.get("BUDGET_EXTRACT_REVIEWER") or None


@app.command("list")
def list_(
    db: DbOption = None,
    document: DocOption = None,
    check: Annotated[Optional[str], typer.Option("--check", help="Only this check, e.g. card.cost.")] = None,
    severity: Annotated[Optional[SeverityFilter], typer.Option("--severity", help="error or warning.")] = None,
    status: Annotated[StatusFilter, typer.Option(
        "--status", help="needs-review (open or stale, the default), open, stale, accepted, corrected, rejected, "
                         "decided, or all.")] = StatusFilter.needs_review,
    as_json: JsonOption = False,
) -> None:
    """List flags (by default the ones that need a decision), one line each."""
    from .render import flag_json

    store = _open_store(db)
    _check_filters(store, document, check, as_json)
    statuses = _STATUSES.get(status.value, (status.value,))
    queue = store.queue(document=document, check=check, severity=severity.value if severity else None,
                        statuses=statuses)
    if as_json:
        typer.echo(json.dumps([flag_json(q.document, q.flag) for q in queue], ensure_ascii=False, indent=1))
        return
    _print_queue(queue, store, status.value, filtered=bool(document or check or severity))


def _check_filters(store, document: Optional[str], check: Optional[str], as_json: bool) -> None:
    """A mistyped filter is an error, not an empty queue that looks like "all done"."""
    from verify.checks import CHECKS

    if check and check not in CHECKS:
        _fail(f"--check {check!r}: no such check; the checks are {', '.join(CHECKS)}", EXIT_USAGE, as_json)
    names = [d.name for d in store.documents()]
    if document and document not in names:
        close = [n for n in names if n.startswith(document)]
        hint = f"did you mean {close[0]}?" if len(close) == 1 else f"the documents are {', '.join(names[:12])}" + \
            (" …" if len(names) > 12 else "")
        _fail(f"--document {document!r}: not in this store; {hint}", EXIT_USAGE, as_json)


def _print_queue(queue, store, status: str, filtered: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console()
    if queue:
        # On a terminal one line per flag (`show` has the whole text); in a pipe, the whole message.
        cut = console.is_terminal
        table = Table(show_lines=False, pad_edge=False, box=None, header_style="bold")
        table.add_column("id", no_wrap=True, min_width=13)
        table.add_column("document", no_wrap=cut, overflow="ellipsis" if cut else "fold", max_width=24)
        table.add_column("check", no_wrap=True)
        table.add_column("severity", no_wrap=True)
        table.add_column("status", no_wrap=True)
        table.add_column("problem", no_wrap=cut, overflow="ellipsis" if cut else "fold", min_width=30, ratio=1)
        for q in queue:
            f = q.flag
            style = "red" if f.severity == "error" else "yellow"
            table.add_row(f.id, q.document, f.check, Text(f.severity, style=style), f.status, f.message)
        console.print(table)
    everything = store.queue()
    waiting = sum(1 for q in everything if q.flag.status in NEEDS_REVIEW)
    decided = len(everything) - waiting
    shown = f"{len(queue)} shown" + (" (filtered)" if filtered or status != "needs-review" else "")
    console.print(f"{shown}; {waiting} need review and {decided} decided, across "
                  f"{len(store.documents())} document(s).")
    if queue and status == "needs-review":
        console.print(f"Next: budget-extract review show {queue[0].id} --db {store.arg}   "
                      f"(or go through them all: budget-extract review next --db {store.arg})")


@app.command()
def show(
    flag_id: IdArgument,
    db: DbOption = None,
    document: DocOption = None,
    context: Annotated[int, typer.Option("--context", "-C", min=0, help="Lines of source around each value.")] = 2,
    as_json: JsonOption = False,
    hints: Annotated[bool, typer.Option(hidden=True)] = True,
) -> None:
    """Show a flag: what is wrong, the values involved, and the source lines they were read from."""
    from .render import excerpts, flag_json
    from .service import find_one

    store = _open_store(db)
    try:
        queued = find_one(store, flag_id, document)
    except ReviewError as exc:
        _fail(str(exc), exc.code, as_json)
    doc = store.document(queued.document)
    text, problem = _source(doc, queued.document)
    flag = queued.flag
    spans = [tuple(s) for s in flag.spans]
    history = [d for d in store.decisions(queued.document) if d.subject == flag.subject]
    parts = excerpts(text, spans, context) if text else []
    result = _result(doc)
    views = _row_views(result, text, flag)
    if as_json:
        data = flag_json(queued.document, flag)
        data.update(source=str(doc.source), source_problem=problem, excerpts=[e.as_json() for e in parts],
                    history=[d.model_dump(mode="json") for d in history], rows=[v.as_json() for v in views])
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    _print_flag(queued.document, flag, doc, parts, problem, history, store, _statuses(result), hints, views)


def _result(doc):
    from .service import ReviewError, load_result

    try:
        return load_result(doc.result)
    except ReviewError:
        return None


def _row_views(result, text, flag) -> list:
    """For a misreading suspicion: its rows as printed beside as read."""
    from .rows import is_suspect, row_views

    if result is None or not text or not is_suspect(flag):
        return []
    return row_views(result, text, flag)


def _statuses(result) -> dict:
    """Each value's status in the document's result file (corrected, withdrawn …), for showing a flag."""
    from ..export import value_statuses

    return value_statuses(result) if result is not None else {}


def _source(doc, result_name: str):
    """The document's text for `show`, or why there is none (the flag is still shown)."""
    from ..reverify import ReverifyError, read_result, read_source, text_copy

    try:
        copy = None
        try:
            copy = text_copy(read_result(doc.result), doc.result.parent)
        except ReverifyError:
            pass  # the source is still shown; the result's own problem is reported elsewhere
        return read_source(doc.source, doc.sha256, result_name, copy), None
    except ReverifyError as exc:
        return None, str(exc)


def _print_flag(document: str, flag, doc, parts, problem, history, store, statuses, hints: bool = True,
                views=()) -> None:
    from rich.text import Text

    from .apply import is_explanation_figure
    from .render import check_description, status_help

    console = _console()
    zh, en = check_description(flag.check)
    colour = "red" if flag.severity == "error" else "yellow"
    console.print(Text.assemble((f"{flag.id}", "bold"), "  ", (flag.severity.upper(), f"bold {colour}"), "  ",
                                f"{document}  ·  {flag.status} ({status_help(flag)})"))
    console.print(Text.assemble(("Check     ", "dim"), f"{flag.check} — {en}"))
    if zh:
        console.print(Text.assemble(("          ", "dim"), zh))
    console.print(Text.assemble(("Problem   ", "dim"), flag.message))
    console.print(Text.assemble(("          ", "dim"), flag.message_en))
    if flag.expected is not None or flag.found is not None:
        console.print(Text.assemble(("Expected  ", "dim"), str(flag.expected), ("    found  ", "dim"), str(flag.found)))
    if flag.decision is not None:
        d = flag.decision
        what = {"fix": f"corrected {d.field}: read as {d.before}, the document prints {d.after}",
                "reject": f"withdrew {d.field} (read as {d.before})",
                "move": f"moved {d.field}: read as {d.before}, the document prints it under {d.after}",
                "accept": "accepted", "reopen": "reopened"}[d.action]
        who = f" by {d.reviewer}" if d.reviewer else ""
        console.print(Text.assemble(("Decision  ", "dim"), f"#{d.seq} {what}{who} at {d.time}"
                                    + (f" — {d.note}" if d.note else "")))
        if d.stale:
            console.print(Text.assemble(("          ", "dim"), (f"stale: {d.stale_reason}", "bold yellow")))
    if flag.fields:
        console.print(Text("Values (give one to fix/reject with --field NUMBER or KEY)", style="dim"))
        for i, ref in enumerate(flag.fields, 1):
            span = f"chars {ref.span[0]}–{ref.span[1]}" if ref.span else "no span"
            text_only = ("  (explanation text: not correctable)", "dim") if is_explanation_figure(ref.path) else ""
            console.print(Text.assemble(f"  {i}. ", _value_now(ref, statuses.get(ref.path)), f"  {ref.label}  ",
                                        (f"[{ref.path}]  {span}", "dim"), text_only))
    for view in views:
        _print_row_view(console, view)
    console.print(Text(f"Source    {doc.source}", style="dim"))
    if problem:
        console.print(Text(f"  ({problem})", style="yellow"))
    for excerpt in parts:
        _print_excerpt(console, excerpt)
    if len(history) > 1 or (history and flag.decision is None):
        console.print(Text("History", style="dim"))
        for d in history:
            console.print(f"  #{d.seq} {d.time} {d.action}" + (f" {d.field}" if d.field else "")
                          + (f" {d.before} → {d.after}" if d.action == "fix" else "")
                          + (f" by {d.reviewer}" if d.reviewer else "") + (f" — {d.note}" if d.note else ""))
    if hints:
        console.print(Text("Decide    ", style="dim") + Text("\n          ".join(_hints(flag, store, views))))


def _print_row_view(console, view) -> None:
    """The row as printed beside the row as read, one line per column, so a shift shows at a glance."""
    from rich.table import Table
    from rich.text import Text

    why = (f"line {view.line} prints {view.cells} cell(s) for {len(view.columns)} column(s): empty cells were "
           f"dropped, so the figures slid left" if view.dropped else f"line {view.line}")
    console.print(Text.assemble(("Row       ", "dim"), f"{view.table} {view.row} — as printed beside as read ({why})"))
    grid = Table(box=None, pad_edge=False, header_style="bold", padding=(0, 2, 0, 0))
    grid.add_column("          column")
    grid.add_column("printed")
    grid.add_column("read")
    alternatives = view.alternatives
    for n in range(alternatives):
        grid.add_column("or (verifies as well)" if alternatives == 1 else f"or {n + 1}")
    if view.decided:
        grid.add_column("now (decided)")
    for col in view.columns:
        mark = "  " if col.printed == col.read or not (col.printed or col.read) else "≠ "
        cells = [f"        {mark}{col.label}", col.printed or "·", col.read or "·"]
        cells += [(col.others[n] if n < len(col.others) else "") or "·" for n in range(alternatives)]
        if view.decided:
            cells.append((col.now or "·") + ("  ←" if col.now != col.read else ""))
        grid.add_row(*cells)
    console.print(grid)
    console.print(Text("          · = nothing there; ≠ = the reading differs from the printed position", style="dim"))


def _value_now(ref, status) -> tuple[str, str] | str:
    """A value as the flag involves it, with what a person decided about it."""
    from rich.text import Text

    printed = (status.original.value if status and status.original else None) or ref.value or "—"
    seq = f" #{status.decision.seq}" if status and status.decision else ""
    d = status.decision if status is not None else None
    if status is not None and status.status == "flagged" and status.original is not None and d is not None:
        # A person's correction that still fails a check: shown as corrected, and still flagged.
        if d.action == "move":
            return Text.assemble((str(printed), "bold"), f" (moved from {d.before}{seq}; still fails)")
        return Text.assemble((str(printed), "strike"), " → ", (str(d.after or ""), "bold"),
                             f" (corrected{seq}; still fails)")
    if status is None or status.status in ("flagged", "verified"):
        return Text(str(printed), style="bold")
    if status.status == "corrected":
        return Text.assemble((str(printed), "strike"), " → ", (str(status.decision.after if status.decision else ""),
                                                              "bold"), f" (corrected{seq})")
    if status.status == "rejected":
        return Text.assemble((str(printed), "strike"), f" (withdrawn{seq})")
    return Text.assemble((str(printed), "bold"), f" ({status.status}{seq})")


def _hints(flag, store, views=()) -> list[str]:
    from .apply import is_explanation_figure
    from .render import accept_meaning

    db = f" --db {store.arg}"
    if flag.status in ("accepted", "corrected", "rejected"):
        return [f"budget-extract review reopen {flag.id}{db}   (undo the decision: it needs review again)"]
    hints = [f"budget-extract review accept {flag.id}{db}   ({accept_meaning(flag.check, bool(flag.fields))})"]
    correctable = [i for i, ref in enumerate(flag.fields, 1) if not is_explanation_figure(ref.path)]
    if correctable:
        field = f" --field {correctable[0]}" if len(flag.fields) > 1 and len(correctable) == 1 else (
            " --field N" if len(flag.fields) > 1 else "")
        hints += [f"budget-extract review fix {flag.id}{field} --value V{db}   (a value was misread: "
                  f"V is what the document prints)",
                  f"budget-extract review reject {flag.id}{field}{db}   (wrong, with no correction: withdraw it)"]
    elif flag.fields:
        hints.append("(its figures are the explanation text's, read as printed: a misread table value is "
                     "fixed in the table's own flag)")
    if views:
        field = " --field N" if len(flag.fields) > 1 else ""
        hints.append(f"budget-extract review move {flag.id}{field} --to-column COLUMN [--all-rows]{db}   (read in "
                     f"the wrong column: COLUMN is the one the document prints it under; --all-rows: the same "
                     f"down the table)")
    elif flag.check == "completeness.unread":
        hints.append("or configure a model and run again: the LLM reader fills unread sections (see docs/llm.md)")
    return hints


def _print_excerpt(console, excerpt) -> None:
    from rich.text import Text

    width = len(str(excerpt.lines[-1].number))
    for line in excerpt.lines:
        prefix = f"  {line.number:>{width}} │ "
        shown, marks = _expand_tabs(line.text, line.marks)
        body = Text(shown)
        for s, e in marks:
            body.stylize("bold black on yellow", s, e)
        console.print(Text(prefix, style="dim") + body, soft_wrap=True)
        if marks and not console.is_terminal:
            # Without colours the marked characters still show: a caret line under them.
            console.print(" " * len(prefix) + _carets(shown, marks), soft_wrap=True)
    if excerpt.more:
        console.print(Text(f"  … {excerpt.more} more line(s), to line {excerpt.last}", style="dim"))
    console.print()


def _expand_tabs(text: str, marks: list[tuple[int, int]], stop: int = 8) -> tuple[str, list[tuple[int, int]]]:
    """Tabs to spaces at display-column tab stops (Chinese characters are two columns wide); marks follow."""
    from rich.cells import cell_len

    out, at, column = [], [], 0
    for ch in text:
        at.append(len("".join(out)))
        if ch == "\t":
            pad = stop - column % stop
            out.append(" " * pad)
            column += pad
        else:
            out.append(ch)
            column += cell_len(ch)
    at.append(len("".join(out)))
    return "".join(out), [(at[s], at[e]) for s, e in marks]


def _carets(shown: str, marks: list[tuple[int, int]]) -> str:
    from rich.cells import cell_len

    line, pos = [], 0
    for s, e in marks:
        s = max(s, pos)
        line.append(" " * cell_len(shown[pos:s]) + "^" * cell_len(shown[s:e]))
        pos = max(pos, e)
    return "".join(line)


def _decide(flag_id: str, action: str, db, as_json: bool, dry_run: bool = False, **kw) -> None:
    from .service import decide

    store = _open_store(db)
    if dry_run:
        _preview(store, flag_id, action, as_json, **kw)
        return
    try:
        outcome = decide(store, flag_id, action, **kw)
    except ReviewError as exc:
        _fail(str(exc), exc.code, as_json)
    if as_json:
        typer.echo(json.dumps({
            "document": outcome.document, "flag": outcome.flag_id, "status": outcome.status,
            "unchanged": outcome.unchanged, "decisions": [d.model_dump(mode="json") for d in outcome.decisions],
            "closed": [{"id": f.id, "check": f.check, "status": f.status} for f in outcome.closed],
            "decided_alike": [{"id": f.id, "check": f.check, "status": f.status} for f in outcome.twins],
            "opened": [{"id": f.id, "check": f.check, "message": f.message, **_stale_json(f)} for f in outcome.opened],
        }, ensure_ascii=False, indent=1))
        return
    _print_outcome(outcome)


def _preview(store, flag_id: str, action: str, as_json: bool, reviewer=None, note=None, **kw) -> None:
    """--dry-run on one flag: what would be recorded, checked as a decision is; nothing written."""
    from .render import accept_meaning
    from .service import preview

    try:
        p = preview(store, flag_id, action, **kw)
    except ReviewError as exc:
        _fail(str(exc), exc.code, as_json)
    if as_json:
        typer.echo(json.dumps({
            "dry_run": True, "document": p.document, "flag": p.flag.id, "action": action, "status": p.flag.status,
            "would_record": [{"field": f, "before": was, "after": after} for f, was, after in p.plan],
            "decided_alike": [{"id": t.id, "check": t.check, "status": t.status} for t in p.twins],
        }, ensure_ascii=False, indent=1))
        return
    console = _console()
    if not p.plan:
        console.print(f"{p.flag.id}: already {p.flag.status}; nothing would be recorded.")
        return
    for field, was, after in p.plan:
        what = {"accept": f"accept — {accept_meaning(p.flag.check, bool(p.flag.fields))}",
                "reopen": "reopen (its decisions stay in the trail)",
                "reject": f"withdraw {field} (read as {was}) from exports",
                "fix": f"correct {field}: read as {was}, the document prints {after}"}[action]
        console.print(f"Would {what}.")
    if p.twins:
        console.print(f"And the same on {len(p.twins)} flag(s) asking the same question: "
                      f"{', '.join(t.id for t in p.twins)}.")
    console.print("Dry run: nothing recorded. Run it without --dry-run to record it.")


def _print_outcome(outcome) -> None:
    from .render import accept_meaning

    console = _console()
    if outcome.unchanged:
        console.print(f"{outcome.flag_id}: already {outcome.status}; nothing recorded.")
        return
    for d in outcome.decisions:
        what = {"accept": f"accepted — {accept_meaning(d.check, bool(d.values))}", "reopen": "reopened",
                "reject": f"withdrew {d.field} (read as {d.before}) from exports",
                "fix": f"corrected {d.field}: read as {d.before}, the document prints {d.after}"}[d.action]
        console.print(f"{d.flag_id}: {what} (decision #{d.seq}).")
    first = outcome.decisions[0]
    kept = [p for p in first.values if p not in {d.field for d in outcome.decisions if d.flag_id == first.flag_id}]
    if first.action == "reject" and kept:
        console.print(f"The flag is settled as rejected. Its other {len(kept)} value(s) stand as read (status "
                      f"accepted); if one of those is the wrong one, `review reopen {outcome.flag_id}` and choose it.")
    elif outcome.status is None or outcome.status == "corrected":
        console.print("The flag is closed: with the correction the check passes.")
    elif outcome.status == "open" and outcome.decisions[0].action == "fix":
        console.print("The flag is still open: with the correction the check still fails; look at its other values.")
    else:
        console.print(f"The flag is now {outcome.status}.")
    for f in outcome.twins:
        console.print(f"Decided alike: {f.id}, the same question printed again in the document (now {f.status}).")
    for f in outcome.closed:
        console.print(f"Also closed: {f.id} {f.check} ({f.status}).")
    for f in outcome.opened:
        console.print(_opened_line(f))


def _stale_json(f) -> dict:
    d = f.decision
    return {"status": f.status, **({"stale_decision": d.seq, "stale_reason": d.stale_reason}
                                    if f.status == "stale" and d is not None and d.stale else {})}


def _opened_line(f, document: str | None = None) -> str:
    """A flag a decision opened: newly firing, or an earlier decision on it no longer in force (stale)."""
    where = f"{document} " if document else ""
    d = f.decision
    if f.status == "stale" and d is not None and d.stale:
        what = {"accept": "acceptance", "reject": "rejection"}.get(d.action, d.action)
        return (f"Now stale: {where}{f.id} {f.check}: its {what} (decision #{d.seq}) no longer applies, "
                f"{d.stale_reason}. Decide it again: {f.message}")
    return f"Now open: {where}{f.id} {f.check}: {f.message}"


OptionalIdArgument = Annotated[Optional[str], typer.Argument(
    metavar="[ID]", help="A flag id from `review list` (a unique prefix will do); or leave it out and select many "
                         "alike with --check.")]
CheckSelect = Annotated[Optional[str], typer.Option(
    "--check", help="Decide every flag of this check that needs review (with --document and --where to narrow "
                    "it): a dry run lists them first.")]
WhereOption = Annotated[Optional[list[str]], typer.Option(
    "--where", metavar="KEY=VALUE|KEY~TEXT", help="Only flags where KEY equals VALUE (or contains TEXT), repeatable; "
                                                  "KEY: severity, status, table, column, row, field, message.")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Decide without asking (scripts).")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Only show what would be decided.")]


@app.command()
def accept(
    flag_id: OptionalIdArgument = None,
    check: CheckSelect = None, where: WhereOption = None, yes: YesOption = False, dry_run: DryRunOption = False,
    db: DbOption = None, document: DocOption = None, reviewer: ReviewerOption = None, note: NoteOption = None,
    as_json: JsonOption = False,
) -> None:
    """The document really says this: keep the values, close the flag (or every flag --check selects)."""
    if _bulk_requested(flag_id, check, where, as_json):
        _bulk("accept", check, document, where or [], False, yes, dry_run, db, as_json, _reviewer(reviewer), note)
        return
    _decide(flag_id, "accept", db, as_json, dry_run, document=document, reviewer=_reviewer(reviewer), note=note)


def _bulk_requested(flag_id: Optional[str], check: Optional[str], where, as_json: bool) -> bool:
    if flag_id and (check or where):
        _fail("give a flag ID, or --check (with --document / --where) to decide many alike — not both",
              EXIT_USAGE, as_json)
    if not flag_id and not check:
        _fail("give a flag ID (see `review list`), or --check C to decide every flag of a check alike"
              + (" (--where narrows a --check)" if where else ""), EXIT_USAGE, as_json)
    return not flag_id


def _bulk(action: str, check: str, document, where: list[str], all_fields: bool, yes: bool, dry_run: bool, db,
          as_json: bool, reviewer, note) -> None:
    from .bulk import decide_bulk, parse_where, plan_bulk

    store = _open_store(db)
    _check_filters(store, document, check, as_json)
    try:
        plan = plan_bulk(store, action, check, document, parse_where(where), all_fields)
    except ReviewError as exc:
        _fail(str(exc), exc.code, as_json)
    console = _console()
    verb = {"accept": "accept", "reject": "reject (withdraw the wrong value of)"}[action]
    if not as_json:
        _print_bulk_plan(console, plan, verb)
        if action == "accept" and plan.chosen:
            from .render import accept_meaning

            meanings = sorted({accept_meaning(q.flag.check, bool(q.flag.fields)) for q in plan.chosen})
            console.print(f"Accepting means: {'; '.join(meanings)}.")
    if not plan.chosen or not _confirmed(f"{action.capitalize()} these {len(plan.chosen)} flag(s)?", yes, dry_run,
                                         as_json):
        if as_json:
            typer.echo(json.dumps({"dry_run": True, "action": action, "would_decide": [
                _flag_line(q.document, q.flag) for q in plan.chosen], "skipped": [
                {**_flag_line(q.document, q.flag), "why": why} for q, why in plan.skipped]},
                ensure_ascii=False, indent=1))
        elif plan.chosen:
            console.print("Dry run: nothing decided. Add --yes to decide them (one decision per flag in the trail).")
        return
    try:
        outcome = decide_bulk(store, plan, all_fields=all_fields, reviewer=reviewer, note=note)
    except ReviewError as exc:
        _fail(str(exc), exc.code, as_json)
    if as_json:
        typer.echo(json.dumps({
            "dry_run": False, "action": action,
            "decided": [{**_flag_line(q.document, q.flag), "status": outcome.statuses.get((q.document, q.id))}
                        for q in plan.chosen],
            "decisions": [d.model_dump(mode="json") for d in outcome.decisions],
            "skipped": [{**_flag_line(q.document, q.flag), "why": why} for q, why in plan.skipped],
            "closed": [{"document": n, "id": f.id, "check": f.check, "status": f.status} for n, f in outcome.closed],
            "opened": [{"document": n, "id": f.id, "check": f.check, "message": f.message, **_stale_json(f)} for n, f in outcome.opened],
        }, ensure_ascii=False, indent=1))
        return
    done = {"accept": "accepted", "reject": "rejected"}[action]
    console.print(f"{len(outcome.decisions)} decision(s) recorded (#{outcome.decisions[0].seq}–"
                  f"#{outcome.decisions[-1].seq}): {len(plan.chosen)} flag(s) {done}." if outcome.decisions
                  else "Nothing recorded: the flags were decided since.")
    for name, f in outcome.closed:
        console.print(f"Also closed: {name} {f.id} {f.check} ({f.status}).")
    for name, f in outcome.opened:
        console.print(_opened_line(f, name))


def _flag_line(document: str, flag) -> dict:
    return {"document": document, "id": flag.id, "check": flag.check, "severity": flag.severity,
            "status": flag.status, "message": flag.message, "fields": [ref.path for ref in flag.fields]}


def _print_bulk_plan(console, plan, verb: str) -> None:
    if not plan.chosen and not plan.skipped:
        console.print("No flag that needs review matches.")
        return
    if plan.chosen:
        console.print(f"Would {verb} {len(plan.chosen)} flag(s):")
        for q in plan.chosen:
            console.print(f"  {q.id}  {q.document}  {q.flag.check}  {q.flag.message}")
    if plan.skipped:
        console.print(f"Left out ({len(plan.skipped)}): the decision does not fit them as they are:")
        for q, why in plan.skipped:
            console.print(f"  {q.id}  {q.document}  {why}")


def _confirmed(question: str, yes: bool, dry_run: bool, as_json: bool) -> bool:
    """--yes decides; a person at a terminal is asked; anything else (a pipe, --dry-run) only looks."""
    if dry_run:
        return False
    if yes:
        return True
    return not as_json and _interactive() and typer.confirm(question, default=False)


@app.command()
def fix(
    flag_id: IdArgument,
    value: Annotated[str, typer.Option("--value", metavar="V", help="What the document really prints there (the reader "
                                                                     "misread it), e.g. 1182.71.")],
    field: Annotated[Optional[str], typer.Option(
        "--field", metavar="N|KEY", help="Which value: its number or key from `review show` (not needed when there is "
                                         "one).")] = None,
    yes: YesOption = False, dry_run: DryRunOption = False,
    db: DbOption = None, document: DocOption = None, reviewer: ReviewerOption = None, note: NoteOption = None,
    as_json: JsonOption = False,
) -> None:
    """A value was misread: record the correct one and re-verify the document with it."""
    _decide(flag_id, "fix", db, as_json, dry_run, document=document, fields=[field] if field else [], value=value,
            reviewer=_reviewer(reviewer), note=note)


@app.command()
def reject(
    flag_id: OptionalIdArgument = None,
    field: Annotated[Optional[list[str]], typer.Option(
        "--field", metavar="N|KEY", help="Which value is wrong (repeatable): number or key from `review show`.")] = None,
    all_fields: Annotated[bool, typer.Option("--all", help="Every value the flag involves is wrong.")] = False,
    check: CheckSelect = None, where: WhereOption = None, yes: YesOption = False, dry_run: DryRunOption = False,
    db: DbOption = None, document: DocOption = None, reviewer: ReviewerOption = None, note: NoteOption = None,
    as_json: JsonOption = False,
) -> None:
    """A value is wrong and there is no correction: withdraw it from exports (or for every flag --check selects:
    the flags with one value, or with --all every value)."""
    if _bulk_requested(flag_id, check, where, as_json):
        if field:
            _fail("--field names a value of one flag; with --check, the flags with one value are decided "
                  "(or --all: every value of each)", EXIT_USAGE, as_json)
        _bulk("reject", check, document, where or [], all_fields, yes, dry_run, db, as_json, _reviewer(reviewer),
              note)
        return
    _decide(flag_id, "reject", db, as_json, dry_run, document=document, fields=field or [], all_fields=all_fields,
            reviewer=_reviewer(reviewer), note=note)


@app.command()
def move(
    flag_id: IdArgument,
    to_column: Annotated[str, typer.Option(
        "--to-column", metavar="KEY|HEADER", help="The column the document prints the value under: its key "
                                                 "(project) or its header text (项目支出).")],
    field: Annotated[Optional[str], typer.Option(
        "--field", metavar="N|KEY", help="Which value: its number or key from `review show` (not needed when there "
                                         "is one).")] = None,
    all_rows: Annotated[bool, typer.Option(
        "--all-rows", help="Move every value of that column in the table alike (the same misplacement repeating "
                           "down the table); shows the rows it will change first, and keeps a layout hint for the "
                           "table's header.")] = False,
    yes: YesOption = False, dry_run: DryRunOption = False,
    db: DbOption = None, document: DocOption = None, reviewer: ReviewerOption = None, note: NoteOption = None,
    as_json: JsonOption = False,
) -> None:
    """A value was read in the wrong column: move it to the one the document prints it under, and re-verify."""
    from .moves import move as do_move, plan_move

    store = _open_store(db)
    reviewer = _reviewer(reviewer)
    console = _console()
    if all_rows or dry_run:
        try:
            plan = plan_move(store, flag_id, field, to_column, all_rows, document)
        except ReviewError as exc:
            _fail(str(exc), exc.code, as_json)
        if not as_json:
            _print_move_plan(console, plan)
        if not _confirmed(f"Move these {len(plan.moves)} value(s)?", yes or not all_rows, dry_run, as_json):
            if as_json:
                typer.echo(json.dumps({"dry_run": True, **_move_json(plan)}, ensure_ascii=False, indent=1))
            else:
                console.print("Dry run: nothing recorded. Add --yes to move them.")
            return
    try:
        outcome = do_move(store, flag_id, field, to_column, all_rows, document=document, reviewer=reviewer, note=note)
    except ReviewError as exc:
        _fail(str(exc), exc.code, as_json)
    if as_json:
        typer.echo(json.dumps({
            "dry_run": False, **_move_json(outcome.plan), "status": outcome.status,
            "decision": outcome.decision.model_dump(mode="json"),
            "closed": [{"id": f.id, "check": f.check, "status": f.status} for f in outcome.closed],
            "opened": [{"id": f.id, "check": f.check, "message": f.message, **_stale_json(f)} for f in outcome.opened],
            "hint": outcome.hint.model_dump(mode="json") if outcome.hint else None,
        }, ensure_ascii=False, indent=1))
        return
    p, d = outcome.plan, outcome.decision
    console.print(f"{d.flag_id}: moved {len(p.moves)} value(s) of {p.view} from {p.source_label} ({p.source}) to "
                  f"{p.target_label} ({p.target}): read as {p.source_label}, the document prints them under "
                  f"{p.target_label} (decision #{d.seq}).")
    if outcome.status in (None, "corrected"):
        console.print("The flag is closed: with the values where the document prints them, the check passes.")
    else:
        console.print(f"The flag is still {outcome.status}: with the move the check still fails; look at its "
                      f"other values.")
    for f in outcome.closed:
        console.print(f"Also closed: {f.id} {f.check} ({f.status}).")
    for f in outcome.opened:
        console.print(_opened_line(f))
    if outcome.hint:
        console.print(f"Layout hint {outcome.hint.id} kept for this table's header ({outcome.hint.describe()}): the "
                      f"next document with this header is read with it as one more candidate "
                      f"(`budget-extract hints list --db {store.arg}`).")


def _move_json(plan) -> dict:
    return {"document": plan.document, "flag": plan.flag.id, "table": plan.view, "from": plan.source,
            "to": plan.target, "from_label": plan.source_label, "to_label": plan.target_label,
            "all_rows": plan.all_rows, "field": plan.field,
            "rows": [{"field": m.path, "value": m.value, "row": m.row} for m in plan.moves],
            "left": [{"field": m.path, "value": m.value, "row": m.row, "why": why} for m, why in plan.left],
            "closes": [{"id": f.id, "check": f.check} for f in plan.closes],
            "opens": [{"id": f.id, "check": f.check, "message": f.message} for f in plan.opens],
            "flag_status_after": plan.status}


def _print_move_plan(console, plan) -> None:
    from rich.table import Table

    console.print(f"Move {len(plan.moves)} value(s) of {plan.view} from {plan.source_label} ({plan.source}) to "
                  f"{plan.target_label} ({plan.target}):")
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in ("row", plan.source_label, "→ " + plan.target_label):
        table.add_column(name, no_wrap=True)
    for m in plan.moves:
        table.add_row(m.row, m.value, m.value)
    for m, why in plan.left:
        table.add_row(m.row, m.value, f"(left as read: {why})")
    console.print(table)
    flag = "closed" if plan.status in (None, "corrected") else f"still {plan.status}"
    console.print(f"Then: the flag {plan.flag.id} is {flag}; {len(plan.closes)} other flag(s) closed, "
                  f"{len(plan.opens)} opened.")
    for f in plan.closes:
        console.print(f"  closes {f.id} {f.check}: {f.message}")
    for f in plan.opens:
        console.print(f"  opens  {f.id} {f.check}: {f.message}")
    if plan.all_rows and plan.header:
        console.print(f"A layout hint is kept for this table's header ({plan.source_label} → {plan.target_label}): "
                      f"the next document with the same header is read with it as one more candidate.")


@app.command()
def reopen(
    flag_id: IdArgument,
    yes: YesOption = False, dry_run: DryRunOption = False,
    db: DbOption = None, document: DocOption = None, reviewer: ReviewerOption = None, note: NoteOption = None,
    as_json: JsonOption = False,
) -> None:
    """Undo the decisions on a flag (the trail keeps them): it needs review again."""
    _decide(flag_id, "reopen", db, as_json, dry_run, document=document, reviewer=_reviewer(reviewer), note=note)


@app.command()
def history(
    flag_id: Annotated[Optional[str], typer.Argument(metavar="[ID]", help="Only this flag's decisions.")] = None,
    db: DbOption = None, document: DocOption = None, as_json: JsonOption = False,
) -> None:
    """The audit trail: every decision, in order, never rewritten."""
    from .service import find_one

    store = _open_store(db)
    decisions = store.decisions(document)
    if flag_id:
        try:
            subject = find_one(store, flag_id, document).flag.subject
        except ReviewError as exc:
            _fail(str(exc), exc.code, as_json)
        decisions = [d for d in decisions if d.subject == subject]
    if as_json:
        typer.echo(json.dumps([d.model_dump(mode="json") for d in decisions], ensure_ascii=False, indent=1))
        return
    console = _console()
    for d in decisions:
        console.print(f"#{d.seq} {d.time} {d.reviewer or '-'} {d.action} {d.flag_id}"
                      + (f" {d.field}" if d.field else "")
                      + (f" {d.before} → {d.after}" if d.action in ("fix", "move") else "")
                      + (f" — {d.note}" if d.note else ""))
    console.print(f"{len(decisions)} decision(s).")


@app.command("next")
def next_(
    db: DbOption = None, document: DocOption = None,
    check: Annotated[Optional[str], typer.Option("--check", help="Only this check.")] = None,
    reviewer: ReviewerOption = None,
    as_json: JsonOption = False,
) -> None:
    """Go through the flags that need review one by one: see each, decide, move on.

    Keys (offered where they fit the flag): a accept, f fix, m move, r reject, s or Enter skip, q quit. The end
    of input (Ctrl-D, Ctrl-C, a closed stdin) stops as q does, saying what was decided; each decision is
    recorded as it is made. With --json, print the next flag that needs review and exit (exit 0 with null
    when none is left).
    """
    from .render import flag_json

    store = _open_store(db)
    skipped: set[tuple[str, str]] = set()
    if as_json:
        queue = store.queue(document=document, check=check, statuses=NEEDS_REVIEW)
        typer.echo(json.dumps(flag_json(queue[0].document, queue[0].flag) if queue else None, ensure_ascii=False,
                              indent=1))
        return
    reviewer = _reviewer(reviewer)
    console = _console()
    done: list[str] = []  # what this session decided, one line each
    try:
        if reviewer is None and _interactive():
            reviewer = _prompt("Your name, recorded with each decision (Enter to leave it out)", default="",
                               show_default=False) or None
        while True:
            queue = [q for q in store.queue(document=document, check=check, statuses=NEEDS_REVIEW)
                     if (q.document, q.id) not in skipped]
            if not queue:
                console.print(f"Nothing left to review{f' but {len(skipped)} skipped' if skipped else ''}; "
                              f"{_session(done)}.")
                return
            q = queue[0]
            console.rule(f"{len(queue)} to go")
            show(q.id, db=store.path, document=q.document, context=2, as_json=False, hints=False)
            if _ask_and_decide(console, store, q, reviewer, skipped, done) is None:
                console.print(f"Stopped: {_session(done)}; {len(queue)} still need review.")
                return
    except _EndOfInput:
        # Ctrl-D, Ctrl-C, a closed or exhausted stdin: nothing half-recorded (each decision is its own
        # transaction), so leave as `q` would, saying what was decided.
        waiting = len(store.queue(document=document, check=check, statuses=NEEDS_REVIEW))
        console.print()
        console.print(f"End of input: stopped; {_session(done)}; {waiting} still need review.")


class _EndOfInput(Exception):
    """The person's input ended (Ctrl-D, Ctrl-C, a closed stdin) at a prompt of `review next`."""


def _interactive() -> bool:
    return sys.stdin is not None and not sys.stdin.closed and sys.stdin.isatty()


def _session(done: list[str]) -> str:
    if not done:
        return "nothing decided in this session"
    return f"{len(done)} decided in this session ({'; '.join(done)})"


def _prompt(*args, **kw):
    """typer.prompt, with the end of input (EOF, Ctrl-C, no stdin at all) raised as ``_EndOfInput``."""
    return _asking(typer.prompt, *args, **kw)


def _confirm(*args, **kw) -> bool:
    return _asking(typer.confirm, *args, **kw)


def _asking(ask, *args, **kw):
    import click

    if sys.stdin is None or sys.stdin.closed:
        raise _EndOfInput
    try:
        return ask(*args, **kw)
    except (typer.Abort, click.exceptions.Abort, EOFError, KeyboardInterrupt):  # typer ≥ 0.13 has its own Abort
        raise _EndOfInput from None


def _choices(flag, numbered: list[int]) -> str:
    """The keys `review next` offers for this flag, each with what it means for it."""
    from .render import accept_meaning

    keys = [f"[a]ccept ({accept_meaning(flag.check, bool(flag.fields))})"]
    if numbered:
        keys += ["[f]ix (misread)", "[m]ove (read in the wrong column)", "[r]eject (wrong, withdraw)"]
    keys += ["[s]kip", "[q]uit"]
    return "  ".join(keys)


def _ask_and_decide(console, store, q, reviewer, skipped, done: list[str]) -> int | None:
    """One decision on one flag: 1 when decided (``done`` gets a line), 0 when skipped, None to stop."""
    from .apply import slots_by_path
    from .service import decide, load_result

    fields = q.flag.fields
    correctable = set(slots_by_path(load_result(store.document(q.document).result))) if fields else set()
    numbered = [i for i, ref in enumerate(fields, 1) if ref.path in correctable]
    while True:
        answer = _prompt(_choices(q.flag, numbered), default="s").strip().lower()
        # The key, or the word it stands for: not any word that starts with it ("ann" is not an accept).
        choice = _KEYS.get(answer, answer)
        if choice == "q":
            return None
        if choice == "s":
            skipped.add((q.document, q.id))
            return 0
        if choice not in ("a", "f", "m", "r"):
            console.print("Type a, f, m, r, s or q." if numbered else "Type a, s or q.")
            continue
        if choice in ("f", "m", "r") and not numbered:
            console.print("This flag involves no value read from a table or card: accept it (acknowledge) or skip.")
            continue
        if choice == "m":
            decided = _ask_and_move(console, store, q, numbered, reviewer)
            if decided is None:
                continue
            done.append(f"{q.id} moved")
            return decided
        kw: dict = {"document": q.document, "reviewer": reviewer}
        if choice == "f" or (choice == "r" and len(numbered) > 1):
            field = _ask_number(console, "Which value is wrong (its number above)" if choice == "r"
                                else "Which value (its number above)", numbered)
            if field is None:
                continue  # back to the choices
            kw["fields"] = [field]
        if choice == "f":
            kw["value"] = _ask_value(console, fields[int(kw["fields"][0]) - 1].path)
            if kw["value"] is None:
                continue
        kw["note"] = _ask_note()
        if kw["note"] is _GO_BACK:
            continue
        action = {"a": "accept", "f": "fix", "r": "reject"}[choice]
        try:
            _print_outcome(decide(store, q.id, action, **kw))
            done.append(f"{q.id} {_DONE[action]}")
            return 1
        except ReviewError as exc:
            console.print(f"error: {exc}", style="red")
            if exc.code != EXIT_USAGE:
                raise typer.Exit(exc.code)


_DONE = {"accept": "accepted", "fix": "corrected", "reject": "rejected"}
_KEYS = {"accept": "a", "fix": "f", "move": "m", "reject": "r", "skip": "s", "quit": "q"}


def _ask_and_move(console, store, q, numbered: list[int], reviewer) -> int | None:
    """`review move` asked for: which value, which column, one row or the whole table (shown before it is done)."""
    from .moves import move, plan_move

    number = _ask_number(console, "Which value is in the wrong column (its number above)", numbered)
    if number is None:
        return None  # back to the choices
    column = _prompt("The column the document prints it under (key or header text)").strip()
    all_rows = _confirm("The same down the whole table (every value of that column)?", default=False)
    try:
        plan = plan_move(store, q.id, number, column, all_rows, q.document)
    except ReviewError as exc:
        console.print(f"error: {exc}", style="red")
        if exc.code != EXIT_USAGE:
            raise typer.Exit(exc.code)
        return None
    _print_move_plan(console, plan)
    if not _confirm(f"Move these {len(plan.moves)} value(s)?", default=True):
        return None
    note = _ask_note()
    if note is _GO_BACK:
        return None
    outcome = move(store, q.id, number, column, all_rows, document=q.document, reviewer=reviewer, note=note)
    console.print(f"{q.id}: moved {len(plan.moves)} value(s) to {plan.target_label} (decision "
                  f"#{outcome.decision.seq}); the flag is now {outcome.status or 'closed'}.")
    for f in outcome.opened:
        console.print(_opened_line(f))
    return 1


# An answer that goes back to the flag's choices instead of answering the question.
_BACK = ("", "q", "b", "back")


_GO_BACK = object()


def _ask_note():
    """The note for the trail (None: no note), or ``_GO_BACK``: q or b was typed — a key, never a note, and the
    trail cannot be rewritten, so nothing is decided and the flag's choices are asked again."""
    answer = _prompt("Note (optional; empty: none, q: back)", default="", show_default=False).strip()
    if not answer:
        return None
    return _GO_BACK if answer.lower() in _BACK else answer


def _ask_number(console, question: str, allowed: list[int]) -> str | None:
    """The number of a value, or None to go back (an empty answer, q or b)."""
    if len(allowed) == 1:
        return str(allowed[0])
    while True:
        answer = _prompt(f"{question}, one of {', '.join(map(str, allowed))} (empty: back)", default="",
                         show_default=False).strip()
        if answer.lower() in _BACK:
            return None
        if answer.isdigit() and int(answer) in allowed:
            return answer
        console.print(f"{answer!r} is not one of {', '.join(map(str, allowed))}.")


def _ask_value(console, path: str) -> str | None:
    """The value the document prints, or None to go back (an empty answer, q or b)."""
    from .service import correction_value

    while True:
        answer = _prompt("What the document prints there (empty: back)", default="", show_default=False).strip()
        if answer.lower() in _BACK:
            return None
        try:
            correction_value(path, answer)
            return answer
        except ReviewError as exc:
            console.print(f"{exc}", style="red")


@app.command()
def sync(
    folder: Annotated[Path, typer.Argument(help="A folder of result files written without a store, e.g. by the "
                                                "workers of a cluster (docs/dask.md).")],
    db: Annotated[Optional[Path], typer.Option(
        "--db", help="The review store to build or update [default: FOLDER/review.sqlite].")] = None,
) -> None:
    """Bring every result file of FOLDER into the review store, as `run` would have: the decisions in force are
    applied (each such document re-verified against its source and its file rewritten) and the flags are queued."""
    from ..batch import BatchReport
    from .store import DB_NAME, ReviewStore, StoreError
    from .sync import sync_folder

    if not folder.is_dir():
        _fail(f"{folder}: not a folder of results", EXIT_PROBLEM)
    try:
        store = ReviewStore(db if db is not None and not db.is_dir() else (db or folder) / DB_NAME, create=True)
    except StoreError as exc:
        _fail(str(exc), EXIT_PROBLEM)
    report = BatchReport()
    try:
        sync_folder(store, folder, report)
    finally:
        store.close()
    for message in report.messages:
        typer.echo(message, err=True)
    typer.echo(report.summary().replace("document(s)", "document(s) in the store", 1), err=True)
    if report.failed or not report.documents:
        raise typer.Exit(EXIT_PROBLEM)

"""Results whose files are gone: retired from the results folder by the rerun that finds them gone.

A rerun into the same OUT describes the files it was given as they are now. A result whose
source file lay inside what this run was given — a folder given again (its sub-folders with
``--recursive``, through the same ``--include``/``--exclude``), or the same file — and is no longer
there (deleted, renamed, moved), or that this run reads under another name, is retired before
anything is read:

- its result file (and a PDF's or a spreadsheet's text beside it) is moved to ``OUT/.retired/``,
  never deleted; exports, the report and ``review sync`` pass over hidden folders;
- its rows leave the review queue; its decisions stay in the trail (they apply again when the file
  comes back under its name). A file moved or renamed — the same bytes under a new name (sha256) —
  takes its decisions with it: they are recorded again under the new name, noting where they came from;
- its manifest row says ``retired``, with the reason.

Results of files this run was not given are kept: a team may run sub-folders into one OUT in turn.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .discover import in_scope, resolved
from .load import shown

RETIRED_FOLDER = ".retired"


@dataclass(frozen=True)
class Retired:
    name: str
    source: Path
    read_as: str | None = None  # the name this run reads the same file under (None: the file is gone)
    carried: int = 0  # decisions recorded again under the name the moved file has now
    carried_to: str | None = None
    decided: int = 0  # decisions made on it (they stay in the trail under its name)

    @property
    def why(self) -> str:
        return f"its file is read as {shown(self.read_as)}" if self.read_as else "its file is gone"


def retire_gone(out: Path, store, manifest, found, paths: list[Path], recursive: bool = False,
                include=(), exclude=()) -> list[Retired]:
    """Retire the results in ``out`` whose files this run was given and no longer are where they were; the ones
    retired. ``found``: this run's ``discover.Found``; ``paths``, ``recursive``, ``include``, ``exclude``: what the
    run was given."""
    missing = {p for p in paths if not os.path.lexists(p)}  # named by its path, and gone: its error line follows
    names = {found.names.get(p, p.stem) for p in found.files if p not in missing}
    known = _known(out, store, manifest, names)  # not the names this run writes again (a rerun's usual case: none)
    if not known:
        return []
    folders = [resolved(p) for p in paths if p.is_dir()]
    gone = {resolved(p) for p in missing}
    given = {resolved(p): found.names.get(p, p.stem) for p in found.files if p not in missing}
    retired = []
    for name, source in known.items():
        read_as = given.get(source)
        if read_as is None and (os.path.lexists(source) or not (source in gone or any(
                in_scope(source, folder, recursive, include or (), exclude or ()) for folder in folders))):
            continue  # still there, or not among what this run was given: kept
        retired.append(Retired(name, source, read_as))
    if not retired:
        return []
    carried = _moves(store, retired, given)
    for r in retired:
        _move_out(out, r.name)
    with store.transaction():
        for r in retired:
            store.forget(r.name)
        for new, (old, decisions, where) in carried.items():
            for d in decisions:
                store.record(document=new, document_sha256=d.document_sha256, flag=_flag_of(d), action=d.action,
                             values=d.values, field=d.field, before=d.before, after=d.after, reviewer=d.reviewer,
                             note=_carried_note(d.note, old, where))
    from .review.store import now_iso
    from .rerun import stored_text

    for r in retired:
        manifest.db.execute("UPDATE documents SET status = 'retired', reason = ?, updated = ? WHERE name = ?",
                            (stored_text(f"retired: {r.why}"), now_iso(), stored_text(r.name)))
    to = {old: (new, len(decisions)) for new, (old, decisions, _) in carried.items()}
    return [Retired(r.name, r.source, r.read_as, to.get(r.name, (None, 0))[1], to.get(r.name, (None, 0))[0],
                    len(store.decisions(r.name))) for r in retired]


def summary(retired: list[Retired], out: Path, db: str) -> list[str]:
    """The lines a run says about the results it retired (``db``: the review store, as a command names it)."""
    if not retired:
        return []
    listed = ", ".join(f"{shown(r.name)} ({r.why})" for r in retired[:10])
    more = f" and {len(retired) - 10} more" if len(retired) > 10 else ""
    lines = [f"note: {len(retired)} result(s) retired, moved to {shown(out / RETIRED_FOLDER)} (exports, the report "
             f"and review no longer count them): {listed}{more}"]
    for r in retired:
        if r.carried:
            lines.append(f"note: {shown(r.name)}'s {r.carried} review decision(s) go with its file to its new name, "
                         f"{shown(r.carried_to)}")
        elif r.decided:  # a corrected version republished under a new name is other bytes: a new document
            lines.append(f"note: {shown(r.name)}'s {r.decided} review decision(s) stay in the trail under that name "
                         f"(budget-extract review history --document {shown(r.name)} --db {db}); they apply again if its "
                         f"file comes back under that name")
    return lines


def retired_count(retired: list[Retired]) -> str:
    """The run's summary line's part about them."""
    if not retired:
        return ""
    why = "gone" if all(r.read_as is None for r in retired) else "gone or read under another name"
    return f"; {len(retired)} result(s) retired: their files are {why}"


def _known(out: Path, store, manifest, skip: set[str]) -> dict[str, Path]:
    """Each document this results folder has a result or an error line for → its file (absolute); but those named
    in ``skip``."""
    from .rerun import stored_text

    home = resolved(out)
    known = {}
    stored = {stored_text(name) for name in skip}  # as the manifest holds them (a name that is not UTF-8, escaped)
    for name, source in manifest.db.execute("SELECT name, source FROM documents WHERE status IN ('ok', 'error')"):
        if name not in stored:
            known[name] = resolved(Path(source))
    for row in store.documents():
        if row.name not in skip and resolved(row.result).is_relative_to(home):
            known[row.name] = row.source  # resolved when the run read it: a relative path above was the cwd's then
    return known


def _moves(store, retired: list[Retired], given: dict[Path, str]) -> dict[str, tuple[str, list, Path]]:
    """The new name → (the old name, its decisions, the file) for each retired result whose file this run reads
    under a new name that has no decisions of its own: the same file, or the same bytes moved or renamed (under a
    name the store has never seen: a copy read all along under its own name has its own questions)."""
    from .load.files import is_utf8_name
    from .rerun import file_sha256

    decided = {r.name: store.decisions(r.name) for r in retired}
    by_sha: dict[str, list[str]] = {}
    for name, decisions in decided.items():
        if decisions:
            by_sha.setdefault(decisions[-1].document_sha256, []).append(name)
    carried = {}
    for path, new in given.items():
        if new in carried or not is_utf8_name(new) or store.decisions(new):
            continue  # (a name that is not UTF-8 is never read: nothing can be carried to it)
        old = next((r.name for r in retired if r.read_as == new and decided[r.name]), None)
        if old is None and by_sha and store.document(new) is None:
            try:
                sha = file_sha256(path) if path.is_file() else None
            except OSError:
                sha = None
            olds = [n for n in by_sha.get(sha, []) if n not in {o for o, _, _ in carried.values()}]
            old = olds[0] if len(olds) == 1 else None  # two old names with these bytes: no guess
        if old is not None:
            carried[new] = (old, decided[old], path)
    return carried


def _flag_of(d):
    """The decision's flag as the trail recorded it (id, subject, check): what ``store.record`` keeps of it."""
    from schemas import Flag

    return Flag.model_construct(id=d.flag_id, subject=d.subject, check=d.check)


def _carried_note(note: str | None, old: str, where: Path) -> str:
    carried = f"carried from {old}: its file moved or was renamed to {where}"
    return f"{note} ({carried})" if note else carried


def _move_out(out: Path, name: str) -> None:
    """The result file and a PDF's or a spreadsheet's text beside it, moved under ``OUT/.retired/`` (each move
    whole; a run killed between them retires the rest next time)."""
    from .work import text_file_for

    for rel in (text_file_for(name), f"{name}.json"):
        src = out / rel
        if not src.is_file():
            continue
        target = out / RETIRED_FOLDER / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, target)

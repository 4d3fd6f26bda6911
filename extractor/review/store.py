"""The review store: one SQLite file (WAL) holding the queue of flags and the trail of decisions.

``decisions`` is append-only — triggers refuse UPDATE and DELETE — so the trail
of who decided what, when, and on which values is never rewritten. ``flags``
and ``documents`` mirror the latest result file of each document: they are
rebuilt from the result files whenever those change, so the queue always
follows what is on disk.

Every write happens in ``BEGIN IMMEDIATE`` transactions: two commands that
write at once take turns (SQLite's busy timeout) instead of overwriting each
other's work.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where rows become models: `run`'s own process, the one writer, makes none of them
    from schemas import Decision, ExtractionResult, Flag, LayoutHint

DB_NAME = "review.sqlite"
SCHEMA_VERSION = 3
# PRAGMA application_id: marks the file as ours, so that another application's SQLite file is never adopted.
APPLICATION_ID = 0x42455852  # "BEXR"
TABLES = ("decisions", "documents", "flags")
BUSY_TIMEOUT_MS = 120_000

_DECISIONS = """
CREATE TABLE IF NOT EXISTS {name} (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    reviewer TEXT,
    note TEXT,
    document TEXT NOT NULL,
    document_sha256 TEXT NOT NULL,
    flag_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    "check" TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('accept', 'fix', 'reject', 'reopen', 'move')),
    field TEXT,
    before TEXT,
    after TEXT,
    "values" TEXT NOT NULL
);
"""
_TRAIL_GUARDS = (
    "CREATE INDEX IF NOT EXISTS decisions_by_document ON decisions (document, seq)",
    "CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions\n"
    "BEGIN SELECT RAISE(ABORT, 'the decision trail is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS decisions_no_delete BEFORE DELETE ON decisions\n"
    "BEGIN SELECT RAISE(ABORT, 'the decision trail is append-only'); END",
)
_HINTS = """
-- Layout hints: a person's column decision for a table, keyed by the table's header signature (one row per move).
CREATE TABLE IF NOT EXISTS hints (
    kind TEXT NOT NULL,
    header TEXT NOT NULL,
    read_as TEXT NOT NULL,
    printed_under TEXT NOT NULL,
    read_as_label TEXT,
    printed_under_label TEXT,
    origin TEXT,  -- the decision that taught it (JSON), wherever it was made
    decision INTEGER,  -- that decision's seq when it was made in this store (NULL: imported)
    added TEXT NOT NULL,
    PRIMARY KEY (kind, header, read_as)
);
"""
_SCHEMA = _DECISIONS.format(name="decisions") + "".join(f"{g};\n" for g in _TRAIL_GUARDS) + _HINTS + """
CREATE TABLE IF NOT EXISTS documents (
    name TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    result TEXT NOT NULL,
    result_sha256 TEXT NOT NULL,
    result_mtime_ns INTEGER NOT NULL,
    result_size INTEGER NOT NULL,
    updated TEXT NOT NULL,
    trail_seq INTEGER NOT NULL DEFAULT 0  -- the last decision of the document its result file was written with
);

CREATE TABLE IF NOT EXISTS flags (
    document TEXT NOT NULL REFERENCES documents (name) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    subject TEXT NOT NULL,
    "check" TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    flag TEXT NOT NULL,
    PRIMARY KEY (document, id)
);
CREATE INDEX IF NOT EXISTS flags_by_status ON flags (status, severity);
"""


class StoreError(Exception):
    """A problem with the store a person can act on; the message names the file."""


@dataclass(frozen=True)
class QueuedFlag:
    document: str
    flag: Flag
    position: int

    @property
    def id(self) -> str:
        return self.flag.id


@dataclass(frozen=True)
class DocumentRow:
    name: str
    sha256: str
    source: Path
    result: Path


@dataclass(frozen=True)
class QueueRows:
    """What the queue keeps of one result, made wherever the result is (a worker process) and written here."""

    name: str
    sha256: str
    path: str  # the source path the result records
    flags: list[tuple]  # (id, position, subject, check, severity, status, the flag as JSON) per flag

    @classmethod
    def of(cls, result: ExtractionResult) -> QueueRows:
        doc = result.document
        return cls(doc.name, doc.sha256, doc.path,
                   [(f.id, i, f.subject, f.check, f.severity, f.status, f.model_dump_json())
                    for i, f in enumerate(result.flags)])


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def resolve_db(db: Path | None) -> Path:
    """``--db`` may name the store or the results folder that holds it."""
    if db is None:
        env = os.environ.get("BUDGET_EXTRACT_DB")
        db = Path(env) if env else Path(DB_NAME)
    if db.is_dir():
        db = db / DB_NAME
    return db


class ReviewStore:
    """The store at ``path``; ``create`` makes it when there is no file there (never over a file that is there).

    A file that is there must be a whole budget-extract store: an empty file, another application's SQLite
    file or a damaged one is refused with a line that says what to do, and left untouched.
    """

    def __init__(self, path: Path, create: bool = False):
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a folder; give the store file or the results folder that holds "
                             f"{DB_NAME}")
        if not self.path.exists():
            if not create:
                raise StoreError(f"{self.path}: no review store here; `budget-extract run … --out DIR` creates "
                                 f"DIR/{DB_NAME} (pass --db DIR or --db FILE)")
            _create(self.path)
        _check_file(self.path)
        try:
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the review store ({exc})") from None
        try:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._identify()
            mode = self.db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":  # pragma: no cover - only on filesystems without shared memory
                raise StoreError(f"{self.path}: SQLite could not switch to WAL mode (got {mode})")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreError(_damaged(self.path, str(exc))) from None
        except StoreError:
            self.db.close()
            raise

    def _identify(self) -> None:
        """Ours (or our store from before it was marked), whole, and not from a newer version — or refused."""
        app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        ours = app_id == APPLICATION_ID or (app_id == 0 and version == 1 and set(TABLES) <= tables)
        if not ours:
            shown = ", ".join(sorted(t for t in tables if not t.startswith("sqlite_"))[:6]) or "no tables"
            raise StoreError(f"{self.path}: not a budget-extract review store (a SQLite file of another kind: "
                             f"application_id {app_id}, {shown}); it is left untouched — give the review store "
                             f"with --db, or move this file away")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer budget-extract (store version {version}); "
                             f"upgrade budget-extract to use it")
        problems = [r[0] for r in self.db.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise StoreError(_damaged(self.path, "; ".join(problems)))
        missing = [t for t in TABLES if t not in tables]
        if missing:
            raise StoreError(_damaged(self.path, f"table {', '.join(missing)} missing"))

    @property
    def arg(self) -> str:
        """How to name this store in a suggested command: its results folder when it is the default file there."""
        path = self.path
        try:
            path = path.resolve().relative_to(Path.cwd())
        except ValueError:
            pass
        return str(path.parent) if path.name == DB_NAME else str(path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _migrate(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version == 1:
                # Version 1 had no trail_seq: its files were written with every decision of the trail then.
                self.db.execute("ALTER TABLE documents ADD COLUMN trail_seq INTEGER NOT NULL DEFAULT 0")
                self.db.execute("UPDATE documents SET trail_seq = (SELECT coalesce(max(seq), 0) FROM decisions "
                                "WHERE decisions.document = documents.name)")
            if version < 3:
                _allow_moves(self.db)
                self.db.execute(_HINTS)
            if version < SCHEMA_VERSION:
                self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction: taken at once (BEGIN IMMEDIATE), so writers queue instead of colliding."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- decisions ---------------------------------------------------------------------------------

    def record(self, *, document: str, document_sha256: str, flag: Flag, action: str, values: dict,
               field: str | None = None, before: str | None = None, after: str | None = None,
               reviewer: str | None = None, note: str | None = None) -> Decision:
        cur = self.db.execute(
            'INSERT INTO decisions (time, reviewer, note, document, document_sha256, flag_id, subject, "check", '
            'action, field, before, after, "values") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
            (now_iso(), reviewer, note, document, document_sha256, flag.id, flag.subject, flag.check, action,
             field, before, after, json.dumps(values, ensure_ascii=False)),
        )
        return self.decision(cur.lastrowid)

    def decision(self, seq: int) -> Decision:
        cur = self.db.execute("SELECT * FROM decisions WHERE seq = ?", (seq,))
        return _decision(cur.fetchone(), _names(cur))

    def decisions(self, document: str | None = None) -> list[Decision]:
        if document is None:
            cur = self.db.execute("SELECT * FROM decisions ORDER BY seq")
        else:
            cur = self.db.execute("SELECT * FROM decisions WHERE document = ? ORDER BY seq", (document,))
        cols = _names(cur)
        return [_decision(r, cols) for r in cur.fetchall()]

    # -- layout hints ------------------------------------------------------------------------------

    def hints(self) -> list[LayoutHint]:
        """Every hint, its moves grouped by table kind and header, in the order they were taught."""
        rows = self.db.execute("SELECT kind, header, read_as, printed_under, read_as_label, printed_under_label, "
                               "origin FROM hints ORDER BY added, rowid").fetchall()
        if not rows:  # most stores: then the models are not imported
            return []
        from schemas import ColumnMove, HintOrigin, LayoutHint

        grouped: dict[tuple[str, str], list] = {}
        for kind, header, read_as, under, read_label, under_label, origin in rows:
            grouped.setdefault((kind, header), []).append(
                (ColumnMove(read_as=read_as, printed_under=under, read_as_label=read_label,
                            printed_under_label=under_label), origin))
        return [LayoutHint.make(kind, header, [m for m, _ in moves],
                                HintOrigin.model_validate_json(moves[-1][1]) if moves[-1][1] else None)
                for (kind, header), moves in grouped.items()]

    def taught_here(self) -> frozenset[tuple[str, str, str, str]]:
        """(kind, header, document, document sha256) of each hint move a decision of this store taught (not one
        imported): that document version has the decision, so the hint is not offered to it."""
        rows = self.db.execute(
            "SELECT kind, header, origin FROM hints WHERE decision IS NOT NULL AND origin IS NOT NULL").fetchall()
        if not rows:
            return frozenset()
        from schemas import HintOrigin

        out = set()
        for kind, header, origin in rows:
            o = HintOrigin.model_validate_json(origin)
            out.add((kind, header, o.document, o.document_sha256))
        return frozenset(out)

    def add_hint(self, hint: LayoutHint, decision: int | None = None) -> None:
        """Store a hint's moves (call inside a transaction); a move of the same column under the same header
        replaces the one taught before."""
        origin = hint.origin.model_dump_json() if hint.origin else None
        for m in hint.moves:
            self.db.execute(
                "INSERT OR REPLACE INTO hints (kind, header, read_as, printed_under, read_as_label, "
                "printed_under_label, origin, decision, added) VALUES (?,?,?,?,?,?,?,?,?)",
                (hint.kind, hint.header, m.read_as, m.printed_under, m.read_as_label, m.printed_under_label,
                 origin, decision, now_iso()))

    def remove_hint(self, hint: LayoutHint) -> None:
        self.db.execute("DELETE FROM hints WHERE kind = ? AND header = ?", (hint.kind, hint.header))

    def forget_hints_of(self, decisions: set[int]) -> int:
        """Take back the hints these decisions of this store taught (they were reopened); how many moves."""
        if not decisions:
            return 0
        marks = ",".join("?" * len(decisions))
        return self.db.execute(f"DELETE FROM hints WHERE decision IN ({marks})", sorted(decisions)).rowcount

    def decided_versions(self) -> dict[str, str]:
        """Each version (sha256) of a document decisions were made on → the document's name."""
        return {sha: name for name, sha in self.db.execute(
            "SELECT document, document_sha256 FROM decisions ORDER BY seq")}

    def decision_documents(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT document FROM decisions ORDER BY document")]

    # -- the queue ---------------------------------------------------------------------------------

    def sync(self, result: ExtractionResult | QueueRows, result_path: Path, source: Path | None = None,
             written: str | bytes | None = None, trail_seq: int | None = None,
             written_sha256: str | None = None) -> None:
        """Make the queue rows of a document those of its result file (call inside a transaction).

        ``result`` is the result, or its rows already made (``QueueRows.of``, in a worker process).
        ``source`` is the document's file when the caller has just read it; otherwise
        the one recorded before is kept, since a relative path in the result was
        relative to wherever `run` ran. ``written`` is the file's text (or bytes) when the caller has just written it.
        ``trail_seq`` is the last decision of the trail the file was written with (default: the trail's last).
        ``written_sha256``: the sha256 of ``written``, when the caller has it already.
        """
        rows = result if isinstance(result, QueueRows) else QueueRows.of(result)
        if written_sha256 is None:
            data = result_path.read_bytes() if written is None else \
                written.encode("utf-8") if isinstance(written, str) else written
            written_sha256 = hashlib.sha256(data).hexdigest()
        st = result_path.stat()
        name = rows.name
        if source is None:
            known = self.document(name)
            source = known.source if known and known.sha256 == rows.sha256 else Path(rows.path)
        if trail_seq is None:
            trail_seq = self.last_seq(name)
        self.db.execute("DELETE FROM flags WHERE document = ?", (name,))
        self.db.execute(
            "INSERT OR REPLACE INTO documents (name, sha256, source, result, result_sha256, result_mtime_ns, "
            "result_size, updated, trail_seq) VALUES (?,?,?,?,?,?,?,?,?)",
            (name, rows.sha256, str(Path(source).resolve()), str(result_path.resolve()),
             written_sha256, st.st_mtime_ns, st.st_size, now_iso(), trail_seq),
        )
        self.db.executemany(
            'INSERT INTO flags (document, id, position, subject, "check", severity, status, flag) '
            "VALUES (?,?,?,?,?,?,?,?)",
            [(name, *row) for row in rows.flags],
        )

    def document(self, name: str) -> DocumentRow | None:
        row = self.db.execute("SELECT name, sha256, source, result FROM documents WHERE name = ?", (name,)).fetchone()
        return DocumentRow(row[0], row[1], Path(row[2]), Path(row[3])) if row else None

    def documents(self) -> list[DocumentRow]:
        rows = self.db.execute("SELECT name, sha256, source, result FROM documents ORDER BY name").fetchall()
        return [DocumentRow(r[0], r[1], Path(r[2]), Path(r[3])) for r in rows]

    def queue(self, *, document: str | None = None, check: str | None = None, severity: str | None = None,
              statuses: tuple[str, ...] = ()) -> list[QueuedFlag]:
        from schemas import Flag

        sql, args = "SELECT document, position, flag FROM flags WHERE 1=1", []
        for column, value in (("document", document), ('"check"', check), ("severity", severity)):
            if value:
                sql += f" AND {column} = ?"
                args.append(value)
        if statuses:
            sql += f" AND status IN ({','.join('?' * len(statuses))})"
            args.extend(statuses)
        sql += " ORDER BY document, position"
        return [QueuedFlag(r[0], Flag.model_validate_json(r[2]), r[1]) for r in self.db.execute(sql, args)]

    def find(self, ref: str, document: str | None = None) -> list[QueuedFlag]:
        """Flags whose id is ``ref`` or starts with it (ids are shown whole, but people type prefixes)."""
        from schemas import Flag

        sql = "SELECT document, position, flag FROM flags WHERE id LIKE ? ESCAPE '\\'"
        args: list = [ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"]
        if document:
            sql += " AND document = ?"
            args.append(document)
        rows = [QueuedFlag(r[0], Flag.model_validate_json(r[2]), r[1]) for r in self.db.execute(sql, args)]
        exact = [q for q in rows if q.id == ref]
        return exact or rows

    def stale_results(self) -> list[tuple[str, Path]]:
        """Documents whose result file changed on disk since the queue last saw it."""
        out = []
        for name, result, mtime, size, sha in self.db.execute(
                "SELECT name, result, result_mtime_ns, result_size, result_sha256 FROM documents"):
            path = Path(result)
            try:
                st = path.stat()
            except FileNotFoundError:
                out.append((name, path))
                continue
            if (st.st_mtime_ns, st.st_size) != (mtime, size) and hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                out.append((name, path))
        return out

    def last_seq(self, name: str) -> int:
        return self.db.execute("SELECT coalesce(max(seq), 0) FROM decisions WHERE document = ?", (name,)).fetchone()[0]

    def behind_trail(self) -> list[str]:
        """Documents whose trail has decisions their result file was not written with (a command died between)."""
        return [r[0] for r in self.db.execute(
            "SELECT name FROM documents WHERE trail_seq < "
            "(SELECT coalesce(max(seq), 0) FROM decisions WHERE decisions.document = documents.name)")]

    def forget(self, name: str) -> None:
        self.db.execute("DELETE FROM documents WHERE name = ?", (name,))


_SQLITE_HEADER = b"SQLite format 3\x00"


def _check_file(path: Path) -> None:
    """Refuse what is plainly not a store before SQLite touches it (it would take an empty file as a new one)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the review store: {exc.strerror or exc}") from None
    if not head:
        raise StoreError(f"{path}: an empty file (0 bytes), not a review store — any decisions it held are gone. "
                         f"Restore it from a backup; or move it away (mv {path} {path}.empty) and the next "
                         f"`budget-extract run` starts a new store")
    if head != _SQLITE_HEADER:
        raise StoreError(f"{path}: not a review store (not an SQLite file); it is left untouched — give the review "
                         f"store with --db, or move this file away")


def _damaged(path: Path, problem: str) -> str:
    return (f"{path}: the review store is damaged ({problem}); it is left untouched. Restore it from a backup, "
            f"or salvage what SQLite can read: sqlite3 {path} .recover | sqlite3 {path}.recovered — then use "
            f"--db {path}.recovered")


def _create(path: Path) -> None:
    """A new store, made whole beside ``path`` and linked into place: no process ever sees a half-made one."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # as SQLite would create it, not mkstemp's 0600
    try:
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.executescript(f"BEGIN; {_SCHEMA} PRAGMA application_id = {APPLICATION_ID}; "
                             f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
        finally:
            db.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        except OSError:  # a filesystem without hard links
            if not path.exists():
                os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _allow_moves(db: sqlite3.Connection) -> None:
    """Version 2's trail refused the action 'move': copy it into a table that takes it (inside the migration's
    transaction; dropping the old table drops its guards, which are made again on the new one)."""
    db.execute(_DECISIONS.format(name="decisions_v3"))
    db.execute("INSERT INTO decisions_v3 SELECT seq, time, reviewer, note, document, document_sha256, flag_id, "
               'subject, "check", action, field, before, after, "values" FROM decisions')
    db.execute("DROP TABLE decisions")
    db.execute("ALTER TABLE decisions_v3 RENAME TO decisions")
    for statement in _TRAIL_GUARDS:
        db.execute(statement)


def _names(cur: sqlite3.Cursor) -> list[str]:
    """The columns of a query's rows, as it names them (a SELECT has them before any row is fetched)."""
    return [d[0] for d in cur.description]


def _decision(row, cols: list[str]) -> Decision:
    from schemas import Decision

    d = dict(zip(cols, row))
    d["values"] = json.loads(d["values"])
    for key in ("reviewer", "note"):
        d[key] = d[key] or None
    d.pop("document")
    return Decision.model_validate(d)

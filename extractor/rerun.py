"""The run manifest: every file a run was given, read or not, and what a rerun may skip.

``OUT/manifest.sqlite`` holds a row per document name: ``ok`` with the key its result
was written under, or ``error`` with the one line that said why the file could not be
read. Exports list both (a data team sees which departments are missing), and a rerun
skips a document whose key and files are unchanged.

The key is what decides a result, hashed the way the LLM cache keys a request
(``llm.transport.request_key``: the canonical JSON of everything that shapes the answer):

- the document's bytes (sha256), its result name and the path it was given by;
- the tool: its version, a fingerprint of its own code and prompts (the readers, the
  registry, the verifier — any change reads everything again), the libraries that read
  files, and Python's version;
- the run's options: backend, --cross-check, --pretty, the size limits, and the model's
  settings when a model reader is configured;
- the layout hints of the store (offered to every table) and what its decisions taught;
- the review decisions in force for that document.

A document is skipped only when its key is the one recorded, its result file (and a PDF's
or spreadsheet's text beside it) still hashes to what was written, and the review store
holds its queue for that very file — so what a skipped document leaves is exactly what a
fresh run would write. A document a model read is always read again (its answers come from
the cache), and ``run --force`` reads everything.

Rows are written in batches (``FLUSH_ROWS`` documents or ``FLUSH_SECONDS``, and when the run
ends or is interrupted), not one commit per document: a commit waits for the disk. A run killed
outright (SIGKILL, a power cut) loses the rows of the documents written since the last batch:
their results and review-queue rows are whole on disk, the manifest just does not list them, so
the next run reads them again and records them. A row is only ever written after its document's
files, so the manifest never claims a result that is not there.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MANIFEST_NAME = "manifest.sqlite"

# A commit of the manifest waits for the disk (about 15 ms here, 0.8 ms CPU): its rows are written this many at once,
# or after this many seconds, whichever comes first.
FLUSH_ROWS = 64
FLUSH_SECONDS = 2.0

# Libraries whose version can change what a file reads as (their text, their numbers).
READING_LIBRARIES = ("pydantic", "pdfplumber", "pdfminer.six", "pypdfium2", "openpyxl", "xlrd", "python-docx",
                     "charset-normalizer", "rapidocr-onnxruntime", "rapidocr")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    name TEXT PRIMARY KEY,        -- the result's name (OUT/<name>.json)
    source TEXT NOT NULL,         -- the file as the run was given it
    status TEXT NOT NULL,         -- ok | error | retired (its file is gone: extractor/retire.py)
    reason TEXT,                  -- error: the one line the run printed
    sha256 TEXT,                  -- the document's bytes
    key TEXT,                     -- ok: what decided the result (see the module's docstring)
    result_sha256 TEXT,           -- ok: the result file as written
    text_sha256 TEXT,             -- ok: a PDF's or a spreadsheet's text written beside it
    tally TEXT,                   -- ok: the document's counts for the summary line (JSON)
    warnings TEXT,                -- ok: what the loader noted (JSON list)
    updated TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class ManifestRow:
    name: str
    source: str
    status: str
    reason: str | None


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The tool's version, its code and prompts, the reading libraries' versions and Python's: one hash."""
    from importlib import metadata
    from importlib.util import find_spec

    h = hashlib.sha256()
    try:
        h.update(metadata.version("budget-extract").encode())
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        h.update(b"unversioned")
    h.update(sys.version.encode())
    for name in READING_LIBRARIES:
        try:
            h.update(f"\x1f{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"\x1f{name}=-".encode())
    for package in ("extractor", "schemas", "verify", "prompts"):
        root = Path(find_spec(package).origin).parent  # found, not imported: this process may not need it
        for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".md") and "__pycache__" not in p.parts):
            h.update(b"\x1e" + f"{package}/{path.relative_to(root).as_posix()}".encode() + b"\x1f")
            h.update(path.read_bytes())
    return h.hexdigest()


def run_settings(options, pretty: bool, max_size: int | None, model) -> str:
    """What the run's options contribute to every key (the same for every document of a run)."""
    return json.dumps({
        "tool": tool_fingerprint(), "backend": options.backend, "cross_check": options.cross_check,
        "hints": [h.model_dump(mode="json") for h in options.hints],
        "taught": sorted(map(list, options.taught)), "pretty": pretty, "max_size": max_size,
        "max_size_env": os.environ.get("BUDGET_EXTRACT_MAX_SIZE"),
        "max_pages_env": os.environ.get("BUDGET_EXTRACT_MAX_PAGES"),
        "model": model.model_dump(mode="json") if model is not None else None,
    }, sort_keys=True, ensure_ascii=False)


def document_key(settings: str, sha256: str, name: str, path: Path, decisions) -> str:
    """The key of one document's result: the run's settings, its bytes, its names and its decisions in force."""
    body = json.dumps({"settings": settings, "sha256": sha256, "name": name, "path": str(path),
                       "decisions": [d.model_dump(mode="json") for d in decisions]},
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8", "surrogateescape")).hexdigest()  # a name that is not UTF-8


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Manifest:
    """``OUT/manifest.sqlite``: a row per document name, written as each document is written."""

    def __init__(self, path: Path, create: bool = False):
        self.path = path
        self._pending: list[tuple] = []  # rows recorded since the last batch was written
        self._flushed = time.monotonic()
        if create:
            self.db = sqlite3.connect(path, isolation_level=None)
            # The default rollback journal: between two documents no side file exists (a killed run leaves none).
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        else:
            self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)

    @classmethod
    def of_folder(cls, out: Path) -> Manifest | None:
        """The manifest of a results folder, read-only, or None when `run` wrote none there (or it is unreadable)."""
        path = out / MANIFEST_NAME
        if not path.is_file():
            return None
        try:
            manifest = cls(path)
            manifest.db.execute("SELECT count(*) FROM documents").fetchone()
        except sqlite3.Error:
            return None
        return manifest

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.db.close()

    def flush(self) -> None:
        """Write the rows recorded since the last batch, in one transaction."""
        self._flushed = time.monotonic()
        if not self._pending:
            return
        rows, self._pending = self._pending, []
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany("INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- written by run ---------------------------------------------------------------------------

    def record_ok(self, name: str, source: Path, sha256: str, key: str, result_sha256: str,
                  text_sha256: str | None, tally: dict, warnings: tuple[str, ...]) -> None:
        """A document the rules settled: its result file's hash (and its text's beside it), and its counts."""
        self._put(name, source, "ok", None, sha256, key, result_sha256, text_sha256, json.dumps(tally),
                  _stored_json(list(warnings)))

    def record_read(self, name: str, source: Path, sha256: str) -> None:
        """A document a model read: listed, never skipped (its key would hold the model's answers)."""
        self._put(name, source, "ok", None, sha256, None, None, None, None, None)

    def record_error(self, name: str, source: Path, reason: str) -> None:
        self._put(name, source, "error", reason, None, None, None, None, None, None)

    def _put(self, name, source, status, reason, sha256, key, result_sha, text_sha, tally, warnings) -> None:
        from .review.store import now_iso

        self._pending.append((stored_text(name), stored_text(str(source)), status, stored_text(reason), sha256, key, result_sha,
                              text_sha, tally, warnings, now_iso()))
        if len(self._pending) >= FLUSH_ROWS or time.monotonic() - self._flushed >= FLUSH_SECONDS:
            self.flush()

    def has_result(self, name: str) -> bool:
        """Whether an earlier run wrote this document's result (only then is its file hashed to compare keys)."""
        self.flush()
        return self.db.execute("SELECT 1 FROM documents WHERE name = ? AND status = 'ok'",
                               (stored_text(name),)).fetchone() is not None

    def unchanged(self, name: str, key: str, out: Path, store) -> tuple[dict, list[str]] | None:
        """(the document's tally, its warnings) when its result may be kept as it is; None to read it again."""
        from .work import text_file_for

        self.flush()
        row = self.db.execute("SELECT key, result_sha256, text_sha256, tally, warnings, sha256 FROM documents "
                              "WHERE name = ? AND status = 'ok'", (stored_text(name),)).fetchone()
        if row is None or row[0] != key:
            return None
        result_sha, text_sha, tally, warnings, sha = row[1:]
        result = out / f"{name}.json"
        if not _holds(result, result_sha) or (text_sha is not None and not _holds(out / text_file_for(name), text_sha)):
            return None  # removed, or rewritten since (by review, verify or a hand)
        if store is not None and not _store_has(store, name, sha, result, result_sha):
            return None  # another review store, or one that lost the document: its queue must be made again
        return json.loads(tally), json.loads(warnings)

    # -- read by export ----------------------------------------------------------------------------

    @classmethod
    def errors_of(cls, out: Path) -> dict[str, ManifestRow]:
        """The documents whose last run into ``out`` failed, by name; none when `run` wrote no manifest there."""
        manifest = cls.of_folder(out)
        if manifest is None:
            return {}
        try:
            return manifest.errors()
        finally:
            manifest.close()

    def errors(self) -> dict[str, ManifestRow]:
        """The documents whose last run failed, by name (few: held in memory)."""
        return {r[0]: ManifestRow(*r) for r in self.db.execute(
            "SELECT name, source, status, reason FROM documents WHERE status = 'error' ORDER BY name")}


def stored_text(text: str | None) -> str | None:
    """Text SQLite can hold: a file name that is not UTF-8 (its bytes decoded as surrogates) with each such byte
    as ``\\xNN``, as the run's error line shows the name (``load.base.shown``): one spelling in every export."""
    return None if text is None else _UNDECODED.sub(lambda m: f"\\x{ord(m.group()) - 0xdc00:02x}", text)


_UNDECODED = re.compile("[\udc80-\udcff]")


def _stored_json(value) -> str:
    """JSON SQLite can hold: a name's undecodable byte (a surrogate) as its JSON escape, which reads back as it was."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8")


def _holds(path: Path, sha: str) -> bool:
    try:
        return file_sha256(path) == sha
    except OSError:
        return False


def _store_has(store, name: str, sha: str, result: Path, result_sha: str) -> bool:
    """The review store knows the document as this result file: its queue rows were made from it."""
    row = store.db.execute("SELECT sha256, result, result_sha256 FROM documents WHERE name = ?", (name,)).fetchone()
    return row is not None and row[0] == sha and row[2] == result_sha and Path(row[1]) == result.resolve()

"""`review sync DIR`: the review store built from result files that were written elsewhere.

Workers of a cluster (see docs/dask.md) write ``DIR/<name>.json`` with no store at
hand. Afterwards one process — the store's one writer — brings each result into
the store as `run` would have: the decisions people made on earlier versions are
applied (re-verifying the document against its source), the file is rewritten,
and its flags enter the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..export import result_paths
from ..reverify import ReverifyError, read_result, read_source, text_copy
from ..work import Tally
from .service import settle
from .store import ReviewStore


def sync_folder(store: ReviewStore, folder: Path, report, advance: Callable[[], None] = lambda: None) -> None:
    """Every result file of ``folder`` into ``store``, one transaction per document; problems become lines."""
    for place, path in enumerate(result_paths(folder)):
        try:
            result = read_result(path)
            decisions = store.decisions(result.document.name)
            with store.transaction():
                if decisions:
                    known = store.document(result.document.name)
                    source = known.source if known and known.sha256 == result.document.sha256 \
                        else Path(result.document.path)
                    text = read_source(source, result.document.sha256, path, text_copy(result, folder))
                    settle(store, result, text, path, source)
                else:
                    store.sync(result, path)
            report.add(Tally.of(result))
        except ReverifyError as exc:
            report.note(place, f"error: {exc}")
            report.failed += 1
        advance()

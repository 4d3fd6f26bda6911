"""What a run reads with (the backend, cross-checks, the review store's layout hints): light on purpose.

`run`'s own process, the one writer of the results, needs these and not the readers; defined here, they
cost it nothing to import (``pipeline`` re-exports them, where they were first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from schemas import LayoutHint

Backend = Literal["rules", "auto", "llm"]

# A hint's moves taught by a decision of this store: (table kind, header, document name, document sha256).
Taught = frozenset[tuple[str, str, str, str]]


@dataclass
class RunOptions:
    backend: Backend = "auto"
    cross_check: bool = False
    hints: tuple[LayoutHint, ...] = field(default=())  # layout hints from the review store, for the rules reader
    taught: Taught = field(default=frozenset())  # the hints' moves the store's own decisions taught, and where

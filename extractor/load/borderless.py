"""Tables printed without rules: lines whose words fall into the same columns."""

from __future__ import annotations

from .layout import Line, TableBlock


def borderless_tables(lines: list[Line]) -> tuple[list[TableBlock], list[Line]]:
    """The borderless tables among ``lines``, and the lines left as text."""
    return [], lines

"""The text layouts the reading tests rewrite their tab-separated fixtures into, and one way to run such a text.

- ``pipes``: `| a | b |` rows, as Markdown and many converters write tables;
- ``right_aligned``: columns aligned by runs of spaces, as ``pdftotext -layout`` prints a table (label columns
  left-aligned, figures right-aligned, CJK counted double, empty cells left blank);
- ``left_aligned``: each column as wide as its widest cell, as ``pdftotext -layout`` prints a card.
"""

from __future__ import annotations

from functools import partial


def display_width(text: str) -> int:
    """Columns the text takes on a page: CJK characters count double."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0x2e80)


def pipes(text: str) -> str:
    return "\n".join("| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line for line in text.splitlines())


def right_aligned(text: str, labels: tuple[int, ...] = (40,), figures: int = 16) -> str:
    """The first ``len(labels)`` cells of a row left-aligned in columns that wide, the rest right-aligned in columns
    ``figures`` wide; lines with no tab as they are."""
    out = []
    for line in text.splitlines():
        if "\t" not in line:
            out.append(line)
            continue
        cells = line.split("\t")
        lead = "".join(c + " " * (w - display_width(c)) for c, w in zip(cells, labels))
        out.append(lead + "".join(" " * (figures - display_width(c)) + c for c in cells[len(labels):]))
    return "\n".join(out)


def left_aligned(text: str, gap: int = 4) -> str:
    """Every cell left-aligned in a column as wide as the widest cell under it, ``gap`` spaces between columns."""
    rows = [line.split("\t") for line in text.splitlines() if "\t" in line]
    widths: dict[int, int] = {}
    for cells in rows:
        for i, cell in enumerate(cells):
            widths[i] = max(widths.get(i, 0), display_width(cell))
    out = []
    for line in text.splitlines():
        if "\t" not in line:
            out.append(line)
            continue
        cells = line.split("\t")
        out.append("".join(c + " " * (widths[i] - display_width(c) + gap) for i, c in enumerate(cells)).rstrip())
    return "\n".join(out)


def layouts(**spaced) -> dict:
    """Tab, pipe and space-aligned renderings of a tab-separated fixture (``spaced``: ``right_aligned``'s widths)."""
    return {"tab": lambda t: t, "pipe": pipes, "spaced": partial(right_aligned, **spaced)}


def run_text(tmp_path, text: str, name: str = "doc.txt"):
    """The whole pipeline (load → read → verify) on ``text`` written to a file: (result, the text loaded)."""
    from extractor.load import load_document
    from extractor.pipeline import extract_document
    from verify import verify_result

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    return verify_result(extract_document(doc), doc.text), doc.text

"""How a flag reads to a person: the source lines around its values, with the characters marked."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from schemas import Flag

from verify.checks import CHECKS


@dataclass
class Line:
    number: int  # 1-based
    start: int  # offset of the line's first character in the document
    text: str
    marks: list[tuple[int, int]] = field(default_factory=list)  # [start, end) within the line


@dataclass
class Excerpt:
    lines: list[Line]
    more: int = 0  # lines left out of a long span (a whole section), after the ones shown
    last: int = 0  # the number of the last line left out

    def as_json(self) -> dict:
        return {"lines": [{"number": ln.number, "offset": ln.start, "text": ln.text, "marks": ln.marks}
                          for ln in self.lines], "lines_not_shown": self.more}


def line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
    return starts


def excerpts(text: str, spans: list[tuple[int, int]], context: int = 2, max_lines: int = 12) -> list[Excerpt]:
    """The lines holding each span plus ``context`` lines either side; nearby windows merge.

    A window longer than ``max_lines`` (a flag on a whole section) shows its start only.
    """
    if not text or not spans:
        return []
    starts = line_starts(text)
    windows: list[list[int]] = []
    for s, e in sorted(spans):
        first = bisect_right(starts, s) - 1
        last = bisect_right(starts, max(s, e - 1)) - 1
        lo, hi = max(0, first - context), min(len(starts) - 1, last + context)
        if windows and lo <= windows[-1][1] + 1:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    out = []
    for lo, hi in windows:
        lines = []
        more = max(0, hi - lo + 1 - max_lines)
        for n in range(lo, hi + 1 - more):
            start = starts[n]
            end = starts[n + 1] - 1 if n + 1 < len(starts) else len(text)
            line = Line(n + 1, start, text[start:end].rstrip("\r"))
            for s, e in spans:
                a, b = max(s, start), min(e, start + len(line.text))
                if a < b:
                    line.marks.append((a - start, b - start))
            line.marks.sort()
            lines.append(line)
        out.append(Excerpt(lines, more, hi + 1))
    return out


def check_description(check: str) -> tuple[str, str]:
    c = CHECKS.get(check)
    return (c.zh, c.en) if c else ("", "")


# What accepting a flag means depends on what the flag is. For most, that the document really prints the
# values (the reading is right, the document itself does not add up). For a completeness flag — a table,
# section or page the document promises and we did not read — there is no value to confirm: accepting it
# acknowledges the gap, which stays in the data as a gap.
_ACCEPT_GAP = {
    "completeness.listed_missing": "acknowledged: the document really lacks this table, though its contents list "
                                   "it; nothing of it is in the data",
    "completeness.unread": "acknowledged: this section stays unread; none of its figures is in the data",
    "completeness.truncated": "acknowledged: the document is cut short; the tables it lacks stay missing from "
                              "the data",
    "document.no_tables": "acknowledged: the file holds no budget table or card to read",
    "source.page_unread": "acknowledged: this page stays unread; none of its figures is in the data",
}


def accept_meaning(check: str, has_values: bool) -> str:
    """What `review accept` says about a flag of ``check`` (with values from the tables or cards, or none)."""
    if check in _ACCEPT_GAP:
        return _ACCEPT_GAP[check]
    if check.startswith("completeness."):
        return "acknowledged: what the document promises here was not read, and stays missing from the data"
    return "the document really prints this" if has_values else "acknowledged: nothing to correct here"


def status_help(flag: Flag) -> str:
    """A flag's status in words, for its own kind (an accepted gap is acknowledged, not confirmed)."""
    if flag.status == "accepted":
        meaning = accept_meaning(flag.check, bool(flag.fields))
        if meaning.startswith("acknowledged"):
            return "a person " + meaning
    return STATUS_HELP.get(flag.status, "")


STATUS_HELP = {
    "open": "needs a decision",
    "stale": ("decided on values that have changed since (a new version of the document, or a later correction of "
              "one of them): decide again"),
    "accepted": "a person confirmed the document really says this",
    "corrected": "closed by a person's correction",
    "rejected": "a person withdrew the wrong value from exports",
}


def flag_json(document: str, flag: Flag) -> dict:
    data = flag.model_dump(mode="json")
    data["document"] = document
    data["fields"] = [{"number": i, "key": ref.path, "label": ref.label, "value": ref.value,
                       "span": list(ref.span) if ref.span else None}
                      for i, ref in enumerate(flag.fields, 1)]
    return data

"""Invariance of the whole pipeline under a layout variant: the same facts, no new error flags.

``compare(original, variant)`` takes two verified results (see ``run_text``) and says:

- **facts**: every extracted value keyed by (table kind, row key, column key) — the row key is the
  classification code for functional and economic tables, the item key or the label for item tables,
  side and label for two-sided tables (the verifier's own row key) — and for cards by (card kind,
  project code, card title, row label, column). Keys are compared with whitespace removed, values as
  Decimals, spans ignored, as multisets (a table may print the same key twice). ``recall`` is the share
  of the original's (key, value) pairs found in the variant; ``extra`` counts the variant's pairs the
  original does not have: misplaced or invented values.
- **new error flags**: error flags of the variant that the original does not raise, compared by check and
  the value paths involved (never by id or span, which depend on the text). ``read.ambiguous`` flags —
  a reader naming the alternatives it could not choose between — are counted apart, as a share of the
  variant's values.
- **spans**: every value's span in the variant's text must hold it (the text there parses to the value),
  and the verifier must not have had to re-point any (``span_fixes``).
"""

from __future__ import annotations

import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

AMBIGUOUS = "read.ambiguous"


def _squash(s) -> str:
    return "".join(str(s).split()) if s is not None else ""


@dataclass
class Run:
    """One document through the whole pipeline: the verified result, the text its spans point into, the time."""

    result: object
    text: str
    seconds: float


def run_text(name: str, text: str, folder: Path | None = None) -> Run:
    """Write ``text`` to ``<folder>/<name>.txt`` and run the whole pipeline on it, as `run` does.

    The file goes through the loader like any input, so the spans are checked against the text the
    pipeline decoded, not the string we wrote.
    """
    from extractor.load import load_document
    from extractor.pipeline import run_file

    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="variants-"))
    path = Path(folder) / f"{name}.txt"
    path.write_text(text, encoding="utf-8", newline="")
    started = time.perf_counter()
    result = run_file(path)
    seconds = time.perf_counter() - started
    return Run(result=result, text=load_document(path).text, seconds=seconds)


# ---------------------------------------------------------------------------------------------------
# Facts


def _card_names(result) -> dict[str, str]:
    """Each card's section id → a name that does not depend on where the card sits in the text."""
    seen: Counter = Counter()
    out = {}
    for card in result.cards:
        base = "|".join((card.kind, _squash(card.project_code.text if card.project_code else ""),
                         _squash(card.project_name.text if card.project_name else card.title)))
        seen[base] += 1
        out[card.section_id] = f"{base}#{seen[base]}"
    return out


CARD_KINDS = ("performance_target", "department_performance_target")


def is_card(key: tuple) -> bool:
    return key[0] in CARD_KINDS


def fact_key(fact: dict) -> tuple:
    """(table kind, row key, column key), or for a card (kind, project code, title, row label, column)."""
    if fact["table"] in CARD_KINDS:
        return (fact["table"], _squash(fact["row_code"]), _squash(fact["title"]), _squash(fact["row_label"]),
                fact["column"])
    path, column = fact["field"], fact["column"]
    name = path.split("[", 1)[0]
    if not (name.split("#")[0] == fact["table"] and path.endswith(f"].{column}")):
        # a path in another form: fall back on the exported row code or label
        return (fact["table"], _squash(fact["row_code"] or fact["row_label"]), column)
    row = path[len(name) + 1:len(path) - len(column) - 2]  # kind[ROW].column
    return (fact["table"], _squash(row), column)


def facts(result) -> Counter:
    """The multiset of (key, value) pairs of a result."""
    from extractor.export import result_facts

    return Counter((fact_key(f), Decimal(f["value"])) for f in result_facts(result) if f["value"] is not None)


# ---------------------------------------------------------------------------------------------------
# Flags


def _normal_path(path: str, cards: dict[str, str]) -> str:
    """A value path without what depends on the text's layout: a kind's occurrence number, a card's section id."""
    m = re.match(r"^([a-z_]+)(#\d+)?\[(.*?)\](.*)$", path)
    if not m:
        return path
    kind, _, key, rest = m.groups()
    return f"{kind}[{cards.get(key, key)}]{rest}"


def _section_kind(result, section_id: str | None) -> str:
    for s in result.sections:
        if s.id == section_id:
            return s.kind
    return ""


def flag_signature(flag, result, cards: dict[str, str]) -> tuple:
    paths = tuple(sorted(_normal_path(ref.path, cards) for ref in flag.fields))
    return (flag.check, paths or (_section_kind(result, flag.section_id),))


def error_signatures(result) -> Counter:
    cards = _card_names(result)
    return Counter(flag_signature(f, result, cards) for f in result.flags
                   if f.severity == "error" and f.check != AMBIGUOUS)


def ambiguous_values(result) -> set[str]:
    out = set()
    for f in result.flags:
        if f.check == AMBIGUOUS:
            out.update(ref.path for ref in f.fields) if f.fields else out.add(f.id)
    return out


# ---------------------------------------------------------------------------------------------------
# Spans


def span_misses(result, text: str) -> list[str]:
    """Values whose parts do not hold them in ``text``."""
    from schemas.common import parse_amount
    from verify.grounding import amount_slots

    misses = []
    for slot in amount_slots(result):
        a = slot.amount
        if a.backend == "person":
            continue
        if not all(0 <= s <= e <= len(text) for s, e in a.parts) or parse_amount(a.source_text(text)) != a.value:
            misses.append(f"{slot.path}={a.value} at {a.parts}: {a.source_text(text)[:30]!r}")
    return misses


# ---------------------------------------------------------------------------------------------------
# The comparison


@dataclass
class Comparison:
    facts_original: int
    facts_variant: int
    matched: int
    missing: list = field(default_factory=list)  # (key, value) of the original not in the variant
    extra: list = field(default_factory=list)  # (key, value) of the variant not in the original
    new_errors: list = field(default_factory=list)  # (signature, message) of each new error flag
    ambiguous: int = 0  # values the variant flags read.ambiguous
    span_misses: list = field(default_factory=list)
    span_fixes: int = 0  # values whose span the verifier had to re-point, beyond the original's
    unread_original: int = 0
    unread_variant: int = 0
    seconds: float = 0.0
    original_cards: int = 0  # how many of the original's facts are cards'

    @property
    def recall(self) -> float:
        return self.matched / self.facts_original if self.facts_original else 1.0

    @property
    def ambiguous_share(self) -> float:
        return self.ambiguous / self.facts_variant if self.facts_variant else 0.0

    def recall_of(self, cards: bool) -> tuple[int, int]:
        """(matched, total) for the tables' facts (cards=False) or the cards' (cards=True)."""
        total = self.original_cards if cards else self.facts_original - self.original_cards
        return total - sum(1 for key, _ in self.missing if is_card(key) == cards), total

    def summary(self, limit: int = 8) -> str:
        lines = [f"recall {self.recall:.1%} ({self.matched}/{self.facts_original}), extra {len(self.extra)}, "
                 f"new error flags {len(self.new_errors)}, read.ambiguous {self.ambiguous} "
                 f"({self.ambiguous_share:.1%} of {self.facts_variant}), span misses {len(self.span_misses)}, "
                 f"span fixes {self.span_fixes}, unread {self.unread_original} → {self.unread_variant}"]
        if self.missing:
            lines.append("missing: " + "; ".join(f"{k}={v}" for k, v in self.missing[:limit]))
        if self.extra:
            lines.append("extra: " + "; ".join(f"{k}={v}" for k, v in self.extra[:limit]))
        if self.new_errors:
            lines.append("new errors: " + "; ".join(f"{s[0]} {m}" for s, m in self.new_errors[:limit]))
        if self.span_misses:
            lines.append("span misses: " + "; ".join(self.span_misses[:limit]))
        return "\n".join(lines)


def compare(original: Run, variant: Run) -> Comparison:
    a, b = facts(original.result), facts(variant.result)
    common = a & b
    missing = sorted((a - b).elements(), key=str)
    extra = sorted((b - a).elements(), key=str)
    base = error_signatures(original.result)
    cards = _card_names(variant.result)
    new, budget = [], Counter(base)
    for f in variant.result.flags:
        if f.severity != "error" or f.check == AMBIGUOUS:
            continue
        sig = flag_signature(f, variant.result, cards)
        if budget[sig] > 0:
            budget[sig] -= 1
        else:
            new.append((sig, f.message_en or f.message))
    comp = Comparison(
        facts_original=sum(a.values()), facts_variant=sum(b.values()), matched=sum(common.values()),
        missing=missing, extra=extra, new_errors=new, ambiguous=len(ambiguous_values(variant.result)),
        span_misses=span_misses(variant.result, variant.text),
        span_fixes=max(0, len(variant.result.span_fixes) - len(original.result.span_fixes)),
        unread_original=len(original.result.unread), unread_variant=len(variant.result.unread),
        seconds=variant.seconds, original_cards=sum(n for (k, _), n in a.items() if is_card(k)),
    )
    return comp

"""Collecting flags: stable ids, bilingual messages, every involved span."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from schemas import Flag, Span

from .checks import CHECKS
from .values import Val


# Units whose amounts documents print grouped by thousands (1,922,200.00 元): messages show them the same way.
GROUPED_UNITS = frozenset({"元", "千元"})


def fmt(d: Decimal, unit: str | None = None) -> str:
    """A number as a message shows it: its digits as printed (9.00 stays 9.00); an amount in 元 grouped by thousands,
    as documents print it (1,922,200.00). Every message formats its numbers here."""
    return format(d, ",f") if unit in GROUPED_UNITS else format(d, "f")


def flag_id_for(sha: str, name: str, check: str, key: str, paths: list[str]) -> str:
    """Stable for the same file under the same name; two copies of a file under two names get two ids,
    so that a person's ``review show ID`` always means one flag."""
    return "F" + hashlib.sha256("\x1f".join([sha, name, check, key, *paths]).encode()).hexdigest()[:12]


def subject_for(check: str, key: str, paths: list[str], aliases: dict[str, str] | None = None) -> str:
    """What a flag is about, whatever the version of the document: its check and the values involved.

    ``aliases``: the keys of cards by their identity in place of their section (``verify.values.card_aliases``),
    so that a card's question stays the same question when a table is added before it."""
    if aliases:
        key, paths = stable_path(key, aliases), sorted(stable_path(p, aliases) for p in paths)
    return "S" + hashlib.sha256("\x1f".join([check, key, *paths]).encode()).hexdigest()[:12]


def stable_path(path: str, aliases: dict[str, str]) -> str:
    """``path`` with a card's section key replaced by its identity key (``aliases``), and an indicator's place by
    its name where the aliases name it; other paths as they are."""
    head, sep, rest = path.partition("]")
    if not sep:
        return path
    inner, sep2, rest2 = rest.partition("]")
    if sep2 and head + sep + inner + sep2 in aliases:
        return aliases[head + sep + inner + sep2] + rest2
    return aliases[head + sep] + rest if head + sep in aliases else path


class Flagger:
    """Gathers the flags of one document; the same problem yields the same id on every run."""

    # Whether the flags' messages are wanted. A flagger that only weighs readings (``verify.choose``) says no, and
    # checks that fail often while readings are weighed word their messages through ``fails``, which then skips it.
    worded = True

    def __init__(self, document_sha256: str, document_name: str = "", aliases: dict[str, str] | None = None):
        self.sha = document_sha256
        self.name = document_name
        self.aliases = aliases or {}
        self.flags: dict[str, Flag] = {}
        self.held_claims: set[str] = set()  # narrative[<id>] paths some comparison held for

    def add(self, check: str, severity: str, message: str, message_en: str, vals: list[Val] = (),
            expected: Decimal | str | None = None, found: Decimal | str | None = None,
            spans: list[Span] = (), section_id: str | None = None, key: str = "") -> Flag:
        if check not in CHECKS:
            raise KeyError(f"unregistered check {check!r}: add it to verify/checks.py")
        paths = sorted({v.path for v in vals})
        flag_id = flag_id_for(self.sha, self.name, check, key, paths)
        all_spans = sorted({*(v.amount.span for v in vals), *spans})
        flag = Flag(
            id=flag_id, subject=subject_for(check, key, paths, self.aliases), check=check, severity=severity, message=message, message_en=message_en,
            expected=fmt(expected) if isinstance(expected, Decimal) else expected,
            found=fmt(found) if isinstance(found, Decimal) else found,
            spans=[list(s) for s in all_spans], fields=[v.ref() for v in vals],
            section_id=section_id or (vals[0].section_id if vals else None),
        )
        self.flags.setdefault(flag_id, flag)
        return flag

    def fails(self, check: str, severity: str, words, vals: list[Val] = (),
              expected: Decimal | str | None = None, found: Decimal | str | None = None,
              spans: list[Span] = (), section_id: str | None = None, key: str = "") -> None:
        """``add``, the messages given by ``words()`` → (message, message_en), asked only when the flagger is
        ``worded``."""
        message, message_en = words() if self.worded else ("", "")
        self.add(check, severity, message, message_en, vals, expected, found, spans, section_id, key)

    def held(self, check: str, vals: list[Val]) -> None:
        """A relation that holds: nothing to report (a flagger that weighs readings counts these). The narrative's
        figures it held for are kept: a claim is verified only when some comparison held for it."""
        for v in vals:  # (a plain loop: every relation that holds comes here)
            if v.path.startswith("narrative["):
                self.held_claims.add(v.path)

    def sum_mismatch(self, check: str, where: str, en_where: str, total: Val, parts: list[Val],
                     gap: Decimal, severity: str = "error") -> Flag:
        """A flag for total ≠ Σ parts, worded the way a person reads the table."""
        found = total.value - gap
        rhs = " + ".join(f"{p.what} {p.text}" for p in parts) or "0"
        rhs_en = " + ".join(f"{p.en_what} {p.text}" for p in parts) or "0"
        allow = fmt(sum((v.term.half for v in [total, *parts]), Decimal(0)))
        unit = total.unit
        return self.add(
            check, severity,
            f"{where}: {total.what} {total.text} ≠ {rhs} = {fmt(found, unit)}（差 {fmt(gap, unit)}，舍入容差 {allow}）",
            f"{en_where}: {total.en_what} {total.text} ≠ {rhs_en} = {fmt(found, unit)} "
            f"(difference {fmt(gap, unit)}, rounding allows < {allow})",
            [total, *parts], expected=found, found=total.value,
        )

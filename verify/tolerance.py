"""Rounding-aware comparisons (in the spirit of XBRL Calculations 1.1).

A printed amount stands for every exact value that rounds to it: "10008.09"
for [10008.085, 10008.095). A relation between printed amounts holds when some
choice of exact values inside those intervals satisfies it exactly. For a sum
that means the printed difference is strictly smaller than the sum of the
half-units of every amount involved (the total included): 224.41 against
149.15 + 75.27 = 224.42 passes (difference 0.01 < 3 × 0.005), 1182.71 against
1182.72 does not (0.01 is not < 2 × 0.005).

Half-open intervals are why the boundary itself fails: two amounts printed to
the cent that differ by exactly a cent cannot be roundings of the same value.
"""

from __future__ import annotations

from typing import NamedTuple
from decimal import Decimal
from functools import lru_cache

ZERO = Decimal(0)


def printed_places(value: Decimal) -> int:
    """Decimals as printed: 3 for 0.125, 0 for 1760 (and for 1.76E+3)."""
    text = str(value)  # the decimal string keeps trailing zeros: "9.00"
    if "E" in text:
        exponent = value.as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0
    dot = text.find(".")
    return len(text) - dot - 1 if dot >= 0 else 0


@lru_cache(maxsize=64)
def half_unit(places: int) -> Decimal:
    """Half of the last printed place: 0.005 for two decimals, 0.5 for none."""
    return Decimal(5).scaleb(-(places + 1))


class Term(NamedTuple):
    """A printed value and the half-unit its rounding allows."""

    value: Decimal
    half: Decimal

    @classmethod
    def printed(cls, value: Decimal, places: int | None = None) -> "Term":
        return cls(value, half_unit(printed_places(value) if places is None else places))


def allowance(terms: list[Term]) -> Decimal:
    return sum((t.half for t in terms), ZERO)


def sum_gap(total: Term, parts: list[Term]) -> Decimal | None:
    """``total - Σ parts`` when rounding cannot explain it, else None."""
    # (Plain loops, no generators: every relation of every table is weighed here.)
    printed = ZERO
    for p in parts:
        printed += p.value
    gap = total.value - printed
    if not gap:
        return None
    allowed = total.half
    for p in parts:
        allowed += p.half
    return gap if abs(gap) >= allowed else None


def exceeds(small: Term, large: Term) -> Decimal | None:
    """``small - large`` when ``small ≤ large`` cannot hold even after rounding, else None."""
    gap = small.value - large.value
    return gap if gap > 0 and gap >= small.half + large.half else None


def _interval(t: Term) -> tuple[Decimal, Decimal]:
    return t.value - t.half, t.value + t.half


def _overlaps(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> bool:
    # Open intervals: touching ends do not overlap (see the module docstring).
    return a[0] < b[1] and b[0] < a[1]


def product_holds(total: Term, quantity: Term, price: Term) -> bool:
    """total = quantity × price for some exact values behind the printed ones (all non-negative)."""
    q_lo, q_hi = _interval(quantity)
    p_lo, p_hi = _interval(price)
    lo = max(q_lo, ZERO) * max(p_lo, ZERO)
    return _overlaps(_interval(total), (lo, q_hi * p_hi))


def share_holds(percent: Term, part: Term, whole: Term) -> bool:
    """percent = part / whole × 100 for some exact values behind the printed ones."""
    w_lo, w_hi = _interval(whole)
    p_lo, p_hi = _interval(part)
    if w_lo <= 0:
        return True  # a whole that may be zero says nothing about the share
    lo, hi = max(p_lo, ZERO) / w_hi * 100, p_hi / w_lo * 100
    return _overlaps(_interval(percent), (lo, hi))


def change_rate_holds(percent: Term, change: Term, previous: Term) -> bool:
    """percent = change / previous × 100 (growth rates: 增长143.56%)."""
    return share_holds(percent, change, previous)

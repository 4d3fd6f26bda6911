"""Rounding tolerance: a relation fails only when rounding cannot explain the difference."""

from decimal import Decimal as D

from verify.tolerance import (
    Term, allowance, exceeds, half_unit, printed_places, product_holds, share_holds, sum_gap,
)


def t(s: str) -> Term:
    return Term.printed(D(s))


def test_printed_places_and_half_units():
    assert [printed_places(D(s)) for s in ("10008.09", "1760", "4.3", "280.000000")] == [2, 0, 1, 6]
    assert half_unit(2) == D("0.005") and half_unit(0) == D("0.5")


def test_the_documents_own_one_cent_difference_passes():
    # 003 行政运行: basic 224.41 printed against 人员经费 149.15 + 公用经费 75.27 = 224.42.
    assert sum_gap(t("224.41"), [t("149.15"), t("75.27")]) is None


def test_two_terms_one_cent_apart_fail_at_the_boundary():
    # Allowance 2 × 0.005 = 0.01; the difference 0.01 reaches it, which rounding cannot produce.
    assert allowance([t("1182.71"), t("1182.72")]) == D("0.01")
    assert sum_gap(t("1182.71"), [t("1182.72")]) == D("-0.01")


def test_three_terms_just_below_and_at_the_boundary():
    # Three amounts printed to one decimal: allowance 0.15. A 0.1 gap passes, 0.2 fails.
    assert sum_gap(t("10.1"), [t("5.0"), t("5.0")]) is None
    assert sum_gap(t("10.2"), [t("5.0"), t("5.0")]) == D("0.2")
    # Mixed precision: "5" stands for [4.5, 5.5); 10.49 vs 5 + 5.00 → gap 0.49 < 0.5 + 0.005 + 0.005.
    assert sum_gap(t("10.49"), [t("5"), t("5.00")]) is None
    assert sum_gap(t("10.51"), [t("5"), t("5.00")]) == D("0.51")


def test_exact_terms_have_no_allowance():
    assert sum_gap(Term(D(100), D(0)), [Term(D("99.99"), D(0))]) == D("0.01")
    assert sum_gap(Term(D(100), D(0)), [Term(D(100), D(0))]) is None


def test_exceeds_is_rounding_aware():
    assert exceeds(t("79.77"), t("79.76")) == D("0.01")  # 0.01 ≥ 0.005 + 0.005
    assert exceeds(t("79.76"), t("79.76")) is None
    assert exceeds(t("79.8"), t("79.76")) is None  # 79.8 may be 79.75…79.85


def test_product_within_rounding_of_the_unit_price():
    # 002 procurement: 1000 × 0.00 = 2.00 — a unit price under 0.005 万元 prints as 0.00.
    assert product_holds(t("2.00"), Term(D(1000), D(0)), t("0.00"))
    assert product_holds(t("88.25"), Term(D(1), D(0)), t("88.25"))
    assert not product_holds(t("88.25"), Term(D(1), D(0)), t("88.35"))


def test_shares_recompute_within_rounding():
    # 003: 基本支出660.56万元，占23.54% of 2805.56.
    assert share_holds(t("23.54"), t("660.56"), t("2805.56"))
    assert not share_holds(t("23.64"), t("660.56"), t("2805.56"))

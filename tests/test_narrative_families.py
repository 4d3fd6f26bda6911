"""Families of narrative (说明) wordings other provinces, cities and counties print, each checked against the tables.

Every test puts one generated paragraph after the tables of a generated county department (``county_budget``: the
tables alone raise no flag) and plants a figure the tables do not bear out, or states the right one; each wording
family is run in several variants. A figure that names a table line is compared with it, an empty line as 0; a
figure the tables do not print is said to be so.
"""

from __future__ import annotations

import pytest

from county_budget import narrative_flags, run


@pytest.mark.parametrize("name", ["单位资金", "事业收入"])
def test_non_fiscal_income_named_unit_funds_does_not_tie_the_summary_to_the_fiscal_tables(name):
    # 20.00 万元 of non-fiscal income: the summary and the expenditure summary rightly exceed the fiscal tables.
    result = run("", non_fiscal=name)
    assert [f.message for f in result.flags] == []

"""Render the column reference (docs/columns.md) from the registry, so the docs cannot drift from the code."""

from __future__ import annotations

from .tables import STANDARD_TABLE_KINDS, TABLE_SPECS


def columns_markdown() -> str:
    out = [
        "# Table kinds and column keys",
        "",
        "Generated from `schemas/tables.py` by `python -m schemas.docs > docs/columns.md`; a test fails when it is stale.",
        "Every amount is in the unit its table states (`Table.unit`: 万元, 元, 千元, 亿元; 万元 where no table of the",
        "document states one, recorded as `unit_from: assumed`); a `count` is a number of things, a `percent` a rate",
        "in % (printed `-6.25%`, kept as -6.25). Years in a header are read relative to the latest it names",
        "(`2024年预算数 | 2025年预算数` are `previous_year | total`). A group of columns per year (the national 三公",
        "table on one line: `2024年预算数` and `2025年预算数` each over 合计 | 因公出国（境）费 | …) is read the same way:",
        "this year's keys take this year's group; last year's 合计 is `previous_year`, its other columns keep their",
        "header paths (`2024年预算数/公务接待费`), and each group's sum is checked.",
        "",
        "Final accounts (决算) print the same tables under their own titles and columns: each is read as its budget",
        "twin — 支出决算表 is `expenditure_summary`, 收入支出决算总表 `income_expenditure_summary`, 一般公共预算财政拨款基本支出",
        "决算明细表 `general_budget_basic_expenditure` …, and `决算数` / `本年决算数` / `2025年决算数` take the key `预算数` takes",
        "(`total`; `income_amount` / `expenditure_amount` in the 收支总表; `上年决算数` is `previous_year`). The Chinese names",
        "below are the budget's; a kind's 决算 name, where it differs, follows it (`final_zh`). Which a document is, the",
        "result's `document.stage` says (`budget` / `final_accounts`); a final accounts is expected to have the kinds",
        "marked *in a 决算* (`in_final_accounts`): it prints no project, procurement, purchased-services or asset",
        "table, so `completeness` lists those only where it prints or its contents list them, and names each by its",
        "决算 name. A final account's table that prints the year's budget beside what was spent (`预算数` over 合计 |",
        "因公出国（境）费 | … beside `决算数` over the same, or `预算数 | 决算数` flat; also `年初预算数`, `调整后预算数`) takes",
        "its keys from the 决算数; the budget's columns keep their header paths (`预算数/公务接待费`), each group checked",
        "on its own.",
        "",
        "A header the registry does not know is kept as its own column, keyed by its header path (`用事业基金弥补收支差额`,",
        "`基本支出/人员经费/津贴补贴`), and checked: under a header with a column of its own (or a 小计), siblings add up to",
        "it; printed flat beside the parts of the table's 合计, it is one more part of that 合计 (the row sum is the sum of",
        "the columns the row prints; last year's, change and rate columns and 其中 columns are not parts). A column whose",
        "cells all hold words is a text column (采购方式), and the first is the rows' label where the header names none.",
        "A registry column printed flat that no relation of `verify/tables.py` names says which total it is part of",
        "with `sums_into`: adding a column another province prints is one entry here.",
        "",
    ]
    for spec in TABLE_SPECS:
        final = f" · 决算: {spec.final_zh}" if spec.final_zh else ""
        expected = " · in a 决算" if spec.in_final_accounts and spec.kind in STANDARD_TABLE_KINDS else ""
        out += [f"## `{spec.kind}` — {spec.zh}{final}{expected}", "", spec.description, "",
                f"Rows keyed by: {spec.row_key}.", ""]
        if spec.columns:
            out += ["| key | 中文 | type | side |", "|---|---|---|---|"]
            out += [f"| `{c.key}` | {c.zh} | {c.type} | {c.side or ''} |" for c in spec.columns]
            out.append("")
        if spec.items:
            out += ["Fixed lines (`item`): " + ", ".join(f"`{i.key}` {i.zh}" for i in spec.items), ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(columns_markdown())

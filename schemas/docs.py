"""Render the column reference (docs/columns.md) from the registry, so the docs cannot drift from the code."""

from __future__ import annotations

from .tables import TABLE_SPECS


def columns_markdown() -> str:
    out = [
        "# Table kinds and column keys",
        "",
        "Generated from `schemas/tables.py` by `python -m schemas.docs > docs/columns.md`; a test fails when it is stale.",
        "Every amount is in the unit its table states (`Table.unit`: 万元, 元, 千元, 亿元; 万元 where no table of the",
        "document states one, recorded as `unit_from: assumed`); a `count` is a number of things, a `percent` a rate",
        "in % (printed `-6.25%`, kept as -6.25). Years in a header are read relative to the latest it names",
        "(`2024年预算数 | 2025年预算数` are `previous_year | total`).",
        "",
    ]
    for spec in TABLE_SPECS:
        out += [f"## `{spec.kind}` — {spec.zh}", "", spec.description, "", f"Rows keyed by: {spec.row_key}.", ""]
        if spec.columns:
            out += ["| key | 中文 | type | side |", "|---|---|---|---|"]
            out += [f"| `{c.key}` | {c.zh} | {c.type} | {c.side or ''} |" for c in spec.columns]
            out.append("")
        if spec.items:
            out += ["Fixed lines (`item`): " + ", ".join(f"`{i.key}` {i.zh}" for i in spec.items), ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(columns_markdown())

"""A decision on a card's indicator follows the indicator, not its place in the card.

A department republishes its budget with one indicator more in a card, printed above one a person already
decided on. The indicator's value is then the 5th of the card, not the 4th; the question about it is the
same question (same check, same figure, same card) and must not be asked again. The trail keys a card's
values by the card's identity and each named indicator by its name (``verify.values.indicator_keys``); a
trail recorded before indicators were keyed by name (``indicators[3]``) keeps meaning the indicator at that
place. An indicator the new version no longer prints leaves its decision shown, never dropped.
Real processes (the CLI in subprocesses) on the corpus document 003, which prints each card twice.
"""

from __future__ import annotations

import shutil

from conftest import EXAMPLES
from test_cli import cli
from test_review_moves import as_json, queue, review

DOC = "003_aca33df6c8a48681"
ABOVE = "\t\t时效指标\t救助资金使用年度\t2024年\n"  # the line above the decided indicator, in both printings
COST = "救助资金使用金额"


def _run(docs, out):
    cli("run", docs, "--out", out)


def _cost_flags(out) -> list[dict]:
    return [q for q in as_json(review("list", "--db", out, "--json", "--status", "all")) if q["check"] == "card.cost"]


def _revise(docs, edit) -> None:
    path = docs / f"{DOC}.txt"
    text = path.read_text(encoding="utf-8")
    assert text.count(ABOVE) == 2
    path.write_text(edit(text), encoding="utf-8")


def test_an_indicator_printed_above_a_decided_one_leaves_its_decision_in_force(tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    shutil.copy(EXAMPLES / f"{DOC}.txt", docs)
    _run(docs, out)
    first = queue(out, "--check", "card.cost")[0]
    review("accept", first["id"], "--db", out, "--reviewer", "lead", "--note", "the PDF prints it so")
    trail = as_json(review("history", "--db", out, "--json"))
    assert trail and all(f"indicators[{COST}].value" in " ".join(d["values"]) for d in trail)  # keyed by name

    _revise(docs, lambda t: t.replace(ABOVE, ABOVE + "\t\t时效指标\t救助资金拨付时限\t12月底前\n"))
    _run(docs, out)
    flags = _cost_flags(out)
    assert len(flags) == 2 and all(".indicators[4].value" in f["fields"][0]["key"] for f in flags)  # one place down
    assert {f["status"] for f in flags} == {"accepted"}
    assert queue(out, "--check", "card.cost") == []  # not asked again


def test_a_decided_indicator_the_new_version_drops_leaves_its_decision_shown(tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    shutil.copy(EXAMPLES / f"{DOC}.txt", docs)
    _run(docs, out)
    first = queue(out, "--check", "card.cost")[0]
    review("accept", first["id"], "--db", out)
    _revise(docs, lambda t: "\n".join(line for line in t.split("\n") if COST not in line))
    _run(docs, out)
    assert _cost_flags(out) == []  # nothing left to check the cost of
    shown = as_json(review("list", "--db", out, "--json", "--status", "all"))
    assert any(q["check"] == "review.stale" or q["status"] == "stale" for q in shown), shown


def test_a_trail_recorded_with_indicators_by_place_keeps_its_meaning(tmp_path):
    """Decisions recorded before indicators were keyed by name hold on the same document, and on a version with
    an indicator inserted above they mean the indicator at the place they named (what they were made on)."""
    from extractor.review.service import load_result
    from extractor.review.store import ReviewStore
    from verify.flags import subject_for
    from verify.values import card_aliases

    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    shutil.copy(EXAMPLES / f"{DOC}.txt", docs)
    _run(docs, out)
    first = queue(out, "--check", "card.cost")[0]
    result = load_result(out / f"{DOC}.json")
    [flag] = [f for f in result.flags if f.id == first["id"]]
    [value_path, total_path] = [ref.path for ref in flag.fields]
    assert value_path.endswith(".indicators[3].value") and total_path.endswith(".budget.total")
    card = card_aliases(result.cards)[value_path.split(".")[0]]  # the card by identity, as the trail keys it
    # What the earlier code recorded: the card by identity, the indicator by its place.
    by_place = {f"{card}.indicators[3].value": "49650000", f"{card}.budget.total": "1760.00"}
    legacy = flag.model_copy(update={"subject": subject_for(flag.check, "", sorted(by_place))})
    with ReviewStore(out / "review.sqlite") as store, store.transaction():
        store.record(document=DOC, document_sha256=result.document.sha256, flag=legacy, action="accept",
                     values=by_place, reviewer="earlier")
    _run(docs, out)
    assert {f["id"]: f["status"] for f in _cost_flags(out)}[first["id"]] == "accepted"

    # On a version with an indicator inserted above, it means the indicator now at its place: not the cost's.
    _revise(docs, lambda t: t.replace(ABOVE, ABOVE + "\t\t时效指标\t救助资金拨付时限\t12月底前\n", 1))
    _run(docs, out)
    moved = [f for f in _cost_flags(out) if f["fields"][0]["key"].startswith(value_path.split(".")[0])]
    assert [f["status"] for f in moved] == ["open"]

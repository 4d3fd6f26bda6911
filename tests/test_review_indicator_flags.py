"""A decision on a flag about an indicator itself (``card.indicator_value``: no target value; ``card.indicator_name``)
follows the indicator, not its place in the card, as a decision on an indicator's value does
(``test_review_indicator_keys.py``): the flag is keyed by the card's identity and the indicator's name. A decision
recorded when such flags were keyed by the card's section and the indicator's place (``s40-….indicators[2]``) keeps
meaning the indicator at that place.
Real processes (the CLI in subprocesses) on the corpus document 003 with one target left empty.
"""

from __future__ import annotations

import shutil

from conftest import EXAMPLES
from test_cli import cli
from test_review_moves import as_json, queue, review

DOC = "003_aca33df6c8a48681"
DECIDED = "\t\t时效指标\t救助资金使用年度\t2024年\n"  # printed in both of the card's printings
EMPTIED = "\t\t时效指标\t救助资金使用年度\t\n"
INSERTED = "\t\t时效指标\t救助资金拨付时限\t12月底前\n"


def _docs(tmp_path, edit=lambda t: t):
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    text = (EXAMPLES / f"{DOC}.txt").read_text(encoding="utf-8")
    assert text.count(DECIDED) == 2
    (docs / f"{DOC}.txt").write_text(edit(text.replace(DECIDED, EMPTIED)), encoding="utf-8")
    return docs


def _value_flags(out) -> list[dict]:
    return [q for q in as_json(review("list", "--db", out, "--json", "--status", "all"))
            if q["check"] == "card.indicator_value"]


def test_an_indicator_printed_above_one_with_a_decided_flag_leaves_the_decision_in_force(tmp_path):
    out = tmp_path / "out"
    docs = _docs(tmp_path)
    cli("run", docs, "--out", out)
    flags = queue(out, "--check", "card.indicator_value")
    assert len(flags) == 2 and all("救助资金使用年度" in f["message"] for f in flags)
    for f in flags:
        review("accept", f["id"], "--db", out, "--reviewer", "lead", "--note", "the PDF prints it empty")

    _docs(tmp_path, lambda t: t.replace(EMPTIED, INSERTED + EMPTIED))
    cli("run", docs, "--out", out)
    assert {f["status"] for f in _value_flags(out)} == {"accepted"}
    assert queue(out, "--check", "card.indicator_value") == []  # not asked again


def test_a_decision_recorded_with_the_indicator_by_place_keeps_its_meaning(tmp_path):
    from extractor.review.service import load_result
    from extractor.review.store import ReviewStore
    from verify.cards import indicator_key_by_place
    from verify.flags import subject_for

    out = tmp_path / "out"
    docs = _docs(tmp_path)
    cli("run", docs, "--out", out)
    result = load_result(out / f"{DOC}.json")
    card, i = next((c, i) for c in result.cards for i, ind in enumerate(c.indicators)
                   if ind.name is not None and ind.name.text == "救助资金使用年度")
    [flag] = [f for f in result.flags if f.check == "card.indicator_value" and f.section_id == card.section_id]
    # What the earlier code recorded: the flag keyed by the card's section and the indicator's place.
    legacy = flag.model_copy(update={"subject": subject_for(flag.check, indicator_key_by_place(card, i), [])})
    assert legacy.subject != flag.subject
    with ReviewStore(out / "review.sqlite") as store, store.transaction():
        store.record(document=DOC, document_sha256=result.document.sha256, flag=legacy, action="accept", values={},
                     reviewer="earlier")
    cli("run", docs, "--out", out)
    assert {f["id"]: f["status"] for f in _value_flags(out)}[flag.id] == "accepted"

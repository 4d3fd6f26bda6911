"""A decision applies only while the values it was made on are what they were, whatever order people decide in.

A new user accepted a 三公 total that is off by 10000 (the document prints it), then corrected one of the lines
it sums: the acceptance stayed in force on a difference of 260000, the corrected value was exported as settled,
and the fix said nothing about it. A later correction of a value an acceptance or a rejection was made on makes
that decision stale (not applied, the flag needs review again), as a new version of the document does, and the
command that made the correction says so. The trail keeps every decision (it only grows).

The document is a hand-written fixture (labelled as such: not a real disclosure): a 三公 table whose 合计 is 1.00
more than its lines, and whose 公务用车 line is not the sum of its 其中 lines (the reader takes 公务用车运行费
as a line of its own), so two flags share the 公务用车 value.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli import cli
from test_review_moves import as_json, facts, queue, review, write

THREE_PUBLIC = "\n".join([
    "示范县测试局", "2025年部门预算", "", "2025年一般公共预算“三公”经费支出预算表", "", "单位：万元", "",
    "项目\t预算数", "合计\t31.00", "一、因公出国（境）费\t0.00", "二、公务用车购置及运行费\t25.00",
    "其中：公务用车购置费\t0.00", "公务用车运行费\t20.00", "三、公务接待费\t5.00", ""])
VEHICLE = "three_public_costs[vehicle].total"
TOTAL = "three_public_costs[total].total"


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "out"
    cli("run", write(tmp_path / "docs", "S", THREE_PUBLIC), "--out", folder)
    return folder


def _flags(out: Path) -> tuple[str, str]:
    """The total's flag (合计 ≠ its lines) and the vehicle line's (公务用车 ≠ its 其中 lines)."""
    flags = {tuple(f["key"] for f in flag["fields"])[0]: flag["id"] for flag in queue(out, "--status", "all")}
    return flags[TOTAL], flags[VEHICLE]


def _statuses(out: Path) -> dict[str, str]:
    return {f["id"]: f["status"] for f in queue(out, "--status", "all")}


def _value_statuses(out: Path) -> dict[str, tuple[str, str | None]]:
    return {f["field"]: (f["status"], f["value"]) for f in facts(out, "S")}


def test_a_correction_after_an_acceptance_makes_the_acceptance_stale_and_says_so(out, tmp_path):
    total, vehicle = _flags(out)
    review("accept", total, "--db", out, "--reviewer", "ann", "--note", "the document prints 31.00")
    assert _statuses(out)[total] == "accepted"
    fixed = review("fix", vehicle, "--field", VEHICLE, "--value", "0", "--db", out)
    # The command says the acceptance no longer applies, and why.
    assert f"Now stale: {total}" in fixed.stdout and "decision #1" in fixed.stdout
    assert "25.00 as read when decided → 0" in fixed.stdout
    for when in ("after the fix", "after a rerun"):
        statuses = _statuses(out)
        assert statuses[total] == "stale", when  # needs review again: decided on 25.00, the line is now 0
        assert total in {f["id"] for f in queue(out)}, when
        values = _value_statuses(out)
        assert values[VEHICLE] == ("flagged", "0"), when  # a correction under a flag that needs review is no settled value
        assert values[TOTAL] == ("flagged", "31.00"), when
        cli("run", tmp_path / "docs" / "S.txt", "--out", out)
    history = as_json(review("history", "--db", out, "--json"))
    assert [(d["seq"], d["action"]) for d in history] == [(1, "accept"), (2, "fix")]  # nothing rewritten or dropped

    # Accepting it again, on the values as they are now, is the same end as fixing first and accepting after.
    review("accept", total, "--db", out, "--reviewer", "ann")
    other = tmp_path / "other"
    cli("run", tmp_path / "docs" / "S.txt", "--out", other)
    review("fix", vehicle, "--field", VEHICLE, "--value", "0", "--db", other)
    review("accept", total, "--db", other, "--reviewer", "ann")
    assert _statuses(out) == _statuses(other) and _statuses(out)[total] == "accepted"
    assert _value_statuses(out) == _value_statuses(other)


def test_taking_the_correction_back_puts_the_acceptance_back_in_force(out):
    total, vehicle = _flags(out)
    review("accept", total, "--db", out)
    review("fix", vehicle, "--field", VEHICLE, "--value", "0", "--db", out)
    assert _statuses(out)[total] == "stale"
    review("reopen", vehicle, "--db", out)  # the value is 25.00 again: what the acceptance was made on
    assert _statuses(out)[total] == "accepted"


def test_a_correction_after_a_rejection_makes_the_rejection_stale(out):
    total, vehicle = _flags(out)
    review("reject", total, "--field", TOTAL, "--db", out)
    assert _value_statuses(out)[TOTAL] == ("rejected", None)
    fixed = as_json(review("fix", vehicle, "--field", VEHICLE, "--value", "0", "--db", out, "--json"))
    [opened] = fixed["opened"]
    assert (opened["id"], opened["status"], opened["stale_decision"]) == (total, "stale", 1)
    assert _statuses(out)[total] == "stale"
    # The withdrawal was decided with the line at 25.00: it is not applied on other numbers.
    assert _value_statuses(out)[TOTAL] == ("flagged", "31.00")


def test_bulk_acceptances_go_stale_one_by_one(out):
    total, vehicle = _flags(out)
    review("accept", "--check", "table.items", "--document", "S", "--yes", "--db", out)
    assert set(_statuses(out).values()) == {"accepted"}
    review("fix", vehicle, "--field", VEHICLE, "--value", "22", "--db", out)
    statuses = _statuses(out)
    # The vehicle flag's own decision is now the fix (22 ≠ its 其中 lines 0 + 20 still fails: open);
    # the total's acceptance was made on 25.00 and is stale.
    assert statuses[total] == "stale"
    assert statuses[vehicle] == "open"


def test_a_second_fix_of_a_value_reopens_the_flag_the_first_closed(out):
    total, vehicle = _flags(out)
    review("fix", vehicle, "--field", VEHICLE, "--value", "20", "--db", out)  # = its 其中 lines 0 + 20
    assert _statuses(out)[vehicle] == "corrected"
    second = review("fix", total, "--field", VEHICLE, "--value", "26", "--db", out)  # 0 + 26 + 5 = 31
    assert "The flag is closed" in second.stdout and f"Now open: {vehicle}" in second.stdout
    statuses = _statuses(out)
    assert statuses[total] == "corrected" and statuses[vehicle] == "open"
    assert _value_statuses(out)[VEHICLE] == ("flagged", "26")
    assert json.loads(json.dumps(as_json(review("history", "--db", out, "--json"))))[-1]["after"] == "26"


def _decision(seq: int, action: str, subject: str, values: dict, **kw):
    from schemas import Decision

    return Decision(seq=seq, action=action, flag_id="F" + subject, subject=subject, check="table.items",
                    values=values, time="2026-01-01T00:00:00+00:00", document_sha256="0" * 64, **kw)


def test_a_move_after_an_acceptance_or_taking_back_a_move_it_relied_on_makes_it_stale():
    from extractor.review.apply import _stale_by_later_corrections, fold

    read = "fund[212].basic"
    accept = _decision(1, "accept", "a", {read: "1250.40"})
    move = _decision(2, "move", "m", {read: "1250.40"}, field=read, before="basic", after="project")
    trail = [accept, move]
    judged = {d.seq: d for d in trail}
    _stale_by_later_corrections(trail, fold(trail), judged)
    assert judged[1].stale and "moved to column project by decision #2" in judged[1].stale_reason
    assert not judged[2].stale

    moved = "fund[212].project"
    first = _decision(1, "move", "m", {read: "1250.40"}, field=read, before="basic", after="project")
    accept = _decision(2, "accept", "a", {moved: "1250.40"})
    reopen = _decision(3, "reopen", "m", {})
    trail = [first, accept, reopen]
    state = fold(trail)
    judged = {d.seq: d for d in state.all()}
    _stale_by_later_corrections(trail, state, judged)
    assert judged[2].stale and "taken back" in judged[2].stale_reason
    # Nothing later: in force.
    judged = {d.seq: d for d in (first, accept)}
    _stale_by_later_corrections([first, accept], fold([first, accept]), judged)
    assert not judged[2].stale


def test_a_value_withdrawn_then_another_fixed_through_the_same_flag_comes_back():
    """reject F --field p, then fix F --field q: the withdrawal was decided with q as read."""
    from extractor.review.apply import _stale_by_later_corrections, fold

    p, q = "t[total].x", "t[a].x"
    reject = _decision(1, "reject", "f", {p: "31", q: "25"}, field=p, before="31")
    fix = _decision(2, "fix", "f", {p: "31", q: "25"}, field=q, before="25", after="26")
    trail = [reject, fix]
    state = fold(trail)
    judged = {d.seq: d for d in state.all()}
    _stale_by_later_corrections(trail, state, judged)
    assert judged[1].stale and f"{q}: 25 as read when decided → 26" in judged[1].stale_reason
    # Withdrawing two values of a flag in one command (--all) is one judgement: not stale.
    both = [_decision(1, "reject", "f", {p: "31", q: "25"}, field=p), _decision(2, "reject", "f", {p: "31", q: "25"},
                                                                                    field=q)]
    judged = {d.seq: d for d in both}
    _stale_by_later_corrections(both, fold(both), judged)
    assert not any(d.stale for d in judged.values())

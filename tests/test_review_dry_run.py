"""Every decision command takes --dry-run and -y alike, and a dry run never writes to the trail.

The trail is append-only: a decision recorded by a command the person meant as a preview can be
reopened but never erased. So `--dry-run` on one flag (accept, fix, reject, reopen) shows what would be
recorded, checked as a decision is checked, and records nothing; `-y` is taken by each (a script passes
it to every decision command). In `review next`, q or b typed at the note prompt is a key, not a note:
nothing is decided and the flag's choices are asked again.
Real processes (the CLI in subprocesses) on the corpus document 003.
"""

from __future__ import annotations

import pytest
from test_review_fixes import flat, out_003  # noqa: F401 - out_003 is a fixture
from test_review_moves import as_json, queue, review
from test_cli import cli


def _trail(out) -> list[dict]:
    return as_json(review("history", "--db", out, "--json"))


def _result_bytes(out) -> dict:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.json"))}


def test_a_dry_run_of_each_decision_on_one_flag_shows_it_and_records_nothing(out_003):
    out = out_003
    costs = queue(out, "--check", "card.cost")
    cost = costs[0]  # 49650000 元 on a card budgeted at 1760 万元
    before = _result_bytes(out)
    fixed = as_json(review("fix", cost["id"], "--field", "1", "--value", "1760", "--dry-run", "--db", out, "--json"))
    assert fixed["dry_run"] is True and fixed["action"] == "fix" and fixed["flag"] == cost["id"]
    [would] = fixed["would_record"]
    assert would["before"] == "49650000" and would["after"] == "1760"
    # 003 prints its cards twice: the decision would settle the twin flag alike, and the dry run says so.
    assert [t["id"] for t in fixed["decided_alike"]] == [q["id"] for q in costs[1:]]
    accepted = as_json(review("accept", cost["id"], "--dry-run", "--db", out, "--json"))
    assert accepted["would_record"] == [{"field": None, "before": None, "after": None}]
    rejected = review("reject", cost["id"], "--field", "1", "--dry-run", "--db", out).stdout
    assert "Would withdraw" in flat(rejected) and "Dry run: nothing recorded" in flat(rejected)
    assert _trail(out) == [] and _result_bytes(out) == before
    assert queue(out, "--check", "card.cost") == costs

    # Once decided, a dry run of the same decision says there is nothing to record; a dry reopen shows the undo.
    review("accept", cost["id"], "--db", out)
    assert "already accepted; nothing would be recorded" in flat(
        review("accept", cost["id"], "--dry-run", "--db", out).stdout)
    reopened = as_json(review("reopen", cost["id"], "--dry-run", "--db", out, "--json"))
    assert reopened["action"] == "reopen" and reopened["status"] == "accepted"
    assert [d["action"] for d in _trail(out)] == ["accept"] * len(costs)  # the flag and its twin, no reopen


def test_a_dry_run_refuses_what_the_decision_would_refuse(out_003):
    out = out_003
    cost = queue(out, "--check", "card.cost")[0]
    proc = review("fix", cost["id"], "--field", "1", "--value", "49650000", "--dry-run", "--db", out, check=False)
    assert proc.returncode != 0 and "nothing to correct" in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr
    assert _trail(out) == []


@pytest.mark.parametrize("command", ["accept", "fix", "reject", "reopen"])
def test_every_decision_command_takes_yes_and_dry_run(command):
    shown = flat(cli(command_help := "review", command, "--help").stdout)
    assert command_help and "--yes" in shown and "--dry-run" in shown


def test_fix_with_yes_records_the_correction(out_003):
    out = out_003
    cost = queue(out, "--check", "card.cost")[0]
    done = as_json(review("fix", cost["id"], "--field", "1", "--value", "20000000", "-y", "--db", out, "--json"))
    assert {d["action"] for d in done["decisions"]} == {"fix"}  # the flag and its twin
    assert {(d["flag_id"], d["action"], d["after"]) for d in _trail(out)} >= {(cost["id"], "fix", "20000000")}


@pytest.mark.parametrize("key", ["q", "b"])
def test_q_at_the_note_prompt_goes_back_to_the_choices_and_records_nothing(out_003, key):
    out = out_003
    proc = cli("review", "next", "--db", out, "--check", "card.cost", "--reviewer", "bo",
               input_text=f"a\n{key}\nq\n", check=False)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr + proc.stdout
    assert flat(proc.stdout).count("[a]ccept") == 2  # the choices again after the note prompt, then q
    assert "Note (optional; empty: none, q: back)" in flat(proc.stdout)
    assert "Stopped: nothing decided in this session" in proc.stdout.strip().splitlines()[-1]
    assert _trail(out) == []
    # An empty note is no note, and a real note is kept as typed.
    cli("review", "next", "--db", out, "--check", "card.cost", "--reviewer", "bo", input_text="a\nquoted in the PDF\nq\n")
    assert {(d["action"], d["note"]) for d in _trail(out)} == {("accept", "quoted in the PDF")}

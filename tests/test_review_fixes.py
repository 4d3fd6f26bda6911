"""The review loop as a new user walked it, each fix as real processes (the CLI in subprocesses, the store on disk).

1. Decisions are judged and applied in the order made, each on the result as the earlier ones left it: a second
   `review move` in the same row lands in the column the first emptied.
2. A layout hint in the store is offered to the next document with the same header, and the result records
   which hint was tried and why it was kept or not.
3. `review sync` shows only the decisions the store's trail holds.
4. `review accept` on a completeness flag is worded for what the flag is.
5. A corrected value that still fails its checks exports as flagged and stays in the queue.
6. `review next` at the end of its input leaves cleanly, saying what was decided.

The documents are the hand-written fixtures of ``review_fixtures`` through the layout-variant generator's
``dropped_empties`` (a converter that drops empty cells), and the corpus.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT
from review_fixtures import document_a, document_b, document_c, document_d, dropped
from test_cli import cli
from test_review_moves import FUND, as_json, facts, queue, result, review, table_facts, write


def _printed(tmp_path: Path, name: str, text: str) -> Counter:
    out = tmp_path / f"printed-{name}"
    cli("run", write(tmp_path / "printed", name, text), "--out", out)
    return table_facts(out, name, FUND)


def test_a_second_move_in_the_same_row_lands_in_the_column_the_first_emptied(tmp_path):
    out = tmp_path / "out"
    cli("run", write(tmp_path / "docs", "C", dropped(document_c(), "C")), "--out", out)
    truth = _printed(tmp_path, "C", document_c())
    assert {col for _, col, _ in truth} == {"total", "public", "project"}
    read = table_facts(out, "C", FUND)
    assert {col for _, col, _ in read} == {"total", "personnel", "public"}  # each row's figures one column left
    [flag] = queue(out)
    assert flag["check"] == "read.ambiguous"
    fields = [f["key"] for f in flag["fields"]]
    assert fields == [f"{FUND}[total].personnel", f"{FUND}[total].public"]

    # 公用经费's figures go to 项目支出 first; then 人员经费's into the 公用经费 column that move emptied.
    first = as_json(review("move", flag["id"], "--field", "2", "--to-column", "项目支出", "--all-rows", "--yes",
                           "--db", out, "--json"))
    second = as_json(review("move", flag["id"], "--field", "1", "--to-column", "公用经费", "--all-rows", "--yes",
                            "--db", out, "--json"))
    assert len(first["rows"]) == len(second["rows"]) == 5 and not second["left"]
    trail = as_json(review("history", "--db", out, "--json"))
    assert [(d["action"], d["before"], d["after"], d["stale"]) for d in trail] == [
        ("move", "public", "project", False), ("move", "personnel", "public", False)]

    def check_both_applied():
        assert table_facts(out, "C", FUND) == truth
        fund = [f for f in facts(out, "C") if f["table_kind"] == FUND and f["column_key"] != "total"]
        assert {(f["column_key"], f["original_column"], f["status"], f["decision"]) for f in fund} == {
            ("project", "public", "corrected", trail[0]["seq"]), ("public", "personnel", "corrected", trail[1]["seq"])}
        assert queue(out) == []
        assert [d.seq for d in result(out, "C").decisions if not d.stale] == [d["seq"] for d in trail]

    check_both_applied()
    cli("run", tmp_path / "docs" / "C.txt", "--out", out)  # a rerun re-applies both, in order
    check_both_applied()
    # The two moves taught the template in order: another document printed under the same header is read
    # right on its first run.
    [hint] = as_json(cli("hints", "list", "--db", out, "--json"))
    assert [(m["read_as"], m["printed_under"]) for m in hint["moves"]] == [("public", "project"),
                                                                           ("personnel", "public")]
    cli("run", write(tmp_path / "docs", "D", dropped(document_d(), "D")), "--out", out)
    assert table_facts(out, "D", FUND) == _printed(tmp_path, "D", document_d())
    assert _fund_hint(out, "D").used and [q["document"] for q in queue(out)] == []
    # Reopening the flag takes both moves back, and the layout hint they taught.
    review("reopen", flag["id"], "--db", out)
    assert table_facts(out, "C", FUND) == read
    assert as_json(cli("hints", "list", "--db", out, "--json")) == []



def test_a_value_fixed_and_then_moved_keeps_its_correction_in_its_new_column(tmp_path):
    out = tmp_path / "out"
    cli("run", write(tmp_path / "docs", "C", dropped(document_c(), "C")), "--out", out)
    [flag] = queue(out)
    total = f"{FUND}[total]"
    # The person first corrects 合计's second figure (the converter dropped a digit, say), then sees it is
    # printed under 项目支出: the move, made after the fix, carries the corrected value.
    review("fix", flag["id"], "--field", "2", "--value", "1200.10", "--db", out)
    review("move", flag["id"], "--field", "2", "--to-column", "项目支出", "--db", out)

    def check_in_order():
        trail = as_json(review("history", "--db", out, "--json"))
        assert [d["action"] for d in trail] == ["fix", "move"]
        assert not any(d.stale for d in result(out, "C").decisions)
        row = {f["column_key"]: f for f in facts(out, "C") if f["field"].startswith(total + ".")}
        assert "public" not in row and row["project"]["value"] == "1200.10"
        assert (row["project"]["original_value"], row["project"]["original_column"]) == ("1200.00", "public")
        assert "review.stale" not in [f["check"] for f in queue(out, "--status", "all")]

    check_in_order()
    cli("run", tmp_path / "docs" / "C.txt", "--out", out)
    check_in_order()


def _fund_hint(out: Path, name: str):
    return next(t for t in result(out, name).tables if t.kind == FUND).hint


def test_a_moved_value_is_not_flagged_misplaced_for_its_new_columns_place_yet_its_sums_are_checked(tmp_path):
    """A person says 合计's first figure (50.40, read as 人员经费) is printed under 项目支出, though 公用经费's figure
    follows it in the row: the column is the person's correction, so neither it nor the value after it is
    ``ground.misplaced`` for where the column sits in the printed order. The sums still hold it to account."""
    out = tmp_path / "out"
    cli("run", write(tmp_path / "docs", "C", dropped(document_c(), "C")), "--out", out)
    [flag] = queue(out)
    moved = as_json(review("move", flag["id"], "--field", "1", "--to-column", "项目支出", "--db", out, "--json"))
    assert moved["status"] == "corrected" and [r["value"] for r in moved["rows"]] == ["50.40"]
    opened = {f["check"] for f in moved["opened"]}
    assert "ground.misplaced" not in opened and opened == {"table.hierarchy"}, moved["opened"]

    def check_flags():
        waiting = queue(out)
        assert {f["check"] for f in waiting} == {"table.hierarchy"}, waiting
        # The moved value is in a failing sum: flagged, for that reason only, and still a person's correction.
        fact = next(f for f in facts(out, "C") if f["field"] == f"{FUND}[total].project")
        assert (fact["value"], fact["original_column"], fact["status"]) == ("50.40", "personnel", "flagged")
        checks = {f.check for f in result(out, "C").flags if set(f.fields and [r.path for r in f.fields])
                  & {f"{FUND}[total].project", f"{FUND}[total].public"}}
        assert "ground.misplaced" not in checks and "table.hierarchy" in checks

    check_flags()
    cli("run", tmp_path / "docs" / "C.txt", "--out", out)  # a rerun re-applies the move: the same flags
    check_flags()
    review("reopen", flag["id"], "--db", out)  # taken back: the reading and its one flag as before
    assert [f["check"] for f in queue(out)] == ["read.ambiguous"]


def test_a_hint_in_the_store_is_tried_on_the_next_document_with_its_header_and_the_result_says_why(tmp_path):
    docs = tmp_path / "docs"
    a = write(docs, "A", dropped(document_a(), "A"))
    out = tmp_path / "out"
    cli("run", a, "--out", out)
    [flag] = queue(out)
    review("move", flag["id"], "--to-column", "项目支出", "--all-rows", "--yes", "--db", out)
    [hint] = as_json(cli("hints", "list", "--db", out, "--json"))
    truth = _printed(tmp_path, "A", document_a())

    # The same document under another name (a colleague's copy, a re-download) has the same header: it is read
    # with the hint, though its text is the very text the hint was taught on.
    copy = write(docs, "A-copy", a.read_text(encoding="utf-8"))
    # A document whose header differs by a word is not offered the hint, and says so with both headers.
    other = write(docs, "A-other", a.read_text(encoding="utf-8").replace("科目编码\t科目名称\t合计", "科目代码\t科目名称\t合计"))
    run = cli("run", a, copy, other, "--out", out)
    assert "1 table(s) read as a layout hint says" in run.stderr
    assert "2 table(s) a layout hint was not used on" in run.stderr

    used = _fund_hint(out, "A-copy")
    assert used.used and used.id == hint["id"] and used.note.startswith("used: ")
    assert table_facts(out, "A-copy", FUND) == truth
    assert {f["status"] for f in facts(out, "A-copy") if f["table_kind"] == FUND} == {"verified"}
    assert [q["document"] for q in queue(out)] == ["A-other"]  # A keeps its decision; the copy needs none

    mine = _fund_hint(out, "A")  # the document it was taught on: its own decision applies
    assert not mine.used and mine.note.startswith("not offered: taught on this very version of the document")
    far = _fund_hint(out, "A-other")
    assert not far.used and far.note.startswith("not offered: the table's header is not the one the hint was taught")
    assert "科目代码" in far.note and "科目编码" in far.note
    # The general-budget table has no hint near its header: nothing recorded there.
    assert all(t.hint is None for t in result(out, "A-copy").tables if t.kind != FUND)


def test_review_sync_shows_only_the_decisions_of_the_store_trail_and_offers_its_hints(tmp_path):
    import shutil

    docs = tmp_path / "docs"
    a = write(docs, "A", dropped(document_a(), "A"))
    b = write(docs, "B", dropped(document_b(), "B"))
    out = tmp_path / "out"
    cli("run", a, "--out", out)
    [flag] = queue(out)
    review("move", flag["id"], "--to-column", "项目支出", "--all-rows", "--yes", "--db", out, "--reviewer", "ann")
    hints_file = tmp_path / "hints.json"
    cli("hints", "export", "--db", out, "-o", hints_file)

    # A folder as the workers of a cluster leave it (docs/dask.md): B written by a worker, no store at hand; and
    # A's result copied from `out`, where it carries ann's move — a decision of another store's trail.
    folder = tmp_path / "cluster"
    folder.mkdir()
    subprocess.run([sys.executable, "-c", "import sys; from extractor.work import extract_to_folder; "
                    "print(extract_to_folder(sys.argv[1], sys.argv[2]))", str(b), str(folder)], check=True)
    assert next(t for t in result(folder, "B").tables if t.kind == FUND).hint is None
    shutil.copy(out / "A.json", folder / "A.json")
    assert [d.action for d in result(folder, "A").decisions] == ["move"]

    store = tmp_path / "team.sqlite"
    review("sync", folder, "--db", store)
    # The trail (empty here) is the truth: A shows no decision, its file carries none, its flag needs review.
    assert as_json(review("history", "--db", store, "--json")) == []
    everything = queue(store, "--status", "all")
    assert sorted((f["document"], f["check"], f["status"], f["decision"]) for f in everything) == [
        ("A", "read.ambiguous", "open", None), ("B", "read.ambiguous", "open", None)]
    assert result(folder, "A").decisions == [] and result(folder, "A").corrections == []
    assert {f["status"] for f in facts(folder, "A")} <= {"verified", "flagged"}

    # With the hint imported, a second sync reads both again with it (their workers had no store): both right,
    # each saying which hint it followed; nothing left to review and still no decision.
    cli("hints", "import", hints_file, "--db", store)
    synced = review("sync", folder, "--db", store)
    assert "2 table(s) read as a layout hint says" in synced.stderr
    for name, doc in (("A", document_a()), ("B", document_b())):
        hint = _fund_hint(folder, name)
        assert hint.used and hint.note.startswith("used: ")
        assert table_facts(folder, name, FUND) == _printed(tmp_path, name, doc)
    assert queue(store) == [] and as_json(review("history", "--db", store, "--json")) == []


DOC_003 = "003_aca33df6c8a48681"


def flat(text: str) -> str:
    """Output with its line wrapping undone (rich wraps long lines at the console's width)."""
    return " ".join(text.split())


@pytest.fixture
def out_003(tmp_path) -> Path:
    out = tmp_path / "out"
    cli("run", EXAMPLES / f"{DOC_003}.txt", "--out", out)
    return out


def test_accepting_a_completeness_flag_acknowledges_the_gap_and_never_claims_the_document_prints_a_value(out_003):
    out = out_003
    [missing] = queue(out, "--check", "completeness.listed_missing")  # 003's contents list a 收入总表 it lacks
    shown = flat(review("show", missing["id"], "--db", out).stdout)
    assert "really prints" not in shown
    assert f"review accept {missing['id']}" in shown and "acknowledged: the document really lacks this table" in shown
    bulk = flat(review("accept", "--check", "completeness.listed_missing", "--db", out).stdout)  # a dry run
    assert "Would accept 1 flag(s)" in bulk and "Accepting means: acknowledged: the document really lacks" in bulk
    done = flat(review("accept", missing["id"], "--db", out, "--reviewer", "ann").stdout)
    assert "really prints" not in done and "accepted — acknowledged: the document really lacks this table" in done
    after = flat(review("show", missing["id"], "--db", out).stdout.split("Check")[0])
    assert "accepted (a person acknowledged: the document really lacks this table" in after
    # A flag on values keeps the meaning it had: the document really prints them.
    cost = queue(out, "--check", "card.cost")[0]
    assert "(the document really prints this)" in flat(review("show", cost["id"], "--db", out).stdout)
    # `review next` offers [a]ccept with the words that fit the flag.
    prompt = flat(cli("review", "next", "--db", out, "--check", "card.cost", input_text="q\n").stdout)
    assert "[a]ccept (the document really prints this)" in prompt


def test_review_next_at_the_end_of_its_input_stops_cleanly_saying_what_was_decided(out_003):
    out = out_003
    first, second, third = queue(out)
    # Input that ends after one decision (Ctrl-D, or a script's input running out).
    proc = cli("review", "next", "--db", out, "--reviewer", "bo", input_text="a\nseen in the PDF\n", check=False)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr + proc.stdout and "Aborted" not in proc.stdout
    asked = flat(proc.stdout.split("to go")[1].split("End of input")[0])  # the first flag: 003's missing 收入总表
    assert "[a]ccept (acknowledged: the document really lacks this table" in asked
    assert "[f]ix" not in asked and "[s]kip [q]uit" in asked  # no value to fix, move or reject: not offered
    last = proc.stdout.strip().splitlines()[-1]
    assert last == f"End of input: stopped; 1 decided in this session ({first['id']} accepted); 2 still need review."
    trail = as_json(review("history", "--db", out, "--json"))
    assert [(d["flag_id"], d["action"], d["reviewer"], d["note"]) for d in trail] == [
        (first["id"], "accept", "bo", "seen in the PDF")]

    # A closed stdin (no input at all, not even an end): the same clean stop, nothing recorded.
    closed = subprocess.run(
        ["sh", "-c", f'exec "{sys.executable}" -m extractor review next --db "{out}" <&-'], cwd=ROOT,
        capture_output=True, text=True, timeout=120)
    assert closed.returncode == 0 and "Traceback" not in closed.stderr
    assert closed.stdout.strip().splitlines()[-1] == \
        "End of input: stopped; nothing decided in this session; 2 still need review."
    assert len(as_json(review("history", "--db", out, "--json"))) == 1
    # Nor does a command that would ask for a confirmation: with no stdin it only shows (a dry run).
    bulk = subprocess.run(
        ["sh", "-c", f'exec "{sys.executable}" -m extractor review accept --check card.cost --db "{out}" <&-'],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bulk.returncode == 0 and "Traceback" not in bulk.stderr and "Dry run: nothing decided" in bulk.stdout
    assert len(as_json(review("history", "--db", out, "--json"))) == 1


def test_review_next_takes_a_key_or_its_word_and_never_any_word_that_starts_like_one(out_003):
    """A name typed where the key is asked (a script that expected the name prompt, which is asked only at a
    terminal) is not an accept, nor "fine" a fix or "maybe" a move: it is asked again."""
    out = out_003
    first = queue(out)[0]
    proc = cli("review", "next", "--db", out, input_text="ann\nfine\nmaybe\nreopen\nq\n", check=False)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr + proc.stdout
    assert flat(proc.stdout).count("Type a, s or q.") == 4  # 003's first flag has no value to fix, move or reject
    assert proc.stdout.strip().endswith("Stopped: nothing decided in this session; 3 still need review.")
    assert as_json(review("history", "--db", out, "--json")) == []
    # The word the key stands for is the key.
    proc = cli("review", "next", "--db", out, "--reviewer", "bo", input_text="Accept\n\nquit\n")
    trail = as_json(review("history", "--db", out, "--json"))
    assert [(d["flag_id"], d["action"], d["reviewer"]) for d in trail] == [(first["id"], "accept", "bo")]


def test_a_correction_that_still_fails_its_check_exports_as_flagged_and_stays_in_the_queue(out_003):
    out = out_003
    cost = queue(out, "--check", "card.cost")[0]  # 49650000 元 on a card budgeted at 1760 万元
    path = cost["fields"][0]["key"]
    assert path.endswith(".value") and cost["fields"][0]["value"] == "49650000"
    # The person reads 20000000 in the PDF: 2000 万元, still over the budget.
    done = as_json(review("fix", cost["id"], "--field", "1", "--value", "20000000", "--db", out, "--json"))
    assert done["status"] == "open"

    def check_flagged():
        [fact] = [f for f in facts(out, DOC_003) if f["field"] == path]
        assert (fact["value"], fact["status"], fact["original_value"]) == ("20000000", "flagged", "49650000")
        assert fact["decision"] == done["decisions"][0]["seq"] and fact["flags"] == [cost["id"]]
        [flag] = [f for f in map(json.loads, cli("export", out, "--what", "flags").stdout.splitlines())
                  if f["id"] == cost["id"]]
        assert flag["check"] == "card.cost" and flag["status"] == "open" and flag["action"] == "fix"
        assert cost["id"] in [f["id"] for f in queue(out)]  # still needs review
        shown = flat(review("show", cost["id"], "--db", out).stdout)
        assert "49650000 → 20000000 (corrected #1; still fails)" in shown

    check_flagged()
    cli("run", EXAMPLES / f"{DOC_003}.txt", "--out", out)
    check_flagged()
    # A correction that passes its check is `corrected`, and leaves the queue.
    review("fix", cost["id"], "--field", "1", "--value", "4965000", "--db", out)
    [fact] = [f for f in facts(out, DOC_003) if f["field"] == path]
    assert (fact["value"], fact["status"], fact["flags"]) == ("4965000", "corrected", [])
    assert cost["id"] not in [f["id"] for f in queue(out)]


NARRATIVE_IN_YUAN = """青山县交通运输局2025年部门预算

青山县交通运输局2025年一般公共预算支出表
单位：元
科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t15,000,000.00\t5,500,000.00\t9,500,000.00
214\t交通运输支出\t15,000,000.00\t5,500,000.00\t9,500,000.00

一、一般公共预算支出情况说明
2025年一般公共预算支出15,000,000.00元，其中基本支出5,500,000.00元，项目支出9,600,000.00元。
"""


def test_a_narrative_flag_speaks_in_the_text_s_unit_and_offers_only_the_fixes_that_exist(tmp_path):
    """A paragraph in 元 is checked in 元 (its sum, difference and tolerance too), and `review show` does not
    offer `fix` for the explanation text's own figures, which are read as printed."""
    out = tmp_path / "out"
    cli("run", write(tmp_path / "docs", "Y", NARRATIVE_IN_YUAN), "--out", out, check=False)
    flags = {f["check"]: f for f in queue(out)}
    parts, table = flags["narrative.parts"], flags["narrative.table"]
    assert "= 15,100,000.00 元（差 -100,000.00 元，舍入容差 0.015 元）" in parts["message"]

    shown = review("show", parts["id"], "--db", out).stdout
    assert "(explanation text: not correctable)" in shown
    assert "review fix" not in shown and "review reject" not in shown
    assert "fixed in the table's own flag" in shown

    shown = review("show", table["id"], "--db", out).stdout
    [table_field] = [i for i, f in enumerate(table["fields"], 1) if not f["key"].startswith("narrative[")]
    assert f"review fix {table['id']} --field {table_field} --value V" in shown


def test_review_next_goes_back_to_the_choices_from_which_value(out_003):
    """Asked which value (after r, f or m), an empty answer, q or b goes back to the flag's choices: the person
    changed their mind, and is not held in the question until the input ends."""
    out = out_003
    for back in ("", "q", "b"):
        proc = cli("review", "next", "--db", out, "--check", "card.cost", input_text=f"r\n{back}\nq\n", check=False)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr + proc.stdout
        assert "is not one of" not in proc.stdout, back
        assert flat(proc.stdout).count("[a]ccept") == 2  # the choices again, then q
        assert "Stopped: nothing decided in this session" in proc.stdout.strip().splitlines()[-1]
    proc = cli("review", "next", "--db", out, "--check", "card.cost", input_text="f\n1\n\nq\n", check=False)
    assert proc.returncode == 0 and flat(proc.stdout).count("[a]ccept") == 2  # back from "what it prints" too
    assert as_json(review("history", "--db", out, "--json")) == []

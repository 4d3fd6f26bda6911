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

from collections import Counter
from pathlib import Path

from review_fixtures import document_c, document_d, dropped
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
        fund = [f for f in facts(out, "C") if f["table"] == FUND and f["column"] != "total"]
        assert {(f["column"], f["original_column"], f["status"], f["decision"]) for f in fund} == {
            ("project", "public", "corrected", trail[0]["seq"]), ("public", "personnel", "corrected", trail[1]["seq"])}
        assert queue(out) == []
        assert [d.seq for d in result(out, "C").decisions if not d.stale] == [d["seq"] for d in trail]

    check_both_applied()
    cli("run", tmp_path / "docs" / "C.txt", "--out", out)  # a rerun re-applies both, in order
    check_both_applied()
    # Reopening the flag takes both moves back, and the layout hint they taught.
    review("reopen", flag["id"], "--db", out)
    assert table_facts(out, "C", FUND) == read
    assert as_json(cli("hints", "list", "--db", out, "--json")) == []

"""Review that fixes readings: a misread column moved down a whole table, a layout hint taught by it, bulk
decisions, and the row as printed beside the row as read — as a person and a script use them, real processes.

The documents are variants from the layout-variant generator with dropped empty cells: the hand-written
fixture of ``review_fixtures`` (a government-fund table whose 基本支出 / 项目支出 nothing in the document can
tell apart), and the corpus's 003 (where the relations between tables can).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES
from layout_variants import corpus_variant
from review_fixtures import FUND_HEADER, document_a, document_b, dropped
from test_cli import cli

from schemas import ExtractionResult

FUND = "government_fund_expenditure"


def review(*args, check=True):
    # stdin is a pipe, never the developer's terminal: a command that would ask only shows (a dry run).
    return cli("review", *args, check=check, input_text="")


def as_json(proc) -> dict | list:
    return json.loads(proc.stdout)


def queue(db: Path, *args) -> list[dict]:
    return as_json(review("list", "--db", db, "--json", *args))


def facts(out: Path, document: str) -> list[dict]:
    return [f for f in map(json.loads, cli("export", out).stdout.splitlines()) if f["document"] == document]


def table_facts(out: Path, document: str, kind: str) -> Counter:
    """(row code or label, column, value) of one table: what a person checks against the PDF."""
    return Counter((f["row_code"] or f["row_label"], f["column_key"], Decimal(f["value"]))
                   for f in facts(out, document) if f["table_kind"] == kind and f["value"] is not None)


def result(out: Path, name: str) -> ExtractionResult:
    return ExtractionResult.model_validate_json((out / f"{name}.json").read_text(encoding="utf-8"))


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def docs(tmp_path) -> Path:
    """Document A as printed (every empty cell kept), and as a converter that drops empty cells gives it."""
    folder = tmp_path / "docs"
    write(folder / "printed", "A", document_a())
    write(folder, "A", dropped(document_a(), "A"))
    write(folder / "printed", "B", document_b())
    write(folder, "B", dropped(document_b(), "B"))
    return folder


def _printed(docs: Path, tmp_path: Path, name: str) -> Counter:
    out = tmp_path / f"printed-{name}"
    cli("run", docs / "printed" / f"{name}.txt", "--out", out)
    return table_facts(out, name, FUND)


def test_one_move_down_the_table_puts_the_column_in_place_closes_its_flags_and_survives_a_rerun(docs, tmp_path):
    out = tmp_path / "out"
    cli("run", docs / "A.txt", "--out", out)
    truth = _printed(docs, tmp_path, "A")
    assert {col for _, col, _ in truth} == {"total", "project"}  # the document prints no 基本支出 at all
    read = table_facts(out, "A", FUND)
    assert {col for _, col, _ in read} == {"total", "basic"} and read != truth  # the misreading
    flags = queue(out)
    assert [f["check"] for f in flags] == ["read.ambiguous"]
    flag = flags[0]

    # The dry run: the rows it will change, what then verifies; nothing recorded.
    plan = as_json(review("move", flag["id"], "--to-column", "项目支出", "--all-rows", "--db", out, "--json"))
    assert plan["dry_run"] and (plan["from"], plan["to"]) == ("basic", "project")
    assert len(plan["rows"]) == 5 and not plan["left"]  # four coded rows and the total line
    assert plan["flag_status_after"] in (None, "corrected") and not plan["opens"]
    assert as_json(review("history", "--db", out, "--json")) == []
    assert table_facts(out, "A", FUND) == read
    shown = review("move", flag["id"], "--to-column", "项目支出", "--all-rows", "--db", out).stdout
    assert "Dry run: nothing recorded" in shown and "征地和拆迁补偿支出" in shown

    # One decision moves the whole column.
    done = as_json(review("move", flag["id"], "--to-column", "项目支出", "--all-rows", "--yes", "--db", out,
                          "--reviewer", "ann", "--note", "the PDF prints these under 项目支出", "--json"))
    assert done["status"] in (None, "corrected") and done["hint"]["moves"][0]["printed_under"] == "project"
    trail = as_json(review("history", "--db", out, "--json"))
    assert [(d["action"], d["field"], d["before"], d["after"]) for d in trail] == [
        ("move", f"{FUND}[*].basic", "basic", "project")]
    assert len(trail[0]["values"]) == 5

    def check_corrected():
        assert table_facts(out, "A", FUND) == truth
        moved = [f for f in facts(out, "A") if f["table_kind"] == FUND and f["column_key"] == "project"]
        assert len(moved) == 5 and {(f["status"], f["decision"]) for f in moved} == {("corrected", trail[0]["seq"])}
        assert all(f["original_value"] == f["value"] and f["original_column"] == "basic" for f in moved)
        assert queue(out) == []  # nothing left to review
        assert {f["id"]: f["status"] for f in queue(out, "--status", "all")} == {flag["id"]: "corrected"}

    check_corrected()
    # A rerun re-applies the decision from the trail; the hint it taught is not offered to this same document.
    rerun = cli("run", docs / "A.txt", "--out", out)
    assert "1 flag(s) decided in review" in rerun.stderr
    check_corrected()
    hint = result(out, "A").tables[1].hint
    assert not hint.used and hint.note.startswith("not offered: taught on this very version of the document")

    # Reopening takes the move back, and the hint it taught with it.
    review("reopen", flag["id"], "--db", out)
    assert table_facts(out, "A", FUND) == read
    assert [f["status"] for f in queue(out)] == ["open"]
    assert as_json(cli("hints", "list", "--db", out, "--json")) == []


def test_a_second_document_with_the_same_header_is_read_right_on_its_first_run_because_of_the_hint(docs, tmp_path):
    out = tmp_path / "out"
    cli("run", docs / "A.txt", "--out", out)
    flag = queue(out)[0]
    review("move", flag["id"], "--to-column", "project", "--all-rows", "--yes", "--db", out)

    # The hint is a small reviewable file: the table, its header as printed, the columns, who taught it.
    hints_file = tmp_path / "hints.json"
    cli("hints", "export", "--db", out, "-o", hints_file)
    exported = json.loads(hints_file.read_text(encoding="utf-8"))
    [hint] = exported["hints"]
    assert hint["kind"] == FUND and hint["header"] == FUND_HEADER.replace("\t", "")
    assert hint["moves"] == [{"read_as": "basic", "printed_under": "project", "read_as_label": "基本支出",
                              "printed_under_label": "项目支出"}]
    assert hint["origin"]["document"] == "A"

    truth = _printed(docs, tmp_path, "B")
    # Without the hint, B is misread like A was.
    alone = tmp_path / "alone"
    cli("run", docs / "B.txt", "--out", alone)
    assert table_facts(alone, "B", FUND) != truth and [f["check"] for f in queue(alone)] == ["read.ambiguous"]

    # Another store that imported the file: B is read right on its first run, and says which hint did it.
    taught = tmp_path / "taught"
    cli("hints", "import", hints_file, "--db", taught)
    assert "1 table(s) read as a layout hint says" in cli("run", docs / "B.txt", "--out", taught).stderr
    assert table_facts(taught, "B", FUND) == truth
    assert queue(taught) == []
    fund = next(t for t in result(taught, "B").tables if t.kind == FUND)
    assert fund.hint is not None and fund.hint.used and fund.hint.id == hint["id"]
    assert fund.hint.note.startswith("used: the relations between tables hold as well with it")
    assert {f["status"] for f in facts(taught, "B") if f["table_kind"] == FUND} == {"verified"}
    # The general-budget table, whose header the hint does not name, is read as before.
    assert next(t for t in result(taught, "B").tables if t.kind != FUND).hint is None

    # And the store where it was taught reads B right too, in worker processes (the hints travel with the
    # options); A keeps its own decision.
    cli("run", docs / "A.txt", docs / "B.txt", "--out", out, "--jobs", "2")
    assert table_facts(out, "B", FUND) == truth
    assert table_facts(out, "A", FUND) == _printed(docs, tmp_path, "A")
    assert {f["status"] for f in facts(out, "A") if f["table_kind"] == FUND and f["column_key"] == "project"} == {"corrected"}


def test_a_hint_that_makes_things_worse_is_not_used(tmp_path):
    """003 with dropped empty cells is read right; a hint saying its 基本支出 is 事业单位经营支出 adds up just as
    well inside the table (every row moves alike), but the other tables and the narrative say otherwise."""
    text = corpus_variant("003", "dropped_empties")
    path = write(tmp_path / "docs", "003_dropped", text)
    plain = tmp_path / "plain"
    cli("run", path, "--out", plain)
    summary = next(t for t in result(plain, "003_dropped").tables if t.kind == "expenditure_summary")
    bad = {"format": "budget-extract layout hints", "version": 1, "hints": [{
        "id": "H0", "kind": "expenditure_summary", "header": summary.header,
        "moves": [{"read_as": "basic", "printed_under": "operating"}]}]}
    hints_file = tmp_path / "bad.json"
    hints_file.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    hinted = tmp_path / "hinted"
    cli("hints", "import", hints_file, "--db", hinted)
    assert len(as_json(cli("hints", "list", "--db", hinted, "--json"))) == 1
    cli("run", path, "--out", hinted)
    used = next(t for t in result(hinted, "003_dropped").tables if t.kind == "expenditure_summary")
    assert used.hint is not None and not used.hint.used and "worse" in used.hint.note
    assert table_facts(hinted, "003_dropped", "expenditure_summary") == \
        table_facts(plain, "003_dropped", "expenditure_summary")
    assert [f["check"] for f in queue(hinted)] == [f["check"] for f in queue(plain)]


@pytest.mark.parametrize("hints,problem", [
    ([{"kind": "x"}], "hint 1"),
    ([{"id": "H0", "kind": FUND, "header": "h", "moves": [{"read_as": "basic", "printed_under": "project"}]},
      {"id": "H1", "kind": FUND, "header": "h", "moves": [{"read_as": "basic", "printed_under": "bonus"}]}],
     "hint 2: 'bonus' is not a column"),
    ([{"id": "H0", "kind": "performance_target", "header": "h", "moves": [{"read_as": "a", "printed_under": "b"}]}],
     "not a table kind"),
], ids=["incomplete", "unknown-column", "not-a-table"])
def test_a_hints_file_is_checked_before_anything_is_imported(tmp_path, hints, problem):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "budget-extract layout hints", "version": 1, "hints": hints}),
                   encoding="utf-8")
    proc = cli("hints", "import", bad, "--db", tmp_path / "db", check=False)
    assert proc.returncode == 2 and problem in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "db").exists()  # nothing stored, not even an empty store


def test_review_show_puts_the_row_as_printed_beside_the_row_as_read(docs, tmp_path):
    out = tmp_path / "out"
    cli("run", docs / "A.txt", "--out", out)
    flag = queue(out)[0]
    detail = as_json(review("show", flag["id"], "--db", out, "--json"))
    [row] = detail["rows"]
    assert row["dropped"] and row["cells_printed"] == 2 and row["columns_in_table"] == 3
    by_key = {c["key"]: c for c in row["columns"]}
    assert [by_key[k]["printed"] for k in ("total", "basic", "project")] == ["1250.40", "1250.40", ""]
    assert [by_key[k]["read"] for k in ("total", "basic", "project")] == ["1250.40", "1250.40", ""]
    assert [by_key[k]["other_readings"] for k in ("total", "basic", "project")] == [["1250.40"], [""], ["1250.40"]]
    text = review("show", flag["id"], "--db", out).stdout
    assert "as printed beside as read" in text and "empty cells were dropped" in text
    assert "review move" in text  # the decision that fits a misreading is offered

    review("move", flag["id"], "--to-column", "项目支出", "--all-rows", "--yes", "--db", out)
    [row] = as_json(review("show", flag["id"], "--db", out, "--json"))["rows"]
    by_key = {c["key"]: c for c in row["columns"]}
    assert row["decided"] and [by_key[k]["now"] for k in ("total", "basic", "project")] == ["1250.40", "", "1250.40"]
    assert "now (decided)" in review("show", flag["id"], "--db", out).stdout

    # The report does the same under the flag, and shows the moved values where they now are.
    cli("report", out, "-o", tmp_path / "report")
    [page] = [p.read_text(encoding="utf-8") for p in (tmp_path / "report" / "documents").glob("*.html")]
    assert page.count('class="rowview"') == 1 and "as printed beside as read" in page
    assert "moved: read as basic, the document prints it under project" in page


def test_a_move_names_its_column_by_key_or_header_and_refuses_what_does_not_fit(docs, tmp_path):
    out = tmp_path / "out"
    cli("run", docs / "A.txt", "--out", out)
    flag = queue(out)[0]
    unknown = review("move", flag["id"], "--to-column", "财政专户", "--db", out, check=False)
    assert unknown.returncode == 2 and "project (项目支出)" in unknown.stderr  # the columns are offered by name
    same = review("move", flag["id"], "--to-column", "basic", "--db", out, check=False)
    assert same.returncode == 2 and "already read under" in same.stderr
    occupied = review("move", flag["id"], "--to-column", "合计", "--db", out, check=False)
    assert occupied.returncode == 2 and "already holds" in occupied.stderr
    # One row only (no --all-rows): that value moves, the others stay as read.
    one = as_json(review("move", flag["id"], "--to-column", "项目支出", "--db", out, "--json"))
    assert [r["field"] for r in one["rows"]] == [f"{FUND}[total].basic"]
    assert one["hint"] is None  # a row's decision is no column decision: no hint
    read = table_facts(out, "A", FUND)
    assert ("合计", "project", Decimal("1250.40")) in read and ("212", "basic", Decimal("1250.40")) in read
    assert as_json(review("history", "--db", out, "--json"))[0]["field"] == f"{FUND}[total].basic"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    cli("run", EXAMPLES, "--out", out)
    return out


def test_bulk_decisions_have_a_dry_run_and_one_trail_entry_per_flag(corpus, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(corpus, out)
    doc = "000_ccab51d03fd0280d"
    plans = [f for f in queue(out, "--check", "card.spending_plan", "--document", doc)]
    assert len(plans) >= 2
    # The dry run (no terminal, no --yes): what it would decide; nothing recorded.
    dry = as_json(review("accept", "--check", "card.spending_plan", "--document", doc, "--db", out, "--json"))
    assert dry["dry_run"] and {f["id"] for f in dry["would_decide"]} == {f["id"] for f in plans}
    assert as_json(review("history", "--db", out, "--json")) == []
    text = review("accept", "--check", "card.spending_plan", "--document", doc, "--db", out).stdout
    assert f"Would accept {len(plans)} flag(s)" in text and "Dry run: nothing decided" in text

    # --where narrows; a reject that does not fit (several values, no --all) is left out, said why.
    one = plans[0]["fields"][0]["key"]
    dry = as_json(review("reject", "--check", "card.spending_plan", "--document", doc, "--where", f"field={one}",
                         "--db", out, "--json"))
    assert dry["would_decide"] == [] and [f["id"] for f in dry["skipped"]] == [plans[0]["id"]]
    assert "--all" in dry["skipped"][0]["why"]
    bad = review("accept", "--check", "card.spending_plan", "--where", "colour=red", "--db", out, check=False)
    assert bad.returncode == 2 and "KEY=VALUE" in bad.stderr

    # Decided: one entry in the trail per flag, each flag accepted.
    done = as_json(review("accept", "--check", "card.spending_plan", "--document", doc, "--yes", "--db", out,
                          "--reviewer", "ann", "--note", "the cards stop short", "--json"))
    assert {f["status"] for f in done["decided"]} == {"accepted"}
    trail = as_json(review("history", "--db", out, "--json"))
    assert sorted(d["flag_id"] for d in trail) == sorted(f["id"] for f in plans)
    assert {(d["action"], d["reviewer"], d["note"]) for d in trail} == {("accept", "ann", "the cards stop short")}
    left = queue(out, "--check", "card.spending_plan")
    assert all(f["document"] != doc for f in left)
    # An id and --check at once is refused; so is neither.
    assert review("accept", plans[0]["id"], "--check", "card.cost", "--db", out, check=False).returncode == 2
    assert review("accept", "--db", out, check=False).returncode == 2


def test_a_store_of_version_2_takes_moves_after_its_upgrade(docs, tmp_path):
    out = tmp_path / "out"
    cli("run", docs / "A.txt", "--out", out)
    flag = queue(out)[0]
    review("accept", flag["id"], "--db", out)
    review("reopen", flag["id"], "--db", out)
    db = sqlite3.connect(out / "review.sqlite", isolation_level=None)  # as version 2 made it: no moves, no hints
    rows = db.execute("SELECT * FROM decisions ORDER BY seq").fetchall()
    db.execute("BEGIN")
    db.execute("DROP TABLE decisions")
    db.execute("DROP TABLE hints")
    db.execute('CREATE TABLE decisions (seq INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, reviewer TEXT, '
               'note TEXT, document TEXT NOT NULL, document_sha256 TEXT NOT NULL, flag_id TEXT NOT NULL, '
               'subject TEXT NOT NULL, "check" TEXT NOT NULL, action TEXT NOT NULL CHECK (action IN '
               '(\'accept\', \'fix\', \'reject\', \'reopen\')), field TEXT, before TEXT, after TEXT, '
               '"values" TEXT NOT NULL)')
    db.executemany(f"INSERT INTO decisions VALUES ({','.join('?' * 14)})", rows)
    db.execute("CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions "
               "BEGIN SELECT RAISE(ABORT, 'the decision trail is append-only'); END")
    db.execute("PRAGMA user_version = 2")
    db.execute("COMMIT")
    db.close()
    review("move", flag["id"], "--to-column", "project", "--all-rows", "--yes", "--db", out)
    trail = as_json(review("history", "--db", out, "--json"))
    assert [d["action"] for d in trail] == ["accept", "reopen", "move"] and [d["seq"] for d in trail] == [1, 2, 3]
    db = sqlite3.connect(out / "review.sqlite")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM decisions")
    db.close()
    assert len(as_json(cli("hints", "list", "--db", out, "--json"))) == 1

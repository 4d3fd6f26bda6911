"""The review queue, as a person and a script use it: real `budget-extract` processes on corpus documents."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import DOCS, EXAMPLES
from test_cli import cli

from schemas import ExtractionResult

S24 = "performance_target[s24-performance_target]"  # 000: 临时用工专项经费, plan stops at 75%
S29 = "performance_target[s29-performance_target]"  # 000: 医疗保险综合业务专项经费, plan stops at 75%
S40 = "performance_target[s40-performance_target]"  # 000: 专项审计经费, cost 3.57 > budget 2.96


def review(*args, check=True, **kw):
    return cli("review", *args, check=check, **kw)


def queue(out: Path, *args) -> list[dict]:
    return json.loads(review("list", "--db", out, "--json", *args).stdout)


def flag_on(flags: list[dict], check: str, path_prefix: str) -> dict:
    """The flag of a 000 document (the corpus file or a copy) with this check on these values."""
    found = [f for f in flags if f["document"].startswith("000") and f["check"] == check
             and any(x["key"].startswith(path_prefix) for x in f["fields"])]
    assert len(found) == 1, f"{len(found)} {check} flags on {path_prefix}"
    return found[0]


def result_file(out: Path, name: str) -> ExtractionResult:
    return ExtractionResult.model_validate_json((out / f"{name}.json").read_text(encoding="utf-8"))


def facts(out: Path) -> list[dict]:
    return [json.loads(line) for line in cli("export", out).stdout.splitlines()]


@pytest.fixture
def out(tmp_path) -> Path:
    target = tmp_path / "out"
    cli("run", EXAMPLES, "--out", target)
    return target


def test_the_whole_cycle_survives_a_rerun_and_reaches_every_export(out, tmp_path):
    start = queue(out)
    assert len(start) == 30 and all(f["status"] == "open" for f in start)  # 14 document faults + 16 unread (001)
    cost = flag_on(start, "card.cost", S40)
    plan = flag_on(start, "card.spending_plan", S24)
    other_plan = flag_on(start, "card.spending_plan", S29)

    # show: the problem, the numbered values with keys, and the source lines with the characters marked.
    shown = review("show", cost["id"], "--db", out).stdout
    assert cost["message"] in shown and "3.57" in shown and f"{S40}.budget.total" in shown
    assert "1. 3.57" in shown and "^^^^" in shown  # no colours in a pipe: carets under the marked characters
    detail = json.loads(review("show", cost["id"], "--db", out, "--json").stdout)
    marked = {line["text"][a:b] for e in detail["excerpts"] for line in e["lines"] for a, b in line["marks"]}
    assert marked == {"3.57", "2.96"}

    # Decide: accept one, correct one value of another, withdraw a value of a third.
    review("accept", cost["id"], "--db", out, "--reviewer", "ann", "--note", "the card prints 3.57")
    fixed = json.loads(review("fix", plan["id"], "--db", out, "--field", "3", "--value", "100", "--json").stdout)
    assert fixed["status"] == "corrected" and fixed["decisions"][0]["before"] == "75"
    review("reject", other_plan["id"], "--db", out, "--field", f"{S29}.spending_plan[1]", "--note", "misprint")

    def decided() -> dict[str, str]:
        return {f["id"]: f["status"] for f in queue(out, "--status", "decided")}

    expected = {cost["id"]: "accepted", plan["id"]: "corrected", other_plan["id"]: "rejected"}
    assert decided() == expected
    assert len(queue(out)) == 27

    # Rerun: the same decisions, the correction re-applied from the trail, nothing asked again.
    rerun = cli("run", EXAMPLES, "--out", out)
    assert "3 flag(s) decided in review" in rerun.stderr
    assert decided() == expected and len(queue(out)) == 27
    result = result_file(out, "000_ccab51d03fd0280d")
    step = next(c for c in result.cards if c.section_id == "s24-performance_target").spending_plan[2]
    assert (str(step.percent.value), step.percent.backend) == ("100", "person")
    trail = json.loads(review("history", "--db", out, "--json").stdout)
    assert [d["action"] for d in trail] == ["accept", "fix", "reject"]
    assert trail[0]["reviewer"] == "ann" and trail[0]["note"] == "the card prints 3.57"

    # Exports: each value's status, the correction in place, the withdrawn value empty.
    by_field = {f["field"]: f for f in facts(out) if f["document"].startswith("000")}
    assert (by_field[f"{S24}.spending_plan[2]"]["value"], by_field[f"{S24}.spending_plan[2]"]["status"],
            by_field[f"{S24}.spending_plan[2]"]["original_value"]) == ("100", "corrected", "75")
    assert (by_field[f"{S29}.spending_plan[1]"]["value"], by_field[f"{S29}.spending_plan[1]"]["status"],
            by_field[f"{S29}.spending_plan[1]"]["original_value"]) == (None, "rejected", "50")
    assert by_field[f"{S40}.budget.total"]["status"] == "accepted"
    # The rejection put the fault on one value; the flag's others stand as read, by a person's decision.
    assert [by_field[f"{S29}.spending_plan[{i}]"]["status"] for i in (0, 2)] == ["accepted", "accepted"]
    assert by_field[f"{S40}.budget.total"]["reviewer"] == "ann"
    statuses = {f["status"] for f in facts(out)}
    assert statuses == {"verified", "flagged", "accepted", "corrected", "rejected"}
    flags = list(csv.DictReader(io.StringIO(cli("export", out, "--what", "flags", "--format", "csv").stdout)))
    row = next(f for f in flags if f["id"] == plan["id"])
    assert (row["status"], row["action"], row["before"], row["after"]) == ("corrected", "fix", "75", "100")

    # The workbook colours the cells by status; the database holds the same facts.
    from openpyxl import load_workbook

    cli("export", out, "--format", "xlsx", "-o", tmp_path / "r.xlsx")
    sheet = load_workbook(tmp_path / "r.xlsx")["绩效目标表 cards"]
    header = [c.value for c in sheet[1]]
    fills = {r[header.index("field")].value: r[header.index("value")].fill.start_color.rgb
             for r in sheet.iter_rows(min_row=2) if r[0].value.startswith("000")}
    assert fills[f"{S24}.spending_plan[2]"].endswith("BDD7EE")  # corrected: blue
    assert fills[f"{S40}.budget.total"].endswith("C6EFCE")  # accepted: green
    assert fills["performance_target[s37-performance_target].spending_plan[2]"].endswith("F8B4B4")  # flagged: red
    cli("export", out, "--format", "sqlite", "-o", tmp_path / "r.sqlite")
    db = sqlite3.connect(tmp_path / "r.sqlite")
    assert db.execute("SELECT value, original_value FROM facts WHERE field = ?",
                      (f"{S24}.spending_plan[2]",)).fetchone() == ("100", "75")
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == len(facts(out))

    # The report marks the decided cells and lists the decisions with their flags.
    cli("report", out, "-o", tmp_path / "report")
    html = (tmp_path / "report" / "documents" / "000_ccab51d03fd0280d.html").read_text(encoding="utf-8")
    for path, status in ((f"{S24}.spending_plan[2]", "corrected"), (f"{S29}.spending_plan[1]", "rejected"),
                         (f"{S40}.budget.total", "accepted")):
        assert f'<td class="val st-{status}" data-path="{path}"' in html
    assert '<s class="was">75</s> 100' in html and "the card prints 3.57" in html


def _copy(tmp_path: Path, doc: str, name: str, old: str | None = None, new: str | None = None) -> Path:
    """A corpus document under another name, with ``old`` replaced by ``new`` once."""
    text = DOCS[doc].read_text(encoding="utf-8")
    if old is not None:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "in" / f"{name}.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_fix_re_verifies_the_document_and_closes_every_flag_it_explains(tmp_path):
    # 003's 行政运行 (2011101) misread as 405.31 instead of 405.21 breaks several sums at once.
    source = _copy(tmp_path, "003", "003_misread", "405.21", "405.31")
    out = tmp_path / "out"
    cli("run", source, "--out", out)
    flags = queue(out)
    involved = [f for f in flags if any(x["value"] == "405.31" for x in f["fields"])]
    assert len(involved) >= 2, [f["check"] for f in flags]
    first = involved[0]
    key = next(x["key"] for x in first["fields"] if x["value"] == "405.31")

    wrong = json.loads(review("fix", first["id"], "--field", key, "--value", "405.41", "--db", out, "--json").stdout)
    assert wrong["status"] == "open"  # a wrong correction leaves the flag open
    right = json.loads(review("fix", first["id"], "--field", key, "--value", "405.21", "--db", out, "--json").stdout)
    assert right["status"] == "corrected"
    assert {f["id"] for f in involved[1:]} <= {f["id"] for f in right["closed"]}
    # Every flag the misreading caused is closed; the document's own three faults remain.
    assert sorted(f["check"] for f in queue(out)) == ["card.cost", "card.cost", "completeness.listed_missing"]
    again = review("fix", first["id"], "--field", key, "--value", "405.21", "--db", out, check=False)
    assert again.returncode == 2 and "already 405.21; nothing to correct" in again.stderr
    trail = json.loads(review("history", "--db", out, "--json").stdout)
    assert [(d["before"], d["after"]) for d in trail] == [("405.31", "405.41"), ("405.31", "405.21")]  # as printed


def test_a_changed_document_makes_only_its_affected_decisions_stale(tmp_path):
    name = "000_dept"
    source = _copy(tmp_path, "000", name)
    out = tmp_path / "out"
    cli("run", source, "--out", out)
    flags = queue(out)
    cost = flag_on(flags, "card.cost", S40)
    plan = flag_on(flags, "card.spending_plan", S24)
    other = flag_on(flags, "card.spending_plan", S29)
    review("accept", cost["id"], "--db", out)
    review("fix", plan["id"], "--field", "3", "--value", "100", "--db", out)
    review("accept", other["id"], "--db", out)

    # The department republishes: the audit card's cost becomes 3.67, and s24 now prints 100% at 10月底.
    text = source.read_text(encoding="utf-8")
    result = result_file(out, name)
    card = next(c for c in result.cards if c.section_id == "s40-performance_target")
    cost_amount = next(i.value for i in card.indicators if i.value is not None and str(i.value.value) == "3.57")
    step = next(c for c in result.cards if c.section_id == "s24-performance_target").spending_plan[2].percent
    edits = sorted([(cost_amount.span, "3.67"), (step.span, "100")], reverse=True)
    for (a, b), new in edits:
        text = text[:a] + new + text[b:]
    source.write_text(text, encoding="utf-8")

    rerun = cli("run", source, "--out", out)
    assert "stale" in rerun.stderr
    now = {f["id"]: f for f in queue(out, "--status", "all")}
    # Same problem, new version: ids change with the document; the subject does not.
    by_subject = {f["subject"]: f for f in now.values()}
    assert by_subject[cost["subject"]]["status"] == "stale"  # its value changed: shown again, not applied
    assert "3.57" in by_subject[cost["subject"]]["decision"]["stale_reason"]
    assert by_subject[other["subject"]]["status"] == "accepted"  # untouched values: the decision still holds
    stale_fix = [f for f in now.values() if f["check"] == "review.stale"]
    assert len(stale_fix) == 1 and stale_fix[0]["decision"]["action"] == "fix"  # 75 → 100 was decided on 75
    assert {f["id"] for f in queue(out)} >= {by_subject[cost["subject"]]["id"], stale_fix[0]["id"]}
    result = result_file(out, name)
    step = next(c for c in result.cards if c.section_id == "s24-performance_target").spending_plan[2].percent
    assert step.backend == "rules" and not result.corrections  # never silently applied
    # Deciding again settles it for good.
    review("accept", stale_fix[0]["id"], "--db", out)
    review("accept", by_subject[cost["subject"]]["id"], "--db", out)
    cli("run", source, "--out", out)
    assert not [f for f in queue(out) if f["check"] in ("review.stale", "card.cost")]


def test_scripts_get_clear_exit_codes_and_json_errors(out, tmp_path):
    flags = queue(out)
    plan = flag_on(flags, "card.spending_plan", S24)
    unread = next(f for f in flags if f["check"] == "completeness.unread")
    proc = review("show", "Fnothing", "--db", out, check=False)
    assert proc.returncode == 3 and "no flag Fnothing" in proc.stderr
    proc = review("fix", plan["id"], "--value", "100", "--db", out, check=False)
    assert proc.returncode == 2 and f"{S24}.spending_plan[2]" in proc.stderr  # which --field to choose
    proc = review("fix", plan["id"], "--field", "3", "--value", "ten", "--db", out, "--json", check=False)
    assert proc.returncode == 2 and json.loads(proc.stdout)["exit_code"] == 2
    proc = review("reject", unread["id"], "--db", out, check=False)
    assert proc.returncode == 2 and "accept it" in proc.stderr
    proc = review("list", "--db", tmp_path / "nowhere", check=False)
    assert proc.returncode == 1 and "no review store" in proc.stderr
    assert review("show", plan["id"][:7], "--db", out).returncode == 0  # a unique prefix will do
    assert not json.loads(review("history", "--db", out, "--json").stdout)  # failures record nothing


def test_reopen_undoes_a_decision_and_the_trail_keeps_both(out):
    plan = flag_on(queue(out), "card.spending_plan", S24)
    review("fix", plan["id"], "--field", "3", "--value", "100", "--db", out)
    review("reopen", plan["id"], "--db", out, "--note", "wrong card")
    assert plan["id"] in {f["id"] for f in queue(out)}
    result = result_file(out, "000_ccab51d03fd0280d")
    assert not result.corrections
    assert [d["action"] for d in json.loads(review("history", plan["id"], "--db", out, "--json").stdout)] == \
        ["fix", "reopen"]


def test_the_decision_trail_is_append_only(out):
    review("accept", queue(out)[0]["id"], "--db", out)
    db = sqlite3.connect(out / "review.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    for sql in ("UPDATE decisions SET note = 'x'", "DELETE FROM decisions"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(sql)
    assert db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 1


def test_next_walks_the_queue_interactively(out):
    first, second = queue(out, "-d", "003_aca33df6c8a48681")[:2]
    # skip the first, accept the second with a note, then quit.
    proc = review("next", "--db", out, "-d", "003_aca33df6c8a48681", "--reviewer", "bo",
                  input_text="s\na\nlooked at the PDF\nq\n")
    assert first["message"] in proc.stdout and second["message"] in proc.stdout
    trail = json.loads(review("history", "--db", out, "--json").stdout)
    # The second is 003's cost flag; its twin (the card printed again) is decided alike.
    assert [(d["flag_id"], d["action"], d["reviewer"], d["note"]) for d in trail][0] == \
        (second["id"], "accept", "bo", "looked at the PDF")
    assert len(trail) == 2 and trail[1]["action"] == "accept" and trail[1]["check"] == second["check"]
    nxt = json.loads(review("next", "--db", out, "--json", "-d", "003_aca33df6c8a48681").stdout)
    assert nxt["id"] == first["id"]


def test_run_and_review_find_a_store_given_by_db(tmp_path):
    store = tmp_path / "elsewhere" / "queue.sqlite"
    cli("run", DOCS["003"], "--out", tmp_path / "out", "--db", store)
    assert store.is_file() and not (tmp_path / "out" / "review.sqlite").exists()
    assert len(queue(store)) == 3
    shutil.rmtree(tmp_path / "out")  # results gone: the queue follows the files
    assert queue(store) == []


def test_verify_keeps_the_decisions_in_force(out):
    plan = flag_on(queue(out), "card.spending_plan", S24)
    review("fix", plan["id"], "--field", "3", "--value", "100", "--db", out)
    cli("verify", out / "000_ccab51d03fd0280d.json")
    assert {f["id"]: f["status"] for f in queue(out, "--status", "decided")} == {plan["id"]: "corrected"}
    assert result_file(out, "000_ccab51d03fd0280d").corrections


def test_the_same_question_printed_twice_is_asked_once(tmp_path):
    # 003 prints its cards twice: the cost flag comes twice, with the same values in different places.
    out = tmp_path / "out"
    cli("run", DOCS["003"], "--out", out)
    first, second = [f for f in queue(out) if f["check"] == "card.cost"]
    assert first["message"] == second["message"] and first["fields"][0]["key"] != second["fields"][0]["key"]
    done = json.loads(review("accept", first["id"], "--db", out, "--json").stdout)
    assert [t["id"] for t in done["decided_alike"]] == [second["id"]]
    cli("run", DOCS["003"], "--out", out)
    decided = {f["id"]: f["status"] for f in queue(out, "--status", "decided")}
    assert decided == {first["id"]: "accepted", second["id"]: "accepted"}
    review("reopen", second["id"], "--db", out)
    assert {f["id"] for f in queue(out)} >= {first["id"], second["id"]}

"""What a new user's trial of the review loop and the LLM path found (trial 20c), each as real processes.

1. A layout hint settles only the tie it was taught on: a row printed one cell per column is read where printed.
2. A value marked as a person's correction with no decision behind it is flagged, never verified.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DOCS
from test_cli import cli
from test_review_moves import as_json, facts, queue, result, review

# A hand-written fixture: a government-fund table whose rows print two figures for three columns (a converter
# dropped the empty cells: ``explicit=False``), or the same rows with the empty 项目支出 cell printed.
FUND_ROWS = [("", "合计", "30.00"), ("212", "城乡社区支出", "30.00"), ("21208", "国有土地使用权出让收入安排的支出", "30.00"),
             ("2120803", "城市建设支出", "20.00"), ("2120899", "其他国有土地使用权出让收入安排的支出", "10.00")]


def fund_table(explicit: bool, department: str = "某县某局", scale: int = 1) -> str:
    lines = [f"{department}2024年部门预算", "", "部门预算政府性基金预算财政拨款支出表", "", "单位：万元", "",
             "| 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 |", "|----|----|----|----|----|"]
    for code, label, v in FUND_ROWS:
        v = f"{float(v) * scale:.2f}"
        lines.append(f"| {code} | {label} | {v} | {v} |" + (" |" if explicit else ""))
    return "\n".join(lines) + "\n"


def _fund_columns(out: Path, name: str) -> set[tuple[str, str, str]]:
    return {(f["column_key"], f["status"], str(f["decision"])) for f in facts(out, name)
            if f["table_kind"] == "government_fund_expenditure" and f["column_key"] != "total"}


def test_a_layout_hint_settles_only_the_tie_it_was_taught_on_and_a_plain_row_makes_its_move_stale(tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "G1.txt").write_text(fund_table(explicit=False), encoding="utf-8")
    cli("run", docs, "--out", out)
    [flag] = queue(out)
    assert flag["check"] == "read.ambiguous"
    review("move", flag["id"], "--to-column", "项目支出", "--all-rows", "--yes", "--db", out, "--reviewer", "ann")
    assert _fund_columns(out, "G1") == {("project", "corrected", "1")}
    cli("hints", "export", "--db", out, "-o", tmp_path / "hints.json")

    # The publisher republishes with every cell printed: the figures are under 基本支出, plainly.
    (docs / "G1.txt").write_text(fund_table(explicit=True), encoding="utf-8")
    cli("run", docs, "--out", out)
    assert _fund_columns(out, "G1") == {("basic", "flagged", "None")}  # read where printed, the move in question
    [stale] = queue(out)
    assert stale["status"] == "stale" and "printed plainly under 基本支出" in stale["message_en"]
    hint = result(out, "G1").tables[0].hint
    assert not hint.used and "premise does not hold" in hint.note

    # Another document with the header, in a store that imported the hint: its dropped rows follow the hint, its
    # plainly printed rows are read where printed.
    other = tmp_path / "other"
    cli("hints", "import", tmp_path / "hints.json", "--db", other)
    (docs / "G1.txt").unlink()
    (docs / "G2.txt").write_text(fund_table(explicit=False, department="另县另局", scale=2), encoding="utf-8")
    cli("run", docs, "--out", other)
    assert {c for c, _, _ in _fund_columns(other, "G2")} == {"project"} and result(other, "G2").tables[0].hint.used
    (docs / "G2.txt").write_text(fund_table(explicit=True, department="另县另局", scale=2), encoding="utf-8")
    cli("run", docs, "--out", other)
    assert _fund_columns(other, "G2") == {("basic", "verified", "None")}
    assert not result(other, "G2").tables[0].hint.used


def _card_value(result_file: Path, printed: str):
    data = json.loads(result_file.read_text(encoding="utf-8"))
    for card in data["cards"]:
        for ind in card["indicators"]:
            if ind.get("value") and ind["value"]["value"] == printed:
                return data, ind
    raise AssertionError(f"no card value {printed}")


def test_a_hand_edited_person_value_without_a_decision_is_flagged_not_verified(tmp_path):
    src = tmp_path / "A.txt"
    src.write_bytes(DOCS["000"].read_bytes())
    out = tmp_path / "out"
    cli("run", src, "--out", out)
    path = out / "A.json"
    data, ind = _card_value(path, "3.57")  # the card prints ≤3.57 万元
    ind["value"].update(value="1.23", raw="1.23", backend="person")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    cli("verify", path, check=False)
    [fact] = [f for f in facts(out, "A") if f["value"] == "1.23"]
    assert fact["status"] == "flagged" and fact["decision"] is None
    flagged = {f["check"] for f in queue(out, "--status", "all") if any(
        fl["key"] == fact["field"] for fl in f["fields"])}
    assert "ground.unrecorded_correction" in flagged and "ground.not_in_source" in flagged


def test_auto_keeps_the_rules_reading_when_a_model_fixes_a_printed_typo(tmp_path):
    """000 with a planted fault in 支出总表 (2101502 项目支出 printed 8.32 against 合计 8.23). A model on loopback
    answers the rules' own rows except that figure, which it "fixes" to 8.23: its reading verifies more sums, but
    8.23 is not what the cell prints, so it never wins: the printed 8.32 and the document's fault stay."""
    from test_llm_grounding import _answer_from, _document, _run

    from extractor.pipeline import extract_document

    printed = "| 22 | 210150 2 | 一般行政管理事务 | 8.23 | | 8.23 | | | |"
    text = DOCS["000"].read_text(encoding="utf-8")
    assert text.count(printed) == 1
    text = text.replace(printed, printed.replace("| 8.23 | | | |", "| 8.32 | | | |"))
    truth = extract_document(_document("000", text))

    def numbers(table, row):
        values = {c: a.raw for c, a in row.values.items()}
        if table.kind == "expenditure_summary" and row.code == "2101502":
            values["project"] = "8.23"
        return values

    result, fake = _run("000", text, _answer_from(truth, numbers), "auto", tmp_path)
    assert fake.requests  # the section was sent: its values failed verification
    [table] = [t for t in result.tables if t.kind == "expenditure_summary"]
    [row] = [r for r in table.rows if r.code == "2101502"]
    assert str(row.values["project"].value) == "8.32" and row.values["project"].backend == "rules"
    section = next(s for s in result.sections if s.id == table.section_id)
    assert section.backend == "rules" and "not printed at their place" in section.note
    assert any(f.check == "table.row_sum" and any("2101502" in r.path for r in f.fields) for f in result.flags)


THREE_PUBLIC_END = "| 9 | 三、公务接待 费 | 0.59 | 0.59 | | |\n"
PROJECT_TABLE = ("\n部门预算项目支出表\n\n450 三河市医疗保障局\n\n单位：万元\n\n| 序号 | 项目名称 | 总计 | 本年拨款 |\n"
                 "|----|------|------|------|\n| 1 | 城乡困难群众医疗救助全额保障经费 | 700.00 | 700.00 |\n")


def _card_flags(db: Path, *args) -> list[dict]:
    return [f for f in queue(db, "--status", "all", *args) if f["check"].startswith("card.")]


def test_card_decisions_survive_a_table_added_before_the_cards(tmp_path):
    """A card's question is the card's (its 项目编码, or its name and budget), not its section's number: one table
    more before the cards leaves every card decision in force."""
    text = DOCS["000"].read_text(encoding="utf-8")
    assert text.count(THREE_PUBLIC_END) == 1
    src, out = tmp_path / "A.txt", tmp_path / "out"
    src.write_text(text, encoding="utf-8")
    cli("run", src, "--out", out)
    before = _card_flags(out)
    assert {f["check"] for f in before} == {"card.spending_plan", "card.cost"} and len(before) == 4
    review("accept", "--check", "card.spending_plan", "--document", "A", "--yes", "--db", out, "--reviewer", "ann")
    [cost] = [f for f in before if f["check"] == "card.cost"]
    review("reject", cost["id"], "--field", "2", "--db", out, "--reviewer", "ann")
    decided = {(f["check"], f["status"]) for f in _card_flags(out)}
    assert decided == {("card.spending_plan", "accepted"), ("card.cost", "rejected")}

    src.write_text(text.replace(THREE_PUBLIC_END, THREE_PUBLIC_END + PROJECT_TABLE), encoding="utf-8")
    cli("run", src, "--out", out)
    after = _card_flags(out)
    assert {f["id"] for f in after}.isdisjoint(f["id"] for f in before)  # another version: other ids, same questions
    assert {(f["check"], f["status"]) for f in after} == decided and len(after) == 4
    [withdrawn] = [f for f in facts(out, "A") if f["status"] == "rejected"]
    assert withdrawn["value"] is None and withdrawn["field"].startswith("performance_target[s41-")  # was s40


def _second_project(text: str, code: str, budget: str) -> str:
    """000 with its card 7 (临时用工专项经费) printed again after it as another project's card: another 项目编码 and
    budget, the same name and spending plan (a hand-made variant)."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.endswith("临时用工专项经费绩效目标表"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].endswith("绩效目标表"))
    card = "\n".join(lines[start:end])
    twin = (card.replace("7、临时用工专项经费绩效目标表", "7-2、临时用工专项经费绩效目标表")
            .replace("13108224P00000410564J", code).replace("| 19.25 |", f"| {budget} |"))
    assert twin.count(code) == 1 and twin.count(budget) >= 1
    return "\n".join(lines[:end]) + "\n" + twin + "\n" + "\n".join(lines[end:])


def test_decided_alike_stays_on_the_same_card_and_never_reaches_another_project(tmp_path):
    text = DOCS["000"].read_text(encoding="utf-8")
    assert "13108224P00000410564J" in text and "| 19.25 |" in text
    src, out = tmp_path / "D.txt", tmp_path / "out"
    src.write_text(_second_project(text, "13108224P00000410999K", "30.00"), encoding="utf-8")
    cli("run", src, "--out", out)
    plans = [f for f in _card_flags(out) if f["check"] == "card.spending_plan" and "临时用工专项经费" in f["message"]]
    assert len(plans) == 2 and plans[0]["message"] == plans[1]["message"]
    decided = as_json(review("reject", plans[0]["id"], "--field", "3", "--db", out, "--json"))
    assert not decided.get("decided_alike") and len(decided["decisions"]) == 1
    status = {f["id"]: f["status"] for f in _card_flags(out)}
    assert status[plans[0]["id"]] == "rejected" and status[plans[1]["id"]] == "open"


def test_a_card_decision_that_cannot_be_carried_over_is_said_not_dropped(tmp_path):
    """The card a decision was made on is no longer in the document (its 项目编码 changed): the acceptance is not
    applied to the new card's question, and the run says an earlier decision is stale, with a flag for it."""
    text = DOCS["000"].read_text(encoding="utf-8")
    src, out = tmp_path / "A.txt", tmp_path / "out"
    src.write_text(text, encoding="utf-8")
    cli("run", src, "--out", out)
    [plan] = [f for f in _card_flags(out) if f["check"] == "card.spending_plan" and "临时用工专项经费" in f["message"]]
    review("accept", plan["id"], "--db", out, "--reviewer", "ann")
    src.write_text(text.replace("13108224P00000410564J", "13108224P00000410999K"), encoding="utf-8")
    run = cli("run", src, "--out", out)
    assert "1 earlier decision(s) stale" in run.stdout + run.stderr
    flags = queue(out)
    [again] = [f for f in flags if f["check"] == "card.spending_plan" and "临时用工专项经费" in f["message"]]
    assert again["status"] == "open"
    [stale] = [f for f in flags if f["check"] == "review.stale"]
    assert "accepted in review" in stale["message_en"] and "no longer read" in stale["message_en"]


def test_a_store_copied_with_its_folder_uses_its_own_folders_results_and_never_alternates(tmp_path):
    import shutil

    docs, x, y = tmp_path / "docs", tmp_path / "X", tmp_path / "Y"
    docs.mkdir()
    (docs / "A.txt").write_text(fund_table(explicit=False), encoding="utf-8")
    (docs / "B.txt").write_text(fund_table(explicit=False, department="另县另局", scale=2), encoding="utf-8")
    cli("run", docs, "--out", x)
    shutil.copytree(x, y)  # a reviewer takes a copy of the results folder, its store with it
    for folder, scale, out in (("v2", 4, x), ("v3", 3, y)):  # X moves on to another version of A, Y to a third
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "A.txt").write_text(fund_table(explicit=False, scale=scale), encoding="utf-8")
        cli("run", tmp_path / folder, "--out", out)

    def seen() -> list[tuple[str, str]]:
        return sorted((f["document"], f["fields"][0]["value"]) for f in queue(y, "--status", "all"))

    first = seen()
    assert first == [("A", "90.00"), ("B", "60.00")]
    assert seen() == first and seen() == first
    x_b = (x / "B.json").read_bytes()
    [b] = [f for f in queue(y) if f["document"] == "B"]
    review("accept", b["id"], "--db", y)
    assert (x / "B.json").read_bytes() == x_b  # the other store's results are left alone
    assert [d.action for d in result(y, "B").decisions] == ["accept"] and seen() == first


def test_a_results_folder_named_by_run_db_stays_the_stores_until_the_next_run(tmp_path):
    docs, first, later = tmp_path / "docs", tmp_path / "oA", tmp_path / "newout"
    docs.mkdir()
    (docs / "A.txt").write_text(fund_table(explicit=False), encoding="utf-8")
    cli("run", docs, "--out", first)
    cli("run", docs, "--out", later, "--db", first / "review.sqlite")
    [flag] = queue(first)
    review("accept", flag["id"], "--db", first)
    assert [d.action for d in result(later, "A").decisions] == ["accept"]
    assert result(first, "A").decisions == []


def test_a_moved_identical_file_gets_a_note_naming_the_decisions_it_had(tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "A.txt").write_text(fund_table(explicit=False), encoding="utf-8")
    cli("run", docs, "--out", out)
    [flag] = queue(out)
    review("accept", flag["id"], "--db", out)
    moved = tmp_path / "b7"
    (moved / "2024").mkdir(parents=True)
    (docs / "A.txt").rename(moved / "2024" / "A.txt")
    run = cli("run", moved, "--recursive", "--out", out)
    assert "note: " in run.stderr and "was read before as A (the same file" in run.stderr
    assert "1 review decision(s) stay with that name" in run.stderr


# A hand-written fixture: a model's answer copying 001's flattened card 2 exactly (each value printed on its
# indicator's own line, or on the line after it), and one value it made up.
CARD_001 = {"project_name": "医保缴费奖励资金", "goals": ["提高各乡镇工作人员和协办员的积极性，确保完成参保任务数。"],
            "spending_plan": [], "indicators": [
                {"level1": "产出指标", "level2": "数量指标", "name": "奖励数量", "target": "获得奖励的乡镇数量",
                 "comparator": "=", "value": "3", "unit": "个"},
                {"level1": "产出指标", "level2": "质量指标", "name": "资金发放率", "target": "奖励资金和专项补贴资金发放率",
                 "comparator": "=", "value": "100", "unit": "%"},
                {"level1": "产出指标", "level2": "成本指标", "name": "奖励金额", "target": "政府奖励资金和专项补贴资金",
                 "comparator": None, "value": "5", "unit": "万元"},
                {"level1": "效果指标", "level2": "社会效益指标", "name": "2021年参保率", "target": "反映2021年参保率",
                 "comparator": "≥", "value": "90", "unit": "%"},
                {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "受益人口满意度",
                 "target": "反映受益人口满意度", "comparator": "≥", "value": "77", "unit": "%"}]}


def test_a_models_card_values_printed_on_their_indicators_lines_verify_and_flags_name_the_indicator(tmp_path):
    from test_llm_grounding import _run

    text = DOCS["001"].read_text(encoding="utf-8")

    def respond(body):
        user = body["messages"][1]["content"]
        return CARD_001 if "2.医保缴费奖励资金绩效目标表" in user else {}

    result, _ = _run("001", text, respond, "auto", tmp_path)
    [card] = [c for c in result.cards if c.project_name and c.project_name.text == "医保缴费奖励资金"]
    flagged = {r.path: f for f in result.flags for r in f.fields if f.check.startswith("ground.")}
    values = {i.name.text: i.value for i in card.indicators}
    base = f"{card.kind}[{card.section_id}].indicators"
    for i, name in enumerate(["奖励数量", "资金发放率", "奖励金额", "2021年参保率"]):
        assert values[name].backend == "llm" and f"{base}[{i}].value" not in flagged, name
    invented = flagged[f"{base}[4].value"]  # 77: printed nowhere in the card
    assert invented.check == "ground.not_in_source" and "受益人口满意度" in invented.message
    assert "s1" not in invented.message.split(":")[0]


def test_a_recording_cut_short_or_not_a_recording_is_one_line_naming_it(tmp_path):
    import shutil

    from conftest import ROOT

    for name, damage in (("cut", lambda p: p.write_bytes(p.read_bytes()[:200])), ("list", None)):
        folder = tmp_path / name
        shutil.copytree(ROOT / "cache" / "recordings", folder)
        if damage is not None:
            bad = sorted(folder.glob("*.json"))[0]
            damage(bad)
        else:
            bad = folder / "notes.json"
            bad.write_text("[]\n", encoding="utf-8")
        proc = cli("run", DOCS["001"], "--out", tmp_path / f"out-{name}", "--backend", "llm", "--cache", "replay",
                   "--recordings", folder, check=False)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        [line] = proc.stderr.strip().splitlines()
        assert line.startswith("error: --recordings: ") and bad.name in line


def test_an_endpoint_that_fails_every_request_is_said_in_the_summary_and_exits_non_zero(tmp_path):
    from fake_openai import FakeOpenAI

    env = {"BUDGET_EXTRACT_MODEL": "fixture", "BUDGET_EXTRACT_ENDPOINT_KIND": "fixture"}
    with FakeOpenAI() as fake:
        fake.responder = None
        fake.enqueue(*[FakeOpenAI.status(500, message="boom")] * 200)
        env["OPENAI_BASE_URL"] = fake.base_url
        # auto: the rules read what they can (001's one table), the model is asked for the rest
        proc = cli("run", DOCS["001"], "--out", tmp_path / "out", "--cache", "off", "--max-retries", "1", env=env,
                   check=False, timeout=300)
    assert fake.requests and "Traceback" not in proc.stderr and "nothing read" not in proc.stderr
    assert proc.returncode == 1
    assert "no answer from the model for every one of the" in proc.stderr and "500" in proc.stderr
    assert "error: the model answered none of the requests" in proc.stderr


def test_review_sync_never_drops_another_reviewers_decisions_silently(tmp_path):
    import shutil

    docs, a, b, share = tmp_path / "docs", tmp_path / "oA", tmp_path / "oB", tmp_path / "share"
    docs.mkdir()
    share.mkdir()
    (docs / "G1.txt").write_text(fund_table(explicit=False), encoding="utf-8")
    cli("run", docs, "--out", a)
    cli("run", docs, "--out", b)
    [flag] = queue(a)
    review("move", flag["id"], "--to-column", "项目支出", "--all-rows", "--yes", "--db", a, "--reviewer", "ann")
    shutil.copy(a / "G1.json", share / "G1.json")
    synced = review("sync", share, "--db", b)
    assert "carries 1 decision(s) this store's trail lacks (move" in synced.stderr and "by ann" in synced.stderr
    assert result(share, "G1").decisions == []  # the trail is the truth …
    kept = json.loads((share / "G1.json.other-trail").read_text(encoding="utf-8"))
    assert [d["reviewer"] for d in kept["decisions"]] == ["ann"] and kept["corrections"]  # … and ann's work is kept


def test_a_card_decision_recorded_by_section_before_cards_were_keyed_by_identity_still_applies(tmp_path):
    """A store from before: its card decision's subject and paths name the card's section. On the version it was
    made on it is taken up (its subject made again by the card's identity)."""
    from extractor.review.store import ReviewStore
    from verify.flags import subject_for

    src, out = tmp_path / "A.txt", tmp_path / "out"
    src.write_bytes(DOCS["000"].read_bytes())
    cli("run", src, "--out", out)
    read = result(out, "A")
    [cost] = [f for f in read.flags if f.check == "card.cost"]
    paths = sorted(r.path for r in cost.fields)
    assert paths[0].startswith("performance_target[s40-")
    legacy = cost.model_copy(update={"subject": subject_for(cost.check, "", paths)})
    with ReviewStore(out / "review.sqlite") as store, store.transaction():
        store.record(document="A", document_sha256=read.document.sha256, flag=legacy, action="accept",
                     values={r.path: r.value for r in cost.fields}, reviewer="old")
    cli("run", src, "--out", out)
    [again] = [f for f in queue(out, "--status", "all") if f["check"] == "card.cost"]
    assert again["status"] == "accepted"


def test_acceptances_a_corrected_version_made_needless_are_counted_in_the_run_summary(tmp_path):
    """trial23: a typo (支出总表 2101504 项目支出 11.00 printed 11.90) accepted in review, then the publisher's corrected
    version: its figures hold, nothing is asked again — and the run says how many earlier decisions no longer apply,
    rather than nothing at all (the exports' decisions mark them stale)."""
    text = DOCS["000"].read_text(encoding="utf-8")
    row = "| 23 | 2101504 | 信息化建设 | 11.00 | | 11.00 |"
    assert text.count(row) == 1
    src, out = tmp_path / "某局.txt", tmp_path / "out"
    src.write_text(text.replace(row, row.replace("11.00", "11.90")), encoding="utf-8")
    cli("run", src, "--out", out)
    for check in ("cross.same_code", "table.hierarchy"):
        review("accept", "--check", check, "--db", out, "--yes")
    accepted = len(as_json(review("history", "--db", out, "--json")))
    assert accepted >= 2
    src.write_text(text, encoding="utf-8")
    run = cli("run", src, "--out", out)
    said = run.stdout + run.stderr
    assert f"; {accepted} earlier decision(s) no longer apply" in said, said
    assert "earlier decision(s) stale" not in said  # nothing to review again

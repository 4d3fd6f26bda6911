"""The narrative's figures: extracted with exact spans, and checked against the tables and each other.

Failing cases change one printed digit of the corpus at a claim's span and
re-run extraction on the changed text, so each check is shown to fire on a
real sentence and to stay quiet on the unmodified one.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import DOCS, result_for, text_for, verify_text
from extractor.load import Document
from extractor.pipeline import extract_document
from schemas import Claim, DocumentInfo, ExtractionResult, Section
from schemas.common import parse_amount
from verify.flags import Flagger
from verify.narrative import CLASS_CODES, SUBJECT_EN, _link, check_claims, extract_claims, part_groups
from verify.values import view_tables

NARRATIVE_CHECKS = ("narrative.table", "narrative.parts", "narrative.share", "narrative.change")

# Claims per document on the unmodified corpus (measured; lower bounds so that
# better recall does not fail the test, a regression does).
MIN_CLAIMS = {"000": 25, "001": 27, "002": 25, "003": 72}


def claims_of(doc: str) -> list[Claim]:
    return extract_claims(result_for(doc), text_for(doc))


def flags_for(result: ExtractionResult, text: str):
    claims = extract_claims(result, text)
    flagger = Flagger(result.document.sha256)
    check_claims(claims, view_tables(result), flagger)  # the tables only: the cards' checks are the pipeline's
    return claims, list(flagger.flags.values())


def find(claims: list[Claim], subject: str, raw: str, kind: str = "amount", nth: int = 0) -> Claim:
    found = [c for c in claims if c.subject == subject and c.value.raw == raw and c.kind == kind]
    assert len(found) > nth, f"no {kind} claim {subject} {raw}"
    return found[nth]


def mutated(doc: str, claim: Claim, new: str):
    """The document with ``claim``'s digits replaced by ``new``, extracted and checked again."""
    text = text_for(doc)
    start, end = claim.value.span
    changed = text[:start] + new + text[end:]
    result = extract_document(Document(path=DOCS[doc], text=changed, encoding="utf-8", sha256="mutated"))
    return flags_for(result, changed)


def checks(flags) -> list[str]:
    return sorted(f.check for f in flags)


# ------------------------------------------------------------ extraction

def test_every_claim_is_grounded(doc):
    text = text_for(doc)
    result = result_for(doc)
    narrative = {s.id: s.span for s in result.sections if s.kind == "narrative"}
    for claim in claims_of(doc):
        start, end = claim.value.span
        assert text[start:end] == claim.value.raw
        assert parse_amount(claim.value.raw) == claim.value.value
        assert claim.id == f"c{start}"
        assert claim.sentence[0] <= start < end <= claim.sentence[1]
        s_start, s_end = narrative[claim.section_id]
        assert s_start <= start < end <= s_end
        assert claim.unit in ("万元", "元", "%")
        # A subject of the vocabulary, a project, or (compared with nothing) the words the figure is printed after.
        assert claim.subject in SUBJECT_EN or claim.subject in CLASS_CODES or claim.subject.isdigit() \
            or claim.subject.startswith("项目:") or claim.reason
        assert (claim.direction is not None) == (claim.kind in ("change", "percent"))


def test_claims_per_document():
    counts = {doc: len(claims_of(doc)) for doc in sorted(DOCS)}
    assert all(counts[doc] >= MIN_CLAIMS[doc] for doc in DOCS), counts


def test_claim_ids_are_unique(doc):
    ids = [c.id for c in claims_of(doc)]
    assert len(ids) == len(set(ids))


def test_layout_wrapped_by_the_pdf_converter_is_read_through():
    # 001 wraps lines mid-word and mid-unit: "包括人\n\n员类项目经费 363.27 万元", "5930.7 万\n 元".
    claims = claims_of("001")
    assert find(claims, "人员经费", "363.27").value.value == Decimal("363.27")
    assert find(claims, "项目支出", "5930.7").value.value == Decimal("5930.7")
    assert find(claims, "公务用车购置及运行维护费", "3", kind="change").direction == "increase"


def test_bare_changes_and_rates_take_the_subject_they_belong_to():
    claims = claims_of("000")
    # "…公务接待费0.59万元。与2023年相比减少0.04万元": the paragraph's lead (三公经费), not 公务接待费.
    assert find(claims, "三公经费", "0.04", kind="change").direction == "decrease"
    # "2024年预算收支安排10022.09万元，较2023年预算减少796.64万元"
    assert find(claims, "收支总预算", "796.64", kind="change").direction == "decrease"
    c003 = claims_of("003")
    assert find(c003, "2101501", "32.10", kind="percent").direction == "increase"
    assert find(c003, "基本支出", "23.54", kind="share")


def test_unattributable_figures_are_unchecked_with_their_reason():
    # 001: "与2020年相比增加3万元，其中，…主要原因是增加执法用车；公务接待费0万元。" — the last
    # figure follows a change in the same sentence (the change with its verb dropped?): claimed as an amount
    # that may be a change (checked as either, tests/test_narrative_changes.py), never as a part of a whole.
    s04 = [c for c in claims_of("001") if c.section_id == "s04-narrative"]
    first_change = min(c.value.span[0] for c in s04 if c.kind == "change")
    after = [c for c in s04 if c.kind == "amount" and c.value.span[0] > first_change]
    assert [(c.subject, c.value.raw) for c in after] == [("公务接待费", "0")] and all(c.after_change for c in after)
    c003 = claims_of("003")
    by_raw = {(c.value.raw, c.section_id): c for c in c003}
    # A threshold ("单价50万元以上") names nothing the verifier knows: a claim all the same, with the reason it is not
    # compared (a printed number is never dropped silently).
    threshold = by_raw[("50", "s42-narrative")]
    assert threshold.subject == "单价" and "不是已知的科目" in threshold.reason
    # A project's budget under the heading quoting its name ("“欺诈骗取医保基金行为举报奖励”项目 … 项目预算安排资金5.0万元")
    # is that project's.
    assert by_raw[("5.0", "s32-narrative")].subject == "项目:欺诈骗取医保基金行为举报奖励"
    # Project funding by source ("一般公共预算拨款安排2145万元") is not income.
    assert not [c for c in c003 if c.section_id == "s29-narrative" and c.subject.endswith("收入")]
    # 002's "项目支出741.07万元，主要为…补助资金472万元、…" names a project of its list.
    assert [c.subject for c in claims_of("002") if c.value.raw == "472"] == [
        "项目:提前下达2026年中央财政医疗服务与保障能力提升补助资金"]


def _synthetic(text: str, year: int = 2024) -> list[Claim]:
    result = ExtractionResult(
        document=DocumentInfo(name="x", path="x", sha256="x", encoding="utf-8", length=len(text), year=year,
                              department="某某局"),
        sections=[Section(id="s00-narrative", kind="narrative", title="", span=(0, len(text)))],
    )
    return extract_claims(result, text)


def test_amounts_of_another_year_are_not_budget_year_claims():
    claims = _synthetic("2023年预算支出9000万元。2023年决算支出8000万元。2024年支出预算10000万元，比上年增加500万元。")
    # Last year's budget is a claim of its own kind (checked against a 上年 column); last year's 决算 is compared with
    # nothing, and says why.
    assert [(c.kind, c.subject, c.value.raw) for c in claims if c.reason is None] == [
        ("previous", "支出", "9000"), ("amount", "支出", "10000"), ("change", "支出", "500")]
    assert [(c.value.raw, "另一年度" in c.reason) for c in claims if c.reason] == [("8000", True)]


def test_amount_in_yuan_compares_in_wan():
    claims = _synthetic("三公经费0.5万元，其中公务接待费5000元，因公出国（境）费0万元，公务用车购置及运行维护费0万元。")
    flagger = Flagger("x")
    check_claims(claims, [], flagger)
    assert [c.unit for c in claims] == ["万元", "元", "万元", "万元"]
    assert not flagger.flags  # 0.5 = 0.5000 + 0 + 0


# ----------------------------------------------------------- the corpus

# 000's 说明 lists 城乡居民医疗保险财政补助重点保障经费6432万元; the card of that name (no project table is printed)
# budgets 6282.00: the one figure of the four narratives that disagrees (a warning: a card may hold part of a project).
_CORPUS_DOUBTS = {"000": ["说明：项目:城乡居民医疗保险财政补助重点保障经费 6432 万元 ≠ 绩效目标表 城乡居民医疗保险财政补助重点保障经费 "
                          "预算数 6282.00 万元（项目支出表未列此项目，此为其绩效目标表的预算数）"]}


def test_no_narrative_flags_on_the_unmodified_corpus(doc):
    # Every figure the four narratives state agrees with the tables, the cards and the
    # other figures within rounding; the pipeline's own run says the same.
    _claims, flags = flags_for(result_for(doc), text_for(doc))
    assert checks(flags) == []
    doubts = [f for f in result_for(doc).flags if f.check in NARRATIVE_CHECKS]
    assert [f.message for f in doubts] == _CORPUS_DOUBTS.get(doc, []) and all(f.severity == "warning" for f in doubts)


# ----------------------------------------------------------- narrative.table

def test_table_check_passes_when_the_narrative_agrees():
    claims, flags = flags_for(result_for("003"), text_for("003"))
    assert not flags
    # …and it did compare: 基本支出 660.56 has its table value in the expenditure summary.
    from verify.narrative import _Tables, _table_val

    claim = find(claims, "基本支出", "660.56")
    val = _table_val(claim, _link([c for c in claims if c.section_id == claim.section_id]),
                     _Tables(view_tables(result_for("003"))))
    assert val is not None and val.path == "expenditure_summary[total].basic"


def test_table_check_fails_on_a_changed_digit():
    claim = find(claims_of("003"), "基本支出", "660.56")
    _claims, flags = mutated("003", claim, "660.57")
    assert checks(flags) == ["narrative.table"]
    flag = flags[0]
    assert flag.severity == "error"
    # Both sides name their unit: the table's may differ from the narrative's (a table in 元).
    assert flag.message == "说明：基本支出 660.57 万元 ≠ 支出总表 合计 基本支出 660.56 万元"
    assert flag.message_en == "narrative: basic expenditure 660.57 万元 ≠ expenditure summary total basic 660.56 万元"
    summary = next(t for t in result_for("003").tables if t.kind == "expenditure_summary")
    table_span = next(r for r in summary.rows if r.item == "total").values["basic"].span
    assert [tuple(s) for s in flag.spans] == sorted([claim.value.span, table_span])


def test_table_check_on_three_public_costs_and_class_rows():
    claim = find(claims_of("000"), "公务接待费", "0.59")
    _claims, flags = mutated("000", claim, "0.69")
    # The table disagrees, and so do the stated parts of 三公经费 5.72.
    assert checks(flags) == ["narrative.parts", "narrative.table"]
    claim = find(claims_of("003"), "卫生健康支出", "2800.56", nth=1)
    _claims, flags = mutated("003", claim, "2800.66")
    # Under "一般公共预算支出" the class is read from the general-budget table.
    assert [f.fields[1].path for f in flags] == ["general_budget_expenditure[210].total"]


# ----------------------------------------------------------- narrative.parts

def test_parts_pass_including_a_one_cent_rounding_difference():
    claims = claims_of("000")
    section = [c for c in claims if c.section_id == "s12-narrative"]
    groups = {(w.subject, w.kind): [p.subject for p in parts] for w, parts in part_groups(section, _link(section))}
    assert groups[("收入", "amount")] == ["一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入",
                                         "财政专户管理资金收入", "单位资金收入", "上年结转"]
    assert groups[("支出", "amount")] == ["基本支出", "项目支出"]
    assert groups[("基本支出", "amount")] == ["人员经费", "公用经费"]
    # 796.64 against 43.98 + 752.65 = 796.63: one cent, within three half-cents of rounding.
    assert groups[("收支总预算", "change")] == ["基本支出", "项目支出"]
    _claims, flags = flags_for(result_for("000"), text_for("000"))
    assert not flags


def test_parts_fail_without_tables():
    # 001's tables are flattened and unread; the narrative's own arithmetic is still checked.
    claim = find(claims_of("001"), "公用经费", "31.26")
    _claims, flags = mutated("001", claim, "31.36")
    assert checks(flags) == ["narrative.parts"]
    assert flags[0].message == "说明：基本支出 394.53 ≠ 人员经费 363.27 + 公用经费 31.36 = 394.63（差 -0.10，舍入容差 0.015）"


def test_nested_parts_are_not_double_counted():
    # 001: 三公经费 6 = 出国 0 + 公务用车购置及运维费 6 (其中：购置费 0, 运维费 6) + 接待 0.
    claims = claims_of("001")
    section = [c for c in claims if c.section_id == "s04-narrative"]
    groups = {(w.subject, w.kind): [p.subject for p in parts] for w, parts in part_groups(section, _link(section))}
    assert groups[("三公经费", "amount")] == ["因公出国(境)费", "公务用车购置及运行维护费", "公务接待费"]
    assert groups[("公务用车购置及运行维护费", "amount")] == ["公务用车购置费", "公务用车运行维护费"]
    assert groups[("公务用车购置及运行维护费", "change")] == ["公务用车购置费", "公务用车运行维护费"]


# ----------------------------------------------------------- narrative.share

def test_share_passes_and_fails():
    claims = claims_of("003")
    # 9 of the expenditure's parts and classes, 5 of the procurement's sources (一般公共预算安排21.54万元，占100%).
    assert len([c for c in claims if c.kind == "share"]) == 14
    claim = find(claims, "基本支出", "23.54", kind="share")
    _claims, flags = mutated("003", claim, "23.64")
    assert checks(flags) == ["narrative.share"]
    assert flags[0].message == "说明：基本支出 660.56 占 23.64% ≠ 660.56 / 支出 2805.56 = 23.54%"
    assert claim.value.span in [tuple(s) for s in flags[0].spans]


def test_share_of_a_class_in_the_fiscal_appropriation_section():
    claim = find(claims_of("003"), "社会保障和就业支出", "0.18", kind="share")
    _claims, flags = mutated("003", claim, "0.28")
    assert checks(flags) == ["narrative.share"]
    assert "财政拨款收支 2805.56" in flags[0].message


# ----------------------------------------------------------- narrative.change

def test_change_rate_passes_and_fails():
    claims = claims_of("003")
    assert len([c for c in claims if c.kind == "percent"]) == 13
    claim = find(claims, "2101501", "32.10", kind="percent")
    _claims, flags = mutated("003", claim, "33.10")
    assert checks(flags) == ["narrative.change"]
    assert flags[0].severity == "warning"
    assert flags[0].message == "说明：2101501 增长 33.10% ≠ 增加 58.91 / 上年 183.50 = 32.10%"


def test_change_parts_fail():
    claim = find(claims_of("000"), "项目支出", "752.65", kind="change")
    _claims, flags = mutated("000", claim, "752.75")
    assert checks(flags) == ["narrative.change"]
    assert flags[0].message.startswith("说明：收支总预算 减少 796.64 ≠ 基本支出 减少 43.98 + 项目支出 减少 752.75 = -796.73")


def test_change_parts_with_opposite_signs():
    # 002: 较2025年预算减少486.16万元 = 基本支出增加147.31 − 项目支出减少633.47.
    claim = find(claims_of("002"), "基本支出", "147.31", kind="change")
    _claims, flags = flags_for(result_for("002"), text_for("002"))
    assert not flags
    _claims, flags = mutated("002", claim, "147.41")
    assert checks(flags) == ["narrative.change"]


@pytest.mark.parametrize("heading", [
    "7. 卫生健康（类）医疗保障管理事务（款）其他医疗保障管理事务支出（项）\n",
    "7. **卫生健康（类）医疗保障管理事务（款）其他医疗保障管理事务支出（项）**\n",
    "（七）卫生健康（类）医疗保障管理事务（款）其他医疗保障管理事务支出（项）：\n",
], ids=["plain", "bold", "colon"])
def test_a_class_path_heading_on_its_own_line_names_the_figures_under_it(heading):
    # A PDF converter often ends the heading's line after the path; the amount opens the next line.
    printed = "7. 卫生健康（类）医疗保障管理事务（款）其他医疗保障管理事务支出（项） "
    text = text_for("003")
    assert printed in text
    result = verify_text("003", text.replace(printed, heading))
    claims = extract_claims(result, text.replace(printed, heading))
    assert find(claims, "2101599", "5").kind == "amount"
    assert not [f for f in result.flags if f.check.startswith("narrative")]


@pytest.mark.parametrize("wording,subject", [
    ("公务用车运行费", "公务用车运行维护费"), ("公务用车运维费", "公务用车运行维护费"), ("公务用车运行维护费", "公务用车运行维护费"),
    ("公务用车购置及运行费", "公务用车购置及运行维护费"), ("公务用车购置和运维费", "公务用车购置及运行维护费")])
def test_every_wording_of_the_vehicle_lines_is_a_claim(wording, subject):
    """The tables read 运行维护费, 运维费 and 运行费 alike; the narrative must too, or its figure goes unchecked."""
    claims = _synthetic(f"2024年{wording}26.00万元。")
    assert [(c.subject, c.value.raw) for c in claims] == [(subject, "26.00")]


# ------------------------------------------------------- headings with no number

PLAIN_HEADING_DOC = """西河县农业农村局2025年部门预算

西河县农业农村局2025年一般公共预算支出表
单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t1000.00\t600.00\t400.00
213\t农林水支出\t1000.00\t600.00\t400.00

{heading}
2025年一般公共预算支出{total}万元，其中基本支出600万元，项目支出400万元。
"""


@pytest.mark.parametrize("heading", ["一般公共预算支出情况说明", "关于2025年一般公共预算支出表的说明",
                                     "二、一般公共预算支出情况说明", "（二）一般公共预算支出情况"])
def test_a_total_under_a_heading_with_or_without_a_number_is_checked(heading):
    def flags_with(total: str):
        text = PLAIN_HEADING_DOC.format(heading=heading, total=total)
        result = extract_document(Document(path=DOCS["000"].with_name("plain.txt"), text=text,
                                           encoding="utf-8", sha256="plain"))
        return flags_for(result, text)

    claims, flags = flags_with("1000")
    assert find(claims, "一般公共预算支出", "1000")
    assert not flags
    _claims, flags = flags_with("1100")
    # The heading's words are not the total's subject: 1100 is compared with the table and its parts.
    assert checks(flags) == ["narrative.parts", "narrative.table"]


def test_a_figure_cut_across_lines_of_a_text_file_is_read_whole():
    """Text hard-wrapped at a count of characters breaks inside numbers; a line that starts "1.10%" goes on the
    figure before it ("占6" / "1.10%" is 61.10%), it does not open a numbered heading."""
    text = ("一、收支总表的说明\n2024年支出预算3637.28万元，其中：基本支出1415\n.06万元，占38.90%；项目支出2222.22万元，占6\n"
            "1.10%。\n1.1 基本支出情况\n基本支出1415.06万元。\n")
    claims = {(c.kind, c.subject, c.value.raw) for c in _synthetic(text)}
    assert {("amount", "基本支出", "1415\n.06"), ("share", "项目支出", "6\n1.10")} <= claims
    # "1.1 基本支出情况" is still a heading: its words name no figure of the sentence before it.
    assert ("amount", "基本支出", "1415.06") in claims

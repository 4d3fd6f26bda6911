"""A printed number is never dropped silently, on a card too: every figure printed on a performance card that no field
took is kept in ``PerformanceCard.unparsed`` and flagged ``read.unparsed``, whatever reader filled the card.

The cards here are hand-written text (labelled as such), set the way the new user's tightly set reportlab card came
out of its PDF: two budget labels and their amounts run together in one cell (``365.4434.56``), two indicator rows
run together (``≥99%≤2小时``)."""

from __future__ import annotations

from decimal import Decimal

from conftest import result_for

from extractor.pipeline import run_file
from verify import verify_result

# Hand-written: the trial card's text as the PDF loader gave it, tab-separated.
TIGHT_CARD = """项目支出绩效目标表
(2025年度)

项目名称\t医疗保障信息系统运维\t\t
主管部门及代码\t[066]测试县卫生保障局\t实施单位\t测试县卫生保障局
\t年度资金总额：\t400.00\t
项目资金(万元)\t其中：财政拨款上年结转\t365.4434.56\t
\t其他资金\t0.00\t
年度目标\t保障全县医保信息系统全年稳定运行，系统可用率不低于99%。\t\t

\t一级指标\t二级指标\t三级指标\t指标值
\t\t数量指标\t运维服务系统数\t≥12个
\t产出指标\t质量指标时效指标\t系统可用率故障响应时间\t≥99%≤2小时
绩效指标\t\t成本指标\t项目总成本\t≤400万元
\t效益指标\t社会效益指标\t参保群众就医结算便利度\t明显提升
\t满意度指标\t服务对象满意度指标\t参保群众满意度\t≥95%
"""


def run(tmp_path, text: str, name: str = "card.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run_file(path), path.read_text(encoding="utf-8")


def unparsed_flags(result):
    return [f for f in result.flags if f.check == "read.unparsed"]


def test_two_amounts_run_together_are_kept_unread_and_flagged(tmp_path):
    result, text = run(tmp_path, TIGHT_CARD)
    card = result.cards[0]
    assert card.budget.total.value == Decimal("400.00")
    # Never read as one number (365.4434), nor split by guess.
    assert card.budget.fiscal is None and card.budget.carryover is None
    glued = [t for t in card.unparsed if t.text == "365.4434.56"]
    assert len(glued) == 1 and text[glued[0].span[0]:glued[0].span[1]] == "365.4434.56"
    flag = next(f for f in unparsed_flags(result) if f.found == "365.4434.56")
    assert flag.severity == "error" and flag.section_id == card.section_id
    assert "医疗保障信息系统运维" in flag.message and "两个小数点" in flag.message
    assert "two amounts run together" in flag.message_en
    assert [tuple(s) for s in flag.spans] == [glued[0].span]


def test_two_targets_run_together_lose_no_figure_silently(tmp_path):
    result, text = run(tmp_path, TIGHT_CARD)
    card = result.cards[0]
    found = {f.found: f for f in unparsed_flags(result)}
    assert {"99", "2"} <= set(found)
    assert "≥99%≤2小时" in found["99"].message
    assert sorted(t.text for t in card.unparsed) == ["2", "365.4434.56", "99"]
    # Figures a field took are not flagged: the budget, the targets read as values, numbers inside words.
    assert not {"400.00", "0.00", "12", "400", "95", "2025"} & set(found)


def test_the_verifier_finds_untaken_figures_whatever_reader_filled_the_card(tmp_path):
    """A model's card lists no unparsed figure: the verifier finds them in the card's lines itself."""
    result, text = run(tmp_path, TIGHT_CARD)
    result.cards[0].unparsed = []
    result.cards[0].notes.append("as a model would have filled it")
    again = verify_result(result.model_copy(update={"flags": []}), text)
    assert sorted(f.found for f in unparsed_flags(again)) == ["2", "365.4434.56", "99"]


def test_a_card_read_whole_raises_no_unparsed_flag(tmp_path):
    whole = TIGHT_CARD.replace("其中：财政拨款上年结转\t365.4434.56", "其中：财政拨款\t365.44\t上年结转\t34.56") \
        .replace("\t产出指标\t质量指标时效指标\t系统可用率故障响应时间\t≥99%≤2小时",
                 "\t产出指标\t质量指标\t系统可用率\t≥99%\n\t\t时效指标\t故障响应时间\t≤2小时")
    result, _ = run(tmp_path, whole)
    card = result.cards[0]
    assert card.budget.fiscal.value == Decimal("365.44") and card.budget.carryover.value == Decimal("34.56")
    assert card.unparsed == [] and unparsed_flags(result) == []


def test_a_page_number_at_a_page_break_inside_a_card_is_no_figure(tmp_path):
    broken = TIGHT_CARD.replace("\t效益指标", "\n18\n\n\x0c\t效益指标")
    result, _ = run(tmp_path, broken)
    assert "18" not in {f.found for f in unparsed_flags(result)}
    # The same number anywhere else on the card is a printed figure no field took.
    stray = TIGHT_CARD.replace("\t效益指标", "\n18\n\t效益指标")
    result, _ = run(tmp_path, stray, "stray.txt")
    assert "18" in {f.found for f in unparsed_flags(result)}


def test_project_period_is_read_into_its_field():
    card = next(c for c in result_for("003").cards if c.project_period is not None)
    assert card.project_period.text == "1年"
    assert card.unparsed == []


def test_corpus_cards_leave_no_figure_unread(doc):
    result = result_for(doc)
    assert all(c.unparsed == [] for c in result.cards)
    assert [f for f in unparsed_flags(result) if f.section_id in {c.section_id for c in result.cards}] == []


def test_unread_figures_reach_the_result_the_review_queue_and_the_report(tmp_path):
    import json

    from test_cli import cli

    src = tmp_path / "tight.txt"
    src.write_text(TIGHT_CARD, encoding="utf-8")
    out = tmp_path / "out"
    cli("run", src, "--out", out)
    saved = json.loads((out / "tight.json").read_text(encoding="utf-8"))
    assert [t["text"] for t in saved["cards"][0]["unparsed"]] == ["365.4434.56", "99", "2"]
    queue = json.loads(cli("review", "list", "--db", out, "--json").stdout)
    assert sorted(f["found"] for f in queue if f["check"] == "read.unparsed") == ["2", "365.4434.56", "99"]
    cli("report", out, "-o", out / "report")
    page = next(p for p in (out / "report").rglob("*.html") if p.name != "index.html").read_text(encoding="utf-8")
    assert "未读数字 not read" in page and "<code>365.4434.56</code>" in page


def test_a_figure_cell_is_figures_only():
    """Numbers in words, dates, codes are not figures; a cell of figures run together is."""
    from schemas.cards import figures

    line = "(2025年度)\t12月底前完成\t13030025P00008210008G\t系统可用率不低于99%\t≥99%≤2小时\t≤0.25万元/m²\t365.4434.56"
    assert [raw for _, raw in figures([(100, line)])] == ["99", "2", "0.25", "365.4434.56"]
    span, raw = list(figures([(100, line)]))[0]
    assert line[span[0] - 100:span[1] - 100] == raw

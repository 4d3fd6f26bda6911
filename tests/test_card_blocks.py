"""Where one card ends and the next begins.

- Several cards printed under one page title (项目支出绩效目标表, then card after card), or each under a title of its
  own that no title pattern knows (绩效目标申报表（项目）): each 项目名称 (or 项目编码) block after a card's indicator grid
  starts a card of its own, with its own budget, checked against its own project; a unit line printed once over them
  all applies to each.
- A card continued on the next page (its header printed again or not) stays one card.

The cards are generated here (hand-written fixtures in the shapes of other provinces' cards).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from textlayouts import left_aligned, pipes, run_text

PROJECTS = """青山县文化旅游局2025年项目支出表
单位：万元
项目名称\t合计\t财政拨款\t上年结转
文化惠民演出\t1922.22\t1900.00\t22.22
非遗保护传承\t95.50\t75.00\t20.50
公共图书馆免费开放\t120.00\t120.00\t0.00
合计\t2137.72\t2095.00\t42.72

"""


def _card(name: str, code: str, budget: tuple[str, str, str], indicators: list[str], code_first: bool) -> str:
    keys = [f"项目名称\t{name}", f"项目编码\t{code}"]
    if code_first:
        keys.reverse()
    total, fiscal, carry = budget
    return "\n".join([*keys, "实施单位\t青山县文化馆",
                      f"项目资金\t年度资金总额:\t{total}", f"\t其中:财政拨款\t{fiscal}", f"\t上年结转\t{carry}",
                      f"年度目标\t完成{name}的年度任务。",
                      "一级指标\t二级指标\t三级指标\t指标值", *indicators]) + "\n"


CARDS = [
    ("文化惠民演出", "34122525P000000100011", ("1922.22", "1900.00", "22.22"),
     ["产出指标\t数量指标\t送戏下乡演出场次\t≥300场", "满意度指标\t服务对象满意度指标\t群众满意度\t≥95%"]),
    # Its budget disagrees with the 项目支出表 (85.50 against 95.50): found only when the card is its own.
    ("非遗保护传承", "34122525P000000100012", ("85.50", "60.00", "25.50"),
     ["产出指标\t数量指标\t非遗项目保护数量\t＝12项", "\t成本指标\t单个项目补助标准\t≤50000元",
      "满意度指标\t服务对象满意度指标\t传承人满意度\t≥90%"]),
    ("公共图书馆免费开放", "34122525P000000100013", ("120.00", "120.00", "0.00"),
     ["产出指标\t数量指标\t年接待读者人次\t≥80000人次"]),
]
LAYOUTS = {"tab": lambda t: t, "pipe": pipes, "spaced": left_aligned}


def _document(between: str, code_first: bool = False, layout: str = "tab", top: str = "项目支出绩效目标表\n") -> str:
    cards = between.join(_card(*c, code_first=code_first) for c in CARDS)
    return "青山县文化旅游局2025年部门预算\n\n" + PROJECTS + top + LAYOUTS[layout](cards)


def _read(tmp_path, text: str):
    return run_text(tmp_path, text, "cards.txt")[0]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("code_first", [False, True], ids=["name_first", "code_first"])
@pytest.mark.parametrize("between", ["\n", "", "\n— 12 —\n\n"], ids=["blank_line", "nothing", "page_number"])
def test_each_project_block_under_one_title_is_a_card_of_its_own(tmp_path, between, code_first, layout):
    result = _read(tmp_path, _document(between, code_first, layout))
    got = [(c.project_name.text, c.project_code.text, str(c.budget.total.value), [i.name.text for i in c.indicators])
           for c in result.cards]
    assert got == [(name, code, budget[0], [row.split("\t")[2] for row in rows])
                   for name, code, budget, rows in CARDS]
    assert len({c.section_id for c in result.cards}) == 3
    # Each card's budget is checked against its own project: only 非遗保护传承's disagrees.
    flags = [(f.check, f.found) for f in result.flags]
    assert flags == [("cross.card_budget", "85.50")]


@pytest.mark.parametrize("title", ["绩效目标申报表（项目）", "项目绩效目标申报表"])
def test_cards_under_titles_no_pattern_knows_are_cards_of_their_own_and_their_titles_no_indicators_words(
        tmp_path, title):
    text = "青山县文化旅游局2025年部门预算\n\n" + PROJECTS + "".join(
        f"{title}\n\n{_card(*c, code_first=False)}\n" for c in CARDS)
    result = _read(tmp_path, text)
    assert [c.project_name.text for c in result.cards] == [c[0] for c in CARDS]
    names = [i.name.text for c in result.cards for i in c.indicators]
    assert not [n for n in names if title in n]


def test_a_unit_line_over_several_cards_applies_to_each(tmp_path):
    in_yuan = [(name, code, tuple(f"{Decimal(x) * 10000:.2f}" for x in budget), rows)
               for name, code, budget, rows in CARDS]
    cards = "\n".join(_card(*c, code_first=False) for c in in_yuan)
    result = _read(tmp_path, "青山县文化旅游局2025年部门预算\n\n" + PROJECTS + "项目支出绩效目标表\n单位：元\n" + cards)
    assert [c.unit for c in result.cards] == ["元", "元", "元"]
    # In one unit with the 项目支出表 (万元): only the planted disagreement.
    assert [(f.check, f.found) for f in result.flags] == [("cross.card_budget", "855000.00")]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("repeat", [True, False], ids=["header_again", "no_header"])
def test_a_card_continued_on_the_next_page_stays_one_card(tmp_path, repeat, layout):
    name, code, budget, rows = CARDS[1]
    card = _card(name, code, budget, rows[:2], code_first=False)
    rest = ("\n— 13 —\n\n" + ("一级指标\t二级指标\t三级指标\t指标值\n" if repeat else "") + rows[2] + "\n")
    text = "青山县文化旅游局2025年部门预算\n\n项目支出绩效目标表\n" + LAYOUTS[layout](card + rest)
    result = _read(tmp_path, text)
    (only,) = result.cards
    assert [i.name.text for i in only.indicators] == ["非遗项目保护数量", "单个项目补助标准", "传承人满意度"]


# The prose between two cards, as a PDF → Word converter leaves it (paragraphs after a blank line; the next card's title
# glued to the last one): numbered paragraphs of the narrative, never the last indicator's name or rows of the card.
PROSE = {
    "dot": ["5. “{name}”项目。", "(1) 项目概述。{name} (2) 实施主体。青山县文化馆"],
    "brackets": ["（2）{name}项目。", "项目预算安排资金5.0万元，用于{name}。"],
    "dunhao": ["3、“{name}”项目", "（1）项目概述。{name}。（2）年度预算安排。项目预算安排资金5.0万元。"],
}


@pytest.mark.parametrize("form", ["tab", "docx"])
@pytest.mark.parametrize("prose", PROSE)
def test_a_numbered_paragraph_between_two_cards_is_no_row_of_the_card_above(tmp_path, prose, form):
    from sheetdocs import word_document

    parts = ["青山县文化旅游局2025年部门预算\n\n" + PROJECTS]
    for name, code, budget, rows in CARDS:
        lines = [p.format(name=name) for p in PROSE[prose]]
        lines[-1] += " 项目支出绩效目标表 (2025年度)"  # the title glued to the paragraph before it
        parts.append("\n".join(lines) + "\n\n" + _card(name, code, budget, rows, code_first=False) + "\n")
    text = "".join(parts)
    if form == "docx":
        result = _read_docx(tmp_path, text, word_document)
    else:
        result = _read(tmp_path, text)
    got = [(c.project_name.text, [i.name.text for i in c.indicators]) for c in result.cards]
    assert got == [(name, [row.split("\t")[2] for row in rows]) for name, _, _, rows in CARDS]
    assert [f.check for f in result.flags if f.check.startswith("card.") or f.check.startswith("read.")] == []


def _read_docx(tmp_path, text: str, word_document):
    from extractor.load import load_document
    from extractor.pipeline import extract_document
    from verify import verify_result

    doc = load_document(word_document(text, tmp_path / "cards.docx"))
    return verify_result(extract_document(doc), doc.text)

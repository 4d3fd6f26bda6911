"""Narrative wordings other templates print, generated from the corpus documents' own narratives.

Each test rewrites the corpus text the way another locality words it and asserts the same claims are read and
checked as in the original (or the wording's own claim is checked).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from conftest import result_for, text_for, verify_text

_CN = str.maketrans("0123456789", "〇一二三四五六七八九")


def _narrative_spans(doc: str) -> list[tuple[int, int]]:
    return [tuple(s.span) for s in result_for(doc).sections if s.kind == "narrative"]


def _in_chinese_numerals(doc: str) -> str:
    """The document with every year of its narrative (2024年) written in Chinese numerals (二〇二四年)."""
    text = text_for(doc)
    out = list(text)
    for start, end in _narrative_spans(doc):
        for m in re.finditer(r"(?<!\d)20\d\d(?=年)", text[start:end]):
            at = start + m.start()
            out[at:at + 4] = list(m.group().translate(_CN))
    return "".join(out)


@pytest.mark.parametrize("doc", ["000", "002", "003"])
def test_years_in_chinese_numerals_read_like_years_in_digits(doc):
    text = _in_chinese_numerals(doc)
    assert text != text_for(doc) and "〇" in text
    original = result_for(doc)
    result = verify_text(doc, text)
    assert [(c.subject, c.value.value, c.kind) for c in result.claims] == \
           [(c.subject, c.value.value, c.kind) for c in original.claims]
    assert sorted(f.message for f in result.flags if f.check.startswith("narrative")) == \
           sorted(f.message for f in original.flags if f.check.startswith("narrative"))


def _three_public(last: dict[str, str], now: dict[str, str], sentence: str) -> str:
    """A 三公 table with last year's and this year's columns and the change, generated from the two years'
    figures, and a narrative sentence about it."""
    lines = ["某镇2025年“三公”经费支出表", "单位：万元", "项目\t2024年预算数\t2025年预算数\t增减额"]
    names = ["因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"]
    total_last = sum(Decimal(last[n]) for n in names)
    total_now = sum(Decimal(now[n]) for n in names)
    lines.append(f"合计\t{total_last:.2f}\t{total_now:.2f}\t{total_now - total_last:.2f}")
    for n in names:
        lines.append(f"{n}\t{last[n]}\t{now[n]}\t{Decimal(now[n]) - Decimal(last[n]):.2f}")
    return "\n".join(lines) + "\n\n三、“三公”经费预算情况\n\n" + sentence + "\n"


LAST = {"因公出国（境）费": "0.00", "公务用车购置及运行维护费": "12.00", "公务接待费": "6.00"}


@pytest.mark.parametrize("words", ["与上年持平", "与上年相比无变化", "较上年无增减"])
def test_no_change_stated_in_words_is_checked_as_a_change_of_nothing(words):
    now = {**LAST, "公务接待费": "5.00"}
    said = f"2025年“三公”经费预算17.00万元。其中：公务接待费5.00万元，{words}。"
    flags = [f for f in verify_text("003", _three_public(LAST, now, said)).flags if f.check == "narrative.change"]
    assert len(flags) == 1 and "公务接待费" in flags[0].message and "-1.00" in flags[0].message
    held = _three_public(LAST, dict(LAST), said.replace("5.00万元", "6.00万元").replace("17.00", "18.00"))
    result = verify_text("003", held)
    assert not [f for f in result.flags if f.check.startswith("narrative")], [f.message for f in result.flags]
    assert any(c.kind == "change" and c.subject == "公务接待费" and c.value.value == 0 for c in result.claims)


def test_an_unchanged_part_does_not_make_a_partial_list_of_changes_look_whole():
    now = {**LAST, "公务用车购置及运行维护费": "10.00", "公务接待费": "5.00"}
    said = ("2025年“三公”经费预算15.00万元，比上年减少3.00万元。其中：因公出国（境）费0万元，与上年持平；"
            "公务用车购置及运行维护费10.00万元；公务接待费5.00万元，比上年减少1.00万元。")
    result = verify_text("003", _three_public(LAST, now, said))
    assert not [f for f in result.flags if f.check.startswith("narrative")], [f.message for f in result.flags]


def test_parts_stated_in_yuan_under_a_whole_in_wan_are_summed_and_shown_in_one_unit():
    now = {"因公出国（境）费": "0.00", "公务用车购置及运行维护费": "12.00", "公务接待费": "5.00"}
    # The parts in 元, one of them wrong (130000 元 = 13 万元 where the table prints 12.00): 0 + 13 + 5 = 18 ≠ 17.
    said = "2025年“三公”经费预算17.00万元，其中：因公出国（境）费0元，公务用车购置及运行维护费130000元，公务接待费50000元。"
    flags = [f for f in verify_text("003", _three_public(LAST, now, said)).flags if f.check == "narrative.parts"]
    assert len(flags) == 1, [f.message for f in flags]
    message = flags[0].message
    assert "17.00 万元 ≠" in message and "公务用车购置及运行维护费 13 万元（130,000 元）" in message
    assert "= 18 万元（差 -1 万元" in message
    # Every figure of the sum is in 万元: a 元 figure appears only beside its 万元 form.
    assert re.findall(r"\d 元(?!）)", message) == []


@pytest.mark.parametrize("doc", ["000", "002", "003"])
def test_a_line_wrapped_between_a_label_and_its_amount_reads_as_one_line(doc):
    """A narrow or landscape page wraps "…公务接待费" / "10.00万元。": every figure of the narrative printed at the
    start of a line of its own (a break between the words and the number) gives the same claims and flags."""
    text = text_for(doc)
    out, last = [], 0
    for start, end in _narrative_spans(doc):
        for m in re.finditer(r"(?<=[\u4e00-\u9fff])(?=\d+(?:\.\d+)?(?:万元|元|%))", text[start:end]):
            out += [text[last:start + m.start()], "\n"]
            last = start + m.start()
    wrapped = "".join(out) + text[last:]
    assert wrapped.count("\n") > text.count("\n") + 5
    original, result = result_for(doc), verify_text(doc, wrapped)
    assert [(c.subject, c.value.value, c.kind) for c in result.claims] == \
           [(c.subject, c.value.value, c.kind) for c in original.claims]
    assert sorted(f.message for f in result.flags if f.check.startswith("narrative")) == \
           sorted(f.message for f in original.flags if f.check.startswith("narrative"))


@pytest.mark.parametrize("title", ["东岭区民政局二〇二五年部门预算", "东岭区民政局二零二五年度部门预算"])
def test_a_title_with_the_year_in_chinese_numerals_names_the_documents_year(tmp_path, title):
    """(A hand-written title.) The document's year and department come from it as from 2025年 in digits, so the
    narrative's figures are dated against the right year."""
    from extractor.pipeline import run_file

    path = tmp_path / "doc.txt"
    path.write_text(f"{title}\n\n一、部门职责\n本部门负责民政工作。\n", encoding="utf-8")
    document = run_file(path).document
    assert (document.year, document.department) == (2025, "东岭区民政局")

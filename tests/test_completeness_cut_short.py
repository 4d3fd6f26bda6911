"""A document whose contents list a table it does not print either is cut short or leaves the table out (many
counties list 政府采购预算表 and print none). ``completeness.truncated`` is an error only where the text shows the
last table or card stopping short (no total line, lines that do not add up to the total line above them, a card
with no indicator grid); where the last one is whole, or the 说明 says the table is not published, only the
listed-missing warning stands; where the text cannot tell, a warning says so (trial 26, finding 09). Documents
generated here."""

from __future__ import annotations

from conftest import read_generated

from extractor.work import Tally

CONTENTS = "目录\n一、支出预算总表\n二、项目支出预算表\n三、政府采购预算表\n"
EXPENDITURE = ["一、支出预算总表", "单位：万元", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
               "\t合计\t635.00\t300.00\t335.00",
               "205\t教育支出\t535.00\t200.00\t335.00",
               "20501\t教育管理事务\t535.00\t200.00\t335.00",
               "2050101\t行政运行\t535.00\t200.00\t335.00",
               "208\t社会保障和就业支出\t100.00\t100.00\t",
               "20805\t行政事业单位养老支出\t100.00\t100.00\t",
               "2080505\t机关事业单位基本养老保险缴费支出\t100.00\t100.00\t"]
PROJECTS = ["二、项目支出预算表", "单位：万元", "项目名称\t合计\t一般公共预算",
            "学前教育资助\t250.00\t250.00", "教育督导评估\t85.00\t85.00", "合计\t335.00\t335.00"]
CARD = ["项目支出绩效目标表", "项目名称\t教育督导评估", "主管部门\t某县教育局\t实施单位\t某县教育督导室",
        "项目资金（万元）\t年度资金总额：\t85.00", "\t其中：财政拨款\t85.00", "年度目标\t完成全县中小学校督导评估",
        "一级指标\t二级指标\t三级指标\t指标值",
        "产出指标\t数量指标\t督导评估学校数量\t≥45所",
        "\t时效指标\t评估完成时间\t2024年12月底前",
        "效益指标\t社会效益指标\t办学行为规范程度\t明显提升",
        "满意度指标\t服务对象满意度指标\t学校满意度\t≥90%"]
NOT_PUBLISHED = "说明：本部门2024年无政府采购预算，故未公开政府采购预算表。\n"


def document(*parts: list[str], before: str = "") -> str:
    """The county bureau's disclosure: its contents list 政府采购预算表, which no part printed here is."""
    return "\n".join(["某县教育局2024年部门预算公开", "", CONTENTS, before, *("\n".join(p) + "\n" for p in parts)])


def flags(text: str, check: str) -> list:
    return [f for f in read_generated(text).flags if f.check == check]


def test_a_whole_document_that_leaves_a_listed_table_out_is_not_called_cut_short():
    # Ends with a card whose indicator grid reaches 满意度指标, or with a table ending on its total line.
    for text in (document(EXPENDITURE, PROJECTS, CARD), document(EXPENDITURE, PROJECTS)):
        assert not flags(text, "completeness.truncated")
        assert [f.severity for f in flags(text, "completeness.listed_missing")] == ["warning"]


def test_a_last_table_whose_lines_add_up_to_its_total_line_above_is_whole():
    assert not flags(document(PROJECTS, EXPENDITURE), "completeness.truncated")


def test_a_last_table_whose_lines_stop_before_its_total_is_made_up_is_cut_short():
    truncated = flags(document(PROJECTS, EXPENDITURE[:-3]), "completeness.truncated")  # 208's lines cut off
    assert [f.severity for f in truncated] == ["error"]
    assert "各行之和与合计行不符" in truncated[0].message and "政府采购预算表" in truncated[0].message


def test_a_last_table_with_no_total_line_is_cut_short():
    no_total = EXPENDITURE[:3] + EXPENDITURE[4:-3]
    truncated = flags(document(PROJECTS, no_total), "completeness.truncated")
    assert [f.severity for f in truncated] == ["error"] and "没有合计行" in truncated[0].message


def test_a_table_the_narrative_says_is_not_published_is_no_sign_of_a_cut():
    text = document(PROJECTS, EXPENDITURE[:-3], before=NOT_PUBLISHED)
    assert not flags(text, "completeness.truncated")
    assert not flags(text, "completeness.listed_missing")


def test_where_the_text_cannot_tell_the_warning_says_so_and_the_summary_does_not_count_a_cut():
    result = read_generated(document(EXPENDITURE, PROJECTS, CARD[:-1]))  # a card with no 满意度指标 line
    truncated = [f for f in result.flags if f.check == "completeness.truncated"]
    assert [f.severity for f in truncated] == ["warning"]
    assert "无从判断" in truncated[0].message and "可能被截断" not in truncated[0].message
    assert Tally.of(result).truncated == 0


def test_a_last_table_printed_empty_with_its_note_is_whole():
    empty = ["二、项目支出预算表", "单位：万元", "项目名称\t合计\t一般公共预算", "本部门无项目支出，故本表为空表。"]
    result = read_generated(document(EXPENDITURE, empty))
    assert any(t.empty for t in result.tables), [(t.kind, t.empty) for t in result.tables]
    assert not [f for f in result.flags if f.check == "completeness.truncated"]

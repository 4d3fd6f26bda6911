"""Performance-target cards whose indicator rows are read from where words stand on the page: space-aligned text
(``pdftotext -layout``) and PDFs without rules. Each test is one kind of layout that lost a card's figure before;
the figure must be read, or stay flagged ``read.unparsed`` — never turned into a guess."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from extractor.load import Document
from extractor.pipeline import extract_document
from verify import verify_result


def read(text: str, name: str = "fixture"):
    doc = Document(path=Path(f"/nonexistent/{name}.txt"), text=text, encoding="utf-8",
                   sha256=hashlib.sha256(text.encode()).hexdigest())
    return verify_result(extract_document(doc), text)


def unparsed(result) -> list[str]:
    return [f.found for f in result.flags if f.check == "read.unparsed"]


# Hand-written fixture (cut from the pdftotext_full layout variant of corpus 000): a card continued on the next page,
# which is laid out anew (no header printed again, its columns further left), the first row's basis cut by the page
# break: the basis's tail, at the top of the new page, stands where the page before printed the targets. The page's
# running title is printed on every page (the pages before and after the card's are cut to it).
CARD_CONTINUED_ON_OTHER_COLUMNS = """— 65 —

\f三河市医疗保障局2024年部门预算

                                                                         23、医保基金使用情况专项审计经费绩效目标表

                                                                                                                                                                                 单位：万元


 项目编码             13108224P00001410239C                         项目名称                     医保基金使用情况专项审计经费
 预算规模及 资金用途  预算数                             2.96       其中：财政资金                          2.96                其他资金
                      开展医保基金使用情况专项审计工作，全年支付金额 2.96 万元。
 资金支出计 划 (%)    3 月底                                        6 月底                       10 月底                        12 月底
                                                                                                                                           100%
 绩效目标             1.通过对医保基金使用情况专项审计，保障参保人员权益。 2.清理违法违规现象，减少欺诈骗保案件的发生。 3.确保医疗保障基金安全平稳运行。
 一级指标             二级指标                      三级指标        绩效指标描述                                                指标值                          指标值确定 依据
                                                                                                                                                                《廊坊市人民政府办公室关于
                                                                                                                                                                开展医保医疗领域专项治理工
 产出指标             数量指标                      审计数量        审计定点医药机构数量                                        ≥100 家                         作方案》 《三河市人民政府办
                                                                                                                                                                公室关于开展“打击欺诈骗保维
                                                                                                                                                                护基金安全”专项行动的实施方
                                                                                                                                                                案》
                      质量指标                      完成率          实际审计数量占计划审计数量的比率                            ≥95%                            《廊坊市人民政府办

— 66 —

\f三河市医疗保障局2024年部门预算

\f                                                                                                                                室关于开展 医保医疗领域专项治理 工作方案》 《三河市人民政府
                                                                                                                                办公室关于开展 “打击欺诈骗保维护基金安全” 专项行动的实施方
                                                                                                                                案》
                                                                                                                                《廊坊市人民政府办公室关于开展 医保医疗领域专项治理 工作方
                      时效指标                      完成时间        审计完成时间                 2021 年 12 月底完成            案》 《三河市人民政府办公室关于开展 “打击欺诈骗保维护基金安
                                                                                                                                全” 专项行动的实施方案》
                      成本指标                      单位成本控制数  审计单位成本控制数           ≤3.57 万元                     《廊坊市人民政府办

— 67 —

\f三河市医疗保障局2024年部门预算
"""


def test_a_cells_tail_on_a_page_laid_out_anew_goes_to_the_field_whose_column_it_stands_in_there():
    result = read(CARD_CONTINUED_ON_OTHER_COLUMNS)
    card = result.cards[0]
    rows = {i.name.text: i for i in card.indicators}
    assert list(rows) == ["审计数量", "完成率", "完成时间", "单位成本控制数"]
    done = rows["完成率"]
    assert (done.comparator, done.value.value, done.unit) == ("≥", Decimal("95"), "%")
    assert done.target.text == "≥95%"
    assert "医保医疗领域专项治理" in done.basis.text
    assert rows["单位成本控制数"].value.value == Decimal("3.57")
    assert card.unparsed == [] and unparsed(result) == []

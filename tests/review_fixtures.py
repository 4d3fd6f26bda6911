"""Hand-written fixture documents for the review of misreadings (labelled as such: not a real disclosure).

``fund_document`` writes a small disclosure in the tab-separated template of the
corpus's 003: a general-budget expenditure table whose every cell is printed,
and a government-fund expenditure table whose figures are all project spending
(政府性基金 is spent on projects), so its 基本支出 cells are empty. Through the
layout-variant generator's ``dropped_empties`` (a converter that drops empty
cells) each fund row prints two figures for three columns, and nothing in the
document says whether the second is 基本支出 or 项目支出: the reader keeps the
left-packed reading and flags it ``read.ambiguous``. That is a misreading no
reader can avoid alone; a person who looks at the PDF can say which, once.
"""

from __future__ import annotations

from decimal import Decimal

from layout_variants import make_variant

GENERAL_HEADER = ("功能分类科目\t\t合计\t基本支出\t\t\t项目支出", "科目编码\t科目名称\t\t小计\t人员经费\t公用经费\t")
FUND_HEADER = "科目编码\t科目名称\t合计\t基本支出\t项目支出"

# (code, label, personnel, public, project) and (code, label, project)
A_GENERAL = [
    ("201", "一般公共服务支出", "120.50", "30.20", "15.00"), ("20103", "政府办公厅（室）及相关机构事务", "120.50", "30.20", "15.00"),
    ("2010301", "行政运行", "100.00", "25.00", "10.00"), ("2010350", "事业运行", "20.50", "5.20", "5.00"),
    ("212", "城乡社区支出", "300.00", "80.00", "220.00"), ("21201", "城乡社区管理事务", "300.00", "80.00", "220.00"),
    ("2120101", "行政运行", "200.00", "50.00", "120.00"), ("2120104", "城管执法", "100.00", "30.00", "100.00"),
    ("221", "住房保障支出", "60.00", "4.00", "6.00"), ("22102", "住房改革支出", "60.00", "4.00", "6.00"),
    ("2210201", "住房公积金", "40.00", "3.00", "4.00"), ("2210203", "购房补贴", "20.00", "1.00", "2.00"),
]
A_FUND = [("212", "城乡社区支出", "1250.40"), ("21208", "国有土地使用权出让收入安排的支出", "1250.40"),
          ("2120801", "征地和拆迁补偿支出", "800.00"), ("2120803", "城市建设支出", "450.40")]
B_GENERAL = [
    ("208", "社会保障和就业支出", "50.00", "5.00", "8.00"), ("20805", "行政事业单位养老支出", "50.00", "5.00", "8.00"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "30.00", "3.00", "5.00"),
    ("2080506", "机关事业单位职业年金缴费支出", "20.00", "2.00", "3.00"),
    ("220", "自然资源海洋气象等支出", "410.00", "92.50", "300.00"), ("22001", "自然资源事务", "410.00", "92.50", "300.00"),
    ("2200101", "行政运行", "260.00", "60.00", "100.00"), ("2200106", "自然资源利用与保护", "150.00", "32.50", "200.00"),
    ("221", "住房保障支出", "70.00", "6.00", "9.00"), ("22102", "住房改革支出", "70.00", "6.00", "9.00"),
    ("2210201", "住房公积金", "45.00", "4.00", "5.00"), ("2210203", "购房补贴", "25.00", "2.00", "4.00"),
]
B_FUND = [("212", "城乡社区支出", "2380.00"), ("21208", "国有土地使用权出让收入安排的支出", "2380.00"),
          ("2120802", "土地开发支出", "1500.00"), ("2120899", "其他国有土地使用权出让收入安排的支出", "880.00")]


def fund_document(dept: str, year: int, general, fund) -> str:
    """The disclosure as printed, every empty cell kept (tab-separated)."""
    lines = [dept, f"{year}年度部门预算", "", f"{dept}{year}年一般公共预算支出表", "", "单位：万元", "", *GENERAL_HEADER]
    for code, label, personnel, public, project in general:
        basic = Decimal(personnel) + Decimal(public)
        lines.append(f"{code}\t{label}\t{basic + Decimal(project)}\t{basic}\t{personnel}\t{public}\t{project}")
    top = [r for r in general if len(r[0]) == 3]
    personnel, public, project = (sum(Decimal(r[i]) for r in top) for i in (2, 3, 4))
    lines += [f"\t合计\t{personnel + public + project}\t{personnel + public}\t{personnel}\t{public}\t{project}", ""]
    lines += [f"{dept}{year}年政府性基金预算支出表", "", "单位：万元", "", FUND_HEADER]
    lines += [f"{code}\t{label}\t{amount}\t\t{amount}" for code, label, amount in fund]
    total = sum(Decimal(a) for c, _, a in fund if len(c) == 3)
    lines += [f"\t合计\t{total}\t\t{total}", ""]
    return "\n".join(lines)


def document_a() -> str:
    return fund_document("某县住房和城乡建设局", 2025, A_GENERAL, A_FUND)


def document_b() -> str:
    return fund_document("某市自然资源和规划局", 2026, B_GENERAL, B_FUND)


# A government-fund table printed under 人员经费 / 公用经费 / 项目支出 with no 基本支出 column, whose rows leave
# 人员经费 empty: (code, label, public, project). With the empty cell dropped, each row's two figures read as
# 人员经费 and 公用经费 verify as well as the printed 公用经费 and 项目支出 (合计 = the parts either way), so the
# reader keeps the left-packed reading: undoing it takes two moves in the same row, the second into the column
# the first emptied.
SPLIT_FUND_HEADER = "科目编码\t科目名称\t合计\t人员经费\t公用经费\t项目支出"
C_FUND = [("212", "城乡社区支出", "50.40", "1200.00"), ("21208", "国有土地使用权出让收入安排的支出", "50.40", "1200.00"),
          ("2120801", "征地和拆迁补偿支出", "30.00", "770.00"), ("2120803", "城市建设支出", "20.40", "430.00")]
D_FUND = [("212", "城乡社区支出", "64.00", "2316.00"), ("21208", "国有土地使用权出让收入安排的支出", "64.00", "2316.00"),
          ("2120802", "土地开发支出", "40.00", "1460.00"), ("2120899", "其他国有土地使用权出让收入安排的支出", "24.00", "856.00")]


def split_fund_document(dept: str, year: int, general, fund) -> str:
    """Like ``fund_document``, with the government-fund table under 人员经费 / 公用经费 / 项目支出."""
    text = fund_document(dept, year, general, [])
    head = text[:text.index(FUND_HEADER)]
    lines = [SPLIT_FUND_HEADER]
    lines += [f"{code}\t{label}\t{Decimal(public) + Decimal(project)}\t\t{public}\t{project}"
              for code, label, public, project in fund]
    public, project = (sum(Decimal(r[i]) for r in fund if len(r[0]) == 3) for i in (2, 3))
    lines += [f"\t合计\t{public + project}\t\t{public}\t{project}", ""]
    return head + "\n".join(lines)


def document_c() -> str:
    return split_fund_document("某县水利局", 2025, A_GENERAL, C_FUND)


def document_d() -> str:
    return split_fund_document("某市园林绿化局", 2026, B_GENERAL, D_FUND)


def dropped(text: str, seed: str) -> str:
    """The document through a converter that drops empty cells (the layout-variant suite's ``dropped_empties``)."""
    return make_variant(text, "dropped_empties", seed=seed)

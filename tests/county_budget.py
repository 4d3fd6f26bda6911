"""A generated county department's 2025 budget disclosure (a made-up 某县农业农村局, figures made up to add up),
for tests that put one narrative paragraph after its tables and see what the verifier makes of it.

The tables alone raise no flag. In 万元: total 1314.56 = basic 764.56 + project 550.00 = 一般公共预算 1264.56 +
政府性基金 50.00; 三公 15.50 (上年 18.00) = 出国 (printed empty) + 用车 12.00 (购置 empty, 运维 12.00; 上年 14.00) +
接待 3.50 (上年 4.00); 公用经费 94.56; classes 208 120.00, 210 50.00, 212 50.00 (fund), 213 1064.56, 221 30.00;
2080505 80.00; 2130101 行政运行 564.56.
Options: ``non_fiscal`` names a 20.00 non-fiscal income (单位资金 / 事业收入) spent on 2130199, so that the
expenditure summary (213 = 1084.56) is no longer the general budget's (1064.56); ``extra`` adds a 政府采购预算表
(100.00 = 货物 30.00 + 服务 70.00), a 固定资产 table (350.00, 2 vehicles) and a 机关运行经费 table (90.00 → 94.56);
``projects`` a 项目支出表 (550.00 = 高标准农田建设项目 500.00 + 农村人居环境整治项目 50.00); ``three_public=False`` drops
the 三公 table; ``yuan`` prints the 三公 table in 元.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path


def _table(title: str, header_rows: list[list[str]], rows: list[list[str]], yuan: bool = False) -> str:
    if yuan:  # the same figures in 元
        rows = [[_in_yuan(cell) for cell in row] for row in rows]
    out = [title, "", "部门：某县农业农村局", "", "单位：元" if yuan else "单位：万元", ""]
    out.append("| " + " | ".join(header_rows[0]) + " |")
    out.append("|" + "|".join(["----"] * len(header_rows[0])) + "|")
    out += ["| " + " | ".join(h) + " |" for h in header_rows[1:]]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out) + "\n\n"


def _in_yuan(cell: str) -> str:
    return f"{Decimal(cell) * 10000:.2f}" if re.fullmatch(r"\d+\.\d\d", cell) else cell


# code, name, total, basic, project
_FUNCTIONS = [
    ("208", "社会保障和就业支出", "120.00", "120.00", ""),
    ("20805", "行政事业单位养老支出", "120.00", "120.00", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "80.00", "80.00", ""),
    ("2080506", "机关事业单位职业年金缴费支出", "40.00", "40.00", ""),
    ("210", "卫生健康支出", "50.00", "50.00", ""),
    ("21011", "行政事业单位医疗", "50.00", "50.00", ""),
    ("2101101", "行政单位医疗", "50.00", "50.00", ""),
    ("212", "城乡社区支出", "50.00", "", "50.00"),
    ("21208", "国有土地使用权出让收入安排的支出", "50.00", "", "50.00"),
    ("2120899", "其他国有土地使用权出让收入安排的支出", "50.00", "", "50.00"),
    ("213", "农林水支出", "1064.56", "564.56", "500.00"),
    ("21301", "农业农村", "1064.56", "564.56", "500.00"),
    ("2130101", "行政运行", "564.56", "564.56", ""),
    ("2130199", "其他农业农村支出", "500.00", "", "500.00"),
    ("221", "住房保障支出", "30.00", "30.00", ""),
    ("22102", "住房改革支出", "30.00", "30.00", ""),
    ("2210201", "住房公积金", "30.00", "30.00", ""),
]
_ECONOMIC = [
    ("301", "工资福利支出", "650.00", "650.00", ""), ("30101", "基本工资", "300.00", "300.00", ""),
    ("30102", "津贴补贴", "150.00", "150.00", ""), ("30108", "机关事业单位基本养老保险缴费", "80.00", "80.00", ""),
    ("30109", "职业年金缴费", "40.00", "40.00", ""), ("30110", "职工基本医疗保险缴费", "50.00", "50.00", ""),
    ("30113", "住房公积金", "30.00", "30.00", ""), ("302", "商品和服务支出", "94.56", "", "94.56"),
    ("30201", "办公费", "40.00", "", "40.00"), ("30211", "差旅费", "25.00", "", "25.00"),
    ("30217", "公务接待费", "3.50", "", "3.50"), ("30231", "公务用车运行维护费", "12.00", "", "12.00"),
    ("30299", "其他商品和服务支出", "14.06", "", "14.06"), ("303", "对个人和家庭的补助", "20.00", "20.00", ""),
    ("30302", "退休费", "20.00", "20.00", ""),
]
_NON_FISCAL_CODES = {"213": "1084.56", "21301": "1084.56", "2130199": "520.00"}


def tables(non_fiscal: str | None = None, extra: bool = False, projects: bool = False,
           three_public: bool = True, yuan: bool = False) -> str:
    nf = "20.00" if non_fiscal else ""
    total = "1334.56" if non_fiscal else "1314.56"
    funcs = [(c, n, _NON_FISCAL_CODES.get(c, t) if non_fiscal else t, b,
              ("520.00" if c in _NON_FISCAL_CODES and non_fiscal else p)) for c, n, t, b, p in _FUNCTIONS]
    other = non_fiscal or "单位资金"
    s = _table("表1 部门收支总表", [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]], [
        ["一、一般公共预算拨款收入", "1264.56", "一、社会保障和就业支出", "120.00"],
        ["二、政府性基金预算拨款收入", "50.00", "二、卫生健康支出", "50.00"],
        ["三、国有资本经营预算拨款收入", "", "三、城乡社区支出", "50.00"],
        ["四、财政专户管理资金收入", "", "四、农林水支出", funcs[10][2]],
        [f"五、{other}", nf, "五、住房保障支出", "30.00"],
        ["本年收入合计", total, "本年支出合计", total],
        ["上年结转结余", "", "年终结转结余", ""],
        ["收入总计", total, "支出总计", total]])

    def gb(code: str, amount: str) -> str:
        return "" if code[:3] == "212" else {"213": "1064.56", "21301": "1064.56", "2130199": "500.00"}.get(code, amount)

    s += _table("表2 部门收入总表", [["科目编码", "科目名称", "合计", "上年结转", "一般公共预算拨款收入",
                                   "政府性基金预算拨款收入", other]],
                [["", "合计", total, "", "1264.56", "50.00", nf]]
                + [[c, n, t, "", gb(c, t), t if c[:3] == "212" else "",
                    "20.00" if non_fiscal and c in _NON_FISCAL_CODES else ""] for c, n, t, b, p in funcs])
    s += _table("表3 部门支出总表", [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]],
                [["", "合计", total, "764.56", "570.00" if non_fiscal else "550.00"]]
                + [[c, n, t, b, p] for c, n, t, b, p in funcs])
    s += _table("表4 财政拨款收支总表", [["收入", "", "支出", "", "", ""],
                                     ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算"]], [
        ["一、一般公共预算拨款收入", "1264.56", "一、社会保障和就业支出", "120.00", "120.00", ""],
        ["二、政府性基金预算拨款收入", "50.00", "二、卫生健康支出", "50.00", "50.00", ""],
        ["三、国有资本经营预算拨款收入", "", "三、城乡社区支出", "50.00", "", "50.00"],
        ["", "", "四、农林水支出", "1064.56", "1064.56", ""],
        ["", "", "五、住房保障支出", "30.00", "30.00", ""],
        ["本年收入合计", "1314.56", "本年支出合计", "1314.56", "1264.56", "50.00"],
        ["收入总计", "1314.56", "支出总计", "1314.56", "1264.56", "50.00"]])
    s += _table("表5 一般公共预算支出表", [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]],
                [["", "合计", "1264.56", "764.56", "500.00"]]
                + [list(f) for f in _FUNCTIONS if f[0][:3] != "212"])
    s += _table("表6 一般公共预算基本支出表", [["科目编码", "科目名称", "合计", "人员经费", "公用经费"]],
                [["", "合计", "764.56", "670.00", "94.56"]] + [list(e) for e in _ECONOMIC])
    s += _table("表7 政府性基金预算支出表", [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]],
                [["", "合计", "50.00", "", "50.00"]] + [list(f) for f in _FUNCTIONS if f[0][:3] == "212"])
    s += _table("表8 国有资本经营预算支出表", [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]],
                [["", "合计", "", "", ""]])
    s += "注：本部门无国有资本经营预算财政拨款支出，故该表为空表。\n\n"
    if three_public:
        s += _table("表9 一般公共预算“三公”经费支出表", [["项目", "2024年预算数", "2025年预算数"]], [
            ["合计", "18.00", "15.50"], ["1、因公出国（境）费", "", ""], ["2、公务用车购置及运行维护费", "14.00", "12.00"],
            ["其中：（1）公务用车购置费", "", ""], ["（2）公务用车运行维护费", "14.00", "12.00"],
            ["3、公务接待费", "4.00", "3.50"]], yuan=yuan)
    if extra:
        s += _table("表10 政府采购预算表", [["采购项目", "采购物品名称", "数量", "合计", "一般公共预算拨款",
                                         "政府性基金预算拨款"]],
                    [["合计", "", "", "100.00", "100.00", ""], ["办公设备购置", "台式计算机", "10", "30.00", "30.00", ""],
                     ["物业管理服务", "物业管理服务", "1", "70.00", "70.00", ""]])
        s += _table("表11 固定资产占用情况表", [["项目", "数量", "价值（万元）"]], [
            ["资产总额", "", "350.00"], ["1、房屋（平方米）", "1200", "200.00"], ["其中：办公用房（平方米）", "800", "150.00"],
            ["2、车辆（台、辆）", "2", "40.00"], ["3、单价在20万元以上的设备", "0", ""], ["4、其他固定资产", "", "110.00"]])
        s += _table("表12 机关运行经费预算表", [["项目", "2024年预算数", "2025年预算数"]], [
            ["机关运行经费", "90.00", "94.56"], ["1、办公费", "35.00", "40.00"], ["2、差旅费", "25.00", "25.00"],
            ["3、其他", "30.00", "29.56"]])
    if projects:
        s += _table("表13 项目支出表", [["项目名称", "合计", "一般公共预算拨款", "政府性基金预算拨款"]], [
            ["合计", "550.00", "500.00", "50.00"], ["高标准农田建设项目", "500.00", "500.00", ""],
            ["农村人居环境整治项目", "50.00", "", "50.00"]])
    return s


def document(narrative: str, **options) -> str:
    return ("某县农业农村局2025年部门预算公开\n\n" + tables(**options)
            + "第二部分 某县农业农村局2025年部门预算情况说明\n\n" + narrative + "\n")


def run(narrative: str, **options):
    """The whole pipeline (read → verify) on the generated document with ``narrative`` as its 说明."""
    from extractor.load import Document
    from extractor.pipeline import extract_document
    from verify import verify_result

    text = document(narrative, **options)
    source = Document(path=Path("某县农业农村局2025年部门预算.txt"), text=text, encoding="utf-8",
                      sha256=hashlib.sha256(text.encode()).hexdigest())
    return verify_result(extract_document(source), text)


def narrative_flags(result, *checks: str) -> list[str]:
    return [f.message for f in result.flags if f.check.startswith("narrative") and (not checks or f.check in checks)]

"""Tables printed without their 合计 line are still compared with the other tables: the 项目支出表's rows add up to the
支出总表's 项目支出, and the 基本支出表's classes (301, 302, …) to the 一般公共预算支出表's 基本支出 (人员经费, 公用经费).
A changed figure that keeps each table consistent in itself is flagged across them; the tables as printed raise
nothing. Documents generated here (a made-up bureau, figures made up to add up; every income fiscal).
"""

from __future__ import annotations

from conftest import read_generated


PROJECTS = [("国省干线公路建设项目", "1200.00"), ("农村公路养护工程", "850.00"), ("公路应急保障经费", "95.50"),
            ("道路运输安全监管", "35.00")]  # 2180.50
CLASSES = [("301", "工资福利支出", "1100.00", "1100.00", ""), ("30101", "基本工资", "1100.00", "1100.00", ""),
           ("302", "商品和服务支出", "61.28", "", "61.28"), ("30201", "办公费", "61.28", "", "61.28"),
           ("303", "对个人和家庭的补助", "152.07", "152.07", ""), ("30305", "生活补助", "152.07", "152.07", "")]  # 1313.35


def document(projects=PROJECTS, classes=CLASSES) -> str:
    out = ["某市交通运输局2025年部门预算公开", "",
           "表3 部门支出总表", "", "单位：万元", "", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
           "\t合计\t3493.85\t1313.35\t2180.50", "214\t交通运输支出\t3493.85\t1313.35\t2180.50", "",
           "表4 一般公共预算财政拨款支出表", "", "单位：万元", "",
           "科目编码\t科目名称\t合计\t基本支出\t\t项目支出", "\t\t\t人员经费\t公用经费\t",
           "\t合计\t3493.85\t1252.07\t61.28\t2180.50", "214\t交通运输支出\t3493.85\t1252.07\t61.28\t2180.50", "",
           "表5 一般公共预算财政拨款基本支出表", "", "单位：万元", "", "科目编码\t科目名称\t合计\t人员经费\t公用经费"]
    out += ["\t".join(c) for c in classes]
    out += ["", "表7 项目支出表", "", "单位：万元", "", "项目名称\t合计"]
    out += ["\t".join(p) for p in projects]
    return "\n".join(out) + "\n"


def read(text: str):
    return read_generated(text, "no_total")


def cross_errors(result, check: str) -> list[str]:
    return [f.message for f in result.flags if f.check == check and f.severity == "error"]


def test_tables_without_total_lines_as_printed_agree():
    result = read(document())
    assert cross_errors(result, "cross.projects") == [] and cross_errors(result, "cross.basic") == []


def test_project_rows_that_do_not_add_up_to_the_summary_are_flagged():
    projects = [(n, "96.50" if n == "公路应急保障经费" else v) for n, v in PROJECTS]
    result = read(document(projects=projects))
    assert any("96.50" in m and "2180.50" in m for m in cross_errors(result, "cross.projects")), result.flags


def test_basic_classes_that_do_not_add_up_to_the_general_budget_are_flagged():
    classes = [(c, n, *(("62.28" if v == "61.28" else v) for v in vals)) for c, n, *vals in CLASSES]
    result = read(document(classes=classes))
    assert any("62.28" in m for m in cross_errors(result, "cross.basic")), result.flags

"""Every check the verifier runs: its id, and what a failure means, for people and for docs/checks.md."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    id: str
    zh: str
    en: str


CHECKS: dict[str, Check] = {c.id: c for c in (
    Check("read.ambiguous", "数值所属的列不能确定：几种读法同样通过校验（转换时丢失了空单元格或表头未对齐），"
          "或只有把数值移出其印出的列才能使合计成立（保留印出的位置）",
          "Which column a value belongs to is uncertain: several readings verify equally well (empty cells "
          "dropped by the converter, or a header that does not line up), or only moving a value out from under "
          "its printed header would make a sum hold (the printed position is kept)."),
    Check("read.unparsed", "金额列中的单元格不是可识别的数字，未能读取；或绩效目标表上印出的数字没有读入任何字段"
          "（如两个数连在一起：365.4434.56）",
          "A cell under an amount column is not a number this reader recognises, or a number printed on a performance "
          "card was read into no field (such as two amounts run together: 365.4434.56); it was not read."),
    Check("read.card_column", "绩效目标表的栏目（如“评分标准”“备注”）不是可识别的栏目：其中的文字按原样保存（indicators[].other），未作校验",
          "A performance card prints a column this reader does not know (such as 备注): its cells are kept as printed "
          "(indicators[].other), not checked."),
    Check("read.unplaced", "数值不在任何表头之下，按“列N”保存", "A number sits under no header; it is kept as column 列N."),
    Check("read.unit", "表的单位说明（单位：…）无法识别：其金额的单位未知，不按万元处理",
          "A table states its unit in words the reader does not understand: the unit of its amounts is unknown "
          "(never assumed to be 万元)."),
    Check("read.year", "表头的年份（读作本年的最晚年份）不是文件的年份：该列可能是另一年的数",
          "A header names a year (the latest, read as this year's) other than the document's: the column may hold "
          "another year's figures."),
    Check("read.unidentified", "行的科目编码和名称都没有读到：它的数值无法与任何一行核对",
          "A row's code and name were not read: its values cannot be checked against any other line."),
    Check("ground.not_in_source", "数值在原文该节中找不到", "A value is not printed anywhere in its section of the source."),
    Check("ground.unrecorded_correction", "数值标记为人工更正（backend person），但没有任何复核决定记录它：按读取的数值核对",
          "A value is marked as a person's correction (backend person) but no review decision records it: it is "
          "checked as any value read is (a person's value is valid only with a recorded decision behind it)."),
    Check("ground.misplaced", "数值不在本行本列的位置：本行没有这个数（只印在别处或行名中），该处的数字已支撑另一个数值，"
          "或它在行中的位置与列的印刷顺序不符",
          "A value is not printed at its own row and column: its row does not print it (only elsewhere, or inside "
          "the row's label), the printed number there already grounds another value, or its place in the row does "
          "not match the printed order of the columns."),
    Check("table.row_sum", "行内合计 ≠ 各列之和（合计 = 基本 + 项目，合计 = 人员 + 公用，小计 = Σ 来源 …）",
          "A row's total is not the sum of its parts (total = basic + project, total = personnel + public, …)."),
    Check("table.hierarchy", "科目层级不平：合计 = Σ 类，类 = Σ 款，款 = Σ 项（经济分类 301 = Σ 301xx）",
          "A classification code is not the sum of its sub-codes (total = Σ classes, class = Σ 款, 款 = Σ 项)."),
    Check("table.units", "部门行 ≠ 所属单位行之和（部门汇总表中部门行 = Σ 其下各单位行，如本级 + 所属学校）",
          "A department's line is not the sum of its units' lines (the department's own office and its units)."),
    Check("table.items", "固定行不平：三公小计 = 出国 + 用车 + 接待，用车 = 购置 + 运维，资产总额 = Σ 类别（价值、原值、净值各列）",
          "Fixed lines do not add up (三公 subtotal = parts, vehicles = purchase + operation, assets = Σ categories, "
          "in each of the value, at-cost and net columns)."),
    Check("table.subset", "“其中”项大于其所属项（办公用房 ≤ 房屋，中小企业预留 ≤ 采购金额；一个“其中”下各项之和 ≤ 所属项；"
          "资产净值 ≤ 原值；增减额、增减率列不查：减少额的一部分是较小的减少）",
          "A part is larger than the line that contains it (office space ≤ buildings, SME reserve ≤ purchase; the "
          "lines of one 其中 list together ≤ their line; an asset's net value ≤ its value at cost). Change and rate "
          "columns (增减额, 增减率) are not checked: a part of a decrease is a smaller decrease."),
    Check("table.summary", "收支总表不平：本年合计 = Σ 各项，总计 = 本年合计 + 结转；按序号分级列示时（一、基本支出 / "
          "（一）人员经费 / （二）公用经费），下级行是其上级行的组成（上级 = Σ 下级），不与之并列相加；上级行未列数时下级行仍计入合计",
          "A two-sided summary does not add up (this year's total = Σ lines, grand total = total + carry-over). Lines "
          "numbered in outline (一、基本支出 / （一）人员经费 / （二）公用经费) are their heading's parts (heading = Σ its "
          "sub-lines), not its siblings; under a heading that prints no amount they stay in the total."),
    Check("table.change", "同比列不符：增减额 ≠ 本年 − 上年，或增减率 ≠ 增减额 ÷ 上年 × 100%",
          "Year-on-year columns disagree: change ≠ this year − last year, or rate ≠ change ÷ last year × 100%."),
    Check("table.balance", "收入总计 ≠ 支出总计", "Total income differs from total expenditure."),
    Check("table.column_total", "合计行 ≠ 各行之和（项目、采购、购买服务表）；项目按功能科目分组列示时（205 / 20501 / "
          "2050199 行下列项目），合计 = Σ 类，科目行 = Σ 其下级科目及其下项目（`table.hierarchy`）",
          "A table's total line is not the sum of its rows (projects, procurement, purchased services). A project "
          "table grouped under code lines (205 / 20501 / 2050199, each followed by its uncoded projects) is checked "
          "as a hierarchy: total = Σ classes, a code line = Σ its sub-codes and the projects under it "
          "(`table.hierarchy`)."),
    Check("table.quantity_price", "数量 × 单价 ≠ 金额", "Quantity × unit price differs from the amount."),
    Check("cross.same_code", "同一科目在不同表中金额不一致", "The same code carries different amounts in two tables."),
    Check("cross.units", "部门汇总表 ≠ 各单位同类表之和（同一科目、同一列：部门汇总 = 本级 + 所属各单位）；或部门汇总表的某些行"
          "在各单位的表中都没有（似有单位的表未印出），或没有一张标明是部门汇总：各单位之和未核对",
          "A consolidated table (部门汇总) is not the sum of its units' tables of the same kind (same code, same column); "
          "or some of its lines are in no unit's table (a unit's table seems not printed), or no table says it is "
          "the consolidated one: the units' sum was not checked."),
    Check("cross.summary", "总表与明细表不一致", "A summary table disagrees with the detail table it summarises."),
    Check("cross.basic", "一般公共预算支出表的基本支出 ≠ 基本支出表合计",
          "The general-budget table's basic expenditure differs from the basic-expenditure table's totals (the sum "
          "of its classes, where it prints no total line)."),
    Check("cross.projects", "项目支出表合计 ≠ 支出总表的项目支出",
          "The project table's total (the sum of its rows, where it prints no total line) differs from project "
          "expenditure in the expenditure summary."),
    Check("cross.three_public", "三公经费与基本支出中对应科目不一致",
          "A 三公 line differs from the basic-expenditure line that pays for it."),
    Check("cross.fund_source", "支出由本部门没有的资金来源支付（如政府性基金预算表为空，采购却列支政府性基金）",
          "Spending is paid from a source of funds the department does not have (e.g. a purchase paid by "
          "government funds while the government-fund table is empty)."),
    Check("cross.unit", "一方的单位说明无法识别（单位未知），与另一单位的表或说明之间的关系未核对：既不算核实，也不算错误",
          "One side states a unit the reader does not understand: its relations with a table or the narrative in "
          "another unit were not checked, neither verified nor an error."),
    Check("cross.card_budget", "绩效目标表预算数 ≠ 项目支出表中该项目（按项目编码，或项目名称及实施单位对应）",
          "A performance card's budget differs from its project's row in the project table (matched by 项目编码, "
          "else by project name and 实施单位)."),
    Check("cross.card_project", "绩效目标表的项目在项目支出表中找不到，或有几行同名项目无法区分：预算数未核对",
          "A card's project is in no row of the project table, or in several it cannot tell apart: its budget was "
          "not checked against the table."),
    Check("cross.procurement_project", "同一项目的采购行项目预算不一致或采购额超过项目预算",
          "Purchase lines of one project disagree on its budget, or spend more than it."),
    Check("cross.procurement_card", "采购表的项目预算 ≠ 同名项目绩效目标表预算数",
          "A purchase line's project budget differs from the budget of the project's card."),
    Check("card.budget", "绩效目标表预算数 ≠ 财政资金 + 上年结转 + 其他资金",
          "A card's budget is not the sum of its sources."),
    Check("card.spending_plan", "资金支出计划下降或未达到 100%；分期（1-3月、4-6月…）计划的比例合计不是 100%",
          "A card's cumulative spending plan falls back or does not reach 100%; the shares of a plan by period "
          "(1-3月, 4-6月 …) do not add up to 100%."),
    Check("card.tasks", "部门整体绩效目标表的任务预算不平：任务总额 ≠ 财政拨款 + 上年结转 + 其他资金，金额合计 ≠ Σ 任务，"
          "或金额合计 ≠ 预算数",
          "A department card's task budgets do not add up: a task's total ≠ its parts, the grid's 金额合计 ≠ Σ tasks, "
          "or 金额合计 ≠ the card's budget."),
    Check("card.cost", "成本指标超过项目预算数（元、万元、万、亿元与卡片的单位均换算为万元比较）",
          "A cost indicator exceeds the card's budget (元, 万元, 万, 亿元 and the card's own unit converted to 万元)."),
    Check("card.weights", "绩效目标表各指标都印有权重（分值），但合计不是 100",
          "Every indicator of a card prints a weight (权重 / 分值), and they do not add up to 100."),
    Check("card.indicator_value", "指标没有指标值，或有比较符号却没有数字",
          "An indicator has no target value, or a comparator with no number."),
    Check("card.indicator_unit", "指标值的单位后接了其他文字（如“49650000元效果显”），不是单位：指标值可能混入了另一行的文字",
          "An indicator's unit is a unit with other words run on after it (49650000元效果显): its target may have "
          "taken words of another row."),
    Check("card.indicator_name", "指标名称由两行拼成，第二行也可能是另一个没有指标值的指标（版式无法区分）",
          "An indicator's name was joined from two lines; the second may be an indicator of its own with no target "
          "value (the layout cannot tell)."),
    Check("completeness.unread", "某节未能读取（规则读取器无法读取，且没有配置模型或模型未能填写）",
          "A section could not be read (the rules reader could not, and no model was configured or it failed)."),
    Check("review.stale", "人工决定所依据的数值在新版文件中已改变，该决定不再自动应用，请重新审核",
          "A person's decision was made on values this version of the document no longer has; it is not "
          "applied and needs review again."),
    Check("llm.disagree", "规则读取与模型读取不一致（--cross-check）",
          "The rules reader and the LLM reader disagree on a value (--cross-check)."),
    Check("completeness.listed_missing", "目录列出的表在文件中缺失", "A table listed in the contents is missing."),
    Check("completeness.truncated", "文件在一张表中结束，且目录列出的表缺失：文件可能被截断",
          "The document ends inside a table while tables its contents list are missing: it may be cut short."),
    Check("document.no_tables", "文件中没有任何预算表或绩效目标表", "The file holds no budget table or performance card."),
    Check("document.no_standard_tables", "文件有表格，但没有一张被认出是标准预算表（标题可能印成了图片）：说明中的数字无从核对",
          "The file has tables, but none was recognised as a standard budget table (titles printed as images?): "
          "the narrative's figures are checked against nothing."),
    Check("source.ocr_low_confidence", "该数值由 OCR 从扫描页识别，置信度低，请对照原页核对",
          "A value was read by OCR from a scanned page with low confidence: check it against the page."),
    Check("source.ocr_unread", "OCR 从扫描页的表中读出的数字没有读入任何数值（表头或单元格可能被合并）",
          "A number OCR read in a table of a scanned page went into no value (header cells or cells may have been "
          "merged by OCR): check it against the page."),
    Check("source.ocr_structure", "OCR 识别的表中行或列可能有误（缺编码的行、合并的单元格），表内核对不通过可能是识别所致",
          "A table read by OCR may have misread lines or columns (a line missing its code, merged cells): the checks "
          "that fail on it are first a reading doubt, not a fault of the document."),
    Check("source.page_unread", "该页没有文字层（扫描件），未读取，页上的数字均未提取（安装 OCR 后可读取）",
          "A page has no text layer (a scan) and was not read: none of its numbers was extracted "
          "(install OCR to read it)."),
    Check("source.formula_unsaved", "表格单元格是公式，但文件没有保存其计算结果，读作空（未代为计算）",
          "A spreadsheet cell holds a formula whose result the file does not store: it reads as empty (it is "
          "never computed for you); open and save the file in Excel or LibreOffice."),
    Check("narrative.table", "说明中的数字与表中不一致", "A figure stated in the explanation differs from the tables."),
    Check("narrative.parts", "说明中“其中”各项之和 ≠ 所述总数", "Parts stated in the explanation do not add up to the whole."),
    Check("narrative.share", "说明中的占比与金额不符", "A stated share (占 x%) does not recompute from the amounts."),
    Check("narrative.change", "说明中的增减额或增长率与金额不符",
          "A stated change or growth rate does not recompute from the amounts."),
)}


def checks_markdown() -> str:
    out = [
        "# Verifier checks",
        "",
        "Generated from `verify/checks.py` by `python -m verify.checks > docs/checks.md`; a test fails when it is stale.",
        "Every flag names one of these checks. Sums are compared within the rounding of the printed amounts",
        "(see `verify/tolerance.py`).",
        "",
        "| check | 含义 | meaning |",
        "|---|---|---|",
    ]
    out += [f"| `{c.id}` | {c.zh} | {c.en} |" for c in CHECKS.values()]
    return "\n".join(out)


if __name__ == "__main__":
    print(checks_markdown())

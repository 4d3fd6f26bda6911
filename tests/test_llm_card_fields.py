"""The LLM reader's card form asks for everything the rules reader reads in a card, and what a model fills goes
into the same fields, each figure grounded on the characters it is printed as.

- The form's fields are checked against the card's own fields (``schemas/cards.py``) and the columns the rules
  reader knows (``extractor/rules_cards.py``), so that the two cannot drift apart again.
- A department card with a task-budget grid, weights, scoring rules and a column no reader knows goes through
  the LLM path end to end against our fake OpenAI-compatible server on loopback (real HTTP). Its answers are
  hand-written fixtures, labelled as such: a form filled as a model would fill it, and one with made-up figures.
"""

from __future__ import annotations

import asyncio
import re

import pytest
from fake_openai import FakeOpenAI

from extractor import rules_cards
from extractor.llm.reader import LlmReader, load_prompt
from extractor.llm.settings import LlmSettings
from extractor.load import load_document
from extractor.pipeline import RunOptions, process_document
from schemas import parse_amount
from schemas.cards import CardBudget, CardTask, Indicator, PerformanceCard, SpendingStep
from schemas.forms import CardForm, DepartmentCardForm, IndicatorForm, SpendingStepForm, TaskForm, form_for

# --- the form covers the card ---------------------------------------------------------------------------------

# Card fields no reader reads from a form: where the section is, and what the verifier or the fill code derives.
NOT_READ = {
    PerformanceCard: {"section_id", "kind", "title", "span", "unit", "unit_text", "unparsed", "notes"},  # unit: card_unit
    Indicator: {"span", "qualitative", "name_rest"},  # qualitative: a target with no number in it; name_rest: a doubt of
    # the rules reader about a line of a space-aligned grid (the verifier flags it), nothing a form is asked
    CardTask: {"span"},
    SpendingStep: {"cumulative"},  # by the periods (schemas.cards.plan_by_period), whatever reader read them
    CardBudget: set(),
}
# Fields the rules reader fills that the form does not ask for yet: the multi-year template's 实施期 goals, budget and
# targets (trial21b), and the 执行率分值 some provinces print beside the indicators' weights (trial26). Adding them to
# schemas/forms.py changes the prompt, so the recordings in cache/recordings must be made again with it: left to the
# lead, and listed here so that the test still says which fields the form lacks.
NOT_IN_FORM_YET = {PerformanceCard: {"midterm_goals", "midterm_budget", "execution_weight"}, Indicator: {"midterm_target"},
                   CardBudget: {"sources"}}
# The card's fields a form fills under another name.
RENAMED = {
    (PerformanceCard, "budget"): ("budget_total", "budget_fiscal", "budget_carryover", "budget_other"),
    (PerformanceCard, "tasks_total"): ("tasks",),  # the 金额合计 line, given as a line of the task grid
    (CardTask, "budget"): ("budget_total", "budget_fiscal", "budget_carryover", "budget_other"),
}
FORMS = {PerformanceCard: DepartmentCardForm, Indicator: IndicatorForm, CardTask: TaskForm,
         SpendingStep: SpendingStepForm}


@pytest.mark.parametrize("model", list(FORMS), ids=lambda m: m.__name__)
def test_every_field_a_reader_fills_has_a_place_in_the_form(model):
    form = FORMS[model]
    for name in model.model_fields:
        if name in NOT_READ[model] or name in NOT_IN_FORM_YET.get(model, ()):
            continue
        wanted = RENAMED.get((model, name), (name,))
        assert set(wanted) <= set(form.model_fields), f"{model.__name__}.{name}: no field {wanted} in {form.__name__}"


def test_the_budget_parts_are_asked_for_wherever_a_card_prints_a_budget():
    parts = {f"budget_{p}" for p in CardBudget.model_fields if p not in NOT_IN_FORM_YET[CardBudget]}
    assert parts <= set(CardForm.model_fields) and parts <= set(TaskForm.model_fields)


def test_every_column_and_key_the_rules_reader_knows_is_a_field_of_the_form():
    roles = {role for role, _ in rules_cards._ROLE_HEADERS} - NOT_IN_FORM_YET[Indicator]
    assert roles <= set(IndicatorForm.model_fields)
    assert set(rules_cards._TEXT_KEYS.values()) <= set(CardForm.model_fields)
    task_roles = {"name", "content"} | {f"budget_{p}" for p, _ in rules_cards._TASK_AMOUNTS}
    assert task_roles <= set(TaskForm.model_fields)


def test_a_project_card_is_asked_for_all_but_the_task_grid_and_a_department_card_for_all():
    assert form_for("performance_target") is CardForm
    assert form_for("department_performance_target") is DepartmentCardForm
    assert set(DepartmentCardForm.model_fields) - set(CardForm.model_fields) == {"tasks"}
    assert "权重" in load_prompt("performance_target") and "评分标准" in load_prompt("performance_target")
    assert "年度主要任务" in load_prompt("department_performance_target")


def test_every_description_is_in_chinese():
    for form in (CardForm, DepartmentCardForm, IndicatorForm, TaskForm, SpendingStepForm):
        for name, field in form.model_fields.items():
            assert field.description and re.search(r"[\u4e00-\u9fff]", field.description), (form.__name__, name)


@pytest.mark.parametrize("printed,read", [("20", "20"), ("20%", "20"), (" 12.5 ％", "12.5"), (None, None)])
def test_a_weight_is_the_number_as_printed_without_its_sign(printed, read):
    assert IndicatorForm(name="x", weight=printed).weight == read


def test_a_weight_that_is_not_a_number_goes_back_to_the_model():
    with pytest.raises(ValueError):
        IndicatorForm(name="x", weight="二十")


# --- end to end, against a server on loopback -------------------------------------------------------------------

CARD = """南溪市教育局2025年部门整体绩效目标表
部门名称\t南溪市教育局
年度主要任务\t任务名称\t主要内容\t对应项目\t总额\t财政拨款\t其他资金
\t学前教育资助\t落实学前教育资助政策\t学前资助\t500.00\t450.00\t50.00
\t高中教育质量提升\t改善高中办学条件\t高中提质\t500.00\t500.00\t0.00
\t金额合计\t\t\t1000.00\t950.00\t50.00
年度总体目标\t全面落实各项教育资助政策，提升教育质量。
一级指标\t二级指标\t三级指标\t指标值\t权重（%）\t评(计)分标准\t备注
产出指标\t数量指标\t资助学前儿童人数\t≥3000人\t40\t完成得满分\t按年报统计
满意度指标\t服务对象满意度指标\t家长满意度\t≥90%\t60\t每低1%扣1分\t
"""


def _answer(**changes) -> dict:
    """Hand-written fixture: the department card's form as a model would fill it, copying what is printed."""
    tasks = [
        {"name": "学前教育资助", "content": "落实学前教育资助政策", "budget_total": "500.00",
         "budget_fiscal": "450.00", "budget_other": "50.00", "other": {"对应项目": "学前资助"}},
        {"name": "高中教育质量提升", "content": "改善高中办学条件", "budget_total": "500.00",
         "budget_fiscal": "500.00", "budget_other": "0.00", "other": {"对应项目": "高中提质"}},
        {"name": "金额合计", "budget_total": "1000.00", "budget_fiscal": "950.00", "budget_other": "50.00"},
    ]
    indicators = [
        {"level1": "产出指标", "level2": "数量指标", "name": "资助学前儿童人数", "target": "≥3000人", "comparator": "≥",
         "value": "3000", "unit": "人", "weight": "40", "scoring": "完成得满分", "other": {"备注": "按年报统计"}},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "家长满意度", "target": "≥90%",
         "comparator": "≥", "value": "90", "unit": "%", "weight": "60%", "scoring": "每低1%扣1分"},
    ]
    answer = {"department": "南溪市教育局", "goals": ["全面落实各项教育资助政策，提升教育质量。"],
              "tasks": tasks, "indicators": indicators}
    for path, value in changes.items():  # "tasks.1.budget_total" = "520.00"
        *where, last = path.split(".")
        node = answer
        for key in where:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value
    return answer


def _read(tmp_path, answer: dict):
    path = tmp_path / "dept.txt"
    path.write_text(CARD, encoding="utf-8")

    async def go(base_url):
        reader = LlmReader(LlmSettings(model="fixture", base_url=base_url, api_key="sk-fixture", endpoint_kind="fixture",
                                       mode="tools", cache="off", cache_dir=tmp_path / "cache"))
        try:
            return await process_document(load_document(path), RunOptions(backend="llm"), reader)
        finally:
            await reader.aclose()

    with FakeOpenAI() as fake:
        fake.responder = lambda body: answer if "部门整体绩效目标表" in str(body["messages"][0]) else {}
        result = asyncio.run(go(fake.base_url))
    assert fake.requests, "the card went to the server"
    return result


def _at(a) -> str:
    return CARD[a.span[0]:a.span[1]]


def test_a_models_task_grid_weights_and_scoring_reach_the_result_on_their_printed_characters(tmp_path):
    result = _read(tmp_path, _answer())
    (card,) = result.cards
    section = next(s for s in result.sections if s.id == card.section_id)
    assert section.backend == "llm" and section.status == "extracted"
    assert [(t.name.text, t.content.text) for t in card.tasks] == [
        ("学前教育资助", "落实学前教育资助政策"), ("高中教育质量提升", "改善高中办学条件")]
    lines = CARD.splitlines(keepends=True)
    starts = [sum(map(len, lines[:i])) for i in range(len(lines))]

    def line_of(a) -> int:
        return max(i for i, s in enumerate(starts) if s <= a.span[0])

    for i, task in enumerate(card.tasks):
        amounts = [task.budget.total, task.budget.fiscal, task.budget.other]
        assert [_at(a) for a in amounts] == [a.raw for a in amounts] == CARD.splitlines()[3 + i].split("\t")[4:]
        assert {line_of(a) for a in amounts} == {3 + i}  # on the task's own line, in its columns' order
        assert all(a.backend == "llm" for a in amounts)
    total = card.tasks_total
    assert [(_at(a), line_of(a)) for a in (total.total, total.fiscal, total.other)] == [
        ("1000.00", 5), ("950.00", 5), ("50.00", 5)]
    assert [(_at(i.weight), line_of(i.weight)) for i in card.indicators] == [("40", 8), ("60", 9)]
    assert [(i.scoring.text, _at(i.scoring)) for i in card.indicators] == [("完成得满分",) * 2, ("每低1%扣1分",) * 2]
    assert [str(i.value.value) for i in card.indicators] == ["3000", "90"]
    # The column no reader knows is kept as printed and flagged, for the tasks and the indicators alike.
    assert {h: (t.text, _at(t)) for h, t in card.tasks[0].other.items()} == {"对应项目": ("学前资助", "学前资助")}
    assert card.indicators[0].other["备注"].text == _at(card.indicators[0].other["备注"]) == "按年报统计"
    columns = sorted(f.found for f in result.flags if f.check == "read.card_column")
    assert columns == ["学前资助", "按年报统计"]
    # Everything else verifies: the grid adds up, every figure is grounded, none is left unread.
    assert sorted(f.check for f in result.flags) == ["read.card_column"] * 2, [f.message for f in result.flags]


def test_the_llm_reads_the_card_on_the_same_characters_as_the_rules(tmp_path):
    llm = _read(tmp_path, _answer()).cards[0]
    from extractor.pipeline import _extract

    rules = _extract(load_document(tmp_path / "dept.txt"), use_rules=True)[0].cards[0]

    def spans(card):
        return ([[a.span if a else None for a in (t.budget.total, t.budget.fiscal, t.budget.other)] for t in card.tasks],
                [a.span for a in (card.tasks_total.total, card.tasks_total.fiscal, card.tasks_total.other)],
                [(i.weight.span, i.scoring.span, i.value.span) for i in card.indicators],
                [{h: t.span for h, t in x.other.items()} for x in (*card.tasks, *card.indicators)])
    assert spans(llm) == spans(rules)


def test_figures_a_model_made_up_are_never_placed_on_a_printed_number_and_are_flagged(tmp_path):
    # Hand-written fixture: a weight and a task's amount printed nowhere, a task total printed on another line only.
    answer = _answer(**{"indicators.0.weight": "35", "tasks.0.budget_fiscal": "455.00",
                        "tasks.1.budget_total": "1000.00"})
    result = _read(tmp_path, answer)
    (card,) = result.cards
    weight, fiscal, total = card.indicators[0].weight, card.tasks[0].budget.fiscal, card.tasks[1].budget.total
    for a, value in ((weight, "35"), (fiscal, "455.00"), (total, "1000.00")):
        assert a.value == parse_amount(value) and a.backend == "llm"
        assert _at(a) != value  # not put on the characters of another figure
    flagged = {(f.check, str(f.found)) for f in result.flags}
    assert {("ground.not_in_source", "35"), ("ground.not_in_source", "455.00")} <= flagged
    # 1000.00 is printed, but on the 金额合计 line, which took it: flagged, never read as the second task's total.
    assert ("ground.misplaced", "1000.00") in flagged
    # The figures the model did not give are printed still: flagged unread, never dropped silently.
    assert {("read.unparsed", "40"), ("read.unparsed", "450.00"), ("read.unparsed", "500.00")} <= flagged
    # And the sums of the grid say the model's figures do not add up.
    assert ("card.tasks", "950.00") in flagged


@pytest.mark.parametrize("percents,cumulative", [(("25", "50", "75", "100"), True), (("25", "25", "25", "25"), False)])
def test_a_quarterly_plan_the_model_read_is_cumulative_only_when_its_percents_say_so(percents, cumulative):
    """As the rules reader: quarters are each one's share, unless the percents rise to 100% (trial26 #14)."""
    from extractor.chunk import chunk_document
    from extractor.llm.fill import card_from_form

    quarters = ("第一季度", "第二季度", "第三季度", "第四季度")
    text = ("项目支出绩效目标表\n\n项目名称：示范项目\n资金支出计划："
            + "，".join(f"{q}{p}%" for q, p in zip(quarters, percents)) + "\n")
    chunk = next(c for c in chunk_document(text) if c.is_card)
    form = CardForm(project_name="示范项目", spending_plan=[{"period": q, "percent": p} for q, p in zip(quarters, percents)])
    card = card_from_form(chunk, form, text)
    assert [s.cumulative for s in card.spending_plan] == [cumulative] * 4

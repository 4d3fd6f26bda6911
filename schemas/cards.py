"""Performance-target cards (绩效目标表): one per project, plus the department's own."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .common import Amount, Span, Text

Comparator = Literal["≥", "≤", "=", "<", ">"]

# Spellings seen in the documents, folded to one comparator each.
COMPARATORS: dict[str, Comparator] = {
    "≥": "≥", "≧": "≥", ">=": "≥", "＞＝": "≥",
    "≤": "≤", "≦": "≤", "<=": "≤", "＜＝": "≤",
    "=": "=", "＝": "=",
    "<": "<", "＜": "<",
    ">": ">", "＞": ">",
}


# How a card labels each part of its budget ("预算数 6282.00 其中：财政资金 6282.00 …"): a budget figure is
# printed after its own label, and the nearest budget label before it on its line says which part it is.
BUDGET_LABELS: dict[str, tuple[str, ...]] = {
    "total": ("年度资金总额", "资金总额", "预算数", "预算总额", "总额"),
    "fiscal": ("财政资金", "财政拨款"),
    "carryover": ("上年结转",),
    "other": ("其他资金",),
}


class Indicator(BaseModel):
    level1: str | None = Field(None, description="一级指标 (产出指标/效益指标/满意度指标…)")
    level2: str | None = Field(None, description="二级指标 (数量指标/质量指标/时效指标/成本指标…)")
    name: Text | None = Field(None, description="三级指标: the indicator's own name")
    description: Text | None = Field(None, description="绩效指标描述 / 指标说明")
    target: Text | None = Field(None, description="指标值 exactly as printed")
    comparator: Comparator | None = Field(None, description="符号: ≥ ≤ = < >")
    value: Amount | None = Field(None, description="the number in the target value, when it has one")
    unit: str | None = Field(None, description="单位: 人, %, 万元, 元/人 …")
    qualitative: str | None = Field(None, description="a target with no number: 效果显著, 按时完成 …")
    basis: Text | None = Field(None, description="指标值确定依据")
    span: Span


class SpendingStep(BaseModel):
    period: str = Field(description="3月底, 6月底, 10月底, 12月底")
    percent: Amount


class CardBudget(BaseModel):
    total: Amount | None = Field(None, description="预算数 / 年度资金总额")
    fiscal: Amount | None = Field(None, description="财政资金 / 财政拨款")
    carryover: Amount | None = Field(None, description="上年结转")
    other: Amount | None = Field(None, description="其他资金")


class PerformanceCard(BaseModel):
    section_id: str
    kind: Literal["performance_target", "department_performance_target"] = "performance_target"
    title: str
    span: Span
    unit: str = "万元"
    project_code: Text | None = None
    project_name: Text | None = None
    department: Text | None = None
    implementing_unit: Text | None = None
    budget: CardBudget = Field(default_factory=CardBudget)
    spending_plan: list[SpendingStep] = Field(default_factory=list)
    goals: list[Text] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

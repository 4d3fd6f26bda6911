"""What a model is asked to fill: one form per section kind, generated from the table registry.

A model cannot be trusted with character offsets, so forms ask for every
number copied exactly as printed; the LLM reader finds each one in the
section's text and the verifier re-checks it. Field descriptions are in
Chinese, the language of the documents. The validators are cheap checks whose
errors go back to the model (amounts parse, codes are 3/5/7 digits,
comparators are known).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from .cards import COMPARATORS
from .common import parse_amount
from .tables import TableSpec, spec_for

_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_COPY = "原样抄写表中打印的数字（不换算单位、不补零、不加千分位），没有则为 null"


def _check_amount(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if parse_amount(value) is None:
        raise ValueError(f"{value!r} is not a number as printed (digits, one decimal point)")
    return value.strip()


def _check_code(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    digits = re.sub(r"\s+", "", value)
    if not _CODE.match(digits):
        raise ValueError(f"{value!r} is not a classification code of 3, 5 or 7 digits")
    return digits


class _Form(BaseModel):
    model_config = ConfigDict(extra="ignore")


@lru_cache(maxsize=None)
def row_form(kind: str) -> type[BaseModel]:
    spec = spec_for(kind)
    fields: dict = {
        "label": (Optional[str], Field(None, description="行名称（科目名称、项目名称、合计等），原样抄写")),
    }
    if spec.row_key in ("functional", "economic"):
        fields["code"] = (Optional[str], Field(None, description="科目编码，3、5 或 7 位数字；合计行为 null"))
    if spec.row_key == "two_sided":
        fields["side"] = (Literal["income", "expenditure"], Field(description="income＝收入栏，expenditure＝支出栏"))
    for col in spec.columns:
        if col.type == "text":
            fields[col.key] = (Optional[str], Field(None, description=f"{col.zh}，原样抄写"))
        else:
            fields[col.key] = (Optional[str], Field(None, description=f"{col.zh}：{_COPY}"))
    validators = {}
    amount_keys = [c.key for c in spec.columns if c.type != "text"]
    if amount_keys:
        validators["amounts_parse"] = field_validator(*amount_keys)(classmethod(lambda cls, v: _check_amount(v)))
    if "code" in fields:
        validators["codes_have_3_5_7_digits"] = field_validator("code")(classmethod(lambda cls, v: _check_code(v)))
    return create_model(f"{_camel(kind)}Row", __base__=_Form, __validators__=validators, **fields)


@lru_cache(maxsize=None)
def table_form(kind: str) -> type[BaseModel]:
    spec: TableSpec = spec_for(kind)
    return create_model(
        f"{_camel(kind)}Form", __base__=_Form,
        __doc__=f"{spec.zh}：{spec.description}",
        rows=(list[row_form(kind)], Field(default_factory=list, description="表中每一行，按原文顺序，包括合计行")),
        empty=(bool, Field(False, description="表中没有数据（如“本表无数据”“空表列示”）时为 true")),
        note=(Optional[str], Field(None, description="表下的注释（“注：……”），原样抄写")),
    )


def _camel(kind: str) -> str:
    return "".join(part.title() for part in kind.split("_"))


def _check_weight(value: str | None) -> str | None:
    """A weight copied with its sign ("20%") is the number: the column says it is a share."""
    return _check_amount(value.strip().rstrip("%％").strip() if value is not None else None)


_OTHER = "表中其他栏目（如“备注”“对应项目”）：栏目名称 → 单元格原文；没有则为空"


class IndicatorForm(_Form):
    level1: Optional[str] = Field(None, description="一级指标：产出指标、效益指标、满意度指标……")
    level2: Optional[str] = Field(None, description="二级指标：数量指标、质量指标、时效指标、成本指标……")
    name: str = Field(description="三级指标名称")
    description: Optional[str] = Field(None, description="指标说明／绩效指标描述，原样抄写")
    target: Optional[str] = Field(None, description="指标值，原样抄写（如“≥430000人”“100%”“效果显著”）")
    comparator: Optional[str] = Field(None, description="符号：≥ ≤ = < > 之一，没有则为 null")
    value: Optional[str] = Field(None, description=f"指标值中的数字，{_COPY}")
    unit: Optional[str] = Field(None, description="单位：人、%、万元、元……")
    basis: Optional[str] = Field(None, description="指标值确定依据，原样抄写")
    weight: Optional[str] = Field(None, description=f"权重／分值中的数字（“20%”写作“20”），{_COPY}")
    scoring: Optional[str] = Field(None, description="评分标准／评(计)分标准，原样抄写")
    other: dict[str, str] = Field(default_factory=dict, description=_OTHER)

    @field_validator("comparator")
    @classmethod
    def comparator_is_known(cls, v: str | None) -> str | None:
        if v is None or not v.strip():
            return None
        if v.strip() not in COMPARATORS:
            raise ValueError(f"{v!r} is not one of ≥ ≤ = < >")
        return v.strip()

    @field_validator("value")
    @classmethod
    def value_parses(cls, v: str | None) -> str | None:
        return _check_amount(v)

    @field_validator("weight")
    @classmethod
    def weight_parses(cls, v: str | None) -> str | None:
        return _check_weight(v)


class SpendingStepForm(_Form):
    period: str = Field(description="时间：3月底、6月底、10月底、12月底……")
    percent: str = Field(description="累计支出比例的数字（“25%”写作 “25”）")

    @field_validator("percent")
    @classmethod
    def percent_parses(cls, v: str) -> str:
        v = v.strip().rstrip("%％")
        if _check_amount(v) is None:
            raise ValueError("a percentage is required")
        return v


class CardForm(_Form):
    """项目支出绩效目标表（或部门整体绩效目标表）。"""

    project_code: Optional[str] = Field(None, description="项目编码，原样抄写")
    project_name: Optional[str] = Field(None, description="项目名称，原样抄写")
    department: Optional[str] = Field(None, description="主管部门")
    implementing_unit: Optional[str] = Field(None, description="实施单位")
    project_period: Optional[str] = Field(None, description="项目期／项目期限／实施期限，原样抄写（如“1年”“2024-2026年”）")
    budget_total: Optional[str] = Field(None, description=f"预算数／年度资金总额，{_COPY}")
    budget_fiscal: Optional[str] = Field(None, description=f"其中：财政资金／财政拨款，{_COPY}")
    budget_carryover: Optional[str] = Field(None, description=f"上年结转，{_COPY}")
    budget_other: Optional[str] = Field(None, description=f"其他资金，{_COPY}")
    spending_plan: list[SpendingStepForm] = Field(default_factory=list, description="资金支出计划（%）")
    goals: list[str] = Field(default_factory=list, description="年度绩效目标，每条原样抄写")
    indicators: list[IndicatorForm] = Field(default_factory=list, description="绩效指标，每行一个")

    _budget = field_validator("budget_total", "budget_fiscal", "budget_carryover", "budget_other")(
        classmethod(lambda cls, v: _check_amount(v)))


class TaskForm(_Form):
    """部门整体绩效目标表“年度主要任务”中的一行。"""

    name: Optional[str] = Field(None, description="任务名称，原样抄写；金额合计行写原文（如“金额合计”）")
    content: Optional[str] = Field(None, description="主要内容／任务内容，原样抄写")
    budget_total: Optional[str] = Field(None, description=f"总额／预算数，{_COPY}")
    budget_fiscal: Optional[str] = Field(None, description=f"财政拨款／财政资金，{_COPY}")
    budget_carryover: Optional[str] = Field(None, description=f"上年结转，{_COPY}")
    budget_other: Optional[str] = Field(None, description=f"其他资金，{_COPY}")
    other: dict[str, str] = Field(default_factory=dict, description=_OTHER)

    _budget = field_validator("budget_total", "budget_fiscal", "budget_carryover", "budget_other")(
        classmethod(lambda cls, v: _check_amount(v)))


class DepartmentCardForm(CardForm):
    """部门整体绩效目标表：项目表的各栏，加上年度主要任务及其预算。"""

    tasks: list[TaskForm] = Field(default_factory=list,
                                  description="年度主要任务：每个任务一行，按原文顺序，金额合计行也作为一行")


def form_for(kind: str) -> type[BaseModel]:
    """The form a model fills for a section of ``kind``."""
    if kind == "department_performance_target":
        return DepartmentCardForm
    return CardForm if spec_for(kind).card else table_form(kind)

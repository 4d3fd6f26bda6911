"""项目期 (project period) through the LLM path: the form asks for it, the prompt names it, and what the model
copies fills the same ``PerformanceCard.project_period`` the rules reader fills, grounded where it is printed.

The model answers here are hand-written fixtures (no model is involved): a ``CardForm`` as a model would fill it.
"""

from __future__ import annotations

from conftest import DOCS, text_for

from extractor.llm.fill import card_from_form
from extractor.load import load_document
from extractor.pipeline import _extract
from extractor.llm.reader import load_prompt
from schemas.forms import CardForm


def _first_card_with_a_period(doc: str):
    result, chunks = _extract(load_document(DOCS[doc]), use_rules=True)
    card = next(c for c in result.cards if c.project_period is not None)
    return card, chunks[card.section_id]


def test_the_card_form_and_the_prompt_ask_for_the_project_period():
    assert "project_period" in CardForm.model_json_schema()["properties"]
    assert "项目期" in load_prompt("performance_target")


def test_a_models_project_period_fills_the_field_the_rules_reader_fills():
    rules_card, chunk = _first_card_with_a_period("003")
    text = text_for("003")
    # Hand-written fixture: the form a model would return, copying the card's name and its 项目期 as printed.
    form = CardForm(project_name=rules_card.project_name.text, project_period=rules_card.project_period.text)
    card = card_from_form(chunk, form, text)
    assert card.project_period is not None
    assert card.project_period.text == rules_card.project_period.text == "1年"
    assert card.project_period.span == rules_card.project_period.span  # the same printed characters
    assert card.project_period.backend == "llm"


def test_a_project_period_not_in_the_section_is_not_grounded_anywhere():
    _rules_card, chunk = _first_card_with_a_period("003")
    card = card_from_form(chunk, CardForm(project_period="2099-2100年"), text_for("003"))
    assert card.project_period is not None and card.project_period.span[0] == card.project_period.span[1]

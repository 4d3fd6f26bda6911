"""Stage 4 — verify: decide which numbers of a result can be trusted, and flag the rest.

Depends on ``schemas`` only, so it re-verifies a result whatever filled it —
the rules reader, a model, or a person's edit. Every failed check becomes a
``Flag`` that names the values involved and the characters they came from.
"""

from __future__ import annotations

from schemas import ExtractionResult
from schemas.document import tables_unit

from .cards import check_card
from .completeness import completeness, flag_document_shape
from .cross import check_across
from .crosscheck import check_cross_readings
from .flags import Flagger
from .grounding import amount_slots, ground
from .narrative import check_claims, claims_with_outcomes, extract_claims
from .reading import check_card_readings, check_readings, check_year_columns
from .source import check_source
from .tables import check_table
from .values import card_aliases, view_tables

SEVERITY_ORDER = {"error": 0, "warning": 1}


def verify_result(result: ExtractionResult, text: str) -> ExtractionResult:
    """Verify ``result`` against the document ``text`` it was read from; updates and returns it.

    Spans that do not hold their value are re-pointed where the value is found
    in its section (recorded in ``span_fixes``); everything else is flagged.
    """
    flagger = Flagger(result.document.sha256, result.document.name, card_aliases(result.cards, result.corrections))
    result.document.unit = tables_unit(result.tables)
    views = view_tables(result)
    result.span_fixes = ground(result, views, text, flagger)
    if result.span_fixes:
        views = view_tables(result)  # the re-pointed amounts replace the ones the views hold
    check_readings(views, flagger)
    check_year_columns(views, result.document.year, flagger)
    check_card_readings(result.cards, text, flagger)
    for view in views:
        check_table(view, flagger)
    check_across(result, views, flagger)
    for card in result.cards:
        check_card(card, flagger)
    result.claims = extract_claims(result, text)
    reasons = check_claims(result.claims, views, flagger, result.cards)
    result.completeness = completeness(result, flagger, text)
    flag_document_shape(result, text, flagger)
    check_cross_readings(result, flagger)
    check_source(result, amount_slots(result, views), flagger, views, text)
    result.claims = claims_with_outcomes(result.claims, flagger.flags.values(), flagger.held_claims, reasons)
    result.flags = sorted(flagger.flags.values(),
                          key=lambda f: (SEVERITY_ORDER[f.severity], f.spans[0] if f.spans else [0, 0], f.id))
    result.verified = True
    return result


__all__ = ["verify_result"]

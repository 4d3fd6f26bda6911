"""Each value's page and box, from the geometry the loader recorded (PDF and spreadsheet sources only).

Run after every verification (the verifier may re-point a span, a person's
correction has its own), so the boxes always follow the spans the result holds.
Text sources have no geometry and are left exactly as they are.
"""

from __future__ import annotations

from schemas import Box, ExtractionResult


def place_values(result: ExtractionResult) -> ExtractionResult:
    geometry = result.geometry
    if geometry is None:
        return result
    from verify.grounding import amount_slots

    values: dict[str, list[Box]] = {}
    for slot in amount_slots(result):
        boxes = [box for part in slot.amount.parts for box in geometry.boxes(tuple(part))]
        if boxes:
            values[slot.path] = boxes
    geometry.values = values
    return result


def boxes_for_span(result: ExtractionResult, span) -> list[Box]:
    """The boxes of any characters of the canonical text (a flag's span, a sentence's figure)."""
    return result.geometry.boxes(tuple(span)) if result.geometry is not None else []

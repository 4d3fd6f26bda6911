"""What a new user's trial of the review loop and the LLM path found (trial 20c), each as real processes.

1. A layout hint settles only the tie it was taught on: a row printed one cell per column is read where printed.
2. A value marked as a person's correction with no decision behind it is flagged, never verified.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DOCS
from test_cli import cli
from test_review_moves import as_json, facts, queue


def _card_value(result_file: Path, printed: str):
    data = json.loads(result_file.read_text(encoding="utf-8"))
    for card in data["cards"]:
        for ind in card["indicators"]:
            if ind.get("value") and ind["value"]["value"] == printed:
                return data, ind
    raise AssertionError(f"no card value {printed}")


def test_a_hand_edited_person_value_without_a_decision_is_flagged_not_verified(tmp_path):
    src = tmp_path / "A.txt"
    src.write_bytes(DOCS["000"].read_bytes())
    out = tmp_path / "out"
    cli("run", src, "--out", out)
    path = out / "A.json"
    data, ind = _card_value(path, "3.57")  # the card prints ≤3.57 万元
    ind["value"].update(value="1.23", raw="1.23", backend="person")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    cli("verify", path, check=False)
    [fact] = [f for f in facts(out, "A") if f["value"] == "1.23"]
    assert fact["status"] == "flagged" and fact["decision"] is None
    flagged = {f["check"] for f in queue(out, "--status", "all") if any(
        fl["key"] == fact["field"] for fl in f["fields"])}
    assert "ground.unrecorded_correction" in flagged and "ground.not_in_source" in flagged

"""Document 001 through the LLM path from the committed recordings: no network, no key, no model.

The recordings in cache/recordings are real answers of SmolLM2-135M-Instruct
served by llama.cpp on loopback (scripts/record_smollm2.py). The tiny model
makes most numbers up; what this test shows is the path end to end and the
verifier catching every made-up number — not extraction quality.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal

import pytest
from conftest import DOCS, ROOT, text_for
from live_server import MODEL_NAME
from test_cli import cli

from schemas import parse_amount

RECORDINGS = ROOT / "cache" / "recordings"
pytestmark = pytest.mark.skipif(not any(RECORDINGS.glob("*.json")), reason="no committed recordings")


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("replay")
    # A base URL nothing listens on: replay must not need it (and never opens a connection).
    proc = cli("run", DOCS["001"], "--out", tmp / "out", "--backend", "llm", "--cache", "replay",
               "--cache-dir", tmp / "empty-cache", env={"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    return proc, json.loads((tmp / "out" / "001_20041eb3cb8715ee.json").read_text(encoding="utf-8"))


def test_the_recordings_are_a_real_models_and_hold_no_key():
    entries = [json.loads(p.read_text(encoding="utf-8")) for p in RECORDINGS.glob("*.json")]
    assert {e["model"] for e in entries} == {MODEL_NAME} and {e["endpoint_kind"] for e in entries} == {"llamacpp"}
    for path in RECORDINGS.glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert path.stem == json.loads(text)["key"]
        assert "Bearer" not in text and "sk-" not in text


def test_001_replays_with_every_request_from_a_recording(replayed):
    proc, result = replayed
    calls = result["llm"]["calls"]
    assert calls and {c["source"] for c in calls} == {"recording"}
    assert f"LLM: {len(calls)} request(s), {len(calls)} from cache or recordings" in proc.stderr
    assert result["llm"]["model"] == MODEL_NAME


def test_every_card_section_of_001_is_filled_or_flagged(replayed):
    assert_cards_filled_or_flagged(replayed[1], expected=15)


def test_every_number_the_model_made_up_is_flagged_not_in_source(replayed):
    assert_made_up_numbers_flagged(replayed[1], text_for("001"))


def assert_cards_filled_or_flagged(result: dict, expected: int) -> None:
    flagged = {f["section_id"] for f in result["flags"]}
    cards = [s for s in result["sections"] if s["kind"] in ("performance_target", "department_performance_target")]
    assert len(cards) == expected
    for section in cards:
        assert (section["status"] == "extracted" and section["backend"] == "llm") or section["id"] in flagged


def assert_made_up_numbers_flagged(result: dict, text: str) -> None:
    """Each LLM amount is the text at its span, or its span is in a not-in-source flag."""
    doubted = {tuple(s) for f in result["flags"] if f["check"] == "ground.not_in_source" for s in f["spans"]}
    amounts = [a for card in result["cards"] for a in
               [*(v for v in card["budget"].values() if v), *(s["percent"] for s in card["spending_plan"]),
                *(i[k] for i in card["indicators"] for k in ("value", "weight") if i[k]),
                *(v for b in [t["budget"] for t in card["tasks"]] + [card["tasks_total"] or {}]
                  for v in b.values() if v)]]
    amounts += [v for t in result["tables"] for row in t["rows"] for v in row["values"].values()]
    grounded = 0
    for a in amounts:
        assert a["backend"] == "llm"
        s, e = a["span"]
        if parse_amount(text[s:e]) == Decimal(a["value"]):
            grounded += 1
        else:
            assert (s, e) in doubted, a
    print(f"{len(amounts)} LLM amounts: {grounded} found in the text, {len(amounts) - grounded} flagged not in source")


def test_replay_away_from_the_recordings_says_where_they_are_expected(tmp_path):
    """Run from another folder, the default ./cache/recordings is not there: the error names that, not the model."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("BUDGET_EXTRACT_", "OPENAI_"))}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([sys.executable, "-m", "extractor", "run", str(DOCS["001"]), "--out", str(tmp_path / "out"),
                           "--backend", "llm", "--cache", "replay"], cwd=tmp_path, capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: --cache replay needs recordings: there is no cache/recordings folder here; pass --recordings DIR "
        "(or set BUDGET_EXTRACT_RECORDINGS)"]

"""The LLM path end to end against a real model on loopback (opt-in: pytest -m live_llm).

SmolLM2-135M is a tiny model and gets most numbers wrong: that is the point.
The test shows the real HTTP path (llama.cpp's OpenAI-compatible server, tool
calling turned into a grammar) and the verifier flagging every number the
model made up. `scripts/record_smollm2.py` makes the committed
recordings the default suite replays.
"""

from __future__ import annotations

import json

import pytest
from conftest import DOCS, text_for
from live_server import MODEL_NAME, llama_server, missing
from test_cli import cli
from test_replay_recordings import assert_cards_filled_or_flagged, assert_made_up_numbers_flagged

pytestmark = pytest.mark.live_llm


@pytest.fixture(scope="module")
def server():
    reason = missing()
    if reason:
        pytest.skip(reason)
    with llama_server() as base:
        yield base


def test_smollm2_reads_document_001_and_the_verifier_flags_what_it_made_up(server, tmp_path):
    out = tmp_path / "out"
    proc = cli("run", DOCS["001"], "--out", out, "--backend", "llm", "--base-url", server, "--model", MODEL_NAME,
               "--endpoint-kind", "llamacpp", "--cache", "refresh", "--cache-dir", tmp_path / "cache",
               "--recordings", tmp_path / "rec", "--record", "--concurrency", "1", "--max-tokens", "768",
               check=False, timeout=1800)
    assert proc.returncode == 0, proc.stderr
    result = json.loads((out / "001_20041eb3cb8715ee.json").read_text(encoding="utf-8"))
    calls = result["llm"]["calls"]
    assert calls and {c["source"] for c in calls} == {"network"} and result["llm"]["prompt_tokens"] > 0
    assert_cards_filled_or_flagged(result, expected=15)
    assert_made_up_numbers_flagged(result, text_for("001"))



"""The LLM path against a fake OpenAI-compatible server on loopback: faults, re-asks, cache, concurrency.

Every answer here is a hand-written fixture (model "fixture"); these tests say
nothing about extraction quality, only that the client handles each case.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from conftest import DOCS
from fake_openai import FakeOpenAI

from extractor.llm.reader import LlmReader
from extractor.llm.settings import LlmSettings
from extractor.load import load_document
from extractor.pipeline import RunOptions, process_document

# 003's 三公 table is absent; its project table is small: section s17 (项目支出表).
PROJECTS = "s17-project_expenditure"
GOOD_PROJECTS = {"rows": [
    {"label": "公务用车更新配备", "total": "18", "current_general_budget": "18"},
    {"label": "合计", "total": "2145", "current_general_budget": "2145"},
]}


def settings(fake: FakeOpenAI, tmp_path, **kw) -> LlmSettings:
    base = dict(model="fixture", base_url=fake.base_url, api_key="sk-fixture-key", endpoint_kind="fixture",
                mode="tools", cache="off", cache_dir=tmp_path / "cache", http_retries=3, timeout=5.0, max_reasks=2)
    base.update(kw)
    return LlmSettings(**base)


def read_one(fake: FakeOpenAI, tmp_path, section_id: str = PROJECTS, doc: str = "003", **kw):
    """Run the LLM reader on one section of a corpus document (the others are answered empty)."""
    async def go():
        reader = LlmReader(settings(fake, tmp_path, **kw))
        try:
            document = load_document(DOCS[doc])
            from extractor.pipeline import _extract

            _, chunks = _extract(document, use_rules=False)
            return await reader.read(chunks[section_id], document.text)
        finally:
            await reader.aclose()
    return asyncio.run(go())


def test_a_429_is_retried_after_the_servers_retry_after(tmp_path):
    with FakeOpenAI() as fake:
        fake.enqueue(FakeOpenAI.status(429, {"retry-after": "1"}), FakeOpenAI.answer(GOOD_PROJECTS))
        started = time.perf_counter()
        outcome = read_one(fake, tmp_path)
        elapsed = time.perf_counter() - started
    assert outcome.filled and outcome.error is None
    assert len(fake.requests) == 2 and elapsed >= 1.0
    assert [(c.status, c.attempts) for c in outcome.calls] == [(200, 2)]


def test_a_persistent_500_leaves_the_section_unfilled_with_the_reason(tmp_path):
    with FakeOpenAI() as fake:
        fake.enqueue(*[FakeOpenAI.status(500, message="fixture outage")] * 3)
        outcome = read_one(fake, tmp_path, http_retries=3)
    assert not outcome.filled and len(fake.requests) == 3
    assert "500" in outcome.error or "InternalServerError" in outcome.error


def test_a_timeout_is_retried_then_reported(tmp_path):
    with FakeOpenAI() as fake:
        fake.enqueue(FakeOpenAI.hang(2.0), FakeOpenAI.hang(2.0))
        outcome = read_one(fake, tmp_path, timeout=0.5, http_retries=2)
    assert not outcome.filled and len(fake.requests) == 2
    assert "Timeout" in outcome.error or "timed out" in outcome.error


def test_invalid_json_is_sent_back_and_retries_are_bounded(tmp_path):
    with FakeOpenAI() as fake:
        fake.enqueue(*[FakeOpenAI.answer("{not json")] * 5)
        outcome = read_one(fake, tmp_path, max_reasks=2)
    assert not outcome.filled and len(fake.requests) == 3  # the first answer and two re-asks
    assert "no valid answer after 3 attempt(s)" in outcome.error
    # The conversation grows by the failed answer and the error only, and only as often as re-asks allow.
    assert [len(r["messages"]) for r in fake.requests] == [2, 4, 6]


def test_a_schema_violation_is_re_asked_with_the_error_and_then_filled(tmp_path):
    bad = {"rows": [{"label": "合计", "total": "2,145.0.0"}]}
    with FakeOpenAI() as fake:
        fake.enqueue(FakeOpenAI.answer(bad), FakeOpenAI.answer(GOOD_PROJECTS))
        outcome = read_one(fake, tmp_path)
    assert outcome.filled and len(fake.requests) == 2
    reask = str(fake.requests[1]["messages"][-1])
    assert "2,145.0.0" in reask and "not a number as printed" in reask
    assert [r.values["total"].raw for r in outcome.table.rows] == ["18", "2145"]


def test_numbers_a_model_made_up_are_flagged_not_in_source(tmp_path):
    made_up = {"rows": [{"label": "公务用车更新配备", "total": "18", "current_general_budget": "18"},
                        {"label": "合计", "total": "9999.99", "current_general_budget": "2145"}]}

    async def go(fake):
        fake.responder = lambda body: made_up if "项目支出表" in str(body["messages"][0]) else {"rows": []}
        reader = LlmReader(settings(fake, tmp_path))
        try:
            return await process_document(load_document(DOCS["003"]), RunOptions(backend="llm"), reader)
        finally:
            await reader.aclose()

    with FakeOpenAI() as fake:
        result = asyncio.run(go(fake))
    table = next(t for t in result.tables if t.section_id == PROJECTS)
    assert {a.backend for r in table.rows for a in r.values.values()} == {"llm"}
    flags = [f for f in result.flags if f.check == "ground.not_in_source" and f.section_id == PROJECTS]
    assert len(flags) == 1 and "9999.99" in flags[0].message
    # The grounded values point at the characters they were copied from.
    text = load_document(DOCS["003"]).text
    row = table.rows[0]
    assert text[row.values["total"].span[0]:row.values["total"].span[1]] == "18"


def test_a_second_run_of_the_same_input_makes_no_request(tmp_path):
    async def go(fake):
        reader = LlmReader(settings(fake, tmp_path, cache="use"))
        try:
            return await process_document(load_document(DOCS["003"]), RunOptions(backend="llm"), reader)
        finally:
            await reader.aclose()

    with FakeOpenAI() as fake:
        fake.responder = lambda body: {"rows": []}
        first = asyncio.run(go(fake))
        sent = len(fake.requests)
        second = asyncio.run(go(fake))
    assert sent > 0 and len(fake.requests) == sent
    # 003 prints its cards twice: the second copy is answered from the cache already in the first run.
    assert sum(c.source == "network" for c in first.llm.calls) == sent
    assert {c.source for c in second.llm.calls} == {"cache"}
    assert second.model_dump(exclude={"llm"}) == first.model_dump(exclude={"llm"})


def test_concurrency_never_exceeds_the_bound(tmp_path):
    async def go(fake):
        reader = LlmReader(settings(fake, tmp_path, concurrency=3))
        try:
            return await process_document(load_document(DOCS["000"]), RunOptions(backend="llm"), reader)
        finally:
            await reader.aclose()

    with FakeOpenAI(delay=0.05) as fake:
        fake.responder = lambda body: {"rows": []}
        result = asyncio.run(go(fake))
    assert len(result.llm.calls) >= 20
    assert fake.max_in_flight == 3


def test_json_mode_asks_for_json_content_instead_of_a_tool(tmp_path):
    with FakeOpenAI() as fake:
        fake.enqueue(FakeOpenAI.answer(GOOD_PROJECTS))
        outcome = read_one(fake, tmp_path, mode="json")
    assert outcome.filled
    assert "tools" not in fake.requests[0] and fake.requests[0]["response_format"] == {"type": "json_object"}


def test_the_api_key_is_sent_only_as_a_header(tmp_path):
    with FakeOpenAI() as fake:
        fake.enqueue(FakeOpenAI.answer(GOOD_PROJECTS))
        read_one(fake, tmp_path, cache="use", record=True, recordings=tmp_path / "rec")
    assert {k.lower(): v for k, v in fake.headers[0].items()}["authorization"] == "Bearer sk-fixture-key"
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.parent.name == "rec" for p in stored) and any("cache" in p.parts for p in stored)
    assert not [p for p in stored if b"sk-fixture-key" in p.read_bytes()]


@pytest.mark.parametrize("kind,mode", [("http://127.0.0.1:11434/v1", "json"), ("https://api.deepseek.com/v1", "tools"),
                                       ("https://dashscope.aliyuncs.com/compatible-mode/v1", "tools"),
                                       ("http://localhost:8000/v1", "json_schema")])
def test_each_endpoint_gets_its_structured_output_mode(kind, mode, monkeypatch):
    for var in ("BUDGET_EXTRACT_MODE", "BUDGET_EXTRACT_ENDPOINT_KIND", "BUDGET_EXTRACT_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    assert LlmSettings.from_env(base_url=kind, model="m").mode == mode


def test_the_cache_key_ignores_pydantics_versioned_error_links_but_not_the_error():
    from extractor.llm.transport import request_key

    def body(version: str, error: str = "Field required") -> dict:
        return {"model": "m", "messages": [{"role": "user", "content": f"rows.0.side\n  {error} [type=missing]\n"
                                            f"    For further information visit https://errors.pydantic.dev/{version}/v/missing"}]}

    assert request_key("k", "/v1/chat/completions", body("2.13")) == request_key("k", "/v1/chat/completions", body("2.14"))
    assert request_key("k", "/v1/chat/completions", body("2.13")) != request_key("k", "/v1/chat/completions",
                                                                                  body("2.13", "Input should be a string"))
    assert request_key("k", "/v1/chat/completions", body("2.13")) != request_key("other", "/v1/chat/completions",
                                                                                  body("2.13"))

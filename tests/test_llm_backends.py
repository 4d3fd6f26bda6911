"""Backends (rules | auto | llm), --cross-check, and the CLI's LLM options end to end.

The model here is our fake server on loopback answering hand-written fixtures.
"""

from __future__ import annotations

import asyncio
import json

from conftest import DOCS
from fake_openai import FakeOpenAI
from test_cli import cli

from extractor.llm.reader import LlmReader
from extractor.llm.settings import LlmSettings
from extractor.load import load_document
from extractor.pipeline import RunOptions, process_document

KEY = "sk-test-0123456789-SECRET"


def _settings(fake, tmp_path, **kw):
    base = dict(model="fixture", base_url=fake.base_url, api_key=KEY, endpoint_kind="fixture", mode="tools",
                cache="off", cache_dir=tmp_path / "cache")
    base.update(kw)
    return LlmSettings(**base)


def _process(doc, options, fake, tmp_path, text=None, **kw):
    async def go():
        reader = LlmReader(_settings(fake, tmp_path, **kw))
        try:
            document = load_document(DOCS[doc])
            if text is not None:
                document = type(document)(path=document.path, text=text, encoding="utf-8", sha256="changed")
            return await process_document(document, options, reader)
        finally:
            await reader.aclose()
    return asyncio.run(go())


def test_auto_asks_the_model_only_for_what_the_rules_could_not_read(tmp_path):
    with FakeOpenAI() as fake:
        fake.responder = lambda body: {}
        clean = _process("000", RunOptions(backend="auto"), fake, tmp_path)
        assert fake.requests == [] and clean.llm.calls == []
        flattened = _process("001", RunOptions(backend="auto"), fake, tmp_path)
    unread_before = 16  # 001's fixed-asset table is printed as words in order: the rules read it
    assert len(fake.requests) == unread_before
    assert {c.section_id for c in flattened.llm.calls} == {
        s.id for s in flattened.sections if s.kind not in ("narrative", "front_matter") and s.backend != "rules"}


def test_auto_sends_a_section_whose_values_fail_verification(tmp_path):
    text = DOCS["003"].read_text(encoding="utf-8").replace("405.21\t405.21\t353.66", "405.31\t405.21\t353.66", 1)
    with FakeOpenAI() as fake:
        fake.responder = lambda body: {"rows": []}
        result = _process("003", RunOptions(backend="auto"), fake, tmp_path, text=text)
    asked = {c.section_id for c in result.llm.calls}
    assert "s13-general_budget_expenditure" in asked
    section = next(s for s in result.sections if s.id == "s13-general_budget_expenditure")
    # The fixture's empty answer verifies no better, so the rules' reading (and its flag) stays.
    assert section.backend == "rules" and "kept the rules' reading" in section.note
    assert any(f.check == "table.row_sum" and f.section_id == section.id for f in result.flags)


def test_llm_backend_fills_every_section_and_records_the_backend(tmp_path):
    answer = {"rows": [{"label": "合计", "total": "2145", "current_general_budget": "2145"}]}
    with FakeOpenAI() as fake:
        fake.responder = lambda body: answer if "项目支出表" in str(body["messages"][0]) else {}
        result = _process("003", RunOptions(backend="llm"), fake, tmp_path)
    sections = [s for s in result.sections if s.kind not in ("narrative", "front_matter")]
    assert all(s.backend == "llm" or s.status == "unfilled" for s in sections)
    table = next(t for t in result.tables if t.kind == "project_expenditure")
    assert [a.backend for r in table.rows for a in r.values.values()] == ["llm", "llm"]
    assert result.llm.prompt_tokens == 100 * len(result.llm.calls)


def test_cross_check_flags_where_the_model_and_the_rules_disagree(tmp_path):
    answer = {"rows": [
        {"label": "公务用车更新配备", "total": "18", "current_general_budget": "18"},
        {"label": "欺诈骗取医保基金行为举报奖励", "total": "5", "current_general_budget": "5"},
        {"label": "2024_城乡医疗救助", "total": "1760", "current_general_budget": "1760"},
        {"label": "离休医疗费补助", "total": "357", "current_general_budget": "357"},
        {"label": "医用网络使用维护费", "total": "5", "current_general_budget": "5"},
        {"label": "合计", "total": "2140", "current_general_budget": "2145"},
    ]}
    with FakeOpenAI() as fake:
        fake.responder = lambda body: answer if "项目支出表" in str(body["messages"][0]) else {}
        result = _process("003", RunOptions(backend="rules", cross_check=True), fake, tmp_path)
    project = [f for f in result.flags if f.check == "llm.disagree" and f.section_id == "s17-project_expenditure"]
    assert len(project) == 1
    assert project[0].expected == "2145" and project[0].found == "2140"
    assert result.cross_check and {t.section_id for t in result.tables} >= {"s17-project_expenditure"}


def test_llm_backend_without_a_model_is_a_clear_error(tmp_path):
    proc = cli("run", DOCS["001"], "--out", tmp_path, "--backend", "llm", check=False)
    assert proc.returncode == 2 and "need a model" in proc.stderr
    assert not list(tmp_path.iterdir())


def test_record_then_replay_without_network_and_no_key_anywhere(tmp_path):
    rec, cache, out1, out2 = tmp_path / "rec", tmp_path / "cache", tmp_path / "out1", tmp_path / "out2"
    with FakeOpenAI() as fake:
        fake.responder = lambda body: {}
        env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": fake.base_url, "BUDGET_EXTRACT_MODEL": "fixture",
               "BUDGET_EXTRACT_ENDPOINT_KIND": "fixture"}
        first = cli("run", DOCS["003"], "--out", out1, "--backend", "llm", "--cache-dir", cache,
                    "--recordings", rec, "--record", env=env, check=False)
        sent = len(fake.requests)
    # The fixture's model answers nothing: a run that read nothing says so and fails; its result is still written.
    assert first.returncode == 1 and "nothing read: the model filled none of its" in first.stderr
    a = json.loads((out1 / "003_aca33df6c8a48681.json").read_text(encoding="utf-8"))
    calls = a["llm"]["calls"]
    assert sent > 0 and sum(c["source"] == "network" for c in calls) == sent
    assert f"LLM: {len(calls)} request(s)" in first.stderr and "prompt +" in first.stderr
    assert len(list(rec.glob("*.json"))) == len({c["key"] for c in calls})
    # Replay: the server is gone, no key, an empty live cache — only the recordings answer.
    second = cli("run", DOCS["003"], "--out", out2, "--backend", "llm", "--cache", "replay",
                 "--cache-dir", tmp_path / "empty", "--recordings", rec, check=False)
    assert second.returncode == 1 and "Traceback" not in second.stderr
    assert "from cache or recordings" in second.stderr
    b = json.loads((out2 / "003_aca33df6c8a48681.json").read_text(encoding="utf-8"))
    assert [t["rows"] for t in a["tables"]] == [t["rows"] for t in b["tables"]]
    assert {c["source"] for c in b["llm"]["calls"]} == {"recording"}
    for path in [*rec.rglob("*"), *cache.rglob("*"), *out1.rglob("*"), *out2.rglob("*")]:
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_replay_fails_clearly_on_a_miss(tmp_path):
    (tmp_path / "rec").mkdir()
    proc = cli("run", DOCS["003"], "--out", tmp_path / "out", "--backend", "llm", "--cache", "replay",
               "--model", "fixture", "--recordings", tmp_path / "rec", "--cache-dir", tmp_path / "c", check=False)
    assert proc.returncode == 1
    assert "replay: no recorded response for request" in proc.stderr
    assert (tmp_path / "out" / "003_aca33df6c8a48681.json").exists()  # the rest is still written, flagged

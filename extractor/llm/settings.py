"""Where the model is and how to talk to it: from flags, then our environment, then OpenAI's.

The API key is held as a secret: it is sent in the Authorization header and
nowhere else — not in cache keys, recordings, results or logs; whatever a server
sends back is scrubbed of it (``secrets.Scrubber``).

Time is bounded three ways: ``timeout`` per HTTP request, ``http_retries``
attempts per request, and ``section_deadline`` for everything one section costs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

CacheMode = Literal["use", "refresh", "off", "replay"]
StructuredMode = Literal["tools", "json_schema", "json", "md_json"]

# Endpoint kinds we know, by host; each gets the structured-output mode it supports best.
_KINDS_BY_HOST = (
    ("api.openai.com", "openai"),
    ("api.deepseek.com", "deepseek"),
    ("dashscope", "qwen"),
    ("bigmodel.cn", "glm"),
    ("openrouter.ai", "openrouter"),
)
DEFAULT_MODES: dict[str, StructuredMode] = {
    "openai": "tools", "deepseek": "tools", "qwen": "tools", "glm": "tools", "openrouter": "tools",
    # Local servers: tool calling depends on the server; llama.cpp turns a forced tool into a grammar.
    "vllm": "json_schema", "ollama": "json", "llamacpp": "tools", "local": "json", "fixture": "tools",
}
LOCAL_PORTS = {"11434": "ollama", "8000": "vllm"}


def endpoint_kind_for(base_url: str | None) -> str:
    if not base_url:
        return "openai"
    parsed = urlparse(base_url)
    host = parsed.hostname or ""
    for needle, kind in _KINDS_BY_HOST:
        if needle in host:
            return kind
    if host in ("localhost", "127.0.0.1", "::1") or host.startswith("192.168.") or host.endswith(".local"):
        return LOCAL_PORTS.get(str(parsed.port), "local")
    return "openai"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "budget-extract"


@dataclass
class LlmSettings:
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    endpoint_kind: str = "openai"
    mode: StructuredMode = "tools"
    concurrency: int = 4
    timeout: float = 120.0  # seconds per HTTP request (connect, send, each wait for data)
    max_reasks: int = 1  # validation re-asks after the first answer
    http_retries: int = 3  # attempts per request, counting retries on 429 / 5xx / timeouts
    section_deadline: float = 600.0  # seconds for a whole section: every attempt, re-ask and back-off
    temperature: float = 0.0
    max_tokens: int = 4096
    cache: CacheMode = "use"
    cache_dir: Path = field(default_factory=default_cache_dir)
    recordings: Path | None = None  # committed recordings to read (and to write with ``record``)
    record: bool = False

    @property
    def configured(self) -> bool:
        """Whether a model can be asked: a model name and somewhere to ask it (or recordings to replay)."""
        return bool(self.model) and (self.cache == "replay" or bool(self.base_url) or bool(self.api_key))

    def params(self) -> dict:
        """The request parameters that change an answer (part of every cache key)."""
        return {"temperature": self.temperature, "max_tokens": self.max_tokens}

    @classmethod
    def from_env(cls, **overrides) -> "LlmSettings":
        env = os.environ
        base_url = overrides.pop("base_url", None) or env.get("BUDGET_EXTRACT_BASE_URL") or env.get("OPENAI_BASE_URL")
        kind = overrides.pop("endpoint_kind", None) or env.get("BUDGET_EXTRACT_ENDPOINT_KIND") or endpoint_kind_for(base_url)
        mode = overrides.pop("mode", None) or env.get("BUDGET_EXTRACT_MODE") or DEFAULT_MODES.get(kind, "tools")
        settings = cls(
            model=overrides.pop("model", None) or env.get("BUDGET_EXTRACT_MODEL"),
            base_url=base_url,
            api_key=overrides.pop("api_key", None) or env.get("BUDGET_EXTRACT_API_KEY") or env.get("OPENAI_API_KEY"),
            endpoint_kind=kind,
            mode=mode,
            cache_dir=Path(overrides.pop("cache_dir", None) or env.get("BUDGET_EXTRACT_CACHE_DIR") or default_cache_dir()),
            recordings=_recordings_dir(overrides.pop("recordings", None)),
        )
        if env.get("BUDGET_EXTRACT_CONCURRENCY"):
            settings.concurrency = int(env["BUDGET_EXTRACT_CONCURRENCY"])
        if env.get("BUDGET_EXTRACT_MAX_REASKS"):
            settings.max_reasks = int(env["BUDGET_EXTRACT_MAX_REASKS"])
        if env.get("BUDGET_EXTRACT_TIMEOUT"):
            settings.timeout = float(env["BUDGET_EXTRACT_TIMEOUT"])
        if env.get("BUDGET_EXTRACT_MAX_RETRIES"):
            settings.http_retries = int(env["BUDGET_EXTRACT_MAX_RETRIES"]) + 1
        if env.get("BUDGET_EXTRACT_SECTION_DEADLINE"):
            settings.section_deadline = float(env["BUDGET_EXTRACT_SECTION_DEADLINE"])
        for key, value in overrides.items():
            if value is not None:
                setattr(settings, key, value)
        return settings


def _recordings_dir(given: Path | str | None) -> Path | None:
    if given:
        return Path(given)
    if os.environ.get("BUDGET_EXTRACT_RECORDINGS"):
        return Path(os.environ["BUDGET_EXTRACT_RECORDINGS"])
    here = Path("cache") / "recordings"
    return here if here.is_dir() else None

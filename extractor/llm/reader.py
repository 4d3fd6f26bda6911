"""The LLM reader: one section in, its filled schema (or the reason it could not be filled) out.

openai's async client talks to any OpenAI-compatible endpoint through our
``RecordingTransport`` (cache, recordings, replay, HTTP retries); instructor
turns the form into tools / JSON Schema / JSON instructions, validates the
answer and re-asks with the validation errors, a bounded number of times.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from importlib import resources

from schemas import PerformanceCard, Table, spec_for
from schemas.forms import form_for

from ..chunk import Chunk
from .fill import card_from_form, table_from_form
from .secrets import Scrubber, scrub_logs
from .settings import LlmSettings
from .transport import CURRENT_LOG, CallLog, CallRecord, RecordingTransport, ReplayMiss

# instructor logs every failed attempt at ERROR; the outcome carries the reason instead.
logging.getLogger("instructor").setLevel(logging.CRITICAL)

_MODES = {"tools": "TOOLS", "json_schema": "JSON_SCHEMA", "json": "JSON", "md_json": "MD_JSON"}


def load_prompt(kind: str) -> str:
    """The prompt file for a section kind; its whole text (version included) is part of the cache key."""
    return resources.files("prompts").joinpath(f"{kind}.md").read_text(encoding="utf-8")


class EmptyAnswer(Exception):
    """A form that validates but says nothing: not a reading of the section."""


@dataclass
class SectionOutcome:
    section_id: str
    kind: str
    table: Table | None = None
    card: PerformanceCard | None = None
    error: str | None = None
    replay_miss: bool = False
    calls: list[CallRecord] = field(default_factory=list)

    @property
    def filled(self) -> bool:
        return self.table is not None or self.card is not None


class LlmReader:
    """Reads sections with a model; one instance per run, shared by every document of it."""

    def __init__(self, settings: LlmSettings, inner_transport=None):
        self.settings = settings
        # Whatever a server sends back, and whatever a library says or logs, is scrubbed of the key.
        self.scrubber = Scrubber(settings.api_key)
        self._unscrub_logs = scrub_logs(self.scrubber)
        self.semaphore = asyncio.Semaphore(max(1, settings.concurrency))
        self._inner_transport = inner_transport
        self.cache = self.http = self.transport = self._client = None

    @property
    def client(self):
        """instructor over openai's client, made at the first section read: a run that never asks a model
        never imports them (openai alone takes most of a second to import)."""
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _connect(self):
        import httpx
        import instructor
        from openai import AsyncOpenAI

        settings = self.settings
        if settings.cache in ("use", "refresh", "replay") and settings.cache_dir:
            import diskcache

            self.cache = diskcache.Cache(str(settings.cache_dir))
        live = None if settings.cache == "replay" else (self._inner_transport or httpx.AsyncHTTPTransport())
        self.transport = RecordingTransport(
            live, endpoint_kind=settings.endpoint_kind, mode=settings.cache, cache=self.cache,
            recordings=settings.recordings, record=settings.record, http_retries=settings.http_retries,
            scrubber=self.scrubber)
        self.http = httpx.AsyncClient(transport=self.transport, timeout=settings.timeout)
        openai_client = AsyncOpenAI(
            # A local server needs no key; the client library insists on one, so a placeholder goes in its place.
            api_key=settings.api_key or "no-key", base_url=settings.base_url or None,
            http_client=self.http, max_retries=0, timeout=settings.timeout)
        return instructor.from_openai(openai_client, mode=getattr(instructor.Mode, _MODES[settings.mode]))

    async def read(self, chunk: Chunk, text: str, document: str = "") -> SectionOutcome:
        outcome = SectionOutcome(section_id=chunk.id, kind=chunk.kind)
        log = CallLog(document=document, section_id=chunk.id)
        token = CURRENT_LOG.set(log)
        try:
            async with self.semaphore:
                # Every attempt, re-ask and back-off of the section within one deadline.
                async with asyncio.timeout(self.settings.section_deadline):
                    form = await self._ask(chunk)
            if spec_for(chunk.kind).card:
                card = card_from_form(chunk, form, text)
                if not (card.budget.total or card.indicators or card.goals or card.project_name or card.tasks):
                    raise EmptyAnswer("the answer fills no field of the card")
                outcome.card = card
            else:
                table = table_from_form(chunk, form, text)
                if not table.rows and not table.empty:
                    raise EmptyAnswer("the answer has no rows and does not say the table is empty")
                outcome.table = table
        except TimeoutError:
            outcome.error = (f"SectionDeadline: no answer within the section's deadline of "
                             f"{self.settings.section_deadline:g} s (--section-deadline)")
        except Exception as exc:  # every failure becomes the section's recorded reason, never a crash
            error, outcome.replay_miss = describe_failure(exc)
            outcome.error = self.scrubber.text(error)
        finally:
            CURRENT_LOG.reset(token)
            outcome.calls = log.calls
        return outcome

    async def _ask(self, chunk: Chunk):
        s = self.settings
        messages = [
            {"role": "system", "content": load_prompt(chunk.kind)},
            {"role": "user", "content": f"《{chunk.title}》\n\n{chunk.text_without_furniture()}"},
        ]
        return await self.client.chat.completions.create(
            model=s.model, response_model=form_for(chunk.kind), messages=messages,
            max_retries=s.max_reasks, temperature=s.temperature, max_tokens=s.max_tokens)

    async def aclose(self) -> None:
        self._unscrub_logs()
        if self.http is not None:
            await self.http.aclose()
        if self.cache is not None:
            self.cache.close()


def describe_failure(exc: BaseException) -> tuple[str, bool]:
    """A one-line reason for a failed section, and whether replay lacked a recording."""
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and seen not in chain:
        chain.append(seen)
        if isinstance(seen, ReplayMiss):
            return f"replay: {seen}", True
        seen = seen.__cause__ or seen.__context__
    attempts = getattr(exc, "failed_attempts", None) or []
    if attempts:
        last = attempts[-1].exception
        return (f"no valid answer after {getattr(exc, 'n_attempts', len(attempts))} attempt(s); "
                f"last error: {_one_line(last)}"), False
    # instructor wraps API errors; the OpenAI client's error (APITimeoutError, RateLimitError …) says it best.
    wrapped = len(chain) > 1 and type(exc).__name__ == "InstructorRetryException"
    return _one_line(chain[1] if wrapped else exc), False


def _one_line(exc: BaseException) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            items = errors()
            text = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg')}" for e in items[:4])
            return f"{type(exc).__name__}: {text}" + (f" (+{len(items) - 4} more)" if len(items) > 4 else "")
        except Exception:  # noqa: BLE001 - a description must never fail
            pass
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first[:300]}" if first else type(exc).__name__

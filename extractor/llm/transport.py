"""The HTTP layer under the OpenAI client: cache, recordings, replay, and retries on 429 / 5xx / timeouts.

Working at the HTTP level means the request body is the cache key: model,
messages (prompt file and section text), the form's JSON Schema and the
parameters are all in it, the API key (a header) never is. Every response
that comes back — from the network, the live cache or a recording — goes
through the same OpenAI client and instructor parsing.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from .secrets import Scrubber

RETRY_STATUSES = {408, 409, 429, 500, 502, 503, 504}


class ReplayMiss(Exception):
    """Replay mode met a request it has no recording for; nothing was sent."""

    def __init__(self, key: str):
        super().__init__(f"no recorded response for request {key[:16]}… (record it with --cache use --record)")
        self.key = key


@dataclass
class CallRecord:
    key: str
    source: str  # "network", "cache" or "recording"
    status: int
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    attempts: int = 1  # HTTP attempts, counting retries on 429 / 5xx / timeouts


@dataclass
class CallLog:
    """The calls one section made; set as the current log around each section's request."""

    calls: list[CallRecord] = field(default_factory=list)
    document: str = ""  # recorded alongside the answer for people reading recordings; not part of the key
    section_id: str = ""


CURRENT_LOG: contextvars.ContextVar[CallLog | None] = contextvars.ContextVar("budget_extract_call_log", default=None)


# pydantic's validation errors (sent back to the model in re-asks) link to its docs with its version
# in the URL; the link says nothing about the question, so it is left out of the key and recordings
# survive a pydantic upgrade.
_ERROR_LINK = re.compile(r"\s*For further information visit https://errors\.pydantic\.dev/[^\s\"\\]*")


def request_key(endpoint_kind: str, path: str, body: dict) -> str:
    canonical = json.dumps({"endpoint_kind": endpoint_kind, "path": path, "body": body}, ensure_ascii=False,
                           sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(_ERROR_LINK.sub("", canonical).encode("utf-8")).hexdigest()


class _Retryable(Exception):
    def __init__(self, response: httpx.Response):
        self.response = response


def _retry_after(state: RetryCallState) -> float:
    """Honour the server's Retry-After (seconds or an HTTP date); otherwise back off exponentially."""
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, _Retryable):
        header = exc.response.headers.get("retry-after")
        if header:
            try:
                return max(0.0, min(float(header), 60.0))
            except ValueError:
                try:
                    return max(0.0, min(parsedate_to_datetime(header).timestamp() - time.time(), 60.0))
                except (TypeError, ValueError):
                    pass
    return min(0.5 * 2 ** (state.attempt_number - 1), 20.0)


class RecordingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport | None, *, endpoint_kind: str, mode: str,
                 cache=None, recordings: Path | None = None, record: bool = False, http_retries: int = 3,
                 scrubber: Scrubber | None = None):
        self.inner = inner
        self.scrubber = scrubber if scrubber is not None else Scrubber()
        self.endpoint_kind = endpoint_kind
        self.mode = mode
        self.cache = cache
        self.recordings = recordings
        self.record = record
        self.http_retries = max(1, http_retries)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        key = request_key(self.endpoint_kind, request.url.path, body)
        started = time.perf_counter()
        if self.mode in ("use", "replay"):
            stored, source = self._lookup(key)
            if stored is not None:
                return self._log(key, source, started, httpx.Response(200, json=stored["response"], request=request))
        if self.mode == "replay" or self.inner is None:
            raise ReplayMiss(key)
        self.scrubber.add(request.headers.get("authorization"))
        response, attempts = await self._send(request)
        response = await self._scrubbed(response, request)
        if response.status_code == 200:
            try:
                self._store(key, body, response.json())
            except ValueError:
                pass  # not JSON: nothing worth keeping; the client reports it
        return self._log(key, "network", started, response, attempts)

    async def _scrubbed(self, response: httpx.Response, request: httpx.Request) -> httpx.Response:
        """The response with every secret taken out of its body (a server may echo the key, in an error or not)."""
        await response.aread()
        clean = self.scrubber.bytes(response.content)
        if clean == response.content:
            return response
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-encoding", "content-length")]
        return httpx.Response(response.status_code, headers=headers, content=clean, request=request)

    async def _send(self, request: httpx.Request) -> tuple[httpx.Response, int]:
        def retryable(exc: BaseException) -> bool:
            return isinstance(exc, (_Retryable, httpx.TimeoutException, httpx.NetworkError))

        attempts = 0
        try:
            async for attempt in AsyncRetrying(stop=stop_after_attempt(self.http_retries), wait=_retry_after,
                                               retry=retry_if_exception(retryable), reraise=True):
                with attempt:
                    attempts += 1
                    response = await self.inner.handle_async_request(request)
                    if response.status_code in RETRY_STATUSES:
                        await response.aread()
                        raise _Retryable(response)
                    return response, attempts
        except _Retryable as exc:
            return exc.response, attempts  # retries exhausted: the OpenAI client raises the matching error
        raise AssertionError("unreachable")  # pragma: no cover

    def _lookup(self, key: str) -> tuple[dict | None, str]:
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                return hit, "cache"
        if self.recordings is not None:
            path = self.recordings / f"{key}.json"
            if path.is_file():
                return json.loads(path.read_text(encoding="utf-8")), "recording"
        return None, ""

    def _store(self, key: str, body: dict, response: dict) -> None:
        log = CURRENT_LOG.get()
        entry = {"key": key, "endpoint_kind": self.endpoint_kind, "model": body.get("model"),
                 "document": log.document if log else "", "section_id": log.section_id if log else "",
                 "request": body, "response": response}
        if self.cache is not None and self.mode in ("use", "refresh"):
            self.cache.set(key, entry)
        if self.record and self.recordings is not None:
            from ..export import write_atomic

            write_atomic(self.recordings / f"{key}.json", json.dumps(entry, ensure_ascii=False, indent=1) + "\n")

    def _log(self, key: str, source: str, started: float, response: httpx.Response, attempts: int = 1) -> httpx.Response:
        log = CURRENT_LOG.get()
        if log is not None:
            usage = {}
            if response.status_code == 200:
                try:
                    usage = json.loads(response.content).get("usage") or {}
                except (ValueError, httpx.ResponseNotRead):
                    usage = {}
            log.calls.append(CallRecord(key=key, source=source, status=response.status_code,
                                        prompt_tokens=int(usage.get("prompt_tokens") or 0),
                                        completion_tokens=int(usage.get("completion_tokens") or 0),
                                        seconds=round(time.perf_counter() - started, 3), attempts=attempts))
        return response

    async def aclose(self) -> None:
        if self.inner is not None:
            await self.inner.aclose()

"""A fake OpenAI-compatible server of our own, on loopback, for fault tests.

A real HTTP server on 127.0.0.1 (not a mock transport): the client under test
opens real connections. Answers are scripted per request; every answer it
gives is a hand-written fixture (model "fixture"), never a model's output.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def completion(body: dict, answer: dict | str, usage=(100, 20)) -> dict:
    """A chat completion carrying ``answer`` the way the request asked for it (tool call or JSON content)."""
    content = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    message: dict = {"role": "assistant", "content": content}
    if body.get("tools"):
        name = body["tools"][0]["function"]["name"]
        message = {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_fixture", "type": "function", "function": {"name": name, "arguments": content}}]}
    return {
        "id": "chatcmpl-fixture", "object": "chat.completion", "created": 0, "model": "fixture",
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if body.get("tools") else "stop"}],
        "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
    }


class FakeOpenAI:
    """Scripted answers: ``enqueue`` step functions, or set ``responder`` for every request."""

    def __init__(self, delay: float = 0.0):
        self.script: deque = deque()
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.responder: Callable[[dict], dict | str] | None = None
        self.delay = delay
        self.in_flight = self.max_in_flight = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> "FakeOpenAI":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def enqueue(self, *steps) -> None:
        self.script.extend(steps)

    # Steps: each returns (status, headers, body bytes) or sleeps first.
    @staticmethod
    def answer(obj: dict | str):
        return lambda body: (200, {}, json.dumps(completion(body, obj)).encode())

    @staticmethod
    def status(code: int, headers: dict | None = None, message: str = "fixture error"):
        return lambda body: (code, headers or {}, json.dumps({"error": {"message": message, "type": "fixture"}}).encode())

    @staticmethod
    def hang(seconds: float):
        def step(body):
            time.sleep(seconds)
            return 200, {}, json.dumps(completion(body, {})).encode()
        return step

    @staticmethod
    def not_json():
        return lambda body: (200, {"content-type": "application/json"}, b"{this is not json")

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                with fake._lock:
                    fake.requests.append(body)
                    fake.headers.append(dict(self.headers))
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                    step = fake.script.popleft() if fake.script else None
                try:
                    if fake.delay:
                        time.sleep(fake.delay)
                    if step is None:
                        answer = fake.responder(body) if fake.responder else {}
                        step = FakeOpenAI.answer(answer)
                    status, headers, payload = step(body)
                    self.send_response(status)
                    self.send_header("content-type", headers.pop("content-type", "application/json"))
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

        return Handler

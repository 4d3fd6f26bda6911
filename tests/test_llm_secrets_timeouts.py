"""The LLM path against hostile and dead servers on loopback: the key never leaks, a dead server costs bounded time.

Every answer is a hand-written fixture (model "fixture"). The echoing server sends the Authorization
value back in error bodies and in answers; the silent server accepts connections and never says a word.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

from conftest import DOCS, ROOT
from fake_openai import FakeOpenAI
from test_llm_faults import read_one

KEY = "sk-live-7Qw9ZsecretKEYe3Rt5Yu1"


class Silent:
    """A server that accepts every connection and never answers (nor closes)."""

    def __enter__(self) -> "Silent":
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()
        return self

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)

    def __exit__(self, *exc) -> None:
        self.sock.close()
        for conn in self.conns:
            conn.close()


def _cli(*args, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BUDGET_EXTRACT_"))}
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**clean, **env})


# -- secrets ------------------------------------------------------------------------------------------------


def _echoing(fake: FakeOpenAI):
    """Answers that carry the Authorization value back: in 401, 500 and 400 bodies, and inside answers."""
    count = {"n": 0}

    def step(body):
        auth = {k.lower(): v for k, v in fake.headers[-1].items()}.get("authorization", "")
        key = auth.split(" ", 1)[-1]
        count["n"] += 1
        kind = count["n"] % 4
        if kind == 0:
            return 401, {}, json.dumps({"error": {"message": f"Incorrect API key provided: {key}",
                                                  "type": "invalid_request_error"}}).encode()
        if kind == 1:
            return 500, {}, f"internal error while serving {auth} (key {key})".encode()
        if kind == 2:
            return 400, {"x-echo": auth}, json.dumps({"error": {"message": f"bad request from {auth}"}}).encode()
        answer = {"rows": [{"label": f"合计 {key}", "total": "2145"}], "note": f"authorized by {auth}"}
        return FakeOpenAI.answer(answer)(body)

    return step


def _files_with(root: Path, needle: bytes) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if needle in data:
            hits.append(str(path.relative_to(root)))
        if path.suffix == ".xlsx":  # compressed XML: look inside
            with zipfile.ZipFile(path) as z:
                hits += [f"{path.name}:{n}" for n in z.namelist() if needle in z.read(n)]
        if path.suffix in (".sqlite", ".db") or path.name.startswith("cache.db"):
            try:
                db = sqlite3.connect(path)
                for (sql,) in db.execute("SELECT 'x'"):
                    pass
                db.close()
            except sqlite3.Error:
                pass
    return hits


def test_an_echoed_key_is_in_no_file_and_no_output(tmp_path):
    out, cache, rec = tmp_path / "out", tmp_path / "cache", tmp_path / "rec"
    outputs = []
    with FakeOpenAI() as fake:
        fake.responder = None
        steps = [_echoing(fake)] * 400
        fake.enqueue(*steps)
        env = {"OPENAI_API_KEY": KEY, "BUDGET_EXTRACT_MODEL": "fixture", "OPENAI_BASE_URL": fake.base_url,
               "BUDGET_EXTRACT_ENDPOINT_KIND": "fixture"}
        proc = _cli("run", DOCS["003"], "--out", out, "--backend", "llm", "--cache", "use", "--cache-dir", cache,
                    "--record", "--recordings", rec, "--max-retries", "1", "--timeout", "5", env=env)
        outputs.append(proc.stdout + proc.stderr)
        assert len(fake.requests) >= 20
        assert {k.lower(): v for k, v in fake.headers[0].items()}["authorization"] == f"Bearer {KEY}"
    assert "Traceback" not in proc.stderr
    result = json.loads((out / f"{DOCS['003'].stem}.json").read_text(encoding="utf-8"))
    notes = [s["note"] or "" for s in result["sections"]]
    assert any("[redacted]" in n for n in notes)  # the errors are kept, without the key
    for args in (["review", "list", "--db", out, "--status", "all"], ["review", "list", "--db", out, "--json"],
                 ["export", out, "--what", "flags", "--format", "csv", "-o", tmp_path / "flags.csv"],
                 ["export", out, "--format", "csv", "-o", tmp_path / "facts.csv"],
                 ["export", out, "--what", "flags"], ["export", out, "--format", "xlsx", "-o", tmp_path / "all.xlsx"],
                 ["export", out, "--format", "sqlite", "-o", tmp_path / "all.sqlite"],
                 ["report", out, "-o", tmp_path / "report"]):
        done = _cli(*args, env={})
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout + done.stderr)
    unread = json.loads(_cli("review", "list", "--db", out, "--json", "--check", "completeness.unread",
                             env={}).stdout)
    for flag in unread[:3]:
        outputs.append(_cli("review", "show", flag["id"], "--db", out, env={}).stdout)
    assert any("[redacted]" in o for o in outputs)
    assert [o for o in outputs if KEY in o] == []
    assert _files_with(tmp_path, KEY.encode()) == []
    assert _files_with(tmp_path, KEY[3:].encode()) == []  # not even the key without its prefix


def test_the_scrubber_takes_out_the_key_and_any_authorization_value():
    from extractor.llm.secrets import Scrubber

    scrub = Scrubber(KEY)
    scrub.add("Bearer other-token-123456")
    assert scrub.text(f"x {KEY} y Bearer other-token-123456 z") == "x [redacted] y [redacted] z"
    assert scrub.bytes(KEY.encode() + b"!") == b"[redacted]!"
    assert Scrubber(None).text("nothing to hide") == "nothing to hide"


# -- timeouts -----------------------------------------------------------------------------------------------


def _warm(silent, tmp_path) -> None:
    """Imports and the first document read happen once per process: out of the timings below."""
    read_one(silent, tmp_path, timeout=0.05, http_retries=1, section_deadline=5)


def test_a_server_that_never_answers_costs_the_timeout_times_the_attempts(tmp_path):
    with Silent() as silent:
        _warm(silent, tmp_path)
        started = time.perf_counter()
        outcome = read_one(silent, tmp_path, timeout=0.4, http_retries=2, section_deadline=60)
        elapsed = time.perf_counter() - started
    # Two attempts of 0.4 s and one back-off of 0.5 s between them.
    assert not outcome.filled and "Timeout" in outcome.error
    assert 0.8 <= elapsed < 0.4 * 2 + 0.5 + 1.5, elapsed
    assert [c.attempts for c in outcome.calls] in ([], [2])


def test_the_section_deadline_cuts_every_retry_short(tmp_path):
    with Silent() as silent:
        _warm(silent, tmp_path)
        started = time.perf_counter()
        outcome = read_one(silent, tmp_path, timeout=1.0, http_retries=10, section_deadline=1.5)
        elapsed = time.perf_counter() - started
    assert not outcome.filled and "deadline of 1.5 s" in outcome.error
    assert 1.4 <= elapsed < 1.5 + 1.0, elapsed


def test_run_against_a_dead_server_is_bounded_by_the_settings(tmp_path):
    """001 (17 sections for the model) against a server that never answers, 8 sections at a time."""
    def run(deadline: str, out: str) -> tuple[float, dict]:
        env = {"BUDGET_EXTRACT_MODEL": "fixture", "OPENAI_BASE_URL": silent.base_url,
               "BUDGET_EXTRACT_ENDPOINT_KIND": "fixture", "BUDGET_EXTRACT_TIMEOUT": "0.3"}
        started = time.perf_counter()
        proc = _cli("run", DOCS["001"], "--out", tmp_path / out, "--backend", "llm", "--cache", "off",
                    "--max-retries", "1", "--section-deadline", deadline, "--concurrency", "8", env=env, timeout=120)
        assert "Traceback" not in proc.stderr
        return time.perf_counter() - started, json.loads((tmp_path / out / f"{DOCS['001'].stem}.json")
                                                         .read_text(encoding="utf-8"))

    with Silent() as silent:
        # What the run costs besides waiting (starting Python, loading the model client, reading 001)…
        overhead, _ = run("0.01", "instant")
        # …and with each section allowed 1 s: 2 attempts × 0.3 s + 0.5 s back-off would be 1.1 s.
        elapsed, result = run("1", "out")
    unfilled = [s for s in result["sections"] if s["status"] == "unfilled"]
    assert len(unfilled) == 17
    assert all("Timeout" in s["note"] or "deadline" in s["note"] for s in unfilled)
    # 17 sections, 8 at a time: 3 rounds of at most 1 s.
    assert elapsed - overhead < 3 * 1.0 + 1.5, (elapsed, overhead)
    print(f"001 against a server that never answers: {elapsed:.1f} s, of which {overhead:.1f} s not waiting; "
          f"{len(unfilled)} sections unfilled")

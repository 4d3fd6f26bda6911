"""budget-extract: load → chunk → extract (rules | llm) → verify → review → export."""

__version__ = "0.1.0"

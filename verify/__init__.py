"""The deterministic verifier (grounding, arithmetic, cross-table checks) — filled by the verifier issue.

It depends on ``schemas`` only, so it can re-check a result that a person or a model edited.
"""

"""Deciding many flags alike: `review accept|reject --check C [--document D] [--where …]`.

The selection is worked out first and shown (a dry run); deciding records one
decision per flag in the trail, exactly as deciding each by its id would, and
re-verifies each document once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemas import Decision, Flag

from .service import EXIT_USAGE, ReviewError, _plan, _record, flag_changes, heal, load_result, resettle, source_text
from .store import QueuedFlag, ReviewStore

NEEDS_REVIEW = ("open", "stale")

# --where KEY=VALUE (equal) or KEY~TEXT (contains); several are all required.
WHERE_KEYS = {
    "severity": "error or warning",
    "status": "open or stale",
    "table": "a table kind: the flag involves a value of it (expenditure_summary)",
    "column": "a column key: the flag involves a value in it (project)",
    "row": "a row key: the flag involves a value of it (2101501, total)",
    "field": "a value's key (expenditure_summary[2101501].project)",
    "message": "the message, Chinese or English",
}
_WHERE = re.compile(r"^\s*([a-z_]+)\s*([=~])\s*(.*?)\s*$")


@dataclass(frozen=True)
class Condition:
    key: str
    op: str  # "=" or "~"
    value: str

    def holds(self, flag: Flag) -> bool:
        if self.key in ("severity", "status"):
            return self._test(getattr(flag, self.key))
        if self.key == "message":
            return self._test(flag.message) or self._test(flag.message_en)
        return any(self._test(part) for ref in flag.fields for part in [_path_part(ref.path, self.key)] if part)

    def _test(self, text: str | None) -> bool:
        text = text or ""
        return self.value in text if self.op == "~" else text == self.value


def _path_part(path: str, key: str) -> str | None:
    m = re.match(r"^([a-z_]+)(?:#\d+)?\[(.*)\]\.(.+)$", path)
    if key == "field":
        return path
    if not m:
        return None
    return {"table": m.group(1), "row": m.group(2), "column": m.group(3)}[key]


def parse_where(expressions: list[str]) -> list[Condition]:
    out = []
    for expr in expressions:
        m = _WHERE.match(expr)
        if not m or m.group(1) not in WHERE_KEYS:
            keys = "; ".join(f"{k}: {v}" for k, v in WHERE_KEYS.items())
            raise ReviewError(f"--where {expr!r}: write KEY=VALUE (equal) or KEY~TEXT (contains), KEY one of — "
                              f"{keys}", EXIT_USAGE)
        out.append(Condition(*m.groups()))
    return out


@dataclass
class BulkPlan:
    action: str
    chosen: list[QueuedFlag] = field(default_factory=list)
    skipped: list[tuple[QueuedFlag, str]] = field(default_factory=list)  # selected, but the action does not fit


@dataclass
class BulkOutcome:
    plan: BulkPlan
    decisions: list[Decision] = field(default_factory=list)
    statuses: dict[tuple[str, str], str | None] = field(default_factory=dict)  # (document, flag id) -> status now
    closed: list[tuple[str, Flag]] = field(default_factory=list)  # other flags the decisions closed
    opened: list[tuple[str, Flag]] = field(default_factory=list)


def plan_bulk(store: ReviewStore, action: str, check: str, document: str | None = None,
              where: list[Condition] = (), all_fields: bool = False) -> BulkPlan:
    """The flags needing review that the filters select, and for each whether the action fits it."""
    heal(store)
    plan = BulkPlan(action)
    queue = [q for q in store.queue(document=document, check=check, statuses=NEEDS_REVIEW)
             if all(c.holds(q.flag) for c in where)]
    results: dict[str, object] = {}
    for q in queue:
        if q.document not in results:
            results[q.document] = load_result(store.document(q.document).result)
        try:
            _plan(results[q.document], q.flag, action, [], all_fields, None)
        except ReviewError as exc:
            plan.skipped.append((q, str(exc)))
            continue
        plan.chosen.append(q)
    return plan


def decide_bulk(store: ReviewStore, plan: BulkPlan, *, all_fields: bool = False, reviewer: str | None = None,
                note: str | None = None) -> BulkOutcome:
    """Record one decision per chosen flag (each document's in one transaction), then re-verify each document."""
    heal(store)
    outcome = BulkOutcome(plan)
    by_document: dict[str, list[str]] = {}
    for q in plan.chosen:
        by_document.setdefault(q.document, []).append(q.id)
    for name, ids in by_document.items():
        with store.transaction():
            doc = store.document(name)
            result = load_result(doc.result)
            text = source_text(result, doc.source, doc.result)
            before = {f.id: f for f in result.flags}
            for fid in ids:
                flag = before.get(fid)
                if flag is None or flag.status not in NEEDS_REVIEW:
                    continue  # decided since the dry run, or gone with a rerun
                steps = _plan(result, flag, plan.action, [], all_fields, None)
                outcome.decisions += _record(store, result, flag, plan.action, steps, reviewer, note)
        result = resettle(store, name, result, text)
        after = {f.id: f for f in result.flags}
        for fid in ids:
            outcome.statuses[(name, fid)] = after[fid].status if fid in after else None
        closed, opened = flag_changes(before, after, set(ids))
        outcome.closed += [(name, f) for f in closed]
        outcome.opened += [(name, f) for f in opened]
    return outcome

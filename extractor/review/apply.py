"""Stage 5 — review: apply people's decisions to a verified result.

Pure: a result, its document's text and the decisions recorded for the
document go in; the result comes out with corrections in place, re-verified,
and every flag carrying its status. The decisions are judged and applied in
the order they were made, each on the result as the earlier ones left it: a
move (a value the reader put in the wrong column) changes the reading, a fix
the value. The same inputs always give the same output, so a rerun re-applies
decisions exactly, and a decision whose values the document no longer has is
marked stale instead of being applied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from schemas import Correction, Decision, ExtractionResult, FieldRef, Flag, Row, Table, spec_for
from verify import verify_result
from verify.cards import INDICATOR_FLAGS, indicator_key, indicator_key_by_place
from verify.flags import flag_id_for, stable_path, subject_for
from verify.grounding import Slot, amount_slots
from verify.values import card_aliases, view_tables

CORRECTABLE_HINT = "only values read from the tables and cards can be corrected"


@dataclass
class DecisionState:
    """The decisions in force: the latest per flag, the latest fix or reject per value, and the moves."""

    by_flag: dict[str, Decision] = field(default_factory=dict)  # subject -> decision
    by_field: dict[str, Decision] = field(default_factory=dict)  # path -> fix / reject
    moves: list[Decision] = field(default_factory=list)  # in the order made: a later move may move a moved value

    def all(self) -> list[Decision]:
        seen = {d.seq: d for d in (*self.by_flag.values(), *self.by_field.values(), *self.moves)}
        return [seen[k] for k in sorted(seen)]


def fold(decisions: Iterable[Decision]) -> DecisionState:
    """Replay the trail in order; a later decision on the same flag or value replaces an earlier one."""
    state = DecisionState()
    for d in sorted(decisions, key=lambda d: d.seq):
        if d.action == "reopen":
            state.by_flag.pop(d.subject, None)
            for path in [p for p, f in state.by_field.items() if f.subject == d.subject]:
                del state.by_field[path]
            state.moves = [m for m in state.moves if m.subject != d.subject]
            continue
        state.by_flag[d.subject] = d
        if d.action in ("fix", "reject") and d.field:
            state.by_field[d.field] = d
        if d.action == "move":
            state.moves.append(d)
    return state


def undone_moves(decisions: Iterable[Decision]) -> set[int]:
    """The moves a later reopen took back (their hints go with them)."""
    made = {d.seq for d in decisions if d.action == "move"}
    return made - {d.seq for d in fold(decisions).moves}


def slots_by_path(result: ExtractionResult) -> dict[str, Slot]:
    return {slot.path: slot for slot in amount_slots(result)}


def read_values(result: ExtractionResult, figures: dict[str, str] | None = None) -> dict[str, str]:
    """Every named value of a result as the document says it (corrections undone), at the path it has now.

    ``figures``: the values of the explanation text the flags name (by default, those of ``result.flags``).
    """
    slots = slots_by_path(result)
    values = dict(narrative_figures(result, slots) if figures is None else figures)
    values.update((path, str(slot.amount.value)) for path, slot in slots.items())
    for c in result.corrections:
        if c.path in slots:
            values[c.path] = str(c.original.value)
    return values


def is_explanation_figure(path: str) -> bool:
    """Whether a flag's field is a figure of the explanation text (the verifier names them
    ``narrative[claim id]``): read by the verifier, it has no table or card slot to correct."""
    return path.startswith("narrative[")


def narrative_figures(result: ExtractionResult, slots: dict[str, Slot] | None = None) -> dict[str, str]:
    """The figures the flags name that are not a table's or a card's value (the explanation text's)."""
    slots = slots_by_path(result) if slots is None else slots
    return {ref.path: ref.value for flag in result.flags for ref in flag.fields if ref.path not in slots}


def source_values(result: ExtractionResult, refs: Iterable[FieldRef]) -> dict[str, str | None]:
    """What the document says at each field a flag involves, to record with a decision."""
    originals = {c.path: str(c.original.value) for c in result.corrections}
    return {ref.path: originals.get(ref.path, ref.value) for ref in refs}


def _same(was: str | None, now: str | None) -> bool:
    if was is None or now is None:
        return was == now
    return Decimal(was) == Decimal(now)


def _staleness(d: Decision, values: dict[str, str]) -> str | None:
    changed = []
    for path, was in d.values.items():
        now = values.get(path)
        if path not in values or not _same(was, now):
            changed.append(f"{path}: {was} → {now if now is not None else 'no longer read'}")
    if d.field and d.field not in values:
        changed.append(f"{d.field}: no longer read")
    return "; ".join(dict.fromkeys(changed)) or None


def restore_originals(result: ExtractionResult) -> None:
    """Undo the corrections and moves a result carries, back to what the readers read: last first, each undone
    on the result as the later ones left it."""
    if not result.corrections:
        return
    rows = rows_by_key(result)
    slots = None
    for c in reversed(result.corrections):
        if c.moved_from:
            _put_back(rows, c)
            slots = None  # the value is back where it was read: paths changed
            continue
        if slots is None:
            slots = slots_by_path(result)
        if c.path in slots:
            slots[c.path].put(c.original)
    result.corrections = []


def rows_by_key(result: ExtractionResult) -> dict[str, tuple[Table, Row]]:
    """Each table row by the key its values' paths start with: ``expenditure_summary[2101501]``."""
    return {f"{view.name}[{key}]": (view.table, row) for view in view_tables(result) for key, row in view.rows}


def split_path(path: str) -> tuple[str, str]:
    """``kind[row].column`` → (``kind[row]``, ``column``)."""
    head, _, column = path.rpartition("].")
    return head + "]", column


def _put_back(rows: dict[str, tuple[Table, Row]], c: Correction) -> None:
    key, column = split_path(c.path)
    _, source = split_path(c.moved_from)
    if key not in rows:
        return
    row = rows[key][1]
    amount = row.values.pop(column, None)
    if amount is not None:
        row.values[source] = amount
    if c.alternatives:
        row.alternatives = list(c.alternatives)


def stable_paths(result: ExtractionResult) -> dict[str, str]:
    """A card's key in the result's paths (its section) → its key by identity, as the trail records card paths."""
    return card_aliases(result.cards, result.corrections)


def to_stable(path: str | None, aliases: dict[str, str]) -> str | None:
    return stable_path(path, aliases) if path else path


def current_paths(d: Decision, back: dict[str, str]) -> Decision:
    """A decision of the trail with its card paths (recorded by the card's identity) as this reading keys them."""
    if not back:
        return d
    return d.model_copy(update={"field": to_stable(d.field, back),
                                "values": {stable_path(p, back): v for p, v in d.values.items()}})


def in_terms_of(result: ExtractionResult, decisions: Iterable[Decision]) -> list[Decision]:
    """The trail's decisions as this reading of the document keys its values and flags.

    A card's decision is recorded by the card's identity (and its indicators by name) and mapped to its section
    here. A decision on a card made before cards were keyed so (its paths and subject by section) is taken up on
    the version it was made on: its subject is made again by the card's identity, as the flags' now are. One made
    before indicators were keyed by name (``indicators[3]``) keeps meaning the indicator at that place: its subject
    is made again with the name this reading prints there."""
    aliases = stable_paths(result)
    back = {v: k for k, v in aliases.items()}
    sha = result.document.sha256
    decisions = list(decisions)
    # (Worked out only for a trail holding decisions with no values: most hold none such, or no decision at all.)
    by_place = _indicator_subjects_by_place(result, aliases) if any(not d.values for d in decisions) else {}
    out = []
    for d in decisions:
        if not d.values and d.subject in by_place:
            d = d.model_copy(update={"subject": by_place[d.subject]})
        recorded_so = d.values and subject_for(d.check, "", sorted(d.values)) == d.subject
        if recorded_so and d.document_sha256 == sha and any(stable_path(p, aliases) != p for p in d.values):
            d = d.model_copy(update={"subject": subject_for(d.check, "", sorted(d.values), aliases)})
        elif recorded_so and any(_INDICATOR_BY_PLACE.search(p) and stable_path(p, back) != p for p in d.values):
            named = sorted(stable_path(stable_path(p, back), aliases) for p in d.values)
            d = d.model_copy(update={"subject": subject_for(d.check, "", named)})
        out.append(current_paths(d, back))
    return out


_INDICATOR_BY_PLACE = re.compile(r"\]\.indicators\[\d+\]")


def _indicator_subjects_by_place(result: ExtractionResult, aliases: dict[str, str]) -> dict[str, str]:
    """The subject a flag on an indicator itself (``card.indicator_value``, ``card.indicator_name``: no value to name)
    had when it was keyed by the card's section and the indicator's place → its subject now, by the card's identity
    and the indicator's name. A decision recorded so keeps meaning the indicator at that place."""
    out = {}
    for card in result.cards:
        for i in range(len(card.indicators)):
            for check, suffix in INDICATOR_FLAGS.items():
                old = subject_for(check, indicator_key_by_place(card, i) + suffix, [])
                out[old] = subject_for(check, indicator_key(card, i) + suffix, [], aliases)
    return out


def apply_decisions(result: ExtractionResult, text: str, decisions: Iterable[Decision]) -> ExtractionResult:
    """Re-verify ``result`` with the decisions in force; updates and returns it.

    The trail keys card values by the card's identity (``performance_target[项目编码]``), the result by its
    section: a card keeps its decisions when a table is added before it."""
    decisions = in_terms_of(result, decisions)
    # A result straight from the verifier is not verified twice; one that has been reviewed before is.
    reverify = bool(result.corrections) or not result.verified or any(
        f.status != "open" or f.check == "review.stale" for f in result.flags)
    restore_originals(result)
    if reverify:
        verify_result(result, text)
    result.decisions = []
    if not decisions:
        result.flags = [f.model_copy(update={"status": "open", "decision": None}) if f.status != "open" else f
                        for f in result.flags]
        return result
    state = fold(decisions)
    raw_flags = {f.subject: f for f in result.flags}
    judged = _apply_in_order(result, state, text)
    _stale_by_later_corrections(decisions, state, judged)
    if result.corrections:
        verify_result(result, text)
    flags = [_with_status(f, state, judged) for f in result.flags]
    live = {f.subject for f in flags}
    for subject, flag in raw_flags.items():
        if subject not in live:  # closed by a correction or a move
            flags.append(flag.model_copy(update={"status": "corrected", "decision": _closing(flag, state, judged)}))
    slots = slots_by_path(result)
    flags += [_with_status(f, state, judged, unsettled="stale")
              for f in _stale_without_flag(result, judged, raw_flags, slots)]
    result.flags = flags
    result.decisions = [judged[k] for k in sorted(judged)]
    return result


def _apply_in_order(result: ExtractionResult, state: DecisionState, text: str) -> dict[int, Decision]:
    """Each decision in force, in the order made, judged on the result as the earlier ones left it and then
    applied: a second move in a row finds the column the first emptied, a move carries a value fixed before it,
    a fix finds a value where a move put it. Returns each decision as judged (stale or not)."""
    judged: dict[int, Decision] = {}
    rows = rows_by_key(result)
    figures = narrative_figures(result)
    # What the document prints at each path, as the reading now stands. A fix leaves it as it is (a corrected
    # path maps to the value printed there); a move changes the paths, so both are made again after one.
    slots = slots_by_path(result)
    values = read_values(result, figures)
    for d in state.all():
        if d.action == "move":
            judged[d.seq] = _judge_move(d, rows, values, text if d.document_sha256 != result.document.sha256 else None)
            if not judged[d.seq].stale and _apply_move(result, d, rows):
                slots = slots_by_path(result)
                values = read_values(result, figures)
            continue
        judged[d.seq] = _judge(d, values)
        if d.action == "fix" and state.by_field.get(d.field) is d and not judged[d.seq].stale:
            _apply_fix(result, d, slots)
    return judged


def _stale_by_later_corrections(trail: list[Decision], state: DecisionState, judged: dict[int, Decision]) -> None:
    """An acceptance or a rejection applies only while the values it was made on are what they were.

    A person's later correction of one of them (a fix, a withdrawal, a move, or one of those taken back)
    makes it stale, as a new version of the document does: the flag needs review again, whatever the order
    the decisions were made in. Fixes and moves are corrections of the reading and compose; they are not
    made stale by one another (a fix replaced by a later fix of the same value is simply no longer in force).
    """
    # Per flag, its latest acceptance or rejection in force: the flag's own decision, or a withdrawal still in
    # force after the flag got another decision (a value rejected, then another of its values fixed through it).
    latest: dict[str, Decision] = {}
    for d in state.all():
        if d.action in ("accept", "reject"):
            latest[d.subject] = d
    for subject, d in latest.items():
        if judged[d.seq].stale or (reason := _later_change(trail, state, d)) is None:
            continue
        for seq, j in judged.items():
            if j.subject == subject and j.action in ("accept", "reject") and not j.stale:
                judged[seq] = j.model_copy(update={"stale": True, "stale_reason": reason})


def _later_change(trail: list[Decision], state: DecisionState, d: Decision) -> str | None:
    """How the values ``d`` was made on differ now from when it was made, by decisions of the trail; or None."""
    then = fold(x for x in trail if x.seq <= d.seq)
    paths = set(d.values)

    def shown(path: str, c: Decision | None) -> str:
        if c is None:
            return f"{d.values.get(path)} as read"
        if c.action == "reject":
            return f"withdrawn (decision #{c.seq})"
        return f"{c.after} (corrected, decision #{c.seq})"

    changes = []
    for path in sorted(paths):
        was, now = then.by_field.get(path), state.by_field.get(path)
        if now is not None and now.subject == d.subject and now.action == "reject":
            continue  # the same judgement, one more value withdrawn through the same flag
        if (was and was.seq) != (now and now.seq) and _effect(was) != _effect(now):
            changes.append(f"{path}: {shown(path, was)} when decided → {shown(path, now)}")
    made_then, made_now = {m.seq for m in then.moves}, {m.seq for m in state.moves}
    for m in (x for x in trail if x.action == "move" and (x.seq in made_then) != (x.seq in made_now)):
        targets = {f"{split_path(v)[0]}.{m.after}" for v in m.values}
        for path in sorted(paths & (set(m.values) | targets)):
            changes.append(f"{path}: moved to column {m.after} by decision #{m.seq}" if m.seq in made_now
                           else f"{path}: the move of decision #{m.seq} was taken back")
    if not changes:
        return None
    return "a later correction changed a value it was decided on: " + "; ".join(dict.fromkeys(changes))


def _effect(c: Decision | None) -> tuple:
    if c is None:
        return ("read",)
    if c.action == "reject":
        return ("withdrawn",)
    return ("fixed", Decimal(c.after)) if c.after is not None else ("fixed", None)


def _judge_move(d: Decision, rows: dict[str, tuple[Table, Row]], values: dict[str, str],
                text: str | None = None) -> Decision:
    """A move applies while each value it moved is still read where it was, with nothing where it goes.

    ``rows`` and ``values`` are the reading as the earlier decisions left it (a second move in a row finds
    the column the first emptied). A value is compared as the document prints it (a fix made before the
    move does not make it stale). A value the reading already puts where the move says (a layout hint did)
    needs nothing; any other change makes the move stale.

    ``text``: another version of the document than the one the move was decided on. A move settles which column
    a figure is printed under where the printed row leaves it in doubt (a converter dropped its empty cells);
    where this version prints the row one cell per column with the figure under the column it is read in, the
    question the person answered is not asked here: the move is stale.
    """
    from .rows import plainly_under

    changed = []
    for path, was in d.values.items():
        key, column = split_path(path)
        table, row = rows[key] if key in rows else (None, None)
        now = row.values.get(column) if row else None
        there = row.values.get(d.after) if row else None
        if now is not None and there is None and _same(was, values.get(path)):
            if text is not None and plainly_under(text, table, row, column):
                changed.append(f"{path}: {was} is now printed plainly under {table.columns.get(column, column)} "
                               f"(the row prints one cell per column)")
            continue
        if now is None and there is not None and _same(was, values.get(f"{key}.{d.after}")):
            continue
        shown = values.get(path) if now is not None else "no longer read"
        changed.append(f"{path}: {was} → {shown}" + (f" ({d.after} holds {there.value})" if there is not None else ""))
    reason = "; ".join(changed) or None
    return d.model_copy(update={"stale": reason is not None, "stale_reason": reason})


def _apply_move(result: ExtractionResult, d: Decision, rows: dict[str, tuple[Table, Row]]) -> int:
    """A move in force: its values put in the column the document prints them under, as corrections."""
    n = 0
    fixed = {c.path: c.original for c in result.corrections if not c.moved_from}
    for path in d.values:
        key, column = split_path(path)
        table, row = rows[key]
        amount = row.values.get(column)
        if amount is None or d.after in row.values:
            continue  # already where the move puts it
        del row.values[column]
        row.values[d.after] = amount
        table.columns.setdefault(d.after, spec_for(table.kind).column(d.after).zh)
        # The person settled which column the row's figures are in: its other readings go. The correction
        # keeps the value as printed (a fix made before the move stays recorded at the path it was made on).
        result.corrections.append(Correction(path=f"{key}.{d.after}", original=fixed.get(path, amount), seq=d.seq,
                                             moved_from=path, alternatives=row.alternatives))
        row.alternatives = []
        n += 1
    return n


def _judge(d: Decision, values: dict[str, str]) -> Decision:
    reason = _staleness(d, values)
    return d.model_copy(update={"stale": reason is not None, "stale_reason": reason})


def _apply_fix(result: ExtractionResult, d: Decision, slots: dict[str, Slot]) -> None:
    """A fix in force: the person's value in place of the one read (the only fix of its value in force)."""
    if d.field not in slots:
        return
    original = slots[d.field].amount
    slots[d.field].put(original.model_copy(update={"value": Decimal(d.after), "raw": d.after, "backend": "person"}))
    result.corrections.append(Correction(path=d.field, original=original, seq=d.seq))


# A fix or a move that leaves its flag firing leaves it open: the other values still need a look.
_STATUS = {"accept": "accepted", "reject": "rejected", "fix": "open", "move": "open"}


def _with_status(flag: Flag, state: DecisionState, judged: dict[int, Decision], unsettled: str = "open") -> Flag:
    d = state.by_flag.get(flag.subject)
    if d is None:
        return flag.model_copy(update={"status": unsettled, "decision": flag.decision if unsettled == "stale" else None})
    d = judged[d.seq]
    status = "stale" if d.stale else _STATUS[d.action]
    return flag.model_copy(update={"status": status, "decision": d})


def _closing(flag: Flag, state: DecisionState, judged: dict[int, Decision]) -> Decision | None:
    """The correction that closed a flag: its own, or the latest one among the values it involved."""
    own = state.by_flag.get(flag.subject)
    if own is not None and own.action in ("fix", "move"):
        return judged[own.seq]
    paths = {ref.path for ref in flag.fields}
    fixes = [judged[d.seq] for p, d in state.by_field.items() if p in paths and d.action == "fix"]
    fixes += [judged[d.seq] for d in state.moves if paths & set(d.values) and not judged[d.seq].stale]
    return max(fixes, key=lambda d: d.seq, default=None)


def _stale_without_flag(result: ExtractionResult, judged: dict[int, Decision], raw: dict[str, Flag],
                        slots: dict[str, Slot]) -> list[Flag]:
    """A stale correction, rejection or move whose flag no longer fires is still shown, never dropped silently."""
    out = []
    for d in judged.values():
        if not d.stale or d.subject in raw or d.action not in ("fix", "reject", "move", "accept"):
            continue
        if d.action == "accept" and all(p in slots for p in d.values):
            continue  # the values it accepted are read and changed, and the flag no longer fires: nothing to ask
        # (an acceptance whose values are no longer read at all could not be carried over: said, not dropped)
        verb, verb_en = {"fix": ("更正为 " + (d.after or ""), f"corrected to {d.after}"),
                         "accept": ("接受", "accepted"),
                         "reject": ("剔除", "withdrawn"),
                         "move": (f"移至 {d.after} 列", f"moved to column {d.after}")}[d.action]
        paths = [d.field or ""] if d.action in ("fix", "reject") else list(d.values)
        refs = [FieldRef(path=slot.path, label=slot.where, value=str(slot.amount.value), span=slot.amount.span)
                for slot in (slots.get(p) for p in paths) if slot is not None]
        out.append(Flag(
            id=flag_id_for(result.document.sha256, result.document.name, "review.stale", str(d.seq), [d.field or ""]),
            subject=subject_for("review.stale", str(d.seq), [d.field or ""]), check="review.stale", severity="warning",
            message=(f"{d.field}: 此前审核时读作 {d.before}，已{verb}" if d.action != "accept" else
                     f"{d.check}（{', '.join(d.values)}）: 此前审核时已接受") +
                    f"；新版文件中该处已改变（{d.stale_reason}），该决定未应用，请重新审核",
            message_en=(f"{d.field}: read as {d.before} and {verb_en} in review" if d.action != "accept" else
                        f"{d.check} on {', '.join(d.values)}: accepted in review") +
                       f"; this version of the document changed it ({d.stale_reason}), so the decision is not "
                       f"applied — review it again",
            expected=d.after, found=refs[0].value if refs else None, fields=refs,
            spans=[list(r.span) for r in refs if r.span], decision=d,
        ))
    return out

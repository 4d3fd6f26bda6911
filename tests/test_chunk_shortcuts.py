"""The chunker's quick ways of answering a question give the answer the plain way gives, on many generated lines.

Each shortcut (stop 23's speed pass) replaces a scan of the whole line by one that looks where the answer can be; the
plain way is written out here as it was, so that a change to a pattern that breaks the shortcut shows.
"""

from __future__ import annotations

import random
import re

from extractor.chunk import _DATE_HINT, _NO_DATA, _SENTENCE_END, _last_sentence_end, _split_on_every_bar, split_lines
from extractor.load.markup import has_html_tables


def _lines(alphabet: str, count: int, longest: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)]


def test_last_sentence_end_is_where_the_last_stop_or_empty_table_note_ends():
    pieces = "。；;！？!?，,：:、 \t\u3000本表此该无数据为空列示项支出收入年度单位abc12"
    for line in _lines(pieces, 20000, 16, seed=23) + ["", "本表无数据", "注：本表无此项支出，", "部门收支总表"]:
        assert _last_sentence_end(line) == max((m.end() for m in _SENTENCE_END.finditer(line)), default=0), line


def test_every_empty_table_note_prints_one_of_the_characters_looked_for():
    for word in ("本表无数据", "为空", "空表列示", "无此项支出", "此表无此收入", "该表为空表"):
        assert _NO_DATA.fullmatch(word) and ("无" in word or "空" in word)


def test_date_hint_finds_what_the_full_date_pattern_finds():
    full = re.compile(r"\d{1,4}[/\-.]\d{1,2}[/\-.]\d{1,4}")
    for line in _lines("0123456789/-. a年", 20000, 12, seed=7) + ["2024/1/5 10:20", "1234.56", "7/20"]:
        assert bool(_DATE_HINT.search(line)) == bool(full.search(line)), line


def test_html_tables_told_as_a_lowered_copy_of_the_text_tells_them():
    for text in ("<TABLE><Td>1</td></Table>", "<table><th>a</th></table>", "<table></table>", "<td></td>",
                 "x <TaBlE> y </TABLE> <TH>", "\u212a<table>\u0130</table><td>", "plain text", "<tablé></table><td>"):
        low = text.lower()
        assert has_html_tables(text) == ("<table" in low and "</table>" in low and ("<td" in low or "<th" in low))


def test_outer_bar_rows_never_a_table_without_outer_bars():
    def plain_way(texts: list[str]) -> bool:
        from collections import Counter

        bare = Counter(t.count("|") + 1 for t in texts)
        bordered = Counter(t.count("|") - (1 if t.endswith("|") else 0) for t in texts if t.startswith("|"))
        return max(bare.values(), default=0) > max(bordered.values(), default=0)

    rng = random.Random(5)
    for _ in range(3000):
        rows = ["|".join(rng.choice(["", " a ", "12", "预算"]) for _ in range(rng.randint(1, 6)))
                for _ in range(rng.randint(2, 6))]
        rows = [rng.choice(["|", ""]) + r + rng.choice(["|", ""]) for r in rows]
        lines = split_lines("\n".join(rows))
        bar_rows = [line for line in lines if "|" in line.text]
        texts = [line.text.strip() for line in bar_rows if line.kind.value != "separator"]
        assert _split_on_every_bar(bar_rows) == plain_way(texts), rows


def test_furniture_look_ahead_only_skips_work():
    from extractor.chunk import _ANY_FURNITURE

    without = re.compile(_ANY_FURNITURE.pattern.replace("(?=(?s:.*)单位)", ""))
    assert without.pattern != _ANY_FURNITURE.pattern
    lines = _lines("局委办院中心厅 单位金额计量：:（(万元\t\nab12", 30000, 16, seed=11) + [
        "三河市医疗保障局  单位：万元", "三河市医疗保障局 金额单位：万元", "局  单位：万元", "医疗保障局\n单位(万元"]
    for line in lines:
        a, b = without.match(line), _ANY_FURNITURE.match(line)
        assert (a and a.span()) == (b and b.span()), line

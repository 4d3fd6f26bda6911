"""The canonical text of a PDF or a spreadsheet, and the map from its characters back to the page.

Text outside tables becomes lines; each table becomes rows of tab-separated cells,
every cell kept (an empty one is an empty string between tabs), a merged cell
written in its top-left position with empty cells for the rest. That is the
form the table reader reads from a tab-separated text file, so a PDF goes
through the same reader, and every span points into this text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from schemas import Run


@dataclass(slots=True)
class Glyph:
    """One printed character: its text, its box in the reading frame (for layout) and on the page (for people)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    box: tuple[float, float, float, float]  # x0, top, x1, bottom on the page as displayed
    confidence: float | None = None  # set when OCR read it

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


_NUMERIC = frozenset("0123456789.,-−")


class TextBuilder:
    """Appends text; records where every printed piece of it sits on its page."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.pos = 0
        self.runs: list[Run] = []
        self.ocr: list[tuple[int, int, float]] = []

    def write(self, text: str) -> None:
        """Text that was not printed as such (tabs, newlines, a space for a gap)."""
        self._parts.append(text)
        self.pos += len(text)

    def glyphs(self, glyphs: list[Glyph], page: int) -> None:
        """Printed characters, in order; a run per stretch of digits or of other characters."""
        start = self.pos
        run_start, run_box, run_numeric, run_conf = self.pos, None, None, None
        line = [0.0, 0.0]  # the run's line, in the reading frame: sideways text runs down the page
        for g in glyphs:
            numeric = g.text in _NUMERIC
            if run_box is not None and (numeric != run_numeric or not _same_line(line, g)):
                self._close(run_start, page, run_box, run_conf)
                run_start, run_box = self.pos, None
            if run_box is None:
                run_box, run_numeric, run_conf = list(g.box), numeric, g.confidence
                line = [g.top, g.bottom]
            else:
                line[0], line[1] = min(line[0], g.top), max(line[1], g.bottom)
                run_box[0], run_box[1] = min(run_box[0], g.box[0]), min(run_box[1], g.box[1])
                run_box[2], run_box[3] = max(run_box[2], g.box[2]), max(run_box[3], g.box[3])
                if g.confidence is not None:
                    run_conf = g.confidence if run_conf is None else min(run_conf, g.confidence)
            self.write(g.text)
        if run_box is not None:
            self._close(run_start, page, run_box, run_conf)
        return start

    def _close(self, start: int, page: int, box: list[float], conf: float | None) -> None:
        if self.pos <= start:
            return
        self.runs.append((start, self.pos, page, round(box[0], 1), round(box[1], 1), round(box[2], 1),
                          round(box[3], 1)))
        if conf is not None:
            self.ocr.append((start, self.pos, round(conf, 3)))

    def text(self) -> str:
        return "".join(self._parts)


def _same_line(line: list[float], glyph: Glyph) -> bool:
    return glyph.top < line[1] and line[0] < glyph.bottom


# Characters that PDF fonts map to radical or compatibility code points although the page shows the
# ordinary ideograph: the CJK Radicals Supplement (simplified forms), which NFKC leaves alone.
_RADICALS_SUPPLEMENT = {
    "⺠": "民", "⻅": "见", "⻆": "角", "⻈": "讠", "⻉": "贝", "⻋": "车", "⻏": "阝", "⻐": "钅", "⻑": "長",
    "⻓": "长", "⻔": "门", "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞",
    "⻝": "食", "⻠": "饣", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦",
    "⻩": "黄", "⻪": "黾", "⻬": "齐", "⻮": "齿", "⻰": "龙", "⻳": "龟", "⻁": "虎", "⻄": "西", "⺩": "王",
    "⺝": "月", "⺜": "日", "⺫": "目", "⺮": "竹", "⺶": "羊", "⺺": "聿", "⺽": "臼", "⺾": "艹", "⺿": "艹",
    "⻀": "艹", "⺆": "冂", "⺇": "几", "⺊": "卜", "⺖": "忄", "⺘": "扌", "⺙": "攵", "⺡": "氵", "⺣": "灬",
    "⺨": "犭", "⺬": "示", "⺭": "礻", "⺯": "糸", "⺰": "纟", "⺲": "罒", "⺹": "耂", "⻂": "衤", "⻊": "足",
    "⻌": "辶", "⻍": "辶", "⻎": "辶", "⺟": "母",
}


def fold_char(ch: str) -> str:
    """The ideograph a radical or compatibility code point stands for; anything else unchanged.

    Only these blocks are folded: Kangxi Radicals, the CJK Radicals Supplement, CJK Compatibility
    Ideographs (and their supplement), and vertical presentation forms. Full NFKC would also turn
    full-width digits and punctuation (（一）, ：, １２) into ASCII, changing text the tables and
    sentences print and that the readers match; those are kept as printed.
    """
    o = ord(ch)
    if 0x2F00 <= o <= 0x2FDF or 0xF900 <= o <= 0xFAFF or 0x2F800 <= o <= 0x2FA1F or 0xFE10 <= o <= 0xFE4F:
        folded = unicodedata.normalize("NFKC", ch)
        return folded if len(folded) == 1 else ch
    return _RADICALS_SUPPLEMENT.get(ch, ch)

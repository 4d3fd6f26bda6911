"""The cell model's answers are worked out once per line and handed out again (issue 13): a caller that changes
what it was given must not change what the next caller gets, and the column a word falls in stays the one the
plain definition gives."""

from extractor.cells import Cell, Token, column_of, split_cells, tokens
from extractor.chunk import Line, LineKind


def _line(text: str, kind: LineKind, start: int = 100) -> Line:
    return Line(3, start, start + len(text), text, kind)


def test_split_cells_hands_out_a_new_list_each_time():
    line = _line("| 201 | 一般公共服务支出 | 520.00 |", LineKind.PIPE)
    first = split_cells(line)
    assert [c.text for c in first] == ["201", "一般公共服务支出", "520.00"]
    first[2] = first[0].joined(Cell("x", [(0, 1)], 0))
    first.append(Cell("", [], 0))
    again = split_cells(line)
    assert [c.text for c in again] == ["201", "一般公共服务支出", "520.00"]
    assert again[2].span == (line.start + line.text.index("520.00"), line.start + line.text.index("520.00") + 6)


def test_tab_and_bare_pipe_rows_split_by_their_own_rules():
    tab = _line("201\t一般公共服务支出\t\t520.00", LineKind.TAB)
    assert [c.text for c in split_cells(tab)] == ["201", "一般公共服务支出", "", "520.00"]
    assert split_cells(tab)[2].at == tab.start + tab.text.index("\t\t") + 1
    bare = Line(3, 0, 12, "201 | 支出 | ", LineKind.PIPE, bare=True)
    assert [c.text for c in split_cells(bare)] == ["201", "支出", ""]


def test_the_same_text_at_another_offset_is_cut_at_that_offset():
    a, b = _line("| 合计 | 1.00 |", LineKind.PIPE, 0), _line("| 合计 | 1.00 |", LineKind.PIPE, 500)
    assert split_cells(b)[0].span[0] - split_cells(a)[0].span[0] == 500
    assert tokens(b, "wide")[0].start - tokens(a, "wide")[0].start == 500


def test_tokens_hands_out_a_new_list_each_time():
    line = _line("合计    1.00    2.00", LineKind.SPACED)
    toks = tokens(line, "wide")
    toks.clear()
    assert [t.text for t in tokens(line, "wide")] == ["合计", "1.00", "2.00"]


def _column_by_definition(tok: Token, columns: list[tuple[int, int]]) -> int:
    """The most overlap, then the least distance, the first of those that tie."""
    def key(i):
        a, b = columns[i]
        ov = max(0, min(tok.x1, b) - max(tok.x0, a))
        return (ov, -(0 if ov else min(abs(tok.x0 - b), abs(a - tok.x1))), -i)
    return max(range(len(columns)), key=key)


def test_column_of_is_the_most_overlapped_then_the_nearest_first_on_ties():
    columns = [(0, 4), (6, 10), (10, 10), (12, 20), (22, 24)]
    for x0 in range(-3, 27):
        for width in (1, 2, 3, 5, 9):
            tok = Token("w", 0, 1, x0, x0 + width)
            assert column_of(tok, columns) == _column_by_definition(tok, columns), (x0, width)

"""Test data: the corpus documents as HTML pages printed to PDF by a browser (Debian's chromium through
Playwright's ``page.pdf()``), the second producer beside reportlab (``pdfdocs.py``).

Many disclosures are printed from a web page or exported by an office suite, and such PDFs differ from
reportlab's: text is laid out by a browser's line breaker and drawn a word or a line at a time, not a cell
at a time; table borders are drawn as filled rectangles or paths (collapsed borders, one per cell side);
cells have padding; a long table breaks across pages with its ``<thead>`` repeated at the top of each;
page numbers come from the print footer. The page is A4, portrait or landscape; text is set in a Chinese
font the machine has (``fc-list :lang=zh``; Debian's fonts-wqy-microhei or fonts-noto-cjk): nothing is
downloaded.

    html = page_html(corpus_text("003"), HtmlOptions(ruled=False))
    with browser_page() as page:
        print_pdf(page, html, Path("003.pdf"), landscape=True)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from html import escape
from pathlib import Path

from pdfdocs import _AMOUNT, blocks_of, header_rows, spans

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Fonts tried in order; the browser takes the first it has. All are Debian packages.
CJK_FONTS = ["WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Serif CJK SC",
             "Droid Sans Fallback", "AR PL UMing CN"]


@dataclass(frozen=True)
class HtmlOptions:
    ruled: bool = True  # cell borders (border-collapse), or none at all
    merged_headers: bool = True  # header cells as colspan/rowspan where the text leaves them empty
    font_size: float = 9.0  # points, body text; tables are 1.5 pt smaller
    page_numbers: bool = True  # "— 7 —" in the print footer
    browser_furniture: bool = False  # the browser's own print header and footer: date, title, URL, "3/14"
    wide_landscape: bool = False  # tables of 8 or more columns on landscape pages (CSS named pages), the rest portrait


def cjk_font() -> str | None:
    """The first of ``CJK_FONTS`` fontconfig has (None when the machine has no Chinese font)."""
    if not shutil.which("fc-list"):
        return None
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    have = {name.strip() for line in out.splitlines() for name in line.split(",")}
    return next((f for f in CJK_FONTS if f in have), None)


def chromium_problem() -> str | None:
    """Why chromium cannot print the test pages here (None when it can)."""
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        return f"no chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install '.[test]')"
    if cjk_font() is None:
        return "no Chinese font for chromium (Debian: apt-get install fonts-wqy-microhei)"
    return None


def require_browser() -> None:
    """Skip the calling test when chromium cannot print here; fail it instead when BUDGET_EXTRACT_REQUIRE_BROWSER=1
    (CI installs chromium, so a browser test there never passes by being skipped)."""
    import pytest

    problem = chromium_problem()
    if problem is None:
        return
    if os.environ.get("BUDGET_EXTRACT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"BUDGET_EXTRACT_REQUIRE_BROWSER=1 but {problem}")
    pytest.skip(problem)


_CSS = """
body {{ font-family: {fonts}; font-size: {size}pt; line-height: 1.45; margin: 0; color: #000; }}
p {{ margin: 0 0 0.25em 0; }}
table {{ border-collapse: collapse; margin: 6pt 0 10pt 0; font-size: {cell}pt; line-height: 1.3; width: 100%; }}
td, th {{ padding: 2px 4px; vertical-align: middle; font-weight: normal; }}
th {{ text-align: center; }}
td.n {{ text-align: right; white-space: nowrap; }}
td.t {{ text-align: left; }}
{rules}
{wide}
"""
_WIDE = "@page wide { size: A4 landscape; } table.wide { page: wide; }"
_RULES = "table, td, th { border: 0.75pt solid #000; }"


def page_html(text: str, options: HtmlOptions = HtmlOptions(), font: str | None = None) -> str:
    """The document as one HTML page: its text lines as paragraphs, its tables as ``<table>``s."""
    fonts = ", ".join(f'"{f}"' for f in ([font] if font else []) + CJK_FONTS) + ", sans-serif"
    css = _CSS.format(fonts=fonts, size=options.font_size, cell=options.font_size - 1.5,
                      rules=_RULES if options.ruled else "", wide=_WIDE if options.wide_landscape else "")
    body = []
    for block in blocks_of(text):
        if block.kind == "text":
            body += [f"<p>{escape(line)}</p>" for line in block.lines]
        else:
            body.append(_table(block.lines, options))
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>budget</title>'
            f"<style>{css}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n")


def _table(rows: list[list[str]], options: HtmlOptions) -> str:
    width = max(len(r) for r in rows)
    grid = [r + [""] * (width - len(r)) for r in rows]
    header = header_rows(grid)
    if header >= len(grid):  # no amount anywhere: all of it is body
        header = 0
    merged = spans(grid, header) if options.merged_headers else []
    span_of = {(r0, c0): (c1 - c0 + 1, r1 - r0 + 1) for (c0, r0), (c1, r1) in merged}
    covered = {(r, c) for (c0, r0), (c1, r1) in merged for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    covered -= set(span_of)
    out = ['<table class="wide">' if options.wide_landscape and width >= 8 else "<table>"]
    for r, row in enumerate(grid):
        if r == 0 and header:
            out.append("<thead>")
        if r == header:
            out.append("<tbody>")
        cells = []
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            cols, rws = span_of.get((r, c), (1, 1))
            attrs = (f' colspan="{cols}"' if cols > 1 else "") + (f' rowspan="{rws}"' if rws > 1 else "")
            if r < header:
                cells.append(f"<th{attrs}>{escape(value)}</th>")
            else:
                kind = "n" if _AMOUNT.match(value) else "t"
                cells.append(f'<td class="{kind}"{attrs}>{escape(value)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
        if r == header - 1:
            out.append("</thead>")
    out.append("</tbody></table>" if header < len(grid) else "</table>")
    return "".join(out)


_FOOTER = ('<div style="width:100%;text-align:center;font-size:8pt;font-family:{fonts}">'
           '— <span class="pageNumber"></span> —</div>')


@contextlib.contextmanager
def browser_page():
    """A headless chromium page (Debian's chromium, driven by Playwright)."""
    from playwright.sync_api import sync_playwright

    executable = CHROMIUM if CHROMIUM.exists() else Path(shutil.which("chromium"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), headless=True, args=BROWSER_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def print_pdf(page, html: str, path: Path, landscape: bool = False, options: HtmlOptions = HtmlOptions()) -> Path:
    """``html`` printed to ``path`` as A4 (portrait or landscape) by the browser ``page``."""
    page.set_content(html, wait_until="load")
    fonts = ", ".join(f"'{f}'" for f in CJK_FONTS)
    footer = _FOOTER.format(fonts=fonts) if options.page_numbers else "<div></div>"
    # The browser's default templates when asked for its furniture; else a page number only.
    templates = {} if options.browser_furniture else {"header_template": "<div></div>", "footer_template": footer}
    # With named pages (``wide_landscape``) the page sizes come from the CSS.
    page.pdf(path=str(path), format="A4", landscape=landscape, print_background=True,
             prefer_css_page_size=options.wide_landscape, display_header_footer=True, **templates,
             margin={"top": "15mm", "bottom": "16mm", "left": "12mm", "right": "12mm"})
    return path


def render(text: str, path: Path, options: HtmlOptions = HtmlOptions(), landscape: bool = False) -> Path:
    """One document printed to PDF (starts a browser: for many documents use ``browser_page`` once)."""
    with browser_page() as page:
        return print_pdf(page, page_html(text, options), path, landscape, options)

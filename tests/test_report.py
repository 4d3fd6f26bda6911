"""The HTML report: built by the CLI on the corpus after a few review decisions, checked as text and in a real
headless browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import json
import os
import re
import shutil
from decimal import Decimal
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLES
from test_cli import cli

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def review_json(db: Path, *args) -> list[dict]:
    return json.loads(cli("review", *args, "--db", db, "--json").stdout)


def first(flags: list[dict], check: str, **where) -> dict:
    return next(f for f in flags if f["check"] == check and all(f[k] == v for k, v in where.items()))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """The four corpus documents run, one flag accepted, one value fixed (twice) and one rejected, then the report."""
    out = tmp_path_factory.mktemp("results")
    cli("run", EXAMPLES, "--out", out)
    flags = review_json(out, "list")
    accepted = first(flags, "card.spending_plan")
    fixed = first(flags, "card.cost")
    other_doc = next(f["document"] for f in flags if f["check"] == "card.cost" and f["document"] != fixed["document"])
    rejected = first(flags, "card.cost", document=other_doc)
    budget = fixed["fields"][1]  # the card's budget: correcting it is what a reviewer of card.cost would do
    cli("review", "accept", accepted["id"], "--db", out, "--reviewer", "tester", "--note", "as printed")
    # Fixed twice: the decision in force corrects an earlier correction, yet is told against the printed value.
    cli("review", "fix", fixed["id"], "--field", "2", "--value", str(Decimal(budget["value"]) + 2), "--db", out)
    cli("review", "fix", fixed["id"], "--field", "2", "--value", str(Decimal(budget["value"]) + 1), "--db", out)
    cli("review", "reject", rejected["id"], "--field", "1", "--db", out)
    report = out / "report"
    proc = cli("report", out, "-o", report)
    assert "index.html" in proc.stderr
    facts = [json.loads(line) for line in cli("export", out, "--what", "facts").stdout.splitlines()]
    all_flags = [json.loads(line) for line in cli("export", out, "--what", "flags").stdout.splitlines()]
    pages = {p: p.read_text(encoding="utf-8") for p in sorted(report.rglob("*.html"))}
    return {"out": out, "report": report, "index": (report / "index.html").read_text(encoding="utf-8"),
            "pages": pages, "html": "".join(pages.values()), "facts": facts, "flags": all_flags,
            "decided": (accepted["id"], fixed["id"], rejected["id"]),
            "fixed": (fixed["id"], budget["value"], str(Decimal(budget["value"]) + 1)),
            "rejected": (rejected["id"], rejected["fields"][0]["value"])}


class Cells(HTMLParser):
    """Every value cell and source mark of the page, with the document whose section holds it."""

    def __init__(self):
        super().__init__()
        self.doc = None
        self.keys: dict[str, str] = {}  # document name → key used in ids
        self.cells: list[dict] = []
        self.mark_ids: set[str] = set()
        self.flag_ids: set[tuple[str, str]] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("src", "href", "action", "poster", "data"):
            if name in a:
                self.links.append(a[name] or "")
        if tag == "section" and "data-doc" in a:
            self.doc = a["data-doc"]
            self.keys[self.doc] = a["id"].removeprefix("doc-")
        elif "data-path" in a and "val" in a.get("class", "").split():
            self.cells.append({"doc": self.doc, **a, "class": a["class"].split()})
        elif tag == "mark" and "id" in a:
            self.mark_ids.add(a["id"])
        elif tag == "tr" and "data-flag" in a:
            self.flag_ids.add((self.doc, a["data-flag"]))


@pytest.fixture(scope="module")
def parsed(corpus) -> Cells:
    p = Cells()
    p.feed(corpus["html"])
    return p


def test_the_pages_fetch_nothing_and_link_only_to_each_other(corpus, parsed):
    assert len(corpus["pages"]) == 1 + 4  # the index and a page per document
    for path, html in corpus["pages"].items():
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import|url\(", html, re.I), path
        assert "<script src" not in html and "<link" not in html
        links = Links()
        links.feed(html)
        assert links.links
        for link in links.links:  # in-page anchors, or another page of the report (which exists)
            target = link.split("#")[0]
            assert not target or (re.fullmatch(r"(\.\./)?[\w/.-]+\.html", target)
                                  and (path.parent / target).resolve().is_file()), (path, link)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [v or "" for k, v in attrs if k in ("src", "href", "action", "poster", "data")]


def test_no_page_is_big_and_each_document_has_its_own(corpus, parsed):
    docs = {f["document"] for f in corpus["facts"]} | {f["document"] for f in corpus["flags"]}
    assert set(parsed.keys) == docs
    for name, key in parsed.keys.items():
        page = corpus["report"] / "documents" / f"{key}.html"
        assert f'data-doc="{name}"' in page.read_text(encoding="utf-8")
        assert f'href="documents/{key}.html"' in corpus["index"]
    assert max(len(html.encode("utf-8")) for html in corpus["pages"].values()) < 2_000_000


def test_every_flag_is_listed_in_its_document(corpus, parsed):
    assert {(f["document"], f["id"]) for f in corpus["flags"]} == parsed.flag_ids
    assert all(f"flag-{parsed.keys[f['document']]}-{f['id']}" in corpus["html"] for f in corpus["flags"])


def test_every_value_has_a_cell_with_the_status_export_gives_it(corpus, parsed):
    cells = {(c["doc"], c["data-path"]): c for c in parsed.cells}
    assert len(cells) == len(parsed.cells) == len(corpus["facts"])
    for fact in corpus["facts"]:
        cell = cells[(fact["document"], fact["field"])]
        assert cell["data-status"] == fact["status"] and f"st-{fact['status']}" in cell["class"], fact
        assert cell["data-span"] == "{span_start}-{span_end}".format(**fact)
    flagged = [f for f in corpus["facts"] if f["status"] == "flagged"]
    assert flagged and len([c for c in parsed.cells if "st-flagged" in c["class"]]) == len(flagged)


def test_decisions_show_in_the_cells(corpus, parsed):
    by_status = {s: [f for f in corpus["facts"] if f["status"] == s] for s in ("accepted", "corrected", "rejected")}
    # A correction that still fails a check (the fixed budget no longer equals its sources) is flagged.
    by_status["corrected"] += [f for f in corpus["facts"] if f["status"] == "flagged" and f["original_value"]]
    assert all(by_status.values()), {s: len(v) for s, v in by_status.items()}
    html = corpus["html"]
    for fact in by_status["corrected"]:  # the corrected value shown, the printed one struck through beside it
        cell = re.search(rf'<td class="val st-{fact["status"]}" data-path="{re.escape(fact["field"])}"[^>]*>(.*?)</td>',
                         html)
        assert cell and f'<s class="was">{fact["original_value"]}</s> {fact["value"]}' == cell.group(1)
    for fact in by_status["rejected"]:
        path = re.escape(fact["field"])
        assert re.search(rf'<td class="val st-rejected" data-path="{path}"[^>]*title="[^"]*withdrew', html)
    for decided in corpus["decided"]:
        assert re.search(rf'data-flag="{decided}"[^>]*>(?:(?!</tr>).)*class="decision"', html, re.S)


def flag_row(html: str, flag_id: str) -> str:
    return re.search(rf'<tr class="flag[^"]*"[^>]*data-flag="{flag_id}"(?:(?!</tr>).)*</tr>', html, re.S).group(0)


def test_decided_values_show_in_their_flags(corpus):
    html = corpus["html"]
    fixed, printed, now = corpus["fixed"]
    row = flag_row(html, fixed)
    # The value chip and the decision both say what was read, not the earlier correction (+2).
    # The corrected budget no longer equals the card's sources: the correction is shown, still failing a check.
    assert f"<b>{printed} → {now}</b> <i>(corrected, still fails)</i>" in row
    assert f'class="decision">corrected: read as {printed}, the document prints {now} (decision #' in row
    assert str(Decimal(printed) + 2) not in row
    rejected, value = corpus["rejected"]
    row = flag_row(html, rejected)
    assert f"<b><s>{value}</s></b> <i>(withdrawn)</i>" in row
    assert f'class="decision">withdrawn: read as {value}, wrong; left out of exports (decision #' in row
    accepted = flag_row(html, corpus["decided"][0])
    assert re.search(r'class="decision">accepted by tester \(decision #\d+, \d{4}-\d\d-\d\d \d\d:\d\d UTC\): '
                     r'“as printed”', accepted)
    assert "a reviewer" not in html  # no name recorded: none is made up


def test_decision_words_tell_what_was_read_and_what_the_document_prints():
    from schemas import Decision

    from extractor.report import decision_words

    base = dict(flag_id="F1", subject="S1", check="card.cost", time="2026-11-22T13:20:05+00:00",
                document_sha256="0" * 64)
    again = Decision(seq=3, action="fix", field="x.total", before="4.96", after="3.96",
                     values={"x.total": "2.96", "x.other": "1"}, **base)
    assert decision_words(again) == "corrected: read as 2.96, the document prints 3.96 (decision #3, 2026-11-22 13:20 UTC)"
    unrecorded = again.model_copy(update={"values": {}, "reviewer": "ann", "note": "typo"})
    assert decision_words(unrecorded, "2.96") == ("corrected by ann: read as 2.96, the document prints 3.96 "
                                                  "(decision #3, 2026-11-22 13:20 UTC): “typo”")
    accept = Decision(seq=4, action="accept", **base)
    assert decision_words(accept) == "accepted (decision #4, 2026-11-22 13:20 UTC)"


def test_every_value_is_highlighted_in_the_source(corpus, parsed):
    for fact in corpus["facts"]:
        assert "src-{}-{}-{}".format(parsed.keys[fact["document"]], fact["span_start"], fact["span_end"]) in parsed.mark_ids
    for flag in corpus["flags"]:  # what a flag points at is marked too, values or not
        for s, e in flag["spans"]:
            assert f"src-{parsed.keys[flag['document']]}-{s}-{e}" in parsed.mark_ids


def test_the_summary_counts_and_explains(corpus):
    html = corpus["index"]
    summary = html[html.index('<section id="summary">'):]
    n_flagged = sum(1 for f in corpus["facts"] if f["status"] == "flagged")
    assert f"<b>{len(corpus['facts'])}</b> values" in summary and f"{n_flagged} flagged" in summary
    assert "card.spending_plan" in summary and "资金支出计划下降或未达到 100%" in summary
    assert "How to read this page" in html
    # Counts are plain badges: no value class, so a count of rejected values is never struck through.
    assert re.search(r'<span class="count st-rejected">\d+ rejected</span>', summary)
    assert 'class="val' not in summary
    # Every document's row has a number in every count column, 0 included (001 has no card read).
    docs = summary[summary.index("<h3>Documents"):summary.index("<h3>Flags by check")]
    rows = re.findall(r"<tr><td><a.*?</tr>", docs)
    assert len(rows) == len({f["document"] for f in corpus["facts"]} | {f["document"] for f in corpus["flags"]})
    for row in rows:
        counts = re.findall(r'<td class="num">([^<]*)</td>', row)
        assert len(counts) == 7 and all(c.isdigit() for c in counts[1:]), row
    assert any(re.findall(r'<td class="num">([^<]*)</td>', row)[2] == "0" for row in rows)
    # The legend reads as sentences.
    assert "the flag a person" not in html
    assert "rejected 已剔除</span> — a person withdrew a wrong value (no correction); it is left out of exports" in html


def test_a_missing_or_changed_source_still_gives_a_report(corpus, tmp_path):
    folder = tmp_path / "moved"
    folder.mkdir()
    for i, path in enumerate(sorted(corpus["out"].glob("*.json"))[:2]):
        data = json.loads(path.read_text(encoding="utf-8"))
        if i == 0:
            data["document"]["path"] = str(tmp_path / "gone.txt")
        else:  # a file that is there but is not the one read
            other = tmp_path / "other.txt"
            other.write_text("不是这个文件 12.00\n", encoding="utf-8")
            data["document"]["path"] = str(other)
        (folder / path.name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    from extractor.report import write_report

    written = write_report(folder, tmp_path / "report")  # no review store here: the paths in the results are all
    html = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "report" / "documents").glob("*.html"))
    assert written.pages == 3 and "2 document(s)" in written.index.read_text(encoding="utf-8")
    assert html.count("Source text unavailable") == 2 and "<mark id=" not in html
    assert "no such file" in html and "changed since the result was written" in html
    assert 'class="val st-' in html  # the values are still listed


def test_marks_nest_and_split_where_spans_cross():
    from extractor.report import Mark, marked_text

    text = "abcdefghij"
    marks = [Mark(2, 8, "2-8", "region"), Mark(3, 5, "3-5", "st-verified"), Mark(6, 10, "6-10", "st-flagged")]
    html = marked_text(text, "d", marks)
    assert re.sub(r"<[^>]+>", "", html) == text
    assert html == ('ab<mark id="src-d-2-8" class="region" data-span="2-8">c<mark id="src-d-3-5" class="st-verified" '
                    'data-span="3-5">de</mark>f<mark id="src-d-6-10" class="st-flagged" data-span="6-10">gh</mark>'
                    '</mark><mark class="st-flagged" data-span="6-10">ij</mark>')
    escaped = marked_text("<a&b>", "d", [Mark(1, 2, "1-2", "x")])
    assert escaped == '&lt;<mark id="src-d-1-2" class="x" data-span="1-2">a</mark>&amp;b&gt;'


def test_report_errors_are_one_line(tmp_path, corpus):
    proc = cli("report", tmp_path / "nowhere", "-o", tmp_path / "r", check=False)
    assert proc.returncode == 1 and proc.stderr.strip().count("\n") == 0 and "not a folder of results" in proc.stderr
    proc = cli("report", tmp_path, "-o", tmp_path / "r", check=False)
    assert proc.returncode == 1 and "holds no result files" in proc.stderr
    assert not (tmp_path / "r").exists()
    proc = cli("report", corpus["out"], "-o", tmp_path / "r.html", check=False)
    assert proc.returncode == 1 and "the report is a folder" in proc.stderr and f"-o {tmp_path / 'r'}" in proc.stderr
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    proc = cli("report", corpus["out"], "-o", tmp_path / "mine", check=False)
    assert proc.returncode == 1 and "not a report" in proc.stderr
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]


def test_a_report_replaces_the_one_it_wrote_before(corpus, tmp_path):
    target = tmp_path / "again"
    shutil.copytree(corpus["report"], target)
    (target / "documents" / "gone.html").write_text("an old page", encoding="utf-8")
    cli("report", corpus["out"], "-o", target)
    assert not (target / "documents" / "gone.html").exists()
    assert sorted(p.name for p in target.rglob("*.html")) == sorted(p.name for p in corpus["pages"])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


class Anchors(HTMLParser):
    """Every link of a page, and every id it has."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("href"):
            self.links.append(a["href"])
        if a.get("id"):
            self.ids.add(a["id"])


@pytest.fixture(scope="module")
def chinese_names(tmp_path_factory) -> dict:
    """Documents named in Chinese, in sub-folders (``a/预算``, ``b/预算``), one whose page name another's takes
    (``a_预算``), and one whose file name holds characters unsafe in a URL (``2024 部门预算#1?``)."""
    from conftest import DOCS

    folder = tmp_path_factory.mktemp("downloads")
    for rel in ("a/预算.txt", "b/预算.txt", "预算.txt", "a_预算.txt", "2024 部门预算#1?.txt"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DOCS["003"], folder / rel)
    out = tmp_path_factory.mktemp("results")
    cli("run", folder, "--recursive", "--out", out)
    report = out / "report"
    cli("report", out, "-o", report)
    return {"report": report, "names": ["2024 部门预算#1?", "a/预算", "a_预算", "b/预算", "预算"]}


def test_page_names_keep_chinese_and_every_link_finds_its_page_and_place(chinese_names):
    from urllib.parse import unquote, urlsplit

    report = chinese_names["report"]
    pages = sorted(p.name for p in (report / "documents").glob("*.html"))
    assert pages == sorted(["2024_部门预算_1.html", "a_预算.html", "a_预算_2.html", "b_预算.html", "预算.html"])
    index = (report / "index.html").read_text(encoding="utf-8")
    for name in chinese_names["names"]:
        assert f">{escape(name)}</a>" in index
    followed = 0
    for page in [report / "index.html", *sorted((report / "documents").glob("*.html"))]:
        links = Anchors()
        links.feed(page.read_text(encoding="utf-8"))
        for href in links.links:
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc, href
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), (page.name, href)
            if parts.fragment:  # the place it points to is on that page
                there = Anchors()
                there.feed(target.read_text(encoding="utf-8"))
                assert unquote(parts.fragment) in there.ids, (page.name, href)
            followed += 1
    assert followed > 5 + 2 * 4  # the index's five, each page's way back, previous and next, and contents


# -- in a real browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    required = os.environ.get("BUDGET_EXTRACT_REQUIRE_BROWSER") == "1"
    problem = None
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        problem = f"no chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = problem or "Playwright is not installed (pip install '.[test]')"
    if problem:
        if required:
            pytest.fail(f"BUDGET_EXTRACT_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(problem)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
                              headless=True, args=BROWSER_ARGS)
        yield b
        b.close()


def inside(inner: dict, outer: dict) -> bool:
    return (inner["x"] >= outer["x"] - 1 and inner["y"] >= outer["y"] - 1
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1)


def hue_distance(a: str, b: str) -> float:
    """Degrees between the hues of two CSS "rgb(r, g, b)" colours."""
    import colorsys

    def hue(css: str) -> float:
        r, g, b = (int(x) / 255 for x in re.findall(r"\d+", css)[:3])
        return colorsys.rgb_to_hsv(r, g, b)[0] * 360

    d = abs(hue(a) - hue(b)) % 360
    return min(d, 360 - d)


def test_in_a_browser_clicking_a_flag_brings_its_source_into_view(corpus, parsed, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests = []
    page.on("request", lambda r: requests.append(r.url))

    def style(selector: str, prop: str) -> str:
        return page.locator(selector).first.evaluate(f"el => getComputedStyle(el).{prop}")

    def open_document(name: str) -> None:
        page.goto((corpus["report"] / "documents" / f"{parsed.keys[name]}.html").as_uri())

    # Rejected values are struck through on their document's page; the count of them on the index is not.
    rejected = next(f for f in corpus["facts"] if f["status"] == "rejected")
    open_document(rejected["document"])
    assert "line-through" in style("td.val.st-rejected", "textDecorationLine")
    assert page.locator("td.val.st-corrected").count() + page.locator("td.val.st-rejected").count() >= 1
    page.goto((corpus["report"] / "index.html").as_uri())
    assert "line-through" not in style("#summary .count.st-rejected", "textDecorationLine")

    # A flag on values, far down in its document's source (a document with warnings too): from the index to its
    # page, where the source pane must scroll to it.
    warned = {f["document"] for f in corpus["flags"] if f["severity"] == "warning"}
    flag = next(f for f in corpus["flags"] if f["status"] == "open" and f["fields"] and f["spans"][0][0] > 10_000
                and f["document"] in warned)
    key = parsed.keys[flag["document"]]
    page.locator(f'#summary a[href="documents/{key}.html"]').click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/documents/{key}.html")
    facts = [f for f in corpus["facts"] if f["document"] == flag["document"]]
    assert page.locator(".data td.val.st-flagged").count() == sum(1 for f in facts if f["status"] == "flagged")
    assert page.locator("pre.src mark").count() >= len(facts)
    row = page.locator(f"#flag-{key}-{flag['id']}")
    mark = page.locator("#src-{}-{}-{}".format(key, *flag["spans"][0]))
    pane = page.locator(f"#src-{key}")
    row.scroll_into_view_if_needed()
    row.click()
    assert "active" in mark.get_attribute("class").split()
    assert inside(mark.bounding_box(), pane.bounding_box())
    assert inside(mark.bounding_box(), {"x": 0, "y": 0, "width": 1400, "height": 900})
    assert "active" in row.get_attribute("class").split()
    # What was clicked is outlined in a colour unlike a warning's bar.
    active = style(f"#flag-{key}-{flag['id']}", "outlineColor")
    warning_bar = style("tr.flag.sev-warning td", "borderLeftColor")
    assert active == style("#src-{}-{}-{}".format(key, *flag["spans"][0]), "outlineColor")
    assert hue_distance(active, warning_bar) > 60, (active, warning_bar)
    page.screenshot(path=str(tmp_path / "after-clicking-a-flag.png"))

    # Clicking again goes on to the flag's next place.
    if len(flag["spans"]) > 1:
        row.click()
        second = page.locator("#src-{}-{}-{}".format(key, *flag["spans"][1]))
        assert inside(second.bounding_box(), pane.bounding_box())

    # A value cell near the end of the page: its characters come into view too.
    cell = page.locator(".data td.val").last
    cell.scroll_into_view_if_needed()
    cell.click()
    cell_mark = page.locator(f"pre.src mark[data-span=\"{cell.get_attribute('data-span')}\"]").first
    assert "active" in cell_mark.get_attribute("class").split()
    doc_key = cell.evaluate("el => el.closest('section.doc').id").removeprefix("doc-")
    assert inside(cell_mark.bounding_box(), page.locator(f"#src-{doc_key}").bounding_box())
    assert all(url.startswith("file://") for url in requests), requests
    page.close()


def test_in_a_browser_the_index_opens_each_chinese_named_page(chinese_names, browser):
    page = browser.new_page()
    for name in chinese_names["names"]:
        page.goto((chinese_names["report"] / "index.html").as_uri())
        page.get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("section.doc").get_attribute("data-doc") == name, page.url
        page.get_by_role("link", name="← all documents 全部文件").click()
        page.wait_for_load_state()
        assert page.url.endswith("/index.html")
    page.close()


CARDS_OF_OTHER_SHAPES = """南溪市教育局2025年部门预算

南溪市教育局2025年部门整体绩效目标表
部门名称\t南溪市教育局
年度主要任务\t任务名称\t主要内容\t总额\t财政拨款\t其他资金
\t学前教育资助\t落实学前教育资助政策\t500.00\t450.00\t50.00
\t高中教育质量提升\t改善高中办学条件\t500.00\t500.00\t0.00
\t金额合计\t\t1000.00\t950.00\t50.00
年度总体目标\t全面落实各项教育资助政策，提升教育质量。
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t资助学前儿童人数\t≥3000人

项目支出绩效目标表
项目名称\t农村公路建设补助
主管部门\t南溪市教育局\t实施单位\t南溪市教育局本级
项目资金（万元）\t年度资金总额\t500.00
\t其中：财政拨款\t500.00
\t其他资金\t0.00
年度目标\t完成农村公路新改建30公里，提升农村公路通行能力。
一级指标\t二级指标\t三级指标\t指标值\t权重（%）\t评(计)分标准\t备注
产出指标\t数量指标\t新改建里程\t≥30公里\t40\t完成得满分\t按年报统计
满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\t60\t每低1%扣1分\t
"""


def test_a_card_s_tasks_weights_scoring_and_unknown_columns_are_shown(tmp_path):
    """(Hand-written fixture in the shape of other provinces' cards.) Every value of the task grid and every weight
    has its cell; the scoring rules and a column no reader knows are shown as printed."""
    source = tmp_path / "cards.txt"
    source.write_text(CARDS_OF_OTHER_SHAPES, encoding="utf-8")
    out = tmp_path / "out"
    cli("run", source, "--out", out, check=False)
    cli("report", out, "-o", tmp_path / "report")
    html = (tmp_path / "report" / "documents" / "cards.html").read_text(encoding="utf-8")
    cells = Cells()
    cells.feed(html)
    facts = [json.loads(line) for line in cli("export", out, "--what", "facts").stdout.splitlines()]
    shown = {c["data-path"] for c in cells.cells}
    card_facts = {f["field"] for f in facts if f["table_kind"] in ("performance_target", "department_performance_target")}
    assert {f for f in card_facts if ".tasks" in f or "weight" in f} and card_facts <= shown
    for text in ("年度主要任务 tasks", "学前教育资助", "落实学前教育资助政策", "金额合计 total", "权重 weight",
                 "评分标准 scoring", "每低1%扣1分", "按年报统计"):
        assert escape(text, quote=False) in html, text
    assert "<th>备注</th>" in html


def test_the_index_lists_the_files_the_last_run_could_not_read(tmp_path):
    """A department missing from the batch is seen in the report, not only in the exports' documents table: each
    file the last run failed on, with its reason; a file that read once and fails now says its page is the earlier
    result. A batch where nothing could be read still gets its index."""
    docs, out, rep = tmp_path / "docs", tmp_path / "out", tmp_path / "rep"
    docs.mkdir()
    shutil.copy(EXAMPLES / "003_aca33df6c8a48681.txt", docs / "good.txt")
    shutil.copy(EXAMPLES / "003_aca33df6c8a48681.txt", docs / "later_broken.txt")
    (docs / "empty.txt").write_bytes(b"")
    cli("run", docs, "--out", out, check=False)
    (docs / "later_broken.txt").write_bytes(b"\x00\x01junk" * 10)
    assert cli("run", docs, "--out", out, check=False).returncode == 1
    cli("report", out, "-o", rep)
    index = (rep / "index.html").read_text(encoding="utf-8")
    assert "2</b> file(s) the last run could not read" in index and 'href="#failed"' in index
    failed = index.split('id="failed"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>([^<]*)</td><td><code>([^<]*)</code></td><td>([^<]*)</td></tr>", failed)
    assert [(name, Path(source).name) for name, source, _ in rows] == [
        ("empty", "empty.txt"), ("later_broken", "later_broken.txt")]
    assert all(why for _, _, why in rows)
    assert "earlier run's result" in rows[1][2] and "earlier run's result" not in rows[0][2]

    # Nothing readable at all: the index still says which files and why.
    only_bad, bad_out = tmp_path / "only_bad", tmp_path / "bad_out"
    only_bad.mkdir()
    (only_bad / "empty.txt").write_bytes(b"")
    cli("run", only_bad, "--out", bad_out, check=False)
    cli("report", bad_out, "-o", tmp_path / "rep2")
    assert "empty.txt" in (tmp_path / "rep2" / "index.html").read_text(encoding="utf-8")

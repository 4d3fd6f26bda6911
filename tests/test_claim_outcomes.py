"""Every figure the explanation states (说明) says what the verifier made of it: verified, flagged or unchecked.

Hand-written documents (a made-up department, figures made up to add up): the 三公 table of
test_narrative_changes and one paragraph about it. A figure a comparison held for is verified, one a comparison
failed for is flagged, and one nothing could be compared with (机关运行经费 with no table of it, a share with no
whole stated) is unchecked — before, a claim carried no outcome, so a figure no check reached looked the same as a
checked one. The outcome is in the result, in `export --what claims`, in the run's summary line and in the report.
"""

from __future__ import annotations

import csv
import io

from test_cli import cli
from test_narrative_changes import HEAD, YOY, _run

PARAGRAPH = ("2025年“三公”经费预算30.00万元，比上年减少2.00万元，其中公务接待费{reception}万元，"
             "公务用车运行维护费25.00万元。机关运行经费12.34万元。")


def _outcomes(result) -> dict[tuple[str, str], str]:
    return {(c.subject, c.value.raw): c.status for c in result.claims}


def test_each_claim_says_whether_it_was_verified_flagged_or_compared_with_nothing():
    result = _run(PARAGRAPH.format(reception="5.00"), YOY)
    outcomes = _outcomes(result)
    assert outcomes[("三公经费", "30.00")] == "verified"
    assert outcomes[("公务接待费", "5.00")] == "verified"
    assert outcomes[("机关运行经费", "12.34")] == "unchecked"
    wrong = _outcomes(_run(PARAGRAPH.format(reception="6.00"), YOY))
    assert wrong[("公务接待费", "6.00")] == "flagged"
    assert wrong[("机关运行经费", "12.34")] == "unchecked"


def test_claims_export_run_summary_and_report_show_the_outcomes(tmp_path):
    source = tmp_path / "doc.txt"
    source.write_text(HEAD.format(narrative=PARAGRAPH.format(reception="6.00")) + YOY, encoding="utf-8")
    out = tmp_path / "out"
    proc = cli("run", source, "--out", out, check=False)
    assert "figure(s) stated in the text (1 compared with nothing)" in proc.stderr
    rows = list(csv.DictReader(io.StringIO(cli("export", out, "--what", "claims", "--format", "csv").stdout)))
    by_subject = {(r["subject"], r["value"]): r for r in rows}
    assert by_subject[("机关运行经费", "12.34")]["status"] == "unchecked"
    assert by_subject[("三公经费", "30.00")]["status"] == "verified"
    flagged = by_subject[("公务接待费", "6.00")]
    assert flagged["status"] == "flagged" and flagged["flags"] != "[]"
    assert flagged["field"].startswith("narrative[")
    # The workbook holds them too (a sheet of its own), beside the facts: --what does not narrow it.
    whole = cli("export", out, "--what", "claims", "--format", "xlsx", "-o", tmp_path / "c.xlsx")
    assert "the xlsx file holds everything" in whole.stderr
    cli("report", out, "-o", tmp_path / "report")
    html = (tmp_path / "report" / "documents" / "doc.html").read_text(encoding="utf-8")
    assert 'class="claim st-unchecked"' in html and "机关运行经费 (amount): unchecked" in html
    # An unchecked figure's mark says why nothing could be compared with it (the claim's reason).
    reason = next(r for r in rows if r["subject"] == "机关运行经费")["reason"]
    assert reason and f"({reason})" in html.replace("&quot;", '"').replace("&#x27;", "'")

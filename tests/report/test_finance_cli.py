"""`severance report`'s flags for the payroll and finance sheets and the deck's pictures, run as
a user runs them (the source tree's CLI), without recalculation."""

from __future__ import annotations

import csv
import subprocess
import sys

import openpyxl
from PIL import Image

from tests.report.generated import ROOT
from tests.support.probe import Probe

SAMPLE = ROOT / "workbooks" / "sample_cases.csv"


def report(*args):
    return subprocess.run([sys.executable, "-m", "addin.cli", "report", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def with_sheets(tmp_path, added: list[str]) -> list[str]:
    """The sheets of the report without the flags, `added` right after the Exceptions."""
    out = tmp_path / "plain.xlsx"
    assert report(SAMPLE, "-o", out).returncode == 1  # the sample's 5 rejected rows, as severance calc
    names = openpyxl.load_workbook(out, read_only=True).sheetnames
    assert names[0] == "Summary" and "Agreement" in names
    after = names.index("Exceptions") + 1
    return [*names[:after], *added, *names[after:]]


def test_flags_add_their_sheets_in_order_and_the_plots(tmp_path):
    out, plots = tmp_path / "r.xlsx", tmp_path / "deck"
    accounts = tmp_path / "accounts.toml"
    accounts.write_text('[accounts]\ncash = "1010 Operating cash"\n', encoding="utf-8")
    result = report(SAMPLE, "-o", out, "--withholding", "--section-409a", "--group", "department",
                    "--accounts", accounts, "--plots", plots, "--whatif-case", "E1001")
    assert result.returncode == 1, result.stderr  # the sample's 5 rejected rows, as severance calc
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == with_sheets(tmp_path, ["Net pay (estimate)", "409A review", "Cash flow",
                                                     "By group", "Journal"])
    accounts_used = {row[5] for row in book["Journal"].iter_rows(min_row=5, max_col=6, values_only=True) if row[5]}
    assert "1010 Operating cash" in accounts_used and "1000 Cash" not in accounts_used
    pictures = sorted(p.name for p in plots.glob("*.png"))
    assert pictures == ["cash_flow_by_month.png", "payout_by_component.png", "payout_by_group.png",
                        "whatif_E1001.png"]
    for picture in plots.glob("*.png"):
        assert Image.open(picture).size[0] >= 1000
        assert (plots / f"{picture.stem}-data.csv").exists()
    assert f"4 pictures -> {plots}" in result.stderr


def test_a_payroll_column_brings_the_net_pay_sheet(tmp_path):
    rows = list(csv.DictReader(SAMPLE.open(encoding="utf-8")))
    for r in rows:
        r["ytd_wages"] = "50000"
    cases = tmp_path / "payroll.csv"
    with cases.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "r.xlsx"
    result = report(cases, "-o", out)
    assert result.returncode == 1, result.stderr  # the sample's 5 rejected rows, as severance calc
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == with_sheets(tmp_path, ["Net pay (estimate)"])
    ws = book["Net pay (estimate)"]
    assert "estimate" in ws["A1"].value.lower() and "not a cash payment" in ws["A3"].value
    header = next(r for r in range(1, ws.max_row) if ws.cell(r, 1).value == "employee_id")
    assert ws.cell(header + 1, 8).value == 50000  # the case's ytd_wages, a blue input on its first row


def test_a_group_column_the_table_lacks_is_one_line_and_no_file(tmp_path):
    out = tmp_path / "r.xlsx"
    result = report(SAMPLE, "-o", out, "--group", "cost_centre")
    assert result.returncode == 2
    assert "cost_centre" in result.stderr and "department" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not out.exists()


def test_a_whatif_case_nobody_has_is_refused(tmp_path):
    result = report(SAMPLE, "-o", tmp_path / "r.xlsx", "--plots", tmp_path / "deck", "--whatif-case", "NOBODY")
    assert result.returncode == 2 and "NOBODY" in result.stderr




def test_each_withholding_formula_reads_exactly_what_it_declares():
    from addin.excel import formulas as F
    from addin.report.net_pay import BUILDS
    assert set(BUILDS.values()) == {f.build for f in F.WITHHOLDING_FORMULAS}
    for declared in F.WITHHOLDING_FORMULAS:
        probe = Probe()
        declared.build(probe)
        assert probe.read == set(declared.reads.figures), declared.build.__name__
        assert F.reads(declared.build) == declared.reads and F.parameters_read([declared.build]) == ()

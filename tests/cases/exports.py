"""A folder of case tables as HR systems and Excel export them, built from one set of cases:
each export writes the same figures its own way (headers, dates, codes, title rows, sheets,
totals rows), with the map file it needs. The tests read each back to the clean table's cases.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

import openpyxl

from tests.support.recalc import SOFFICE

CLEAN_HEADER = ("employee_id", "employee_name", "termination_date", "termination_reason",
                "base_salary", "prior_year_bonus_declared", "prior_year_bonus_paid",
                "monthly_benefits_cost", "pay_frequency", "consented_to_change")
# The cases, as the clean CSV writes them.
CASES = (
    ("E1", "Ada Park", dt.date(2024, 12, 31), "without_cause", 240000, 100000, 100000, 1500,
     "semimonthly", ""),
    ("E2", "Bo Chen", dt.date(2024, 3, 5), "good_reason", 200000, 50000, 25000, 1200,
     "biweekly", "false"),
    ("E3", "Cy Diaz", dt.date(2024, 7, 1), "without_cause", 310000, "", 0, 0, "monthly", ""),
    ("E4", "Di Eng", dt.date(2024, 1, 15), "for_cause", 150000, 0, 0, 900, "semimonthly", ""),
)
HR_HEADER = ("Worker ID", "Worker Name", "Term Date", "Term Reason", "Annual Base",
             "Bonus Declared", "Bonus Paid", "Monthly Benefits", "Pay Frequency",
             "Good Reason Consent", "Status")
HR_MAP = '''
[columns]
"Worker ID" = "employee_id"
"Worker Name" = "employee_name"
"Term Date" = "termination_date"
"Term Reason" = "termination_reason"
"Annual Base" = "base_salary"
"Bonus Declared" = "prior_year_bonus_declared"
"Bonus Paid" = "prior_year_bonus_paid"
"Monthly Benefits" = "monthly_benefits_cost"
"Good Reason Consent" = "consented_to_change"

[values.termination_reason]
"Involuntary" = "without_cause"
"RIF" = "without_cause"
"Terminated for Cause" = "for_cause"
'''
HR_REASONS = {"E1": "Involuntary", "E2": "Good Reason", "E3": "RIF", "E4": "Terminated for Cause"}
HR_FREQUENCIES = {"semimonthly": "Semi-Monthly", "biweekly": "Bi-weekly", "monthly": "Monthly"}
TITLE = (("Separations export - Q4",), ("Run 2025-01-06 08:00 by payroll",))


class Export(NamedTuple):
    path: Path
    map: Path | None
    sheet: str | None = None


def _totals(rows: list[list]) -> list:
    """The totals row an export adds below its cases: a label and the money columns summed."""
    money = [sum(r[k] for r in rows if isinstance(r[k], (int, float))) for k in range(4, 8)]
    return ["", "Total", "", "", *money, "", "", ""]


def _hr_rows(date_text) -> list[list]:
    return [[c[0], c[1], date_text(c[2]), HR_REASONS[c[0]], *c[4:8], HR_FREQUENCIES[c[8]],
             c[9], "Terminated"] for c in CASES]


def _write_csv(path: Path, rows, delimiter: str = ",") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def clean_csv(folder: Path) -> Path:
    rows = [[c.isoformat() if isinstance(c, dt.date) else c for c in case] for case in CASES]
    return _write_csv(folder / "clean.csv", [CLEAN_HEADER, *rows])


def us_csv(folder: Path) -> Export:
    """Workday-like: a title block, HR headers, US dates (the order inferred: 12/31 fits only
    MDY), meaning words mapped, a Status column, a totals row."""
    rows = _hr_rows(lambda d: f"{d.month}/{d.day}/{d.year}")
    path = _write_csv(folder / "us_export.csv", [*TITLE, (), HR_HEADER, *rows, _totals(rows)])
    (folder / "us_map.toml").write_text(HR_MAP)
    return Export(path, folder / "us_map.toml")


def european_csv(folder: Path) -> Export:
    """SAP-like: semicolons, day-first dot dates declared in the map, spelled-out headers."""
    header = ("Employee ID", "Employee Name", "Termination Date", "Termination Reason",
              "Base Salary", "Prior Year Bonus Declared", "Prior-Year Bonus Paid",
              "Monthly Benefits Cost", "PAY FREQUENCY", "Consented To Change")
    rows = [[c[0], c[1], f"{c[2].day:02d}.{c[2].month:02d}.{c[2].year}",
             c[3].replace("_", " ").title(), *c[4:8], c[8].upper(), c[9]] for c in CASES]
    path = _write_csv(folder / "eu_export.csv", [header, *rows], delimiter=";")
    (folder / "eu_map.toml").write_text('[dates]\norder = "DMY"\n')
    return Export(path, folder / "eu_map.toml")


def month_names_csv(folder: Path) -> Export:
    """Month-name dates in four spellings and codes in HR spellings: no map needed."""
    forms = ("{d:%d} {d:%b} {d.year}", "{d:%b} {d.day}, {d.year}", "{d:%B} {d.day} {d.year}",
             "{d.day}-{d:%b}-{d.year}")
    header = ("EMPLOYEE-ID", "Employee_Name", "Termination date", "Termination Reason",
              "Base Salary", "prior year bonus declared", "Prior Year Bonus Paid",
              "Monthly Benefits Cost", "Pay Frequency", "consented to change")
    rows = [[c[0], c[1], forms[k].format(d=c[2]), c[3].replace("_", "-").title(), *c[4:8],
             HR_FREQUENCIES[c[8]], c[9]] for k, c in enumerate(CASES)]
    return Export(_write_csv(folder / "month_names.csv", [header, *rows]), None)


def openpyxl_xlsx(folder: Path) -> Export:
    """Excel-like, saved by openpyxl: an Instructions sheet first, the cases on the second sheet
    under a title block, date cells (one with a time of day), a totals row."""
    book = openpyxl.Workbook()
    book.active.title = "Instructions"
    book.active.append(["Fill in one row per separation on the Cases sheet."])
    sheet = book.create_sheet("Cases")
    for line in TITLE:
        sheet.append(list(line))
    sheet.append([])
    sheet.append(list(HR_HEADER))
    rows = _hr_rows(lambda d: dt.datetime(d.year, d.month, d.day, 17, 30) if d.month == 12
                    else dt.datetime(d.year, d.month, d.day))
    for row in [*rows, _totals(rows)]:
        sheet.append([float(v) if isinstance(v, int) else v for v in row])
    path = folder / "openpyxl_export.xlsx"
    book.save(path)
    (folder / "xlsx_map.toml").write_text(HR_MAP)
    return Export(path, folder / "xlsx_map.toml")


def libreoffice_xlsx(folder: Path) -> Export:
    """Saved by LibreOffice from a CSV it read with date detection: date cells, some with a
    time of day, under a title row, with a totals row."""
    rows = _hr_rows(lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}" + (" 09:15" if d.day == 5 else ""))
    source = _write_csv(folder / "libreoffice_source.csv",
                        [TITLE[0], HR_HEADER, *rows, _totals(rows)])
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--norestore", "--infilter=CSV:44,34,76,1,,1033,false,true",
                        "--convert-to", "xlsx", "--outdir", str(folder / "lo"), str(source)],
                       check=True, capture_output=True, timeout=300)
    path = folder / "libreoffice_export.xlsx"
    shutil.move(folder / "lo" / "libreoffice_source.xlsx", path)
    (folder / "lo_map.toml").write_text(HR_MAP)
    return Export(path, folder / "lo_map.toml")


def cell_rows(path: Path, sheet: str | None = None) -> dict[str, int]:
    """Each employee id's row in the file, found independently of addin.cases: the CSV line a
    record starts on, or the worksheet row of the cell."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        ws = book[sheet] if sheet else next(s for s in book.worksheets if s.title != "Instructions")
        found = {str(c.value): c.row for row in ws.iter_rows() for c in row[:1]
                 if isinstance(c.value, str) and c.value.startswith("E")}
        book.close()
        return found
    found = {}
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter=";" if "eu_" in path.name else ",")
        start = 1
        for record in reader:
            if record and record[0].startswith("E") and record[0][1:].isdigit():
                found[record[0]] = start
            start = reader.line_num + 1
    return found

"""`severance calc` and `severance schedule` end to end, through the installed console script."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from addin.results.tables import CALC_COLUMNS, CALC_REPEATED, SCHEDULE_COLUMNS

SEVERANCE = shutil.which("severance", path=str(Path(sys.executable).parent)) or "severance"


def severance(*args, cwd=None):
    return subprocess.run([SEVERANCE, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_calc_sample_to_stdout_accounts_for_every_row(sample_cases_path):
    result = severance("calc", sample_cases_path)
    out = pd.read_csv(__import__("io").StringIO(result.stdout), dtype=str, keep_default_na=False)
    rejected = int((out["status"] == "rejected").sum())
    assert rejected and result.returncode == 1, result.stderr  # rejected rows: exit status 1
    assert f"{rejected} rejected -> standard output" in result.stderr
    source = pd.read_csv(sample_cases_path, dtype=str, keep_default_na=False)
    assert list(out.columns) == list(CALC_COLUMNS)
    # Each row numbered as the file does: the header is line 1, the first case line 2.
    assert list(out["source_row"].astype(int)) == list(range(2, len(source) + 2))
    assert list(out["employee_id"]) == list(source["employee_id"])
    counts = out["status"].value_counts().to_dict()
    assert sum(counts.values()) == len(source)
    assert set(counts) == {"paid", "no_severance", "rejected"}
    rejected = out[out["status"] == "rejected"]
    assert all(reason.startswith("row ") for reason in rejected["reason"])
    assert (out.loc[out["status"] == "paid", "salary_continuation"].str.fullmatch(r"\d+\.\d\d")).all()


@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx", ".parquet"])
def test_calc_writes_every_format_with_the_same_rows(tmp_path, sample_cases_path, suffix):
    out = tmp_path / f"payouts{suffix}"
    result = severance("calc", sample_cases_path, "-o", out)
    assert result.returncode == 1, result.stderr  # the sample holds rejected rows
    assert "input rows" in result.stderr and "5 rejected" in result.stderr
    if suffix == ".csv":
        frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    elif suffix == ".json":
        frame = pd.DataFrame(json.loads(out.read_text()))
    elif suffix == ".xlsx":
        frame = pd.read_excel(out, dtype=str, engine="openpyxl").fillna("")
    else:
        frame = pd.read_parquet(out)
    assert list(frame.columns) == list(CALC_COLUMNS)
    paid = frame[frame["status"] == "paid"]
    first = paid.iloc[0]
    assert float(first["cash_total"]) == 250000.00  # E1001, the letter's own case
    assert len(frame) == 43


def test_calc_parquet_holds_the_csv_cells_with_only_repeating_columns_as_dictionaries(tmp_path, sample_cases_path):
    severance("calc", sample_cases_path, "-o", tmp_path / "payouts.csv")
    severance("calc", sample_cases_path, "-o", tmp_path / "payouts.parquet")
    csv = pd.read_csv(tmp_path / "payouts.csv", dtype=str, keep_default_na=False)
    parquet = pd.read_parquet(tmp_path / "payouts.parquet").astype(str)
    pd.testing.assert_frame_equal(parquet, csv)
    column = pq.ParquetFile(tmp_path / "payouts.parquet").metadata.row_group(0).column
    encodings = {column(k).path_in_schema: column(k).encodings for k in range(len(CALC_COLUMNS))}
    dictionary = {name for name, used in encodings.items() if "RLE_DICTIONARY" in used}
    assert dictionary == set(CALC_REPEATED) and "employee_id" not in dictionary


def test_schedule_lists_every_payment(tmp_path, sample_cases_path):
    out = tmp_path / "schedule.csv"
    assert severance("schedule", sample_cases_path, "-o", out).returncode == 1
    schedule = pd.read_csv(out, dtype=str)
    calc = pd.read_csv(__import__("io").StringIO(severance("calc", sample_cases_path).stdout), dtype=str,
                       keep_default_na=False)
    assert list(schedule.columns) == list(SCHEDULE_COLUMNS)
    paid = calc[calc["status"] == "paid"].set_index("employee_id")
    sums = schedule.assign(amount=schedule["amount"].map(__import__("decimal").Decimal)) \
        .groupby("employee_id")["amount"].sum()
    for employee, row in paid.iterrows():
        from decimal import Decimal
        assert sums[employee] == Decimal(row["cash_total"]), employee
    assert set(schedule["clause"]) == {"(i)", "(ii)", "(iii)"}


def test_unreadable_file_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "cases.xlsx"
    bad.write_bytes(b"not a workbook")
    result = severance("calc", bad)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and str(bad) in result.stderr


def test_missing_column_exits_2_naming_file_and_column(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("employee_id,termination_date,termination_reason\nE1,2024-01-01,for_cause\n")
    result = severance("calc", path)
    assert result.returncode == 2 and "'base_salary'" in result.stderr and str(path) in result.stderr


def test_missing_file_and_bad_terms_exit_2(tmp_path, sample_cases_path):
    assert severance("calc", tmp_path / "none.csv").returncode == 2
    terms = tmp_path / "t.toml"
    terms.write_text("[[agreement]]\nid='x'\n")
    result = severance("calc", sample_cases_path, "--terms", terms)
    assert result.returncode == 2 and "required key is missing" in result.stderr


@pytest.mark.parametrize("cases", ["cases.xlsx", "damaged.xlsx", "none.xlsx", "cases.csv"])
def test_bad_terms_are_named_before_anything_of_the_case_file(tmp_path, cases):
    """The terms are loaded while the case file is read (a workbook's sheet is laid out by
    calamine meanwhile); their error still comes first, whatever the case file holds."""
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["employee_id", "termination_date", "termination_reason", "base_salary"])
    book.active.append(["A1", "2024-12-31", "without_cause", 120000])
    book.save(tmp_path / "cases.xlsx")
    (tmp_path / "damaged.xlsx").write_bytes((tmp_path / "cases.xlsx").read_bytes()[:-100])
    (tmp_path / "cases.csv").write_text("employee_id,termination_date\nA1,2024-12-31\n")
    terms = tmp_path / "t.toml"
    terms.write_text("[[agreement]]\nid='x'\n")
    result = severance("calc", tmp_path / cases, "--terms", terms)
    assert result.returncode == 2 and "required key is missing" in result.stderr, result.stderr
    assert str(tmp_path / cases) not in result.stderr and "Traceback" not in result.stderr
    good = severance("calc", tmp_path / "cases.xlsx")
    assert good.returncode == 0 and "120000.00" in good.stdout, good.stderr


def test_refuses_to_overwrite_the_input(tmp_path, sample_cases_path):
    cases = tmp_path / "cases.csv"
    shutil.copy(sample_cases_path, cases)
    before = cases.read_bytes()
    result = severance("calc", cases, "-o", cases)
    assert result.returncode == 2 and "refusing to overwrite the input" in result.stderr
    assert cases.read_bytes() == before


def test_terms_file_adds_an_agreement(tmp_path):
    terms = tmp_path / "acme.toml"
    terms.write_text('[[agreement]]\nid = "acme-2019"\nsalary_continuation_months = 6\n'
                     'bonus_floor_fraction = 0\nbenefits_continuation_months = 6\nlump_sum_due_days = 10\n')
    cases = tmp_path / "cases.csv"
    cases.write_text("employee_id,termination_date,termination_reason,base_salary,agreement\n"
                     "A1,2024-12-31,without_cause,120000,acme-2019\n")
    result = severance("calc", cases, "--terms", terms)
    row = pd.read_csv(__import__("io").StringIO(result.stdout), dtype=str).iloc[0]
    assert row["salary_continuation"] == "60000.00" and row["lump_sum_due_date"] == "2025-01-10"


def test_csv_output_never_carries_a_live_formula(tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_text('employee_id,employee_name,termination_date,termination_reason,base_salary\n'
                     '"=1+1","=HYPERLINK(""http://x"",""y"")",2024-12-31,without_cause,120000\n'
                     '"@SUM(A1)","+1",2024-12-31,without_cause,120000\n')
    out = tmp_path / "out.csv"
    assert severance("calc", cases, "-o", out).returncode == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    for value in list(frame["employee_id"]) + list(frame["employee_name"]):
        assert value.startswith("'"), value


HR_EXPORT = ("Separations Q4\n\nEmp ID,Term Date,Reason,Annual Base,Status\n"
             "A1,12/31/2024,Involuntary,240000,Terminated\n"
             "A2,3/5/2024,Without Cause,\"200,000\",Terminated\n")
HR_MAP = ('[columns]\n"Emp ID" = "employee_id"\n"Term Date" = "termination_date"\n'
          '"Reason" = "termination_reason"\n"Annual Base" = "base_salary"\n'
          '[values.termination_reason]\n"Involuntary" = "without_cause"\n')


def test_an_hr_export_with_its_map_exits_0_and_says_what_it_read(tmp_path):
    cases, mapping, out = tmp_path / "export.csv", tmp_path / "hr.toml", tmp_path / "out.csv"
    cases.write_text(HR_EXPORT)
    mapping.write_text(HR_MAP)
    result = severance("calc", cases, "--map", mapping, "-o", out)
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame["status"]) == ["paid", "paid"] and list(frame["source_row"]) == ["4", "5"]
    assert "the header is on row 3, 2 rows above it skipped" in result.stderr
    assert "'Status' is carried as input_status" in result.stderr
    assert "'Involuntary' read as without_cause by the map file (1 row)" in result.stderr
    assert "2 input rows: 2 paid, 0 no severance, 0 rejected" in result.stderr


def test_a_rejected_row_exits_1_with_the_outputs_written(tmp_path):
    cases, out = tmp_path / "export.csv", tmp_path / "out.csv"
    cases.write_text("Employee ID,Termination Date,Termination Reason,Base Salary\n"
                     "A1,2024-12-31,fired,240000\nA2,2024-12-31,Without Cause,240000\n")
    result = severance("calc", cases, "-o", out)
    assert result.returncode == 1
    assert "2 input rows: 1 paid, 0 no severance, 1 rejected" in result.stderr
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert frame["reason"][0].startswith("row 2, Termination Reason (termination_reason): 'fired' "
                                         "must be one of")


def test_a_bad_map_exits_2_naming_the_file_and_key(tmp_path, sample_cases_path):
    mapping = tmp_path / "hr.toml"
    mapping.write_text('[columns]\n"Emp ID" = "employe_id"\n')
    result = severance("calc", sample_cases_path, "--map", mapping)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{mapping}: [columns] key 'Emp ID': 'employe_id' is not a case-table column" in result.stderr


def test_the_flags_override_the_map_and_reach_schedule_and_report(tmp_path):
    cases, mapping = tmp_path / "export.csv", tmp_path / "hr.toml"
    cases.write_text(HR_EXPORT.replace("12/31/2024", "31/12/2024").replace("3/5/2024", "5/3/2024"))
    mapping.write_text(HR_MAP + '[dates]\norder = "MDY"\n')
    assert severance("calc", cases, "--map", mapping).returncode == 1  # 31/12 is no MDY date
    out = tmp_path / "schedule.csv"
    result = severance("schedule", cases, "--map", mapping, "--date-order", "dmy", "-o", out)
    assert result.returncode == 0, result.stderr
    assert set(pd.read_csv(out, dtype=str)["employee_id"]) == {"A1", "A2"}
    report = tmp_path / "report.xlsx"
    result = severance("report", cases, "--map", mapping, "--date-order", "DMY", "-o", report)
    assert result.returncode == 0, result.stderr
    assert "2 input rows: 2 paid" in result.stderr
    assert severance("calc", cases, "--date-order", "XYZ").returncode == 2


# A CSV calc imports neither the report's writer nor the workbooks' builders (openpyxl among them):
# a command run on a small case table would spend about a third of its time importing them.
LEAN_CALC = """
import sys
from addin.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in ("openpyxl", "addin.report.writer", "addin.workbooks.check", "matplotlib",
                           "xlwings") if m in sys.modules)
print("heavy:", ",".join(heavy))
sys.exit(code)
"""


def test_a_csv_calc_imports_no_writer_it_does_not_use(tmp_path, sample_cases_path):
    out = tmp_path / "payouts.csv"
    result = subprocess.run([sys.executable, "-c", LEAN_CALC, "calc", sample_cases_path, "-o", out],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr   # the sample holds rejected rows
    assert result.stdout.strip() == "heavy:", result.stdout
    assert len(pd.read_csv(out)) == 43
    # The flags of the commands whose writers were not imported are all there.
    help_text = severance("report", "--help").stdout
    assert "--paper {letter,a4}" in help_text and "--whatif-case" in help_text
    assert "--agreement" in severance("templates", "build", "--help").stdout

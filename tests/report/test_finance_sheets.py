"""The report's payroll and finance sheets (Net pay (estimate), 409A review, Cash flow, By
group, Journal): recalculated by LibreOffice (one batch for this module), every formula equals
the engine's figure (addin.results: payroll, cashflow, journal) to the cent, and the cached
values the workbook is written with are the same figures."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import numpy as np
import openpyxl
import pytest

from addin.cases import from_records
from addin.report.by_group import GroupFigures
from addin.report.net_pay import COLUMNS as NET_COLUMNS
from addin.report.extras import ReportOptions
from addin.report.writer import build_report
from addin.results.cashflow import Period, cash_flow
from addin.results.journal import DEFAULT_ACCOUNTS, journal_entries, roll_forward
from addin.results.payroll import compute_payroll, schedule_payroll_frame, section_409a_calc_columns
from addin.rules.engine import compute
from addin.rules.withholding import payment_order
from tests.report.generated import generated_records
from tests.support.recalc import recalculate_all

DEPARTMENTS = ["Finance", "Technology", "Sales", ""]


def payroll_records(n: int, seed: int) -> list[dict]:
    """Generated cases, most separated in years with a tax table, with the payroll columns:
    year-to-date wages near the wage base and supplemental wages near $1M, high salaries."""
    rng = random.Random(seed)
    records = generated_records(n, seed)
    for i, r in enumerate(records):
        if i % 7 != 3:
            r["termination_date"] = (dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))).isoformat()
        if i % 3 == 0:
            r["base_salary"] = f"{rng.randrange(300_000_00, 2_500_000_00) / 100:.2f}"
            r["termination_reason"] = "without_cause"
        r["ytd_wages"] = rng.choice(["", "0", f"{rng.randrange(0, 250_000_00) / 100:.2f}", "168500.00"])
        r["ytd_supplemental_wages"] = rng.choice(["", f"{rng.randrange(0, 1_100_000_00) / 100:.2f}", "999000.00"])
        r["state_withholding_rate"] = rng.choice(["", "0.066", "0.0525", "0.1"])
        r["specified_employee"] = rng.choice(["", "true", "false"])
        r["department"] = rng.choice(DEPARTMENTS)
        if i % 9 == 0 and i < n - 6:  # late-year separations of highly paid specified employees:
            # payments past the short-term deferral deadline within six months get delayed
            r["termination_date"] = (dt.date(2024, 10, 1) + dt.timedelta(days=i % 80)).isoformat()
            r.update(base_salary="2400000.00", specified_employee="true", termination_reason="without_cause",
                     annualized_compensation="10000.00")
        r["notification_date"] = rng.choice(["", (dt.date.fromisoformat(r["termination_date"][:10])
                                                   - dt.timedelta(days=20)).isoformat()
                                             if r["termination_date"][:4].isdigit() and "-13-" not in r["termination_date"] else ""])
    return records


@pytest.fixture(scope="module")
def built(tmp_path_factory, agreements):
    folder = tmp_path_factory.mktemp("finance")
    out = {}
    for name, delay, max_rows in (("plain", False, 1_048_576), ("delayed", True, 1_048_576), ("split", False, 120)):
        cases = from_records(payroll_records(90, seed=31), agreements)
        payouts = compute(cases, agreements)
        notification = _notification(cases)
        options = ReportOptions(withholding=True, section_409a=True, apply_409a_delay=delay,
                                cash_flow=True, group="department", journal=True, notification=notification)
        path = folder / f"{name}.xlsx"
        build_report(cases, payouts, agreements, path, source=name, options=options, max_rows=max_rows)
        out[name] = (path, cases, payouts, notification)
    recalculated = recalculate_all([v[0] for v in out.values()], folder / "recalculated")
    return {name: (*v, r) for (name, v), r in zip(out.items(), recalculated)}


def _notification(cases):
    from addin.finance import notification_dates
    return notification_dates(cases)[0]


def cents(v) -> int | None:
    if v is None or v == "":
        return None
    return int((Decimal(str(v)) * 100).quantize(Decimal(1)))


def table(ws, header_row: int, first_col: int = 1) -> tuple[dict[str, int], list[tuple]]:
    head = {c.value: c.column for c in ws[header_row] if c.value is not None and c.column >= first_col}
    rows = [r for r in ws.iter_rows(min_row=header_row + 1, values_only=True)]
    return head, rows


def header_row_of(ws, label: str, column: int = 1) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, column).value == label and r > 3
                and ws.cell(r, column + 1).value not in (None,) and ws.cell(r, 2).value != "sources of the year's figures")


def pages(book, title: str) -> list:
    return [book[n] for n in book.sheetnames if n == title or n.startswith(f"{title} (")]


def net_pay_rows(book) -> list[tuple]:
    """The payment rows of every Net pay page, in order."""
    out = []
    for ws in pages(book, "Net pay (estimate)"):
        r0 = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "employee_id")
        assert [c.value for c in ws[r0]][:len(NET_COLUMNS)] == list(NET_COLUMNS)
        for row in ws.iter_rows(min_row=r0 + 1, values_only=True):
            if row[0] in (None, "Total (estimate)"):
                break
            out.append(row)
    return out


@pytest.mark.parametrize("name", ["plain", "delayed", "split"])
@pytest.mark.parametrize("data_only_of", ["recalculated", "cached"])
def test_net_pay_formulas_equal_the_engine(built, name, data_only_of):
    path, cases, payouts, _, recalculated = built[name]
    payroll = compute_payroll(cases, payouts, name == "delayed")
    frame = schedule_payroll_frame(cases, payroll)
    s = payroll.schedule
    order = payment_order(np.asarray(s["case"]), np.asarray(s["payment_date"], dtype="datetime64[D]"))
    book = openpyxl.load_workbook(recalculated if data_only_of == "recalculated" else path, data_only=True)
    if name == "split":
        assert len(pages(book, "Net pay (estimate)")) > 10 and len(pages(book, "Journal")) > 10
    col = {n: i for i, n in enumerate(NET_COLUMNS)}
    rows = net_pay_rows(book)
    assert len(rows) == len(order) > 100
    names = ("amount", "federal_withholding", "social_security", "medicare", "additional_medicare",
             "state_withholding", "net_amount", "employer_social_security", "employer_medicare")
    checked = 0
    for row, p in zip(rows, order):
        expected = frame.iloc[int(p)]
        assert row[col["employee_id"]] == expected["employee_id"]
        for n in names:
            assert cents(row[col[n]]) == cents(expected[n]), (n, expected["employee_id"], p)
        checked += expected["federal_withholding"] != ""
    assert checked > 100 and (frame["federal_withholding"] == "").any()  # years with and without a table
    w = payroll.withholding
    assert (w.additional_medicare > 0).any() and (w.social_security[w.has_table] == 0).any()
    total = next(r for ws in pages(book, "Net pay (estimate)") for r in ws.iter_rows(values_only=True)
                 if r[0] == "Total (estimate)")
    assert cents(total[col["net_amount"]]) == int(np.where(w.has_table, w.net_amount, 0).sum())


def test_net_pay_crosses_each_limit_inside_a_payment(built):
    """The generated table holds the worked cases: the $1M crossing, the wage base and the
    Additional Medicare threshold each reached inside one payment."""
    _, cases, payouts, _, _ = built["plain"]
    payroll = compute_payroll(cases, payouts)
    w, amount = payroll.withholding, payroll.schedule["amount"]
    mixed = w.has_table & (w.federal_withholding * 100 != amount * 22) & (w.federal_withholding * 100 != amount * 37)
    assert mixed.any()
    ss_partial = w.has_table & (w.social_security > 0) & (w.social_security * 1000 < amount * 62 - 1000)
    assert ss_partial.any()


def test_409a_review_lines_are_the_calc_columns(built):
    _, cases, payouts, _, recalculated = built["plain"]
    payroll = compute_payroll(cases, payouts)
    c = section_409a_calc_columns(cases, payouts, payroll)
    ws = openpyxl.load_workbook(recalculated, data_only=True)["409A review"]
    lines = {}
    for row in ws.iter_rows(min_row=5, values_only=True):
        lines.setdefault(row[0], {})[row[1]] = row
    paid = np.flatnonzero(payouts.eligible)
    assert len(lines) == len(paid)
    for k in paid:
        mine = lines[cases.employee_id[k]]
        short = mine["Short-term deferral: paid by the deadline"]
        assert short[2] == "Treas. Reg. 1.409A-1(b)(4)"
        assert cents(short[4]) == cents(c["short_term_deferral"][k])
        assert mine["Separation-pay exception: covered"][2] == "Treas. Reg. 1.409A-1(b)(9)(iii)"
        assert cents(mine["Separation-pay exception: covered"][4]) == cents(c["separation_pay_exempt"][k])
        assert cents(mine["Subject to Section 409A"][4]) == cents(c["subject_to_409a"][k])
        assert mine["Six-month delay (specified employee)"][2] == "Treas. Reg. 1.409A-3(i)(2)"
        assert mine["Status"][5] == c["section_409a_status"][k]
    assert any(cents(c["subject_to_409a"][k]) for k in paid)


def test_delayed_schedule_is_the_schedule_command(built):
    """--apply-409a-delay: the report's Payment schedule, recalculated, is severance schedule
    --apply-409a-delay's, payment for payment."""
    _, cases, payouts, _, recalculated = built["delayed"]
    payroll = compute_payroll(cases, payouts, True)
    frame = schedule_payroll_frame(cases, payroll, withholding=False)
    assert (frame["component"] == "section_409a_delayed_payment").any()
    ws = openpyxl.load_workbook(recalculated, data_only=True)["Payment schedule"]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert len(rows) == len(frame)
    for row, (_, e) in zip(rows, frame.iterrows()):
        assert (row[0], row[1]) == (e["employee_id"], e["component"])
        assert row[5].date().isoformat() == e["payment_date"]
        assert cents(row[6]) == cents(e["amount"])


@pytest.mark.parametrize("name", ["plain", "split"])
@pytest.mark.parametrize("data_only_of", ["recalculated", "cached"])
def test_cash_flow_sumifs_equal_the_engine(built, name, data_only_of):
    path, cases, payouts, _, recalculated = built[name]
    ws = openpyxl.load_workbook(recalculated if data_only_of == "recalculated" else path, data_only=True)["Cash flow"]
    head = [c.value for c in ws[4]]
    flow = cash_flow(cases, payouts, Period.MONTH)
    grouped = cash_flow(cases, payouts, Period.MONTH, "department")
    by = {(m, g): c for m, g, c in zip(grouped.period, grouped.group, grouped.amounts["cash_total"])}
    groups = sorted(set(grouped.group.tolist()))
    assert head[:5 + len(groups)] == ["month", "(i) salary continuation", "(ii) prorated bonus",
                                       "(iii) unpaid bonus", "cash total", *groups]
    rows = list(ws.iter_rows(min_row=5, max_row=4 + len(flow.period), values_only=True))
    for i, row in enumerate(rows):
        assert row[0] == flow.period[i]
        for j, component in enumerate(("salary_continuation", "prorated_bonus", "unpaid_bonus", "cash_total")):
            assert cents(row[1 + j]) == int(flow.amounts[component][i])
        for j, g in enumerate(groups):
            assert cents(row[5 + j]) == by.get((flow.period[i], g), 0)
    total = next(ws.iter_rows(min_row=5 + len(flow.period), max_row=5 + len(flow.period), values_only=True))
    assert total[0] == "Total" and cents(total[4]) == int(payouts.cash_total[payouts.eligible].sum())


def test_cash_flow_charts_point_at_the_table(built):
    path, cases, payouts, _, _ = built["plain"]
    ws = openpyxl.load_workbook(path)["Cash flow"]
    months = len(cash_flow(cases, payouts, Period.MONTH).period)
    stacked = ws._charts[0]
    assert stacked.grouping == "stacked" and stacked.overlap == 100
    refs = [s.val.numRef.f for s in stacked.series]
    assert refs == [f"'Cash flow'!${c}$5:${c}${4 + months}" for c in "BCD"]
    assert [s.tx.strRef.f for s in stacked.series] == [f"'Cash flow'!{c}4" for c in "BCD"]
    assert stacked.series[0].cat.numRef.f == f"'Cash flow'!$A$5:$A${4 + months}" or \
        stacked.series[0].cat.strRef.f == f"'Cash flow'!$A$5:$A${4 + months}"
    groups = len(set(cash_flow(cases, payouts, Period.MONTH, "department").group.tolist()))
    assert len(ws._charts[1].series) == groups


@pytest.mark.parametrize("name", ["plain", "split"])
@pytest.mark.parametrize("data_only_of", ["recalculated", "cached"])
def test_by_group_counts_and_sums_equal_the_engine(built, name, data_only_of):
    path, cases, payouts, _, recalculated = built[name]
    ws = openpyxl.load_workbook(recalculated if data_only_of == "recalculated" else path, data_only=True)["By group"]
    head = [c.value for c in ws[4]]
    figures = GroupFigures(cases, payouts, "department")
    # Independently of GroupFigures: the engine's columns per group value.
    values = np.array([(str(v).strip() or "(blank)") if v == v and v is not None else "(blank)"
                       for v in cases.raw["department"]], dtype=object)
    for i, g in enumerate(figures.names):
        row = next(ws.iter_rows(min_row=5 + i, max_row=5 + i, values_only=True))
        rows = values == g
        assert row[0] == g
        got = dict(zip(head, row))
        assert got["cases"] == int(rows.sum())
        for status in ("paid", "no_severance", "rejected"):
            assert got[status] == int((rows & (payouts.status == status)).sum())
        for a in ("salary_continuation", "prorated_bonus", "unpaid_bonus", "benefits_continuation",
                  "cash_total", "total_value"):
            assert cents(got[a]) == int(getattr(payouts, a)[rows & (payouts.status != "rejected")].sum())
    assert len(figures.names) == len(set(values.tolist())) >= 3


def test_by_group_chart_points_at_the_cash_totals(built):
    path, cases, payouts, _, _ = built["plain"]
    ws = openpyxl.load_workbook(path)["By group"]
    n = len(GroupFigures(cases, payouts, "department").names)
    column = [c.value for c in ws[4]].index("cash_total") + 1
    letter = openpyxl.utils.get_column_letter(column)
    assert ws._charts[0].series[0].val.numRef.f == f"'By group'!${letter}$5:${letter}${4 + n}"


@pytest.mark.parametrize("name", ["plain", "split"])
@pytest.mark.parametrize("data_only_of", ["recalculated", "cached"])
def test_journal_balances_and_rolls_forward_to_zero(built, name, data_only_of):
    path, cases, payouts, notification, recalculated = built[name]
    book = openpyxl.load_workbook(recalculated if data_only_of == "recalculated" else path, data_only=True)
    entries = journal_entries(cases, payouts, notification)
    n = len(entries.entry)
    rows = [row for ws in pages(book, "Journal")
            for row in ws.iter_rows(min_row=5, max_col=9, values_only=True) if isinstance(row[0], int)]
    assert len(rows) == n
    for i, row in enumerate(rows):
        assert row[0] == entries.entry[i]
        assert (cents(row[6]) or 0) == entries.debit[i] and (cents(row[7]) or 0) == entries.credit[i]
        if i % 2:
            assert cents(row[8]) == 0
    total = next(r for ws in pages(book, "Journal") for r in ws.iter_rows(max_col=9, values_only=True)
                 if r[5] == "Total")
    assert cents(total[6]) == cents(total[7]) == int(entries.debit.sum())
    table = roll_forward(entries)
    m = len(table["month"])
    roll = list(book["Journal"].iter_rows(min_row=5, max_row=4 + m, min_col=11, max_col=16, values_only=True))
    for j, row in enumerate(roll):
        assert row[0] == table["month"][j] and row[1] == DEFAULT_ACCOUNTS[table["account"][j]]
        assert [cents(v) for v in row[2:]] == [int(table[k][j]) for k in ("opening", "accrued", "paid", "closing")]
    for account in DEFAULT_ACCOUNTS.values():
        closings = [r[5] for r in roll if r[1] == account]
        if closings:
            assert cents(closings[-1]) == 0
    # Per case, the accrual is the cash total plus the benefits value.
    recognised = entries.event == "recognition"
    for k in np.flatnonzero(payouts.eligible)[:20]:
        accrued = entries.credit[recognised & (entries.case == k)].sum()
        assert accrued == payouts.cash_total[k] + payouts.benefits_continuation[k]


def test_notification_date_moves_the_recognition(built):
    _, cases, payouts, notification, _ = built["plain"]
    entries = journal_entries(cases, payouts, notification)
    moved = [k for k in np.flatnonzero(payouts.eligible) if not np.isnat(notification[k])]
    assert moved
    for k in moved[:5]:
        dates = entries.date[(entries.case == k) & (entries.event == "recognition")]
        assert (dates == notification[k]).all() and (dates < cases.termination_date[k]).all()


def test_cash_flow_reads_the_delayed_schedule(built):
    """--apply-409a-delay: the Cash flow sums the schedule the report shows, the delayed
    payments in a column of their own, and still adds up to the cash totals."""
    _, cases, payouts, _, recalculated = built["delayed"]
    frame = schedule_payroll_frame(cases, compute_payroll(cases, payouts, True), withholding=False)
    ws = openpyxl.load_workbook(recalculated, data_only=True)["Cash flow"]
    head = [c.value for c in ws[4]]
    assert head[:6] == ["month", "(i) salary continuation", "(ii) prorated bonus", "(iii) unpaid bonus",
                        "409A delayed payments", "cash total"]
    frame["cents"] = [cents(a) for a in frame["amount"]]
    frame["month"] = frame["payment_date"].str[:7]
    by_month = frame.groupby("month")["cents"].sum()
    delayed = frame[frame["component"] == "section_409a_delayed_payment"].groupby("month")["cents"].sum()
    rows = [r for r in ws.iter_rows(min_row=5, max_col=6, values_only=True) if r[0] and r[0] != "Total"]
    assert [r[0] for r in rows] == list(by_month.index)
    for r in rows:
        assert cents(r[5]) == by_month[r[0]] and cents(r[4]) == delayed.get(r[0], 0)
    total = next(r for r in ws.iter_rows(min_row=5, max_col=6, values_only=True) if r[0] == "Total")
    assert cents(total[5]) == int(payouts.cash_total[payouts.eligible].sum()) and cents(total[4]) > 0


MY_SHEETS = ("Net pay (estimate)", "409A review", "Cash flow", "By group", "Journal", "Payment schedule")


def _same(a, b) -> bool:
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    if isinstance(a, dt.datetime) or isinstance(b, dt.datetime):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) < 0.005
    return a == b


@pytest.mark.parametrize("name", ["plain", "delayed", "split"])
def test_every_formula_cell_is_cached_with_what_libreoffice_computes(built, name):
    path, _, _, _, recalculated = built[name]
    formulas = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    computed = openpyxl.load_workbook(recalculated, data_only=True)
    checked = 0
    for title in formulas.sheetnames:
        if not title.startswith(MY_SHEETS):
            continue
        for row in formulas[title].iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    mine, theirs = cached[title][cell.coordinate].value, computed[title][cell.coordinate].value
                    assert _same(mine, theirs), (title, cell.coordinate, cell.value[:80], mine, theirs)
                    checked += 1
    assert checked > 5000

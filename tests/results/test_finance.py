"""Finance views: cash flow, the accrual journal and its roll-forward, what-if by termination
date, and the pictures, each held to the schedule, the calc table or the oracle."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from addin import cli
from addin.cases import from_records, load_cases
from addin.charts import data_path
from addin.results.cashflow import Period, cash_flow, cashflow_frame
from addin.results.journal import (DEFAULT_ACCOUNTS, AccountsError, journal_entries, load_accounts,
                                   roll_forward)
from addin.results.tables import calc_frame, schedule_frame
from addin.results.whatif import Step, WhatIfError, floor_end, termination_dates, what_if, whatif_frame
from addin.rules.engine import compute
from tests.support import ROOT, SAMPLE
from tests.support.oracle import severance as oracle

CASE = {"employee_id": "W1", "employee_name": "Ada", "termination_date": "2024-06-30",
        "termination_reason": "without_cause", "base_salary": "240000.00",
        "prior_year_bonus_declared": "120000.00", "prior_year_bonus_paid": "20000.00",
        "monthly_benefits_cost": "1500.00", "pay_frequency": "semimonthly"}


@pytest.fixture(scope="module")
def sample(agreements):
    cases = load_cases(SAMPLE, agreements)
    return cases, compute(cases, agreements)


def _cents(text: str) -> int:
    return int(Decimal(text) * 100) if text else 0


# ---------------------------------------------------------------------------------------------
# Cash flow

@pytest.mark.parametrize("by", list(Period))
def test_cash_flow_periods_add_up_to_the_schedule_and_the_cash_totals(sample, by):
    cases, payouts = sample
    flow = cash_flow(cases, payouts, by)
    schedule = schedule_frame(cases, payouts)
    assert int(flow.amounts["cash_total"].sum()) == sum(_cents(a) for a in schedule["amount"])
    assert int(flow.amounts["cash_total"].sum()) == int(payouts.cash_total[payouts.eligible].sum())
    assert int(flow.payments.sum()) == len(schedule)
    for component in ("salary_continuation", "prorated_bonus", "unpaid_bonus"):
        assert int(flow.amounts[component].sum()) == int(getattr(payouts, component)[payouts.eligible].sum())
    # Each period's amount is the schedule's payments dated in it.
    label = schedule["payment_date"].str.slice(0, 7)
    if by is Period.QUARTER:
        month = schedule["payment_date"].str.slice(5, 7).astype(int)
        label = schedule["payment_date"].str.slice(0, 4) + "-Q" + ((month - 1) // 3 + 1).astype(str)
    expected = schedule.assign(period=label, cents=schedule["amount"].map(_cents)).groupby("period")["cents"].sum()
    assert dict(zip(flow.period, flow.amounts["cash_total"].tolist())) == expected.to_dict()


def test_cash_flow_by_group_splits_each_period_by_the_column(sample):
    cases, payouts = sample
    by_group = cash_flow(cases, payouts, Period.MONTH, "Department")
    whole = cash_flow(cases, payouts, Period.MONTH)
    frame = cashflow_frame(by_group, "Department")
    assert list(frame.columns[:2]) == ["period", "department"]
    totals = pd.Series(by_group.amounts["cash_total"]).groupby(by_group.period).sum()
    assert totals.to_dict() == dict(zip(whole.period, whole.amounts["cash_total"].tolist()))
    department = dict(zip(cases.employee_id, cases.raw["department"]))
    technology = sum(int(c) for k, c in enumerate(payouts.cash_total)
                     if payouts.eligible[k] and department[cases.employee_id[k]] == "Technology")
    assert int(by_group.amounts["cash_total"][by_group.group == "Technology"].sum()) == technology


def test_cashflow_command_writes_the_table_and_refuses_an_unknown_group(tmp_path, capsys):
    out = tmp_path / "flow.csv"
    assert cli.main(["cashflow", str(SAMPLE), "--by", "quarter", "-o", str(out)]) == 1  # sample has rejected rows
    frame = pd.read_csv(out, dtype=str)
    assert list(frame.columns) == ["period", "salary_continuation", "prorated_bonus", "unpaid_bonus",
                                   "cash_total", "payments"]
    assert frame["period"].str.fullmatch(r"\d{4}-Q[1-4]").all()
    assert cli.main(["cashflow", str(SAMPLE), "--group", "region", "-o", str(out)]) == 2
    assert "--group 'region': the case table has no such column" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Journal

def test_every_entry_balances_and_each_case_accrues_its_total_value(sample):
    cases, payouts = sample
    entries = journal_entries(cases, payouts)
    for number in np.unique(entries.entry):
        lines = entries.entry == number
        assert lines.sum() == 2
        assert entries.debit[lines].sum() == entries.credit[lines].sum() > 0
    recognised = entries.event == "recognition"
    for k in np.flatnonzero(payouts.eligible):
        mine = entries.case == k
        assert entries.credit[mine & recognised].sum() == payouts.total_value[k]
        paid_out = entries.credit[mine & (entries.account == "cash")].sum()
        assert paid_out == payouts.total_value[k]
    assert not np.isin(entries.case, np.flatnonzero(~payouts.eligible)).any()


def test_the_roll_forward_closes_at_zero_and_each_month_follows_on(sample):
    cases, payouts = sample
    table = roll_forward(journal_entries(cases, payouts))
    for account in ("accrued_severance", "accrued_benefits"):
        rows = table["account"] == account
        opening, closing = table["opening"][rows], table["closing"][rows]
        assert opening[0] == 0 and closing[-1] == 0
        assert (opening[1:] == closing[:-1]).all()
        assert (closing == opening + table["accrued"][rows] - table["paid"][rows]).all()
        assert (closing >= 0).all()


def test_a_notification_date_before_termination_moves_the_recognition(agreements, tmp_path):
    path = tmp_path / "cases.csv"
    pd.DataFrame([dict(CASE, notification_date="2024-05-15"),
                  dict(CASE, employee_id="W2", notification_date=""),
                  dict(CASE, employee_id="W3", notification_date="2024-08-01")]).to_csv(path, index=False)
    out = tmp_path / "journal.csv"
    assert cli.main(["journal", str(path), "-o", str(out)]) == 0
    journal = pd.read_csv(out, dtype=str, keep_default_na=False)
    first = journal[journal["event"] == "recognition"].groupby("employee_id")["date"].first()
    # A notification after the termination date cannot precede the event: the termination date.
    assert first.to_dict() == {"W1": "2024-05-15", "W2": "2024-06-30", "W3": "2024-06-30"}


def test_accounts_come_from_the_file_and_a_wrong_key_is_named(tmp_path):
    good = tmp_path / "accounts.toml"
    good.write_text('[accounts]\ncash = "1010 Operating cash"\n')
    assert load_accounts(good) == dict(DEFAULT_ACCOUNTS, cash="1010 Operating cash")
    bad = tmp_path / "bad.toml"
    bad.write_text('[accounts]\npetty_cash = "1020"\n')
    with pytest.raises(AccountsError, match=r"bad.toml: \[accounts\] 'petty_cash' is not an account"):
        load_accounts(bad)
    assert cli.main(["journal", str(SAMPLE), "--accounts", str(bad)]) == 2


# ---------------------------------------------------------------------------------------------
# What-if

def _calc_for(agreements, case: dict, day: dt.date) -> dict:
    cases = from_records([dict(case, termination_date=day.isoformat())], agreements)
    return calc_frame(cases, compute(cases, agreements)).iloc[0].to_dict()


@settings(max_examples=25, deadline=None)
@given(start=st.dates(dt.date(2001, 1, 1), dt.date(2030, 12, 1)), length=st.integers(0, 40),
       step=st.sampled_from(list(Step)),
       frequency=st.sampled_from(["weekly", "biweekly", "semimonthly", "monthly"]))
def test_each_what_if_point_is_what_calc_gives_on_that_date(agreements, start, length, step, frequency):
    case = dict(CASE, pay_frequency=frequency)
    dates = termination_dates(start, start + dt.timedelta(days=length), step)
    grid, payouts = what_if(from_records([case], agreements), agreements, dates)
    frame = whatif_frame(grid, payouts)
    for row in frame.to_dict("records")[:8]:
        calc = _calc_for(agreements, case, dt.date.fromisoformat(row["termination_date"]))
        for name in ("status", "salary_continuation", "prorated_bonus", "unpaid_bonus",
                     "benefits_continuation", "cash_total", "total_value", "bonus_proration"):
            assert row[name] == calc[name], (row["termination_date"], name)


@pytest.mark.parametrize("year", [2023, 2024])
def test_the_floor_ends_on_the_day_the_oracle_says(agreements, year):
    dates = termination_dates(dt.date(year, 1, 1), dt.date(year, 12, 31), Step.DAY)
    grid, payouts = what_if(from_records([CASE], agreements), agreements, dates)
    expected = next(d for d in (dt.date(year, 1, 1) + dt.timedelta(days=i) for i in range(366))
                    if oracle(d, "without_cause", Decimal(240000), Decimal(120000), Decimal(20000),
                              Decimal(1500))["prorated_bonus"] > Decimal("60000.00"))
    assert floor_end(grid, payouts, agreements).astype(object) == expected
    cash = payouts.cash_total
    before = dates < np.datetime64(expected)
    assert len(set(cash[before].tolist())) == 1, "the floor keeps the payout flat until it ends"


def test_a_bad_range_is_refused():
    with pytest.raises(WhatIfError, match="before --from"):
        termination_dates(dt.date(2024, 5, 1), dt.date(2024, 4, 1), Step.DAY)
    with pytest.raises(WhatIfError, match="outside"):
        termination_dates(dt.date(1900, 1, 1), dt.date(1900, 2, 1), Step.DAY)
    assert list(termination_dates(dt.date(2024, 1, 31), dt.date(2024, 5, 1), Step.MONTH).astype(str)) == \
        ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]


def test_whatif_command_writes_the_table_and_a_picture_with_its_data(tmp_path):
    out, picture = tmp_path / "whatif.csv", tmp_path / "whatif.png"
    status = cli.main(["whatif", str(SAMPLE), "--from", "2024-01-01", "--to", "2024-12-31",
                       "--step", "week", "-o", str(out), "--plot", str(picture)])
    assert status == 1  # the sample's rejected rows
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    dates = termination_dates(dt.date(2024, 1, 1), dt.date(2024, 12, 31), Step.WEEK)
    sample = pd.read_csv(SAMPLE, dtype=str)
    assert len(frame) == len(sample) * len(dates)
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(picture.read_bytes()[16:20], "big"), int.from_bytes(picture.read_bytes()[20:24], "big")
    assert (width, height) == (1200, 672)
    data = pd.read_csv(data_path(picture), dtype=str)
    paid = frame[frame["status"] == "paid"]
    total = paid.assign(c=paid["cash_total"].map(_cents)).groupby("termination_date")["c"].sum()
    assert [_cents(v) for v in data.iloc[:, 1]] == total.reindex(data["termination_date"]).tolist()


def test_cli_subcommands_run_as_a_program(tmp_path):
    out = tmp_path / "j.csv"
    done = subprocess.run([sys.executable, "-m", "addin.cli", "journal", str(SAMPLE), "-o", str(out),
                           "--roll-forward", str(tmp_path / "r.csv")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "balanced entries" in done.stderr
    roll = pd.read_csv(tmp_path / "r.csv", dtype=str)
    assert list(roll.columns) == ["month", "account", "opening", "accrued", "paid", "closing"]


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_deck_pictures_exist_and_their_data_equals_the_tables(sample, agreements, tmp_path):
    from addin.finance import write_plots
    cases, payouts = sample
    written = write_plots(tmp_path, cases, payouts, agreements, str(SAMPLE), group="department",
                          whatif_case="E1002")
    assert [p.name for p in written] == ["payout_by_component.png", "cash_flow_by_month.png",
                                         "payout_by_group.png", "whatif_E1002.png"]
    for picture in written:
        assert _png_size(picture) == (1200, 672)
    paid = payouts.eligible
    component = pd.read_csv(data_path(written[0]), dtype=str)
    assert [_cents(v) for v in component["amount"]] == [
        int(getattr(payouts, c)[paid].sum()) for c in ("salary_continuation", "prorated_bonus",
                                                        "unpaid_bonus", "benefits_continuation")]
    flow = pd.read_csv(data_path(written[1]), dtype=str)
    whole = cash_flow(cases, payouts, Period.MONTH)
    assert list(flow["month"]) == list(whole.period)
    assert sum(flow[c].map(_cents).sum() for c in flow.columns[1:]) == int(whole.amounts["cash_total"].sum())
    groups = pd.read_csv(data_path(written[2]), dtype=str)
    assert sum(groups[c].map(_cents).sum() for c in groups.columns[1:]) == int(payouts.total_value[paid].sum())
    curve = pd.read_csv(data_path(written[3]), dtype=str)
    k = int(np.flatnonzero(cases.employee_id == "E1002")[0])
    case = {name: str(cases.raw.iloc[k][name]) for name in ("employee_id", "termination_reason", "base_salary",
                                                           "prior_year_bonus_declared", "prior_year_bonus_paid",
                                                           "monthly_benefits_cost", "pay_frequency")}
    for row in curve.iloc[::61].itertuples(index=False):
        day = dt.date.fromisoformat(row.termination_date)
        assert row.E1002 == _calc_for(agreements, case, day)["cash_total"], day


def test_finance_commands_read_exports_through_the_map_file(tmp_path):
    export = tmp_path / "export.csv"
    pd.DataFrame([{"Emp ID": "W1", "Term Date": "6/30/2024", "Reason": "RIF", "Annual Base": "240000"}]
                 ).to_csv(export, index=False)
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"Emp ID" = "employee_id"\n"Term Date" = "termination_date"\n'
                       '"Reason" = "termination_reason"\n"Annual Base" = "base_salary"\n'
                       '[values.termination_reason]\n"RIF" = "without_cause"\n[dates]\norder = "MDY"\n')
    out = tmp_path / "flow.csv"
    assert cli.main(["cashflow", str(export), "--map", str(mapping), "-o", str(out)]) == 0
    flow = pd.read_csv(out, dtype=str)
    assert sum(flow["cash_total"].map(_cents)) == 24000000  # (i) only: no bonus given
    assert cli.main(["whatif", str(export), "--map", str(mapping), "--from", "2024-06-30",
                     "--to", "2024-06-30", "-o", str(tmp_path / "w.csv")]) == 0
    assert cli.main(["cashflow", str(export), "-o", str(out)]) == 2  # the export's headers need the map

"""`severance report` speed and memory at 1,000, 10,000 and 100,000 cases, against other ways of
writing the same cells:

  - XlsxWriter writing the same cells (values, formulas, formats, defined names), constant_memory.
    Measured two ways: as documented (`write_formula`), and with XlsxWriter's formula
    preparation skipped where it provably changes nothing (see _write_xlsxwriter): the fastest
    honest XlsxWriter. The two files' sheets are compared byte for byte when both run.
  - DataFrame.to_excel of the result tables (values only, openpyxl).
  - rustpy-xlsxwriter (a Rust writer): the practical ceiling for writing these cells from Python.
    It has no per-cell formula: every formula cell is written as a text cell holding the formula
    text, so it writes as many cells as the others but does not compute (see _write_rustpy).

Each writer runs in its own process (read the case table, compute, write), which reports its
own wall time and peak resident memory, so one writer's memory never counts against another.

    .venv/bin/python benchmarks/bench_report.py [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
LABELS = {"report": "severance report (openpyxl package, rows as XML)",
          "xlsxwriter": "XlsxWriter, same cells, formula preparation skipped",
          "xlsxwriter_documented": "XlsxWriter, same cells, write_formula as documented",
          "to_excel": "DataFrame.to_excel, values only (openpyxl)",
          "rustpy": "rustpy-xlsxwriter (Rust), formulas as text"}
DOCUMENTED_MAX = 10_000      # XlsxWriter's documented formula path: ~10 ms a case, 100k > 15 min
TO_EXCEL_LIMIT_MIB = 8 * 1024  # to_excel holds the whole workbook; skip a size projected above this
EXCEL_ROWS = 1_048_576
SOURCE = "cases.csv"  # the note every writer puts on the Summary (the same text for all)


def generate(n: int, seed: int = 1) -> pd.DataFrame:
    """A case table of n rows as CSV text cells; about 25 payments per case, as in practice
    (most cases paid, most paid semimonthly or weekly)."""
    rng = np.random.default_rng(seed)
    dates = np.datetime64("2015-01-01") + rng.integers(0, 365 * 12, n).astype("timedelta64[D]")

    def money(lo, hi):
        cents = rng.integers(lo * 100, hi * 100, n)
        return [f"{c // 100}.{c % 100:02d}" for c in cents]
    declared = money(0, 300_000)
    for k in np.flatnonzero(rng.random(n) < 0.15):
        declared[k] = ""
    reasons = np.array(["without_cause", "good_reason", "for_cause", "resignation"])
    frequencies = np.array(["weekly", "biweekly", "semimonthly", "monthly"])
    return pd.DataFrame({
        "employee_id": [f"E{k:07d}" for k in range(n)],
        "employee_name": [f"Employee {k}" for k in range(n)],
        "termination_date": np.datetime_as_string(dates, unit="D"),
        "termination_reason": reasons[rng.choice(4, n, p=[0.75, 0.1, 0.1, 0.05])],
        "base_salary": money(150_000, 600_000),
        "prior_year_bonus_declared": declared,
        "prior_year_bonus_paid": money(0, 200_000),
        "monthly_benefits_cost": money(500, 3_000),
        "pay_frequency": frequencies[rng.choice(4, n, p=[0.25, 0.25, 0.4, 0.1])],
        "consented_to_change": np.where(rng.random(n) < 0.3, "true", "false"),
        "department": rng.choice(["Finance", "Sales", "Technology", "Operations"], n),
    })


# ---------------------------------------------------------------------------------------------
# The writers, each run alone in a worker process

def _load(cases_path: str):
    from addin.cases import load_cases
    from addin.rules.engine import compute
    from addin.rules.terms import load_agreements
    agreements = load_agreements()
    cases = load_cases(cases_path, agreements)
    return cases, compute(cases, agreements), agreements


def _write_report(cases, payouts, agreements, out) -> dict:
    from addin.report.writer import build_report
    counts = build_report(cases, payouts, agreements, out, source=SOURCE)
    return {"payments": counts.payments}


def _role_properties():
    """Each report style role as plain properties (number format, bold, colours, wrap)."""
    from addin.excel.styles import default_styles
    out = {}
    for role, style in default_styles().roles.items():
        p = {"num_format": style.number_format, "bold": bool(style.font.b),
             "italic": bool(style.font.i), "text_wrap": bool(style.alignment.wrap_text)}
        if style.font.color is not None and style.font.color.rgb:
            p["font_color"] = "#" + str(style.font.color.rgb)[-6:]
        if style.fill.fill_type == "solid":
            p["bg_color"] = "#" + str(style.fill.fgColor.rgb)[-6:]
        out[role] = p
    return out


def _write_xlsxwriter(cases, payouts, agreements, out, skip_preparation: bool = True) -> dict:
    """The report's cells (values, formulas, formats, defined names) through XlsxWriter.

    XlsxWriter's write_formula first tests each formula against one regex of Excel's dynamic
    array functions (re_dynamic_function: ANCHORARRAY ... XLOOKUP); a formula that matches goes
    to write_dynamic_array_formula. Every other formula then goes through _prepare_formula,
    which strips the "=" and runs ~30 re.sub passes that prefix those same dynamic functions
    with "_xlfn." (the further ~200 "future function" passes run only with the workbook option
    use_future_functions, off by default and off here). For a formula the first regex did not
    match, those passes can change nothing, except the one written `\\SINGLE\\(` (not `\\b`), which
    also matches e.g. "XSINGLE(". So skip_preparation replaces _prepare_formula, on these
    worksheets only, by the "=" strip alone, and hands any formula containing "SINGLE(", "{",
    or "_xlfn." back to XlsxWriter's own: the file is byte for byte the same (the benchmark
    checks it whenever both ways run), at a fraction of the cost. XlsxWriter has no public
    option for it: its only short cut is a formula already containing "_xlfn.", which ours
    never do."""
    import xlsxwriter

    from addin.excel.cells import Kind
    from addin.report.layout import plan_report
    plan, _ = plan_report(cases, payouts, agreements, source=SOURCE)
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    formats = {role: book.add_format(p) for role, p in _role_properties().items()}
    cells = formulas = 0
    for sheet in plan.sheets:
        ws = book.add_worksheet(sheet.title)
        if skip_preparation:
            original = ws._prepare_formula

            def prepare(formula, expand_future_functions=False, original=original):
                if expand_future_functions or "SINGLE(" in formula or "{" in formula \
                        or "_xlfn." in formula:
                    return original(formula, expand_future_functions)
                return formula[1:] if formula.startswith("=") else formula
            ws._prepare_formula = prepare
        write_string, write_formula, write_number = ws.write_string, ws.write_formula, ws.write_number
        write_datetime, write_boolean = ws.write_datetime, ws.write_boolean
        for r, row in enumerate(sheet.rows):
            for c, spec in enumerate(row):
                if spec is None:
                    continue
                kind, value, role, _ = spec
                style = formats[role]
                if kind is Kind.TEXT:
                    write_string(r, c, value, style)
                elif kind is Kind.FORMULA:
                    write_formula(r, c, "=" + value, style)
                    formulas += 1
                elif kind is Kind.NUMBER:
                    write_number(r, c, float(value), style)
                elif kind is Kind.DATE:
                    write_datetime(r, c, value, style)
                else:
                    write_boolean(r, c, value, style)
                cells += 1
    for name, ref in plan.names:
        book.define_name(name, "=" + ref)
    book.close()
    return {"cells": cells, "formulas": formulas}


def _write_xlsxwriter_documented(cases, payouts, agreements, out) -> dict:
    return _write_xlsxwriter(cases, payouts, agreements, out, skip_preparation=False)


def _write_rustpy(cases, payouts, agreements, out) -> dict:
    """The report's cells through rustpy-xlsxwriter, as far as its API reaches.

    Its API takes records (dicts keyed by the header row) per sheet; there is no per-cell
    formula. Its `formula_columns` appends whole columns of one formula template per row after
    the data (with {row} for the row's own number), and `totals_row` adds aggregates below:
    neither can place the report's formulas, which sit between value columns, skip rejected
    rows, and on the Line items and Payment schedule sheets point at other rows of other sheets
    and carry the installment number. So here every formula cell is written as a text cell
    holding the formula text ("=..."): the same cells, in the same places, as many bytes of
    text, but no live formulas, no defined names, no chart, no conditional formats. Values are
    as the other writers write them (text, numbers as doubles, dates, booleans). Formats are per
    column (each column takes the role of its first data cell), the header row takes the header
    role; the rows above the header (title, counts, note) are 2-cell merges A:B, since a merge
    is its only way to write above the header and it refuses 1-cell merges."""
    import rustpy_xlsxwriter as rx

    from addin.excel.cells import Kind, Role
    from addin.report.layout import plan_report
    plan, _ = plan_report(cases, payouts, agreements, source=SOURCE)
    props = _role_properties()

    def fmt(role):
        p, f = props[role], rx.Format()
        if p["num_format"] != "General":
            f = f.set_num_format(p["num_format"])
        if p["bold"]:
            f = f.set_bold()
        if p["italic"]:
            f = f.set_italic()
        if p["text_wrap"]:
            f = f.set_text_wrap()
        if "font_color" in p:
            f = f.set_font_color(p["font_color"])
        if "bg_color" in p:
            f = f.set_background_color(p["bg_color"])
        return f

    formats = {role: fmt(role) for role in props}
    counted = {"cells": 0, "formulas": 0}

    def convert(spec):
        kind, value = spec.kind, spec.value
        counted["cells"] += 1
        if kind is Kind.FORMULA:
            counted["formulas"] += 1
            return "=" + value
        if kind is Kind.NUMBER and not isinstance(value, int):
            return float(value)  # a Decimal amount: a double, as XlsxWriter writes it
        return value

    def record(row, keys, width, title):
        if len(row) > width and any(s is not None for s in row[width:]):
            raise ValueError(f"{title}: a row is wider than its header")
        values = [None if s is None else convert(s) for s in row[:width]]
        values.extend([None] * (width - len(values)))
        return dict(zip(keys, values))

    # Each sheet's header and first row are read here, before rustpy streams the rest; only the
    # Line items pages share one stream of items, so that is right while they fit one sheet.
    assert sum(s.title.startswith("Line items") for s in plan.sheets) == 1
    entries, header_rows, merges, column_formats, header_formats = [], {}, {}, {}, {}
    for sheet in plan.sheets:
        rows = iter(sheet.rows)
        above = []
        for head in rows:  # the rows above the header, then the header (all "header" cells)
            if head and all(s is not None and s.role is Role.HEADER for s in head):
                break
            above.append(head)
        keys = [s.value for s in head]
        assert len(set(keys)) == len(keys), f"{sheet.title}: header labels must be distinct"
        counted["cells"] += len(keys)
        first = next(rows, None)
        cols = []
        for c in range(len(keys)):
            spec = first[c] if first is not None and c < len(first) else None
            cols.append(formats[spec.role] if spec is not None else None)
        merges[sheet.title] = [(r, 0, r, 1, convert(row[0]), formats[row[0].role])
                               for r, row in enumerate(above) if row and row[0] is not None]
        header_rows[sheet.title] = len(above)
        column_formats[sheet.title] = cols
        header_formats[sheet.title] = formats[Role.HEADER]

        def records(first=first, rows=rows, keys=keys, title=sheet.title):
            """The sheet's data rows as records, streamed."""
            width = len(keys)
            # No data rows: one empty record, so that the header row is written (it is made from
            # the records' keys); an empty record writes no cells.
            yield record(first if first is not None else [], keys, width, title)
            for row in rows:
                yield record(row, keys, width, title)

        entries.append((sheet.title, records()))
    rx.write_worksheets(entries, out, header_row=header_rows, merge_ranges=merges,
                        column_formats=column_formats, header_format=header_formats,
                        datetime_format="yyyy-mm-dd")
    return dict(counted)


def _write_to_excel(cases, payouts, agreements, out) -> dict:
    """The result tables as plain values: what `DataFrame.to_excel` gives with no extra work
    (a table longer than a sheet goes on as 'Name (2)', ... as the report does)."""
    from addin.results.tables import calc_frame, line_items, schedule_frame
    items = [dict(employee_id=cases.employee_id[k], clause=i.clause, component=i.component,
                  basis=i.basis, amount=str(i.amount), due_date=str(i.due_date or ""))
             for k in np.flatnonzero(payouts.eligible)
             for i in line_items(cases, payouts, int(k), agreements[cases.agreement[k]])]
    per_sheet = EXCEL_ROWS - 1
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for title, frame in (("Summary", calc_frame(cases, payouts)), ("Line items", pd.DataFrame(items)),
                             ("Payment schedule", schedule_frame(cases, payouts))):
            for page, start in enumerate(range(0, max(len(frame), 1), per_sheet)):
                frame.iloc[start:start + per_sheet].to_excel(
                    writer, sheet_name=title if page == 0 else f"{title} ({page + 1})", index=False)
    return {}


WRITERS = {"report": _write_report, "xlsxwriter": _write_xlsxwriter,
           "xlsxwriter_documented": _write_xlsxwriter_documented, "to_excel": _write_to_excel,
           "rustpy": _write_rustpy}


def peak_rss_mib() -> float:
    """This process's peak resident memory. Read from /proc (VmHWM, the high-water mark of this
    process's own memory map) where there is one: getrusage's ru_maxrss also counts, on Linux,
    the parent's resident size at the fork that started this worker, so under `make bench`
    (a parent that has just run the 1M-case engine benchmark) it would report the parent's."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(kind: str, cases_path: str, out: str) -> dict:
    t0 = time.perf_counter()
    cases, payouts, agreements = _load(cases_path)
    t1 = time.perf_counter()
    extra = WRITERS[kind](cases, payouts, agreements, out)
    t2 = time.perf_counter()
    return {"kind": kind, "read_compute_s": t1 - t0, "write_s": t2 - t1, "total_s": t2 - t0,
            "peak_mib": peak_rss_mib(),
            "bytes": os.path.getsize(out), **extra}


def _measure(kind: str, cases_path: Path, out: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--worker", kind, str(cases_path), str(out)],
                            capture_output=True, text=True, cwd=ROOT, timeout=3 * 3600)
    if result.returncode != 0:
        raise RuntimeError(f"{kind} worker failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _same_sheets(a: Path, b: Path) -> bool:
    """Whether two .xlsx files hold byte-identical worksheets, workbook and styles (the
    document properties, which carry the time of writing, are left out)."""
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        names = [n for n in za.namelist() if n.startswith("xl/")]
        if sorted(names) != sorted(n for n in zb.namelist() if n.startswith("xl/")):
            return False
        return all(za.read(n) == zb.read(n) for n in names)


def _load_note() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def _projected_peak(history: dict[int, float], n: int) -> float | None:
    """Peak MiB at n cases, extrapolated linearly from the two largest sizes measured."""
    if len(history) < 2:
        return None
    (n1, m1), (n2, m2) = sorted(history.items())[-2:]
    return m2 + (m2 - m1) / (n2 - n1) * (n - n2)


def run(sizes=(1_000, 10_000, 100_000), documented_max: int = DOCUMENTED_MAX,
        to_excel_limit_mib: float = TO_EXCEL_LIMIT_MIB) -> list[dict]:
    rows = []
    ours_by_size: dict[int, dict] = {}
    fast_by_size: dict[int, dict] = {}
    rust_by_size: dict[int, dict] = {}
    to_excel_peaks: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        folder = Path(folder)
        for n in sizes:
            cases_path = folder / f"cases_{n}.csv"
            generate(n).to_csv(cases_path, index=False)
            load = _load_note()
            kinds = ["report", "xlsxwriter", "rustpy"]
            skipped = {}
            if n <= documented_max:
                kinds.insert(2, "xlsxwriter_documented")
            projected = _projected_peak(to_excel_peaks, n)
            if projected is not None and projected > to_excel_limit_mib:
                skipped["to_excel"] = (f"not run at {n:,} cases: its peak would be about "
                                       f"{projected / 1024:.0f} GiB (extrapolated linearly from the "
                                       f"peaks measured above, not measured), over the "
                                       f"{to_excel_limit_mib / 1024:.0f} GiB limit")
            else:
                kinds.append("to_excel")
            got = {}
            for kind in kinds:
                print(f"  [report] {n:,} cases: {kind} ...", file=sys.stderr, flush=True)
                got[kind] = _measure(kind, cases_path, folder / f"{kind}_{n}.xlsx")
            ours = got["report"]
            ours_by_size[n] = ours
            fast_by_size[n] = got["xlsxwriter"]
            rust_by_size[n] = got["rustpy"]
            if "to_excel" in got:
                to_excel_peaks[n] = got["to_excel"]["peak_mib"]
            cells, formulas = got["xlsxwriter"]["cells"], got["xlsxwriter"]["formulas"]
            rows.append({
                "name": f"report, {n:,} cases: read, compute, write", "value": ours["total_s"],
                "unit": "s", "note": f"{ours['payments']:,} schedule rows, {cells:,} cells of which "
                f"{formulas:,} formulas; read+compute {ours['read_compute_s']:.1f} s, write "
                f"{ours['write_s']:.1f} s; peak {ours['peak_mib']:,.0f} MiB; "
                f"{ours['bytes'] / 2**20:.1f} MiB file; {load}"})
            for kind in ("xlsxwriter", "xlsxwriter_documented", "rustpy", "to_excel"):
                if kind not in got:
                    continue
                other = got[kind]
                note = (f"write {other['write_s']:.1f} s = {other['write_s'] / ours['write_s']:.2f}x ours; "
                        f"total {other['total_s'] / ours['total_s']:.2f}x ours; "
                        f"peak {other['peak_mib']:,.0f} MiB ({other['peak_mib'] / ours['peak_mib']:.2f}x); "
                        f"{other['bytes'] / 2**20:.1f} MiB file")
                if kind == "xlsxwriter_documented":
                    same = _same_sheets(folder / f"xlsxwriter_{n}.xlsx", folder / f"{kind}_{n}.xlsx")
                    note += ("; sheets byte-identical to the skipped-preparation file" if same else
                             "; WARNING: sheets differ from the skipped-preparation file")
                    note += (f"; preparation = {1 - got['xlsxwriter']['write_s'] / other['write_s']:.0%}"
                             f" of this write")
                    if n == max(s for s in sizes if s <= documented_max) and max(sizes) > n:
                        per_case = other["write_s"] / n
                        note += (f"; not run above {documented_max:,} cases: at {max(sizes):,} it would "
                                 f"take about {per_case * max(sizes) / 60:.0f} min (EXTRAPOLATED "
                                 f"linearly from this {n:,}-case write, not measured)")
                if kind == "rustpy":
                    note += (f"; {other['formulas']:,} formula cells written as text (no per-cell "
                             f"formula in its API)")
                rows.append({"name": f"{LABELS[kind]}, {n:,} cases", "value": other["total_s"],
                             "unit": "s", "note": note})
            for kind, why in skipped.items():
                rows.append({"name": f"{LABELS[kind]}, {n:,} cases", "value": "not run", "unit": "",
                             "note": why})
            rows.append({"name": f"report peak memory, {n:,} cases", "value": ours["peak_mib"],
                         "unit": "MiB", "note": "whole process: Python, pandas, the tables, the writer"})
            for kind in got:
                os.remove(folder / f"{kind}_{n}.xlsx")
    if len(sizes) > 1:
        rows.extend(_growth(ours_by_size, fast_by_size, rust_by_size))
    return rows


def _growth(ours: dict[int, dict], fast: dict[int, dict], rust: dict[int, dict]) -> list[dict]:
    """Time per case at each size over time per case at the smallest (1.0x = linear)."""
    sizes = sorted(ours)
    base = sizes[0]

    def ratios(got, key):
        return [got[n][key] / n / (got[base][key] / base) for n in sizes]

    def shown(values):
        return ", ".join(f"{n:,}: {v:.2f}x" for n, v in zip(sizes, values))
    total, write = ratios(ours, "total_s"), ratios(ours, "write_s")
    memory = [ours[n]["peak_mib"] for n in sizes]
    return [{
        "name": f"report cost growth, time per case vs {base:,} cases", "value": total[-1], "unit": "x",
        "note": f"total {shown(total)}; write alone {shown(write)}; XlsxWriter (skipped preparation) "
                f"write {shown(ratios(fast, 'write_s'))}; rustpy write {shown(ratios(rust, 'write_s'))}; "
                f"1.0x = linear"}, {
        "name": "report memory growth, peak MiB by size", "value": memory[-1] / memory[0], "unit": "x",
        "note": ", ".join(f"{n:,}: {m:,.0f} MiB" for n, m in zip(sizes, memory))
                + f" (x{sizes[-1] // base:,} cases)"}]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "CASES", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    rows = run(tuple(int(s) for s in args.sizes.split(",")))
    print("| measurement | value | unit | note |\n|---|---:|---|---|")
    for row in rows:
        value = row["value"]
        shown = f"{value:,.2f}" if isinstance(value, (int, float)) else str(value)
        print(f"| {row['name']} | {shown} | {row['unit']} | {row['note']} |")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

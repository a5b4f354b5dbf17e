"""docs/reliability.md, rendered from the adversarial suite's JSON (never typed by hand).

The adversarial tests (tests/adversarial) merge what each one tried into the JSON file named by
RELIABILITY_REPORT (see `record` in tests/adversarial/test_adversarial.py). This script renders
that file as Markdown: a header saying when, where and in which session the figures were
measured, one table of what must hold, the hostile files and the interruptions in detail, then
tests/support/reliability_notes.md (what the inputs are, what the suite changed, known limits).

    .venv/bin/python -m tests.support.reliability_doc --run    # run the suite, then render
    .venv/bin/python -m tests.support.reliability_doc          # render an existing JSON
        [--json out/reliability.json] [--out docs/reliability.md]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
JSON = ROOT / "out" / "reliability.json"
DOC = ROOT / "docs" / "reliability.md"
NOTES = Path(__file__).resolve().parent / "reliability_notes.md"
HOSTILE = "hostile_file: "
PREFIX = "severance: error: "


class Item(NamedTuple):
    key: str        # the name the test records its figures under
    holds: str      # what must hold, in words
    tried: str      # the inputs tried, a format over the recorded figures
    lost: str       # the figure of what was lost ("" when the item cannot lose anything)


ITEMS = (
    Item("engine_equals_reference",
         "Random tables: every figure, date and payment equals the row-by-row reading of the letter "
         "(`tests/support/oracle.py`)",
         "{inputs_tried:,} tables, {cases:,} cases, {payments_compared:,} payments", ""),
    Item("installments_and_totals",
         "Random tables, one cent to one billion: the installments of (i) are equal but for the last, "
         "never negative, and sum to (i); `cash_total` = (i)+(ii)+(iii), `total_value` adds (iv); "
         "the schedule pays exactly `cash_total`",
         "{inputs_tried:,} tables, {cases:,} cases, {installments_checked:,} installments", ""),
    Item("every_row_once",
         "Random tables of valid, spoiled, junk, blank and repeated-id rows through `severance calc` "
         "(CSV, text `.xlsx`, typed `.xlsx` in; CSV, JSON, `.xlsx`, Parquet out): never a crash, every "
         "input row out exactly once, in order, rejected rows naming their row",
         "{inputs_tried:,} tables, {rows:,} rows ({rejected_rows_accounted:,} rejected)", "{rows_lost} rows"),
    Item("engine_udf_libreoffice_agree",
         "The engine, `SEVERANCE_TABLE` (through xlwings' Office.js dispatcher) and the report's own "
         "formulas recalculated by LibreOffice agree to the cent on the same cases",
         "{inputs_tried:,} cases ({paid:,} paid), {figures_compared:,} figures, "
         "{payments_compared:,} payments", ""),
    Item("hostile_cells",
         "Formula, DDE and control-character payloads in every text column stay text in every output",
         "{inputs_tried:,} rows ({payloads} payloads x {text_columns} text columns, and as ids), "
         "{input_formats} input formats, {output_files:,} output files, {cells_checked:,} cells", ""),
    Item("hostile_cells_libreoffice_csv",
         "LibreOffice opening the CSV `calc` writes runs none of them (a control CSV shows it would)",
         "{cells_opened:,} cells; formulas run: {formulas_run} (control: {control_formulas_run})", ""),
    Item("repeated_id_rows",
         "One id on 20,000 rows: every row rejected, quickly",
         "{inputs_tried:,} rows, {seconds} s, {peak_mib} MiB", ""),
    Item("interruption",
         "`severance report` killed mid-run: OUT is the previous workbook byte for byte, or none, or "
         "the complete new one",
         "{inputs_tried} kills, {killed_while_writing_out} of them while the workbook was being written",
         "{bytes_lost:,} bytes"),
    Item("concurrency",
         "Reports run at once into one folder: each is byte for byte the workbook a run alone writes",
         "{inputs_tried} reports x {cases_per_report:,} cases, {wall_seconds} s wall time, "
         "at most {max_peak_mib} MiB each", "{bytes_lost:,} bytes"),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def header(data: dict) -> list[str]:
    facts = data.get("_run", {})
    versions = ", ".join(f"{k} {v}" for k, v in sorted(facts.get("versions", {}).items()))
    items = [v for k, v in data.items() if not k.startswith("_")]
    recorded = sorted(v["recorded_utc"] for v in items if "recorded_utc" in v)
    sessions = {v.get("session") for v in items}
    span = f"{recorded[0]} to {recorded[-1]}" if recorded else "an unknown time"
    one = (f"one session (`{facts.get('session', '?')}`)" if len(sessions) == 1 else
           f"**{len(sessions)} sessions** (items measured in an earlier one are marked)")
    lines = [
        "# Reliability",
        "",
        "*Written by `.venv/bin/python -m tests.support.reliability_doc --run` from the adversarial suite's JSON "
        "(`RELIABILITY_REPORT`); do not edit by hand, run it again.*",
        "",
        "`make test` runs an adversarial suite beside the worked examples: "
        "`tests/adversarial/test_adversarial.py` (random case tables, hostile cells, hostile files) "
        "and `tests/adversarial/test_adversarial_report.py` (interrupted and concurrent reports; "
        "engine, Excel function and recalculated report side by side). None of its tests is ever "
        "skipped: without LibreOffice the tests that need it fail. Every test counts what it tried, "
        "and the figures below are those counts.",
        "",
        f"Measured {span} (UTC) in {one}, of commit {facts.get('commit', '(not recorded)')}, on "
        f"{facts.get('machine', '?')}, {facts.get('cores', '?')} "
        f"cores, Python {facts.get('python', '?')}; {versions}.",
    ]
    if data.get("_pytest"):
        lines += ["", f"The run, `pytest tests/adversarial`: {data['_pytest']}."]
    return lines


def summary_table(data: dict) -> list[str]:
    current = data.get("_run", {}).get("session")
    lines = ["| What must hold | Inputs tried | Failures | Lost |", "|---|---|---|---|"]
    for item in ITEMS:
        figures = data.get(item.key)
        if figures is None:
            lines.append(f"| {_cell(item.holds)} | **not recorded in this run** | - | - |")
            continue
        earlier = " (earlier session)" if figures.get("session") != current else ""
        lost = item.lost.format(**figures) if item.lost else "-"
        lines.append(f"| {_cell(item.holds)} | {_cell(item.tried.format(**figures))}{earlier} | "
                     f"{figures['failures']} | {lost} |")
    files = {k[len(HOSTILE):]: v for k, v in data.items() if k.startswith(HOSTILE)}
    if files:
        commands = sum(v["commands"] for v in files.values())
        lines.append(f"| Hostile files fail with one clear line, exit status 2, bounded time and memory, "
                     f"no output, no partial file (below) | {len(files)} files, {commands} commands | "
                     f"{sum(v['failures'] for v in files.values())} | "
                     f"{sum(v['bytes_lost'] for v in files.values()):,} bytes |")
    return lines


def hostile_files_table(data: dict) -> list[str]:
    files = {k[len(HOSTILE):]: v for k, v in data.items() if k.startswith(HOSTILE)}
    if not files:
        return ["No hostile file was recorded in this run."]
    lines = ["| File | Bytes | Failures | Slowest | Peak | Lost | The message (`severance: error: ...`) |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for name, v in files.items():
        size = f"{v['input_bytes']:,}" if v["input_bytes"] else "-"
        lines.append(f"| {_cell(name)} | {size} | {v['failures']} | {v['max_seconds']:.2f} s | "
                     f"{v['max_peak_mib']} MiB | {v['bytes_lost']} | `{_cell(v['message'].removeprefix(PREFIX))}` |")
    return lines


def interruption_table(data: dict) -> list[str]:
    figures = data.get("interruption")
    if figures is None:
        return ["The interruption test was not recorded in this run."]
    lines = [f"The table's workbook is {figures['workbook_bytes']:,} bytes; the report alone took "
             f"{figures['full_run_seconds']} s.", "",
             "| Signal | Moment | Previous OUT | Exit | Partial workbook at the kill | OUT afterwards | "
             "Left beside OUT | Lost |",
             "|---|---|---|---:|---:|---|---|---:|"]
    for run in figures["runs"]:
        partial = f"{run['partial_bytes_at_kill']:,} B" if run["partial_bytes_at_kill"] else "-"
        if not run["out_intact"]:
            after = "**not as it should be**"
        elif run["exit"] == 0:
            after = "the complete new workbook"
        else:
            after = "the previous workbook, intact" if run["previous"] else "none"
        left = (f"{run['left_beside_out']} hidden folder(s), {run['left_beside_out_bytes']:,} B"
                if run["left_beside_out"] else "nothing")
        lines.append(f"| {run['signal']} | {run['moment']} | {'yes' if run['previous'] else 'no'} | "
                     f"{run['exit']} | {partial} | {after} | {left} | {run['bytes_lost']:,} B |")
    return lines


def render(data: dict) -> str:
    lines = [*header(data), "", *summary_table(data), "",
             "## Hostile files", "", *hostile_files_table(data), "",
             "## Interruption", "", *interruption_table(data), ""]
    notes = NOTES.read_text(encoding="utf-8").strip() if NOTES.exists() else ""
    return "\n".join(lines) + ("\n" + notes + "\n" if notes else "")


def run_suite(json_path: Path) -> str:
    """Run the adversarial suite with its figures going to a fresh JSON; its pytest summary."""
    json_path.unlink(missing_ok=True)
    env = {**os.environ, "RELIABILITY_REPORT": str(json_path)}
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/adversarial"], cwd=ROOT, env=env, capture_output=True, text=True)
    print(done.stdout[-2000:], done.stderr[-2000:], sep="\n", file=sys.stderr)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "no output"
    verdict = "" if done.returncode == 0 else f" (exit status {done.returncode}: FAILED)"
    return f"{last.strip('= ')}{verdict}, {time.monotonic() - began:.0f} s in all"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, default=JSON, help="the suite's JSON (default: out/reliability.json)")
    parser.add_argument("--out", type=Path, default=DOC, help="the document (default: docs/reliability.md)")
    parser.add_argument("--run", action="store_true", help="run tests/adversarial first, into a fresh JSON")
    args = parser.parse_args(argv)
    summary = run_suite(args.json) if args.run else None
    if not args.json.exists():
        print(f"{args.json}: no such file; run with --run, or run the suite with RELIABILITY_REPORT set",
              file=sys.stderr)
        return 2
    data = json.loads(args.json.read_text(encoding="utf-8"))
    if summary is not None:  # kept with the figures, so a later render still says how the run went
        data["_pytest"] = summary
        args.json.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(data), encoding="utf-8")
    print(f"written: {args.out}", file=sys.stderr)
    return 0 if summary is None or "FAILED" not in summary else 1


if __name__ == "__main__":
    sys.exit(main())

"""Test support: the oracle, LibreOffice recalculation, the UDF worker and shared paths."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "workbooks" / "sample_cases.csv"

"""The report style template (workbooks/report_template.xlsx): a sample cell per style role,
which finance restyles in Excel. Its layout is the report's own (addin.excel.styles writes it and
reads it back), so the shipped file is built by the report writer, never planned twice."""

from __future__ import annotations

from ..report.writer import build_report_template

__all__ = ["build_report_template"]

"""The payout report: a plan of typed cells per sheet, and the writer that streams it to .xlsx.
May import every layer below it (rules, cases, results, excel)."""

from .writer import add_subcommand, build_report, build_report_template

__all__ = ["add_subcommand", "build_report", "build_report_template"]

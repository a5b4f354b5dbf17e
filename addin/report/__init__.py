"""The payout report: a plan of typed cells per sheet, and the writer that streams it to .xlsx.
May import every layer below it (rules, cases, results, excel).

The writer (and openpyxl) is imported when first used, not with the package: the command line
reads the report's flags from addin.report.command without it."""

from .command import add_subcommand

__all__ = ["add_subcommand", "build_report", "build_report_template"]


def __getattr__(name: str):
    if name in ("build_report", "build_report_template"):
        from . import writer
        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

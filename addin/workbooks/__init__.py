"""The shipped workbooks: the calculator, the functions demo, the case-table template and the
report style template, each built by code. May import every layer below it and addin.udfs."""

from .templates import add_subcommand

__all__ = ["add_subcommand"]

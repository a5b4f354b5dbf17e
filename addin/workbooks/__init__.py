"""The shipped workbooks: the calculator, the functions demo, the case-table template and the
report style template, each built by code from a plan of typed cells (layout). May import every
layer below it and addin.udfs."""

from .check import add_subcommand

__all__ = ["add_subcommand"]

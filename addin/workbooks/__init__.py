"""The shipped workbooks: the calculator, the functions demo, the case-table template and the
report style template, each built by code from a plan of typed cells (layout). May import every
layer below it and addin.udfs."""

from .command import add_subcommand  # (the builders are imported when a command runs)

__all__ = ["add_subcommand"]

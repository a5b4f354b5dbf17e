"""Charts of the report's finance sheets (Cash flow, By group): which cells each series reads,
as data, and the one function that turns such a plan into an openpyxl chart.

A series is a column of cells (rows first_row..last_row of column `column`), titled by the cell
above it; the categories are another column of the same rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.chart import BarChart, Reference

from ..excel.cells import WHOLE_MONEY_FORMAT
from .plan import SheetPlan


@dataclass(frozen=True)
class ColumnChart:
    """A column chart of `series` columns over the rows first_row..last_row; the header row
    (first_row - 1) titles each series; `stacked` stacks them (one column per category)."""
    title: str
    anchor: str
    categories_column: int
    series_columns: tuple[int, ...]
    first_row: int
    last_row: int
    stacked: bool = False
    y_title: str = "amount"
    x_title: str = ""


@dataclass
class ChartedSheet(SheetPlan):
    """A sheet plan with any number of column charts."""
    charts: tuple[ColumnChart, ...] = field(default_factory=tuple)


def column_chart(ws, plan: ColumnChart) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.title = plan.title
    if plan.stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    chart.y_axis.title = plan.y_title
    chart.x_axis.title = plan.x_title or None
    chart.y_axis.numFmt = WHOLE_MONEY_FORMAT
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.width, chart.height = 22, 10
    for column in plan.series_columns:
        chart.add_data(Reference(ws, min_col=column, max_col=column, min_row=plan.first_row - 1,
                                 max_row=plan.last_row), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=plan.categories_column, max_col=plan.categories_column,
                                   min_row=plan.first_row, max_row=plan.last_row))
    return chart


def add_charts(ws, sheet: SheetPlan) -> None:
    """The charts of a ChartedSheet (none for any other sheet plan)."""
    for plan in getattr(sheet, "charts", ()):
        ws.add_chart(column_chart(ws, plan), plan.anchor)

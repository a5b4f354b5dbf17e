"""Pictures for a deck (PNG, matplotlib): payout by component, cash flow by month, payout by
group, and the what-if curve. Each picture's data is written beside it as CSV, so every bar and
point can be checked against the tables it came from. An adapter: every figure is the engine's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from .rules.money import format_cents_array

SIZE_INCHES = (10, 5.6)
DPI = 120                      # 1200 x 672 pixels: legible on a slide
MAX_LINES = 10                 # what-if cases drawn one line each; more are summed


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter
    return plt, FuncFormatter


def _dollars(value, _position) -> str:
    return f"${value:,.0f}"


def _figure(title: str):
    plt, formatter = _pyplot()
    fig, ax = plt.subplots(figsize=SIZE_INCHES, dpi=DPI)
    ax.set_title(title, fontsize=13)
    ax.yaxis.set_major_formatter(formatter(_dollars))
    ax.grid(axis="y", color="#dddddd")
    ax.set_axisbelow(True)
    return plt, fig, ax


def data_path(picture: Path) -> Path:
    """Where the data behind a picture is written: beside it, `<name>-data.csv`."""
    picture = Path(picture)
    return picture.with_name(picture.stem + "-data.csv")


def _save(plt, fig, path: Path, data: pd.DataFrame) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    data.to_csv(data_path(path), index=False)
    return path


def _dollars_of(cents: np.ndarray) -> np.ndarray:
    """Cents as dollars for drawing only (a bar's height); the CSV beside keeps exact text."""
    return np.asarray(cents, dtype=np.int64) / 100


def stacked_columns(path: Path, title: str, categories: Sequence[str],
                    series: dict[str, np.ndarray], x_label: str) -> Path:
    """Columns per category, stacked by series (cents)."""
    plt, fig, ax = _figure(title)
    bottom = np.zeros(len(categories))
    for label, cents in series.items():
        heights = _dollars_of(cents)
        ax.bar(list(categories), heights, bottom=bottom, label=label)
        bottom = bottom + heights
    ax.set_xlabel(x_label)
    ax.set_ylabel("US dollars")
    if len(categories) > 12:
        ax.tick_params(axis="x", labelrotation=60, labelsize=8)
    if len(categories) > 36:  # every label would overlap: show every k-th
        k = -(-len(categories) // 36)
        for i, label in enumerate(ax.get_xticklabels()):
            label.set_visible(i % k == 0)
    ax.legend()
    data = pd.DataFrame({x_label: list(categories)})
    for label, cents in series.items():
        data[label] = format_cents_array(cents)
    return _save(plt, fig, path, data)


def what_if_curve(path: Path, title: str, dates: np.ndarray, lines: dict[str, np.ndarray],
                  floor_ends: Sequence[np.datetime64]) -> Path:
    """Cash total (cents) against termination date, one line per case (at most MAX_LINES; the
    caller sums larger sets into one line), with the end of the floor's flat stretch marked."""
    plt, fig, ax = _figure(title)
    x = dates.astype("datetime64[D]").astype(object)
    for label, cents in lines.items():
        ax.plot(x, _dollars_of(cents), label=label, linewidth=1.6)
    for end in floor_ends:
        ax.axvspan(x[0], end.astype(object), color="#f2f2f2", zorder=0)
        ax.axvline(end.astype(object), color="#c00000", linestyle="--", linewidth=1)
        ax.annotate(f"bonus floor holds until {end - np.timedelta64(1, 'D')}", (end.astype(object), ax.get_ylim()[1]),
                    textcoords="offset points", xytext=(4, -14), color="#c00000", fontsize=9)
    ax.set_xlabel("termination date")
    ax.set_ylabel("cash total, US dollars")
    if len(lines) <= MAX_LINES:
        ax.legend(fontsize=8, loc="lower right")
    fig.autofmt_xdate()
    data = pd.DataFrame({"termination_date": np.datetime_as_string(dates, unit="D")})
    for label, cents in lines.items():
        data[label] = format_cents_array(cents)
    return _save(plt, fig, path, data)

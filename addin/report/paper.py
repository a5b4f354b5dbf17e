"""The paper a report is set up to print on (addin.report.printing lays the pages out)."""

from __future__ import annotations

from enum import Enum


class Paper(str, Enum):
    LETTER = "letter"
    A4 = "a4"

"""Case tables: reading files (with their guards) and validating every cell into a CaseTable.

May import addin.rules only.
"""

from .columns import CASE_COLUMNS, FIRST_YEAR, LAST_YEAR, MONEY_COLUMNS, REQUIRED_COLUMNS
from .reading import CaseFileError, normalize_column, prepare_frame, read_case_file
from .validation import from_records, load_cases, validate

__all__ = ["CASE_COLUMNS", "FIRST_YEAR", "LAST_YEAR", "MONEY_COLUMNS", "REQUIRED_COLUMNS",
           "CaseFileError", "normalize_column", "prepare_frame", "read_case_file",
           "from_records", "load_cases", "validate"]

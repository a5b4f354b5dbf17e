"""Case tables: reading files (with their guards) and validating every cell into a CaseTable.

May import addin.rules only.
"""

from .columns import CASE_COLUMNS, FIRST_YEAR, LAST_YEAR, MONEY_COLUMNS, REQUIRED_COLUMNS
from .errors import CaseFileError, MapError
from .headers import normalize_column
from .mapping import Applied, CaseMap, DateOrder, How, Reading, describe, load_map
from .reading import prepare_frame, prepare_table, read_case_file, read_cases
from .spelling import spelling_key
from .validation import case_map_of, from_records, load_cases, validate

__all__ = ["CASE_COLUMNS", "FIRST_YEAR", "LAST_YEAR", "MONEY_COLUMNS", "REQUIRED_COLUMNS",
           "CaseFileError", "MapError", "normalize_column", "Applied", "CaseMap", "DateOrder", "How",
           "Reading", "describe", "load_map", "prepare_frame", "prepare_table", "read_case_file", "read_cases",
           "spelling_key", "case_map_of", "from_records", "load_cases", "validate"]

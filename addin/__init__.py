"""Severance add-in: the severance terms of an executive employment letter, computed exactly.

rules (terms, calendar, engine, payments) <- cases <- results <- excel <- report, workbooks;
udfs and cli are thin adapters over them.
"""

__version__ = "0.1.0"

"""Severance add-in: the severance terms of an executive employment letter, computed exactly.

terms -> cases -> engine -> schedule are the core; udfs, report, templates and cli are adapters.
"""

__version__ = "0.1.0"

"""Excel: formula text for every rule, workbook plumbing (the only module that touches
openpyxl's internals) and styles. May import addin.rules, addin.cases and addin.results."""

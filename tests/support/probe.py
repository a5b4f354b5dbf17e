"""Refs that record every name a formula reads, for holding formulas to their declarations."""


class Probe(dict):
    """Refs that record every name a formula reads (each read gives a distinct reference)."""

    def __init__(self):
        super().__init__()
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.read.add(name)
        return f"REF_{name.upper()}"

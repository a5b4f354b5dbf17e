import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def agreements():
    from addin.rules.terms import load_agreements
    return load_agreements()


@pytest.fixture(scope="session")
def sample_cases_path():
    return ROOT / "workbooks" / "sample_cases.csv"

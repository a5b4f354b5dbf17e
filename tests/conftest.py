import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def agreements():
    from addin.terms import load_agreements
    return load_agreements()


@pytest.fixture(scope="session")
def sample_cases_path():
    return ROOT / "workbooks" / "sample_cases.csv"

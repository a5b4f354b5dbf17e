"""Which CSV files Arrow reads and which it leaves to pandas: a blank line anywhere, a bare
carriage return, found wherever they fall among the chunks the bytes are looked at in."""

from __future__ import annotations

import pytest

from addin.cases import arrow_csv


def _plain_by_search(raw: bytes) -> bool:
    """The same question, by Python's bytes searches."""
    return not (b"\n\n" in raw or b"\n\r\n" in raw or raw.startswith((b"\n", b"\r"))
                or (b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n")))


@pytest.mark.parametrize("at", range(0, 40))
@pytest.mark.parametrize("inserted", [b"\n\n", b"\r\n\r\n", b"\n\r\n", b"\r", b"\n", b"\r\n"])
def test_a_blank_line_or_bare_return_is_found_in_any_chunk(monkeypatch, at, inserted):
    monkeypatch.setattr(arrow_csv, "_BLANK_CHUNK", 16)
    lines = b"ab,c\nde,f\ngh,i\njk,l\nmn,o\npq,r\nst,u\nvw,x\n"
    raw = lines[:at] + inserted + lines[at:]
    assert arrow_csv._plain(raw, 0) == _plain_by_search(raw), raw

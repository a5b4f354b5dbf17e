"""The run stamp: when a report was made (UTC), by which add-in version, from which input file
and agreement files (each with its SHA-256), and how many rows it holds. It stands in the
Summary's header, every page's footer, the document properties and the Run sheet.

SOURCE_DATE_EPOCH (seconds since 1970, UTC; the reproducible-builds convention) fixes the time,
so the same inputs and epoch give the same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from importlib import resources
from pathlib import Path
from typing import NamedTuple, Sequence

from .. import __version__
from ..rules.terms import Agreement

BUILT_IN = "built-in "   # how addin.rules.terms names a built-in agreement file's source


class AgreementFile(NamedTuple):
    name: str      # the file (a built-in one: "built-in savvis-2002-cto.toml")
    sha256: str    # of its bytes ("" where it cannot be read)


class RunStamp(NamedTuple):
    time: dt.datetime                 # UTC, to the second
    version: str
    input_name: str
    input_sha256: str                 # "" where no file was read
    agreements: tuple[AgreementFile, ...]
    counts: str                       # "43 input rows: 31 paid, 7 no_severance, 5 rejected"

    @property
    def when(self) -> str:
        return self.time.strftime("%Y-%m-%d %H:%M:%S UTC")

    def line(self) -> str:
        """The stamp in one short line (a page's footer; the Run sheet has it whole)."""
        digest = f" (SHA-256 {self.input_sha256[:12]})" if self.input_sha256 else ""
        return f"Run {self.time:%Y-%m-%d %H:%M} UTC, add-in {self.version}, {self.input_name}{digest}"

    def sentence(self) -> str:
        """The stamp whole, as a sentence (the Summary's header)."""
        files = "; ".join(f"{f.name} (SHA-256 {f.sha256 or 'unreadable'})" for f in self.agreements)
        digest = f" (SHA-256 {self.input_sha256})" if self.input_sha256 else ""
        return (f"Run {self.when} by the add-in {self.version} from {self.input_name}{digest}; "
                f"agreement file: {files or '(none)'}; {self.counts}.")

    def lines(self) -> list[tuple[str, str]]:
        """The stamp as (item, value) lines: the Run sheet and the document properties."""
        out = [("run time", self.when), ("add-in version", self.version),
               ("input file", self.input_name), ("input SHA-256", self.input_sha256 or "(no file)")]
        for file in self.agreements:
            out.append(("agreement file", f"{file.name} (SHA-256 {file.sha256 or 'unreadable'})"))
        out.append(("rows", self.counts))
        return out

    def text(self) -> str:
        return "\n".join(f"{item}: {value}" for item, value in self.lines())


def run_time(environ=os.environ) -> dt.datetime:
    """Now (UTC, to the second), or the time SOURCE_DATE_EPOCH gives."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH: {epoch!r} is not a number of seconds since "
                             "1970-01-01 UTC") from None
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def agreement_file(agreement: Agreement) -> AgreementFile:
    """The file an agreement was read from, with its SHA-256."""
    source = agreement.source
    try:
        if source.startswith(BUILT_IN):
            data = (resources.files("addin.rules") / "agreements" / source[len(BUILT_IN):]).read_bytes()
            return AgreementFile(source, hashlib.sha256(data).hexdigest())
        return AgreementFile(source, file_sha256(source))
    except OSError:
        return AgreementFile(source, "")


def make_stamp(input_name: str, input_path: str | Path | None, used: Sequence[Agreement],
               counts: str) -> RunStamp:
    files = tuple(dict.fromkeys(agreement_file(a) for a in used))  # one line per file
    digest = file_sha256(input_path) if input_path is not None else ""
    return RunStamp(run_time(), __version__, input_name, digest, files, counts)

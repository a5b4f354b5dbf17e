"""Python's cycle collector paused for bulk work: reading a workbook's million cells, or the
calc and schedule of a million cases, makes millions of objects that hold no reference cycles,
and each of the collector's passes would walk all of them (about a tenth of a million-case calc).
Collection resumes, and collects anything left, when the work ends."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def paused_collection():
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()

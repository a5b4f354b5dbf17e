"""Work done ahead, while other work runs without the GIL.

  - `ahead`: the parts of a large table, on other threads, in order: Arrow's kernels release
    the GIL, so one part's text is made while the part before it is written (two cores here do
    the work of a million-case calc side by side);
  - `Later`: a value the caller needs next (a command's terms), computed by a reader while it
    waits on work that does not hold the GIL (calamine laying a sheet out), or when asked for;
  - `alongside`: one call on another thread while this one does other work (Arrow reading a
    file, the terms loaded meanwhile).
"""

from __future__ import annotations

import collections
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Generic, Iterable, Iterator, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

WORKERS = 2


def ahead(function: Callable[[Item], Result], items: Iterable[Item], workers: int = WORKERS) -> Iterator[Result]:
    """function(item) for each item, in order, computed up to `workers` items ahead of the
    one taken (so at most workers + 1 results are held at once)."""
    with ThreadPoolExecutor(workers) as pool:
        pending = collections.deque()
        try:
            for item in items:
                pending.append(pool.submit(function, item))
                if len(pending) > workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:   # the taker stopped early (or failed): no more work
                future.cancel()


def alongside(function: Callable[..., Result], *args, meanwhile: Callable[[], None] | None = None) -> Result:
    """function(*args), on another thread while this one does `meanwhile` (None: just the call)."""
    if meanwhile is None:
        return function(*args)
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(function, *args)
        meanwhile()
        return result.result()


class Later(Generic[Result]):
    """function() computed once: by run(), at a moment whoever holds it chooses, or at the
    latest by value(). An exception it raises is kept, and raised by value()."""

    def __init__(self, function: Callable[[], Result]):
        self._function = function
        self._done = False
        self._value: Result | None = None
        self._error: Exception | None = None

    def run(self) -> None:
        """Compute the value now, unless that is done (an exception waits for value())."""
        if self._done:
            return
        try:
            self._value = self._function()
        except Exception as exc:   # noqa: BLE001 - kept, and raised where the value is asked for
            self._error = exc
        self._done = True

    def value(self) -> Result:
        self.run()
        if self._error is not None:
            raise self._error
        return self._value

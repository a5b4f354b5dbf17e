"""Work on the parts of a large table done ahead, on other threads, in order: Arrow's kernels
release the GIL, so one part's text is made while the part before it is written (two cores
here do the work of a million-case calc side by side)."""

from __future__ import annotations

import collections
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

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

"""A Python process that loads addin.udfs the way one xlwings runtime does, for the UDF tests.

xlwings picks its runtime when it is first imported (XLWINGS_ON_SERVER=true: the Office.js
custom functions of xlwings Lite and xlwings Server; unset: the desktop path), and the test
session imports it once. So each runtime gets its own process:

    python tests/support/udf_worker.py officejs    # XLWINGS_ON_SERVER=true, XLWINGS_LICENSE_KEY=noncommercial
    python tests/support/udf_worker.py desktop     # neither variable

It answers requests (pickled, length-prefixed, on stdin/stdout) by running them through xlwings'
own machinery: `meta` -> xlwings.server.custom_functions_meta(addin.udfs), `call` ->
xlwings.server.custom_functions_call(payload, addin.udfs), `direct` -> the function called as
Python. With "main", `meta` and `call` use a module that only did `from addin.udfs import *`,
as an xlwings Lite main.py or an xlwings Server custom-functions module does. The noncommercial
key exists only in this process: it lets the tests exercise xlwings' Office.js dispatcher and is
not a deployment licence. The functions load the built-in agreements only, unless the worker is
given a terms file (SEVERANCE_TERMS, as a deployment sets it).
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# --- the test side ------------------------------------------------------------------------------

EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (1900 date system, from March 1900 on)


def serial(d: dt.date) -> float:
    """A date as Excel holds it: its serial."""
    return float((d - EPOCH).days)


def payload(function: str, *args, runtime: str = "1.4") -> dict:
    """What xlwings' Office.js client (custom_functions_code.js) posts for one formula: the
    Python name of the function, its arguments, the calling cell, the add-in's xlwings version
    and the CustomFunctionsRuntime version Excel supports."""
    from importlib.metadata import version
    return {"func_name": function.lower(), "args": list(args), "caller_address": "[Payouts.xlsx]Sheet1!B2",
            "content_language": "en-US", "version": version("xlwings"), "runtime": runtime}


class WorkerError(Exception):
    """An exception raised inside the worker, as (type name, message, is an XlwingsError)."""

    def __init__(self, kind: str, message: str, xlwings_error: bool):
        super().__init__(f"{kind}: {message}")
        self.kind, self.message, self.xlwings_error = kind, message, xlwings_error


class Worker:
    """One runtime's process; call it with a request tuple, get the answer or WorkerError.
    `terms`: a TOML terms file the functions load besides the built-in agreements."""

    def __init__(self, mode: str, terms: Path | None = None):
        env = {k: v for k, v in os.environ.items()
               if k not in ("XLWINGS_ON_SERVER", "XLWINGS_LICENSE_KEY", "SEVERANCE_TERMS")}
        if mode == "officejs":
            env.update(XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
        if terms is not None:
            env["SEVERANCE_TERMS"] = str(terms)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), mode],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=str(ROOT))

    def __call__(self, *request):
        data = pickle.dumps(request)
        self.process.stdin.write(struct.pack("<Q", len(data)) + data)
        self.process.stdin.flush()
        header = self.process.stdout.read(8)
        if len(header) < 8:
            raise RuntimeError(f"the UDF worker stopped (exit status {self.process.wait()})")
        status, *answer = pickle.loads(self.process.stdout.read(struct.unpack("<Q", header)[0]))
        if status == "error":
            raise WorkerError(*answer)
        return answer[0]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


# --- the worker side ----------------------------------------------------------------------------

def _serve(mode: str) -> None:
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed must not mix with the answers
    if mode == "desktop":
        assert "XLWINGS_ON_SERVER" not in os.environ
    import asyncio

    import xlwings as xw
    from addin import udfs
    if mode == "officejs":
        import xlwings.server
    import types
    # How xlwings Lite (main.py) and xlwings Server (custom_functions) load the functions.
    main = types.ModuleType("main")
    exec("from addin.udfs import *", main.__dict__)
    modules = {"udfs": udfs, "main": main}
    loop = asyncio.new_event_loop()

    def handle(request):
        op, *args = request
        if op == "runtime":
            return udfs.RUNTIME
        if op == "registered":
            return sorted(name for name in dir(udfs) if hasattr(getattr(udfs, name), "__xlfunc__"))
        if op == "meta":
            return xlwings.server.custom_functions_meta(modules[args[0] if args else "udfs"])
        if op == "call":
            module = modules[args[1] if len(args) > 1 else "udfs"]
            return loop.run_until_complete(xlwings.server.custom_functions_call(args[0], module))
        if op == "direct":
            name, call_args = args
            return getattr(udfs, name)(*call_args)
        raise ValueError(f"unknown request {op!r}")

    stdin = sys.stdin.buffer
    while True:
        header = stdin.read(8)
        if len(header) < 8:
            return
        request = pickle.loads(stdin.read(struct.unpack("<Q", header)[0]))
        try:
            answer = ("ok", handle(request))
        except Exception as exc:  # handed back to the test, which judges it
            answer = ("error", type(exc).__name__, str(exc), isinstance(exc, xw.XlwingsError))
        data = pickle.dumps(answer)
        out.write(struct.pack("<Q", len(data)) + data)
        out.flush()


if __name__ == "__main__":
    _serve(sys.argv[1])

"""The desktop add-in, proved as far as Linux allows: xlwings' own Import Functions generator
(`generate_vba_wrapper` in xlwings/udfs.py) runs over addin.udfs in a subprocess, with only its
Windows-only imports (pythoncom, pywintypes, win32com) stubbed in that process, and the VBA it
writes is what Excel imports on Windows: every function, its arguments in order, `Optional`
exactly where the Python has defaults, every description within Excel's 255 characters."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

from tests.support import ROOT

GENERATE = textwrap.dedent('''
    import io, json, sys, types

    # Only the Windows-only modules are stand-ins; xlwings' generator itself is the real one.
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.VT_ERROR = 10
    pythoncom.CoInitialize = lambda: None
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *a, **k: None
    client.VARIANT = lambda *a, **k: ("VARIANT",) + a
    win32com.client = client
    sys.modules.update({"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com,
                        "win32com.client": client})

    import xlwings
    import xlwings.udfs as xlwings_udfs
    # What xlwings/__init__.py binds on Windows with pywin32 present.
    xlwings.func, xlwings.arg, xlwings.ret = xlwings_udfs.xlfunc, xlwings_udfs.xlarg, xlwings_udfs.xlret

    import addin.udfs as module
    assert module.RUNTIME == "com", module.RUNTIME

    class Workbook:
        Name = "severance_functions.xlsm"

    out = io.StringIO()
    xlwings_udfs.generate_vba_wrapper("addin.udfs", module, out, Workbook())
    meta = {}
    for name in module.__all__:
        xlfunc = getattr(module, name).__xlfunc__
        meta[xlfunc["name"]] = {
            "doc": xlfunc["ret"]["doc"] or "",
            "args": [{"name": a["name"], "doc": a.get("doc") or "", "optional": "optional" in a}
                     for a in xlfunc["args"]],
        }
    json.dump({"vba": out.getvalue(), "meta": meta}, sys.stdout)
''')


def _generated() -> dict:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", GENERATE], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _python_signatures() -> dict[str, list[tuple[str, bool]]]:
    """Each function's arguments and whether it has a default, read from the plain import."""
    done = subprocess.run(
        [sys.executable, "-c", "import inspect, json, addin.udfs as m; print(json.dumps({n: [(p.name, "
         "p.default is not inspect.Parameter.empty) for p in inspect.signature(getattr(m, n))"
         ".parameters.values()] for n in m.__all__}))"],
        cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return {name: [tuple(p) for p in params] for name, params in json.loads(done.stdout).items()}


def test_import_functions_writes_every_function_with_its_arguments_in_order():
    generated = _generated()
    vba = generated["vba"]
    signatures = _python_signatures()
    declared = dict(re.findall(r"^Function (\w+)\(([^)]*)\)", vba, flags=re.M))
    assert set(declared) == set(signatures) == set(generated["meta"])
    for name, params in signatures.items():
        expected = ", ".join(("Optional " if has_default else "") + arg for arg, has_default in params)
        assert declared[name] == expected, name
        # The call passes the same arguments, in the same order, to the same Python function.
        call = re.search(rf'{name} = XLPy.CallUDF\("addin.udfs", "{name}", '
                         rf'Array\(([^)]*)\), ThisWorkbook, Application.Caller\)', vba)
        assert call, name
        assert call.group(1) == ", ".join(arg for arg, _ in params), name
    assert vba.count("End Function") == len(signatures)


def test_every_description_fits_excel():
    for name, meta in _generated()["meta"].items():
        assert 0 < len(meta["doc"]) <= 255, (name, len(meta["doc"]))
        for arg in meta["args"]:
            assert 0 < len(arg["doc"]) <= 255, (name, arg["name"], len(arg["doc"]))

"""Run one example as the reader edited it, in the reader's browser, and return what it published.

The book's pages run examples with Pyodide in a Web Worker; the worker calls :func:`run` with the
example's name and the source in the page's editor. The source is compiled under the file name
``NAME.py`` and executed as ``__main__``, exactly as ``python NAME.py`` would; what the example
publishes with :func:`l2book.glue`, :func:`l2book.claim` and :func:`l2book.figure` is returned
as plain JSON, with each value also formatted the way the book prints it. Printed output goes to
the worker's stdout and stderr handlers, not through here.

An exception is returned as a traceback of the reader's own lines (frames of ``NAME.py``), not of
the runtime that ran them.
"""

from __future__ import annotations

import json
import linecache
import sys
import traceback
from pathlib import Path
from typing import Any

from l2book import publish

__all__ = ["MAX_FIGURE_BYTES", "reader_traceback", "run"]

OUTPUT_ROOT = Path("/tmp/l2book-output")
MAX_FIGURE_BYTES = 3_000_000
"""Larger SVGs are not sent to the page (a huge figure would freeze it): a note says so."""


def reader_traceback(error: BaseException, filename: str) -> str:
    """The traceback of ``error`` restricted to the frames of ``filename``, the reader's code.

    A syntax error shows its line and caret. If no frame is the reader's (the error happened
    before their code ran), the whole traceback is kept.
    """
    exception = traceback.TracebackException.from_exception(error, capture_locals=False)
    if isinstance(error, SyntaxError):
        return "".join(exception.format_exception_only())
    own = [frame for frame in exception.stack if frame.filename == filename]
    if not own:
        return "".join(exception.format())
    lines = ["Traceback (most recent call last, your code only):\n"]
    lines += traceback.StackSummary.from_list(own).format()
    lines += exception.format_exception_only()
    return "".join(lines)


def _missing_module_note(error: BaseException) -> str:
    if isinstance(error, ModuleNotFoundError) and error.name:
        return (
            f"\nThe module {error.name!r} is not part of this site's Python: examples here can "
            "import numpy, matplotlib, l2book and the standard library (and scikit-learn).\n"
        )
    return ""


def run(name: str, source: str) -> str:
    """Execute ``source`` as example ``name``; returns a JSON object of what it published.

    Keys: ``values`` (key to ``{"value", "text"}``), ``claims`` (key to ``{"sentence", "holds",
    "values"}``, values formatted), ``figures`` (list of ``{"name", "alt", "caption", "svg"}``)
    and ``error`` (the reader's traceback, or ``null``).
    """
    filename = f"{name}.py"
    folder = OUTPUT_ROOT / name
    publish.start_run(name, folder)
    # The traceback module reads source lines through linecache: the edited code is no file.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict[str, Any] = {"__name__": "__main__", "__file__": filename}
    error = None
    try:
        code = compile(source, filename, "exec")
        exec(code, namespace)
    except SystemExit as stop:
        if stop.code not in (None, 0):
            error = reader_traceback(stop, filename)
    except BaseException as raised:  # the reader's code may raise anything; show it
        error = reader_traceback(raised, filename) + _missing_module_note(raised)
    finally:
        finished = publish.end_run()
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
    return json.dumps(_outputs(finished, folder, error), ensure_ascii=False)


def _outputs(finished: publish.Run | None, folder: Path, error: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    claims: dict[str, Any] = {}
    figures: list[dict[str, Any]] = []
    if finished is not None:
        values = publish.with_text(finished.values)
        for key, record in finished.claims.items():
            shown = {k: publish.format_value(v) for k, v in record["values"].items()}
            claims[key] = {**record, "text": shown}
        for figure, record in finished.figures.items():
            path = folder / record["file"]
            size = path.stat().st_size if path.is_file() else 0
            svg = path.read_text("utf-8") if 0 < size <= MAX_FIGURE_BYTES else None
            figures.append({"name": figure, **record, "bytes": size, "svg": svg})
    return {"values": values, "claims": claims, "figures": figures, "error": error}

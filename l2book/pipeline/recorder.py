"""What an example used of the project, recorded inside its kernel.

The runner starts each kernel with ``--IPKernelApp.exec_lines`` running this file (by path, under
the name ``__l2book_recorder__``) before the first cell, with these variables set:

* ``L2BOOK_RECORD``: the JSON file to write (rewritten after every cell);
* ``L2BOOK_RECORD_CODE``: the project's package folders (``os.pathsep``-separated);
* ``L2BOOK_RECORD_PACKAGES``: their import names; a kernel that imports one of them from
  somewhere else records where (``"elsewhere"``), since nothing it ran there would be seen;
* ``L2BOOK_RECORD_FILES``: the folders whose files count as the example's data;
* ``L2BOOK_RECORD_IGNORE``: folders inside those that do not (the example's own outputs; the
  Python installation is always left out);
* ``L2BOOK_RECORD_CODE_CACHE`` (optional): a folder where instrumented modules are kept, compiled,
  keyed by their source, this file and the Python version, so that each kernel does not parse
  and compile the package again (like ``__pycache__``; a file used is touched).

It writes ``{"ran": {file: [qualified names]}, "modules": [files], "opened": [files],
"listed": [folders]}``: the functions of the package that ran, the package modules imported, and
the data files opened for reading and folders listed.

How: the package's modules are imported through a loader that adds one statement at the top of
each function's body, ``__l2book_ran__["QUALNAME"] = 1`` (one dict store, a few tens of
nanoseconds, and only in the project's own functions); files and folders come from the audit
events ``open``, ``os.listdir`` and ``os.scandir``, except those of the import system itself.
Tracing every call (``sys.settrace``, or cProfile's C profiler) was measured instead: it made
the examples take about half as long again, as matplotlib makes hundreds of thousands of Python
calls.

The inserted statement takes the line of the body's first statement, so tracebacks and warnings
show the same lines. This file imports nothing from l2book: recording must not import the package
it records. :func:`definitions` is shared with :mod:`l2book.pipeline.dependencies`, which hashes
the same functions under the same names.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.machinery
import importlib.util
import json
import marshal
import os
import sys
import threading
from collections.abc import Iterator

RAN = "__l2book_ran__"
"""Module global the instrumented functions write to: ``{qualified name: 1}``."""

Definition = ast.FunctionDef | ast.AsyncFunctionDef


def definitions(tree: ast.AST) -> Iterator[tuple[str, Definition]]:
    """Every function definition in ``tree`` with its ``__qualname__`` (as Python names it)."""

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, Definition]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + child.name
                yield name, child
                yield from walk(child, f"{name}.<locals>.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(tree, "")


def instrument(tree: ast.Module) -> ast.Module:
    """``tree`` with ``__l2book_ran__[QUALNAME] = 1`` first in every function body (in place).

    The statement goes after a docstring, so ``__doc__`` is unchanged.
    """
    for name, function in definitions(tree):
        first = function.body[0]
        docstring = (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        )
        at = 1 if docstring and len(function.body) > 1 else 0
        anchor = function.body[at] if at < len(function.body) else first
        mark = ast.Assign(
            targets=[
                ast.Subscript(
                    value=ast.Name(id=RAN, ctx=ast.Load()),
                    slice=ast.Constant(value=name),
                    ctx=ast.Store(),
                )
            ],
            value=ast.Constant(value=1),
        )
        for node in ast.walk(mark):
            ast.copy_location(node, anchor)
        function.body.insert(1 if docstring else 0, mark)
    return tree


def _folders(variable: str) -> tuple[str, ...]:
    return tuple(
        os.path.join(os.path.realpath(folder), "")
        for folder in os.environ.get(variable, "").split(os.pathsep)
        if folder
    )


class _Recorder:
    """The state of one kernel's recording (see the module docstring)."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.code = _folders("L2BOOK_RECORD_CODE")
        self.packages = [p for p in os.environ.get("L2BOOK_RECORD_PACKAGES", "").split(",") if p]
        self.files = _folders("L2BOOK_RECORD_FILES")
        # The Python installation and its packages (a virtual environment may live inside the
        # project) are covered by the versions in the cache key, not by file hashes.
        installed = {sys.prefix, sys.base_prefix, sys.exec_prefix}
        self.ignore = _folders("L2BOOK_RECORD_IGNORE") + tuple(
            os.path.join(os.path.realpath(p), "") for p in sorted(installed)
        )
        self.code_cache = os.environ.get("L2BOOK_RECORD_CODE_CACHE") or None
        # The instrumented code depends on the source, on this file and on the Python version.
        with open(__file__, "rb") as handle:
            self.version = importlib.util.MAGIC_NUMBER + hashlib.sha256(handle.read()).digest()
        self.ran: dict[str, dict[str, int]] = {}
        self.opened: set[str] = set()
        self.listed: set[str] = set()
        self.modules: set[str] = set()
        self.seen_modules: set[str] = set()
        self.local = threading.local()

    # -- imports -----------------------------------------------------------------------------
    def find_spec(self, fullname: str, path: object = None, target: object = None) -> object:
        """Ask the other finders; give the package's source modules the recording loader."""
        self.local.importing = getattr(self.local, "importing", 0) + 1
        try:
            spec = None
            for finder in sys.meta_path:
                find = getattr(finder, "find_spec", None)
                if finder is self or find is None:
                    continue
                spec = find(fullname, path, target)
                if spec is not None:
                    break
        finally:
            self.local.importing -= 1
        loader = getattr(spec, "loader", None)
        if (
            type(loader) is importlib.machinery.SourceFileLoader
            and spec.origin
            and os.path.realpath(spec.origin).startswith(self.code)
        ):
            spec.loader = _RecordingLoader(loader.name, loader.path, self)
        return spec

    # -- files -------------------------------------------------------------------------------
    def audit(self, event: str, args: tuple) -> None:
        if event not in ("open", "os.listdir", "os.scandir") or getattr(
            self.local, "importing", 0
        ):
            return
        path = args[0] if args else None
        if event == "open":
            mode, flags = args[1], args[2]
            reading = "r" in mode or "+" in mode if mode else not flags & (os.O_WRONLY | os.O_RDWR)
            if not reading:
                return
        if path is None:
            path = "."
        if isinstance(path, int):
            return
        try:
            path = os.path.realpath(os.fsdecode(os.fspath(path)))
        except (TypeError, ValueError):
            return
        if path.startswith(self.files) and not os.path.join(path, "").startswith(self.ignore):
            (self.opened if event == "open" else self.listed).add(path)

    # -- the record --------------------------------------------------------------------------
    def write(self, *_: object) -> None:
        # Modules are looked at once each (a realpath is a few system calls, and a kernel holds
        # hundreds of modules): after every cell only the new ones.
        for name, module in list(sys.modules.items()):
            if name not in self.seen_modules:
                self.seen_modules.add(name)
                file = getattr(module, "__file__", None)
                if file and os.path.realpath(file).startswith(self.code):
                    self.modules.add(os.path.realpath(file))
        elsewhere = {}
        for name in self.packages:
            file = getattr(sys.modules.get(name), "__file__", None)
            if file and not os.path.realpath(file).startswith(self.code):
                elsewhere[name] = os.path.realpath(file)
        record = {
            "elsewhere": elsewhere,
            "ran": {file: sorted(names) for file, names in sorted(self.ran.items()) if names},
            "modules": sorted(self.modules),
            "opened": sorted(self.opened),
            "listed": sorted(self.listed),
        }
        partial = f"{self.target}.partial"
        with open(partial, "w", encoding="utf-8") as handle:
            json.dump(record, handle, indent=0)
        os.replace(partial, self.target)


class _RecordingLoader(importlib.machinery.SourceFileLoader):
    """Loads a package module from its source (never from bytecode), instrumented."""

    def __init__(self, fullname: str, path: str, recorder: _Recorder) -> None:
        super().__init__(fullname, path)
        self.recorder = recorder

    def get_code(self, fullname: str) -> object:
        path = self.get_filename(fullname)
        recorder = self.recorder
        local = recorder.local
        local.importing = getattr(local, "importing", 0) + 1
        try:
            source = self.get_data(path)
            cached = None
            if recorder.code_cache:
                key = hashlib.sha256(recorder.version + path.encode() + b"\0" + source)
                cached = os.path.join(recorder.code_cache, key.hexdigest()[:40])
                try:
                    with open(cached, "rb") as handle:
                        code = marshal.loads(handle.read())
                    os.utime(cached)
                    return code
                except (OSError, ValueError, EOFError, TypeError):
                    pass
            code = compile(instrument(ast.parse(source, path)), path, "exec", dont_inherit=True)
            if cached is not None:
                os.makedirs(recorder.code_cache, exist_ok=True)
                partial = f"{cached}.{os.getpid()}.tmp"
                with open(partial, "wb") as handle:
                    handle.write(marshal.dumps(code))
                os.replace(partial, cached)
            return code
        finally:
            local.importing -= 1

    def exec_module(self, module: object) -> None:
        file = os.path.realpath(self.get_filename(self.name))
        setattr(module, RAN, self.recorder.ran.setdefault(file, {}))
        super().exec_module(module)


def start(target: str) -> _Recorder:
    """Record from now on (imports, files) and write ``target`` after each IPython cell."""
    recorder = _Recorder(target)
    sys.meta_path.insert(0, recorder)
    sys.addaudithook(recorder.audit)
    from IPython import get_ipython

    get_ipython().events.register("post_run_cell", recorder.write)
    return recorder


if __name__ == "__l2book_recorder__":
    start(os.environ["L2BOOK_RECORD"])

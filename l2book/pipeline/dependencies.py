"""What a run depended on, and whether any of it changed since.

A run's record (:mod:`l2book.pipeline.recorder`) lists the package's functions that ran, the
package modules imported, and the project's files opened and folders listed. :func:`depends`
turns it into hashes; :func:`changed` compares them with the project as it is now.

Code is compared as syntax trees (``ast.dump`` without positions): comments, blank lines and
layout are left out, since they cannot change what runs; docstrings are kept, since they are
values a program can read. Each piece of a module counts separately:

* a function: its whole definition (decorators, signature, docstring, body, nested functions),
  for the examples that ran it;
* the module level: everything else (imports, constants, class bodies, decorators and
  signatures, whose defaults are evaluated on import), for every example that imported it.

A change to a function no example ran re-runs none; a change to module-level code re-runs every
example that imported the module. One case is not seen: a docstring read (``f.__doc__``) of a
function that never ran. The book's examples read none (a test checks it).
"""

from __future__ import annotations

import ast
import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l2book.pipeline.recorder import definitions

__all__ = ["Places", "Snapshot", "changed", "depends", "module_code"]

CHANGED_DURING_RUN = "changed while the example ran"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class ModuleCode:
    """Hashes of one module's pieces: its module level and each function by qualified name."""

    module: str
    functions: dict[str, str]


def module_code(source: str | bytes, filename: str = "<module>") -> ModuleCode:
    """The hashes of ``source``'s module level and of each of its functions."""
    tree = ast.parse(source, filename)
    dumps: dict[str, list[str]] = {}
    found = list(definitions(tree))
    for name, function in found:
        # Two definitions under one name (a property's getter and setter, or an if/else pair):
        # the name's hash covers both.
        dumps.setdefault(name, []).append(ast.dump(function))
    for _, function in found:
        function.body = [ast.Pass()]
    return ModuleCode(
        _digest(ast.dump(tree)), {name: _digest("\0".join(d)) for name, d in dumps.items()}
    )


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:32]


def listing_hash(path: Path) -> str:
    return _digest("\0".join(sorted(os.listdir(path))))


@dataclass(frozen=True)
class Places:
    """Paths written relative to labelled folders (``package/network.py``), so that a record
    stays valid when the project is moved or checked out elsewhere."""

    folders: Mapping[str, Path]

    def label(self, path: str | Path) -> str:
        path = Path(os.path.realpath(path))
        for name, folder in self.folders.items():
            folder = Path(os.path.realpath(folder))
            if path == folder or path.is_relative_to(folder):
                relative = path.relative_to(folder).as_posix()
                return name if relative == "." else f"{name}/{relative}"
        return path.as_posix()

    def path(self, label: str) -> Path:
        name, _, rest = label.partition("/")
        if name in self.folders:
            return Path(self.folders[name], rest) if rest else Path(self.folders[name])
        return Path(label)


@dataclass
class Snapshot:
    """The project's code as it is now, read once per build, file by file as needed.

    Read the code files an example may depend on *before* running it (:meth:`read`): an edit
    made while it runs then shows as a change at the next build, never as a stale hit.
    """

    places: Places
    _code: dict[str, ModuleCode | None] = field(default_factory=dict)

    def code(self, label: str) -> ModuleCode | None:
        """The hashes of the module ``label``, or None if it is gone or does not parse."""
        if label not in self._code:
            try:
                path = self.places.path(label)
                self._code[label] = module_code(path.read_bytes(), str(path))
            except (OSError, SyntaxError, ValueError):
                self._code[label] = None
        return self._code[label]

    def read(self, files: Iterable[Path]) -> None:
        for path in files:
            if path.suffix == ".py":
                self.code(self.places.label(path))


def depends(record: Mapping[str, Any], snapshot: Snapshot, started: float) -> dict[str, Any]:
    """The hashes a run's ``record`` depends on, from ``snapshot`` (code) and the disk (data).

    A data file modified after ``started`` (a ``time.time()``) gets a hash that never matches.
    """
    places = snapshot.places
    ran = {places.label(file): names for file, names in record["ran"].items()}
    code: dict[str, Any] = {}
    for file in record["modules"]:
        label = places.label(file)
        found = snapshot.code(label)
        if found is None:
            code[label] = {"module": CHANGED_DURING_RUN, "functions": {}}
            continue
        functions = {
            name: found.functions.get(name, CHANGED_DURING_RUN) for name in ran.get(label, [])
        }
        code[label] = {"module": found.module, "functions": dict(sorted(functions.items()))}

    def stable(path: Path, digest: Any) -> str:
        try:
            before = path.stat().st_mtime
            value = digest(path)
            return value if before < started and path.stat().st_mtime == before else (
                CHANGED_DURING_RUN
            )
        except OSError:
            return CHANGED_DURING_RUN

    return {
        "code": dict(sorted(code.items())),
        "files": {places.label(f): stable(Path(f), file_hash) for f in sorted(record["opened"])},
        "listed": {places.label(f): stable(Path(f), listing_hash) for f in sorted(record["listed"])},
    }


def changed(recorded: Mapping[str, Any], snapshot: Snapshot) -> str | None:
    """What changed of what a run depended on (the first thing found), or None."""
    places = snapshot.places
    for label, pieces in sorted(recorded["code"].items()):
        now = snapshot.code(label)
        if now is None:
            return f"{label} is gone or does not parse"
        if now.module != pieces["module"]:
            return f"{label}: module-level code changed"
        for name, digest in sorted(pieces["functions"].items()):
            if now.functions.get(name) != digest:
                return f"{label}: {name} changed"
    for label, digest in sorted(recorded["files"].items()):
        path = places.path(label)
        if not path.is_file() or file_hash(path) != digest:
            return f"{label} changed"
    for label, digest in sorted(recorded["listed"].items()):
        path = places.path(label)
        if not path.is_dir() or listing_hash(path) != digest:
            return f"the files in {label} changed"
    return None

"""Cache of executed examples, keyed by everything an example's outputs can depend on.

key = sha256(example source + a fingerprint of the files every example depends on as a whole
             + the options that affect execution + versions of Python, numpy and matplotlib)

A cache entry is a folder ``CACHE/NAME/KEY/`` holding the executed notebook, ``outputs.json``, the
SVG figures and ``run.json`` (which also records what the run used of the project, checked by
:mod:`l2book.pipeline.build` before the entry is used). Only successful runs are stored, and a
lookup matches the exact key: a failing example never falls back to an older output.

``run.json`` lists every other file of the entry with its sha256, and a lookup checks them: an
entry damaged after it was stored (a disk that filled up, a partial copy, a hand edit) is
removed and counts as a miss, so the example runs again instead of breaking the build.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from l2book.examples._registry import EXAMPLES_DIR, is_example_file

__all__ = ["Cache", "Entry", "cache_key", "fingerprint", "package_dir", "source_files", "versions"]

RUN_FILE = "run.json"
_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: a build running at the
    same time never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def package_dir(name: str = "l2book") -> Path:
    """Folder of the importable package ``name`` (found without importing it)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"package {name!r} cannot be found; is it installed (pip install -e .)?")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def source_files(roots: Iterable[Path]) -> list[Path]:
    """Every file under ``roots`` (files or folders), sorted, skipping caches and bytecode.

    The package's own examples are skipped: each example's source is part of its own key only,
    so editing one example re-runs just that one.
    """
    found: set[Path] = set()
    for root in roots:
        root = Path(root).resolve()
        if root.is_file():
            found.add(root)
            continue
        for folder, subdirs, files in os.walk(root):
            subdirs[:] = sorted(d for d in subdirs if d not in _SKIP_DIRS and not d.startswith("."))
            for file in files:
                path = Path(folder, file)
                if file.startswith(".") or path.suffix in {".pyc", ".pyo"}:
                    continue
                if path.parent == EXAMPLES_DIR and is_example_file(path):
                    continue
                found.add(path)
    return sorted(found)


def fingerprint(files: Iterable[Path], bases: Mapping[str, Path] | None = None) -> str:
    """sha256 over (path, bytes) of each file, in sorted order.

    A path under one of ``bases`` (``{label: folder}``, first match wins) is hashed as
    ``label/relative/path``, so the fingerprint does not change when the project is moved.
    """
    roots = [(label, Path(base).resolve()) for label, base in (bases or {}).items()]
    digest = hashlib.sha256()
    for path in sorted(files):
        name = path.as_posix()
        for label, base in roots:
            if path.is_relative_to(base):
                name = f"{label}/{path.relative_to(base).as_posix()}"
                break
        data = path.read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    """Versions of Python, numpy and matplotlib (read from metadata, nothing imported)."""
    found = {"python": platform.python_version()}
    for package in ("numpy", "matplotlib"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = "missing"
    return found


def cache_key(example_source: bytes, sources_hash: str, options: Mapping[str, Any]) -> str:
    """The key of one example's outputs (hex sha256)."""
    digest = hashlib.sha256()
    digest.update(b"example\0" + example_source)
    digest.update(b"\0sources\0" + sources_hash.encode())
    digest.update(b"\0options\0" + json.dumps(dict(options), sort_keys=True, default=str).encode())
    digest.update(b"\0versions\0" + json.dumps(versions(), sort_keys=True).encode())
    return digest.hexdigest()


def file_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file in ``folder`` and below (``run.json`` excepted), by relative path."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != RUN_FILE
    }


def damage(folder: Path) -> str | None:
    """What is wrong with the cache entry in ``folder``, or None if it is whole."""
    try:
        listed = json.loads((folder / RUN_FILE).read_text("utf-8"))["files"]
    except FileNotFoundError:
        return f"has no {RUN_FILE}"
    except (ValueError, KeyError, TypeError):
        return f"has a {RUN_FILE} that is cut short or lists no files"
    for name, expected in sorted(listed.items()):
        path = folder / name
        if not path.is_file():
            return f"has lost {name}"
        if hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            return f"has a changed or cut-short {name}"
    return None


@dataclass(frozen=True)
class Entry:
    """A complete cache entry (the folder of one successful run)."""

    name: str
    key: str
    folder: Path

    @property
    def run(self) -> dict[str, Any]:
        return json.loads((self.folder / RUN_FILE).read_text("utf-8"))


class Cache:
    """The cache folder: lookups by exact key, atomic stores, one kept entry per example."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.pages = self.root / "pages"
        """Executed notebooks staged at the path of their page (``pages/examples/NAME.ipynb``)."""
        self.parsed = self.root / "parsed"
        """Example sources parsed into notebooks (:func:`l2book.pipeline.notebook.parse_cache`)."""
        self.healed: list[str] = []
        """What was wrong with each damaged entry that :meth:`lookup` removed."""

    def lookup(self, name: str, key: str) -> Entry | None:
        """The entry of ``name`` for ``key``, if there is one and it is whole.

        A damaged entry is removed and its problem added to :attr:`healed`.
        """
        folder = self.root / name / key
        if not folder.is_dir():
            return None
        problem = damage(folder)
        if problem is None:
            return Entry(name, key, folder)
        self.healed.append(f"cache entry {name}/{key[:12]} {problem}")
        shutil.rmtree(folder, ignore_errors=True)
        return None

    def remove(self, entry: Entry) -> None:
        """Delete ``entry`` (its dependencies changed: it must never be used again)."""
        shutil.rmtree(entry.folder, ignore_errors=True)

    def scratch(self, name: str, key: str) -> Path:
        """An empty folder to run ``name`` in, later passed to :meth:`store` or :meth:`discard`."""
        folder = self.root / name / f".run-{key[:16]}-{os.getpid()}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    def store(self, name: str, key: str, scratch: Path, run: Mapping[str, Any]) -> Entry:
        """Make ``scratch`` the entry for ``key`` (atomically) and drop older entries of ``name``."""
        record = {**run, "files": file_hashes(scratch)}
        (scratch / RUN_FILE).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
        target = self.root / name / key
        try:
            scratch.rename(target)
        except OSError:  # another build stored the same key first: theirs is as good as ours
            shutil.rmtree(scratch, ignore_errors=True)
        for sibling in (self.root / name).iterdir():
            if sibling.name not in (key, "failed") and not sibling.name.startswith(".run-"):
                shutil.rmtree(sibling, ignore_errors=True)
        return Entry(name, key, target)

    def keep_failure(self, name: str, scratch: Path) -> Path:
        """Move a failed run to ``NAME/failed`` (shown under ``mkdocs serve``, never reused)."""
        target = self.root / name / "failed"
        shutil.rmtree(target, ignore_errors=True)
        scratch.rename(target)
        return target

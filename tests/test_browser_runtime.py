"""Assembling the browser runtime: pinned files, sha256 checks, only the wheels the examples need."""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from l2book.mkdocs_plugin import browser_runtime as rt

REPO = Path(__file__).resolve().parents[1]
NPM_PYODIDE = REPO / "node_modules" / "pyodide"


def _wheel(name: str, version: str) -> tuple[str, bytes]:
    return f"{name}-{version}-py3-none-any.whl", f"wheel of {name} {version}".encode()


@pytest.fixture
def fake(tmp_path: Path) -> dict:
    """An npm folder with a lock of four packages, and an archive holding their wheels."""
    npm = tmp_path / "npm"
    npm.mkdir()
    for core in rt.CORE_FILES:
        (npm / core).write_bytes(f"core {core}".encode())
    wheels = {
        "numpy": _wheel("numpy", "2.0.2"),
        "matplotlib": _wheel("matplotlib", "3.8.4"),
        "python-dateutil": _wheel("python_dateutil", "2.9.0"),
        "scikit-learn": _wheel("scikit_learn", "1.6.1"),
        "pandas": _wheel("pandas", "2.2.3"),
    }
    depends = {"matplotlib": ["numpy", "python_dateutil"], "scikit-learn": ["numpy"]}
    imports = {"scikit-learn": ["sklearn"], "python-dateutil": ["dateutil"]}
    lock = {
        "info": {"version": "0.27.7", "python": "3.12.7"},
        "packages": {
            name: {
                "name": name,
                "version": file.split("-")[1],
                "file_name": file,
                "sha256": hashlib.sha256(data).hexdigest(),
                "depends": depends.get(name, []),
                "imports": imports.get(name, [name]),
            }
            for name, (file, data) in wheels.items()
        },
    }
    (npm / rt.LOCK_FILE).write_text(json.dumps(lock))
    source = tmp_path / "wheels"
    source.mkdir()
    with zipfile.ZipFile(source / "carrier-1.0-py3-none-any.whl", "w") as archive:
        for file, data in wheels.values():
            archive.writestr(f"carrier/assets/pyodide/{file}", data)
    return {"npm": npm, "source": source, "wheels": wheels, "dest": tmp_path / "out"}


def test_ships_the_closure_of_what_the_examples_import_and_nothing_else(fake: dict) -> None:
    manifest = rt.assemble(fake["npm"], fake["source"], {"sklearn"}, fake["dest"])
    shipped = sorted(p.name for p in fake["dest"].iterdir())
    wheels = fake["wheels"]
    expected_wheels = [wheels[n][0] for n in ("numpy", "matplotlib", "python-dateutil", "scikit-learn")]
    assert shipped == sorted([*rt.CORE_FILES, rt.LOCK_FILE, *expected_wheels])
    assert wheels["pandas"][0] not in shipped
    lock = json.loads((fake["dest"] / rt.LOCK_FILE).read_text())
    assert sorted(lock["packages"]) == ["matplotlib", "numpy", "python-dateutil", "scikit-learn"]
    # numpy and matplotlib load before any run; scikit-learn only for code that imports it
    preloaded = {wheels[n][0] for n in ("numpy", "matplotlib", "python-dateutil")}
    assert set(manifest["preload_files"]) == preloaded
    for name, size in manifest["files"].items():
        assert (fake["dest"] / name).stat().st_size == size


def test_a_wheel_whose_sha256_differs_from_the_lock_fails_naming_it(fake: dict) -> None:
    file, _ = fake["wheels"]["numpy"]
    archive = next(fake["source"].iterdir())
    with zipfile.ZipFile(archive, "w") as carrier:
        for name, (other, data) in fake["wheels"].items():
            carrier.writestr(f"x/{other}", b"not the official numpy" if name == "numpy" else data)
    with pytest.raises(
        rt.RuntimeSourceError,
        match=rf"{file} \(in .*carrier.*\) has sha256 [0-9a-f]{{64}}, but the lock file of the npm "
        r"package pyodide 0.27.7 says [0-9a-f]{64}",
    ):
        rt.assemble(fake["npm"], fake["source"], set(), fake["dest"])


def test_a_missing_wheel_fails_naming_it_and_where_it_was_looked_for(fake: dict, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    file, _ = fake["wheels"]["matplotlib"]
    with pytest.raises(rt.RuntimeSourceError, match=rf"{file} .*was not found in {empty}"):
        rt.assemble(fake["npm"], empty, set(), fake["dest"])


def test_a_missing_npm_package_says_to_run_npm_ci(tmp_path: Path) -> None:
    with pytest.raises(rt.RuntimeSourceError, match=r"npm ci"):
        rt.assemble(tmp_path / "nowhere", tmp_path, set(), tmp_path / "out")


def test_requirements_the_runtime_cannot_meet_fail_the_assembly(fake: dict) -> None:
    with pytest.raises(rt.RuntimeSourceError, match=r"numpy>=2.1: Pyodide 0.27.7 has numpy 2.0.2"):
        rt.assemble(fake["npm"], fake["source"], set(), fake["dest"], ["numpy>=2.1", "matplotlib>=3.8"])
    assert not fake["dest"].exists(), "nothing is half-written"


def test_imports_are_read_from_the_source_without_the_standard_library(tmp_path: Path) -> None:
    script = tmp_path / "ex.py"
    script.write_text("import os, json\nimport numpy as np\nfrom sklearn.linear_model import Ridge\n"
                      "from . import sibling\nimport matplotlib.pyplot as plt\n")
    assert rt.imported_modules([script]) == {"numpy", "sklearn", "matplotlib"}


@pytest.mark.skipif(not NPM_PYODIDE.is_dir(), reason="node_modules not installed (npm ci)")
def test_l2books_declared_minimum_versions_install_in_the_browser_runtime() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    lock = rt.PyodideLock.load(NPM_PYODIDE)
    assert lock.unmet_requirements(pyproject["dependencies"]) == []
    python = tuple(int(part) for part in lock.python.split(".")[:2])
    minimum = pyproject["requires-python"].removeprefix(">=")
    assert python >= tuple(int(part) for part in minimum.split(".")), (
        f"requires-python {pyproject['requires-python']} excludes Pyodide's Python {lock.python}"
    )
    # the examples' imports all resolve to packages of that release (or the standard library)
    examples = sorted((REPO / "l2book" / "examples").glob("[!_]*.py"))
    missing = [m for m in rt.imported_modules(examples) - {"l2book"} if lock.package_for_import(m) is None]
    assert missing == []
    assert sys.version_info >= (3, 11)

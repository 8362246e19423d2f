"""l2book's wheel, built from the checkout, for the browser runtime.

The reader's browser runs the book's own code: at every build, the package's sources are staged
with ``pyproject.toml`` in a scratch folder and ``pip wheel`` builds them (no network, no build
isolation: the build backend is the one installed). The build machinery (``mkdocs_plugin`` and ``pipeline``)
does not run in a browser and is left out. ``SOURCE_DATE_EPOCH`` fixes the timestamps in the zip,
so the same sources give the same bytes, and the result is cached by a hash of what was staged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["WheelBuildError", "build_wheel", "staged_files"]

EXCLUDED_DIRS = {"__pycache__", "mkdocs_plugin", "pipeline"}
SOURCE_DATE_EPOCH = "315532800"  # 1980-01-01, the earliest date a zip can hold


class WheelBuildError(RuntimeError):
    """``pip wheel`` failed; the message carries its output."""


def staged_files(project_dir: Path, package: str) -> list[tuple[str, Path]]:
    """``(path in the staging folder, source)`` of every file the wheel is built from."""
    files = [("pyproject.toml", project_dir / "pyproject.toml")]
    readme = project_dir / "README.md"
    if readme.is_file():
        files.append(("README.md", readme))
    root = project_dir / package
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not EXCLUDED_DIRS.intersection(relative.parts) and (
            path.suffix not in (".pyc", ".pyo")
        ):
            files.append(((Path(package) / relative).as_posix(), path))
    return files


def build_wheel(project_dir: Path, package: str, cache_dir: Path) -> Path:
    """Build (or take from ``cache_dir``) the wheel of ``package`` from ``project_dir``.

    Returns
    -------
    Path
        The wheel file, in ``cache_dir/<hash>/``; the folder name changes with the sources.

    Raises
    ------
    WheelBuildError
        If ``pip wheel`` fails, with its output.
    """
    files = staged_files(project_dir, package)
    digest = hashlib.sha256()
    for name, path in files:
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    folder = cache_dir / digest.hexdigest()[:16]
    built = sorted(folder.glob("*.whl")) if folder.is_dir() else []
    if built:
        return built[0]
    with tempfile.TemporaryDirectory(prefix="l2book-wheel-") as scratch:
        stage = Path(scratch, "src")
        for name, path in files:
            target = stage / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        out = Path(scratch, "out")
        env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PIP_NO_INDEX": "1"}
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
             "--no-build-isolation", "--wheel-dir", str(out), str(stage)],
            capture_output=True, text=True, env=env, check=False,
        )
        wheels = sorted(out.glob("*.whl"))
        if result.returncode != 0 or not wheels:
            raise WheelBuildError(
                f"pip wheel of {project_dir} failed (exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}"
            )
        if cache_dir.is_dir():
            for old in cache_dir.iterdir():
                shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / wheels[0].name
        shutil.copyfile(wheels[0], target)
        return target

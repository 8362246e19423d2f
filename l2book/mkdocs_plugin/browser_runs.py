"""Everything a page needs to run the examples in the reader's browser, as files for the site.

(The small script every page loads, ``runner.js``, is written by the plugin:
:func:`l2book.mkdocs_plugin.assets.runner_script`.)

* ``runner-ui.js``: the editor (CodeMirror 6) and the Run/Stop/Reset controls, bundled from
  ``web/runner-ui.mjs`` with esbuild and loaded when a reader first presses Run;
* ``runtime/``: ``worker.js`` (runs Python off the main thread), Pyodide and the wheels the
  examples need (:mod:`~l2book.mkdocs_plugin.browser_runtime`), and l2book's wheel built from
  the checkout (:mod:`~l2book.mkdocs_plugin.wheel`), listed in ``runtime.json``.

Nothing here depends on MkDocs: :func:`prepare` returns site paths and the files to copy there.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from l2book.mkdocs_plugin import browser_runtime, wheel

__all__ = ["BrowserRuns", "BrowserRunsError", "prepare"]

WEB_DIR = Path(__file__).resolve().parent / "web"
RUNTIME = "runtime"
NPM_PACKAGES = ("pyodide", "codemirror", "@codemirror/lang-python", "esbuild")


class BrowserRunsError(RuntimeError):
    """The runtime cannot be assembled; the message says why and how to build without it."""


@dataclass
class BrowserRuns:
    """Site paths (relative to the plugin's assets folder) and the files to put there."""

    files: dict[str, Path] = field(default_factory=dict)
    first_run_bytes: int = 0
    """Bytes a reader's browser fetches on the first Run (core, preloaded wheels, l2book)."""


def _hash_files(paths: Iterable[Path], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def bundle_ui(node_modules: Path, cache_dir: Path) -> Path:
    """``runner-ui.js``: ``web/runner-ui.mjs`` bundled with CodeMirror by esbuild (cached)."""
    entry = WEB_DIR / "runner-ui.mjs"
    lock = node_modules / ".package-lock.json"
    key = _hash_files([entry, *([lock] if lock.is_file() else [])])
    target = cache_dir / f"runner-ui-{key}.js"
    if target.is_file():
        return target
    esbuild = node_modules / ".bin" / "esbuild"
    if not esbuild.exists():
        raise BrowserRunsError(f"{esbuild} not found: run `npm ci` (or `make setup`)")
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob("runner-ui-*.js"):
        old.unlink()
    scratch = cache_dir / "runner-ui.partial.js"
    result = subprocess.run(
        [str(esbuild), str(entry), "--bundle", "--format=esm", "--minify", "--target=es2020",
         "--legal-comments=none", f"--outfile={scratch}"],
        capture_output=True, text=True, check=False, cwd=node_modules.parent,
    )
    if result.returncode != 0:
        raise BrowserRunsError(f"esbuild could not bundle {entry}:\n{result.stderr}")
    scratch.replace(target)
    return target


def _requirements(project_dir: Path) -> list[str]:
    pyproject = tomllib.loads((project_dir / "pyproject.toml").read_text("utf-8"))
    return list(pyproject.get("project", {}).get("dependencies", []))


def prepare(
    project_dir: Path,
    package: str,
    sources: Iterable[Path],
    node_modules: Path,
    wheels_dir: Path,
    cache_dir: Path,
) -> BrowserRuns:
    """Build or take from ``cache_dir`` every file of the browser runs.

    Parameters
    ----------
    project_dir : Path
        The checkout: ``pyproject.toml`` and the package folder.
    package : str
        The package whose wheel the browser installs (``l2book``).
    sources : iterable of Path
        The examples and the package's modules: their imports decide which wheels ship.
    node_modules : Path
        ``node_modules`` with the npm packages ``pyodide``, ``codemirror`` and ``esbuild``.
    wheels_dir : Path
        Where the official Pyodide wheels are (files or zip archives holding them).
    cache_dir : Path
        Kept between builds.

    Raises
    ------
    BrowserRunsError
        With what is missing or wrong and the switch that builds the site without browser runs.
    """
    sources = sorted(sources)
    try:
        for name in NPM_PACKAGES:
            if not (node_modules / name / "package.json").is_file():
                raise BrowserRunsError(
                    f"npm package {name!r} is not installed in {node_modules}: run `npm ci` "
                    "(or `make setup`)"
                )
        npm_dir = node_modules / "pyodide"
        wheel_path = wheel.build_wheel(project_dir, package, cache_dir / "wheel")
        modules = browser_runtime.imported_modules(sources)
        lock_file = npm_dir / browser_runtime.LOCK_FILE
        key = _hash_files([lock_file], " ".join(sorted(modules)) + str(wheels_dir.resolve()))
        runtime_dir = cache_dir / f"runtime-{key}"
        manifest_path = runtime_dir / browser_runtime.MANIFEST
        if manifest_path.is_file():
            manifest = json.loads(manifest_path.read_text("utf-8"))
        else:
            for old in cache_dir.glob("runtime-*"):
                shutil.rmtree(old, ignore_errors=True)
            if not wheels_dir.is_dir():
                raise browser_runtime.RuntimeSourceError(
                    f"the folder of Pyodide's wheels, {wheels_dir}, does not exist; `make setup` "
                    "downloads them (pip download -r browser-runtime.txt)"
                )
            manifest = browser_runtime.assemble(
                npm_dir, wheels_dir, modules, runtime_dir, _requirements(project_dir)
            )
            manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
        ui = bundle_ui(node_modules, cache_dir)
    except (browser_runtime.RuntimeSourceError, wheel.WheelBuildError) as error:
        raise BrowserRunsError(str(error)) from error

    runs = BrowserRuns()
    for name in manifest["files"]:
        runs.files[f"{RUNTIME}/{name}"] = runtime_dir / name
    wheel_uri = f"wheels/{wheel_path.parent.name}/{wheel_path.name}"
    runs.files[f"{RUNTIME}/{wheel_uri}"] = wheel_path
    runs.files[f"{RUNTIME}/worker.js"] = WEB_DIR / "worker.js"
    runs.files["runner-ui.js"] = ui
    site_manifest = {
        **manifest,
        "wheel": wheel_uri,
        "files": {**manifest["files"], wheel_uri: wheel_path.stat().st_size},
    }
    manifest_out = cache_dir / "runtime.json"
    text = json.dumps(site_manifest, indent=1, sort_keys=True) + "\n"
    if not manifest_out.is_file() or manifest_out.read_text("utf-8") != text:
        manifest_out.write_text(text, "utf-8")
    runs.files[f"{RUNTIME}/runtime.json"] = manifest_out
    first = [*browser_runtime.CORE_FILES, browser_runtime.LOCK_FILE, *manifest["preload_files"]]
    runs.first_run_bytes = sum(site_manifest["files"][name] for name in first) + (
        site_manifest["files"][wheel_uri]
    )
    return runs

"""MkDocs hook: serve MathJax and the file:// worker shim from the site itself.

The browser libraries come from ``node_modules`` (pinned in ``package-lock.json``, installed with
``npm ci``) and are added to the build as generated files under ``assets/vendor/``, so
``mkdocs build`` and ``mkdocs serve`` both ship them and no page ever asks a CDN for anything.
Nothing under ``assets/vendor/`` is committed to git.

The hook also prepares the file:// variant of the site (``OFFLINE=true``, Material's offline
plugin): instant navigation is switched off there because it needs ``fetch``, which browsers
refuse on file://, and the offline plugin's iframe-worker shim is taken from ``node_modules``
instead of unpkg.com.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from l2book.mkdocs_plugin.plugin import offline_enabled

log = logging.getLogger("mkdocs.hooks.vendor_assets")

VENDOR_DIR = "assets/vendor"

# (npm package, destination folder under assets/vendor, paths inside the package).
# startup.js loads the components listed in docs/assets/javascripts/mathjax-config.js, TeX
# extensions on first use (input/tex/extensions) and pieces of the font as math needs them, all
# relative to its own folder; the font lives in its own package, which the config reaches through
# MathJax's ``[fonts]`` path.
PACKAGES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "mathjax",
        "mathjax",
        (
            "startup.js",
            "core.js",
            "input/tex.js",
            "input/tex",
            "output/chtml.js",
            "a11y/assistive-mml.js",
            "LICENSE",
        ),
    ),
    # The TeX font (MathJax 3's): a fifth of the default New Computer Modern font's files and no
    # glyph ranges fetched on demand; on a phone the home page shows its largest text twice as
    # early (Lighthouse, benchmarks/README.md). Its license is in its package.json.
    (
        "@mathjax/mathjax-tex-font",
        "mathjax-tex-font",
        ("chtml.js", "chtml", "package.json"),
    ),
    ("iframe-worker", "iframe-worker", ("shim/index.js", "LICENSE")),
)

IFRAME_WORKER_SHIM = f"{VENDOR_DIR}/iframe-worker/shim/index.js"
INSTANT_FEATURES = ("navigation.instant", "navigation.instant.prefetch", "navigation.instant.progress")


def node_modules_dir(config: MkDocsConfig) -> Path:
    """Folder ``node_modules`` next to ``mkdocs.yml``."""
    return Path(config.config_file_path).resolve().parent / "node_modules"


def _package_files(package_dir: Path, parts: tuple[str, ...]) -> Iterator[Path]:
    for part in parts:
        path = package_dir / part
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path
        elif part != "LICENSE":
            raise PluginError(
                f"vendor_assets: {path} is missing although package {package_dir.name!r} is "
                "installed; the npm install is incomplete. Run `npm ci` again."
            )


def vendor_files(node_modules: Path) -> Iterator[tuple[str, Path]]:
    """Yield ``(site path, source path)`` for every browser file the site serves itself.

    Raises
    ------
    PluginError
        If a package is not installed, with the command that installs it.
    """
    for package, dest, parts in PACKAGES:
        package_dir = node_modules / package
        if not (package_dir / "package.json").is_file():
            raise PluginError(
                f"vendor_assets: npm package {package!r} not found in {node_modules}. "
                "Run `npm ci` in the repository root (or `make build`, which does it for you)."
            )
        for path in _package_files(package_dir, parts):
            yield f"{VENDOR_DIR}/{dest}/{path.relative_to(package_dir).as_posix()}", path


# Runs before Material's offline plugin (priority 0), which only adds its unpkg.com shim when no
# iframe-worker polyfill is configured yet.
@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if offline_enabled(config):
        features = config.theme["features"]
        config.theme["features"] = [f for f in features if f not in INSTANT_FEATURES]
        polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
        config.extra["polyfills"] = [*polyfills, IFRAME_WORKER_SHIM]
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    count = 0
    for site_path, source in vendor_files(node_modules_dir(config)):
        if files.get_file_from_path(site_path) is not None:
            raise PluginError(
                f"vendor_assets: docs/{site_path} would be overwritten by the copy from "
                f"{source}; remove it from docs/ (vendored files are not kept in git)."
            )
        files.append(File.generated(config, site_path, abs_src_path=str(source)))
        count += 1
    log.debug("vendor_assets: %d files from node_modules added under %s/", count, VENDOR_DIR)
    return files

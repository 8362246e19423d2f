"""Configuration options of the ``l2book`` MkDocs plugin (documented in docs/building.md)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

__all__ = ["L2BookConfig", "EXECUTION_OPTIONS"]


class L2BookConfig(base.Config):
    """``plugins: - l2book: {...}`` in mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    """Turn the plugin off (references are then left as written)."""

    examples_dir = c.Optional(c.Type(str))
    """Folder of the example scripts, relative to mkdocs.yml; default: the package's examples."""

    package = c.Type(str, default="l2book")
    """Importable package the examples use: what each example ran of it is recorded, and an
    edit re-runs the examples that used what changed."""

    record_dependencies = c.Type(bool, default=True)
    """Record what each example uses of ``package``; off, any edit of the package re-runs every
    example."""

    sources = c.ListOfItems(c.Type(str), default=[])
    """More files or folders (relative to mkdocs.yml) that examples depend on: hashed and watched."""

    workers = c.Optional(c.Type(int))
    """Examples executed in parallel; default: the number of CPUs."""

    timeout = c.Type((int, float), default=600)
    """Seconds an example may run before the build fails naming it."""

    cache_dir = c.Type(str, default=".cache/l2book")
    """Where executed examples are kept between builds, relative to mkdocs.yml."""

    notebooks_dir = c.Type(str, default="examples")
    """Folder of the site where each example's notebook page and downloads go."""

    assets_dir = c.Type(str, default="assets/l2book")
    """Folder of the site for figures, the plugin's stylesheet and scripts."""

    notebook_search = c.Type(bool, default=False)
    """Index the notebook pages for the site search (the chapters quote the examples already)."""

    browser_runs = c.Type(bool, default=False)
    """Offer an editor and a Run button at every example, running it in the reader's browser."""

    node_modules = c.Type(str, default="node_modules")
    """npm packages pyodide, codemirror and esbuild (for browser runs), relative to mkdocs.yml."""

    pyodide_wheels = c.Type(str, default=".cache/browser-runtime")
    """Folder holding Pyodide's official wheels, as files or in zip archives (browser runs)."""


EXECUTION_OPTIONS = ("examples_dir", "package", "sources", "record_dependencies")
"""Options that can change what an example outputs; they are part of the cache key.

The others (``timeout``, ``workers``, where files go) cannot change a successful run's outputs.
"""

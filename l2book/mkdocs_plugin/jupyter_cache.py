"""Render the executed notebooks to HTML in parallel, into mkdocs-jupyter's own cache.

mkdocs-jupyter converts each notebook page with nbconvert while MkDocs renders pages, one after
the other: about half a second a notebook, 15 s for the book's 31 on a clean build, on one core.
Here the notebooks that have no cache entry yet are converted in the background, several
processes at a time, while MkDocs reads the chapters, with mkdocs-jupyter's own conversion
function and options, and each is stored where mkdocs-jupyter looks for it (its ``cache_dir``,
under its own key) just before its page is rendered: mkdocs-jupyter finds every one cached.

This relies on three module-level helpers of mkdocs-jupyter (``_compute_cache_key``,
``_get_cache_path``, ``_get_nb_toc_tokens``; the version is pinned in constraints.txt). Should they
change, nothing is pre-rendered and mkdocs-jupyter converts the pages itself, as it always could;
``tests/test_plugin.py`` checks that a clean build gets a cache hit for every notebook page.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from l2book.pipeline.cache import write_atomically

# The options of mkdocs-jupyter's plugin that its conversion takes, as it passes them.
_CONVERT_OPTIONS = (
    "kernel_name",
    "theme",
    "allow_errors",
    "show_input",
    "no_input",
    "no_prompt",
    "remove_tag_config",
    "highlight_extra_classes",
    "include_requirejs",
    "custom_mathjax_url",
)


def _helpers() -> tuple[Any, Any, Any, Any] | None:
    try:
        from mkdocs_jupyter import convert
        from mkdocs_jupyter.plugin import _compute_cache_key, _get_cache_path, _get_nb_toc_tokens
    except ImportError:
        return None
    return convert.nb2html, _compute_cache_key, _get_cache_path, _get_nb_toc_tokens


def _render(notebook: str, options: dict[str, Any], toc_depth: int) -> dict[str, Any]:
    """What mkdocs-jupyter stores for one notebook: its HTML, TOC tokens and title."""
    helpers = _helpers()
    assert helpers is not None  # checked by the caller before any work is sent here
    nb2html, _, _, nb_toc_tokens = helpers
    content = nb2html(notebook, execute=False, **options)
    toc_tokens, title = nb_toc_tokens(notebook, toc_depth)
    return {"content": content, "toc_tokens": toc_tokens, "title": title}


class Prerendering:
    """Notebooks being converted in the background; :meth:`wait` writes one into the cache.

    MkDocs goes on reading the chapters while the conversions run; each notebook page waits for
    its own conversion just before mkdocs-jupyter renders it.
    """

    def __init__(
        self,
        pool: ProcessPoolExecutor | None = None,
        pending: dict[str, tuple[Path, Any]] | None = None,
    ):
        """Nothing to wait for unless a ``pool`` and its ``pending`` jobs (notebook: target, future)."""
        self._pool = pool
        self._pending = {os.path.abspath(notebook): job for notebook, job in (pending or {}).items()}

    def __len__(self) -> int:
        return len(self._pending)

    def wait(self, notebook: str | Path) -> None:
        """Store the conversion of ``notebook`` where mkdocs-jupyter looks (no-op if none)."""
        job = self._pending.pop(os.path.abspath(notebook), None)
        if job is None:
            return
        target, future = job
        write_atomically(target, json.dumps(future.result()))

    def close(self) -> None:
        """Store every finished conversion and stop the worker processes."""
        for notebook in list(self._pending):
            self.wait(notebook)
        self.cancel()

    def cancel(self) -> None:
        """Stop the worker processes without storing anything (the build failed)."""
        self._pending.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def prerender(notebooks: Sequence[Path], jupyter_config: Any, workers: int) -> Prerendering:
    """Start converting the ``notebooks`` not yet in mkdocs-jupyter's cache, ``workers`` at a time.

    ``jupyter_config`` is the mkdocs-jupyter plugin's configuration. Nothing is started when its
    cache is off, when it executes notebooks itself, or when its helpers are not there.
    """
    helpers = _helpers()
    if helpers is None or not jupyter_config["cache"] or jupyter_config["execute"]:
        return Prerendering()
    _, cache_key, cache_path, _ = helpers
    todo = []
    for notebook in notebooks:
        key = cache_key(str(notebook), jupyter_config, False)
        target = Path(cache_path(jupyter_config["cache_dir"], key))
        if not target.exists():
            todo.append((str(notebook), target))
    if not todo:
        return Prerendering()
    options = {name: jupyter_config[name] for name in _CONVERT_OPTIONS}
    toc_depth = jupyter_config["toc_depth"]
    # fork: the children start with nbconvert already imported (over a second per process).
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(todo))), mp_context=context)
    pending = {
        notebook: (target, pool.submit(_render, notebook, options, toc_depth)) for notebook, target in todo
    }
    return Prerendering(pool, pending)

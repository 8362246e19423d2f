"""Reuse Pygments' highlighting of the code excerpts the plugin inserts, from one build to the next.

A ``{{ code(...) }}`` reference becomes a fenced block, which ``pymdownx.highlight`` hands to
Pygments while MkDocs renders the page. On a build in which nothing changed, lexing and
formatting the book's excerpts again was the largest cost they added to a warm build. Pygments'
output is a function of the source, the lexer and formatter classes and their options, and the
versions of Pygments and pymdownx: together they are the key of an entry.

Only sources that the renderer registered as excerpts are looked up; every other code block of the
site is highlighted as usual. The cache file keeps the entries of the last complete build.

``pymdownx.highlight`` calls ``pygments.highlight`` through its module's global ``highlight``; that
name is wrapped once per process (:func:`install`). If pymdownx changes how it calls Pygments,
nothing is cached and every block is highlighted as before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from l2book.mkdocs_plugin.cache import write_atomically

Highlight = Callable[[str, Any, Any], str]

_active: HighlightCache | None = None


class HighlightCache:
    """Highlighted HTML of registered sources, stored in ``path`` (JSON: key → HTML)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stored = _load(path)
        self._used: dict[str, str] = {}
        self._sources: set[str] = set()
        self.hits = 0

    def begin(self) -> None:
        """Start a build: forget what the previous one used and registered."""
        self._used, self._sources, self.hits = {}, set(), 0

    @property
    def sources(self) -> frozenset[str]:
        """The registered excerpts' code, without leading and trailing newlines."""
        return frozenset(self._sources)

    def register(self, source: str) -> None:
        """Mark ``source`` (the text between a fence's lines) as an excerpt worth caching."""
        self._sources.add(source.strip("\n"))

    def highlight(self, original: Highlight, src: str, lexer: Any, formatter: Any) -> str:
        """``original(src, lexer, formatter)``, from the cache when ``src`` is an excerpt."""
        if src.strip("\n") not in self._sources:
            return original(src, lexer, formatter)
        key = entry_key(src, lexer, formatter)
        if key is None:
            return original(src, lexer, formatter)
        html = self._used.get(key)
        if html is None:
            html = self._stored.get(key)
            if html is None:
                html = original(src, lexer, formatter)
            else:
                self.hits += 1
            self._used[key] = html
        return html

    def save(self) -> None:
        """Keep the entries this build used (and only those) for the next one."""
        if self._used != self._stored:
            write_atomically(self.path, json.dumps(self._used, sort_keys=True))
            self._stored = dict(self._used)


def _load(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def _options(options: dict[str, Any]) -> str | None:
    """The options as stable text, or None when one prints with an address (not comparable)."""
    text = repr(sorted(options.items()))
    return None if " at 0x" in text else text


def entry_key(src: str, lexer: Any, formatter: Any) -> str | None:
    """Everything Pygments' output depends on, hashed; None if it cannot be told reliably."""
    import pygments
    import pymdownx

    if getattr(lexer, "filters", None):
        return None
    lexer_options = _options(getattr(lexer, "options", {}))
    formatter_options = _options(getattr(formatter, "options", {}))
    if lexer_options is None or formatter_options is None:
        return None
    parts = [
        pygments.__version__,
        pymdownx.__version__,
        f"{type(lexer).__module__}.{type(lexer).__qualname__}",
        lexer_options,
        f"{type(formatter).__module__}.{type(formatter).__qualname__}",
        formatter_options,
        src,
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def install(cache: HighlightCache | None) -> None:
    """Route pymdownx's Pygments calls through ``cache`` (``None``: straight to Pygments)."""
    global _active
    try:
        import pymdownx.highlight as module
    except ImportError:
        return
    original = getattr(module, "highlight", None)
    if original is None:
        return
    if not getattr(original, "l2book_cached", False):

        def highlight(src: str, lexer: Any, formatter: Any) -> str:
            active = _active
            if active is None:
                return original(src, lexer, formatter)
            return active.highlight(original, src, lexer, formatter)

        highlight.l2book_cached = True  # type: ignore[attr-defined]
        module.highlight = highlight
    _active = cache

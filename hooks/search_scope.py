"""MkDocs hook: keep the executed example notebooks out of the search index.

Material's search downloads the whole index on every first page view. The notebook pages (one
per example, all code and output) made up more than half of it; their content is reachable
from "Run it yourself", whose boxes and figures are indexed, and from the chapters.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page


def is_notebook_page(page: Page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


# Before Material's search plugin (priority 0) reads page.meta in its own on_page_context.
@event_priority(50)
def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, **_: Any) -> dict[str, Any]:
    if is_notebook_page(page):
        search = dict(page.meta.get("search") or {})
        search["exclude"] = True
        page.meta["search"] = search
    return context

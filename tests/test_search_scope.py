"""hooks/search_scope.py: notebook pages stay out of the search index, other pages stay in."""

from __future__ import annotations

import importlib.util

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from site_helpers import REPO_ROOT

spec = importlib.util.spec_from_file_location("search_scope", REPO_ROOT / "hooks" / "search_scope.py")
search_scope = importlib.util.module_from_spec(spec)
spec.loader.exec_module(search_scope)


def _page(src_uri: str, meta: dict | None = None) -> Page:
    page = Page(None, File(src_uri, "/docs", "/site", use_directory_urls=True), MkDocsConfig())
    page.meta = dict(meta or {})
    return page


@pytest.mark.parametrize(
    ("src_uri", "excluded"),
    [("examples/dev_sweep.ipynb", True), ("intuition.md", False), ("examples.md", False)],
)
def test_only_notebook_pages_are_excluded(src_uri: str, excluded: bool) -> None:
    page = _page(src_uri)
    context = search_scope.on_page_context({}, page=page, config=MkDocsConfig())
    assert context == {}
    assert bool((page.meta.get("search") or {}).get("exclude")) is excluded


def test_other_search_settings_of_a_notebook_are_kept() -> None:
    page = _page("examples/a.ipynb", {"search": {"boost": 2}})
    search_scope.on_page_context({}, page=page, config=MkDocsConfig())
    assert page.meta["search"] == {"boost": 2, "exclude": True}

"""The search index: chapters and the examples page in it, the executed notebooks out of it.

The plugin's ``notebook_search: false`` (the default) keeps the notebook pages out: they would
double the index that Material's search downloads on a reader's first page view.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.build


def test_notebook_pages_are_not_indexed_and_chapters_are(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))
    pages = {doc["location"].split("#", 1)[0] for doc in index["docs"]}
    notebooks = sorted(p.parent.name for p in built_site.glob("examples/*/*.ipynb"))
    assert notebooks, "the build has notebook pages"
    assert not [p for p in pages if p.startswith("examples/") and p != "examples/"], pages
    assert {"intuition/", "examples/", "l2-regularization/"} <= pages

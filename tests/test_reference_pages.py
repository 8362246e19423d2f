"""The API reference documents every public name of the package, each on one page."""

from __future__ import annotations

import inspect
import re

from site_helpers import REPO_ROOT

import l2book

REFERENCE = REPO_ROOT / "docs" / "reference"
# A name listed in a mkdocstrings block: `members: [a, B, c]` under `::: l2book`.
_BLOCK = re.compile(r"^::: (l2book(?:\.\w+)?)\n(?:    .*\n)*?      members: \[([^\]]*)\]", re.M)


def documented_names() -> dict[str, list[str]]:
    """Public name -> reference pages whose mkdocstrings blocks list it."""
    found: dict[str, list[str]] = {}
    for page in sorted(REFERENCE.glob("*.md")):
        for module, members in _BLOCK.findall(page.read_text(encoding="utf-8")):
            for member in (m.strip() for m in members.split(",")):
                # `::: l2book.ridge` with `members: [ridge]` documents the function l2.ridge.
                if module == "l2book" or module == f"l2book.{member}":
                    found.setdefault(member, []).append(page.name)
    return found


def test_every_public_name_is_documented_exactly_once() -> None:
    found = documented_names()
    missing = sorted(set(l2book.__all__) - set(found))
    assert not missing, f"public names with no reference page: {missing}; add them to docs/reference/"
    twice = {name: pages for name, pages in found.items() if len(pages) > 1}
    assert not twice, f"names documented on several reference pages: {twice}"
    unknown = sorted(set(found) - set(l2book.__all__))
    assert not unknown, f"reference pages list names that l2book does not export: {unknown}"


def test_overview_table_lists_each_page_with_its_names() -> None:
    overview = (REFERENCE / "index.md").read_text(encoding="utf-8")
    found = documented_names()
    for page in sorted(p.name for p in REFERENCE.glob("*.md") if p.name != "index.md"):
        row = next((line for line in overview.splitlines() if f"]({page})" in line), None)
        assert row is not None, f"docs/reference/index.md has no row for {page}"
        listed = set(re.findall(r"`(\w+)`", row))
        on_page = {name for name, pages in found.items() if page in pages}
        assert listed >= on_page, f"{page}: overview row misses {sorted(on_page - listed)}"


def test_reference_pages_are_in_the_nav() -> None:
    nav = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in sorted(REFERENCE.glob("*.md")):
        assert f"reference/{page.name}" in nav, f"docs/reference/{page.name} is not in the nav"


def _public_methods(cls: type) -> set[str]:
    """Methods and properties a reader calls on ``cls``: its own, and those it inherits from a
    base class that is not itself a documented public class (whose entry already shows them)."""
    names = set()
    for base in cls.__mro__[:-1]:
        if base is not cls and base.__name__ in l2book.__all__:
            continue
        for name, value in vars(base).items():
            if name.startswith("_"):
                continue
            if inspect.isfunction(value) or isinstance(value, property | classmethod | staticmethod):
                names.add(name)
    return names


def test_built_reference_documents_every_method_of_every_class(built_site) -> None:  # type: ignore[no-untyped-def]
    """Inherited methods too: Network's predict, cost, copy, ... live in NetworkBase."""
    html = "".join(
        page.read_text(encoding="utf-8") for page in (built_site / "reference").glob("*/index.html")
    )
    missing = []
    for name in l2book.__all__:
        obj = getattr(l2book, name)
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            missing += [
                f"{name}.{method}" for method in sorted(_public_methods(obj))
                if f'id="l2book.{name}.{method}"' not in html
            ]
    assert not missing, f"methods without an entry in the built API reference: {missing}"

"""docs/examples.md shows every example: its box (summary and the three ways to run it) and its figures.

The page is written by hand, grouped by chapter; this test makes it impossible to forget one. It
reads the example registry (``l2book/examples/*.py``) and, without running anything, the names of
the figures each example publishes (``l2.figure("NAME", ...)`` with a literal name), and fails
naming the exact line to add.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from l2book.examples import _registry

PAGE = Path(__file__).resolve().parents[1] / "docs" / "examples.md"
REFERENCE = re.compile(r"\{\{\s*(example|figure)\(\s*\"([^\"]+)\"(?:\s*,\s*\"([^\"]+)\")?")


def page_references(text: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Examples with an ``{{ example(...) }}`` box and (example, figure) pairs shown on the page."""
    boxes, figures = set(), set()
    for func, example, name in REFERENCE.findall(text):
        if func == "example":
            boxes.add(example)
        elif name:
            figures.add((example, name))
    return boxes, figures


def published_figures(source: str, filename: str = "<example>") -> list[str]:
    """Names passed to ``l2.figure(...)`` (or ``l2book.figure``/``figure``) in an example's source.

    Raises ValueError for a name that is not a literal string: the page could not list it.
    """
    names = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        is_figure = (
            isinstance(func, ast.Attribute)
            and func.attr == "figure"
            and isinstance(func.value, ast.Name)
            and func.value.id in ("l2", "l2book")
        ) or (isinstance(func, ast.Name) and func.id == "figure")
        if not is_figure:
            continue
        first = node.args[0] if node.args else next(
            (k.value for k in node.keywords if k.arg == "name"), None
        )
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            raise ValueError(
                f"{filename}:{node.lineno}: figure name is not a literal string; write "
                'l2.figure("name", ...) so docs/examples.md can show it'
            )
        names.append(first.value)
    return names


EXAMPLES = _registry.discover()


def test_the_registry_finds_examples() -> None:
    assert len(EXAMPLES) > 0
    assert PAGE.is_file(), f"{PAGE} is missing"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_every_example_is_on_the_page(example: _registry.Example) -> None:
    boxes, figures = page_references(PAGE.read_text("utf-8"))
    missing = []
    if example.name not in boxes:
        missing.append(f'{{{{ example("{example.name}") }}}}')
    for name in published_figures(example.source, example.path.name):
        if (example.name, name) not in figures:
            missing.append(f'{{{{ figure("{example.name}", "{name}") }}}}')
    assert not missing, (
        f"docs/examples.md does not show everything example {example.name!r} publishes; add:\n"
        + "\n".join(missing)
    )


def test_the_page_names_only_existing_examples() -> None:
    boxes, figures = page_references(PAGE.read_text("utf-8"))
    known = {e.name for e in EXAMPLES}
    unknown = sorted((boxes | {example for example, _ in figures}) - known)
    assert not unknown, f"docs/examples.md refers to examples that do not exist: {unknown}"


def test_each_example_appears_once() -> None:
    text = PAGE.read_text("utf-8")
    counts = {e.name: len(re.findall(rf'example\(\s*"{e.name}"\s*\)', text)) for e in EXAMPLES}
    repeated = {name: n for name, n in counts.items() if n > 1}
    assert not repeated, f"examples with more than one box on docs/examples.md: {repeated}"


# -- the checker itself -----------------------------------------------------------------------------


def test_page_references_parses_boxes_and_figures() -> None:
    text = (
        '{{ example("a") }}\n{{ figure("a", "f1") }} {{ figure("b", "g", alt="x") }}\n'
        '{{ value("a", "k") }}'
    )
    assert page_references(text) == ({"a"}, {("a", "f1"), ("b", "g")})


def test_published_figures_finds_literal_names() -> None:
    source = (
        'import l2book as l2\nl2.figure("one", fig, alt="a")\nl2.glue("figure", 1)\n'
        'figure("two", f, "b")\n'
    )
    assert published_figures(source) == ["one", "two"]


def test_published_figures_rejects_computed_names() -> None:
    with pytest.raises(ValueError, match=r"x\.py:2: figure name is not a literal string"):
        published_figures('import l2book as l2\nl2.figure(f"panel_{k}", fig, alt="a")\n', "x.py")

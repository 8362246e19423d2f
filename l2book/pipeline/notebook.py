"""From an example's percent-format source to a notebook, and its tagged code excerpts.

The notebook is what the build executes, what the notebook page renders and what readers download,
so it is made deterministic here: fixed cell ids, no jupytext metadata, and the module docstring
turned into a Markdown title cell instead of a code cell that would echo a string.
"""

from __future__ import annotations

import ast
import copy
import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from nbformat import NotebookNode

from l2book.examples._registry import Example
from l2book.pipeline.cache import write_atomically

__all__ = ["ExampleNotebook", "code_for_tag", "parse_cache", "prune_parse_cache", "tags", "to_notebook"]

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
_MARKER = re.compile(r"^# %%")


@dataclass
class ExampleNotebook:
    """A notebook made from an example, with the ``.py`` line each cell starts at (1-based)."""

    notebook: NotebookNode
    lines: list[int | None]

    def cell_label(self, index: int) -> str:
        """'cell 3 (line 17 of NAME.py)' for notebook cell ``index`` (0-based)."""
        line = self.lines[index] if index < len(self.lines) else None
        where = f" (line {line})" if line else ""
        return f"cell {index + 1}{where}"


def _split_docstring(source: str) -> tuple[str | None, str]:
    """(docstring text or None, code after the docstring) of a cell's source."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None, source
    if not tree.body:
        return None, source
    first = tree.body[0]
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)):
        return None, source
    if not isinstance(first.value.value, str):
        return None, source
    end = first.end_lineno or first.lineno
    return first.value.value, "\n".join(source.splitlines()[end:]).strip("\n")


_parse_cache_dir: Path | None = None
_PARSE_KEYS_USED: set[str] = set()


def parse_cache(folder: Path | None) -> None:
    """Keep parsed sources in ``folder`` across builds (None: parse in memory only).

    Parsing a percent-format file takes jupytext tens of milliseconds; a warm build would
    otherwise spend much of its time re-reading unchanged examples to quote their code.
    """
    global _parse_cache_dir
    _parse_cache_dir = Path(folder) if folder is not None else None
    _PARSE_KEYS_USED.clear()
    _parsed.cache_clear()


def prune_parse_cache() -> int:
    """Delete stored parses no source asked for since :func:`parse_cache`; returns how many."""
    if _parse_cache_dir is None or not _parse_cache_dir.is_dir():
        return 0
    stale = [f for f in _parse_cache_dir.glob("*.json") if f.stem not in _PARSE_KEYS_USED]
    for file in stale:
        file.unlink(missing_ok=True)
    return len(stale)


@functools.lru_cache(maxsize=512)
def _parsed(source: str) -> NotebookNode:
    # Pages quote the same examples many times; parse each source once. Callers must not modify
    # the result (to_notebook works on a deep copy).
    if _parse_cache_dir is None:
        return jupytext.reads(source, fmt="py:percent")
    # The key covers the parser: another jupytext may split the same text differently.
    key = hashlib.sha256(f"{jupytext.__version__}\0{source}".encode()).hexdigest()
    _PARSE_KEYS_USED.add(key)
    stored = _parse_cache_dir / f"{key}.json"
    try:
        return nbformat.from_dict(json.loads(stored.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass  # not stored yet, or unreadable: parse again
    nb = jupytext.reads(source, fmt="py:percent")
    write_atomically(stored, json.dumps(nb, sort_keys=True))
    return nb


def _marker_lines(source: str) -> list[int]:
    return [number for number, line in enumerate(source.splitlines(), 1) if _MARKER.match(line)]


def to_notebook(example: Example) -> ExampleNotebook:
    """The example as an nbformat-4 notebook, ready to execute.

    The first cell is Markdown: ``# Title``, the summary and the rest of the docstring.
    """
    source = example.source
    nb = copy.deepcopy(_parsed(source))
    markers = _marker_lines(source)
    # jupytext makes one cell of any text before the first marker, then one cell per marker.
    starts: list[int | None] = ([1] if len(nb.cells) == len(markers) + 1 else []) + [
        line + 1 for line in markers
    ]
    if len(starts) != len(nb.cells):
        starts = [None] * len(nb.cells)

    heading = f"# {example.title}\n\n{example.summary}"
    if example.description:
        heading += f"\n\n{example.description}"
    cells = [nbformat.v4.new_markdown_cell(heading)]
    lines: list[int | None] = [1]
    for index, cell in enumerate(nb.cells):
        if index == 0 and cell.cell_type == "code":
            docstring, rest = _split_docstring(cell.source)
            if docstring is not None:
                if not rest.strip():
                    continue
                cell.source = rest
        cells.append(cell)
        lines.append(starts[index])

    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    for index, cell in enumerate(cells):
        cell.id = f"cell-{index}"  # nbformat would otherwise draw random ids
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        if cell.cell_type == "markdown":
            cell.pop("attachments", None)
    notebook.cells = cells
    return ExampleNotebook(notebook, lines)


def tags(example: Example) -> dict[str, list[int]]:
    """``{tag: [indexes of the code cells carrying it]}`` from ``# %% tags=[...]``."""
    nb = _parsed(example.source)
    found: dict[str, list[int]] = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for tag in cell.metadata.get("tags", []):
            found.setdefault(tag, []).append(index)
    return found


def code_for_tag(example: Example, tag: str) -> str | None:
    """Source of the code cells tagged ``tag`` (joined by a blank line), or None if none is."""
    nb = _parsed(example.source)
    parts = [
        cell.source.strip("\n")
        for cell in nb.cells
        if cell.cell_type == "code" and tag in cell.metadata.get("tags", [])
    ]
    return "\n\n".join(parts) if parts else None


def write(notebook: NotebookNode, path: str) -> None:
    """Write ``notebook`` with sorted keys and a final newline (stable bytes)."""
    text = nbformat.writes(notebook, version=4)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")

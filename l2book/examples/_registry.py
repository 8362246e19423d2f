"""Discovery of examples: names, titles and summaries, without running or importing them.

An example is a file ``NAME.py`` (``NAME`` a Python identifier not starting with ``_``) whose module
docstring starts with a title line followed by a one-line summary.
"""

from __future__ import annotations

import ast
import difflib
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EXAMPLES_DIR", "Example", "UnknownExampleError", "discover", "get", "lint"]

EXAMPLES_DIR = Path(__file__).resolve().parent
"""Folder of the examples shipped with the package (``l2book/examples``)."""

PACKAGE = "l2book.examples"


class UnknownExampleError(ValueError):
    """No example of that name; the message lists close matches."""


@dataclass(frozen=True)
class Example:
    """One example script.

    Attributes
    ----------
    name : str
        File name without ``.py``; also its name in ``l2book run NAME`` and in page references.
    path : Path
        The ``.py`` file.
    title : str
        First line of the docstring.
    summary : str
        One-line summary (the next non-empty docstring line).
    description : str
        The rest of the docstring (may be empty).
    """

    name: str
    path: Path
    title: str
    summary: str
    description: str

    @property
    def module(self) -> str | None:
        """``l2book.examples.NAME`` for a shipped example, None for one in another folder."""
        return f"{PACKAGE}.{self.name}" if self.path.parent == EXAMPLES_DIR else None

    @property
    def source(self) -> str:
        return self.path.read_text("utf-8")


def _directory(directory: str | os.PathLike[str] | None) -> Path:
    if directory is None:
        return EXAMPLES_DIR
    path = Path(directory).resolve()
    if not path.is_dir():
        raise ValueError(
            f"examples directory {str(directory)!r} does not exist (resolved to {path}); "
            "pass the folder that holds the NAME.py example files"
        )
    return path


def is_example_file(path: Path) -> bool:
    """``NAME.py`` with ``NAME`` an identifier not starting with ``_``."""
    return path.suffix == ".py" and path.stem.isidentifier() and not path.stem.startswith("_")


def parse_docstring(source: str, path: Path) -> tuple[str, str, str]:
    """``(title, summary, description)`` from an example's module docstring."""
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as error:
        raise ValueError(f"example {path} is not valid Python: {error}") from error
    doc = ast.get_docstring(tree, clean=True)
    hint = (
        'start it with a docstring: line 1 the title, line 2 a one-line summary, e.g.\n'
        '"""Weight decay in one step\nOne gradient step with L2 shrinks W by (1 - lr*lam/m)."""'
    )
    if not doc:
        raise ValueError(f"example {path} has no module docstring; {hint}")
    lines = [line.strip() for line in doc.splitlines()]
    title = lines[0]
    rest = lines[1:]
    while rest and not rest[0]:
        rest.pop(0)
    if not rest:
        raise ValueError(f"example {path} has a title but no summary line in its docstring; {hint}")
    summary, description = rest[0], "\n".join(rest[1:]).strip()
    return title.strip(), summary, description


def load(path: str | os.PathLike[str]) -> Example:
    """The :class:`Example` of one file."""
    path = Path(path).resolve()
    title, summary, description = parse_docstring(path.read_text("utf-8"), path)
    return Example(path.stem, path, title, summary, description)


def discover(directory: str | os.PathLike[str] | None = None) -> list[Example]:
    """All examples of ``directory`` (default: the package's), sorted by name."""
    folder = _directory(directory)
    return [load(path) for path in sorted(folder.glob("*.py")) if is_example_file(path)]


def names(directory: str | os.PathLike[str] | None = None) -> list[str]:
    """Names of the examples of ``directory`` (no docstring parsing)."""
    folder = _directory(directory)
    return [path.stem for path in sorted(folder.glob("*.py")) if is_example_file(path)]


def unknown_example_message(name: str, known: list[str]) -> str:
    """'unknown example ...; did you mean ...' with up to three close matches (difflib)."""
    # A path ("../weight_decay_step.py") is matched by its last part: names are not paths.
    stem = Path(name.replace("\\", "/")).stem
    close = difflib.get_close_matches(stem, known, n=3, cutoff=0.5)
    message = f"unknown example {name!r}"
    if stem != name:
        message += " (give the example's name, not a path)"
    if close:
        message += f"; did you mean {' or '.join(repr(c) for c in close)}?"
    elif known:
        message += f"; the examples are: {', '.join(known)}"
    else:
        message += "; there are no examples in this folder"
    return message + " (`l2book list` shows them all)"


def get(name: str, directory: str | os.PathLike[str] | None = None) -> Example:
    """The example called ``name``; :class:`UnknownExampleError` lists close matches if none."""
    folder = _directory(directory)
    # A name, not a path: "../network" or "/tmp/x" would reach files that are no examples.
    valid = isinstance(name, str) and name.isidentifier() and not name.startswith("_")
    path = folder / f"{name}.py"
    if not valid or not path.is_file():
        raise UnknownExampleError(unknown_example_message(str(name), names(folder)))
    return load(path)


def lint(example: Example) -> list[str]:
    """Problems that make an example untrustworthy, found without running it.

    * a claim whose ``holds`` is a literal (``l2.claim(..., True)``) rather than a computed result;
    * ``plt.show()``, which blocks ``python -m`` runs and does nothing under the build.
    """
    tree = ast.parse(example.source, filename=str(example.path))
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "claim":
            holds = node.args[2] if len(node.args) > 2 else next(
                (k.value for k in node.keywords if k.arg == "holds"), None
            )
            if isinstance(holds, ast.Constant):
                problems.append(
                    f"{example.path.name}:{node.lineno}: claim holds={holds.value!r} is a literal; "
                    "compute it from the results, e.g. max_diff < 1e-12"
                )
        if name == "show" and isinstance(func, ast.Attribute):
            problems.append(
                f"{example.path.name}:{node.lineno}: remove .show(); publish figures with "
                "l2.figure(name, fig, alt=...)"
            )
    return problems

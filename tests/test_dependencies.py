"""What counts as a change of the code an example used (l2book.pipeline.dependencies), and the
recording loader's instrumented code (l2book.pipeline.recorder), without running a kernel."""

from __future__ import annotations

import ast
import re
import traceback
from pathlib import Path

import pytest

from l2book.pipeline.dependencies import Places, Snapshot, changed, module_code
from l2book.pipeline.recorder import RAN, definitions, instrument

SOURCE = '''"""A module."""

import math

LIMIT = 3


def outer(x, scale=2):
    """Outer's docstring."""

    def inner(y):
        return y + 1

    return inner(x) * scale


class Box:
    """A box."""

    size = 1

    def area(self):
        return self.size**2

    @property
    def side(self):
        return self.size

    @side.setter
    def side(self, value):
        self.size = value


square = lambda v: v * v  # noqa: E731
'''


def code_after(old: str, new: str):
    assert old in SOURCE
    return module_code(SOURCE.replace(old, new, 1))


BEFORE = module_code(SOURCE)


def test_qualified_names_are_pythons():
    names = [name for name, _ in definitions(ast.parse(SOURCE))]
    assert names == ["outer", "outer.<locals>.inner", "Box.area", "Box.side", "Box.side"]
    namespace: dict = {}
    exec(compile(SOURCE, "m.py", "exec"), namespace)
    assert namespace["outer"].__qualname__ == "outer"
    assert namespace["Box"].area.__qualname__ == "Box.area"


def test_comments_and_layout_change_nothing():
    edited = SOURCE.replace("LIMIT = 3", "# why three\nLIMIT = 3   # a comment\n\n")
    assert module_code(edited) == BEFORE


@pytest.mark.parametrize(
    ("old", "new", "functions"),
    [
        # a nested function is also part of the function it is defined in
        ("return y + 1", "return y + 2", {"outer", "outer.<locals>.inner"}),
        ("Outer's docstring.", "Reworded.", {"outer"}),  # a value programs can read
        ("return self.size**2", "return self.size * self.size", {"Box.area"}),
        ("self.size = value", "self.size = int(value)", {"Box.side"}),  # getter and setter
    ],
)
def test_a_body_edit_changes_that_function_only(old, new, functions):
    after = code_after(old, new)
    assert after.module == BEFORE.module
    assert {n for n in BEFORE.functions if after.functions[n] != BEFORE.functions[n]} == functions


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("LIMIT = 3", "LIMIT = 4"),
        ("scale=2", "scale=3"),  # defaults are evaluated on import
        ("size = 1", "size = 2"),  # class bodies run on import
        ("@property", "@staticmethod"),
        ("v * v", "v + v"),  # a lambda at module level
        ('"""A module."""', '"""The module."""'),
        ("import math", "import cmath"),
    ],
)
def test_module_level_edits_change_the_module_hash(old, new):
    assert code_after(old, new).module != BEFORE.module


def test_changed_names_what_changed_first(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "m.py").write_text(SOURCE)
    (package / "table.csv").write_text("1,2\n")
    places = Places({"package": package, "project": tmp_path})
    recorded = {
        "code": {
            "package/m.py": {"module": BEFORE.module, "functions": {"Box.area": BEFORE.functions["Box.area"]}}
        },
        "files": {"package/table.csv": _sha(package / "table.csv")},
        "listed": {},
    }
    assert changed(recorded, Snapshot(places)) is None
    (package / "m.py").write_text(SOURCE.replace("return y + 1", "return y + 2"))
    assert changed(recorded, Snapshot(places)) is None, "outer did not run"
    (package / "m.py").write_text(SOURCE.replace("self.size**2", "self.size * self.size"))
    assert changed(recorded, Snapshot(places)) == "package/m.py: Box.area changed"
    (package / "m.py").write_text(SOURCE.replace("LIMIT = 3", "LIMIT = 4"))
    assert changed(recorded, Snapshot(places)) == "package/m.py: module-level code changed"
    (package / "m.py").write_text(SOURCE)
    (package / "table.csv").write_text("1,3\n")
    assert changed(recorded, Snapshot(places)) == "package/table.csv changed"
    (package / "m.py").unlink()
    assert changed(recorded, Snapshot(places)) == "package/m.py is gone or does not parse"


def _sha(path: Path) -> str:
    from l2book.pipeline.dependencies import file_hash

    return file_hash(path)


def test_instrumented_code_records_its_functions_and_keeps_lines_and_docstrings():
    failing = SOURCE.replace("return y + 1", "return y / 0")
    plain: dict = {}
    exec(compile(failing, "m.py", "exec"), plain)
    marked: dict = {RAN: {}}
    exec(compile(instrument(ast.parse(failing)), "m.py", "exec"), marked)

    assert marked["outer"].__doc__ == "Outer's docstring."
    box = marked["Box"]()
    box.side = 3
    assert box.area() == 9
    assert sorted(marked[RAN]) == ["Box.area", "Box.side"]

    def failing_line(namespace: dict) -> int:
        with pytest.raises(ZeroDivisionError) as caught:
            namespace["outer"](1)
        return traceback.extract_tb(caught.value.__traceback__)[-1].lineno

    assert failing_line(marked) == failing_line(plain)
    assert sorted(marked[RAN]) == ["Box.area", "Box.side", "outer", "outer.<locals>.inner"]


def test_no_example_or_package_module_reads_a_docstring():
    """The one change the comparison does not see is a docstring read of a function that never
    ran; the book's code reads none."""
    root = Path(__file__).resolve().parent.parent / "l2book"
    readers = re.compile(r"__doc__|getdoc|\bhelp\(")
    found = [
        path.relative_to(root).as_posix()
        for path in sorted(root.rglob("*.py"))
        if "mkdocs_plugin" not in path.parts
        and "pipeline" not in path.parts
        and path.name != "_registry.py"  # reads examples' docstrings from their source text
        and readers.search(path.read_text())
    ]
    assert found == []

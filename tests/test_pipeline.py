"""The example pipeline on its own (no MkDocs), on a copy of the book's package.

The copy is imported by the kernels through PYTHONPATH, so its files can be edited the way a
contributor would edit the package, and the pipeline must re-run exactly what an edit can affect.
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

from l2book.examples import _registry as registry
from l2book.pipeline.build import Pipeline, PipelineError, Settings
from l2book.pipeline.recorder import definitions

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("l2book_pipeline")]

PACKAGE = Path(registry.__file__).resolve().parent.parent
EXAMPLE = "weight_decay_step"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    shutil.copytree(PACKAGE, tmp_path / "l2book", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    return tmp_path


def pipeline(project: Path, **settings) -> Pipeline:
    return Pipeline(
        Settings(
            examples_dir=project / "l2book" / "examples",
            package_dir=project / "l2book",
            project_dir=project,
            cache_dir=project / ".cache",
            **settings,
        )
    )


def run(project: Path, **settings):
    steps = pipeline(project, **settings)
    example = next(e for e in steps.discover() if e.name == EXAMPLE)
    return steps.run([example]).results[EXAMPLE]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1))


def documented(path: Path, names: list[str]) -> str:
    """The first of ``names`` (qualified names of functions in ``path``) with a docstring."""
    found = dict(definitions(ast.parse(path.read_text())))
    return next(name for name in names if ast.get_docstring(found[name]))


def edit_function(path: Path, qualname: str) -> None:
    """A comment on the function's first line and a reworded docstring: nothing it computes."""
    function = dict(definitions(ast.parse(path.read_text())))[qualname]
    lines = path.read_text().splitlines(keepends=True)
    docstring = function.body[0].lineno - 1
    lines[docstring] = lines[docstring].replace('"""', '"""Edited. ', 1)
    lines[function.lineno - 1] = lines[function.lineno - 1].rstrip("\n") + "  # edited\n"
    path.write_text("".join(lines))


def test_edits_outside_what_an_example_ran_rerun_nothing(project):
    package = project / "l2book"
    first = run(project)
    assert first.ok and not first.cached and first.reason == "new", first.error
    depends = json.loads((first.folder / "run.json").read_text())["depends"]
    ran = {label: sorted(p["functions"]) for label, p in depends["code"].items() if p["functions"]}
    assert ran, "the example runs functions of the package"
    assert "lasso_path" not in ran.get("package/lasso.py", [])
    assert "package/cli.py" not in depends["code"], "examples do not import the CLI"

    edit_function(package / "lasso.py", "lasso_path")
    edit(package / "cli.py", "def main(", "def _new_helper():\n    return 1\n\n\ndef main(")
    plugin = package / "mkdocs_plugin" / "plugin.py"
    plugin.write_text(plugin.read_text() + "\n\ndef _new_helper():\n    return 2\n")
    (package / "datasets" / "new-data.md").write_text("A file no example reads.\n")
    again = run(project)
    assert again.ok and again.cached, again.reason

    # A function the example ran, edited without changing what it computes:
    label, names = next(iter(sorted(ran.items())))
    module = package / label.removeprefix("package/")
    function = documented(module, names)
    edit_function(module, function)
    rerun = run(project)
    assert rerun.ok and not rerun.cached
    assert rerun.reason == f"{label}: {function} changed"
    assert rerun.outputs == first.outputs


def test_without_recording_every_package_edit_reruns(project):
    assert not run(project, record=False).cached
    edit(project / "l2book" / "cli.py", "def main(", "def _helper():\n    return 1\n\n\ndef main(")
    again = run(project, record=False)
    assert not again.cached and again.reason == "package/cli.py changed"


def test_a_kernel_importing_another_copy_of_the_package_fails_clearly(project, tmp_path):
    """The build reads one copy, the kernels import another: nothing they ran could be recorded,
    so every later edit would be missed. The example fails, naming both copies."""
    other = tmp_path / "other"
    shutil.copytree(project / "l2book", other / "l2book")
    steps = Pipeline(
        Settings(
            examples_dir=project / "l2book" / "examples",
            package_dir=other / "l2book",
            project_dir=other,
            cache_dir=other / ".cache",
        )
    )
    example = next(e for e in steps.discover() if e.name == EXAMPLE)
    result = steps.run([example]).results[EXAMPLE]
    assert not result.ok
    assert f"imported l2book from {project / 'l2book' / '__init__.py'}" in result.error
    assert str(other / "l2book") in result.error and "PYTHONPATH" in result.error


def test_a_broken_example_folder_is_a_pipeline_error(tmp_path):
    with pytest.raises(PipelineError, match="not a folder|does not exist|no such"):
        Pipeline(
            Settings(
                examples_dir=tmp_path / "missing",
                package_dir=PACKAGE,
                project_dir=tmp_path,
                cache_dir=tmp_path / ".cache",
            )
        ).discover()

"""l2book's wheel for the browser: built from the checkout, the same bytes every time, cached."""

from __future__ import annotations

import zipfile
from pathlib import Path

from l2book.mkdocs_plugin import wheel

REPO = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_the_checkouts_code_and_is_reproducible(tmp_path: Path) -> None:
    first = wheel.build_wheel(REPO, "l2book", tmp_path / "a")
    second = wheel.build_wheel(REPO, "l2book", tmp_path / "b")
    assert first.name == "l2book-0.1.0-py3-none-any.whl"
    assert first.read_bytes() == second.read_bytes()
    names = zipfile.ZipFile(first).namelist()
    assert "l2book/web_run.py" in names and "l2book/datasets/prostate.data" in names
    assert "l2book/examples/weight_decay_step.py" in names
    assert not [n for n in names if "mkdocs_plugin" in n or "/pipeline/" in n or "__pycache__" in n]
    packed = zipfile.ZipFile(first).read("l2book/network.py")
    assert packed == (REPO / "l2book" / "network.py").read_bytes()
    assert wheel.build_wheel(REPO, "l2book", tmp_path / "a") == first  # from the cache


def test_a_changed_source_gives_a_new_wheel(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "pkg").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "pkg"\nversion = "1.0"\n'
    )
    (project / "pkg" / "__init__.py").write_text("X = 1\n")
    before = wheel.build_wheel(project, "pkg", tmp_path / "cache")
    (project / "pkg" / "__init__.py").write_text("X = 2\n")
    after = wheel.build_wheel(project, "pkg", tmp_path / "cache")
    assert before.parent != after.parent
    assert zipfile.ZipFile(after).read("pkg/__init__.py") == b"X = 2\n"
    assert not before.exists(), "the cache keeps the current wheel only"


def test_a_broken_project_fails_with_pips_output(tmp_path: Path) -> None:
    project = tmp_path / "broken"
    (project / "pkg").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project\n")
    import pytest

    with pytest.raises(wheel.WheelBuildError, match="pip wheel of .* failed"):
        wheel.build_wheel(project, "pkg", tmp_path / "cache")

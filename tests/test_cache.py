"""The cache of executed examples checks each entry as a whole when it is used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from l2book.pipeline.cache import Cache

KEY = "a" * 64


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    cache = Cache(tmp_path / "cache")
    scratch = cache.scratch("alpha", KEY)
    (scratch / "outputs.json").write_text(json.dumps({"values": {"x": 1}}))
    (scratch / "curve.svg").write_text("<svg>curve</svg>")
    cache.store("alpha", KEY, scratch, {"seconds": 1.0})
    return cache


def test_a_whole_entry_is_used(cache: Cache) -> None:
    entry = cache.lookup("alpha", KEY)
    assert entry is not None and entry.run["seconds"] == 1.0
    assert sorted(entry.run["files"]) == ["curve.svg", "outputs.json"]
    assert cache.healed == []


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda f: (f / "outputs.json").write_text('{"values": {"x"'), "changed or cut-short outputs.json"),
        (lambda f: (f / "curve.svg").unlink(), "lost curve.svg"),
        (lambda f: (f / "curve.svg").write_text("<svg>CURVE</svg>"), "changed or cut-short curve.svg"),
        (lambda f: (f / "run.json").write_text('{"seconds": 1'), "run.json that is cut short"),
    ],
    ids=["truncated", "missing", "altered", "truncated run.json"],
)
def test_a_damaged_entry_is_a_miss_removed_with_its_problem_named(cache: Cache, damage, problem) -> None:
    folder = cache.root / "alpha" / KEY
    damage(folder)
    assert cache.lookup("alpha", KEY) is None
    (healed,) = cache.healed
    assert healed.startswith(f"cache entry alpha/{KEY[:12]} ") and problem in healed
    assert not folder.exists(), "the damaged entry is removed, so the new run can take its place"


def test_an_entry_without_a_file_list_is_not_trusted(cache: Cache) -> None:
    folder = cache.root / "alpha" / KEY
    (folder / "run.json").write_text(json.dumps({"seconds": 1.0}))
    assert cache.lookup("alpha", KEY) is None
    assert "lists no files" in cache.healed[0]

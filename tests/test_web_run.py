"""The Python side of the browser runner, run natively: outputs, the reader's traceback, limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from l2book import web_run
from l2book.examples import _registry as registry


@pytest.fixture(autouse=True)
def _outputs_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web_run, "OUTPUT_ROOT", tmp_path / "out")
    monkeypatch.setenv("MPLBACKEND", "Agg")


def _run(source: str, name: str = "mine") -> dict:
    return json.loads(web_run.run(name, source))


def test_a_real_example_gives_the_values_claims_and_figures_of_the_cli(
    capsys: pytest.CaptureFixture[str],
) -> None:
    example = registry.get("weight_decay_step")
    result = _run(example.source, example.name)
    assert result["error"] is None
    assert result["values"]["decay_factor"] == {"value": 0.95, "text": "0.95"}
    assert all(claim["holds"] for claim in result["claims"].values())
    assert sorted(result["claims"]) == ["step_equals_weight_decay", "step_lowers_cost"]
    (figure,) = result["figures"]
    assert figure["name"] == "update_parts" and figure["svg"].lstrip().startswith("<?xml")
    assert figure["alt"].startswith("Scatter of the weights")
    assert "[l2book] claim ok step_equals_weight_decay" in capsys.readouterr().out


def test_an_error_shows_only_the_readers_frames_with_their_line() -> None:
    source = "import l2book as l2\nx = l2.glue('x', 1)\n\ndef f():\n    return 1 / 0\n\nf()\n"
    result = _run(source)
    error = result["error"]
    assert error.startswith("Traceback (most recent call last, your code only):")
    assert 'File "mine.py", line 7' in error and 'File "mine.py", line 5' in error
    assert "return 1 / 0" in error and error.rstrip().endswith("ZeroDivisionError: division by zero")
    assert "web_run" not in error
    assert result["values"] == {"x": {"value": 1, "text": "1"}}, "what ran before the error is kept"


def test_an_error_inside_l2book_is_shown_at_the_readers_call() -> None:
    result = _run("import l2book as l2\nnet = l2.Network([2, 0, 1])\n")
    assert 'File "mine.py", line 2' in result["error"]
    assert "ValueError" in result["error"]
    assert "network.py" not in result["error"]


def test_a_syntax_error_shows_the_line_and_caret() -> None:
    error = _run("x = (1,\ny = 2\n")["error"]
    assert "SyntaxError" in error and 'File "mine.py", line 1' in error


def test_an_import_the_site_does_not_ship_says_what_it_has() -> None:
    error = _run("import not_a_module_here\n")["error"]
    assert "ModuleNotFoundError" in error
    assert "'not_a_module_here' is not part of this site's Python" in error


def test_sys_exit_zero_is_a_normal_end_and_a_false_claim_is_reported() -> None:
    source = "import sys\nimport l2book as l2\nl2.claim('no', 'One is two.', 1 == 2, a=1)\nsys.exit(0)\n"
    result = _run(source)
    assert result["error"] is None
    assert result["claims"]["no"]["holds"] is False
    assert result["claims"]["no"]["text"] == {"a": "1"}


def test_a_figure_larger_than_the_page_accepts_is_not_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web_run, "MAX_FIGURE_BYTES", 1000)
    source = (
        "import l2book as l2\nfrom l2book import plots\nfig, ax = plots.subplots()\n"
        "ax.plot(range(100))\nl2.figure('big', fig, alt='A line.')\n"
    )
    (figure,) = _run(source)["figures"]
    assert figure["svg"] is None and figure["bytes"] > 1000


def test_a_second_run_shows_only_its_own_outputs() -> None:
    _run("import l2book as l2\nl2.glue('a', 1)\n")
    assert _run("import l2book as l2\nl2.glue('b', 2)\n")["values"] == {"b": {"value": 2, "text": "2"}}

"""l2book.publish: glue, figure and claim, in every way an example can be run."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest

import l2book as l2
from l2book import publish


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Collect outputs of a fake example 'demo' into tmp_path/out."""
    monkeypatch.delenv(publish.OUTPUT_DIR_ENV, raising=False)
    current = publish.start_run("demo", tmp_path / "out")
    yield current
    publish.end_run()


def outputs(run: publish.Run) -> dict:
    return json.loads((run.output_dir / publish.OUTPUTS_FILE).read_text("utf-8"))


def test_public_api_is_exported():
    assert l2.glue is publish.glue
    assert l2.figure is publish.figure
    assert l2.claim is publish.claim


def test_glue_records_prints_and_returns_the_value(run, capsys):
    assert l2.glue("acc", 0.935) == 0.935
    value = np.float64(0.25)
    assert l2.glue("ratio", value) is value
    l2.glue("sizes", np.arange(3))
    l2.glue("name", "moons")
    l2.glue("ok", np.bool_(True))
    assert outputs(run)["values"] == {
        "acc": 0.935,
        "ratio": 0.25,
        "sizes": [0, 1, 2],
        "name": "moons",
        "ok": True,
    }
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "[l2book] value acc = 0.935"
    assert lines[2] == "[l2book] value sizes = [0, 1, 2]"
    assert lines[3] == '[l2book] value name = "moons"'


def test_glue_prints_a_long_value_shortened_but_records_it_whole(run, capsys):
    long_text = "x" * 500
    l2.glue("payload", long_text)
    assert outputs(run)["values"]["payload"] == long_text
    line = capsys.readouterr().out.splitlines()[0]
    assert line == f'[l2book] value payload = "{"x" * 59}… (502 characters)'


def test_glue_again_replaces_the_value(run):
    l2.glue("x", 1)
    l2.glue("x", 2)
    assert outputs(run)["values"] == {"x": 2}


@pytest.mark.parametrize(
    ("key", "value", "error", "match"),
    [
        ("test acc", 1.0, ValueError, r"key='test acc' must be a name made of letters"),
        ("1st", 1.0, ValueError, r"key='1st' must be a name"),
        (3, 1.0, ValueError, r"key=3 must be a name"),
        ("x", float("nan"), ValueError, r"value of 'x' is nan; only finite numbers"),
        ("x", np.inf, ValueError, r"value of 'x' is inf; only finite numbers"),
        ("x", {"a": 1}, TypeError, r"value of 'x' has type dict; publish a number"),
        ("x", np.zeros((2, 2, 2)), ValueError, r"shape \(2, 2, 2\); publish at most 2-D"),
        ("x", list(range(1001)), ValueError, r"more than 1000 items; publish a summary"),
        ("x", [1, object()], TypeError, r"value of 'x'\[1\] has type object"),
    ],
)
def test_glue_rejects_bad_input(run, key, value, error, match):
    with pytest.raises(error, match=match):
        l2.glue(key, value)


def test_claim_records_sentence_result_and_values(run, capsys):
    err = 3e-17
    l2.claim("tiny", "The error is tiny.", err < 1e-12, err=err, tolerance=1e-12)
    record = outputs(run)["claims"]["tiny"]
    assert record == {
        "sentence": "The error is tiny.",
        "holds": True,
        "values": {"err": 3e-17, "tolerance": 1e-12},
    }
    assert capsys.readouterr().out == (
        "[l2book] claim ok tiny: The error is tiny. (err=3e-17, tolerance=1e-12)\n"
    )


def test_false_claim_is_recorded_and_printed_to_stderr(run, capsys):
    l2.claim("big", "The error is tiny.", np.float64(0.5) < 1e-12, err=0.5)
    assert outputs(run)["claims"]["big"]["holds"] is False
    assert run.failed_claims == ["big"]
    captured = capsys.readouterr()
    assert "CLAIM FAILED big: The error is tiny. (err=0.5)" in captured.err
    assert captured.out == ""


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        (("k", "s", 1), TypeError, r"holds must be a bool computed from the results .* got int 1"),
        (("k", "s", "yes"), TypeError, r"holds must be a bool .* got str 'yes'"),
        (("k", "", True), ValueError, r"sentence is empty"),
        (("k", 3, True), TypeError, r"sentence must be a string, got int"),
        (("bad key", "s", True), ValueError, r"key='bad key' must be a name"),
    ],
)
def test_claim_rejects_bad_input(run, arguments, error, match):
    with pytest.raises(error, match=match):
        l2.claim(*arguments)


def test_claim_values_must_be_publishable(run):
    with pytest.raises(TypeError, match=r"claim value 'net' has type object"):
        l2.claim("k", "s", True, net=object())


def _figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1, 2], [0, 1, 4])
    return fig


def test_figure_writes_deterministic_svg_and_closes_the_figure(run, capsys):
    fig = _figure()
    l2.figure("curve", fig, alt="A parabola.", caption="Three points of $x^2$.")
    assert not plt.fignum_exists(fig.number)
    svg = (run.output_dir / "curve.svg").read_bytes()
    assert svg.startswith(b"<?xml") and b"<dc:date>" not in svg
    assert outputs(run)["figures"] == {
        "curve": {"file": "curve.svg", "alt": "A parabola.", "caption": "Three points of $x^2$."}
    }
    assert capsys.readouterr().out.endswith("curve.svg\n")
    l2.figure("curve", _figure(), alt="A parabola.")
    assert (run.output_dir / "curve.svg").read_bytes() == svg


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        (("f", "not a figure", "alt"), TypeError, r"fig must be a matplotlib Figure, got str"),
        (("f", None, ""), TypeError, r"fig must be a matplotlib Figure"),
        (("bad name", None, "alt"), ValueError, r"name='bad name' must be a name"),
    ],
)
def test_figure_rejects_bad_input(run, arguments, error, match):
    with pytest.raises(error, match=match):
        l2.figure(*arguments)


def test_figure_needs_alt_text(run):
    fig = _figure()
    with pytest.raises(ValueError, match=r"alt is empty; write a sentence"):
        l2.figure("f", fig, alt="  ")
    plt.close(fig)


def test_start_run_removes_only_the_previous_runs_files(tmp_path):
    folder = tmp_path / "out"
    publish.start_run("demo", folder)
    l2.figure("old", _figure(), alt="Old.")
    publish.end_run()
    (folder / "mine.svg").write_text("<svg/>")
    publish.start_run("demo", folder)
    publish.end_run()
    assert not (folder / "old.svg").exists()
    assert (folder / "mine.svg").exists()
    assert json.loads((folder / "outputs.json").read_text())["figures"] == {}


def test_outputs_go_to_the_environment_folder(tmp_path, monkeypatch):
    publish.end_run()
    monkeypatch.setenv(publish.OUTPUT_DIR_ENV, str(tmp_path / "build"))
    monkeypatch.setenv(publish.EXAMPLE_ENV, "from_env")
    try:
        l2.glue("x", 1)
        data = json.loads((tmp_path / "build" / "outputs.json").read_text())
        assert data["example"] == "from_env"
    finally:
        publish.end_run()


def test_standalone_run_writes_to_l2book_output(tmp_path):
    script = tmp_path / "tiny_example.py"
    script.write_text(
        '"""Tiny\nA tiny example."""\nimport l2book as l2\nl2.glue("answer", 42)\n'
        'l2.claim("right", "The answer is 42.", 6 * 7 == 42, answer=42)\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("L2BOOK_")}
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "[l2book] value answer = 42",
        "[l2book] claim ok right: The answer is 42. (answer=42)",
    ]
    data = json.loads((tmp_path / "l2book-output" / "tiny_example" / "outputs.json").read_text())
    assert data["values"] == {"answer": 42}


def test_detect_example_name_prefers_the_environment(monkeypatch):
    monkeypatch.setenv(publish.EXAMPLE_ENV, "chosen")
    assert publish.detect_example_name() == "chosen"


def test_python_dash_m_names_the_output_folder_after_the_module(tmp_path):
    package = tmp_path / "demo_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "my_example.py").write_text('import l2book as l2\nl2.glue("x", 1)\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("L2BOOK_")}
    done = subprocess.run(
        [sys.executable, "-m", "demo_pkg.my_example"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "l2book-output" / "my_example" / "outputs.json").is_file()


@pytest.mark.parametrize(
    ("value", "spec", "text"),
    [
        (0.935, None, "0.935"),
        (0.1 + 0.2, None, "0.3"),
        (1.1102230246251565e-16, None, "1.11022e-16"),
        (0.9351, ".1%", "93.5%"),
        (3, None, "3"),
        (3, ".2f", "3.00"),
        ("moons", None, "moons"),
        ([1, 2.5], ".1f", "1.0, 2.5"),
        (True, None, "True"),
    ],
)
def test_format_value(value, spec, text):
    assert publish.format_value(value, spec) == text

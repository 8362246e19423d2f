"""l2book.cli: `l2book list | run | check`, on the test site's examples and on broken ones."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from l2book import cli

FIXTURE = Path(__file__).parent / "fixtures" / "site"
EXAMPLES = FIXTURE / "examples"

HEADER = '"""A {0} example\nSummary of {0}.\n"""\n\nimport l2book as l2\n\n'


@pytest.fixture(autouse=True)
def _fixture_package_importable(monkeypatch):
    # The test site's examples import fixturelib, which lives next to them.
    monkeypatch.syspath_prepend(str(FIXTURE))
    monkeypatch.setenv("PYTHONPATH", str(FIXTURE))
    monkeypatch.delenv("L2BOOK_OUTPUT_DIR", raising=False)
    monkeypatch.delenv("L2BOOK_EXAMPLE", raising=False)


@pytest.fixture
def broken(tmp_path) -> Path:
    """A folder of examples that fail in each way `check` must catch."""
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "good.py").write_text(HEADER.format("good") + 'l2.glue("x", 1)\n')
    (folder / "raises.py").write_text(
        HEADER.format("raises") + "# %%\nx = 1\n\n# %%\nx / 0\n"
    )
    (folder / "liar.py").write_text(
        HEADER.format("liar")
        + 'err = 0.5\nl2.claim("tiny", "The error is below 1e-12.", err < 1e-12, err=err)\n'
    )
    (folder / "literal.py").write_text(
        HEADER.format("literal") + 'l2.claim("always", "This always holds.", True)\n'
    )
    (folder / "_helper.py").write_text("# not an example\n")
    return folder


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_list_shows_names_and_summaries(capsys):
    status, out, _ = run_cli(capsys, "list", "--examples-dir", str(EXAMPLES))
    assert status == 0
    assert out.splitlines() == [
        "alpha  Fits y = a·x to three points and publishes the slope, a figure and a claim.",
        "beta   Publishes a ratio and a list, and records how often it ran.",
    ]


def test_list_defaults_to_the_package_examples(capsys):
    status, out, _ = run_cli(capsys, "list")
    assert status == 0
    line = next(line for line in out.splitlines() if line.startswith("weight_decay_step "))
    assert "equals W ← (1 − ηλ/m)W − η ∂L/∂W" in line


def test_run_prints_values_and_writes_figures(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, _ = run_cli(capsys, "run", "alpha", "--examples-dir", str(EXAMPLES))
    assert status == 0
    assert out.splitlines() == [
        "[l2book] value slope = 2.0",
        "[l2book] value seed = 0",
        "[l2book] figure points: l2book-output/alpha/points.svg",
        "[l2book] claim ok slope_is_two: The fitted slope equals 2. (slope=2)",
        "l2book: outputs of 'alpha' are in l2book-output/alpha/",
    ]
    folder = tmp_path / "l2book-output" / "alpha"
    assert (folder / "points.svg").read_bytes().startswith(b"<?xml")
    assert json.loads((folder / "outputs.json").read_text())["values"]["slope"] == 2.0


def test_run_matches_python_running_the_file(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", "alpha", "--examples-dir", str(EXAMPLES), "--output", "cli"]) == 0
    capsys.readouterr()
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "alpha.py")], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    standalone = tmp_path / "l2book-output" / "alpha"
    assert (standalone / "outputs.json").read_text() == (tmp_path / "cli" / "outputs.json").read_text()
    assert (standalone / "points.svg").read_bytes() == (tmp_path / "cli" / "points.svg").read_bytes()


def test_run_unknown_name_suggests_close_matches(capsys):
    status, _, err = run_cli(capsys, "run", "alpah", "--examples-dir", str(EXAMPLES))
    assert status == 2
    assert "unknown example 'alpah'; did you mean 'alpha'?" in err


def test_run_unknown_name_without_close_match_lists_examples(capsys):
    status, _, err = run_cli(capsys, "run", "zzz", "--examples-dir", str(EXAMPLES))
    assert status == 2
    assert "the examples are: alpha, beta" in err


def test_private_files_are_not_examples(capsys, broken):
    status, _, err = run_cli(capsys, "run", "_helper", "--examples-dir", str(broken))
    assert status == 2
    assert "unknown example '_helper'" in err


def test_run_fails_when_the_example_raises(capsys, broken, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, _, err = run_cli(capsys, "run", "raises", "--examples-dir", str(broken))
    assert status == 1
    assert "ZeroDivisionError" in err
    assert "example 'raises' failed" in err


def test_run_fails_on_a_false_claim(capsys, broken, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, _, err = run_cli(capsys, "run", "liar", "--examples-dir", str(broken))
    assert status == 1
    assert "CLAIM FAILED tiny: The error is below 1e-12. (err=0.5)" in err
    assert "made 1 false claim(s): tiny" in err


def test_check_passes_on_good_examples(capsys):
    status, out, _ = run_cli(capsys, "check", "--examples-dir", str(EXAMPLES))
    assert status == 0
    assert "ok   alpha" in out and "ok   beta" in out
    assert out.splitlines()[-1] == "2 passed, 0 failed"


def test_check_reports_every_kind_of_failure(capsys, broken):
    status, out, _ = run_cli(capsys, "check", "--examples-dir", str(broken))
    assert status == 1
    assert "ok   good" in out
    assert "FAIL raises" in out and "ZeroDivisionError" in out
    assert "FAIL liar" in out and "claim 'tiny' is false: The error is below 1e-12. (err = 0.5)" in out
    assert "FAIL literal" in out and "claim holds=True is a literal" in out
    assert out.splitlines()[-1] == "1 passed, 3 failed"


def test_check_selected_names_only(capsys, broken):
    status, out, _ = run_cli(capsys, "check", "good", "--examples-dir", str(broken))
    assert status == 0
    assert out.splitlines()[-1] == "1 passed, 0 failed"


def test_check_times_out(capsys, tmp_path):
    folder = tmp_path / "slow"
    folder.mkdir()
    (folder / "sleepy.py").write_text(HEADER.format("sleepy") + "import time\ntime.sleep(60)\n")
    status, out, _ = run_cli(
        capsys, "check", "--examples-dir", str(folder), "--timeout", "1"
    )
    assert status == 1
    assert "FAIL sleepy (1.0 s): timed out after 1 s" in out


def test_check_unknown_name_is_a_usage_error(capsys):
    status, _, err = run_cli(capsys, "check", "bta", "--examples-dir", str(EXAMPLES))
    assert status == 2
    assert "did you mean 'beta'?" in err


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["check", "--workers", "0"], "--workers 0 must be at least 1"),
        (["check", "--timeout", "-1"], "--timeout -1.0 must be positive seconds"),
        (["list", "--examples-dir", "no/such/dir"], "examples directory 'no/such/dir' does not exist"),
    ],
)
def test_bad_arguments_are_usage_errors(capsys, argv, match):
    status, _, err = run_cli(capsys, *argv)
    assert status == 2
    assert match in err


def test_example_without_docstring_is_reported(capsys, tmp_path):
    folder = tmp_path / "nodoc"
    folder.mkdir()
    (folder / "bare.py").write_text("x = 1\n")
    status, _, err = run_cli(capsys, "list", "--examples-dir", str(folder))
    assert status == 2
    assert "bare.py has no module docstring; start it with a docstring" in err


def test_console_script_is_installed():
    script = shutil.which("l2book", path=str(Path(sys.executable).parent))
    assert script is not None
    done = subprocess.run([script, "list", "--examples-dir", str(EXAMPLES)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("alpha")


@pytest.mark.parametrize("name", ["../network", "../examples/alpha", "/tmp/alpha", "alpha.py"])
def test_run_takes_names_not_paths(capsys, name):
    # "../network" would otherwise run l2book/network.py, "/tmp/x" any x.py anywhere
    status, _, err = run_cli(capsys, "run", name, "--examples-dir", str(EXAMPLES))
    assert status == 2
    assert f"unknown example {name!r} (give the example's name, not a path)" in err
    if "alpha" in name:
        assert "did you mean 'alpha'?" in err


def test_version_and_python_dash_m_work_like_the_command():
    import l2book

    script = str(Path(sys.executable).with_name("l2book"))  # the console script of this venv
    for command in ([script], [sys.executable, "-m", "l2book"]):
        shown = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
        assert shown.stdout.strip() == f"l2book {l2book.__version__}"
    listed = subprocess.run([sys.executable, "-m", "l2book", "list"], capture_output=True, text=True,
                            check=True)
    assert listed.stdout.split()[0] == "beyond_adamw"

"""Kernels forked from the kernel template behave as new kernels (l2book.pipeline.forked_kernels).

The build starts each example's kernel as a fork of a process that has imported ipykernel, numpy
and matplotlib; a reader relies on that changing nothing: the same notebook, outputs and figures as
a kernel started from scratch, no state carried from one example to the next, failures reported
the same way, and no process left behind.
"""

from __future__ import annotations

import filecmp
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from l2book.examples import _registry as registry
from l2book.pipeline.forked_kernels import (
    ForkedKernelManager,
    KernelTemplate,
    TemplateUnavailable,
)
from l2book.pipeline.runner import (
    FORK_SUPPORTED,
    execute_all,
    kernel_environment,
    run_coroutine,
)

FIXTURE_EXAMPLES = Path(__file__).parent / "fixtures" / "site" / "examples"

pytestmark = [
    pytest.mark.build,
    pytest.mark.skipif(not FORK_SUPPORTED, reason="kernels are forked on Linux only"),
]


def _example(folder: Path, name: str, code: str) -> registry.Example:
    path = folder / f"{name}.py"
    path.write_text(f'"""{name.title()}: a test\nA test example.\n"""\n\n{code}', encoding="utf-8")
    return registry.load(path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _parent(pid: int) -> int:
    # /proc/PID/stat: "pid (name) state ppid ..."; the name may contain spaces, not ")".
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_forked_and_new_kernels_give_identical_runs(tmp_path, monkeypatch):
    # alpha prints, plots (inline figure and SVG), glues and claims; it imports the fixture's
    # package from PYTHONPATH, which a forked kernel must see like a new one.
    monkeypatch.setenv("PYTHONPATH", str(FIXTURE_EXAMPLES.parent))
    examples = [registry.load(FIXTURE_EXAMPLES / name) for name in ("alpha.py", "beta.py")]
    # A figure left open is drawn by matplotlib's inline backend, which ipykernel selects as it
    # starts: the template imported matplotlib before any kernel existed.
    examples.append(
        _example(tmp_path, "inline", "# %%\nimport matplotlib.pyplot as plt\n\nplt.plot([1, 3, 2]);\n")
    )
    runs = {}
    for fork in (True, False):
        jobs = [(example, tmp_path / str(fork) / example.name) for example in examples]
        outcomes = execute_all(jobs, timeout=60, workers=2, fork_kernels=fork)
        assert all(outcome.ok for outcome in outcomes.values()), outcomes
        runs[fork] = tmp_path / str(fork)
    for example in examples:
        forked, new = runs[True] / example.name, runs[False] / example.name
        names = sorted(p.name for p in new.iterdir())
        assert sorted(p.name for p in forked.iterdir()) == names
        match, mismatch, errors = filecmp.cmpfiles(new, forked, names, shallow=False)
        assert not mismatch and not errors, f"{example.name}: {mismatch + errors} differ"
    assert '"image/svg+xml"' in (runs[True] / "alpha" / "alpha.ipynb").read_text("utf-8")
    assert '"image/png"' in (runs[True] / "inline" / "inline.ipynb").read_text("utf-8")


def test_no_state_passes_from_one_forked_kernel_to_the_next(tmp_path):
    first = _example(
        tmp_path,
        "first",
        "# %%\nimport sys\n\nimport matplotlib as mpl\nimport numpy as np\n\n"
        "np.set_printoptions(precision=2)\nmpl.rcParams['lines.linewidth'] = 9\n"
        "sys.modules['numpy'].l2book_marker = 1\nnp.random.seed(5)\nNAME = 'first'\n",
    )
    second = _example(
        tmp_path,
        "second",
        "# %%\nimport matplotlib as mpl\nimport numpy as np\n\n"
        "assert np.get_printoptions()['precision'] == 8\n"
        "assert mpl.rcParams['lines.linewidth'] == 1.5\n"
        "assert not hasattr(np, 'l2book_marker')\n"
        "assert 'NAME' not in globals()\n",
    )
    jobs = [(example, tmp_path / "runs" / example.name) for example in (first, second)]
    outcomes = execute_all(jobs, timeout=60, workers=1, fork_kernels=True)
    assert outcomes["first"].ok and outcomes["second"].ok, outcomes["second"].message


def test_a_forked_kernel_that_dies_is_reported(tmp_path):
    code = "# %%\nimport os\nimport signal\n\nos.kill(os.getpid(), signal.SIGKILL)\n"
    dying = _example(tmp_path, "dying", code)
    outcomes = execute_all([(dying, tmp_path / "runs" / "dying")], timeout=60, workers=1)
    assert outcomes["dying"].status == "error"
    assert "example 'dying': the kernel died" in outcomes["dying"].message


def test_kernels_stop_with_the_template_and_the_template_with_its_input(tmp_path, monkeypatch):
    # A build that dies closes the template's input: the template exits and its kernels follow.
    template = KernelTemplate(kernel_environment())
    manager = ForkedKernelManager(template, kernel_name="python3")
    run_coroutine(manager.start_kernel(cwd=str(tmp_path)))
    pid = manager.provisioner.pid
    try:
        assert _alive(pid)
        assert _parent(pid) == template.pid  # a fork, not a new interpreter
        template.close()
        assert _wait_gone(pid, 15), "the kernel outlived its template"
        # Its process group id may now be another's: the manager no longer signals it.
        signalled = []
        monkeypatch.setattr(os, "killpg", lambda *args: signalled.append(args))
        run_coroutine(manager.provisioner.send_signal(signal.SIGKILL))
        assert signalled == []
    finally:
        if _alive(pid):
            os.kill(pid, 9)
        run_coroutine(manager.cleanup_resources())


def test_without_a_template_kernels_start_as_new_interpreters(tmp_path, caplog):
    template = KernelTemplate(dict(os.environ), python=str(tmp_path / "no-python"))
    with pytest.raises(TemplateUnavailable, match="kernel template did not start"):
        template.fork([template.python, "-m", "ipykernel_launcher"], str(tmp_path), {}, None)
    # The manager still starts the kernel, the usual way, and says why once.
    template.python = sys.executable
    manager = ForkedKernelManager(template, kernel_name="python3")
    run_coroutine(manager.start_kernel(cwd=str(tmp_path)))
    try:
        assert _parent(manager.provisioner.pid) == os.getpid()
        assert "kernels start as new interpreters instead" in caplog.text
    finally:
        run_coroutine(manager.shutdown_kernel(now=True))
        template.close()

"""Time the example pipeline: clean and warm builds against their baselines.

Everything runs on a snapshot of the repository taken at the start (the ``l2book`` package, the
book's ``docs/``, ``hooks/`` and ``mkdocs.yml``, in a temporary folder, imported through
PYTHONPATH), so edits made while the benchmark runs cannot change what is measured. Each build
runs ``python -m mkdocs build`` in a subprocess, as a reader would. Measured in the same run:

1. **clean build** of a site that shows every example (an ``{{ example(...) }}`` box each, plus its
   notebook page) with the l2book plugin and an empty cache: each example runs once, in parallel,
   in its own kernel / **the same examples built by mkdocs-jupyter alone** with ``execute: true``,
   which runs them one after the other. Target ≤ 0.5.
2. **warm build of the book** (every example cached) / **the book built with the l2book plugin
   disabled** (``enabled: false``; the references stay as written). Target ≤ 1.3. Median of
   several builds, each side after one untimed build.
3. **pipeline overhead** = time of the clean build (1) − the examples' own compute time, the sum
   over examples of the wall time of running the example's code in-process (``runpy``, in a fresh
   interpreter each, imports included). Reported, no target.
4. **recording what examples use**: CPU time of a clean build of the site of (1) / the same build
   with ``record_dependencies: false``, alternating, median of the pairs (the first clean build
   is not one of them: it also fills the system's file caches). Target ≤ 1.05.
5. **the edit loop**: change the body of one function (``lasso_path``, which one example runs)
   and rebuild the book / the same with ``record_dependencies: false``, where every example runs
   again (what any package edit cost before examples recorded what they use). Alternating pairs.

6. **the examples' compute time, this tree / another revision** (``--compute-against REV``, run
   on its own): the sum over examples of (3), each example run with this tree's package and with
   REV's (``git archive``), alternating, each side's best of ``COMPUTE_REPEATS``. What a change to
   the numerical core saves every clean build; writes ``pipeline_compute.json``.

The book is built without browser runs (``L2BOOK_BROWSER_RUNS=false``; they have their own
benchmark, ``browser.py``).

Writes ``benchmarks/results/pipeline.json``.

Run: ``.venv/bin/python benchmarks/pipeline.py`` (all examples; ``--examples a,b,c`` for some;
``--compute-against REV`` for (6) alone).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from l2book.examples import _registry as registry

REPO = Path(__file__).resolve().parent.parent
from report import save  # noqa: E402 - benchmarks/ is on sys.path when run as a script

RESULTS = REPO / "benchmarks" / "results" / "pipeline.json"
CLEAN_TARGET = 0.5
WARM_TARGET = 1.3
WARM_REPEATS = 3
RECORD_TARGET = 1.05
PAIRS = 3
COMPUTE_REPEATS = 3
EDITED = ("lasso.py", "lasso_path")

THEME = """\
site_name: pipeline benchmark
use_directory_urls: true
theme:
  name: material
  font: false
markdown_extensions:
  - admonition
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.highlight
  - pymdownx.superfences
"""

L2BOOK_PLUGINS = """\
plugins:
  - search
  - l2book:
      enabled: {enabled}
      record_dependencies: {record}
      examples_dir: examples
      cache_dir: .cache/l2book
  - mkdocs-jupyter:
      execute: false
      include_source: true
      allow_errors: false
      include: ["*.ipynb"]
"""

JUPYTER_ONLY_PLUGINS = """\
plugins:
  - search
  - mkdocs-jupyter:
      execute: true
      allow_errors: false
      include_source: true
      include: ["examples/*.py"]
      cache: false
"""


def _write_l2book_site(
    root: Path, examples: list[registry.Example], enabled: bool, record: bool = True
) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "examples").mkdir()
    for example in examples:
        shutil.copy(example.path, root / "examples" / example.path.name)
    boxes = "\n\n".join(f'{{{{ example("{e.name}") }}}}' for e in examples)
    (root / "docs" / "index.md").write_text(f"# Examples\n\n{boxes}\n")
    plugins = L2BOOK_PLUGINS.format(
        enabled="true" if enabled else "false", record="true" if record else "false"
    )
    (root / "mkdocs.yml").write_text(THEME + plugins)


def _write_jupyter_site(root: Path, examples: list[registry.Example]) -> None:
    (root / "docs" / "examples").mkdir(parents=True)
    for example in examples:
        shutil.copy(example.path, root / "docs" / "examples" / example.path.name)
    names = "\n".join(f"- [{e.name}](examples/{e.name}.py)" for e in examples)
    (root / "docs" / "index.md").write_text(f"# Examples\n\n{names}\n")
    (root / "mkdocs.yml").write_text(THEME + JUPYTER_ONLY_PLUGINS)


def _env(snapshot: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("L2BOOK_")}
    env.update(
        {"NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(snapshot), "L2BOOK_BROWSER_RUNS": "false"}
    )
    return env


CPU_SECONDS: dict[str, float] = {}
"""CPU time (user + system, the build and every kernel it ran) of the last build of each root."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _build(root: Path, snapshot: Path, config: str = "mkdocs.yml") -> float:
    start, cpu_start = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", "site"],
        cwd=root,
        env=_env(snapshot),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    CPU_SECONDS[str(root)] = _children_cpu() - cpu_start
    if done.returncode != 0:
        raise RuntimeError(f"build of {root} failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def _snapshot(destination: Path) -> Path:
    """Copy the package and the book into ``destination``; returns it."""
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    shutil.copytree(REPO / "l2book", destination / "l2book", ignore=ignore)
    shutil.copytree(REPO / "docs", destination / "docs", ignore=ignore)
    if (REPO / "hooks").is_dir():
        shutil.copytree(REPO / "hooks", destination / "hooks", ignore=ignore)
    shutil.copy(REPO / "mkdocs.yml", destination / "mkdocs.yml")
    if (REPO / "node_modules").is_dir():  # browser libraries the book's hook copies into the site
        (destination / "node_modules").symlink_to(REPO / "node_modules")
    return destination


def _l2book_option(config: Path, option: str, name: str) -> Path:
    """A copy of the book's mkdocs.yml, named ``name``, with ``option`` set for ``- l2book``."""
    head, marker, plugins = config.read_text().partition("\nplugins:\n")
    for entry in ("  - l2book:\n", "  - l2book\n"):
        if entry in plugins:
            plugins = plugins.replace(entry, f"  - l2book:\n      {option}\n", 1)
            break
    else:
        raise RuntimeError(f"{config} lists no '  - l2book' plugin")
    copy = config.with_name(name)
    copy.write_text(head + marker + plugins)
    return copy


def _edit_function(path: Path, function: str, count: int) -> None:
    """Add a statement that changes nothing before ``function``'s first ``return``."""
    text = path.read_text()
    body = text.index("\n    return", text.index(f"def {function}("))
    path.write_text(text[:body] + f"\n    _edit = {count}" + text[body:])


_COMPUTE = """\
import runpy, sys, time
start = time.perf_counter()
runpy.run_path(sys.argv[1], run_name="__main__")
print(time.perf_counter() - start)
"""


def _compute_time(example: registry.Example, workdir: Path, snapshot: Path) -> float:
    env = _env(snapshot)
    env.update({"MPLBACKEND": "Agg", "L2BOOK_OUTPUT_DIR": str(workdir / example.name)})
    done = subprocess.run(
        [sys.executable, "-c", _COMPUTE, str(example.path)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def _revision_package(rev: str, destination: Path) -> Path:
    """The ``l2book`` package of git revision ``rev``, extracted into ``destination``."""
    destination.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "l2book"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(destination)], input=archive, check=True)
    return destination


def compare_compute(rev: str, names: str | None) -> dict:
    """(6): the examples' summed compute time with this tree's package / with ``rev``'s."""
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="l2book-bench-") as tmp:
        tmp_path = Path(tmp)
        trees = {"this tree": _snapshot(tmp_path / "snapshot"),
                 rev: _revision_package(rev, tmp_path / "revision")}
        examples = registry.discover(trees["this tree"] / "l2book" / "examples")
        if names:
            examples = [e for e in examples if e.name in names.split(",")]
        best: dict[str, dict[str, float]] = {label: {} for label in trees}
        turn = 0
        for _ in range(COMPUTE_REPEATS):
            for example in examples:
                labels = list(trees) if turn % 2 == 0 else list(trees)[::-1]
                turn += 1
                for label in labels:
                    workdir = tmp_path / "compute" / label.replace(" ", "-")
                    workdir.mkdir(parents=True, exist_ok=True)
                    # each tree runs its own copy of the example: a change to it counts too
                    own = registry.get(example.name, trees[label] / "l2book" / "examples")
                    seconds = _compute_time(own, workdir, trees[label])
                    best[label][example.name] = min(best[label].get(example.name, seconds), seconds)
    ours, theirs = sum(best["this tree"].values()), sum(best[rev].values())
    most_saved = sorted(best["this tree"], key=lambda n: best[rev][n] - best["this tree"][n])[::-1][:5]
    measurements = [{
        "name": f"examples' compute time summed over {len(examples)} examples, this tree / {rev}",
        "value": ours / theirs,
        "unit": "ratio",
        "target": None,
        "met": None,
        "note": (
            f"{ours:.1f} s vs {theirs:.1f} s, each example's best of {COMPUTE_REPEATS} "
            "(wall time, imports included, one at a time, alternating); most saved: "
            + ", ".join(f"{n} {best[rev][n]:.2f} → {best['this tree'][n]:.2f} s" for n in most_saved)
        ),
    }]
    load_after = os.getloadavg()
    return save(RESULTS.with_name("pipeline_compute.json"), {
        "area": "pipeline_compute",
        "machine": _machine(),
        "versions": {"python": platform.python_version(),
                     "numpy": importlib.metadata.version("numpy")},
        "date": datetime.date.today().isoformat(),
        "against": subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev],
                                  capture_output=True, text=True, check=True).stdout.strip(),
        "load_average_1min": {"start": round(load_before[0], 2), "end": round(load_after[0], 2)},
        "measurements": measurements,
        "met": True,
    })


def _median_build(root: Path, snapshot: Path, config: str = "mkdocs.yml") -> float:
    _build(root, snapshot, config)  # untimed: fills the caches of every plugin
    return statistics.median(_build(root, snapshot, config) for _ in range(WARM_REPEATS))


def _machine() -> str:
    return f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", help="comma-separated example names (default: all)")
    parser.add_argument("--compute-against", metavar="REV",
                        help="only (6): the examples' compute time against git revision REV")
    args = parser.parse_args(argv)
    if args.compute_against:
        return compare_compute(args.compute_against, args.examples)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="l2book-bench-") as tmp:
        tmp_path = Path(tmp)
        snapshot = _snapshot(tmp_path / "snapshot")
        examples = registry.discover(snapshot / "l2book" / "examples")
        if args.examples:
            examples = [registry.get(n, snapshot / "l2book" / "examples") for n in args.examples.split(",")]

        ours = tmp_path / "l2book"
        _write_l2book_site(ours, examples, enabled=True)
        t_clean = _build(ours, snapshot)
        cpu_clean = CPU_SECONDS[str(ours)]
        unrecorded = tmp_path / "unrecorded"
        _write_l2book_site(unrecorded, examples, enabled=True, record=False)
        record_ratios = []
        for _ in range(PAIRS):
            # Each pair builds both anew: the first build above also paid for cold file caches.
            shutil.rmtree(ours / ".cache")
            _build(ours, snapshot)
            shutil.rmtree(unrecorded / ".cache", ignore_errors=True)
            _build(unrecorded, snapshot)
            record_ratios.append(CPU_SECONDS[str(ours)] / CPU_SECONDS[str(unrecorded)])

        jupyter = tmp_path / "jupyter"
        _write_jupyter_site(jupyter, examples)
        t_jupyter = _build(jupyter, snapshot)
        cpu_jupyter = CPU_SECONDS[str(jupyter)]

        compute_dir = tmp_path / "compute"
        compute_dir.mkdir()
        t_compute = sum(_compute_time(example, compute_dir, snapshot) for example in examples)

        t_book_clean = _build(snapshot, snapshot)
        t_warm = _median_build(snapshot, snapshot)
        disabled = _l2book_option(
            snapshot / "mkdocs.yml", "enabled: false", "mkdocs-l2book-disabled.yml"
        )
        # A copy of its own: a build without notebook pages would empty mkdocs-jupyter's cache.
        book_disabled = tmp_path / "book-disabled"
        shutil.copytree(
            snapshot, book_disabled, symlinks=True, ignore=shutil.ignore_patterns(".cache", "site")
        )
        t_disabled = _median_build(book_disabled, snapshot, disabled.name)

        everything = _l2book_option(
            snapshot / "mkdocs.yml", "record_dependencies: false", "mkdocs-unrecorded.yml"
        )
        book_unrecorded = tmp_path / "book-unrecorded"
        # Its l2book is the snapshot's: the build must read the copy the kernels import.
        shutil.copytree(
            snapshot, book_unrecorded, symlinks=True,
            ignore=shutil.ignore_patterns(".cache", "site", "l2book"),
        )
        (book_unrecorded / "l2book").symlink_to(snapshot / "l2book")
        _build(book_unrecorded, snapshot, everything.name)
        edit_loop, full_rerun = [], []
        for count in range(PAIRS):
            _edit_function(snapshot / "l2book" / EDITED[0], EDITED[1], count)
            edit_loop.append(_build(snapshot, snapshot))
            full_rerun.append(_build(book_unrecorded, snapshot, everything.name))

    load_after = os.getloadavg()
    n = len(examples)
    clean_ratio = t_clean / t_jupyter
    warm_ratio = t_warm / t_disabled
    overhead = t_clean - t_compute
    record_ratio = statistics.median(record_ratios)
    t_edit, t_full = statistics.median(edit_loop), statistics.median(full_rerun)
    measurements = [
        {
            "name": f"clean build with l2book / mkdocs-jupyter alone (execute: true), {n} examples",
            "value": clean_ratio,
            "unit": "ratio",
            "target": CLEAN_TARGET,
            "met": clean_ratio <= CLEAN_TARGET,
            "note": f"{t_clean:.1f} s vs {t_jupyter:.1f} s",
        },
        {
            "name": "CPU time of the clean build / of mkdocs-jupyter alone (same examples)",
            "value": cpu_clean / cpu_jupyter,
            "unit": "ratio",
            "target": None,
            "met": None,
            "note": (
                f"{cpu_clean:.1f} s vs {cpu_jupyter:.1f} s of CPU, build and kernels: the work "
                "done, whatever else the machine runs; the wall-clock ratio above also gains "
                "from running examples in parallel when cores are free"
            ),
        },
        {
            "name": "warm build of the book (all cached) / the book with the l2book plugin disabled",
            "value": warm_ratio,
            "unit": "ratio",
            "target": WARM_TARGET,
            "met": warm_ratio <= WARM_TARGET,
            "note": (
                f"{t_warm:.2f} s vs {t_disabled:.2f} s, median of {WARM_REPEATS}; "
                f"clean build of the book {t_book_clean:.1f} s"
            ),
        },
        {
            "name": "pipeline overhead: clean build − examples' own compute time",
            "value": overhead,
            "unit": "s",
            "target": None,
            "met": None,
            "note": (
                f"clean build {t_clean:.1f} s, compute {t_compute:.1f} s summed over {n} examples "
                f"(run one at a time; the build runs {os.cpu_count()} at a time); "
                f"{overhead / n:.2f} s per example"
            ),
        },
        {
            "name": "CPU time of a clean build recording what examples use / not recording",
            "value": record_ratio,
            "unit": "ratio",
            "target": RECORD_TARGET,
            "met": record_ratio <= RECORD_TARGET,
            "note": f"median of {PAIRS} alternating pairs: "
            + ", ".join(f"{r:.3f}" for r in record_ratios),
        },
        {
            "name": f"edit loop: change {EDITED[1]}'s body, rebuild the book / every example re-run",
            "value": t_edit / t_full,
            "unit": "ratio",
            "target": None,
            "met": None,
            "note": (
                f"{t_edit:.1f} s vs {t_full:.1f} s (median of {PAIRS}, alternating): the edit "
                f"re-runs the one example that ran {EDITED[1]}, against all {n} before"
            ),
        },
    ]
    result = {
        "area": "pipeline",
        "machine": _machine(),
        "versions": {
            "python": platform.python_version(),
            "numpy": importlib.metadata.version("numpy"),
            "matplotlib": importlib.metadata.version("matplotlib"),
            "mkdocs": importlib.metadata.version("mkdocs"),
            "mkdocs-jupyter": importlib.metadata.version("mkdocs-jupyter"),
        },
        "date": datetime.date.today().isoformat(),
        "examples": [example.name for example in examples],
        # Wall-clock ratios assume an otherwise idle machine: other processes take the cores
        # the parallel examples would use.
        "load_average_1min": {"start": round(load_before[0], 2), "end": round(load_after[0], 2)},
        "measurements": measurements,
        "met": all(m["met"] is not False for m in measurements),
    }
    return save(RESULTS, result)


if __name__ == "__main__":
    main()

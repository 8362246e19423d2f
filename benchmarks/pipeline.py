"""Time the example pipeline: clean and warm builds against their baselines.

A throw-away site (in a temporary folder) shows the book's examples: one page with an
``{{ example(...) }}`` box per example, plus each example's notebook page. Measured in the same run:

1. **clean build** with the l2book plugin (empty cache: every example runs once, in parallel, in its
   own kernel) / the same examples built by **mkdocs-jupyter alone** with ``execute: true`` (its
   cache off), which runs them one after the other. Target ≤ 0.5.
2. **warm build** (every example cached) / the same site built **with the l2book plugin disabled**
   (``enabled: false``). Target ≤ 1.3. Median of several builds.
3. **pipeline overhead** = clean build time − the examples' own compute time, where the compute time
   is the sum over examples of the wall time of running the example's code in-process
   (``runpy``, in a fresh interpreter per example, imports included). Reported, no target.

Each build runs ``python -m mkdocs build`` in a subprocess, as a reader would. Writes
``benchmarks/results/pipeline.json``.

Run: ``.venv/bin/python benchmarks/pipeline.py`` (all examples; ``--examples a,b,c`` for some).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from l2book.examples import _registry as registry

RESULTS = Path(__file__).resolve().parent / "results" / "pipeline.json"
CLEAN_TARGET = 0.5
WARM_TARGET = 1.3
WARM_REPEATS = 3

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
      examples_dir: examples
      cache_dir: .cache/l2book
  - mkdocs-jupyter:
      execute: false
      include_source: true
      allow_errors: false
      include: ["*.ipynb"]
      cache: false
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


def _write_l2book_site(root: Path, examples: list[registry.Example], enabled: bool) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "examples").mkdir()
    for example in examples:
        shutil.copy(example.path, root / "examples" / example.path.name)
    boxes = "\n\n".join(f'{{{{ example("{e.name}") }}}}' for e in examples)
    (root / "docs" / "index.md").write_text(f"# Examples\n\n{boxes}\n")
    plugins = L2BOOK_PLUGINS.format(enabled="true" if enabled else "false")
    (root / "mkdocs.yml").write_text(THEME + plugins)


def _write_jupyter_site(root: Path, examples: list[registry.Example]) -> None:
    (root / "docs" / "examples").mkdir(parents=True)
    for example in examples:
        shutil.copy(example.path, root / "docs" / "examples" / example.path.name)
    names = "\n".join(f"- [{e.name}](examples/{e.name}.py)" for e in examples)
    (root / "docs" / "index.md").write_text(f"# Examples\n\n{names}\n")
    (root / "mkdocs.yml").write_text(THEME + JUPYTER_ONLY_PLUGINS)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("L2BOOK_")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def _build(root: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"],
        cwd=root,
        env=_env(),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"build of {root} failed:\n{done.stdout}\n{done.stderr}")
    return seconds


_COMPUTE = """\
import runpy, sys, time
start = time.perf_counter()
runpy.run_path(sys.argv[1], run_name="__main__")
print(time.perf_counter() - start)
"""


def _compute_time(example: registry.Example, workdir: Path) -> float:
    env = _env()
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


def _machine() -> str:
    return f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", help="comma-separated example names (default: all)")
    args = parser.parse_args(argv)
    examples = registry.discover()
    if args.examples:
        examples = [registry.get(name) for name in args.examples.split(",")]

    with tempfile.TemporaryDirectory(prefix="l2book-bench-") as tmp:
        tmp_path = Path(tmp)
        ours = tmp_path / "l2book"
        _write_l2book_site(ours, examples, enabled=True)
        t_clean = _build(ours)
        t_warm = statistics.median(_build(ours) for _ in range(WARM_REPEATS))

        disabled = tmp_path / "disabled"
        _write_l2book_site(disabled, examples, enabled=False)
        t_disabled = statistics.median(_build(disabled) for _ in range(WARM_REPEATS))

        jupyter = tmp_path / "jupyter"
        _write_jupyter_site(jupyter, examples)
        t_jupyter = _build(jupyter)

        compute_dir = tmp_path / "compute"
        compute_dir.mkdir()
        t_compute = sum(_compute_time(example, compute_dir) for example in examples)

    n = len(examples)
    clean_ratio = t_clean / t_jupyter
    warm_ratio = t_warm / t_disabled
    overhead = t_clean - t_compute
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
            "name": "warm build (all cached) / build with the l2book plugin disabled",
            "value": warm_ratio,
            "unit": "ratio",
            "target": WARM_TARGET,
            "met": warm_ratio <= WARM_TARGET,
            "note": f"{t_warm:.2f} s vs {t_disabled:.2f} s, median of {WARM_REPEATS}",
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
        "measurements": measurements,
        "met": all(m["met"] is not False for m in measurements),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    for m in measurements:
        print(f"{m['name']}: {m['value']:.3g} {m['unit']} (target {m['target']}) {m['note']}")
    return result


if __name__ == "__main__":
    main()

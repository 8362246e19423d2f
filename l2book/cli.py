"""``l2book list | run NAME | check [NAME ...]``: the book's examples from the command line.

* ``l2book list`` shows every example with its one-line summary.
* ``l2book run NAME`` runs one example here and now, exactly like ``python -m l2book.examples.NAME``:
  it prints the published values and claims and writes the figures (and ``outputs.json``) to
  ``l2book-output/NAME/``. It exits with status 1 if the example raises or a claim is false.
* ``l2book check [NAME ...]`` runs the examples (all by default), each in its own process and
  several at a time, and exits with status 1 if any raises, times out or makes a false claim.

Exit status 2 means the command itself was wrong, e.g. an unknown example name.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import runpy
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from l2book import publish
from l2book.examples import _registry as registry

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--examples-dir",
        metavar="DIR",
        help="folder of example scripts (default: the examples shipped with l2book)",
    )
    parser = argparse.ArgumentParser(
        prog="l2book",
        description="List, run and check the examples of the l2book book.",
    )
    parser.add_argument("--version", action="version", version=f"l2book {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("list", parents=[common], help="show the examples and their summaries")
    run = commands.add_parser(
        "run", parents=[common], help="run one example: print its values, write its figures"
    )
    run.add_argument("name", help="example name, as shown by `l2book list`")
    run.add_argument(
        "--output",
        metavar="DIR",
        help="folder for the figures and outputs.json (default: l2book-output/NAME)",
    )
    check = commands.add_parser(
        "check", parents=[common], help="run examples and check their claims (all by default)"
    )
    check.add_argument("names", nargs="*", metavar="NAME", help="examples to check")
    check.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="examples run in parallel"
    )
    check.add_argument(
        "--timeout", type=float, default=600.0, help="seconds allowed per example (default 600)"
    )
    return parser


def _version() -> str:
    from l2book import __version__

    return __version__


class UsageError(Exception):
    """A wrong command line (exit status 2)."""


def _resolve(names: Sequence[str], directory: str | None) -> list[registry.Example]:
    try:
        if not names:
            return registry.discover(directory)
        return [registry.get(name, directory) for name in names]
    except ValueError as error:
        raise UsageError(str(error)) from error


# -- list ---------------------------------------------------------------------------------------
def cmd_list(directory: str | None) -> int:
    examples = _resolve([], directory)
    if not examples:
        print("no examples found")
        return 0
    width = max(len(example.name) for example in examples)
    for example in examples:
        print(f"{example.name:<{width}}  {example.summary}")
    return 0


# -- run ----------------------------------------------------------------------------------------
def cmd_run(name: str, directory: str | None, output: str | None) -> int:
    (example,) = _resolve([name], directory)
    folder = Path(output) if output else Path(publish.DEFAULT_OUTPUT_ROOT, example.name)
    os.environ[publish.EXAMPLE_ENV] = example.name
    publish.start_run(example.name, folder)
    try:
        if example.module:
            runpy.run_module(example.module, run_name="__main__", alter_sys=True)
        else:
            runpy.run_path(str(example.path), run_name="__main__")
    except SystemExit as exit_:
        if exit_.code not in (0, None):
            print(f"l2book: example {example.name!r} exited with {exit_.code!r}", file=sys.stderr)
            return 1
    except Exception:  # noqa: BLE001 - any failure of the example is reported, then exit 1
        traceback.print_exc()
        print(f"l2book: example {example.name!r} failed (traceback above)", file=sys.stderr)
        return 1
    finally:
        run = publish.end_run()
    assert run is not None
    print(f"l2book: outputs of {example.name!r} are in {folder.as_posix()}/")
    if run.failed_claims:
        print(
            f"l2book: example {example.name!r} made {len(run.failed_claims)} false claim(s): "
            + ", ".join(run.failed_claims),
            file=sys.stderr,
        )
        return 1
    return 0


# -- check --------------------------------------------------------------------------------------
@dataclass
class CheckResult:
    name: str
    ok: bool
    seconds: float
    detail: str


def _check_one(example: registry.Example, root: Path, timeout: float) -> CheckResult:
    problems = registry.lint(example)
    if problems:
        return CheckResult(example.name, False, 0.0, "\n".join(problems))
    folder = root / example.name
    env = dict(os.environ)
    env.update(
        {
            publish.OUTPUT_DIR_ENV: str(folder),
            publish.EXAMPLE_ENV: example.name,
            "MPLBACKEND": "Agg",
            "PYTHONHASHSEED": "0",
        }
    )
    command = [sys.executable, "-m", example.module] if example.module else [
        sys.executable,
        str(example.path),
    ]
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=timeout, cwd=root
        )
    except subprocess.TimeoutExpired:
        return CheckResult(example.name, False, timeout, f"timed out after {timeout:g} s")
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-12:])
        return CheckResult(example.name, False, seconds, f"exit status {done.returncode}\n{tail}")
    outputs = json.loads((folder / publish.OUTPUTS_FILE).read_text("utf-8"))
    claims = outputs.get("claims", {})
    false = [
        f"claim {key!r} is false: {record['sentence']} ("
        + ", ".join(f"{k} = {publish.format_value(v)}" for k, v in record["values"].items())
        + ")"
        for key, record in claims.items()
        if not record["holds"]
    ]
    if false:
        return CheckResult(example.name, False, seconds, "\n".join(false))
    return CheckResult(
        example.name, True, seconds, f"{len(claims)} claim(s) hold, {len(outputs['values'])} values"
    )


def cmd_check(names: Sequence[str], directory: str | None, workers: int, timeout: float) -> int:
    if workers < 1:
        raise UsageError(f"--workers {workers} must be at least 1")
    if timeout <= 0:
        raise UsageError(f"--timeout {timeout} must be positive seconds")
    examples = _resolve(names, directory)
    if not examples:
        print("no examples found")
        return 0
    failed = 0
    with tempfile.TemporaryDirectory(prefix="l2book-check-") as tmp:
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_check_one, e, Path(tmp), timeout) for e in examples]
            for future in concurrent.futures.as_completed(futures):
                result = future.result()
                state = "ok  " if result.ok else "FAIL"
                print(f"{state} {result.name} ({result.seconds:.1f} s): "
                      + result.detail.replace("\n", "\n     "), flush=True)
                failed += not result.ok
    print(f"{len(examples) - failed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``l2book`` command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "list":
            return cmd_list(args.examples_dir)
        if args.command == "run":
            return cmd_run(args.name, args.examples_dir, args.output)
        return cmd_check(args.names, args.examples_dir, args.workers, args.timeout)
    except UsageError as error:
        print(f"l2book: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

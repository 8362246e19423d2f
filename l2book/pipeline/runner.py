"""Execute examples as notebooks, each in a fresh Jupyter kernel, several at a time.

One kernel per example isolates examples from each other (module state, matplotlib state, random
generators) and from the MkDocs process. The kernels are forks of a template process that has
imported ipykernel, numpy and matplotlib once (:mod:`l2book.pipeline.forked_kernels`). The
executed notebook, the published outputs (``outputs.json`` + SVG figures, see
:mod:`l2book.publish`), what it printed (``stdout.txt``) and the kernel's own log land in one
folder.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from l2book.examples._registry import Example
from l2book.pipeline import notebook as nbconv
from l2book.pipeline import recorder
from l2book.pipeline.forked_kernels import ForkedKernelManager, KernelTemplate
from l2book.publish import EXAMPLE_ENV, OUTPUT_DIR_ENV, OUTPUTS_FILE, format_value

__all__ = ["Outcome", "Recording", "execute_all", "run_coroutine"]

T = TypeVar("T")

TRACEBACK_LINES = 12
KERNEL_NAME = "python3"
KERNEL_LOG = "kernel.log"
STDOUT_FILE = "stdout.txt"
RECORD_FILE = "used.json"
RECORD_ENV = "L2BOOK_RECORD"
KERNEL_START_ATTEMPTS = 2
# Forking a process that has loaded numpy and matplotlib is safe on Linux; macOS's system
# libraries are not fork-safe and Windows has no fork: there every kernel is a new interpreter.
FORK_SUPPORTED = sys.platform.startswith("linux")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{6,}>")


@dataclass
class Outcome:
    """Result of executing one example.

    ``status`` is ``"ok"``, ``"error"`` (an exception, a dead kernel or a non-deterministic
    output), ``"timeout"`` or ``"claims"`` (ran to the end but a claim is false).
    """

    name: str
    status: str
    seconds: float
    folder: Path
    message: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)
    used: dict[str, Any] | None = None
    """What the example used of the project (:mod:`l2book.pipeline.recorder`), when recorded;
    its file is removed from the folder once read."""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def notebook_path(self) -> Path:
        return self.folder / f"{self.name}.ipynb"


def _strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def _error_cell(nb: Any) -> tuple[int, dict[str, Any]] | None:
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index, output
    return None


def _first_unexecuted(nb: Any) -> int | None:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.get("execution_count") is None:
            return index
    return None


def _nondeterministic_outputs(nb: Any, converted: nbconv.ExampleNotebook) -> list[str]:
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("data", {}).get("text/plain") or ""
            if isinstance(text, list):
                text = "".join(text)
            match = _ADDRESS.search(text)
            if match:
                line = text[: match.end()].splitlines()[-1].strip()
                found.append(f"{converted.cell_label(index)} displays {line!r}")
    return found


def _merge_streams(nb: Any) -> None:
    """Join consecutive outputs of the same stream, in place.

    The kernel sends printed text in chunks whose boundaries depend on timing; joined, the
    outputs are the same on every run (and read the same).
    """
    for cell in nb.cells:
        merged: list[Any] = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and output.get("output_type") == "stream"
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")
            ):
                previous["text"] = "".join(previous["text"]) + "".join(output["text"])
            else:
                merged.append(output)
        if "outputs" in cell:
            cell.outputs = merged


def _stdout(nb: Any) -> str:
    """Everything the example printed to stdout, cell after cell."""
    return "".join(
        "".join(output.get("text", ""))
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stdout"
    )


def _failed_claims(outputs: dict[str, Any]) -> list[str]:
    lines = []
    for key, record in outputs.get("claims", {}).items():
        if not record.get("holds"):
            values = ", ".join(
                f"{name} = {format_value(value)}" for name, value in record["values"].items()
            )
            lines.append(f"claim {key!r} is false: {record['sentence']}" + (
                f"\n    values: {values}" if values else ""
            ))
    return lines


def kernel_environment() -> dict[str, str]:
    """The environment every example kernel starts with (each adds its output folder and name)."""
    env = dict(os.environ)
    env.pop("JPY_SESSION_NAME", None)
    env.update(
        {
            "PYTHONHASHSEED": "0",
            # .pyc files written into a watched package would trigger a second rebuild
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    # Examples run side by side on small matrices: one BLAS thread per kernel avoids
    # oversubscribing the cores (several times faster here); a reader's setting wins.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(variable, "1")
    return env


@dataclass(frozen=True)
class Recording:
    """What the kernels record of the project (:mod:`l2book.pipeline.recorder`)."""

    code: Sequence[Path]
    """The package folders whose functions are recorded (each a folder named as it is imported)."""
    files: Sequence[Path]
    """Folders whose files and listings count as data."""
    ignore: Sequence[Path] = ()
    """Folders inside those that do not (where examples write their outputs)."""
    code_cache: Path | None = None
    """Where kernels keep the instrumented package, compiled (none: compiled in every kernel)."""

    def environment(self, folder: Path) -> dict[str, str]:
        def joined(paths: Sequence[Path]) -> str:
            return os.pathsep.join(str(path) for path in paths)

        return {
            RECORD_ENV: str(folder / RECORD_FILE),
            "L2BOOK_RECORD_CODE": joined(self.code),
            "L2BOOK_RECORD_PACKAGES": ",".join(path.name for path in self.code),
            "L2BOOK_RECORD_FILES": joined(self.files),
            "L2BOOK_RECORD_IGNORE": joined(self.ignore),
            "L2BOOK_RECORD_CODE_CACHE": "" if self.code_cache is None else str(self.code_cache),
        }


# Run in the kernel before the first cell, in a namespace of its own: the example sees nothing.
RECORDER_LINE = (
    f"__import__('runpy').run_path({str(Path(recorder.__file__))!r}, "
    "run_name='__l2book_recorder__'); None"
)


async def _run_client(
    example: Example,
    converted: nbconv.ExampleNotebook,
    nb: Any,
    env: dict[str, str],
    folder: Path,
    timeout: float,
    template: KernelTemplate | None,
    recording: Recording | None,
    kernel_log: Any,
) -> tuple[str, str]:
    """Execute ``nb`` in a new kernel; returns (status, message), status ``"no kernel"`` when the
    kernel died before running anything."""
    client = NotebookClient(
        nb,
        km=None if template is None else ForkedKernelManager(template, kernel_name=KERNEL_NAME),
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        allow_errors=False,
        record_timing=False,
        # Every output has arrived when the last cell is done; waiting for a graceful
        # shutdown would only add time to each example.
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(folder)}},
        extra_arguments=[] if recording is None else [f"--IPKernelApp.exec_lines={RECORDER_LINE}"],
    )
    status, message = "ok", ""
    kernel_log.flush()
    try:
        await asyncio.wait_for(
            # cleanup_kc: stop the kernel and its channels at the end, also when the manager
            # was made here rather than by the client.
            client.async_execute(env=env, stdout=kernel_log, stderr=kernel_log, cleanup_kc=True),
            timeout=timeout + 5,
        )
    except (CellTimeoutError, TimeoutError):
        status = "timeout"
        index = _first_unexecuted(nb)
        where = f" while running {converted.cell_label(index)}" if index is not None else ""
        message = f"example {example.name!r} timed out after {timeout:g} s{where}"
    except CellExecutionError:
        status = "error"
        found = _error_cell(nb)
        if found is None:
            message = f"example {example.name!r} raised an exception"
        else:
            index, output = found
            tail = _strip_ansi("\n".join(output.get("traceback", []))).strip().splitlines()
            tail = tail[-TRACEBACK_LINES:]
            message = (
                f"example {example.name!r} failed in {converted.cell_label(index)} of "
                f"{example.path.name}: {output.get('ename')}: {_strip_ansi(output.get('evalue', ''))}"
                "\n  traceback (last lines):\n    " + "\n    ".join(tail)
            )
    except DeadKernelError as error:  # it started, then died: the example's doing, or the system's
        status = "error"
        kernel_log.flush()
        log_tail = (folder / KERNEL_LOG).read_text("utf-8", "replace").strip().splitlines()
        message = f"example {example.name!r}: the kernel died ({error})" + "".join(
            f"\n    {line}" for line in log_tail[-TRACEBACK_LINES:]
        )
    except RuntimeError as error:
        # jupyter_client's "Kernel died before replying to kernel_info": it never started.
        if not _nothing_ran(nb):
            raise
        status, message = "no kernel", str(error)
    finally:
        if client.km is not None:
            try:
                if await client.km.is_alive():
                    await client.km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 - best effort: the kernel may already be gone
                pass
    return status, message


def _nothing_ran(nb: Any) -> bool:
    return all(cell.get("execution_count") is None for cell in nb.cells if cell.cell_type == "code")


async def _execute(
    example: Example,
    folder: Path,
    timeout: float,
    template: KernelTemplate | None,
    recording: Recording | None,
) -> Outcome:
    folder.mkdir(parents=True, exist_ok=True)
    converted = nbconv.to_notebook(example)
    nb = converted.notebook
    env = kernel_environment()
    env.update({OUTPUT_DIR_ENV: str(folder), EXAMPLE_ENV: example.name})
    if recording is not None:
        env.update(recording.environment(folder))
    start = time.perf_counter()
    # The kernel's own log (e.g. its transport warnings) goes to a file, not the build log.
    kernel_log = open(folder / KERNEL_LOG, "w", encoding="utf-8")  # noqa: SIM115
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        status, message = await _run_client(
            example, converted, nb, env, folder, timeout, template, recording, kernel_log
        )
        # A kernel that dies before it answers (another process took one of the ports
        # jupyter_client picked for it) ran nothing: start another.
        if status != "no kernel" or attempt == KERNEL_START_ATTEMPTS:
            break
        kernel_log.write(f"\n[l2book] the kernel did not start ({message}); starting another\n")
    kernel_log.close()
    if status == "no kernel":
        status = "error"
        log_tail = (folder / KERNEL_LOG).read_text("utf-8", "replace").strip().splitlines()
        message = f"example {example.name!r}: the kernel did not start ({message})" + "".join(
            f"\n    {line}" for line in log_tail[-TRACEBACK_LINES:]
        )
    seconds = time.perf_counter() - start
    _merge_streams(nb)
    nbconv.write(nb, str(folder / f"{example.name}.ipynb"))
    (folder / STDOUT_FILE).write_text(_stdout(nb), encoding="utf-8")

    outputs: dict[str, Any] = {}
    outputs_path = folder / OUTPUTS_FILE
    if outputs_path.is_file():
        outputs = json.loads(outputs_path.read_text("utf-8"))
    if status == "ok":
        problems = _nondeterministic_outputs(nb, converted)
        if problems:
            status = "error"
            message = (
                f"example {example.name!r} shows output that changes from run to run (a memory "
                "address), which would make the site differ between builds: "
                + "; ".join(problems)
                + ". End the cell with ';' or assign the value (e.g. _ = ax.legend())."
            )
    used = None
    if recording is not None and (folder / RECORD_FILE).is_file():
        used = json.loads((folder / RECORD_FILE).read_text("utf-8"))
        (folder / RECORD_FILE).unlink()
    if status == "ok" and recording is not None:
        if used is None:
            status = "error"
            message = (
                f"example {example.name!r} ran, but its kernel did not record what it used of the "
                f"project ({RECORD_FILE} is missing; see {KERNEL_LOG})"
            )
        elif used.get("elsewhere"):
            status = "error"
            name, path = next(iter(sorted(used["elsewhere"].items())))
            message = (
                f"example {example.name!r} imported {name} from {path}, but the build reads "
                f"{name} from {', '.join(map(str, recording.code))}: what the example ran "
                f"could not be recorded. Make both the same copy (install it with "
                f"`pip install -e .`, or set PYTHONPATH for both)."
            )
    if status == "ok":
        failed = _failed_claims(outputs)
        if failed:
            status = "claims"
            message = f"example {example.name!r}: " + "\n  ".join(failed)
    return Outcome(example.name, status, seconds, folder, message, outputs, used)


async def _execute_all(
    jobs: Sequence[tuple[Example, Path]],
    timeout: float,
    workers: int,
    on_done: Callable[[Outcome], None] | None,
    template: KernelTemplate | None,
    recording: Recording | None,
) -> dict[str, Outcome]:
    semaphore = asyncio.Semaphore(max(1, workers))

    async def one(example: Example, folder: Path) -> Outcome:
        async with semaphore:
            outcome = await _execute(example, folder, timeout, template, recording)
        if on_done is not None:
            on_done(outcome)
        return outcome

    outcomes = await asyncio.gather(*(one(example, folder) for example, folder in jobs))
    return {outcome.name: outcome for outcome in outcomes}


def execute_all(
    jobs: Sequence[tuple[Example, Path]],
    *,
    timeout: float,
    workers: int,
    on_done: Callable[[Outcome], None] | None = None,
    fork_kernels: bool = FORK_SUPPORTED,
    recording: Recording | None = None,
) -> dict[str, Outcome]:
    """Execute each ``(example, folder)`` once, at most ``workers`` at a time.

    Each example runs as a notebook in a fresh ``python3`` kernel whose working directory and
    output folder is ``folder``; the executed notebook is written to ``folder/NAME.ipynb``.
    ``on_done`` is called as each example finishes (for progress lines). With ``fork_kernels``
    (the default on Linux) the kernels are forks of one :class:`~l2book.pipeline.forked_kernels.
    KernelTemplate` that has imported ipykernel, numpy and matplotlib once; without it each is a
    new interpreter. Both give the same notebook. With ``recording``, each outcome also says
    what the example used of the project (:attr:`Outcome.used`).
    """
    if not jobs:
        return {}
    with contextlib.ExitStack() as stack:
        template = None
        if fork_kernels:
            template = stack.enter_context(KernelTemplate(kernel_environment()))
        return run_coroutine(_execute_all(jobs, timeout, workers, on_done, template, recording))


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to completion from synchronous code, with or without a running loop.

    Called from code that already runs an event loop (a notebook, Playwright's sync API),
    asyncio.run refuses to nest, so the coroutine gets a loop of its own in a worker thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()

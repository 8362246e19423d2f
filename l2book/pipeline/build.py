"""One pass of the example pipeline: discover, key, look up, run what changed, store.

It knows nothing of MkDocs: the plugin (:mod:`l2book.mkdocs_plugin.plugin`) calls
:meth:`Pipeline.run` once per build and publishes the :class:`Result` of each example.

An example's cache entry is found by its *base key* (its source, the options that change what
it outputs, the versions of Python, numpy and matplotlib, the files listed in ``sources`` and
the pipeline's own code that runs it) and then checked against what the example used when it
ran (:mod:`l2book.pipeline.dependencies`): the package's functions it ran, the modules it
imported, the data files it read. An entry whose dependencies changed is removed and the example
runs again; an edit to code no example ran re-runs none.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l2book.examples import _registry as registry
from l2book.pipeline import dependencies as deps
from l2book.pipeline.cache import Cache, Entry, cache_key, fingerprint, source_files
from l2book.pipeline.runner import Outcome, Recording, execute_all

__all__ = ["Pipeline", "PipelineError", "Report", "Result", "Settings"]

log = logging.getLogger(__name__)

PIPELINE_DIR = Path(__file__).resolve().parent
EXECUTION_CODE = (
    *(
        PIPELINE_DIR / name
        for name in ("runner.py", "notebook.py", "forked_kernels.py", "kernel_template.py",
                     "recorder.py")
    ),
    Path(registry.__file__).resolve(),
)
"""The pipeline's code that decides what runs in a kernel and what is kept of it, and the
examples' checks (a cached run passed them): part of every base key. The rest of the pipeline
and the plugin only look up and publish."""


INSTRUMENTED = "instrumented"
"""Cache folder of the package's modules as the kernels run them (compiled, instrumented)."""


def _prune(folder: Path, started: float) -> None:
    """Remove what no kernel of this run used (files a kernel uses are touched)."""
    if folder.is_dir():
        for path in folder.iterdir():
            try:
                if path.stat().st_mtime < started:
                    path.unlink()
            except OSError:
                pass


class PipelineError(RuntimeError):
    """Examples that cannot be run (a bad folder, an example that fails its lint)."""


@dataclass(frozen=True)
class Settings:
    """Where things are, and how examples run."""

    examples_dir: Path
    package_dir: Path
    """The package whose functions the examples' results depend on (recorded when they run)."""
    project_dir: Path
    cache_dir: Path
    sources: Sequence[Path] = ()
    """More files or folders every example depends on as a whole."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """Settings that can change what an example outputs (part of every base key)."""
    workers: int = 1
    timeout: float = 600
    record: bool = True
    """Record what each example uses; without it, an example depends on every file of the
    package (any edit re-runs every example; kept to measure what recording costs)."""


@dataclass
class Result:
    """One example after a run of the pipeline."""

    example: registry.Example
    folder: Path
    """Its cache entry (or, if it failed, its ``failed`` folder)."""
    seconds: float
    """How long it ran (when it ran, for a cached result)."""
    cached: bool
    error: str | None = None
    reason: str = ""
    """Why it ran: ``"new"``, or what changed of what it used."""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def outputs(self) -> dict[str, Any]:
        path = self.folder / "outputs.json"
        return json.loads(path.read_text("utf-8")) if path.is_file() else {}


@dataclass
class Report:
    """What one :meth:`Pipeline.run` did."""

    results: dict[str, Result]
    sources_hash: str
    """Fingerprint of the package's and the ``sources``' files, shown as provenance."""
    healed: list[str] = field(default_factory=list)
    """Damaged cache entries found, removed and run again."""

    def names(self, *, cached: bool | None = None, ok: bool | None = None) -> list[str]:
        return [
            name
            for name, result in sorted(self.results.items())
            if (cached is None or result.cached == cached) and (ok is None or result.ok == ok)
        ]


class Pipeline:
    """Runs the examples of ``settings.examples_dir`` whose outputs are not cached."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cache = Cache(settings.cache_dir)
        self.places = deps.Places(
            {"package": settings.package_dir, "project": settings.project_dir}
        )

    def discover(self) -> list[registry.Example]:
        try:
            return registry.discover(self.settings.examples_dir)
        except ValueError as error:
            raise PipelineError(str(error)) from error

    def base_hash(self) -> str:
        """Fingerprint of what every example depends on as a whole."""
        files = source_files([*self.settings.sources, *EXECUTION_CODE])
        return fingerprint(files, {"pipeline": PIPELINE_DIR, **self.places.folders})

    def run(
        self,
        examples: Sequence[registry.Example] | None = None,
        *,
        on_start: Callable[[int, int], None] | None = None,
        on_done: Callable[[Outcome], None] | None = None,
    ) -> Report:
        """Look up every example, run those without a valid entry, store the successful runs.

        ``on_start(to_run, total)`` is called before anything runs, ``on_done`` as each run
        ends. A failed example's result carries the error; nothing of it is stored.
        """
        settings = self.settings
        examples = list(self.discover() if examples is None else examples)
        package_files = source_files([settings.package_dir])
        report = Report(
            {},
            fingerprint(
                sorted({*package_files, *source_files(settings.sources)}),
                {"package": settings.package_dir, "project": settings.project_dir},
            ),
        )
        snapshot = deps.Snapshot(self.places)
        base = self.base_hash()
        keys: dict[str, str] = {}
        misses: list[tuple[registry.Example, str]] = []
        self.cache.healed.clear()
        for example in examples:
            keys[example.name] = key = cache_key(example.path.read_bytes(), base, settings.options)
            entry = self.cache.lookup(example.name, key)
            reason = "new" if entry is None else self._outdated(entry, snapshot)
            if entry is not None and reason is None:
                run = entry.run
                report.results[example.name] = Result(
                    example, entry.folder, float(run["seconds"]), True
                )
            else:
                misses.append((example, reason or "new"))
        report.healed = list(self.cache.healed)
        # A cached run passed these checks: its key covers its source and the checking code.
        problems = [problem for example, _ in misses for problem in registry.lint(example)]
        if problems:
            raise PipelineError("fix these examples:\n  " + "\n  ".join(problems))
        if on_start is not None:
            on_start(len(misses), len(examples))
        if not misses:
            return report

        # What the runs may use is read before they start: an edit made while they run then
        # counts as a change at the next build.
        snapshot.read(package_files)
        jobs = [(ex, self.cache.scratch(ex.name, keys[ex.name])) for ex, _ in misses]
        recording = None
        if settings.record:
            recording = Recording(
                code=[settings.package_dir],
                files=sorted({settings.package_dir, settings.project_dir}),
                ignore=[settings.cache_dir],
                code_cache=self.cache.root / INSTRUMENTED,
            )
        started = time.time()
        outcomes = execute_all(
            jobs,
            timeout=float(settings.timeout),
            workers=settings.workers,
            on_done=on_done,
            recording=recording,
        )
        if recording is not None:
            _prune(self.cache.root / INSTRUMENTED, started)
        for example, reason in misses:
            outcome = outcomes[example.name]
            if outcome.ok:
                record = outcome.used or {
                    "ran": {}, "modules": [], "opened": package_files, "listed": []
                }
                run = {
                    "seconds": round(outcome.seconds, 3),
                    "key": keys[example.name],
                    "depends": deps.depends(record, snapshot, started),
                }
                entry = self.cache.store(example.name, keys[example.name], outcome.folder, run)
                result = Result(example, entry.folder, outcome.seconds, False, None, reason)
            else:
                folder = self.cache.keep_failure(example.name, outcome.folder)
                result = Result(example, folder, outcome.seconds, False, outcome.message, reason)
            report.results[example.name] = result
        report.results = dict(sorted(report.results.items()))
        return report

    def _outdated(self, entry: Entry, snapshot: deps.Snapshot) -> str | None:
        """What changed of what ``entry``'s run used (None: the entry is current).

        An entry that is current is kept; one that is not is removed (a failing re-run must
        never fall back to it).
        """
        recorded = entry.run.get("depends")
        reason = (
            "stored without its dependencies" if recorded is None
            else deps.changed(recorded, snapshot)
        )
        if reason is not None:
            self.cache.remove(entry)
        return reason

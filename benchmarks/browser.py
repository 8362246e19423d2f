"""Running the examples in the reader's browser: time to the first result, run times, bytes.

Measured in one run, in headless Chromium, on the site built twice from the same tree: with
browser runs (the book as published) and with ``L2BOOK_BROWSER_RUNS=false`` (the same pages
without them, the baseline for page weight).

- **first result, cold**: a fresh browser profile (empty HTTP cache) opens the notebook page of
  a light example, served from 127.0.0.1; time from the click on *Run it here* until its results
  are shown (editor, Python, numpy, matplotlib and l2book loaded, the example run). Target ≤ 10 s.
  Median of ``COLD_RUNS`` profiles.
- **warm re-run**: Run again on that page: Python is loaded. Target ≤ 1 s. Median of 5.
- **run time in the browser / in the build's kernel**, every example, in one page: the time the
  worker reports for executing the example (imports of numpy/matplotlib/l2book excluded: they are
  loaded once per page) over the time the build's kernel took (cache ``run.json``), and over the
  same source executed natively by the same function (``l2book.web_run.run``) in this process.
  Target: median ≤ 3× the build's.
- **training speed in the browser**: the per-epoch time of ``fit`` and of the plain numpy loop of
  ``core.py`` (same network, same data), run as a reader's edit in the page's editor; their
  ratio is the browser's side of the core benchmark's ``fit`` / plain loop target (≤ 1.15).
- **bytes of the first run**: what the browser downloads after the click, as served without
  compression (``mkdocs serve``) and gzip-compressed as a static host sends it.
- **page weight**: for every page, its HTML with browser runs minus without; the script every
  page shares (runner.js) and the stylesheet growth are reported once. Target: every page within
  +5 KB.
- **site size** with and without the runtime.

Writes ``benchmarks/results/browser.json``.

Run: ``.venv/bin/python benchmarks/browser.py``
"""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from report import save  # noqa: E402 - benchmarks/ is on sys.path when run as a script
from site_helpers import build_site, launch_browser, serve_directory  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "browser.json"
LIGHT_EXAMPLE = "weight_decay_step"
COLD_RUNS = 3
WARM_RUNS = 5
RUN_TIMEOUT_MS = 300_000
FINISHED_JS = "(h) => h.dataset.state && h.dataset.state !== 'running'"


def _site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def _page_weights(with_runs: Path, without: Path) -> tuple[dict[str, int], int]:
    """HTML bytes added to each page, and bytes added to files every page loads."""
    added = {}
    for page in sorted(with_runs.rglob("*.html")):
        relative = page.relative_to(with_runs)
        other = without / relative
        if other.is_file():
            added[relative.as_posix()] = page.stat().st_size - other.stat().st_size
    shared = 0
    for name in ("assets/l2book/runner.js", "assets/l2book/l2book.css",
                 "assets/javascripts/mathjax-config.js"):
        before = (without / name).stat().st_size if (without / name).is_file() else 0
        shared += (with_runs / name).stat().st_size - before
    return added, shared


def _click_and_wait(page, name: str, start: bool) -> float:  # type: ignore[no-untyped-def]
    host = page.locator(f'.l2book-run[data-example="{name}"]').first
    host.scroll_into_view_if_needed()
    button = host.locator(".l2book-run-start") if start else host.locator("button", has_text="Run").first
    began = time.perf_counter()
    button.click()
    host.locator(".cm-content").wait_for(timeout=RUN_TIMEOUT_MS)
    page.wait_for_function(FINISHED_JS, arg=host.element_handle(), timeout=RUN_TIMEOUT_MS)
    elapsed = time.perf_counter() - began
    state = host.get_attribute("data-state")
    if state != "done":
        raise RuntimeError(f"{name}: {state}: {host.locator('.l2book-run-status').text_content()}")
    return elapsed


def _worker_seconds(page, name: str) -> float:  # type: ignore[no-untyped-def]
    status = page.locator(f'.l2book-run[data-example="{name}"] .l2book-run-status').first.text_content()
    return float(status.split("Ran in ", 1)[1].split(" s", 1)[0])


def _cold_first_result(browser, url: str) -> tuple[float, int, int]:  # type: ignore[no-untyped-def]
    """Seconds from the click to the result, bytes downloaded after the click, requests."""
    context = browser.new_context()
    page = context.new_page()
    origin = url.split("/examples/", 1)[0] + "/"
    try:
        page.goto(url, wait_until="load")
        sizes: list[int] = []
        foreign: list[str] = []
        page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]))
        # The worker's requests are the page's too (Playwright reports them on the context).
        own = (origin, "data:", f"blob:{origin}")
        context.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(own) else None)
        seconds = _click_and_wait(page, LIGHT_EXAMPLE, start=True)
        if foreign:
            raise RuntimeError(f"the first run fetched from another origin: {foreign[:5]}")
        return seconds, sum(sizes), len(sizes)
    finally:
        context.close()


def _epoch_script() -> str:
    """A reader's edit that times ``fit`` and the plain numpy loop of core.py, per epoch."""
    import inspect

    import core

    constants = "\n".join(
        f"{name} = {getattr(core, name)!r}" for name in ("LAYERS", "M", "LAM", "LR", "EPOCHS")
    )
    return "\n\n".join([
        "import time\nimport numpy as np\nimport l2book as l2\nfrom l2book import GD, Network, fit",
        constants,
        inspect.getsource(core.data),
        inspect.getsource(core.plain_loop),
        """\
X, Y = data()
start = Network(LAYERS, seed=0)


def best(fn, repeats=5):
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return min(times) / EPOCHS * 1e6


l2.glue("fit_us", best(lambda: fit(start.copy(), X, Y, lam=LAM, optimizer=GD(LR), epochs=EPOCHS)))
l2.glue("plain_us", best(lambda: plain_loop(start, X, Y, EPOCHS, history=True)))
l2.glue("fit_bare_us", best(lambda: fit(start.copy(), X, Y, lam=LAM, optimizer=GD(LR),
                                        epochs=EPOCHS, record_every=EPOCHS)))
l2.glue("plain_bare_us", best(lambda: plain_loop(start, X, Y, EPOCHS, history=False)))
""",
    ])


def _browser_epoch_times(page) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Run :func:`_epoch_script` in the page's editor (Python already loaded)."""
    host = page.locator(f'.l2book-run[data-example="{LIGHT_EXAMPLE}"]').first
    host.evaluate(
        "(h, text) => { const v = h.l2bookPanel.view;"
        " v.dispatch({changes: {from: 0, to: v.state.doc.length, insert: text}}); }",
        _epoch_script(),
    )
    _click_and_wait(page, LIGHT_EXAMPLE, start=False)
    return page.eval_on_selector_all(
        f'.l2book-run[data-example="{LIGHT_EXAMPLE}"] tr[data-key]',
        "(rows) => Object.fromEntries(rows.map((r) => [r.dataset.key, JSON.parse(r.dataset.value)]))",
    )


def _native_seconds(names: list[str]) -> dict[str, float]:
    """Each example executed by ``l2book.web_run.run`` in this process (imports done first)."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    import matplotlib.pyplot  # noqa: F401

    from l2book import web_run
    from l2book.examples import _registry as registry

    timings = {}
    with tempfile.TemporaryDirectory() as scratch:
        web_run.OUTPUT_ROOT = Path(scratch)
        devnull = open(os.devnull, "w")  # noqa: SIM115 - the examples print
        stdout, sys.stdout = sys.stdout, devnull
        try:
            for name in names:
                source = registry.get(name).source
                began = time.perf_counter()
                result = json.loads(web_run.run(name, source))
                timings[name] = time.perf_counter() - began
                if result["error"]:
                    raise RuntimeError(f"{name} failed natively: {result['error']}")
        finally:
            sys.stdout = stdout
            devnull.close()
    return timings


def _build_seconds(names: list[str]) -> dict[str, float]:
    found = {}
    for name in names:
        runs = sorted((ROOT / ".cache" / "l2book" / name).glob("*/run.json"),
                      key=lambda p: p.stat().st_mtime)
        if runs:
            found[name] = float(json.loads(runs[-1].read_text())["seconds"])
    return found


def main() -> dict:
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="l2book-browser-bench-") as scratch:
        site = build_site(Path(scratch, "site"), offline=False)
        os.environ["L2BOOK_BROWSER_RUNS"] = "false"
        try:
            plain = build_site(Path(scratch, "plain"), offline=False)
        finally:
            del os.environ["L2BOOK_BROWSER_RUNS"]
        added, shared = _page_weights(site, plain)
        size_with, size_without = _site_bytes(site), _site_bytes(plain)
        manifest = json.loads((site / "assets/l2book/runtime/runtime.json").read_text())

        with sync_playwright() as playwright:
            browser = launch_browser(playwright)
            cold, transferred = [], {}
            for compress in (False, True):
                with serve_directory(site, compress=compress) as url:
                    page_url = f"{url}examples/{LIGHT_EXAMPLE}/"
                    runs = [_cold_first_result(browser, page_url) for _ in range(COLD_RUNS)]
                    transferred[compress] = (runs[0][1], runs[0][2])
                    if not compress:
                        cold = [seconds for seconds, _, _ in runs]
            with serve_directory(site) as url:
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{url}examples/{LIGHT_EXAMPLE}/", wait_until="load")
                _click_and_wait(page, LIGHT_EXAMPLE, start=True)
                warm = [_click_and_wait(page, LIGHT_EXAMPLE, start=False) for _ in range(WARM_RUNS)]
                epoch_us = _browser_epoch_times(page)
                context.close()

                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{url}examples/", wait_until="load")
                names = list(dict.fromkeys(page.eval_on_selector_all(
                    ".l2book-run[data-example]", "(hs) => hs.map((h) => h.dataset.example)")))
                in_browser = {}
                for name in names:
                    _click_and_wait(page, name, start=True)
                    in_browser[name] = _worker_seconds(page, name)
                context.close()
            browser.close()
    native = _native_seconds(names)
    build = _build_seconds(names)
    load_after = os.getloadavg()

    ratios_build = {n: in_browser[n] / build[n] for n in names if n in build}
    ratios_native = {n: in_browser[n] / native[n] for n in names}
    slowest = max(ratios_build, key=ratios_build.get) if ratios_build else None
    heaviest_page = max(added, key=added.get)
    cold_median = statistics.median(cold)
    warm_median = statistics.median(warm)
    median_build = statistics.median(ratios_build.values()) if ratios_build else float("nan")
    measurements = [
        {
            "name": f"first result after pressing Run, cold cache ({LIGHT_EXAMPLE})",
            "value": cold_median, "unit": "s", "target": 10, "met": cold_median <= 10,
            "note": f"runs {', '.join(f'{s:.2f}' for s in cold)} s; localhost, no compression; "
                    "includes loading the editor, Python, numpy, matplotlib and l2book",
        },
        {
            "name": f"warm re-run ({LIGHT_EXAMPLE})",
            "value": warm_median, "unit": "s", "target": 1, "met": warm_median <= 1,
            "note": f"median of {WARM_RUNS}, click to results shown; "
                    f"the example itself runs {in_browser.get(LIGHT_EXAMPLE, 0):.2f} s",
        },
        {
            "name": "example run time in the browser / in the build's kernel, median of all",
            "value": median_build, "unit": "ratio", "target": 3, "met": median_build <= 3,
            "note": f"{len(ratios_build)} examples; slowest {slowest} "
                    f"{ratios_build.get(slowest, float('nan')):.2f}×; every example below",
        },
        {
            "name": "example run time in the browser / the same code run natively here, median",
            "value": statistics.median(ratios_native.values()), "unit": "ratio",
            "target": None, "met": None,
            "note": "l2book.web_run.run in this Python (numpy "
                    f"{importlib.metadata.version('numpy')}) vs Pyodide's (numpy "
                    f"{manifest['packages']['numpy']}): the WebAssembly cost alone",
        },
        {
            "name": "fit epoch / plain numpy loop epoch in the browser, history every epoch",
            "value": epoch_us["fit_us"] / epoch_us["plain_us"], "unit": "ratio",
            "target": 1.15, "met": epoch_us["fit_us"] / epoch_us["plain_us"] <= 1.15,
            "note": f"{epoch_us['fit_us']:.0f} µs vs {epoch_us['plain_us']:.0f} µs per epoch under "
                    "Pyodide (the network and loop of benchmarks/core.py, best of 5); without "
                    f"history {epoch_us['fit_bare_us']:.0f} µs vs {epoch_us['plain_bare_us']:.0f} µs "
                    f"({epoch_us['fit_bare_us'] / epoch_us['plain_bare_us']:.2f}×)",
        },
        {
            "name": "bytes downloaded by the first Run, served uncompressed",
            "value": transferred[False][0] / 1e6, "unit": "MB", "target": None, "met": None,
            "note": f"{transferred[False][1]} requests, none to another origin (checked)",
        },
        {
            "name": "bytes downloaded by the first Run, gzip as a static host sends it",
            "value": transferred[True][0] / 1e6, "unit": "MB", "target": None, "met": None,
            "note": "text files compressed (js, json, wasm not: it is served as it is here)",
        },
        {
            "name": f"page weight added by browser runs, heaviest ({heaviest_page})",
            "value": added[heaviest_page] / 1e3, "unit": "KB", "target": 5,
            "met": added[heaviest_page] <= 5000,
            "note": f"every page's HTML with browser runs minus without; {shared / 1e3:.1f} KB more "
                    "in files every page shares (runner.js, stylesheets), loaded once",
        },
        {
            "name": "site size with the runtime / without",
            "value": size_with / size_without, "unit": "ratio", "target": None, "met": None,
            "note": f"{size_with / 1e6:.1f} MB vs {size_without / 1e6:.1f} MB; "
                    f"{len(manifest['packages'])} packages of Pyodide {manifest['pyodide']}",
        },
    ]
    result = {
        "area": "browser",
        "machine": f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs",
        "versions": {
            "python": platform.python_version(),
            "numpy": importlib.metadata.version("numpy"),
            "pyodide": manifest["pyodide"],
            "pyodide numpy": manifest["packages"]["numpy"],
        },
        "date": datetime.date.today().isoformat(),
        "load_average_1min": {"start": round(load_before[0], 2), "end": round(load_after[0], 2)},
        "examples": {
            name: {
                "browser_s": round(in_browser[name], 3),
                "native_s": round(native[name], 3),
                "build_kernel_s": build.get(name),
                "browser_over_build": round(ratios_build[name], 2) if name in ratios_build else None,
            }
            for name in names
        },
        "page_bytes_added": added,
        "measurements": measurements,
        "met": all(m["met"] is not False for m in measurements),
    }
    return save(RESULTS, result)


if __name__ == "__main__":
    main()

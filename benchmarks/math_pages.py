"""Main-thread blocking of every page on a throttled phone, against the theme's empty page.

A reader of a long chapter on a phone waits for the browser to style and lay out the page and for
the theme's scripts to walk it. What the book adds to that is measured against what the theme costs
on its own: the site's ``404.html``, a page with the same theme, navigation, stylesheets and
scripts and no content, loaded in the same run.

Each load, in headless Chromium (Debian's, through Playwright), in a fresh browsing context (cold
cache), from a local server:

- the CPU slowed down 4× (``Emulation.setCPUThrottlingRate``, as Lighthouse's mobile preset
  assumes), a phone viewport (412×823 CSS pixels, touch);
- every long task (a main-thread task of more than 50 ms, reported by a ``PerformanceObserver``
  registered before the page's own scripts) that starts before 3 s after the load event is summed.
  The sum, not Lighthouse's blocking time (the part of each task over 50 ms): a page of many
  60 ms tasks blocks a reader's taps as surely as one long task does.

Pages are loaded in turns: each round visits every page once, in an order that shifts from round
to round, with the empty page in between every few pages, so that a machine busy with something
else for a while slows all pages alike. A page's value is its median over the rounds, divided by
the empty page's median in the same run. Target: every page at most 1.5× the empty page.

With ``--site LABEL=DIR`` given more than once, the sites are measured in the same run, a page of
one right after the same page of the other (which goes first alternates), each against its own
empty page: an A/B comparison of two builds, e.g. the two math outputs of
``hooks/prerender_math.py`` (``L2BOOK_MATH_OUTPUT``).

Writes ``benchmarks/results/math_pages.json`` (or ``--results FILE``, whose name is the area in
the README's table).

Run: ``.venv/bin/python benchmarks/math_pages.py [--site LABEL=DIR ...] [--runs N] [--pages P ...]``
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from report import save  # noqa: E402 - benchmarks/ is on sys.path when run as a script
from site_helpers import (  # noqa: E402
    build_site,
    chromium_version,
    launch_browser,
    serve_directory,
    sitemap_paths,
)

RESULTS = Path(__file__).resolve().parent / "results" / "math_pages.json"
EMPTY_PAGE = "404.html"
RUNS = 5
CPU_SLOWDOWN = 4
AFTER_LOAD_MS = 3000
TARGET_RATIO = 1.5
# The empty page is loaded again after this many pages of a round.
EMPTY_EVERY = 5
# A mid-range phone, as Lighthouse's mobile preset emulates it.
PHONE = {
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 1.75,
    "is_mobile": True,
    "has_touch": True,
}

# Registered before any script of the page runs; buffered, so a task that ended before the
# observer existed (the first parse of the document) is reported too.
LONG_TASKS_JS = """
window.__l2LongTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__l2LongTasks.push([entry.startTime, entry.duration]);
}).observe({type: "longtask", buffered: true});
"""

COLLECT_JS = """
(afterLoad) => {
  const nav = performance.getEntriesByType("navigation")[0];
  const until = nav.loadEventEnd + afterLoad;
  const tasks = window.__l2LongTasks.filter(([start]) => start < until);
  return {
    blocking: tasks.reduce((sum, [, duration]) => sum + duration, 0),
    tasks: tasks.length,
    elements: document.getElementsByTagName("*").length,
    load: nav.loadEventEnd,
  };
}
"""


def load_once(browser, url: str) -> dict:  # type: ignore[no-untyped-def]
    """One cold load of ``url`` on a throttled phone: its long tasks until 3 s after load."""
    context = browser.new_context(**PHONE)
    try:
        context.add_init_script(LONG_TASKS_JS)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(url, wait_until="load")
        page.wait_for_timeout(AFTER_LOAD_MS)
        return page.evaluate(COLLECT_JS, AFTER_LOAD_MS)
    finally:
        context.close()


def visiting_order(pages: list[str], round_number: int, runs: int) -> list[str]:
    """The pages of one round, starting further down the list each round, the empty page between.

    The empty page opens the round and comes again after every ``EMPTY_EVERY`` pages.
    """
    shift = round_number * len(pages) // runs if pages else 0
    turned = pages[shift:] + pages[:shift]
    order = []
    for index, page in enumerate(turned):
        if index % EMPTY_EVERY == 0:
            order.append(EMPTY_PAGE)
        order.append(page)
    return order


@contextlib.contextmanager
def serve_all(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    """Each site on a local server of its own; yields base URL by label."""
    with contextlib.ExitStack() as stack:
        yield {label: stack.enter_context(serve_directory(path)) for label, path in sites.items()}


def measure(sites: dict[str, Path], pages: list[str], runs: int) -> dict[str, dict[str, list[dict]]]:
    """Every load of every page of every site: ``{label: {page: [load, ...]}}``."""
    from playwright.sync_api import sync_playwright

    loads: dict[str, dict[str, list[dict]]] = {label: defaultdict(list) for label in sites}
    labels = list(sites)
    with serve_all(sites) as bases, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            for round_number in range(runs):
                for step, page in enumerate(visiting_order(pages, round_number, runs)):
                    # Which site goes first alternates, so that neither always follows the other.
                    turn = labels if (round_number + step) % 2 == 0 else labels[::-1]
                    for label in turn:
                        loads[label][page].append(load_once(browser, bases[label] + page))
                print(f"round {round_number + 1} of {runs} done", file=sys.stderr, flush=True)
        finally:
            browser.close()
    return loads


def summarize(label: str, loads: dict[str, list[dict]], runs: int, several: bool) -> list[dict]:
    """One measurement per page of one site: median blocking / the empty page's median."""
    empty = statistics.median(load["blocking"] for load in loads[EMPTY_PAGE])
    empty_elements = loads[EMPTY_PAGE][0]["elements"]
    tag = f" ({label})" if several else ""
    rows = [
        {
            "name": f"empty page ({EMPTY_PAGE}){tag}: long tasks until 3 s after load",
            "value": round(empty),
            "unit": "ms",
            "target": None,
            "met": None,
            "note": f"median of {len(loads[EMPTY_PAGE])} loads spread over the rounds; "
            f"{empty_elements} elements",
        }
    ]
    pages = sorted((page for page in loads if page != EMPTY_PAGE), key=lambda p: (p != "", p))
    for page in pages:
        blocking = [load["blocking"] for load in loads[page]]
        median = statistics.median(blocking)
        ratio = median / empty if empty else float("inf")
        rows.append(
            {
                "name": f"page {page or '(home)'}{tag}: long tasks / the empty page's",
                "value": round(ratio, 2),
                "unit": "ratio",
                "target": TARGET_RATIO,
                "met": ratio <= TARGET_RATIO,
                "note": f"{median:.0f} ms vs {empty:.0f} ms, median of {runs}; "
                f"{loads[page][0]['elements']} elements",
            }
        )
    return rows


def versions() -> dict[str, str]:
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    out = {"python": platform.python_version(), "mathjax": lock["node_modules/mathjax"]["version"]}
    if chromium := chromium_version():
        out["chromium"] = chromium
    return out


def parse_site(value: str) -> tuple[str, Path]:
    label, _, folder = value.partition("=")
    if not folder:
        raise argparse.ArgumentTypeError(f"--site wants LABEL=DIR, not {value!r}")
    return label, Path(folder)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--site",
        type=parse_site,
        action="append",
        default=[],
        metavar="LABEL=DIR",
        help="a built site to measure (repeat to compare builds); default: build this one",
    )
    parser.add_argument("--runs", type=int, default=RUNS, help=f"rounds over every page (default {RUNS})")
    parser.add_argument("--pages", nargs="+", help="only these pages (site-relative, '' is the home)")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"results file ({RESULTS.name})")
    args = parser.parse_args(argv)

    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="l2book-bench-") as tmp:
        sites = dict(args.site) or {"site": build_site(Path(tmp) / "site", offline=False)}
        first = next(iter(sites.values()))
        pages = args.pages if args.pages is not None else sitemap_paths(first)
        loads = measure(sites, pages, args.runs)
    measurements = []
    for label, by_page in loads.items():
        measurements += summarize(label, by_page, args.runs, several=len(sites) > 1)
    load_at_end = os.getloadavg()[0]
    result = {
        "area": args.results.stem,
        "machine": f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs, load average "
        f"{load_at_start:.1f} at the start, {load_at_end:.1f} at the end; CPU slowed {CPU_SLOWDOWN}×, "
        f"phone viewport",
        "versions": versions(),
        "date": datetime.date.today().isoformat(),
        "measurements": measurements,
        "met": all(m["met"] for m in measurements if m["met"] is not None),
    }
    return save(args.results, result)


if __name__ == "__main__":
    main()

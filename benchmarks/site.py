"""Weight and speed of the built site's pages, in headless Chromium.

For every page of ``sitemap.xml`` (cold cache, served from 127.0.0.1):

- **own bytes**: bytes of the responses that page alone needs: its HTML and the files no other
  page requests (its figures, lazily loaded ones included, its data). Files requested by two or
  more pages (theme, MathJax and its fonts, the search index, shared stylesheets) are the site's
  common cost, reported once.
  Bytes are uncompressed (the local server does not compress; a host that gzips sends less);
  the gzip size is given in the note. Target: the heaviest page ≤ 400 KB.
- **time until math is drawn**: math is typeset at build time (hooks/prerender_math.py), so this
  is from navigation start until the page's fonts, the math font among them, have loaded; median
  of three cold loads. Informational (depends on the machine; no target).
- **Lighthouse** (only with ``--lighthouse`` or ``LIGHTHOUSE=1``; the ``lighthouse`` pinned in
  benchmarks/lighthouse, installed only for this benchmark; Debian Chromium via
  ``CHROME_PATH``): performance and accessibility scores of the
  home page and the heaviest page, with the default mobile settings (simulated slow 4G and a 4×
  slower CPU) and with the desktop preset. Targets: ≥ 95 and 100. Lighthouse simulates its
  throttling from the CPU time it observes, so a busy machine lowers the performance score; the
  load average at the start of the run is recorded with the results. One run is not a
  measurement: the simulated largest paint of a page jumps between two values from run to run,
  depending on whether the page was painted before or after its late requests started. Each
  score is the median of ``LIGHTHOUSE_RUNS`` runs; every run's score, and the median blocking
  time and largest paint, are in the note.

Writes ``benchmarks/results/site.json``.

Run: ``.venv/bin/python benchmarks/site.py [--lighthouse] [--site-dir DIR]``
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from report import save  # noqa: E402 - benchmarks/ is on sys.path when run as a script
from site_helpers import (  # noqa: E402 - shared with the browser tests
    CHROMIUM,
    CHROMIUM_ARGS,
    LOAD_ALL_IMAGES_JS,
    build_site,
    chromium_version,
    launch_browser,
    serve_directory,
    sitemap_paths,
    wait_for_math,
)

RESULTS = Path(__file__).resolve().parent / "results" / "site.json"
LIGHTHOUSE = ROOT / "benchmarks" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_LOCK = ROOT / "benchmarks" / "lighthouse" / "package-lock.json"
MAX_OWN_KB = 400
LIGHTHOUSE_TARGETS = {"performance": 95, "accessibility": 100}
LIGHTHOUSE_RUNS = 5
# Simulated metrics quoted in the notes (Lighthouse audit ids; values in milliseconds).
LIGHTHOUSE_METRICS = ("total-blocking-time", "largest-contentful-paint")
RUNS = 3


def load_page(browser, url: str) -> tuple[dict[str, int], float]:  # type: ignore[no-untyped-def]
    """One cold load: ``({response URL: body bytes}, ms until math is drawn in its font)``.

    The bytes include every image of the page, also those that load lazily when scrolled to.
    """
    sizes: dict[str, int] = {}
    context = browser.new_context()
    page = context.new_page()

    def on_response(response) -> None:  # type: ignore[no-untyped-def]
        if response.status == 200 and response.url.startswith("http"):
            try:
                sizes[response.url] = len(response.body())
            except Exception:  # redirects and aborted loads have no body
                pass

    page.on("response", on_response)
    try:
        page.goto(url, wait_until="load")
        ms = wait_for_math(page)
        page.evaluate(LOAD_ALL_IMAGES_JS)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    return sizes, ms


def gzip_size(site_dir: Path, base: str, url: str) -> int:
    rel = url[len(base) :].split("?")[0].split("#")[0]
    path = site_dir / rel
    if path.is_dir() or not rel:
        path = path / "index.html"
    return len(gzip.compress(path.read_bytes(), 6)) if path.is_file() else 0


def measure_pages(site_dir: Path) -> tuple[list[dict], dict[str, int], str]:
    from playwright.sync_api import sync_playwright

    pages = sitemap_paths(site_dir)
    loads: dict[str, dict[str, int]] = {}
    math_ms: dict[str, list[float]] = defaultdict(list)
    with serve_directory(site_dir) as base, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        for _ in range(RUNS):
            for path in pages:
                sizes, ms = load_page(browser, base + path)
                loads[path] = sizes
                math_ms[path].append(ms)
        browser.close()
        users: dict[str, int] = defaultdict(int)
        for sizes in loads.values():
            for url in sizes:
                users[url] += 1
        shared = {url: size for sizes in loads.values() for url, size in sizes.items() if users[url] > 1}
        rows = []
        for path in pages:
            own = {url: size for url, size in loads[path].items() if users[url] == 1}
            rows.append(
                {
                    "page": path or "(home)",
                    "url": base + path,
                    "own_bytes": sum(own.values()),
                    "own_gzip_bytes": sum(gzip_size(site_dir, base, u) for u in own),
                    "own_files": len(own),
                    "total_bytes": sum(loads[path].values()),
                    "math_ms": statistics.median(math_ms[path]),
                }
            )
    return rows, shared, base


def own_bytes(name: str, row: dict, note: str) -> dict:
    """A page's own bytes as a measurement against the per-page budget."""
    return {
        "name": name,
        "value": round(row["own_bytes"] / 1024, 1),
        "unit": "KB",
        "target": MAX_OWN_KB,
        "met": row["own_bytes"] <= MAX_OWN_KB * 1024,
        "note": note,
    }


def lighthouse(url: str, out_dir: Path, preset: str) -> dict[str, float]:
    """Performance and accessibility scores (0-100) of ``url``; ``preset`` 'mobile' or 'desktop'."""
    if not LIGHTHOUSE.exists():
        raise FileNotFoundError(
            f"{LIGHTHOUSE} missing: run `npm ci --prefix benchmarks/lighthouse` (or `make bench "
            "LIGHTHOUSE=1`, which does it); it is pinned in benchmarks/lighthouse/package-lock.json"
        )
    out = out_dir / "lighthouse.json"
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={flags}",
        "--quiet",
    ]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(cmd, check=True, env=env, timeout=300)
    report = json.loads(out.read_text())
    scores = {name: round(100 * report["categories"][name]["score"]) for name in LIGHTHOUSE_TARGETS}
    metrics = {audit: report["audits"][audit]["numericValue"] for audit in LIGHTHOUSE_METRICS}
    return {**scores, **metrics}


def lighthouse_median(url: str, out_dir: Path, preset: str) -> tuple[dict[str, float], str]:
    """Median scores and metrics of ``LIGHTHOUSE_RUNS`` runs, and a note listing every run."""
    runs = [lighthouse(url, out_dir, preset) for _ in range(LIGHTHOUSE_RUNS)]
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    each = ", ".join(str(run["performance"]) for run in runs)
    blocking, paint = (median[audit] for audit in LIGHTHOUSE_METRICS)
    return median, (
        f"median of {LIGHTHOUSE_RUNS} runs (performance {each}); median blocking time "
        f"{blocking:.0f} ms, largest paint {paint / 1000:.1f} s"
    )


def versions() -> dict[str, str]:
    import material
    import mkdocs

    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    out = {
        "python": platform.python_version(),
        "mkdocs": mkdocs.__version__,
        "mkdocs-material": getattr(material, "__version__", "?"),
        "mathjax": lock["node_modules/mathjax"]["version"],
        # Lighthouse is installed for its benchmark only (benchmarks/lighthouse), when it is.
        "lighthouse": json.loads(LIGHTHOUSE_LOCK.read_text())["packages"]["node_modules/lighthouse"][
            "version"
        ]
        if LIGHTHOUSE_LOCK.is_file()
        else "not installed",
    }
    if chromium := chromium_version():
        out["chromium"] = chromium
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lighthouse",
        action="store_true",
        default=os.environ.get("LIGHTHOUSE", "") not in ("", "0"),
        help="also run Lighthouse (slow); LIGHTHOUSE=1 does the same",
    )
    parser.add_argument("--site-dir", type=Path, help="measure this built site instead of building one")
    args = parser.parse_args(argv)

    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="l2book-bench-") as tmp:
        site_dir = args.site_dir or build_site(Path(tmp) / "site", offline=False)
        rows, shared, base = measure_pages(site_dir)
        heaviest = max(rows, key=lambda r: r["own_bytes"])
        measurements = [
            own_bytes(
                f"own bytes, heaviest page ({heaviest['page']})",
                heaviest,
                f"{round(heaviest['own_gzip_bytes'] / 1024, 1)} KB gzipped; "
                f"{heaviest['own_files']} own files",
            ),
            {
                "name": "shared assets (theme, MathJax, fonts, search index), loaded once",
                "value": round(sum(shared.values()) / 1024, 1),
                "unit": "KB",
                "target": None,
                "met": None,
                "note": f"{len(shared)} files; informational",
            },
        ]
        for row in rows:
            measurements.append(
                own_bytes(
                    f"page {row['page']}: own bytes / time until math is drawn",
                    row,
                    f"math drawn after {row['math_ms']:.0f} ms (median of {RUNS} cold loads); "
                    f"{round(row['own_gzip_bytes'] / 1024, 1)} KB gzipped",
                )
            )
        if args.lighthouse:
            # The theme's own empty page (404.html) is the floor no page of the book can beat.
            empty = {"page": "404.html", "url": base + "404.html"}
            targets = {
                "home": rows[[r["page"] for r in rows].index("(home)")],
                "heaviest": heaviest,
                "empty": empty,
            }
            # Served gzipped, as any static host serves text files.
            with serve_directory(site_dir, compress=True) as lh_base:
                for label, row in targets.items():
                    for preset, note in (
                        ("mobile", "default settings: simulated slow 4G, 4x CPU slowdown"),
                        ("desktop", "--preset=desktop"),
                    ):
                        url = lh_base + row["url"][len(base) :]
                        scores, runs_note = lighthouse_median(url, Path(tmp), preset)
                        for category, target in LIGHTHOUSE_TARGETS.items():
                            measurements.append(
                                {
                                    "name": f"Lighthouse {category} ({preset}), {label} page ({row['page']})",
                                    "value": scores[category],
                                    "unit": "score",
                                    "target": target,
                                    "met": scores[category] >= target,
                                    "note": f"{note}; {runs_note}" if category == "performance" else note,
                                }
                            )

    result = {
        "area": "site",
        "machine": f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs, "
        f"load average {load_at_start:.1f} at the start",
        "versions": versions(),
        "date": datetime.date.today().isoformat(),
        "measurements": measurements,
        "met": all(m["met"] for m in measurements if m["met"] is not None),
    }
    return save(RESULTS, result)


if __name__ == "__main__":
    main()

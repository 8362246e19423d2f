"""Screenshots of the book's densest formulas from two builds, side by side, to compare how they look.

For each formula of :data:`FORMULAS` (a page and the formula's place among the page's math
elements, in page order) and each site given, the formula's element (for an inline formula, its
paragraph) is captured in headless Chromium at the phone and desktop widths readers use, once
its fonts have loaded. Also recorded, per site: what a reader who selects the paragraph and copies
it gets as text, and the TeX each formula keeps in its ``data-latex`` attribute.

Writes ``benchmarks/math-screenshots/NAME-LABEL.png`` and ``benchmarks/math-screenshots/copy.json``.

Run: ``.venv/bin/python benchmarks/math_screenshots.py --site before=DIR --site after=DIR``
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from math_pages import parse_site, serve_all  # noqa: E402 - benchmarks/ is on sys.path
from site_helpers import launch_browser, wait_for_math  # noqa: E402 - shared with the browser tests

OUT = Path(__file__).resolve().parent / "math-screenshots"
# (name, page, index of the formula among the page's math elements, viewport width)
FORMULAS = [
    ("aligned-bayes", "beyond/bayesian/", 3, 900),
    ("cost-conventions", "conventions/", 2, 900),
    ("underbrace-conventions", "conventions/", 43, 900),
    ("underbrace-l2", "l2-regularization/", 2, 900),
    ("left-right-intuition", "intuition/", 18, 900),
    ("svd-intuition", "intuition/", 46, 900),
    ("blackboard-cost", "cost-function/", 36, 900),
    ("bias-variance-dof", "beyond/degrees-of-freedom/", 36, 900),
    ("inline-intuition-phone", "intuition/", 0, 412),
    ("inline-cost-phone", "cost-function/", 0, 412),
]

CAPTURE_JS = """
(index) => {
  const math = document.querySelectorAll(".arithmatex")[index];
  const target = math.tagName === "SPAN" ? math.closest("p, li, td") || math : math;
  target.scrollIntoView({block: "center"});
  const selection = getSelection();
  selection.selectAllChildren(target);
  const copied = selection.toString();
  selection.removeAllRanges();
  const tex = [...target.querySelectorAll("[data-latex]")]
    .filter((el) => el.matches("math, mjx-math")).map((el) => el.getAttribute("data-latex"));
  target.setAttribute("data-l2-shot", "");
  return {copied, tex: [...new Set(tex)]};
}
"""


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=parse_site, action="append", required=True, metavar="LABEL=DIR")
    args = parser.parse_args(argv)
    sites = dict(args.site)
    OUT.mkdir(exist_ok=True)
    copies: dict[str, dict[str, dict]] = {}
    with serve_all(sites) as bases, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        for name, page_path, index, width in FORMULAS:
            for label, base in bases.items():
                context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=2)
                page = context.new_page()
                page.goto(base + page_path, wait_until="load")
                # Every block painted, so that the fonts of far-down formulas load too.
                page.add_style_tag(content="* { content-visibility: visible !important; }")
                wait_for_math(page)
                copies.setdefault(name, {})[label] = page.evaluate(CAPTURE_JS, index)
                wait_for_math(page)
                page.locator("[data-l2-shot]").screenshot(path=str(OUT / f"{name}-{label}.png"))
                context.close()
        browser.close()
    (OUT / "copy.json").write_text(json.dumps(copies, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()

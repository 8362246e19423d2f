"""Examples run in the reader's browser: every one through the real page, edits, errors, Stop.

The served build is driven in headless Chromium. One page (the "Run it yourself" page, which
holds every example's box) keeps one Python worker for all the tests here, as a reader's page
does: the runtime loads once.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from site_helpers import AXE_JS, allowed_prefixes, offline_path

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-runs")]

EXAMPLES_PAGE = "examples/"
RUN_TIMEOUT_MS = 180_000
FINISHED = ".l2book-run[data-state]:not([data-state=running])"
REL_TOL = 1e-6
"""Browser (numpy 2.0.2 in WebAssembly) and build may differ in the last bits of a float, and
training amplifies them a little; a glued number must agree to this relative tolerance."""
ABS_TOL = 1e-9
"""Numbers that are zero up to rounding (e.g. 1e-16) compare absolutely."""
AMPLIFIED = {
    # 700 Adam epochs of a [2, 50, 50, 1] network without regularization on 100 noisy points: a
    # few of the 500 dev points land on the other side of the boundary (10 points = 0.02).
    "overfitting_moons": 0.02,
    "beyond_dropout_noise": 0.02,
    # thousands of AdamW steps to its resting point: the last bits grow to about 1e-6
    "beyond_adamw_practice": 1e-5,
    # Adam resting at the λ = 3 network's minimum: its normalized steps on near-zero gradients
    # amplify last bits to about 2e-4 in that network's norm and balance (the claims hold)
    "beyond_relu": 1e-3,
}
"""Examples whose long training amplifies last-bit differences between the two numpy builds:
their numbers agree to this absolute tolerance, and their claims hold in the browser as in the
build."""


class RunnerPage:
    """The examples page, open in one browser tab, with every request it made."""

    def __init__(self, page, url: str) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.url = url
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def host(self, name: str):  # type: ignore[no-untyped-def]
        return self.page.locator(f'.l2book-run[data-example="{name}"]').first

    def open(self, name: str) -> None:
        """Open the example's editor (its first run starts with it) and wait for the run."""
        host = self.host(name)
        host.scroll_into_view_if_needed()
        if host.locator(".l2book-run-start").count():
            host.locator(".l2book-run-start").click()
        self.wait(name)

    def wait(self, name: str, timeout: int = RUN_TIMEOUT_MS) -> str:
        host = self.host(name)
        host.locator(".cm-content").wait_for(timeout=timeout)
        self.page.wait_for_function(
            "(h) => h.dataset.state && h.dataset.state !== 'running'",
            arg=host.element_handle(),
            timeout=timeout,
        )
        return host.get_attribute("data-state") or ""

    def set_source(self, name: str, source: str) -> None:
        self.host(name).evaluate(
            "(h, text) => { const v = h.l2bookPanel.view;"
            " v.dispatch({changes: {from: 0, to: v.state.doc.length, insert: text}}); }",
            source,
        )

    def source(self, name: str) -> str:
        return self.host(name).evaluate("(h) => h.l2bookPanel.view.state.doc.toString()")

    def run(self, name: str) -> str:
        """Press Run and wait for that run (not an earlier one) to finish."""
        host = self.host(name)
        before = int(host.get_attribute("data-runs") or 0)
        # Reset or a finished run changes the height of the results under the button, and the
        # page may still be moving when the click lands: as in the instant-navigation test, a
        # second click if the first one started nothing (a button that never works fails both).
        for attempt in (1, 2):
            host.locator("button", has_text=re.compile("^Run$")).click()
            try:
                self.page.wait_for_function(
                    "([h, n]) => Number(h.dataset.runs || 0) > n",
                    arg=[host.element_handle(), before], timeout=5000,
                )
                break
            except PlaywrightTimeoutError:
                assert attempt == 1, f"pressing Run twice on {name} started no run"
        return self.wait(name)

    def results(self, name: str) -> dict:
        return self.host(name).evaluate(
            """async (h) => {
              // A figure's image loads from its blob after the run reports done: wait until
              // it is decoded (or has failed) before reading whether it was drawn.
              await Promise.all([...h.querySelectorAll('figure[data-figure] img')].map(
                (img) => img.decode().catch(() => null)));
              return {
              state: h.dataset.state,
              status: h.querySelector('.l2book-run-status').textContent,
              values: Object.fromEntries([...h.querySelectorAll('tr[data-key]')].map(
                (r) => [r.dataset.key, JSON.parse(r.dataset.value)])),
              texts: Object.fromEntries([...h.querySelectorAll('tr[data-key]')].map(
                (r) => [r.dataset.key, r.children[1].textContent])),
              claims: Object.fromEntries([...h.querySelectorAll('li[data-claim]')].map(
                (c) => [c.dataset.claim, c.dataset.holds === 'true'])),
              figures: [...h.querySelectorAll('figure[data-figure]')].map((f) => ({
                name: f.dataset.figure, loaded: !!(f.querySelector('img') || {}).naturalWidth,
                alt: (f.querySelector('img') || {}).alt || ''})),
              error: (h.querySelector('.l2book-run-error') || {}).textContent || null,
              output: (h.querySelector('.l2book-run-output') || {}).textContent || '',
            }; }"""
        )


@pytest.fixture(scope="module")
def runner(browser, site_url: str) -> Iterator[RunnerPage]:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    wrapped = RunnerPage(page, site_url + EXAMPLES_PAGE)
    page.goto(wrapped.url, wait_until="load")
    try:
        yield wrapped
    finally:
        context.close()


def _book(built_site: Path, name: str) -> dict:
    return json.loads((built_site / "examples" / name / f"{name}.book.json").read_text("utf-8"))


def _differences(name: str, ours: object, book: object, path: str = "") -> list[str]:
    where = f"{name}.{path}"
    abs_tol = AMPLIFIED.get(name, ABS_TOL)
    if isinstance(book, bool) or isinstance(book, str):
        return [] if ours == book else [f"{where}: browser {ours!r}, build {book!r}"]
    if isinstance(book, int | float):
        if isinstance(ours, int | float) and math.isclose(ours, book, rel_tol=REL_TOL, abs_tol=abs_tol):
            return []
        return [f"{where}: browser {ours!r}, build {book!r}"]
    if isinstance(book, list):
        if not isinstance(ours, list) or len(ours) != len(book):
            return [f"{where}: browser {ours!r}, build {book!r}"]
        return [d for i, (a, b) in enumerate(zip(ours, book, strict=True))
                for d in _differences(name, a, b, f"{path}[{i}]")]
    return [f"{where}: unexpected value {book!r}"]


def test_every_example_runs_in_the_browser_with_the_builds_results(
    runner: RunnerPage, built_site: Path, site_url: str
) -> None:
    names = runner.page.eval_on_selector_all(
        ".l2book-run[data-example]", "(hs) => hs.map((h) => h.dataset.example)"
    )
    examples = sorted(p.stem for p in (built_site / "assets" / "l2book" / "figures").iterdir())
    assert sorted(set(names)) == sorted({p.parent.name for p in built_site.glob("examples/*/*.book.json")})
    assert set(examples) <= set(names)
    problems: list[str] = []
    for name in dict.fromkeys(names):
        runner.open(name)
        result = runner.results(name)
        book = _book(built_site, name)
        if result["state"] != "done":
            problems.append(f"{name}: {result['state']}: {result['status']}\n{result['error']}")
            continue
        failed = [key for key, holds in result["claims"].items() if not holds]
        problems += [f"{name}: claim {key} is false in the browser" for key in failed]
        if set(result["claims"]) != set(book["claims"]):
            problems.append(f"{name}: claims {sorted(result['claims'])}, build {sorted(book['claims'])}")
        if set(result["values"]) != set(book["values"]):
            problems.append(f"{name}: values {sorted(result['values'])}, build {sorted(book['values'])}")
        for key, record in book["values"].items():
            if key in result["values"]:
                problems += _differences(name, result["values"][key], record["value"], key)
        figures = {f["name"]: f for f in result["figures"]}
        if sorted(figures) != book["figures"]:
            problems.append(f"{name}: figures {sorted(figures)}, build {book['figures']}")
        problems += [f"{name}: figure {f} not drawn" for f, r in figures.items() if not r["loaded"]]
    foreign = [u for u in runner.requests if not u.startswith(allowed_prefixes(site_url))]
    assert not foreign, f"requests left the site: {foreign[:10]}"
    assert not runner.errors, runner.errors
    assert not problems, "\n".join(problems)


WEIGHT_DECAY = "weight_decay_step"


def test_an_edit_changes_the_results_and_reset_brings_back_the_books(runner: RunnerPage) -> None:
    runner.open(WEIGHT_DECAY)
    original = runner.source(WEIGHT_DECAY)
    assert 'lam = l2.glue("lam", 20.0)' in original
    runner.set_source(WEIGHT_DECAY, original.replace('l2.glue("lam", 20.0)', 'l2.glue("lam", 40.0)'))
    assert runner.run(WEIGHT_DECAY) == "done"
    result = runner.results(WEIGHT_DECAY)
    # decay factor 1 - ηλ/m with η = 0.5, m = 200: 0.95 in the book, 0.9 with λ = 40
    assert result["values"]["lam"] == 40.0
    assert result["texts"]["decay_factor"] == "0.9"
    assert runner.host(WEIGHT_DECAY).locator(".l2book-run-differs").count() >= 2
    assert all(result["claims"].values())
    runner.host(WEIGHT_DECAY).locator("button", has_text="Reset").click()
    assert runner.source(WEIGHT_DECAY) == original
    assert runner.host(WEIGHT_DECAY).get_attribute("data-state") == "reset"
    assert runner.results(WEIGHT_DECAY)["values"] == {}


def test_an_error_shows_the_readers_own_line(runner: RunnerPage) -> None:
    runner.open(WEIGHT_DECAY)
    lines = runner.source(WEIGHT_DECAY).splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("grad_J"))
    lines.insert(at, "ratio = lam / (m - 200)  # m is 200")
    runner.set_source(WEIGHT_DECAY, "\n".join(lines))
    assert runner.run(WEIGHT_DECAY) == "error"
    result = runner.results(WEIGHT_DECAY)
    assert f'File "{WEIGHT_DECAY}.py", line {at + 1}' in result["error"]
    assert "ZeroDivisionError: float division by zero" in result["error"]
    for internal in ("_pyodide", "pyodide.asm", "web_run", "<exec>"):
        assert internal not in result["error"]
    assert "ZeroDivisionError" in result["status"]
    # what ran before the error is still shown
    assert result["values"]["lam"] == 20.0

    lines = runner.source(WEIGHT_DECAY).splitlines()
    lines[at] = "ratio = (lam"
    runner.set_source(WEIGHT_DECAY, "\n".join(lines))
    assert runner.run(WEIGHT_DECAY) == "error"
    assert "SyntaxError" in runner.results(WEIGHT_DECAY)["error"]
    assert f"line {at + 1}" in runner.results(WEIGHT_DECAY)["error"]


def test_stop_ends_an_endless_run_and_the_page_stays_responsive(runner: RunnerPage) -> None:
    runner.open(WEIGHT_DECAY)
    runner.set_source(WEIGHT_DECAY, "import l2book as l2\nl2.glue('started', 1)\nwhile True:\n    pass\n")
    host = runner.host(WEIGHT_DECAY)
    host.locator("button", has_text=re.compile("^Run$")).click()
    runner.page.wait_for_function(
        "(h) => h.querySelector('.l2book-run-status').textContent.startsWith('Running')",
        arg=host.element_handle(), timeout=RUN_TIMEOUT_MS,
    )
    # Python runs in a worker: the page still answers while it loops
    assert runner.page.evaluate("() => 6 * 7") == 42
    host.locator("button", has_text="Stop").click()
    assert runner.wait(WEIGHT_DECAY, timeout=5000) == "stopped"
    host.locator("button", has_text="Reset").click()
    assert runner.run(WEIGHT_DECAY) == "done"  # a new worker, Python loaded again
    assert all(runner.results(WEIGHT_DECAY)["claims"].values())


def test_printed_output_is_cut_with_a_note(runner: RunnerPage) -> None:
    runner.open(WEIGHT_DECAY)
    runner.set_source(WEIGHT_DECAY, "for i in range(20000):\n    print('line', i, 'x' * 60)\n")
    assert runner.run(WEIGHT_DECAY) == "done"
    result = runner.results(WEIGHT_DECAY)
    assert len(result["output"]) <= 200_000
    assert runner.host(WEIGHT_DECAY).locator(".l2book-run-note", has_text="Printed output stops").count() == 1


def test_an_open_editor_with_results_passes_axe_in_both_colour_schemes(runner: RunnerPage) -> None:
    runner.open(WEIGHT_DECAY)
    runner.host(WEIGHT_DECAY).locator("button", has_text="Reset").click()
    assert runner.run(WEIGHT_DECAY) == "done"
    status = runner.host(WEIGHT_DECAY).locator(".l2book-run-status")
    assert status.get_attribute("aria-live") == "polite"
    assert status.text_content().startswith("Ran in ")
    page = runner.page
    page.add_style_tag(content="* { content-visibility: visible !important; }")
    page.add_script_tag(path=str(AXE_JS))
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_timeout(200)
        violations = page.evaluate(
            "async (name) => (await axe.run(document.querySelector(`.l2book-run[data-example=${name}]`),"
            " {resultTypes: ['violations']})).violations.map((v) => ({id: v.id, impact: v.impact,"
            " targets: v.nodes.slice(0, 5).map((n) => n.target.join(' '))}))",
            WEIGHT_DECAY,
        )
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not serious, (scheme, serious)
    page.emulate_media(color_scheme="light")


@contextlib.contextmanager
def _tab(browser) -> Iterator[tuple[object, list[str]]]:  # type: ignore[no-untyped-def]
    """A page in a fresh browsing context (empty cache), and the URLs it requests."""
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        yield page, requests
    finally:
        context.close()


def test_python_stays_loaded_across_instant_navigation(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    with _tab(browser) as (page, requests):
        page.goto(site_url + "cost-function/", wait_until="load")
        first = RunnerPage(page, page.url)
        name = page.locator(".l2book-run[data-example]").first.get_attribute("data-example")
        first.open(name)
        assert first.results(name)["state"] == "done"
        assert any(u.endswith("pyodide.asm.wasm") for u in requests)
        page.evaluate("window.__notReloaded = true")
        requests.clear()
        link = page.locator("a.md-footer__link--next")
        link.scroll_into_view_if_needed()
        link.click()
        page.wait_for_url(site_url + "l2-regularization/")
        page.locator(".l2book-run-start").first.wait_for()
        assert page.evaluate("window.__notReloaded === true"), "instant navigation reloaded the page"
        statuses: list[str] = []
        page.expose_function("__status", lambda text: statuses.append(text))
        page.evaluate(
            "new MutationObserver((ms) => ms.forEach((m) => window.__status(m.target.textContent)))"
            ".observe(document.querySelector('article'), {subtree: true, characterData: true,"
            " childList: true})"
        )
        second = RunnerPage(page, page.url)
        name = page.locator(".l2book-run[data-example]").first.get_attribute("data-example")
        second.open(name)
        assert second.results(name)["state"] == "done"
    assert not [u for u in requests if u.endswith((".wasm", ".whl", "python_stdlib.zip"))], requests
    assert any(s.startswith("Ran in") for s in statuses), statuses  # the observer saw the run
    assert not [s for s in statuses if s.startswith("Loading")], statuses


def test_reading_a_page_fetches_nothing_of_the_runtime(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    with _tab(browser) as (page, requests):
        page.goto(site_url + "intuition/", wait_until="load")
        page.locator(".l2book-run-start").first.wait_for()
        page.wait_for_timeout(300)
    loaded = [u for u in requests if "/runtime/" in u or "runner-ui" in u or u.endswith(".whl")]
    assert not loaded, loaded


@pytest.mark.parametrize("variant", ["offline", "served"])
def test_from_disk_the_run_control_is_one_line_on_how_to_run(  # type: ignore[no-untyped-def]
    browser, built_site: Path, built_site_offline: Path, variant: str
) -> None:
    site = built_site_offline if variant == "offline" else built_site
    path = offline_path(EXAMPLES_PAGE, site) if variant == "offline" else "examples/index.html"
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto((site / path).as_uri(), wait_until="load")
        page.wait_for_timeout(300)
        host = page.locator(f'.l2book-run:has-text("l2book run {WEIGHT_DECAY}")').first
        assert page.locator(".l2book-run button").count() == 0
        note = host.locator(".l2book-run-note").text_content() or ""
        assert "make serve" in note and f"l2book run {WEIGHT_DECAY}" in note
    finally:
        context.close()
    if variant == "offline":
        assert not (site / "assets" / "l2book" / "runtime").exists()

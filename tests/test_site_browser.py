"""The built site in headless Chromium: math, images, console, network, links, search, axe.

Pages come from the ``nav`` of mkdocs.yml (so a new chapter is tested as soon as it is in the
nav); a separate test runs the same checks on any other page of the built sitemap. Each page
is loaded once per test process and the tests below read different parts of that load.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from site_helpers import (
    INSPECT_JS,
    PageReport,
    allowed_prefixes,
    goto_for_instant_navigation,
    inspect_page,
    internal_targets,
    nav_page_paths,
    offline_path,
    page_in_new_context,
    parse_links,
    sitemap_paths,
    wait_for_math,
)

pytestmark = pytest.mark.browser

NAV_PAGES = nav_page_paths()
SEARCH_TERM = "Frobenius"


def _page_id(path: str) -> str:
    return path or "home"


def _by_page(paths: list[str]):  # type: ignore[no-untyped-def]
    # One xdist group per page: a page is loaded once and all its tests run on that worker.
    return [pytest.param(p, id=_page_id(p), marks=pytest.mark.xdist_group(_page_id(p))) for p in paths]


@pytest.mark.xdist_group("home")
def test_tests_of_one_page_share_a_worker(request: pytest.FixtureRequest) -> None:
    # Each page is loaded once per worker; if grouping silently stops (pytest-xdist#1386, pytest
    # 9.2), every page is loaded up to five times and the suite takes twice as long.
    if not getattr(request.config.option, "loadgroup", False):  # set on workers of --dist loadgroup
        pytest.skip("only meaningful under pytest -n N --dist loadgroup")
    assert request.node.nodeid.endswith("@home"), (
        f"pytest-xdist did not group {request.node.nodeid}: this pytest breaks --dist loadgroup; "
        "install the pytest pinned in constraints.txt"
    )


@pytest.fixture(scope="session")
def reports(browser) -> dict[str, PageReport]:  # type: ignore[no-untyped-def]
    return {}


@pytest.fixture(scope="session")
def reader_context(browser):  # type: ignore[no-untyped-def]
    """One browsing context per test process: like a reader, it caches theme and MathJax files."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def report_for(browser, reader_context, reports: dict[str, PageReport]):  # type: ignore[no-untyped-def]
    def get(url: str, *, axe: bool = True) -> PageReport:
        if url not in reports:
            reports[url] = inspect_page(browser, url, context=reader_context, axe=axe)
        return reports[url]

    return get


# --------------------------------------------------------------------------- assertions


def assert_math_typeset(report: PageReport) -> None:
    math = report.math
    problems = []
    if report.math_timeout:
        problems.append("fonts (the math font among them) still loading; see the request checks")
    problems += [f"not typeset: {m}" for m in math["untypeset"]]
    problems += [f"raw TeX delimiter left in visible text: {m}" for m in math["raw"]]
    problems += [f"MathJax error: {m}" for m in math["mathErrors"]]
    if math["arithmatex"] and not math["typeset"]:
        problems.append(f"{math['arithmatex']} math elements but no typeset formula at all")
    assert not problems, f"{report.url}:\n  " + "\n  ".join(problems)


NBCONVERT_STUB_ALT = "No description has been provided for this image"


def assert_images_ok(report: PageReport) -> None:
    problems = []
    for img in report.math["images"]:
        if not img["naturalWidth"]:
            problems.append(f"image did not load: {img['element']} src={img['src']}")
        if not (img["alt"] or "").strip():
            problems.append(f"image without alt text: {img['element']} src={img['src']}")
        elif img["alt"] == NBCONVERT_STUB_ALT:
            # a notebook figure that was not linked to its file: inline, and not described
            problems.append(f"image with nbconvert's stub alt text: {img['element']}")
    assert not problems, f"{report.url}:\n  " + "\n  ".join(problems)


def assert_quiet_console(report: PageReport) -> None:
    problems = report.console_errors + [f"failed request {r}" for r in report.failed_requests]
    assert not problems, f"{report.url}:\n  " + "\n  ".join(problems)


def assert_same_origin(report: PageReport) -> None:
    foreign = report.foreign_requests(allowed_prefixes(report.url))
    assert not foreign, f"{report.url} requested other origins:\n  " + "\n  ".join(foreign)


def assert_fonts_preloaded(report: PageReport) -> None:
    drawn, preloaded = set(report.fonts["drawn"]), set(report.fonts["preloaded"])
    problems = [f"drawn with {u}, which the page does not preload" for u in sorted(drawn - preloaded)]
    problems += [f"preloads {u}, which nothing on the page is drawn with" for u in sorted(preloaded - drawn)]
    assert not problems, f"{report.url}:\n  " + "\n  ".join(problems)


def assert_accessible(report: PageReport) -> None:
    bad = [v for v in report.axe if v["impact"] in ("serious", "critical")]
    lines = [
        f"[{v['impact']}] {v['id']}: {v['help']} ({v['count']} elements, e.g. {v['targets']})"
        for v in bad
    ]
    assert not bad, f"{report.url}: axe-core violations:\n  " + "\n  ".join(lines)


# --------------------------------------------------------------------------- page discovery


def test_nav_is_not_empty_and_every_nav_page_is_built(built_site: Path) -> None:
    assert NAV_PAGES, "mkdocs.yml has no nav entries"
    built = set(sitemap_paths(built_site))
    missing = [p for p in NAV_PAGES if p not in built]
    assert not missing, f"nav pages missing from sitemap.xml: {missing} (built: {sorted(built)})"


# Pages without a nav entry (e.g. the notebook pages the l2book plugin generates) are found in
# the built sitemap; they are shared out over a few tests so that parallel workers split them.
EXTRA_SHARES = 6


@pytest.mark.parametrize(
    "share", [pytest.param(i, marks=pytest.mark.xdist_group(f"extra-{i}")) for i in range(EXTRA_SHARES)]
)
def test_pages_outside_the_nav_pass_the_page_checks(
    built_site: Path, site_url: str, report_for, share: int
) -> None:  # type: ignore[no-untyped-def]
    extra = [p for p in sitemap_paths(built_site) if p not in NAV_PAGES][share::EXTRA_SHARES]
    failures = []
    for number, path in enumerate(extra):
        # These are the example notebook pages: one template, one stylesheet, the same kinds of
        # cells. axe-core (about a second a page) checks the first page of each share, six
        # notebooks in all, and every nav page; every other check runs on every page.
        report = report_for(site_url + path, axe=number == 0)
        on_report = [
            assert_math_typeset,
            assert_images_ok,
            assert_quiet_console,
            assert_same_origin,
            assert_fonts_preloaded,
        ]
        if number == 0:
            on_report.append(assert_accessible)
        calls = [(check, report) for check in on_report] + [(assert_links_resolve, site_url + path)]
        for check, arg in calls:
            try:
                check(arg)
            except AssertionError as exc:
                failures.append(str(exc).split("\nassert")[0])
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------- per page, served


@pytest.mark.parametrize("page", _by_page(NAV_PAGES))
def test_math_is_typeset(site_url: str, report_for, page: str) -> None:  # type: ignore[no-untyped-def]
    assert_math_typeset(report_for(site_url + page))


@pytest.mark.parametrize("page", _by_page(NAV_PAGES))
def test_images_load_and_have_alt_text(site_url: str, report_for, page: str) -> None:  # type: ignore[no-untyped-def]
    assert_images_ok(report_for(site_url + page))


@pytest.mark.parametrize("page", _by_page(NAV_PAGES))
def test_no_console_errors(site_url: str, report_for, page: str) -> None:  # type: ignore[no-untyped-def]
    assert_quiet_console(report_for(site_url + page))


@pytest.mark.parametrize("page", _by_page(NAV_PAGES))
def test_no_request_leaves_the_origin(site_url: str, report_for, page: str) -> None:  # type: ignore[no-untyped-def]
    report = report_for(site_url + page)
    assert report.requests, f"{report.url}: no requests recorded at all"
    assert_same_origin(report)


@pytest.mark.parametrize("page", _by_page(NAV_PAGES))
def test_math_fonts_are_preloaded_exactly(site_url: str, report_for, page: str) -> None:  # type: ignore[no-untyped-def]
    """Each page asks ahead for the fonts its formulas draw with, and for no other."""
    assert_fonts_preloaded(report_for(site_url + page))


@pytest.mark.parametrize("page", _by_page(NAV_PAGES))
def test_no_serious_accessibility_violations(site_url: str, report_for, page: str) -> None:  # type: ignore[no-untyped-def]
    assert_accessible(report_for(site_url + page))


def test_dark_scheme_is_accessible(site_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    report = inspect_page(browser, site_url, dark=True)
    assert_accessible(report)
    assert_math_typeset(report)


def test_code_blocks_are_set_up_when_they_scroll_into_view(site_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    """Material's content.lazy: a code block far below the fold gets its copy button only when it
    comes into view, so loading a long chapter does not lay out every block (benchmarks/README.md,
    math pages). A theme upgrade that dropped the flag would set every block up at load."""
    page = browser.new_page(viewport={"width": 412, "height": 823})
    has_button = "c => c.parentElement.querySelector('nav.md-code__nav > button[data-md-type=copy]') !== null"
    try:
        page.goto(site_url + "intuition/", wait_until="load")
        page.wait_for_selector("html[data-l2-scroll-checked]", state="attached")
        blocks = page.locator(".md-content pre > code")
        last = blocks.nth(blocks.count() - 1)
        assert not last.evaluate(has_button)
        # Blocks above it take their real height as they render, which may push it off screen
        # again after a jump: scroll until it stays in view.
        for _ in range(20):
            last.scroll_into_view_if_needed()
            page.wait_for_timeout(250)
            if last.evaluate(has_button):
                break
        assert last.evaluate(has_button), "the last code block was not set up once in view"
    finally:
        page.close()


_fetched: dict[str, tuple[int, set[str]]] = {}


def _fetch(url: str) -> tuple[int, set[str]]:
    """HTTP status and element ids of ``url`` (cached: many pages share their nav links)."""
    if url not in _fetched:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = response.read()
                status = response.status
                html = "text/html" in response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            _fetched[url] = (exc.code, set())
            return _fetched[url]
        ids = parse_links(body.decode("utf-8", "replace"))[1] if html else set()
        _fetched[url] = (status, ids)
    return _fetched[url]


def assert_links_resolve(url: str) -> None:
    """Every internal ``<a href>`` of the page at ``url`` answers HTTP 200 and its anchor exists."""
    status, _ = _fetch(url)
    assert status == 200, f"{url}: HTTP {status}"
    with urllib.request.urlopen(url, timeout=10) as response:
        hrefs, _ = parse_links(response.read().decode("utf-8"))
    problems = []
    for href, target, fragment in internal_targets(url, hrefs):
        status, ids = _fetch(target)
        if status != 200:
            problems.append(f'<a href="{href}"> -> {target}: HTTP {status}')
        elif fragment and unquote(fragment) not in ids:
            problems.append(f'<a href="{href}"> -> {target}: no element with id "{fragment}"')
    assert not problems, f"{url}: broken internal links:\n  " + "\n  ".join(sorted(set(problems)))


@pytest.mark.parametrize("page", _by_page(NAV_PAGES))
def test_internal_links_resolve(site_url: str, page: str) -> None:
    assert_links_resolve(site_url + page)


# --------------------------------------------------------------------------- site-wide, served


def served_file(path: str) -> str:
    """File of the served build behind a sitemap path ('' -> 'index.html')."""
    return path + "index.html" if not path or path.endswith("/") else path


def _indexed_pages(site_dir: Path) -> set[str]:
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {doc["location"].split("#")[0] for doc in index["docs"]}


def _is_notebook_page(site_dir: Path, path: str) -> bool:
    return 'class="jupyter-wrapper' in (site_dir / served_file(path)).read_text(encoding="utf-8")


def test_search_index_covers_every_page_but_the_notebooks(built_site: Path) -> None:
    # the l2book plugin (notebook_search: false) leaves the executed notebooks out, deliberately.
    indexed = _indexed_pages(built_site)
    pages = sitemap_paths(built_site)
    missing = [p for p in pages if p not in indexed and not _is_notebook_page(built_site, p)]
    notebooks_in = [p for p in pages if p in indexed and _is_notebook_page(built_site, p)]
    assert not missing, f"pages missing from search/search_index.json: {missing}"
    assert not notebooks_in, f"notebook pages in the search index: {notebooks_in}"


def _pages_containing(site_dir: Path, paths: list[str], term: str, offline: bool) -> set[str]:
    found = set()
    for path in paths:
        file = site_dir / (offline_path(path, site_dir) if offline else served_file(path))
        html = file.read_text(encoding="utf-8")
        article = re.search(r"<article.*?</article>", html, re.S)
        if article and term in re.sub(r"<[^>]+>", " ", article.group(0)):
            found.add(path)
    return found


def _search(page, term: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Type ``term`` into Material's search box; hrefs of the result links."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():  # narrow screens show a search button instead of the box
        page.click('label.md-header__button[for="__search"]')
    box.click()
    box.press_sequentially(term, delay=20)  # the theme listens to key events, not to `input`
    page.wait_for_selector("a.md-search-result__link", timeout=10000)
    return page.eval_on_selector_all(
        "a.md-search-result__link", "els => els.map(e => e.getAttribute('href'))"
    )


RAW_TEX_IN_RESULTS_JS = r"""
() => {
  const raw = [];
  const list = document.querySelector(".md-search-result__list");
  const walker = document.createTreeWalker(list, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement.closest("mjx-container")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    for (const d of ["\\(", "\\[", "$$"]) {
      if (n.textContent.includes(d)) raw.push(n.textContent.trim().slice(0, 80));
    }
  }
  return raw;
}
"""


def _raw_tex_in_search_results(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Raw TeX left in the result snippets once MathJax had time to typeset them."""
    try:
        page.wait_for_function(f"() => ({RAW_TEX_IN_RESULTS_JS})().length === 0", timeout=5000)
    except Exception:
        pass  # reported by the caller
    return page.evaluate(RAW_TEX_IN_RESULTS_JS)


def _result_paths(base: str, hrefs: list[str], page_url: str, offline: bool) -> set[str]:
    paths = set()
    for href in hrefs:
        absolute = urljoin(page_url, href).split("#")[0].split("?")[0]
        rel = absolute[len(base) :] if absolute.startswith(base) else absolute
        if offline:  # foo.html -> foo/, foo/index.html -> foo/
            rel = rel.removesuffix("index.html")
            rel = rel.removesuffix(".html") + "/" if rel.endswith(".html") else rel
        paths.add(rel)
    return paths


@pytest.mark.parametrize("offline", [False, True], ids=["served", "file"])
def test_search_finds_the_page_containing_frobenius(
    request, browser, offline: bool
) -> None:  # type: ignore[no-untyped-def]
    site_dir: Path = request.getfixturevalue("built_site_offline" if offline else "built_site")
    paths = sitemap_paths(request.getfixturevalue("built_site"))
    served_site: Path = request.getfixturevalue("built_site")
    indexed = _indexed_pages(served_site)
    expected = _pages_containing(served_site, paths, SEARCH_TERM, False) & indexed
    assert expected, f"no indexed page contains {SEARCH_TERM!r}; the search test needs one"
    base = site_dir.as_uri() + "/" if offline else request.getfixturevalue("site_url")
    start = base + ("index.html" if offline else "")
    with page_in_new_context(browser) as (page, errors):
        page.goto(start)
        hrefs = _search(page, SEARCH_TERM)
        found = _result_paths(base, hrefs, page.url, offline)
        raw_tex = _raw_tex_in_search_results(page)
    assert not raw_tex, f"search results on {start} show raw TeX: {raw_tex}"
    missing = sorted(expected - found)[:10]
    assert not missing, (
        f"search for {SEARCH_TERM!r} on {start} did not list {missing}; results: {hrefs}"
    )
    assert not errors, f"{start}: console errors while searching: {errors}"


# Pages with math to reach by instant navigation. Every page is typeset by the same code after a
# swap, so a few consecutive pages show that it works without walking the whole book each run.
INSTANT_MATH_PAGES = 4


NEW_ARTICLE_JS = "() => { const a = document.querySelector('article'); return a && !a.dataset.old; }"
# Two animation frames: blocks that came into view are rendered and the layout has moved.
SETTLE_JS = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def follow_link_instantly(page, link: str) -> None:  # type: ignore[no-untyped-def]
    """Click the first ``link`` (a selector) and wait for instant navigation to show a new page.

    The page must have set ``window.__notReloaded``; a full page load fails. The link moves while
    the blocks above it are first rendered on the way down (content-visibility): the layout is
    let settle, and the link clicked once more if a click landed while it moved (a broken instant
    navigation fails both).
    """
    page.evaluate("document.querySelector('article').dataset.old = '1'")
    before = page.url
    target = page.locator(link).first
    for attempt in (1, 2):
        target.scroll_into_view_if_needed()
        page.evaluate(SETTLE_JS)
        target.click()
        try:
            page.wait_for_function(NEW_ARTICLE_JS, timeout=10000)
            break
        except PlaywrightTimeoutError:
            assert attempt == 1, (
                f"clicking {link} on {before} twice never showed a new page (now at {page.url})"
            )
    assert page.url != before, f"clicking {link} on {before} did not change the page"
    assert page.evaluate("window.__notReloaded === true"), (
        f"{before} -> {page.url}: full page load instead of instant navigation"
    )


def test_instant_navigation_keeps_math_typeset(site_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    """Follow links page to page; the page must never reload and its math must be typeset."""
    visited: list[str] = []
    with_math = 0
    with page_in_new_context(browser) as (page, errors):
        # Start on the 404 page, so even a one-page site has a link to follow (the logo); then
        # take the footer's "next" link, in nav order.
        goto_for_instant_navigation(page, site_url + "404.html")
        wait_for_math(page)
        page.evaluate("window.__notReloaded = true")
        link = "a.md-header__button.md-logo"
        while link and with_math < INSTANT_MATH_PAGES:
            follow_link_instantly(page, link)
            visited.append(page.url)
            try:
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.arithmatex')]"
                    ".every(e => e.querySelector('math, mjx-container'))",
                    timeout=10000,
                )
            except Exception:
                pass  # reported with details below
            math = page.evaluate(INSPECT_JS)
            report = PageReport(url=f"{page.url} (reached by instant navigation)", math=math)
            assert_math_typeset(report)
            with_math += math["arithmatex"] > 0
            link = "a.md-footer__link--next" if page.query_selector("a.md-footer__link--next") else ""
    assert with_math >= 1, f"no page with math reached by instant navigation: {visited}"
    assert not errors, f"console errors during instant navigation over {visited}: {errors}"


# Every change of a <link>'s href, and every change of the root element's class away from
# "no-js", that reaches the page once its content has been parsed
# (l2book/mkdocs_plugin/theme_load.py).
LATE_CHANGES_JS = """
window.__lateChanges = [];
new MutationObserver((records) => {
  if (!document.querySelector(".md-main")) return;
  for (const r of records) {
    if (r.target.tagName === "LINK") {
      window.__lateChanges.push(`link ${r.oldValue} -> ${r.target.getAttribute("href")}`);
    } else if (r.target === document.documentElement && /\\bno-js\\b/.test(r.oldValue || "")) {
      window.__lateChanges.push(`html class ${r.oldValue} -> ${r.target.className}`);
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ["href", "class"]});
"""


@pytest.mark.parametrize("path", ["intuition/", "examples/beyond_relu/"])
def test_theme_changes_no_stylesheet_link_once_the_content_is_parsed(
    site_url: str, browser, path: str
) -> None:  # type: ignore[no-untyped-def]
    """A stylesheet link rewritten after the body has been laid out is loaded again, and the whole
    page restyled and laid out again; the same for the root element's no-js class."""
    with page_in_new_context(browser) as (page, errors):
        page.add_init_script(LATE_CHANGES_JS)
        goto_for_instant_navigation(page, site_url + path)
        late = page.evaluate("window.__lateChanges")
        classes = page.evaluate("document.documentElement.className")
        relative = page.evaluate(
            "[...document.head.querySelectorAll('link[href]')].map(l => l.getAttribute('href'))"
            ".filter(h => !/^(?:[a-z]+:)?\\/\\//i.test(h))"
        )
    assert not late, f"{path}: changed after the content was parsed: {late}"
    assert "js" in classes.split() and "no-js" not in classes.split(), classes
    assert not relative, f"{path}: <head> links instant navigation would still rewrite: {relative}"
    assert not errors, errors


# Selectors of the page's stylesheets that mention the palette's switching attribute, and the
# CSS transitions running right after the scheme toggle is pressed (a script click: the pointer
# does not move, so nothing is hovered).
SWITCHING_RULES_JS = """
() => [...document.styleSheets].flatMap((sheet) => {
  const walk = (rules) => [...rules].flatMap((r) => [r, ...(r.cssRules ? walk(r.cssRules) : [])]);
  return walk(sheet.cssRules).map((r) => r.selectorText || "")
    .filter((t) => t.includes("data-md-color-switching"));
})
"""
TOGGLE_SCHEME_JS = """
() => {
  document.querySelector("form[data-md-component=palette] label:not([hidden])").click();
  return document.getAnimations().filter((a) => a instanceof CSSTransition)
    .map((a) => `${a.transitionProperty} of ${a.effect.target.className || a.effect.target.tagName}`);
}
"""


def test_switching_the_colour_scheme_is_instant_and_loading_restyles_nothing(
    site_url: str, browser
) -> None:  # type: ignore[no-untyped-def]
    """Material stops transitions while the scheme switches with a rule on an attribute it also
    sets and removes on every load; keyed to a class set only while the reader switches
    (theme_load.py), the switch is as instant and the load restyles nothing."""
    with page_in_new_context(browser) as (page, errors):
        page.goto(site_url + "intuition/", wait_until="load")
        rules = page.evaluate(SWITCHING_RULES_JS)
        scheme = "document.body.getAttribute('data-md-color-scheme')"
        before = page.evaluate(scheme)
        running = page.evaluate(TOGGLE_SCHEME_JS)
        after = page.evaluate(scheme)
        page.wait_for_function("() => !document.documentElement.classList.contains('l2book-switching')")
    assert not rules, f"rules that restyle the whole page on every load: {rules}"
    assert after != before, "the toggle did not switch the colour scheme"
    assert not running, f"transitions while the scheme switched: {running}"
    assert not errors, errors


def test_instant_navigation_brings_and_removes_the_notebook_stylesheet(
    site_url: str, browser
) -> None:  # type: ignore[no-untyped-def]
    """The notebook pages' stylesheet is a <head> link of those pages only."""
    applied = (
        "() => { const w = document.querySelector('.jupyter-wrapper');"
        " return !!w && getComputedStyle(w).getPropertyValue('--md-blue-300').trim() !== ''; }"
    )
    stylesheet = "document.querySelectorAll('head link[href$=\"/notebook.css\"]').length"
    with page_in_new_context(browser) as (page, errors):
        goto_for_instant_navigation(page, site_url + "examples/")
        assert page.evaluate(stylesheet) == 0
        page.evaluate("window.__notReloaded = true")
        follow_link_instantly(page, "article a[href$='/examples/beyond_relu/']")
        assert page.url.endswith("/examples/beyond_relu/")
        page.wait_for_function(applied, timeout=10000)
        assert page.evaluate(stylesheet) == 1
        follow_link_instantly(page, "a.md-header__button.md-logo")
        assert page.evaluate(stylesheet) == 0
    assert not errors, errors


# --------------------------------------------------------------------------- file:// build


@pytest.mark.parametrize("page", _by_page(NAV_PAGES))
def test_offline_build_from_disk(built_site_offline: Path, browser, page: str) -> None:  # type: ignore[no-untyped-def]
    file = built_site_offline / offline_path(page, built_site_offline)
    assert file.is_file(), f"{file} missing from the file:// build"
    report = inspect_page(browser, file.as_uri(), axe=False)
    assert_math_typeset(report)
    assert_images_ok(report)
    assert_quiet_console(report)
    assert_same_origin(report)
    site_root = built_site_offline.as_uri() + "/"
    outside = [u for u in report.requests if u.startswith("file://") and not u.startswith(site_root)]
    assert not outside, f"{report.url} read files outside the site: {outside}"


def test_offline_build_has_no_instant_navigation(built_site_offline: Path) -> None:
    html = (built_site_offline / "index.html").read_text(encoding="utf-8")
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S)
    assert config, "Material's __config block not found in the file:// build's index.html"
    assert "navigation.instant" not in config.group(1), (
        "navigation.instant is on in the file:// build; fetch() fails on file://"
    )
    remote = re.findall(r'<(?:script|img|iframe|link rel="(?:stylesheet|preconnect|preload)")'
                        r'[^>]*(?:src|href)="(?:https?:)?//[^"]*"', html)
    assert not remote, f"the file:// build loads remote resources: {remote}"


def test_site_path_helpers_agree_with_build(built_site: Path, built_site_offline: Path) -> None:
    for path in sitemap_paths(built_site):
        assert (built_site_offline / offline_path(path, built_site_offline)).is_file(), (
            f"page {path!r} of the served build has no file {offline_path(path)} "
            f"(or {path}index.html) in the file:// build"
        )
        served = built_site / served_file(path)
        assert served.is_file(), f"sitemap lists {path!r} but {served} does not exist"

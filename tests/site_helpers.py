"""Build, serve and inspect the l2book site in headless Chromium (shared by tests and benchmarks).

Nothing here downloads a browser: Playwright drives Debian's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import gzip
import http.server
import os
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("L2BOOK_CHROMIUM", "/usr/bin/chromium")


def chromium_version() -> str | None:
    """The version of :data:`CHROMIUM` (for benchmark results), or None if it cannot tell."""
    try:
        shown = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30)
        return shown.stdout.strip().split()[1]
    except (OSError, IndexError, subprocess.SubprocessError):
        return None


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The site under test; L2BOOK_SITE_CONFIG points the browser tests at another mkdocs.yml.
MKDOCS_YML = Path(os.environ.get("L2BOOK_SITE_CONFIG", REPO_ROOT / "mkdocs.yml")).resolve()
BUILD_TIMEOUT_S = 900


class SiteBuildError(RuntimeError):
    """``mkdocs build --strict`` failed; the message carries its log."""


# --------------------------------------------------------------------------- building


def build_site(site_dir: Path, *, offline: bool) -> Path:
    """Run ``mkdocs build --strict`` into ``site_dir`` (``OFFLINE=true`` for the file:// variant).

    Raises
    ------
    SiteBuildError
        With the tail of the build log when the build fails.
    """
    env = {**os.environ, "OFFLINE": "true" if offline else "false", "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(MKDOCS_YML)]
    cmd += ["--site-dir", str(site_dir)]
    proc = subprocess.run(
        cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S
    )
    if proc.returncode != 0:
        log = (proc.stdout + proc.stderr).strip().splitlines()
        raise SiteBuildError(
            f"`{' '.join(cmd[1:])}` (OFFLINE={env['OFFLINE']}) failed with exit code "
            f"{proc.returncode}:\n" + "\n".join(log[-60:])
        )
    return site_dir


def build_site_once(shared_dir: Path, name: str, *, offline: bool) -> Path:
    """Build the site into ``shared_dir / name`` unless a parallel test process already did.

    pytest-xdist runs session fixtures once per worker; an exclusive file lock makes the first
    worker build and the others wait and reuse the result (or its error, without rebuilding).
    """
    site_dir = shared_dir / name
    ok, failed = shared_dir / f"{name}.ok", shared_dir / f"{name}.failed"
    with open(shared_dir / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if ok.exists():
            return site_dir
        if failed.exists():
            raise SiteBuildError(failed.read_text())
        try:
            build_site(site_dir, offline=offline)
        except SiteBuildError as exc:
            failed.write_text(str(exc))
            raise
        ok.touch()
    return site_dir


# --------------------------------------------------------------------------- serving


# What a static host compresses: text. Images, fonts (woff2 is compressed already) go as they are.
COMPRESSIBLE = frozenset({".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".ipynb", ".py"})


@functools.lru_cache(maxsize=512)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, with ``sitemap.xml`` rewritten to the address the site is served at.

    The sitemap lists absolute URLs on ``site_url``; Material's instant navigation only
    intercepts links found there, matching scheme, host *and port*. Serving on an ephemeral
    port is a deployment at another URL, so the sitemap is adjusted as a deployment would be.
    With ``compress``, text files go gzip-encoded to clients that accept it, as from a static host.
    """

    compress = False

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == "/sitemap.xml":
            xml = (Path(self.directory) / "sitemap.xml").read_text(encoding="utf-8")
            locs = re.findall(r"<loc>([^<]*)</loc>", xml)
            home = min(locs, key=len) if locs else ""
            here = f"http://127.0.0.1:{self.server.server_port}/"
            body = (xml.replace(f"<loc>{home}", f"<loc>{here}") if home else xml).encode("utf-8")
            self._send(body, "application/xml")
            return
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                super().do_GET()  # redirects to the folder's URL with a slash
                return
            file = file / "index.html"
        if (
            self.compress
            and "gzip" in self.headers.get("Accept-Encoding", "")
            and file.suffix in COMPRESSIBLE
            and file.is_file()
        ):
            body = _gzipped(str(file), file.stat().st_mtime_ns)
            self._send(body, self.guess_type(str(file)), encoding="gzip")
            return
        super().do_GET()

    def _send(self, body: bytes, content_type: str, encoding: str | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_directory(root: Path, *, compress: bool = False) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (ephemeral port) in a thread; yields the base URL.

    ``compress``: gzip text files for clients that accept it (what a static host does).
    """
    handler = functools.partial(type("Handler", (_SiteHandler,), {"compress": compress}), directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- discovering pages


def sitemap_paths(site_dir: Path) -> list[str]:
    """Site-relative paths of every page listed in the built ``sitemap.xml`` ('' is the home)."""
    tree = ET.parse(site_dir / "sitemap.xml")
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text or "" for loc in tree.getroot().findall("sm:url/sm:loc", ns)]
    if not urls:
        raise AssertionError(f"{site_dir / 'sitemap.xml'} lists no pages; is site_url set in mkdocs.yml?")
    # Locations are site_url + page URL; the home page has the shortest one.
    paths = [urlsplit(u).path for u in urls]
    home = min(paths, key=len)
    strays = [p for p in paths if not p.startswith(home)]
    if strays:
        raise AssertionError(f"sitemap.xml: {strays} lie outside the home page's path {home!r}")
    return sorted({p[len(home) :] for p in paths})


def offline_path(online_path: str, site_dir: Path | None = None) -> str:
    """Where a page of the served site lives in the file:// build (``use_directory_urls: false``).

    ``'foo/'`` is ``foo.html`` when built from ``foo.md`` and ``foo/index.html`` when built from
    ``foo/index.md``; with ``site_dir`` (the file:// build) the file that exists is returned.
    """
    if online_path in ("", "/"):
        return "index.html"
    if not online_path.endswith("/"):
        return online_path
    candidates = [online_path.rstrip("/") + ".html", online_path + "index.html"]
    if site_dir is not None:
        for candidate in candidates:
            if (site_dir / candidate).is_file():
                return candidate
    return candidates[0]


def nav_page_paths(mkdocs_yml: Path = MKDOCS_YML) -> list[str]:
    """Site-relative paths of the pages listed in the ``nav`` of ``mkdocs.yml`` (served layout).

    Read at collection time, before anything is built, so that each page gets its own tests;
    pages that exist only in the built sitemap are checked by a separate test.
    """
    from mkdocs.utils.yaml import yaml_load  # understands INHERIT and !ENV

    with open(mkdocs_yml, "rb") as f:
        config = yaml_load(f)
    sources: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            if "://" not in node:
                sources.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(config.get("nav") or [])
    return [source_to_url(s) for s in sources]


def source_to_url(source: str) -> str:
    """``'beyond/adamw.md'`` -> ``'beyond/adamw/'``, ``'index.md'`` -> ``''`` (directory URLs)."""
    stem, _, _ext = source.rpartition(".")
    parent, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return f"{parent}/" if parent else ""
    return f"{stem}/"


# --------------------------------------------------------------------------- links


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        if tag == "a" and values.get("href") is not None:
            self.hrefs.append(values["href"] or "")


# Typeset formulas: a good part of the tags of a chapter, and no link or id among them.
_MATH_OUTPUT = re.compile(r"<math\b.*?</math>", re.S)


def parse_links(html: str) -> tuple[list[str], set[str]]:
    """``(hrefs of <a> elements, element ids)`` of an HTML document."""
    parser = _LinkParser()
    parser.feed(_MATH_OUTPUT.sub("", html))
    return parser.hrefs, parser.ids


def internal_targets(page_url: str, hrefs: list[str]) -> list[tuple[str, str, str]]:
    """``(href, absolute URL without fragment, fragment)`` for links that stay on the site."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page_url))
    out = []
    for href in hrefs:
        if href.startswith(("mailto:", "javascript:", "data:", "tel:")):
            continue
        absolute = urljoin(page_url, href)
        if not absolute.startswith(origin + "/"):
            continue
        url, fragment = urldefrag(absolute)
        out.append((href, url, fragment))
    return out


# --------------------------------------------------------------------------- browser


def launch_browser(playwright):  # type: ignore[no-untyped-def]
    """Debian's Chromium, headless; fails with a hint when it is not installed."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(
            f"Chromium not found at {CHROMIUM}; install it with `apt-get install -y chromium` "
            "(or point L2BOOK_CHROMIUM at a Chromium binary)."
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def goto_for_instant_navigation(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """Open ``url`` and wait until Material's instant navigation can take a click.

    It intercepts a link only once it knows the link's page from ``sitemap.xml``, which it
    fetches as it starts; a click before that is an ordinary page load. With every figure lazy,
    a page's load event no longer waits for a figure, and a test's click can come first.
    """
    with page.expect_response(lambda r: r.url.split("?", 1)[0].endswith("/sitemap.xml")):
        page.goto(url, wait_until="load")


MATH_TIMEOUT_MS = 15000

# Math comes typeset in the page (hooks/prerender_math.py); it is drawn once its font has
# loaded. Fonts that failed to load are named (their requests are also checked).
MATH_READY_JS = """
async () => {
  await document.fonts.ready;
  const failed = [...document.fonts].filter((f) => f.status === "error").map((f) => f.family);
  return {ms: performance.now(), failedFonts: failed};
}
"""

# Lazily loaded figures included: a reader who reads to the end loads every one.
LOAD_ALL_IMAGES_JS = """
() => Promise.all(Array.from(document.images, (img) => {
  img.loading = "eager";
  return img.decode().catch(() => null);
}))
"""

# Everything a page check needs, gathered in one pass over the DOM.
INSPECT_JS = r"""
async () => {
  const out = {arithmatex: 0, typeset: 0, untypeset: [], raw: [], mathErrors: [], images: []};
  const describe = (el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = el.className && typeof el.className === "string"
      ? "." + el.className.trim().split(/\s+/).join(".") : "";
    return el.tagName.toLowerCase() + id + cls;
  };
  for (const el of document.querySelectorAll(".arithmatex, .jp-MarkdownOutput")) {
    const isArith = el.classList.contains("arithmatex");
    if (isArith) out.arithmatex += 1;
    // MathML written by the build; search results are typeset in the browser (mjx-container).
    if (isArith && !el.querySelector("math, mjx-container")) {
      out.untypeset.push(describe(el) + ": " + el.textContent.trim().slice(0, 100));
    }
  }
  out.typeset = document.querySelectorAll(".arithmatex math, mjx-container").length;
  for (const el of document.querySelectorAll("merror, mjx-merror")) {
    const tex = el.closest("math")?.getAttribute("data-latex")
      || el.closest("mjx-container")?.querySelector("mjx-math")?.getAttribute("data-latex");
    out.mathErrors.push((el.getAttribute("data-mjx-error") || el.textContent).slice(0, 120)
                        + (tex ? " in " + tex.trim().slice(0, 100) : ""));
  }
  // Visible text only: code, math output and hidden copies (e.g. copy-button sources) are skipped.
  const skip = "pre, code, script, style, textarea, kbd, math, mjx-container, mjx-assistive-mml";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => !n.parentElement || n.parentElement.closest(skip)
      || !n.parentElement.checkVisibility({visibilityProperty: true})
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent;
    for (const d of ["\\(", "\\)", "\\[", "\\]", "$$"]) {
      const at = text.indexOf(d);
      if (at >= 0) {
        out.raw.push(describe(n.parentElement) + ": raw " + JSON.stringify(d) + " in "
                     + JSON.stringify(text.slice(Math.max(0, at - 40), at + 60).trim()));
      }
    }
  }
  await (""" + LOAD_ALL_IMAGES_JS + r""")();
  for (const img of document.images) {
    out.images.push({
      src: img.currentSrc || img.src,
      alt: img.getAttribute("alt"),
      naturalWidth: img.naturalWidth,
      element: describe(img),
    });
  }
  return out;
}
"""

# After every block is rendered: the web fonts the page drew with (by the URL of their
# @font-face rule) and the fonts it asked for ahead (<link rel="preload" as="font">).
FONTS_JS = r"""
async () => {
  document.body.getBoundingClientRect();
  await document.fonts.ready;
  const unquote = (family) => family.replace(/["']/g, "");
  const faceUrls = new Map();
  for (const sheet of document.styleSheets) {
    let rules;
    try { rules = sheet.cssRules; } catch { continue; }
    for (const rule of rules) {
      if (!(rule instanceof CSSFontFaceRule)) continue;
      const src = rule.style.getPropertyValue("src").match(/url\("?([^")]+)"?\)/);
      const family = unquote(rule.style.getPropertyValue("font-family"));
      if (src) faceUrls.set(family, new URL(src[1], sheet.href).href);
    }
  }
  const drawn = [...document.fonts].filter((f) => f.status === "loaded" && faceUrls.has(unquote(f.family)))
    .map((f) => faceUrls.get(unquote(f.family)));
  const preloaded = [...document.querySelectorAll('link[rel="preload"][as="font"]')].map((l) => l.href);
  return {drawn: [...new Set(drawn)].sort(), preloaded: [...new Set(preloaded)].sort()};
}
"""

SCROLL_REGIONS_CHECKED_JS = """
() => !document.querySelector('script[src*="a11y.js"]')
  || document.documentElement.hasAttribute("data-l2-scroll-checked")
"""

AXE_RUN_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    count: v.nodes.length,
  }));
}
"""


@dataclass
class PageReport:
    """What one page load showed: console, network, math, images, accessibility."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    math: dict = field(default_factory=dict)
    math_ms: float | None = None
    math_timeout: bool = False
    axe: list[dict] = field(default_factory=list)
    fonts: dict = field(default_factory=dict)

    def foreign_requests(self, allowed_prefixes: tuple[str, ...]) -> list[str]:
        return [u for u in self.requests if not u.startswith(allowed_prefixes)]


def allowed_prefixes(url: str) -> tuple[str, ...]:
    """Requests a page at ``url`` may make: its own origin only (blob/data URLs are in-page)."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return ("file://", "data:", "blob:null/")
    origin = f"{parts.scheme}://{parts.netloc}"
    return (origin + "/", "data:", f"blob:{origin}/")


@contextlib.contextmanager
def page_in_new_context(browser) -> Iterator[tuple[object, list[str]]]:  # type: ignore[no-untyped-def]
    """A page in a fresh browsing context, and the console errors and uncaught exceptions it logs.

    The context is closed on exit.
    """
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page, errors
    finally:
        context.close()


def inspect_page(  # type: ignore[no-untyped-def]
    browser,
    url: str,
    *,
    axe: bool = True,
    dark: bool = False,
    context=None,
) -> PageReport:
    """Load ``url``, wait for its fonts, and collect a :class:`PageReport`.

    The page opens in ``context`` if given (its HTTP cache is shared with the other pages of that
    context, as for a reader browsing the site), else in a fresh one. ``dark`` emulates a reader
    whose system prefers dark mode (the theme follows it).
    """
    report = PageReport(url=url)
    own_context = context is None
    if own_context:
        context = browser.new_context(color_scheme="dark" if dark else "light")
    page = context.new_page()
    page.on("request", lambda r: report.requests.append(r.url))
    page.on("requestfailed", lambda r: report.failed_requests.append(f"{r.url} ({r.failure})"))
    page.on(
        "console",
        lambda m: report.console_errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: report.console_errors.append(f"uncaught: {e}"))
    page.on(
        "response",
        lambda r: report.failed_requests.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None,
    )
    try:
        page.goto(url, wait_until="load")
        try:
            report.math_ms = wait_for_math(page)
        except PlaywrightTimeoutError:
            report.math_timeout = True  # reported by the math check, with what is left raw
        report.math = page.evaluate(INSPECT_JS)
        if axe:
            # a11y.js gives sideways-scrolling regions a tab stop, measuring them while the page
            # is idle (blocks far down have no layout until then); axe checks those tab stops.
            page.wait_for_function(SCROLL_REGIONS_CHECKED_JS, timeout=MATH_TIMEOUT_MS)
        # Blocks far from the viewport are not painted yet (content-visibility). axe reads colours
        # from what is painted, and a font is fetched only for text being drawn: both checks see
        # the page as a reader who scrolled through it does. The tab stops above were set before,
        # so they are checked as they are.
        page.add_style_tag(content="* { content-visibility: visible !important; }")
        if axe:
            page.add_script_tag(path=str(AXE_JS))
            report.axe = page.evaluate(AXE_RUN_JS)
        report.fonts = page.evaluate(FONTS_JS)
        # Late console errors (fonts, workers) surface within a moment of typesetting.
        page.wait_for_timeout(200)
    finally:
        page.close()
        if own_context:
            context.close()
    return report


def wait_for_math(page, timeout_ms: int = MATH_TIMEOUT_MS) -> float:  # type: ignore[no-untyped-def]
    """Wait until the page's fonts, the math font among them, have loaded; ``performance.now()``.

    Raises Playwright's ``TimeoutError`` after ``timeout_ms``, and ``AssertionError`` naming any
    font that failed to load.
    """
    ready = page.evaluate(
        f"() => Promise.race([({MATH_READY_JS})(), "
        f"new Promise((r) => setTimeout(() => r(null), {timeout_ms}))])"
    )
    if ready is None:
        raise PlaywrightTimeoutError(f"fonts still loading after {timeout_ms} ms")
    assert not ready["failedFonts"], f"{page.url}: fonts failed to load: {ready['failedFonts']}"
    return ready["ms"]

"""MkDocs hook: typeset every formula at build time, so pages arrive with their math laid out.

``pymdownx.arithmatex`` (generic mode) leaves TeX in ``<span class="arithmatex">\\(...\\)</span>``
and ``<div class="arithmatex">\\[...\\]</div>``; notebook pages are marked up the same way by the
l2book plugin. After the build, this hook collects the TeX of every page, has MathJax 4 (the
site's own copy, from ``node_modules``) turn it into MathML in one Node process
(``hooks/mathjax_render.cjs``), and puts the result inside the same elements. Browsers draw
MathML themselves (MathML Core: Chromium, Firefox, Safari), with an OpenType math font, and
screen readers read it as it is: no script to run before a formula shows, nothing to redo after
instant navigation, and one element per symbol rather than the several that MathJax's CommonHTML
output needs (measured in ``benchmarks/math_pages.py``: long chapters kept a phone's main thread
busy for far longer with it).

The math font is STIX Two Math (``@fontsource/stix-two-math``), cut down to the characters the
formulas use (fontTools) and written next to ``assets/stylesheets/math.css``, the few rules of
the math, in ``assets/stylesheets/math-fonts/``. Each page with math asks for it ahead
(``<link rel="preload">``), so that it arrives with the stylesheets: a browser otherwise finds a
font only once it lays out text in it, and lays the page out again when it arrives.

A TeX error fails the build, naming the page and the formula. The result is cached under
``.cache/math/`` by the formulas, this hook and its renderer, and the MathJax, font and fontTools
versions, so a build in which no formula changed does not start Node at all.

MathJax still runs in the browser for one thing: search results quote page text, TeX included,
and ``docs/assets/javascripts/mathjax-config.js`` loads it when a result needs it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import logging
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.ttLib import TTFont
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.prerender_math")

STYLESHEET = "assets/stylesheets/math.css"
# The subset fonts, relative to the stylesheet (browsers resolve its url()s from there).
FONT_URL = "math-fonts"
# The OpenType math font that browsers draw MathML with (it has a MATH table: the sizes of
# stretched brackets, the gaps of fractions and scripts).
MATH_FONT_PACKAGE = "@fontsource/stix-two-math"
MATH_FONT_SOURCE = Path(MATH_FONT_PACKAGE) / "files" / "stix-two-math-latin-400-normal.woff2"
MATH_FONT_FILE = "stix-two-math.woff2"
# The x-height the theme's sans-serif (Helvetica, Arial) has, in em: math is scaled to it, as
# MathJax does in a browser (1.195 times the TeX font's x-height of 0.442 em).
TEXT_X_HEIGHT = 0.528
RENDERER = Path(__file__).with_name("mathjax_render.cjs")
CACHE_DIR = Path(".cache") / "math"
# Files that hold no pages: the vendored libraries and the theme's own assets.
SKIP_DIRS = ("assets/",)

_PRELOAD = re.compile(r'<link rel="preload" href="[^"]*' + re.escape(FONT_URL) + r'/[^"]*"[^>]*>')
_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]*)' + re.escape(STYLESHEET) + r'">')
_TAG = re.compile(r"<[^>]*>")
_TYPESET = re.compile(r'<math data-latex="([^"]*)"( display="block")?')
_MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
_DELIMITERS = {r"\(": r"\)", r"\[": r"\]"}


@dataclass(frozen=True, order=True)
class Formula:
    """One formula as MathJax sees it: TeX without its delimiters, and inline or display."""

    display: bool
    tex: str


def parse_formula(tag: str, body: str) -> Formula:
    """The formula in one arithmatex element.

    ``body`` is the element's HTML: escaped TeX, wrapped in ``\\( \\)`` or ``\\[ \\]`` unless it
    is a bare environment (``\\begin{align}...``), which arithmatex leaves as it is; or, on a page
    typeset by an earlier build (``mkdocs serve --dirty`` rewrites changed pages only), MathJax's
    output, whose ``data-latex`` keeps the TeX: its characters must stay in the font.
    """
    typeset = _TYPESET.match(body)
    if typeset:
        return Formula(display=typeset.group(2) is not None, tex=html.unescape(typeset.group(1)))
    tex = html.unescape(body).strip()
    opening = tex[:2]
    if opening in _DELIMITERS and tex.endswith(_DELIMITERS[opening]):
        return Formula(display=opening == r"\[", tex=tex[2:-2].strip())
    return Formula(display=tag == "div", tex=tex)


def formulas_in(page_html: str) -> list[Formula]:
    """Every formula of a page, in page order."""
    return [parse_formula(m.group(1), m.group(2)) for m in _MATH.finditer(page_html)]


def replace_formulas(page_html: str, typeset: dict[Formula, str]) -> str:
    """The page with each arithmatex element's TeX replaced by its typeset HTML."""

    def replace(match: re.Match[str]) -> str:
        formula = parse_formula(match.group(1), match.group(2))
        tag = match.group(1)
        return f'<{tag} class="arithmatex">{typeset[formula]}</{tag}>'

    return _MATH.sub(replace, page_html)


def _package_version(node_modules: Path, package: str) -> str:
    manifest = node_modules / package / "package.json"
    if not manifest.is_file():
        raise PluginError(
            f"prerender_math: npm package {package!r} not found in {node_modules}. "
            "Run `npm ci` in the repository root (or `make build`, which does it for you)."
        )
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def cache_key(formulas: list[Formula], node_modules: Path) -> str:
    """Hash of everything the typeset output depends on."""
    digest = hashlib.sha256()
    digest.update(RENDERER.read_bytes())
    digest.update(Path(__file__).read_bytes())
    for package in ("mathjax", MATH_FONT_PACKAGE):
        digest.update(f"{package}@{_package_version(node_modules, package)}\n".encode())
    digest.update(f"{FONT_URL}\nfonttools@{fontTools.version}\n".encode())
    digest.update(json.dumps([[f.display, f.tex] for f in formulas]).encode())
    return digest.hexdigest()[:32]


def run_mathjax(formulas: list[Formula]) -> tuple[list[str], list[dict]]:
    """Typeset ``formulas`` in one Node process: ``(MathML per formula, errors)``."""
    node = shutil.which("node")
    if node is None:
        raise PluginError(
            "prerender_math: `node` not found. Formulas are typeset at build time with MathJax in "
            "Node.js; install Node (Debian: `apt-get install nodejs npm`) and run `npm ci`."
        )
    request = {"items": [{"tex": f.tex, "display": f.display} for f in formulas]}
    done = subprocess.run(
        [node, str(RENDERER)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if done.returncode != 0:
        raise PluginError(f"prerender_math: MathJax failed in Node:\n{done.stderr.strip()[-2000:]}")
    answer = json.loads(done.stdout)
    return answer["mathml"], answer["errors"]


# First code point, count, and first mathematical italic: A-Z, a-z, Greek capitals and small letters.
_ITALIC_RANGES = ((0x41, 26, 0x1D434), (0x61, 26, 0x1D44E), (0x391, 25, 0x1D6E2), (0x3B1, 25, 0x1D6FC))


def _math_italic(char: str) -> str | None:
    """The mathematical italic of a Latin or Greek letter (what browsers draw a lone ``<mi>`` in)."""
    code = ord(char)
    if char == "h":
        return "\N{PLANCK CONSTANT}"
    for first, count, italic in _ITALIC_RANGES:
        if first <= code < first + count:
            return chr(italic + code - first)
    return None


def mathml_characters(typeset_html: list[str]) -> list[int]:
    """Code points the browser draws native MathML formulas with, sorted.

    The formulas' own characters, and the italic of every letter: a one-letter ``<mi>`` is
    drawn as the letter's mathematical italic (MathML Core's ``text-transform: math-auto``).
    """
    text = "".join(html.unescape(_TAG.sub("", fragment)) for fragment in typeset_html)
    italics = {_math_italic(c) for c in text}
    return sorted(ord(c) for c in set(text) | italics if c is not None)


def subset_math_font(source: Path, codepoints: list[int]) -> bytes:
    """The OpenType math font cut down to ``codepoints``, as WOFF2 bytes.

    Its MATH table stays, with the glyphs it names for the characters kept (larger sizes of a
    bracket, the pieces of a stretched one), and so do the layout features math uses (script-size
    glyphs, dotless i and j under accents).
    """
    if not source.is_file():
        raise PluginError(f"prerender_math: the math font {source} is missing; run `npm ci`.")
    font = TTFont(source, recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.hinting = False  # screens draw math at sizes where hints change nothing visible
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def mathml_stylesheet(font: bytes) -> str:
    """The math stylesheet of native MathML: the math font, scaled to the text's x-height."""
    parsed = TTFont(io.BytesIO(font))
    x_height = parsed["OS/2"].sxHeight / parsed["head"].unitsPerEm
    return f"""@font-face {{
  font-family: "STIX Two Math";
  src: url("{FONT_URL}/{MATH_FONT_FILE}") format("woff2");
}}

math {{
  font-family: "STIX Two Math", math;
  font-size: {100 * TEXT_X_HEIGHT / x_height:.1f}%;
}}

/* \\underbrace and \\overbrace (see hooks/mathjax_render.cjs): a rounded border of the braced row. */
math .l2-underbrace {{
  padding-bottom: 0.25em;
  border-bottom: 0.07em solid;
  border-radius: 0 0 0.4em 0.4em / 0 0 0.3em 0.3em;
  margin-bottom: 0.1em;
}}

math .l2-overbrace {{
  padding-top: 0.25em;
  border-top: 0.07em solid;
  border-radius: 0.4em 0.4em 0 0 / 0.3em 0.3em 0 0;
  margin-top: 0.1em;
}}

.md-typeset div.arithmatex > math[display="block"] {{
  margin: 0.5em 0;
  padding: 0.1em 0;
}}
"""


def preload_fonts(page_html: str, files: list[str], page: str) -> str:
    """The page with a ``<link rel="preload">`` per font file, after its math stylesheet link.

    Preloads left by an earlier build of the page (``mkdocs serve``) are replaced. The font URLs
    are relative to the stylesheet link's own, so they hold at any depth and on file://.
    """
    page_html = _PRELOAD.sub("", page_html)
    link = _STYLESHEET_LINK.search(page_html)
    if link is None:
        raise PluginError(
            f"prerender_math: {page} has formulas but no link to {STYLESHEET}; keep it in "
            "extra_css in mkdocs.yml, or its math is drawn without its layout and fonts."
        )
    folder = f"{link.group(1)}{Path(STYLESHEET).parent.as_posix()}/{FONT_URL}"
    tags = "".join(
        f'<link rel="preload" href="{folder}/{name}" as="font" type="font/woff2" crossorigin>'
        for name in files
    )
    return page_html[: link.end()] + tags + page_html[link.end() :]


def typeset_all(
    formulas: list[Formula], cache_dir: Path, node_modules: Path
) -> tuple[dict[Formula, str], str, bytes, list[dict]]:
    """Typeset formulas, their stylesheet and font, and TeX errors; cached by :func:`cache_key`.

    Returns ``(MathML by formula, stylesheet, font bytes, errors)``; with errors, the stylesheet
    and the font are empty.
    """
    key = cache_key(formulas, node_modules)
    cached = cache_dir / f"{key}.json"
    if cached.is_file():
        stored = json.loads(cached.read_text(encoding="utf-8"))
        mathml, errors, css = stored["mathml"], stored["errors"], stored["css"]
        font = base64.b64decode(stored["font"])
    else:
        mathml, errors = run_mathjax(formulas)
        font, css = b"", ""
        if not errors:
            font = subset_math_font(node_modules / MATH_FONT_SOURCE, mathml_characters(mathml))
            css = mathml_stylesheet(font)
        cache_dir.mkdir(parents=True, exist_ok=True)
        # Only the latest set of formulas is worth keeping.
        for old in cache_dir.glob("*.json"):
            old.unlink()
        encoded = base64.b64encode(font).decode("ascii")
        stored = {"mathml": mathml, "errors": errors, "css": css, "font": encoded}
        temporary = cached.with_suffix(".tmp")
        temporary.write_text(json.dumps(stored), encoding="utf-8")
        temporary.replace(cached)
    return dict(zip(formulas, mathml, strict=True)), css, font, errors


def _pages(site_dir: Path) -> list[Path]:
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        if not relative.startswith(SKIP_DIRS):
            pages.append(path)
    return pages


def _error_report(errors: list[dict], formulas: list[Formula], where: dict[Formula, list[str]]) -> str:
    lines = []
    for error in errors:
        formula = formulas[error["index"]]
        pages = ", ".join(where[formula][:3])
        lines.append(f"  {error['message']}\n    in {formula.tex!r}\n    on {pages}")
    return "\n".join(lines)


def _read_from_disk(config: MkDocsConfig) -> bool:
    """Whether this is the copy of the site for file:// (Material's offline plugin is on)."""
    return any(name.endswith("offline") and plugin.config.enabled for name, plugin in config.plugins.items())


def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    root = Path(config.config_file_path).resolve().parent
    pages = {path: path.read_text(encoding="utf-8") for path in _pages(site_dir)}
    where: dict[Formula, list[str]] = {}
    on_page: list[Path] = []
    for path, text in pages.items():
        found = formulas_in(text)
        for formula in found:
            where.setdefault(formula, []).append(path.relative_to(site_dir).as_posix())
        if found:
            on_page.append(path)
    formulas = sorted(where)
    typeset, css, font, errors = typeset_all(formulas, root / CACHE_DIR, root / "node_modules")
    if errors:
        raise PluginError(
            f"prerender_math: {len(errors)} formula(s) MathJax cannot typeset:\n"
            + _error_report(errors, formulas, where)
        )
    # Read from disk, a page cannot preload fonts: browsers fetch fonts in CORS mode, which
    # file:// URLs refuse. The font is found by the stylesheet there, at disk speed.
    preload = not _read_from_disk(config)
    for path in on_page:
        text = replace_formulas(pages[path], typeset)
        if preload:
            text = preload_fonts(text, [MATH_FONT_FILE], path.relative_to(site_dir).as_posix())
        path.write_text(text, encoding="utf-8")
    stylesheet = site_dir / STYLESHEET
    stylesheet.parent.mkdir(parents=True, exist_ok=True)
    stylesheet.write_text(css, encoding="utf-8")
    font_file = stylesheet.parent / FONT_URL / MATH_FONT_FILE
    font_file.parent.mkdir(parents=True, exist_ok=True)
    font_file.write_bytes(font)
    log.info("prerender_math: %d formulas on %d pages typeset", len(formulas), len(on_page))

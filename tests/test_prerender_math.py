"""hooks/prerender_math.py: every formula typeset at build time as MathML, errors fail the build, cached."""

from __future__ import annotations

import html
import importlib.util
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from fontTools.ttLib import TTFont
from mkdocs.exceptions import PluginError
from site_helpers import REPO_ROOT

spec = importlib.util.spec_from_file_location("prerender_math", REPO_ROOT / "hooks" / "prerender_math.py")
prerender_math = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = prerender_math  # as MkDocs loads hooks; dataclasses need it
spec.loader.exec_module(prerender_math)
Formula = prerender_math.Formula

PAGE = """<html><head><link rel="stylesheet" href="assets/stylesheets/math.css"></head><body><article>
<p>The penalty <span class="arithmatex">\\(\\frac{\\lambda}{2m}\\|W\\|_F^2\\)</span> grows.</p>
<div class="arithmatex">\\[J = a &lt; b\\]</div>
<div class="arithmatex">\\begin{align}x &amp;= 1\\end{align}</div>
<pre><code>\\(not math\\)</code></pre>
</article></body></html>
"""


def _site(tmp_path: Path, pages: dict[str, str]) -> SimpleNamespace:
    """A built site under ``tmp_path`` with the repository's node_modules, and its config."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "node_modules").symlink_to(REPO_ROOT / "node_modules")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n")
    for name, text in pages.items():
        path = tmp_path / "site" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return SimpleNamespace(
        site_dir=str(tmp_path / "site"), config_file_path=str(tmp_path / "mkdocs.yml"), plugins={}
    )


def _font(site_dir: Path) -> Path:
    """Where the build writes the math font."""
    return site_dir / "assets" / "stylesheets" / prerender_math.FONT_URL / prerender_math.MATH_FONT_FILE


def test_formulas_are_read_as_mathjax_sees_them() -> None:
    assert prerender_math.formulas_in(PAGE) == [
        Formula(display=False, tex="\\frac{\\lambda}{2m}\\|W\\|_F^2"),
        Formula(display=True, tex="J = a < b"),  # HTML entities decoded
        Formula(display=True, tex="\\begin{align}x &= 1\\end{align}"),  # bare environment
    ]


def test_typeset_page_has_mathml_in_place_of_tex(tmp_path: Path) -> None:
    config = _site(tmp_path, {"index.html": PAGE, "sub/index.html": PAGE.replace("grows", "shrinks")})
    prerender_math.on_post_build(config)
    out = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    containers = re.findall(r'<(span|div) class="arithmatex"><math\b([^>]*)>', out)
    assert [tag for tag, _ in containers] == ["span", "div", "div"]
    # Display math is display math; inline math is not.
    assert ['display="block"' in attributes for _, attributes in containers] == [False, True, True]
    assert "\\(" not in out.split("<pre>")[0] and "\\[" not in out
    assert "<pre><code>\\(not math\\)</code></pre>" in out  # code is left alone
    # The formula keeps its TeX on the math element (for copying); inner nodes drop their copies.
    assert out.count('data-latex="\\frac{\\lambda}{2m}\\|W\\|_F^2"') == 1
    assert out.count("data-latex=") == 3
    assert "mjx-" not in out  # nothing of MathJax's own output, and no hidden copy
    css = (tmp_path / "site" / prerender_math.STYLESHEET).read_text(encoding="utf-8")
    assert f'url("{prerender_math.FONT_URL}/{prerender_math.MATH_FONT_FILE}")' in css
    assert _font(tmp_path / "site").is_file()


def test_mathml_is_what_mathml_core_draws() -> None:
    tex = [
        "\\mathbf{W} \\in \\mathbb{R}^n, \\mathcal{L}, \\mathrm{d}x",
        "\\hat y",
        "\\begin{aligned} x &= 1 \\\\ y &= 2 \\end{aligned}",
        "\\log p + \\sum_{i=1}^m a_i",
        "\\underbrace{a + b}_{\\text{two}}",
        "\\big( x \\big)",
    ]
    mathml, errors = prerender_math.run_mathjax([Formula(display=True, tex=t) for t in tex])
    assert errors == []
    styles, accent, table, spacing, brace, big = mathml
    # Core draws mathvariant="normal" only: the other styles are Unicode's own characters.
    assert "&#x1D416;" in styles and "&#x211D;" in styles and "&#x2112;" in styles  # bold W, R, script L
    assert re.findall(r'mathvariant="([^"]+)"', styles) == ["normal"]
    # Accents are marked as such, with the accent character math fonts place.
    assert '<mover accent="true"><mi>y</mi>' in accent and "&#x2C6;" in accent
    # Aligned equations: Core tables have no columnalign; each cell says how it aligns.
    cells = re.findall(r'<mtd style="text-align: (\w+);', table)
    assert cells == ["right", "left", "right", "left"] and "columnalign" not in table
    # TeX's spacing, explicit: a thin space after log, none around = in a subscript.
    assert '<mi>log</mi><mo lspace="0" rspace="0.167em">&#x2061;</mo>' in spacing
    assert '<mi>i</mi><mo lspace="0" rspace="0">=</mo>' in spacing
    # A brace under a row is the row's border, as wide as the row; the label stays under it.
    assert '<munder><mrow class="l2-underbrace">' in brace and "&#x23DF;" not in brace
    assert big.count('style="font-size: 120%"') == 2 and "minsize" not in big
    assert "<mrow><mi>x</mi></mrow>" not in big  # one-child rows are left out


def test_font_is_cut_down_to_the_characters_drawn(tmp_path: Path) -> None:
    config = _site(tmp_path, {"index.html": PAGE})
    prerender_math.on_post_build(config)
    subset_file = _font(tmp_path / "site")
    original = REPO_ROOT / "node_modules" / prerender_math.MATH_FONT_SOURCE
    assert subset_file.stat().st_size < original.stat().st_size / 10
    font = TTFont(subset_file)
    assert "MATH" in font  # what browsers lay math out with: script shifts, fraction gaps, sizes
    cmap = set(font.getBestCmap())
    assert cmap <= set(TTFont(original).getBestCmap())  # nothing invented
    typeset = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    drawn = {
        ord(c)
        for math in re.findall(r"<math.*?</math>", typeset, re.S)
        for c in html.unescape(prerender_math._TAG.sub("", math))
    }
    # λ is written as λ and drawn as the mathematical italic λ (a one-letter mi is italic).
    drawn.add(ord("\N{MATHEMATICAL ITALIC SMALL LAMDA}"))
    missing = sorted(chr(c) for c in drawn - cmap)
    assert not missing, f"characters drawn but not in the font: {missing}"


def _page(math: str, stylesheet: str = "assets/stylesheets/math.css") -> str:
    return f'<html><head><link rel="stylesheet" href="{stylesheet}"></head><body><p>{math}</p></body></html>'


def _preloads(path: Path) -> list[str]:
    preload = r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>'
    return re.findall(preload, path.read_text())


def test_each_page_with_math_preloads_the_math_font(tmp_path: Path) -> None:
    pages = {
        "index.html": _page('<span class="arithmatex">\\(x\\)</span>'),
        "sum/index.html": _page(
            '<div class="arithmatex">\\[\\sum_i x_i\\]</div>', "../assets/stylesheets/math.css"
        ),
        "plain/index.html": _page("no math", "../assets/stylesheets/math.css"),
    }
    config = _site(tmp_path, pages)
    prerender_math.on_post_build(config)
    site = tmp_path / "site"
    font = f"assets/stylesheets/{prerender_math.FONT_URL}/{prerender_math.MATH_FONT_FILE}"
    assert _preloads(site / "index.html") == [font]
    assert _preloads(site / "sum" / "index.html") == ["../" + font]  # relative to the page
    assert (site / "sum" / ("../" + font)).resolve().is_file()
    assert _preloads(site / "plain" / "index.html") == []
    # The preload follows the stylesheet link; a second build (mkdocs serve) replaces it.
    first = (site / "index.html").read_text()
    assert first.index('href="assets/stylesheets/math.css"') < first.index('rel="preload"')
    prerender_math.on_post_build(config)
    assert (site / "index.html").read_text() == first


def test_page_with_math_but_no_math_stylesheet_fails_the_build(tmp_path: Path) -> None:
    config = _site(tmp_path, {"bare/index.html": _page('<span class="arithmatex">\\(x\\)</span>', "x.css")})
    with pytest.raises(
        PluginError, match=r"bare/index\.html has formulas but no link to assets/stylesheets/math\.css"
    ):
        prerender_math.on_post_build(config)


def test_copy_read_from_disk_preloads_nothing(tmp_path: Path) -> None:
    config = _site(tmp_path, {"index.html": _page('<span class="arithmatex">\\(x\\)</span>')})
    config.plugins = {"material/offline": SimpleNamespace(config=SimpleNamespace(enabled=True))}
    prerender_math.on_post_build(config)
    page = (tmp_path / "site" / "index.html").read_text()
    assert "<math" in page and not _preloads(tmp_path / "site" / "index.html")


def test_a_tex_error_fails_the_build_with_page_and_formula(tmp_path: Path) -> None:
    bad = PAGE.replace("J = a &lt; b", "J = \\lambdaa")
    config = _site(tmp_path, {"chapter/index.html": bad})
    with pytest.raises(PluginError) as raised:
        prerender_math.on_post_build(config)
    message = str(raised.value)
    assert "Undefined control sequence \\lambdaa" in message
    assert "J = \\\\lambdaa" in message and "chapter/index.html" in message
    # Nothing half-written: the page still holds its TeX.
    assert (tmp_path / "site" / "chapter" / "index.html").read_text(encoding="utf-8") == bad


def test_second_build_uses_the_cache_and_gives_the_same_bytes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    config = _site(tmp_path, {"index.html": PAGE})
    prerender_math.on_post_build(config)
    first = (tmp_path / "site" / "index.html").read_bytes()
    first_css = (tmp_path / "site" / prerender_math.STYLESHEET).read_bytes()

    def no_node(formulas):  # type: ignore[no-untyped-def]
        raise AssertionError("Node started although no formula changed")

    monkeypatch.setattr(prerender_math, "run_mathjax", no_node)
    (tmp_path / "site" / "index.html").write_text(PAGE, encoding="utf-8")  # a fresh build
    prerender_math.on_post_build(config)
    assert (tmp_path / "site" / "index.html").read_bytes() == first
    assert (tmp_path / "site" / prerender_math.STYLESHEET).read_bytes() == first_css

    (tmp_path / "site" / "index.html").write_text(PAGE.replace("a &lt; b", "a &gt; b"), encoding="utf-8")
    with pytest.raises(AssertionError, match="Node started"):
        prerender_math.on_post_build(config)  # a changed formula is typeset again


def test_pages_typeset_by_an_earlier_build_keep_their_characters(tmp_path: Path) -> None:
    # mkdocs serve --dirty rewrites only the pages that changed; the font is written anew.
    config = _site(tmp_path, {"old.html": PAGE})
    prerender_math.on_post_build(config)
    old = (tmp_path / "site" / "old.html").read_text(encoding="utf-8")
    assert prerender_math.formulas_in(old) == prerender_math.formulas_in(PAGE)
    new_page = _page('<span class="arithmatex">\\(\\sigma(z)\\)</span>')
    (tmp_path / "site" / "new.html").write_text(new_page, encoding="utf-8")
    prerender_math.on_post_build(config)
    cmap = TTFont(_font(tmp_path / "site")).getBestCmap()
    assert 0x1D706 in cmap and 0x1D70E in cmap  # italic λ of the old page, σ of the new one
    assert (tmp_path / "site" / "old.html").read_text(encoding="utf-8") == old


def test_output_does_not_depend_on_page_order(tmp_path: Path) -> None:
    other = _page('<span class="arithmatex">\\(\\sigma(z)\\)</span>')
    one = _site(tmp_path / "one", {"a.html": PAGE, "b.html": other})
    two = _site(tmp_path / "two", {"a.html": other, "b.html": PAGE})
    prerender_math.on_post_build(one)
    prerender_math.on_post_build(two)
    css = [(Path(c.site_dir) / prerender_math.STYLESHEET).read_bytes() for c in (one, two)]
    assert css[0] == css[1]
    assert _font(Path(one.site_dir)).read_bytes() == _font(Path(two.site_dir)).read_bytes()
    assert (tmp_path / "one/site/a.html").read_bytes() == (tmp_path / "two/site/b.html").read_bytes()


def test_missing_mathjax_package_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match=r"'mathjax' not found .*Run `npm ci`"):
        prerender_math.cache_key([Formula(False, "x")], tmp_path / "node_modules")

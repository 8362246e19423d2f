"""hooks/prerender_math.py: every formula typeset at build time, errors fail the build, cached."""

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


def test_formulas_are_read_as_mathjax_sees_them() -> None:
    assert prerender_math.formulas_in(PAGE) == [
        Formula(display=False, tex="\\frac{\\lambda}{2m}\\|W\\|_F^2"),
        Formula(display=True, tex="J = a < b"),  # HTML entities decoded
        Formula(display=True, tex="\\begin{align}x &= 1\\end{align}"),  # bare environment
    ]


def test_typeset_page_has_mathjax_output_in_place_of_tex(tmp_path: Path) -> None:
    config = _site(tmp_path, {"index.html": PAGE, "sub/index.html": PAGE.replace("grows", "shrinks")})
    prerender_math.on_post_build(config)
    out = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    containers = re.findall(r'<(span|div) class="arithmatex"><mjx-container[^>]*jax="CHTML"', out)
    assert containers == ["span", "div", "div"]
    assert 'display="true"' in out  # display math is display math
    assert out.count("<mjx-assistive-mml") == 3  # the MathML copy screen readers read
    assert "\\(" not in out.split("<pre>")[0] and "\\[" not in out
    assert "<pre><code>\\(not math\\)</code></pre>" in out  # code is left alone
    # Inner nodes drop their copy of the TeX; the formula keeps one for copying.
    assert out.count('data-latex="\\frac{\\lambda}{2m}\\|W\\|_F^2"') == 2  # mjx-math and math
    css = (tmp_path / "site" / prerender_math.STYLESHEET).read_text(encoding="utf-8")
    assert "mjx-container" in css and "mjx-c1D706" in css  # layout rules and the glyph of λ
    fonts = re.findall(r'url\("([^"]+\.woff2)"\)', css)
    assert fonts and all(f.startswith(prerender_math.FONT_URL + "/") for f in fonts)
    for url in fonts:  # every font the stylesheet names is in the site, next to it
        assert (tmp_path / "site" / "assets" / "stylesheets" / url).is_file(), url


def test_fonts_are_cut_down_to_the_characters_drawn(tmp_path: Path) -> None:
    config = _site(tmp_path, {"index.html": PAGE})
    prerender_math.on_post_build(config)
    font_dir = tmp_path / "site" / "assets" / "stylesheets" / prerender_math.FONT_URL
    originals = REPO_ROOT / "node_modules" / prerender_math.FONT_FILES
    covered: set[int] = set()
    in_originals: set[int] = set()
    for subset_file in sorted(font_dir.glob("*.woff2")):
        original = originals / subset_file.name
        assert subset_file.stat().st_size < original.stat().st_size
        cmap = set(TTFont(subset_file).getBestCmap() or {})
        original_cmap = set(TTFont(original).getBestCmap() or {})
        assert cmap <= original_cmap  # nothing invented
        covered |= cmap
        in_originals |= original_cmap
    assert len(TTFont(font_dir / "mjx-tex-n.woff2").getBestCmap()) < 40  # the full face has hundreds
    typeset = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    drawn = {
        ord(c)
        for math in re.findall(r"<mjx-math.*?</mjx-math>", typeset, re.S)
        for c in html.unescape(prerender_math._TAG.sub("", math))
    }
    assert ord("\N{MATHEMATICAL ITALIC SMALL LAMDA}") in drawn  # λ of the sample page
    missing = sorted(chr(c) for c in (drawn & in_originals) - covered)
    assert not missing, f"characters drawn but in no font subset: {missing}"


def _page(math: str, stylesheet: str = "assets/stylesheets/math.css") -> str:
    return f'<html><head><link rel="stylesheet" href="{stylesheet}"></head><body><p>{math}</p></body></html>'


def _preloads(path: Path) -> list[str]:
    preload = r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>'
    return re.findall(preload, path.read_text())


def test_each_page_preloads_the_fonts_its_formulas_draw(tmp_path: Path) -> None:
    pages = {
        "index.html": _page('<span class="arithmatex">\\(x\\)</span>'),
        "sum/index.html": _page(
            '<div class="arithmatex">\\[\\sum_i x_i\\]</div>', "../assets/stylesheets/math.css"
        ),
    }
    config = _site(tmp_path, pages)
    prerender_math.on_post_build(config)
    site = tmp_path / "site"
    fonts = "assets/stylesheets/math-fonts/"
    # x: the upright face's stand-in for spaces (listed first, so always fetched), then the face.
    assert _preloads(site / "index.html") == [fonts + "mjx-tex-n.woff2", fonts + "mjx-tex-zero.woff2"]
    # A displayed sum is drawn from the large-operator face; URLs follow the stylesheet link.
    in_sum = _preloads(site / "sum" / "index.html")
    assert "../" + fonts + "mjx-tex-lo.woff2" in in_sum and "../" + fonts + "mjx-tex-n.woff2" in in_sum
    for href in in_sum:
        assert (site / "sum" / href).resolve().is_file(), href
    # The preloads follow the stylesheet link; a second build (mkdocs serve) replaces them.
    first = (site / "index.html").read_text()
    assert first.index('href="assets/stylesheets/math.css"') < first.index('rel="preload"')
    prerender_math.on_post_build(config)
    assert (site / "index.html").read_text() == first


def test_fonts_drawn_go_down_the_family_list_until_a_font_has_the_character() -> None:
    fonts = prerender_math.FontMap(
        faces={"SPACES": "spaces.woff2", "LETTERS": "letters.woff2", "BREAKS": "breaks.woff2"},
        by_class={"T": ("SPACES", "LETTERS", "serif")},
        line_breaks=("BREAKS",),
        coverage={
            "spaces.woff2": frozenset({32}),
            "letters.woff2": frozenset({ord("x")}),
            "breaks.woff2": frozenset({32}),
        },
    )
    drawn = prerender_math.fonts_drawn
    assert drawn(['<mjx-math class="T"><mjx-c> </mjx-c></mjx-math>'], fonts) == ["spaces.woff2"]
    assert drawn(['<mjx-math class="T"><mjx-c>x</mjx-c></mjx-math>'], fonts) == [
        "letters.woff2",
        "spaces.woff2",
    ]
    # A character no web font has is fetched through the whole list, then left to the system.
    assert drawn(['<mjx-math class="T"><mjx-c>y</mjx-c></mjx-math>'], fonts) == [
        "letters.woff2",
        "spaces.woff2",
    ]
    assert drawn(['<mjx-math class="T"><mjx-break size="3"> </mjx-break></mjx-math>'], fonts) == [
        "breaks.woff2"
    ]
    # The hidden MathML copy and text outside a font class are drawn in the page's own font.
    hidden = "<mjx-container><mjx-assistive-mml><math><mi>x</mi></math></mjx-assistive-mml></mjx-container>"
    assert drawn([hidden, "<mjx-c>x</mjx-c>"], fonts) == []


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
    assert "<mjx-container" in page and not _preloads(tmp_path / "site" / "index.html")


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

    def no_node(formulas, output="chtml"):  # type: ignore[no-untyped-def]
        raise AssertionError("Node started although no formula changed")

    monkeypatch.setattr(prerender_math, "run_mathjax", no_node)
    (tmp_path / "site" / "index.html").write_text(PAGE, encoding="utf-8")  # a fresh build
    prerender_math.on_post_build(config)
    assert (tmp_path / "site" / "index.html").read_bytes() == first
    assert (tmp_path / "site" / prerender_math.STYLESHEET).read_bytes() == first_css

    (tmp_path / "site" / "index.html").write_text(PAGE.replace("a &lt; b", "a &gt; b"), encoding="utf-8")
    with pytest.raises(AssertionError, match="Node started"):
        prerender_math.on_post_build(config)  # a changed formula is typeset again


def test_pages_typeset_by_an_earlier_build_keep_their_glyphs(tmp_path: Path) -> None:
    # mkdocs serve --dirty rewrites only the pages that changed; the stylesheet is written anew.
    config = _site(tmp_path, {"old.html": PAGE})
    prerender_math.on_post_build(config)
    old = (tmp_path / "site" / "old.html").read_text(encoding="utf-8")
    assert prerender_math.formulas_in(old) == prerender_math.formulas_in(PAGE)
    new_page = _page('<span class="arithmatex">\\(\\sigma(z)\\)</span>')
    (tmp_path / "site" / "new.html").write_text(new_page, encoding="utf-8")
    prerender_math.on_post_build(config)
    css = (tmp_path / "site" / prerender_math.STYLESHEET).read_text(encoding="utf-8")
    assert "mjx-c1D706" in css and "mjx-c1D70E" in css  # λ of the old page, σ of the new one
    assert (tmp_path / "site" / "old.html").read_text(encoding="utf-8") == old


def test_output_does_not_depend_on_page_order(tmp_path: Path) -> None:
    other = _page('<span class="arithmatex">\\(\\sigma(z)\\)</span>')
    one = _site(tmp_path / "one", {"a.html": PAGE, "b.html": other})
    two = _site(tmp_path / "two", {"a.html": other, "b.html": PAGE})
    prerender_math.on_post_build(one)
    prerender_math.on_post_build(two)
    css = [(Path(c.site_dir) / prerender_math.STYLESHEET).read_bytes() for c in (one, two)]
    assert css[0] == css[1]
    assert (tmp_path / "one/site/a.html").read_bytes() == (tmp_path / "two/site/b.html").read_bytes()


def test_missing_mathjax_package_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match=r"'mathjax' not found .*Run `npm ci`"):
        prerender_math.cache_key([Formula(False, "x")], tmp_path / "node_modules")

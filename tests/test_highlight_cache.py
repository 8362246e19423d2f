"""The code excerpts' highlighting cache and the plain copies the search index reads."""

from __future__ import annotations

import json

import pygments
import pytest
from material.plugins.search.plugin import Parser
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from l2book.mkdocs_plugin.highlight_cache import HighlightCache, entry_key
from l2book.mkdocs_plugin.plain_code import PlainCode

SOURCE = 'w = np.zeros((3, 2))  # "weights" < 1\n'


class CountingHighlight:
    """pygments.highlight, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, src, lexer, formatter):  # type: ignore[no-untyped-def]
        self.calls += 1
        return pygments.highlight(src, lexer, formatter)


def test_a_registered_excerpt_is_highlighted_once_across_builds(tmp_path):
    path = tmp_path / "highlight.json"
    original = CountingHighlight()
    expected = pygments.highlight(SOURCE, PythonLexer(), HtmlFormatter(wrapcode=True))

    first = HighlightCache(path)
    first.begin()
    first.register(SOURCE)
    assert first.highlight(original, SOURCE, PythonLexer(), HtmlFormatter(wrapcode=True)) == expected
    first.save()
    assert original.calls == 1

    # The next build (a new process): the stored HTML, no Pygments run.
    second = HighlightCache(path)
    second.begin()
    second.register(SOURCE)
    assert second.highlight(original, SOURCE, PythonLexer(), HtmlFormatter(wrapcode=True)) == expected
    assert original.calls == 1 and second.hits == 1


def test_unregistered_code_and_other_options_are_highlighted_as_usual(tmp_path):
    original = CountingHighlight()
    cache = HighlightCache(tmp_path / "highlight.json")
    cache.begin()
    cache.highlight(original, SOURCE, PythonLexer(), HtmlFormatter())
    assert original.calls == 1 and cache.hits == 0  # not an excerpt: never stored
    cache.save()
    assert not (tmp_path / "highlight.json").exists()

    # Every option Pygments' output depends on is part of the key.
    base = entry_key(SOURCE, PythonLexer(), HtmlFormatter(wrapcode=True))
    assert base == entry_key(SOURCE, PythonLexer(), HtmlFormatter(wrapcode=True))
    assert base != entry_key(SOURCE, PythonLexer(), HtmlFormatter(wrapcode=True, linenos="inline"))
    assert base != entry_key(SOURCE, PythonLexer(stripnl=False), HtmlFormatter(wrapcode=True))
    assert base != entry_key(SOURCE + "x = 1\n", PythonLexer(), HtmlFormatter(wrapcode=True))


def test_only_the_entries_a_build_used_are_kept(tmp_path):
    path = tmp_path / "highlight.json"
    original = CountingHighlight()
    cache = HighlightCache(path)
    for sources in (["a = 1\n", "b = 2\n"], ["b = 2\n"]):
        cache.begin()
        for source in sources:
            cache.register(source)
            cache.highlight(original, source, PythonLexer(), HtmlFormatter())
        cache.save()
    stored = json.loads(path.read_text("utf-8"))
    assert len(stored) == 1 and "b" in next(iter(stored.values()))


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"key": 3}'])
def test_a_damaged_cache_file_is_ignored(tmp_path, text):
    path = tmp_path / "highlight.json"
    path.write_text(text, "utf-8")
    original = CountingHighlight()
    cache = HighlightCache(path)
    cache.begin()
    cache.register(SOURCE)
    cache.highlight(original, SOURCE, PythonLexer(), HtmlFormatter())
    assert original.calls == 1


def _block(source: str) -> str:
    code = pygments.highlight(source, PythonLexer(), HtmlFormatter(wrapcode=True)).strip()
    return code.replace('<div class="highlight">', '<div class="language-python highlight">', 1)


def _indexed(html: str) -> list[tuple[str, str]]:
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [("".join(s.title), "".join(s.text)) for s in parser.data]


def test_search_reads_the_same_text_from_the_plain_copy_and_the_page_gets_its_markup_back():
    other = "print('not an excerpt')\n"
    page = f"<h2 id='fit'>Fit</h2><p>Before</p>{_block(SOURCE)}<p>Between</p>{_block(other)}"
    page += _block(SOURCE)  # the same excerpt twice on one page
    swapper = PlainCode()
    plain = swapper.swap_out("chapter/", page, {SOURCE.strip()})

    assert plain.count('<span class="n">') == _block(other).count('<span class="n">')
    assert _block(other) in plain  # code the plugin did not insert is left as it is
    assert _indexed(plain) == _indexed(page)
    assert "# \"weights\" &lt; 1" in plain  # the text as the markup escaped it

    assert swapper.swap_back("chapter/", plain) == page
    assert swapper.swap_back("chapter/", plain) == plain  # each page's blocks are restored once


def test_a_page_swapped_again_forgets_what_an_interrupted_build_left():
    swapper = PlainCode()
    plain = swapper.swap_out("chapter/", _block(SOURCE), {SOURCE.strip()})
    # That build stopped before swap_back; the page no longer has the excerpt, but has the same
    # code as a block of its own, already plain: it must stay as it is.
    swapper.swap_out("chapter/", "<p>Now without it</p>", {SOURCE.strip()})
    assert swapper.swap_back("chapter/", plain) == plain

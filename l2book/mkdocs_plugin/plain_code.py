"""Show the search index the code excerpts as plain text, and the reader the highlighted code.

Material's search plugin parses each page's HTML tag by tag to index its text. The Pygments
markup of the excerpts the plugin inserts (one ``<span>`` per token, some 10 000 in the book) made
up most of the tags it parsed and doubled the time the index took. The index keeps the text only,
and the spans add none, so: just before the search plugin reads a page, each excerpt's
highlighted block is swapped for the same block with the tags inside ``<code>`` removed (the
text, escaped as before, is unchanged), and right after it the highlighted block is put back.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Collection

__all__ = ["PlainCode"]

_BLOCK = re.compile(
    r'(<div class="(?:[^"]*\s)?highlight(?:\s[^"]*)?"><pre>(?:<span></span>)?<code>)'
    r"(.*?)(</code></pre></div>)",
    re.DOTALL,
)
_TAG = re.compile(r"<[^>]*>")


class PlainCode:
    """The highlighted blocks swapped out of pages, to be swapped back (see the module docstring)."""

    def __init__(self) -> None:
        self._swapped: dict[str, list[tuple[str, str]]] = {}

    def swap_out(self, page_key: str, content: str, sources: Collection[str]) -> str:
        """``content`` with the blocks whose code is one of ``sources`` as plain text.

        ``sources`` are the excerpts' code, without leading and trailing newlines.
        """
        swapped: list[tuple[str, str]] = []

        def plain(match: re.Match[str]) -> str:
            text = _TAG.sub("", match.group(2))
            if htmllib.unescape(text).strip("\n") not in sources:
                return match.group(0)
            block = match.group(1) + text + match.group(3)
            swapped.append((block, match.group(0)))
            return block

        result = _BLOCK.sub(plain, content)
        # Replaces whatever an interrupted build of this page left behind.
        self._swapped[page_key] = swapped
        return result

    def swap_back(self, page_key: str, content: str) -> str:
        """``content`` with the blocks :meth:`swap_out` took from this page highlighted again."""
        for block, highlighted in self._swapped.pop(page_key, []):
            content = content.replace(block, highlighted, 1)
        return content

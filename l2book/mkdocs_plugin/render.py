"""HTML and Markdown for the references of a page, from an example's published outputs.

Inline references (``value``, ``claim``) produce text or inline HTML, so they work inside
paragraphs, lists, admonitions and math. Block references (``figure``, ``example``) produce one
line of raw HTML and ``code`` a fenced code block; they go on a line of their own.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.utils import get_relative_url

from l2book.examples._registry import Example
from l2book.mkdocs_plugin.references import Reference, ReferenceError
from l2book.pipeline import notebook as nbconv
from l2book.publish import format_value

__all__ = ["Provenance", "Published", "Renderer"]


@dataclass(frozen=True)
class Provenance:
    """Where an example's outputs come from; the run time is filled in by ``provenance.js``."""

    sources_hash: str
    seed: Any
    seconds: float
    cached: bool

    def html(self, name: str, link: str | None = None) -> str:
        label = f'<a href="{html.escape(link)}">{html.escape(name)}</a>' if link else html.escape(
            name
        )
        parts = [f"Computed by {label}", f"l2book source {html.escape(self.sources_hash[:10])}"]
        if self.seed is not None:
            parts.append(f"seed {html.escape(format_value(self.seed))}")
        # Run time and cache status change from build to build: they live in provenance.js so
        # that pages stay byte-identical between builds.
        return (
            '<span class="l2book-provenance">'
            + " · ".join(parts)
            + f' <span data-l2book-run="{html.escape(name)}"></span></span>'
        )

    def status(self) -> str:
        return f"{'cached' if self.cached else 'fresh'}, ran in {self.seconds:.1f} s"


@dataclass
class Published:
    """What a page can reference of one example."""

    example: Example
    outputs: dict[str, Any]
    provenance: Provenance
    notebook_uri: str
    py_uri: str
    figure_uris: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    """Under ``mkdocs serve``: why the example failed (its references then show this)."""
    figure_sizes: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Width and height in CSS pixels of each figure (see :func:`svg_size`)."""
    book_uri: str | None = None
    """The values the build glued, formatted, for the browser runner to compare with."""


SVG_ROOT = re.compile(r'<svg\b(?:[^>"\']|"[^"]*"|\'[^\']*\')*>')
"""An SVG's root element, up to its ">" outside quotes: XML allows a bare ">" in an attribute
value, and alt texts say "λ > 0"."""
_LENGTH = re.compile(r'\b(width|height)="([0-9.]+)(pt|px)?"')
_PX_PER_UNIT = {"pt": 4 / 3, "px": 1.0, "": 1.0}


def svg_size(svg: Path) -> tuple[int, int] | None:
    """``(width, height)`` in CSS pixels from the root element of an SVG file, if it states them.

    Given to the ``<img>`` so that the browser reserves the figure's space before the file
    arrives (no layout shift while a page loads); the stylesheet scales it to the column.
    """
    with svg.open("r", encoding="utf-8", errors="replace") as handle:
        head = handle.read(4096)
    root = SVG_ROOT.search(head)
    if root is None:
        return None
    lengths = {
        name: float(value) * _PX_PER_UNIT[unit] for name, value, unit in _LENGTH.findall(root.group(0))
    }
    if "width" not in lengths or "height" not in lengths:
        return None
    return round(lengths["width"]), round(lengths["height"])


# Every figure loads as it comes near the viewport and is decoded off the main thread. Chromium
# builds an SVG image's document on the main thread as soon as its file arrives, whether or not it
# is on screen: 100-250 ms of a throttled phone's load on a page with a dense figure, and no
# figure is in a phone's first screen (benchmarks/README.md, "Figures").
LAZY = ' loading="lazy" decoding="async"'


def size_attributes(size: tuple[int, int] | None) -> str:
    """`` width="W" height="H"`` for an ``<img>`` of that size, or nothing if it is unknown."""
    return f' width="{size[0]}" height="{size[1]}"' if size else ""


def _close(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=3, cutoff=0.5)
    if close:
        return f"; did you mean {' or '.join(repr(c) for c in close)}?"
    return f"; it has: {', '.join(known)}" if known else "; it has none"


class Renderer:
    """Renders the references of one page.

    Parameters
    ----------
    published : dict of str to Published
    page_url : str
        URL of the page being rendered (relative links are computed from it).
    urls : callable
        ``urls(src_uri) -> (url, dest_uri)`` of a file of the site, after all plugins' on_files.
    markdown : callable
        Converts a short Markdown string (a caption) to inline HTML with the site's extensions.
    run_command : callable
        ``run_command(example)``: the shell commands that run an example, shown to readers.
    browser_runs : bool, default False
        Give each example box the place where runner.js offers to run it in the browser.
    """

    def __init__(
        self,
        published: dict[str, Published],
        page_url: str,
        urls: Callable[[str], tuple[str, str]],
        markdown: Callable[[str], str],
        run_command: Callable[[Example], list[str]],
        browser_runs: bool = False,
    ) -> None:
        self.published = published
        self.browser_runs = browser_runs
        self.page_url = page_url
        self.urls = urls
        self.markdown = markdown
        self.run_command = run_command
        self._anchors: dict[str, int] = {}

    def __call__(self, reference: Reference) -> str:
        return getattr(self, f"_{reference.func}")(**reference.arguments)

    # -- helpers -------------------------------------------------------------------------------
    def _unique(self, anchor: str) -> str:
        """``anchor``, or ``anchor-2``, ``anchor-3``... when the page already uses it."""
        count = self._anchors.get(anchor, 0) + 1
        self._anchors[anchor] = count
        return anchor if count == 1 else f"{anchor}-{count}"

    def _get(self, example: str, *, allow_failed: bool = False) -> Published:
        if example not in self.published:
            known = sorted(self.published)
            raise ReferenceError(f"unknown example {example!r}{_close(example, known)}")
        found = self.published[example]
        if found.error and not allow_failed:
            raise ReferenceError(f"example {example!r} failed: {found.error}")
        return found

    def _relative(self, src_uri: str) -> str:
        url, _ = self.urls(src_uri)
        return get_relative_url(url, self.page_url)

    def notebook_links(self, found: Published) -> tuple[str, str, str]:
        """Relative URLs of (notebook page, .ipynb download, .py download)."""
        page_url, dest_uri = self.urls(found.notebook_uri)
        ipynb = dest_uri.rsplit("/", 1)[0] + f"/{found.example.name}.ipynb"
        if "/" not in dest_uri:
            ipynb = f"{found.example.name}.ipynb"
        return (
            get_relative_url(page_url, self.page_url),
            get_relative_url(ipynb, self.page_url),
            self._relative(found.py_uri),
        )

    def runner(self, found: Published) -> str:
        """Where a reader runs the example in the browser: an empty box that runner.js fills.

        Kept to a few bytes, since a page may hold many: runner.js finds the example's script
        and the build's values in ``data-files`` (``NAME.py``, ``NAME.book.json``), and writes
        either the Run button or, where Python cannot start (file://), how to run the example.
        """
        if not self.browser_runs:
            return ""
        folder = self._relative(found.py_uri).rsplit("/", 1)
        files = folder[0] + "/" if len(folder) == 2 else ""
        return (
            f'<div class="l2book-run" data-example="{html.escape(found.example.name)}" '
            f'data-files="{html.escape(files)}"></div>'
        )

    # -- the reference functions ---------------------------------------------------------------
    def _value(self, example: str, key: str, spec: str | None = None) -> str:
        found = self._get(example)
        values = found.outputs.get("values", {})
        if key not in values:
            raise ReferenceError(
                f"example {example!r} glues no value {key!r}{_close(key, sorted(values))}"
            )
        try:
            text = format_value(values[key], spec)
        except (ValueError, TypeError) as error:
            raise ReferenceError(
                f"format spec {spec!r} does not apply to {key} = {values[key]!r}: {error}"
            ) from error
        return html.escape(text, quote=False)

    def _figure(
        self, example: str, name: str, alt: str | None = None, caption: str | None = None
    ) -> str:
        found = self._get(example)
        figures = found.outputs.get("figures", {})
        if name not in figures:
            raise ReferenceError(
                f"example {example!r} publishes no figure {name!r}{_close(name, sorted(figures))}"
            )
        record = figures[name]
        alt = record["alt"] if alt is None else alt
        caption = record["caption"] if caption is None else caption
        page, _, _ = self.notebook_links(found)
        caption_html = self.markdown(caption) if caption else ""
        anchor = self._unique(f"fig-{example}-{name}".replace("_", "-"))
        dimensions = size_attributes(found.figure_sizes.get(name))
        return (
            f'<figure class="l2book-figure" id="{anchor}">'
            f'<img src="{html.escape(self._relative(found.figure_uris[name]))}" '
            f'alt="{html.escape(alt)}"{dimensions}{LAZY}>'
            f"<figcaption>{caption_html}{' ' if caption_html else ''}"
            f"{found.provenance.html(example, page)}</figcaption></figure>"
        )

    def _code(self, example: str, tag: str) -> str:
        found = self._get(example, allow_failed=True)
        source = nbconv.code_for_tag(found.example, tag)
        if source is None:
            known = sorted(nbconv.tags(found.example))
            raise ReferenceError(
                f"example {example!r} has no cell tagged {tag!r}{_close(tag, known)} "
                f'(tag a cell with # %% tags=["{tag}"])'
            )
        longest = max((len(m) for m in re.findall(r"`+", source)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}python\n{source}\n{fence}"

    def _example(self, example: str) -> str:
        found = self._get(example, allow_failed=True)
        info = found.example
        page, ipynb, py = self.notebook_links(found)
        commands = "\n".join(html.escape(c) for c in self.run_command(info))
        return (
            f'<div class="l2book-example" id="{self._unique("example-" + info.name.replace("_", "-"))}">'
            f'<p class="l2book-example-title"><strong>Example <code>{info.name}</code>: '
            f"{html.escape(info.title)}</strong></p>"
            f"<p>{html.escape(info.summary)}</p>"
            f"<p>Run it yourself, three ways with the same output:</p>"
            f"<pre><code>{commands}</code></pre>"
            f'<p><a href="{html.escape(page)}">Open as a notebook page</a> · '
            f'<a href="{html.escape(ipynb)}" download>download the notebook (.ipynb)</a> · '
            f'<a href="{html.escape(py)}" download>download the script (.py)</a></p>'
            f"{self.runner(found)}"
            f"<p>{found.provenance.html(example, page)}</p></div>"
        )

    def _claim(self, example: str, key: str) -> str:
        found = self._get(example, allow_failed=True)
        claims = found.outputs.get("claims", {})
        if key not in claims:
            if found.error:
                raise ReferenceError(f"example {example!r} failed: {found.error}")
            raise ReferenceError(
                f"example {example!r} makes no claim {key!r}{_close(key, sorted(claims))}"
            )
        record = claims[key]
        values = ", ".join(
            f"{html.escape(name)} = {html.escape(format_value(value))}"
            for name, value in record["values"].items()
        )
        holds = bool(record["holds"])
        mark, state = ("✓", "checked") if holds else ("✗", "FALSE")
        return (
            f'<span class="l2book-claim l2book-claim--{"ok" if holds else "false"}" '
            f'title="Checked by example {html.escape(example)} when the book was built">'
            f'<span class="l2book-claim-mark" aria-hidden="true">{mark}</span> '
            f'<span class="l2book-visually-hidden">Claim {state}: </span>'
            f"{record['sentence']}"
            + (f' <span class="l2book-claim-values">({values})</span>' if values else "")
            + "</span>"
        )


def error_html(message: str) -> str:
    """An inline error shown in place of a reference under ``mkdocs serve``."""
    return (
        '<span class="l2book-error" role="alert"><strong>l2book:</strong> '
        f"{html.escape(message, quote=False)}</span>"
    )

"""Post-processing of the notebook pages rendered by mkdocs-jupyter.

mkdocs-jupyter inlines JupyterLab's stylesheet (~600 KB) into every notebook page and adds script
tags for MathJax and Mermaid that point at a CDN. Here the styles move to one shared file, the
external scripts go (the site typesets math itself), and math in Markdown cells is marked up the
way pymdownx.arithmatex marks it, so it is typeset like the math of any other page.
"""

from __future__ import annotations

import base64
import binascii
import html as htmllib
import re

from l2book.mkdocs_plugin.render import LAZY, SVG_ROOT, size_attributes

__all__ = [
    "extract_styles",
    "footer",
    "classes_used",
    "insert_after_title",
    "link_figures",
    "prune_css",
    "prune_variables",
    "remove_external_scripts",
    "run_box",
    "typeset_math",
]

_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->\s*", re.DOTALL)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>\s*", re.DOTALL | re.IGNORECASE)
_MARKDOWN_CELL = re.compile(
    r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.DOTALL
)
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$(?!\$)", re.DOTALL)
_TAG = re.compile(r"(<[^>]+>)")


def extract_styles(html: str) -> tuple[str, str]:
    """``(html without <style> blocks, their CSS joined)``."""
    # str.find rather than a regex: the blocks are ~600 KB and every notebook page has them.
    kept: list[str] = []
    css: list[str] = []
    position = 0
    while (start := html.find("<style", position)) >= 0:
        body = html.find(">", start) + 1
        end = html.find("</style>", body)
        if body == 0 or end < 0:
            break
        kept.append(html[position:start])
        css.append(html[body:end].strip())
        position = end + len("</style>")
        while position < len(html) and html[position] in " \t\r\n":
            position += 1
    kept.append(html[position:])
    return "".join(kept), "\n".join(css) + ("\n" if css else "")


def remove_external_scripts(html: str) -> str:
    """Drop the MathJax loader and any script that imports from another origin."""
    html = _MATHJAX.sub("", html)

    def keep(match: re.Match[str]) -> str:
        tag = match.group(0)
        return "" if re.search(r"https?://", tag) else tag

    return _SCRIPT.sub(keep, html)


def _math_in_text(text: str) -> str:
    text = _DISPLAY_MATH.sub(
        lambda m: f'<div class="arithmatex">\\[{m.group(1)}\\]</div>', text
    )
    return _INLINE_MATH.sub(lambda m: f'<span class="arithmatex">\\({m.group(1)}\\)</span>', text)


def typeset_math(html: str) -> str:
    """Wrap ``$...$`` and ``$$...$$`` of Markdown cells as arithmatex does (text outside tags)."""

    def cell(match: re.Match[str]) -> str:
        body = match.group(2)
        if "$" not in body:
            return match.group(0)
        parts = _TAG.split(body)
        # Math never spans a tag in these cells; code spans are left alone.
        out, in_code = [], 0
        for part in parts:
            if part.startswith("<"):
                lowered = part.lower()
                if lowered.startswith(("<code", "<pre")):
                    in_code += 1
                elif lowered.startswith(("</code", "</pre")):
                    in_code = max(0, in_code - 1)
                out.append(part)
            else:
                out.append(part if in_code else _math_in_text(part))
        return match.group(1) + "".join(out) + match.group(3)

    return _MARKDOWN_CELL.sub(cell, html)


_SVG_IMAGE = re.compile(r'<img alt="([^"]*)" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=\s]+)"')
_STUB_ALT = "No description has been provided for this image"
_SVG_ATTRIBUTE = re.compile(r'\b(aria-label|data-l2book-figure)="([^"]*)"')


def link_figures(
    html: str, urls: dict[str, str], sizes: dict[str, tuple[int, int]] | None = None
) -> str:
    """Point each published figure's image at its SVG file, with the alt text its example gave.

    nbconvert inlines every SVG output as a base64 ``data:`` image with a stub alt text. Figures
    from :func:`l2book.figure` carry ``data-l2book-figure="NAME"`` and ``aria-label="ALT"``;
    those whose NAME is in ``urls`` (figure name to URL) load the file the site already has, with
    their ``sizes`` (name to CSS pixels) as width and height so that the page does not shift
    when they arrive.
    """
    sizes = sizes or {}

    def replace(match: re.Match[str]) -> str:
        try:
            svg = base64.b64decode(match.group(2)).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return match.group(0)
        root = SVG_ROOT.match(svg)
        attributes = dict(_SVG_ATTRIBUTE.findall(root.group(0))) if root else {}
        alt = match.group(1)
        if alt == _STUB_ALT and "aria-label" in attributes:
            alt = htmllib.escape(htmllib.unescape(attributes["aria-label"]))
        name = attributes.get("data-l2book-figure")
        if name in urls:
            dimensions = size_attributes(sizes.get(name))
            return f'<img alt="{alt}" src="{htmllib.escape(urls[name])}"{dimensions}{LAZY}'
        return f'<img alt="{alt}" src="data:image/svg+xml;base64,{match.group(2)}"'

    return _SVG_IMAGE.sub(replace, html)


def run_box(
    commands: list[str], ipynb: str, py: str, error: str | None, runner: str = ""
) -> str:
    """The box under a notebook page's title: how to run the example, and the downloads.

    ``runner`` is the placeholder where the reader runs it in the browser (see ``Renderer``).
    """
    lines = "\n".join(htmllib.escape(c) for c in commands)
    failure = ""
    if error:
        failure = (
            '<p class="l2book-error" role="alert"><strong>This example failed in the last '
            f"build:</strong>\n{htmllib.escape(error)}</p>"
        )
    return (
        '<div class="l2book-example l2book-run-box">'
        f"{failure}"
        "<p>Run this example yourself, three ways with the same output:</p>"
        f"<pre><code>{lines}</code></pre>"
        f'<p><a href="{htmllib.escape(ipynb)}" download>Download the notebook (.ipynb)</a> · '
        f'<a href="{htmllib.escape(py)}" download>download the script (.py)</a></p>'
        f"{runner}</div>"
    )


def insert_after_title(html: str, box: str) -> str:
    """Insert ``box`` right after the first ``</h1>`` (or at the top if there is none)."""
    index = html.find("</h1>")
    if index < 0:
        return box + html
    index += len("</h1>")
    return html[:index] + box + html[index:]


def footer(provenance: str) -> str:
    return f'<p class="l2book-notebook-footer">{provenance}</p>'


# -- shrinking the shared notebook stylesheet ---------------------------------------------------
_CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')
_CLASS_IN_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")


def classes_used(html: str) -> set[str]:
    """Every class name in the ``class="..."`` attributes of ``html``."""
    return set(" ".join(_CLASS_ATTR.findall(html)).split())


def _blocks(css: str) -> list[tuple[str, str | None]]:
    """Top-level ``(prelude, body)`` pairs; ``body`` is None for statements such as @import."""
    blocks: list[tuple[str, str | None]] = []
    i, n, start = 0, len(css), 0
    while i < n:
        char = css[i]
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = n if end < 0 else end + 2
            if start == i or not css[start:i].strip("/* \n\t"):
                start = i
            continue
        if char in "\"'":
            end = i + 1
            while end < n and css[end] != char:
                end += 2 if css[end] == "\\" else 1
            i = end + 1
            continue
        if char == ";":
            blocks.append((css[start:i].strip(), None))
            i += 1
            start = i
            continue
        if char == "{":
            depth, j = 1, i + 1
            while j < n and depth:
                if css.startswith("/*", j):
                    end = css.find("*/", j + 2)
                    j = n if end < 0 else end + 2
                    continue
                if css[j] in "\"'":
                    quote, j = css[j], j + 1
                    while j < n and css[j] != quote:
                        j += 2 if css[j] == "\\" else 1
                elif css[j] == "{":
                    depth += 1
                elif css[j] == "}":
                    depth -= 1
                j += 1
            blocks.append((_strip_comments(css[start:i]).strip(), css[i + 1 : j - 1]))
            i = j
            start = i
            continue
        i += 1
    return blocks


def _strip_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in prelude:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def _selector_can_match(selector: str, used: set[str]) -> bool:
    # Classes inside :not(...) do not need to be present for the selector to match.
    positive = re.sub(r":not\([^)]*\)", "", selector)
    return all(name in used for name in _CLASS_IN_SELECTOR.findall(positive))


def prune_css(css: str, used: set[str]) -> str:
    """Drop the rules of ``css`` whose selectors need a class that no page uses.

    At-rules that group rules (``@media``, ``@supports``, ``@layer``) are pruned recursively;
    other at-rules (``@keyframes``, ``@font-face``, ``@import``) are kept as they are.
    """
    out = []
    for prelude, body in _blocks(css):
        if body is None:
            prelude = _strip_comments(prelude).strip()
            if prelude and not prelude.lower().startswith("@charset"):
                out.append(prelude + ";")
            continue
        if prelude.startswith("@"):
            keyword = prelude.split(None, 1)[0].lower()
            if keyword in ("@media", "@supports", "@layer", "@container", "@document"):
                inner = prune_css(body, used)
                if inner.strip():
                    out.append(f"{prelude}{{\n{inner}}}")
            else:
                out.append(f"{prelude}{{{body}}}")
            continue
        selectors = [s for s in _split_selectors(prelude) if _selector_can_match(s, used)]
        if selectors:
            out.append(f"{', '.join(selectors)}{{{body.strip()}}}")
    return "\n".join(out) + ("\n" if out else "")


_VAR_REF = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")


def _declarations(body: str) -> list[str]:
    parts, current, depth, quote = [], [], 0, ""
    for char in body:
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == ";" and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def _rules(css: str) -> list[tuple[list[str], str, str | None]]:
    """(enclosing at-rule preludes, prelude, body) of every rule, flattened."""
    found = []
    for prelude, body in _blocks(css):
        keyword = prelude.split(None, 1)[0].lower() if prelude.startswith("@") else ""
        if body is not None and keyword in ("@media", "@supports", "@layer", "@container"):
            found.extend(([prelude, *outer], p, b) for outer, p, b in _rules(body))
        else:
            found.append(([], prelude, body))
    return found


def prune_variables(css: str) -> str:
    """Drop custom properties (``--name: ...``) that no kept declaration uses, even indirectly."""
    rules = _rules(css)
    defined: dict[str, list[str]] = {}
    wanted: set[str] = set()
    for _, prelude, body in rules:
        if body is None or prelude.startswith("@"):
            if body:
                wanted.update(_VAR_REF.findall(body))
            continue
        for declaration in _declarations(body):
            name, _, value = declaration.partition(":")
            name = name.strip()
            if name.startswith("--"):
                defined.setdefault(name, []).append(value)
            else:
                wanted.update(_VAR_REF.findall(value))
    pending = list(wanted)
    while pending:
        for value in defined.get(pending.pop(), []):
            for name in _VAR_REF.findall(value):
                if name not in wanted:
                    wanted.add(name)
                    pending.append(name)

    def keep(body: str) -> str:
        kept = [
            d for d in _declarations(body)
            if not d.startswith("--") or d.partition(":")[0].strip() in wanted
        ]
        return ";".join(kept)

    out = []
    for prelude, body in _blocks(css):
        if body is None:
            out.append(prelude + ";")
            continue
        keyword = prelude.split(None, 1)[0].lower() if prelude.startswith("@") else ""
        if keyword in ("@media", "@supports", "@layer", "@container"):
            inner = prune_variables(body)
            if inner.strip():
                out.append(f"{prelude}{{\n{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            body = keep(body)
            if body:
                out.append(f"{prelude}{{{body}}}")
    return "\n".join(out) + ("\n" if out else "")

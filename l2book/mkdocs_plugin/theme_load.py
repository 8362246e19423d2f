"""Work Material does as a page loads, moved to where it restyles almost nothing.

Material's script runs at the end of the body, once the page is parsed and laid out. Three of its
first steps each make the browser restyle every rendered element of the page:

- it swaps the root element's ``no-js`` class for ``js``, which its stylesheets select on;
- with instant navigation, it rewrites every relative ``href`` and ``src`` as an absolute URL, so
  that its comparison of two pages' ``<head>`` sees the same link as the same. A stylesheet link
  rewritten loads its stylesheet again, and the page is restyled and laid out once more;
- its colour palette sets, then removes, an attribute on ``<body>`` while it applies the reader's
  colour scheme, and its stylesheet switches off every transition under that attribute
  (``[data-md-color-switching] *``): a change of the attribute restyles the whole page, twice on
  every load, although no colour changes.

The first two are taken by a line of script at the end of the ``<head>``, after the stylesheet
links and before the body, where they have next to nothing to restyle; the theme's script then
finds nothing left to change. For the third, the palette stylesheet's rule selects on a class of
the root element instead, which the same script sets only while a reader switches the scheme: the
switch stays instant, and a load restyles nothing (benchmarks/README.md, "Theme work on load").
"""

from __future__ import annotations

import re

__all__ = [
    "PALETTE_STYLESHEET",
    "SWITCHING_CLASS",
    "add_to_head",
    "head_script",
    "palette_stylesheet",
]

PALETTE_STYLESHEET = re.compile(r"assets/stylesheets/palette\.[0-9a-f]+\.min\.css")
"""Where Material's palette stylesheet is in the site."""

_SWITCHING_ATTRIBUTE = "[data-md-color-switching]"
SWITCHING_CLASS = "l2book-switching"

_JS_CLASS = 'document.documentElement.classList.replace("no-js","js");'
# As Material's own rewrite: not from disk, where the theme has no instant navigation.
_ABSOLUTE_LINKS = (
    'if(location.protocol!=="file:")'
    'for(const l of document.head.querySelectorAll("link[href]"))l.href=l.href;'
)
# In the capture phase, so before the palette's own handler applies the new scheme; removed two
# frames later, once the new colours are computed.
_SWITCHING = (
    'document.addEventListener("change",e=>{'
    'if(!e.target.closest||!e.target.closest("[data-md-component=palette]"))return;'
    "const r=document.documentElement;"
    f'r.classList.add("{SWITCHING_CLASS}");'
    f'requestAnimationFrame(()=>requestAnimationFrame(()=>r.classList.remove("{SWITCHING_CLASS}")))'
    "},true);"
)


def head_script(instant_navigation: bool) -> str:
    """The inline script for the end of the ``<head>``."""
    links = _ABSOLUTE_LINKS if instant_navigation else ""
    return f"<script>{_JS_CLASS}{links}{_SWITCHING}</script>"


def palette_stylesheet(css: str) -> str:
    """Material's palette stylesheet with its no-transitions rule selecting on ``SWITCHING_CLASS``.

    Raises
    ------
    ValueError
        If no rule selects on the attribute (a Material version that switches schemes otherwise).
    """
    if _SWITCHING_ATTRIBUTE not in css:
        raise ValueError(
            f"Material's palette stylesheet has no {_SWITCHING_ATTRIBUTE} rule; "
            "see l2book/mkdocs_plugin/theme_load.py for what it was for"
        )
    return css.replace(_SWITCHING_ATTRIBUTE, f".{SWITCHING_CLASS}")


def add_to_head(html: str, markup: str) -> str:
    """``html`` with ``markup`` just before ``</head>`` (unchanged if it has no ``</head>``)."""
    index = html.find("</head>")
    if index < 0:
        return html
    return html[:index] + markup + html[index:]

"""Two of Material's first steps on load, taken in each page's ``<head>`` instead.

Material's script runs at the end of the body, once the page is parsed and laid out. Two of its
first steps each make the browser restyle every rendered element of the page:

- it swaps the root element's ``no-js`` class for ``js``, which its stylesheets select on;
- with instant navigation, it rewrites every relative ``href`` and ``src`` as an absolute URL, so
  that its comparison of two pages' ``<head>`` sees the same link as the same. A stylesheet link
  rewritten loads its stylesheet again, and the page is restyled and laid out again once more.

Taken in the ``<head>``, after the stylesheet links and before the body, the same steps have next
to nothing to restyle, and the theme's own code then finds nothing left to change (measured in
benchmarks/README.md, "Theme work on load").
"""

from __future__ import annotations

__all__ = ["add_to_head", "head_script"]

_JS_CLASS = 'document.documentElement.classList.replace("no-js","js");'
# As Material's own rewrite: not from disk, where the theme has no instant navigation.
_ABSOLUTE_LINKS = (
    'if(location.protocol!=="file:")'
    'for(const l of document.head.querySelectorAll("link[href]"))l.href=l.href;'
)


def head_script(instant_navigation: bool) -> str:
    """The inline script for the end of the ``<head>``."""
    return f"<script>{_JS_CLASS}{_ABSOLUTE_LINKS if instant_navigation else ''}</script>"


def add_to_head(html: str, markup: str) -> str:
    """``html`` with ``markup`` just before ``</head>`` (unchanged if it has no ``</head>``)."""
    index = html.find("</head>")
    if index < 0:
        return html
    return html[:index] + markup + html[index:]

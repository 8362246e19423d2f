"""The house figure style and deterministic SVG output.

Every figure in the book is drawn with :func:`subplots` (house style: Okabe–Ito colours, no top and
right spines, light grid, sizes that read well in a column of text) and saved with :func:`save_svg`,
which writes the same bytes on every run: a fixed ``svg.hashsalt``, no ``Date`` metadata and text as
paths, so the output does not depend on the fonts of the reader's machine.

Examples publish figures with :func:`l2book.figure`, which calls :func:`save_svg`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from cycler import cycler

__all__ = [
    "COLORS",
    "HOUSE_STYLE",
    "close",
    "house_style",
    "save_svg",
    "subplots",
    "svg_bytes",
    "use_house_style",
]

COLORS: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#7F7F7F",
}
"""Okabe–Ito palette: distinguishable with the common colour-vision deficiencies."""

HOUSE_STYLE: dict[str, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "figure.constrained_layout.use": True,
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "font.size": 10.0,
    "axes.titlesize": 11.0,
    "axes.labelsize": 10.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "axes.prop_cycle": cycler(
        color=[COLORS[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky")]
    ),
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "image.cmap": "viridis",
    "svg.fonttype": "path",
    "svg.image_inline": True,
}
"""rcParams of the house style (applied by :func:`use_house_style` and :func:`house_style`)."""


def use_house_style() -> None:
    """Apply :data:`HOUSE_STYLE` to matplotlib's global rcParams (idempotent)."""
    plt.rcParams.update(HOUSE_STYLE)


@contextmanager
def house_style() -> Iterator[None]:
    """Context manager applying :data:`HOUSE_STYLE` only inside the ``with`` block."""
    with plt.rc_context(HOUSE_STYLE):
        yield


def subplots(
    nrows: int = 1,
    ncols: int = 1,
    *,
    width: float = 6.4,
    height: float | None = None,
    **kwargs: Any,
) -> tuple[Any, Any]:
    """``plt.subplots`` in the house style; returns ``(fig, ax)`` (``ax`` an array if several).

    Parameters
    ----------
    nrows, ncols : int, default 1
        Grid of axes.
    width : float, default 6.4
        Figure width in inches (6.4 fills the text column).
    height : float, optional
        Figure height in inches; default ``4.0`` for one row, ``3.2`` per row otherwise.
    **kwargs
        Passed to :func:`matplotlib.pyplot.subplots` (e.g. ``sharey=True``).
    """
    for argument, value in (("nrows", nrows), ("ncols", ncols)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{argument}={value!r} must be a positive integer (number of axes)")
    if height is None:
        height = 4.0 if nrows == 1 else 3.2 * nrows
    for argument, value in (("width", width), ("height", height)):
        if not isinstance(value, int | float) or not 0 < value <= 30:
            raise ValueError(f"{argument}={value!r} inches must be in (0, 30]; e.g. 6.4 x 4.0")
    use_house_style()
    return plt.subplots(nrows, ncols, figsize=(width, height), **kwargs)


def svg_bytes(fig: Any, *, salt: str) -> bytes:
    """The figure as SVG bytes that depend only on its content and ``salt``.

    ``salt`` seeds the ids matplotlib gives clip paths and other definitions; different figures get
    different salts so several SVGs can be inlined in one HTML page without id clashes.
    """
    if not isinstance(salt, str) or not salt:
        raise ValueError(f"salt={salt!r} must be a non-empty string, e.g. 'example/figure'")
    buffer = io.BytesIO()
    with plt.rc_context({"svg.hashsalt": salt, "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def save_svg(fig: Any, path: str | os.PathLike[str], *, salt: str) -> Path:
    """Write :func:`svg_bytes` of ``fig`` to ``path`` (folders created); returns the path."""
    path = Path(path)
    if path.suffix != ".svg":
        raise ValueError(f"path={str(path)!r} must end in .svg")
    data = svg_bytes(fig, salt=salt)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def close(fig: Any) -> None:
    """Close ``fig`` so it is neither kept in memory nor shown again by Jupyter."""
    plt.close(fig)

"""l2book.plots: the house style and deterministic SVG output."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

from l2book import plots


def _draw(salt_text: str = "") -> plt.Figure:
    fig, ax = plots.subplots(width=4.0, height=3.0)
    x = np.linspace(0, 1, 50)
    ax.plot(x, x**2, label="$x^2$")
    ax.fill_between(x, 0, x**2, alpha=0.2)  # creates a clip path, whose id depends on the salt
    ax.set_title(f"parabola {salt_text}")
    ax.legend()
    return fig


def test_svg_bytes_are_identical_across_renders_and_have_no_date():
    first = plots.svg_bytes(_draw(), salt="ex/fig")
    second = plots.svg_bytes(_draw(), salt="ex/fig")
    plt.close("all")
    assert first == second
    assert b"<dc:date>" not in first
    assert b"<svg" in first


def test_salt_changes_the_definition_ids():
    fig = _draw()
    one = plots.svg_bytes(fig, salt="ex/a").decode()
    two = plots.svg_bytes(fig, salt="ex/b").decode()
    plt.close(fig)
    ids_one = set(re.findall(r'clipPath id="([^"]+)"', one))
    ids_two = set(re.findall(r'clipPath id="([^"]+)"', two))
    assert ids_one and ids_two and ids_one.isdisjoint(ids_two)


def test_text_is_drawn_as_paths():
    fig = _draw("with text")
    svg = plots.svg_bytes(fig, salt="ex/t").decode()
    plt.close(fig)
    assert "<text" not in svg  # glyphs as paths: the same look without the reader's fonts


def test_save_svg_creates_folders(tmp_path):
    fig = _draw()
    path = plots.save_svg(fig, tmp_path / "a" / "b" / "fig.svg", salt="ex/fig")
    assert path.read_bytes() == plots.svg_bytes(fig, salt="ex/fig")
    plt.close(fig)


def test_save_svg_rejects_other_extensions(tmp_path):
    fig = _draw()
    with pytest.raises(ValueError, match=r"path='.*fig.png' must end in .svg"):
        plots.save_svg(fig, tmp_path / "fig.png", salt="s")
    plt.close(fig)


def test_svg_bytes_needs_a_salt():
    fig = _draw()
    with pytest.raises(ValueError, match=r"salt='' must be a non-empty string"):
        plots.svg_bytes(fig, salt="")
    plt.close(fig)


def test_subplots_applies_the_house_style():
    fig, axes = plots.subplots(2, 3, width=9.0)
    assert axes.shape == (2, 3)
    assert tuple(fig.get_size_inches()) == (9.0, 6.4)
    assert not axes[0, 0].spines["top"].get_visible()
    first_color = plt.rcParams["axes.prop_cycle"].by_key()["color"][0]
    assert first_color == plots.COLORS["blue"]
    plt.close(fig)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"nrows": 0}, r"nrows=0 must be a positive integer"),
        ({"ncols": 1.5}, r"ncols=1.5 must be a positive integer"),
        ({"width": -1}, r"width=-1 inches must be in \(0, 30\]"),
        ({"height": 100}, r"height=100 inches must be in \(0, 30\]"),
    ],
)
def test_subplots_rejects_bad_sizes(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.subplots(**kwargs)


def test_house_style_context_restores_rcparams():
    before = plt.rcParams["axes.grid"]
    plt.rcParams["axes.grid"] = False
    with plots.house_style():
        assert plt.rcParams["axes.grid"] is True
    assert plt.rcParams["axes.grid"] is False
    plt.rcParams["axes.grid"] = before

"""Tests of l2book.figures: decision boundaries and train/dev curves."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from l2book import figures
from l2book.network import Network
from l2book.plots import close, subplots


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def diagonal_model(X: np.ndarray) -> np.ndarray:
    """ŷ = σ(4(x₁ − x₂)): the decision boundary is the diagonal x₁ = x₂."""
    return _sigmoid(4.0 * (X[0] - X[1])).reshape(1, -1)


@pytest.fixture
def points() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(2, 40))
    Y = (X[0] > X[1]).astype(float).reshape(1, -1)
    return X, Y


@pytest.fixture
def ax():
    fig, ax = subplots()
    yield ax
    close(fig)


# --- probability_grid ------------------------------------------------------------------------


def test_probability_grid_evaluates_the_model_at_every_grid_point() -> None:
    x1, x2, proba = figures.probability_grid(diagonal_model, (-1, 2, -3, 1), resolution=7)
    assert x1.shape == x2.shape == proba.shape == (7, 7)
    assert x1[0, 0] == -1 and x1[0, -1] == 2 and x2[0, 0] == -3 and x2[-1, 0] == 1
    np.testing.assert_allclose(proba, _sigmoid(4.0 * (x1 - x2)), rtol=0, atol=1e-15)


def test_probability_grid_of_a_network_matches_predict_proba() -> None:
    net = Network([2, 5, 1], seed=3)
    x1, x2, proba = figures.probability_grid(net, (-1, 1, -1, 1), resolution=5)
    expected = net.predict_proba(np.vstack([x1.ravel(), x2.ravel()])).reshape(5, 5)
    np.testing.assert_array_equal(proba, expected)


def test_probability_grid_accepts_a_flat_output() -> None:
    _, _, proba = figures.probability_grid(lambda X: diagonal_model(X)[0], (0, 1, 0, 1), 3)
    assert proba.shape == (3, 3)


# --- decision_boundary -----------------------------------------------------------------------


def test_boundary_line_lies_where_the_probability_is_one_half(ax, points) -> None:
    X, Y = points
    figures.decision_boundary(ax, diagonal_model, X, Y, extent=(-2, 2, -2, 2), resolution=101)
    (line_set,) = [c for c in ax.collections if type(c).__name__ == "QuadContourSet"
                   and len(c.levels) == 1]
    assert list(line_set.levels) == [0.5]
    vertices = np.vstack([p.vertices for p in line_set.get_paths() if len(p.vertices)])
    # The ½ level set of σ(4(x₁ − x₂)) is the diagonal; contouring interpolates linearly on the grid.
    np.testing.assert_allclose(vertices[:, 0], vertices[:, 1], atol=1e-9)
    assert vertices[:, 0].min() == pytest.approx(-2) and vertices[:, 0].max() == pytest.approx(2)


def test_background_is_shaded_by_the_probability(ax, points) -> None:
    X, Y = points
    figures.decision_boundary(ax, diagonal_model, X, Y, extent=(-2, 2, -1, 1), resolution=30)
    (image,) = ax.images
    _, _, proba = figures.probability_grid(diagonal_model, (-2, 2, -1, 1), resolution=30)
    np.testing.assert_array_equal(image.get_array(), proba)
    assert tuple(image.get_extent()) == (-2, 2, -1, 1)
    assert image.get_clim() == (0.0, 1.0)


def test_points_are_drawn_per_class_with_distinct_markers(ax, points) -> None:
    X, Y = points
    figures.decision_boundary(ax, diagonal_model, X, Y)
    scatters = [c for c in ax.collections if type(c).__name__ == "PathCollection"]
    assert len(scatters) == 2
    counts = [len(s.get_offsets()) for s in scatters]
    assert counts == [int((Y == 0).sum()), int((Y == 1).sum())]
    np.testing.assert_array_equal(scatters[1].get_offsets(), X[:, Y[0] == 1].T)
    styles = figures.class_styles()
    assert styles[0]["marker"] != styles[1]["marker"]
    assert styles[0]["color"] != styles[1]["color"]


def test_default_extent_covers_the_points_with_a_margin(ax, points) -> None:
    X, Y = points
    figures.decision_boundary(ax, diagonal_model, X, Y, title="a title")
    assert ax.get_xlim() == pytest.approx((X[0].min() - 0.5, X[0].max() + 0.5))
    assert ax.get_ylim() == pytest.approx((X[1].min() - 0.5, X[1].max() + 0.5))
    assert ax.get_title() == "a title"
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is not None


def test_unlabelled_points_and_a_constant_model_draw_without_a_boundary(ax, points) -> None:
    X, _ = points
    figures.decision_boundary(ax, lambda X: np.full((1, X.shape[1]), 0.2), X, legend=False,
                              shade=False)
    assert not [c for c in ax.collections if type(c).__name__ == "QuadContourSet"]
    (scatter,) = [c for c in ax.collections if type(c).__name__ == "PathCollection"]
    assert len(scatter.get_offsets()) == X.shape[1]
    assert ax.get_legend() is None


def test_data_extent_of_collinear_points_still_has_an_area() -> None:
    X = np.array([[0.0, 1.0, 2.0], [3.0, 3.0, 3.0]])
    x1_min, x1_max, x2_min, x2_max = figures.data_extent(X, margin=0.0)
    assert (x1_min, x1_max) == (0.0, 2.0) and x2_min == 3.0 and x2_max > x2_min


def test_decision_boundaries_share_region_and_legend(points) -> None:
    X, Y = points
    flipped = lambda X: 1.0 - diagonal_model(X)  # noqa: E731
    fig, axes = figures.decision_boundaries([diagonal_model, flipped], X, Y, titles=["a", "b"],
                                            resolution=20)
    try:
        assert len(axes) == 2
        assert [a.get_title() for a in axes] == ["a", "b"]
        assert axes[0].get_xlim() == axes[1].get_xlim()
        assert axes[0].get_ylabel() and not axes[1].get_ylabel()
        assert len(fig.legends) == 1
        assert [t.get_text() for t in fig.legends[0].get_texts()] == [
            "boundary ŷ = ½", "y = 0", "y = 1"]
    finally:
        close(fig)


# --- train/dev curves ------------------------------------------------------------------------


def test_train_dev_curves_plot_the_data_and_mark_the_lowest_dev_error(ax) -> None:
    x = np.array([1e-3, 1e-2, 1e-1, 1.0])
    train, dev = np.array([0.0, 0.05, 0.1, 0.3]), np.array([0.3, 0.15, 0.12, 0.3])
    figures.train_dev_curves(ax, x, train, dev, xlabel="λ", log_x=True)
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["train"].get_ydata(), train)
    np.testing.assert_array_equal(lines["dev"].get_xdata(), x)
    best = lines["lowest dev error"]
    assert (best.get_xdata()[0], best.get_ydata()[0]) == (0.1, 0.12)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "linear"
    assert ax.get_xlabel() == "λ" and ax.get_ylabel() == "error"


def test_first_of_tied_dev_minima_is_marked(ax) -> None:
    figures.train_dev_curves(ax, [1, 2, 3], [0, 0, 0], [0.2, 0.1, 0.1], xlabel="degree")
    best = {line.get_label(): line for line in ax.get_lines()}["lowest dev error"]
    assert best.get_xdata()[0] == 2


def test_the_caller_can_choose_which_point_to_mark(ax) -> None:
    figures.train_dev_curves(ax, [1, 2, 3], [0, 0, 0], [0.2, 0.1, 0.1], xlabel="λ", best=2)
    best = {line.get_label(): line for line in ax.get_lines()}["lowest dev error"]
    assert best.get_xdata()[0] == 3


def test_rejects_a_marked_point_outside_the_curve(ax) -> None:
    with pytest.raises(ValueError, match=r"best must be an integer in \[0, 2\], got best=3"):
        figures.train_dev_curves(ax, [1, 2, 3], [0, 0, 0], [0.2, 0.1, 0.1], xlabel="λ", best=3)


def test_history_curves_draw_the_recorded_errors(ax) -> None:
    from l2book.train import fit

    rng = np.random.default_rng(1)
    X = rng.standard_normal((2, 30))
    Y = (X[0] > 0).astype(float).reshape(1, -1)
    history = fit(Network([2, 3, 1], seed=0), X, Y, epochs=20, X_dev=X, Y_dev=Y, record_every=5)
    figures.history_curves(ax, history)
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["train"].get_xdata(), history.epochs)
    np.testing.assert_array_equal(lines["dev"].get_ydata(), history.dev_error)
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == history.metric


# --- errors ----------------------------------------------------------------------------------


def test_rejects_points_in_the_scikit_learn_layout(ax, points) -> None:
    X, Y = points
    with pytest.raises(ValueError, match=r"X has shape \(40, 2\).*\(2, m\); did you mean X\.T\?"):
        figures.decision_boundary(ax, diagonal_model, X.T, Y)


def test_rejects_non_binary_labels(ax, points) -> None:
    X, _ = points
    with pytest.raises(ValueError, match=r"Y must contain only the labels 0 and 1, found values \{2\}"):
        figures.decision_boundary(ax, diagonal_model, X, np.full((1, 40), 2.0))


def test_rejects_a_model_that_is_not_callable(ax, points) -> None:
    X, Y = points
    with pytest.raises(TypeError, match="model must be an l2book.Network.*got int"):
        figures.decision_boundary(ax, 3, X, Y)


def test_rejects_a_model_with_the_wrong_output_size() -> None:
    with pytest.raises(ValueError, match=r"returned an array of shape \(1, 3\).*shape \(1, 16\)"):
        figures.probability_grid(lambda X: np.zeros((1, 3)), (0, 1, 0, 1), resolution=4)


def test_rejects_a_model_that_does_not_return_probabilities() -> None:
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*\[-1, 1\].*sigmoid"):
        figures.probability_grid(lambda X: np.tanh(X[:1] * 100), (-1, 1, -1, 1), resolution=4)


@pytest.mark.parametrize("extent", [(0, 1, 0), (1, 0, 0, 1), (0, 1, 0, np.inf)])
def test_rejects_a_bad_extent(extent) -> None:
    with pytest.raises(ValueError, match="extent must"):
        figures.probability_grid(diagonal_model, extent)


def test_rejects_a_bad_resolution() -> None:
    with pytest.raises(ValueError, match="resolution"):
        figures.probability_grid(diagonal_model, (0, 1, 0, 1), resolution=1)


def test_rejects_something_that_is_not_axes(points) -> None:
    X, Y = points
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes, got list"):
        figures.decision_boundary([], diagonal_model, X, Y)


def test_rejects_titles_that_do_not_match_the_models(points) -> None:
    X, Y = points
    with pytest.raises(ValueError, match="titles has 1 entries but models has 2"):
        figures.decision_boundaries([diagonal_model, diagonal_model], X, Y, titles=["a"])
    with pytest.raises(ValueError, match="models is empty"):
        figures.decision_boundaries([], X, Y)


def test_rejects_curves_of_different_lengths(ax) -> None:
    with pytest.raises(ValueError, match=r"dev has shape \(2,\) but x has shape \(3,\)"):
        figures.train_dev_curves(ax, [1, 2, 3], [0, 0, 0], [0, 0], xlabel="degree")


def test_rejects_a_log_axis_over_zero(ax) -> None:
    with pytest.raises(ValueError, match="logarithmic axis needs x > 0 but its smallest value is 0"):
        figures.train_dev_curves(ax, [0, 1], [0.1, 0.2], [0.1, 0.2], xlabel="λ", log_x=True)


def test_rejects_a_history_without_dev_error(ax) -> None:
    from l2book.train import fit

    X = np.array([[0.0, 1.0, 2.0, 3.0]])
    history = fit(Network([1, 1]), X, np.array([[0, 0, 1, 1]]), epochs=2)
    with pytest.raises(ValueError, match="no dev error; train with fit"):
        figures.history_curves(ax, history)
    with pytest.raises(TypeError, match="history must be an l2book.History"):
        figures.history_curves(ax, {"epochs": []})


def test_importing_the_module_does_not_import_pyplot() -> None:
    code = "import sys, l2book.figures; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

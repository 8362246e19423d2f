"""The book's recurring figures: decision boundaries over 2-D data, and train/dev error curves.

A classifier over two inputs predicts ŷ = P(y = 1 | x) for every point x = (x₁, x₂) of the plane; its
*decision boundary* is the level set {x : ŷ(x) = ½}, where the predicted label 1{ŷ > ½} changes.
:func:`decision_boundary` draws it, with ŷ shaded and the training points on top, for a
:class:`l2book.Network` or any function mapping ``X`` of shape ``(2, k)`` to ŷ of shape ``(1, k)``.

Train/dev curves put the error on the training set next to the error on the dev set, against
whatever is varied (λ, the polynomial degree, the epoch): the gap between the two is the variance
the book regularizes away. :func:`train_dev_curves` draws them from arrays; :func:`history_curves`
from the :class:`l2book.History` that :func:`l2book.fit` returns.

Every function draws on a matplotlib ``Axes`` passed in (create them with
:func:`l2book.plots.subplots` for the house style) and returns it, so figures compose into panels.
Only :func:`decision_boundaries` creates a figure. This module imports matplotlib only when it needs
to create one, so ``import l2book`` stays free of plotting.

Data layout as everywhere in l2book: ``X`` of shape ``(n_x, m)`` with one column per example
(here n_x = 2) and ``Y`` of shape ``(1, m)`` with labels in {0, 1}.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from l2book import _validate as v

__all__ = [
    "class_styles",
    "decision_boundaries",
    "decision_boundary",
    "history_curves",
    "probability_grid",
    "train_dev_curves",
]



def _colors() -> dict[str, str]:
    # l2book.plots imports pyplot; deferring it keeps `import l2book` free of plotting.
    from l2book.plots import COLORS

    return COLORS


def class_styles() -> dict[int, dict[str, Any]]:
    """Colour, marker and legend label of each class; the marker shape alone tells them apart."""
    colors = _colors()
    return {
        0: {"color": colors["blue"], "marker": "o", "label": "y = 0"},
        1: {"color": colors["orange"], "marker": "^", "label": "y = 1"},
    }

# Light blue (ŷ near 0) through white (ŷ = ½) to light orange (ŷ near 1): the shading stays pale so
# the points and the boundary line remain the most visible marks.
_SHADE_COLORS = ["#BCD9EE", "#CBE2F2", "#DAEBF6", "#E8F2F9", "#F6FAFC",
                 "#FDF9F0", "#FBF0DA", "#F8E6C3", "#F6DDAD", "#F3D497"]

Model = Any  # a Network, an object with predict_proba(X), or a function X -> ŷ


def _as_probability_function(model: Model) -> Callable[[np.ndarray], np.ndarray]:
    """ŷ(X) for a Network, an object with ``predict_proba`` or a plain function."""
    predict = getattr(model, "predict_proba", None)
    if callable(predict):
        return predict
    if callable(model):
        return model
    raise TypeError(
        f"model must be an l2book.Network, an object with predict_proba(X), or a function "
        f"X -> ŷ (X of shape (2, k), ŷ of shape (1, k)); got {type(model).__name__}"
    )


def _check_points(X: object, Y: object | None) -> tuple[np.ndarray, np.ndarray | None]:
    X = v.check_matrix("X", X)
    if X.shape[0] != 2:
        hint = "; did you mean X.T?" if X.ndim == 2 and X.shape[1] == 2 else ""
        raise ValueError(
            f"X has shape {X.shape} but a decision boundary is drawn over 2 inputs: "
            f"X must have shape (2, m){hint}"
        )
    if Y is None:
        return X, None
    Y = v.check_targets("Y", Y, X, n_outputs=1)
    v.check_binary_labels("Y", Y)
    return X, Y


def _check_extent(extent: object) -> tuple[float, float, float, float]:
    values = v.as_float_array("extent", extent)
    if values.shape != (4,) or not np.isfinite(values).all():
        raise ValueError(
            f"extent must be four finite numbers (x1_min, x1_max, x2_min, x2_max), got {extent!r}"
        )
    x1_min, x1_max, x2_min, x2_max = (float(a) for a in values)
    if not (x1_min < x1_max and x2_min < x2_max):
        raise ValueError(
            f"extent must satisfy x1_min < x1_max and x2_min < x2_max, got {extent!r}"
        )
    return x1_min, x1_max, x2_min, x2_max


def data_extent(X: np.ndarray, margin: float = 0.5) -> tuple[float, float, float, float]:
    """(x1_min, x1_max, x2_min, x2_max): the bounding box of the columns of ``X``, widened by ``margin``."""
    X, _ = _check_points(X, None)
    margin = v.check_nonnegative("margin", margin)
    lo, hi = X.min(axis=1) - margin, X.max(axis=1) + margin
    # A degenerate box (all points on a line) still needs an area to draw on.
    hi = np.where(hi > lo, hi, lo + 1.0)
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def probability_grid(
    model: Model, extent: Sequence[float], resolution: int = 200
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ŷ on a regular grid over the plane: the values a decision-boundary plot contours.

    Evaluates ŷ(x) at the ``resolution × resolution`` points x = (x₁, x₂) of the grid spanning
    ``extent``, in one vectorized call of the model on X of shape (2, resolution²).

    Parameters
    ----------
    model : Network, object with ``predict_proba``, or callable
        Maps X of shape (2, k) to ŷ of shape (1, k) (or (k,)), values in [0, 1].
    extent : (x1_min, x1_max, x2_min, x2_max)
        The rectangle to cover.
    resolution : int, default 200
        Grid points per axis, ≥ 2.

    Returns
    -------
    x1, x2 : ndarray of shape (resolution, resolution)
        Coordinates of the grid (``np.meshgrid`` order: x1 varies along columns).
    proba : ndarray of shape (resolution, resolution)
        ŷ at each grid point.
    """
    predict = _as_probability_function(model)
    x1_min, x1_max, x2_min, x2_max = _check_extent(extent)
    resolution = v.check_int_range("resolution", resolution, lo=2, hi=2000)
    x1, x2 = np.meshgrid(
        np.linspace(x1_min, x1_max, resolution), np.linspace(x2_min, x2_max, resolution)
    )
    grid = np.vstack([x1.ravel(), x2.ravel()])  # (2, resolution²): one column per grid point
    proba = np.asarray(predict(grid), dtype=float)
    if proba.size != grid.shape[1]:
        raise ValueError(
            f"the model returned an array of shape {proba.shape} for X of shape {grid.shape}; "
            f"it must return one ŷ per column, shape (1, {grid.shape[1]})"
        )
    proba = proba.reshape(x1.shape)
    if not np.isfinite(proba).all() or proba.min() < 0 or proba.max() > 1:
        raise ValueError(
            f"the model must return probabilities in [0, 1], got values in "
            f"[{np.nanmin(proba):.3g}, {np.nanmax(proba):.3g}]; for a network with an identity "
            f"output pass a function returning sigmoid(ŷ)"
        )
    return x1, x2, proba


def decision_boundary(
    ax: Any,
    model: Model,
    X: np.ndarray,
    Y: np.ndarray | None = None,
    *,
    title: str | None = None,
    extent: Sequence[float] | None = None,
    resolution: int = 200,
    shade: bool = True,
    legend: bool = True,
    point_size: float = 20.0,
) -> Any:
    """Draw the decision boundary {x : ŷ(x) = ½} of ``model`` over the 2-D points ``X``.

    The background is shaded by ŷ (blue toward 0, orange toward 1), the boundary is a solid black
    line, and the points are drawn with their class's colour and marker (:func:`class_styles`).

    Parameters
    ----------
    ax : matplotlib Axes
        Where to draw (e.g. from :func:`l2book.plots.subplots`).
    model : Network, object with ``predict_proba``, or callable
        The classifier: maps X of shape (2, k) to ŷ = P(y = 1 | x) of shape (1, k).
    X : ndarray of shape (2, m)
        Points to show, one column per example (usually the training set).
    Y : ndarray of shape (1, m), optional
        Their labels in {0, 1}; without labels every point is drawn in grey.
    title : str, optional
        Axes title, e.g. ``"λ = 0: train 100%, dev 77%"``.
    extent : (x1_min, x1_max, x2_min, x2_max), optional
        Region to draw; default: the bounding box of ``X`` widened by 0.5. Pass the same extent to
        several panels to compare them.
    resolution : int, default 200
        Grid points per axis for ŷ.
    shade : bool, default True
        Shade the background by ŷ.
    legend : bool, default True
        Add a legend for the classes and the boundary.
    point_size : float, default 20
        Marker area of the points.

    Returns
    -------
    The ``ax`` passed in.
    """
    if not hasattr(ax, "contour"):
        raise TypeError(
            f"ax must be a matplotlib Axes, got {type(ax).__name__}; "
            "create one with fig, ax = l2book.plots.subplots()"
        )
    X, Y = _check_points(X, Y)
    extent = data_extent(X) if extent is None else _check_extent(extent)
    x1, x2, proba = probability_grid(model, extent, resolution)
    colors = _colors()
    if shade:
        # A raster background keeps the SVG small and fast to draw; the boundary stays a vector line.
        from matplotlib.colors import ListedColormap

        image = ax.imshow(proba, extent=extent, origin="lower", aspect="auto",
                          interpolation="nearest", cmap=ListedColormap(_SHADE_COLORS), vmin=0.0,
                          vmax=1.0, zorder=0)
        image.set_in_layout(False)  # it fills the axes anyway; measuring it only slows layout
    if proba.min() < 0.5 < proba.max():  # a constant prediction has no boundary to draw
        line = ax.contour(x1, x2, proba, levels=[0.5], colors=colors["black"], linewidths=1.6)
        line.set_in_layout(False)
    ax.plot([], [], color=colors["black"], linewidth=1.6, label="boundary ŷ = ½")
    if Y is None:
        ax.scatter(X[0], X[1], s=point_size, color=colors["grey"], edgecolors="white",
                   linewidths=0.4)
    else:
        for label, style in class_styles().items():
            cols = Y[0] == label
            ax.scatter(X[0, cols], X[1, cols], s=point_size, edgecolors="white", linewidths=0.4,
                       **style)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    if title is not None:
        ax.set_title(title)
    if legend:
        ax.legend(loc="lower left", fontsize=8, framealpha=0.85, frameon=True)
    return ax


def decision_boundaries(
    models: Sequence[Model],
    X: np.ndarray,
    Y: np.ndarray | None = None,
    *,
    titles: Sequence[str] | None = None,
    width: float = 6.4,
    height: float | None = None,
    resolution: int = 200,
) -> tuple[Any, np.ndarray]:
    """A row of decision-boundary panels, one per model, over the same points and region.

    Parameters
    ----------
    models : sequence of models
        Each as in :func:`decision_boundary`.
    X, Y :
        As in :func:`decision_boundary`; every panel shows the same points.
    titles : sequence of str, optional
        One title per panel.
    width, height : float
        Figure size in inches; ``height`` defaults to a square panel.
    resolution : int, default 200
        Grid points per axis.

    Returns
    -------
    fig : matplotlib Figure
    axes : ndarray of Axes, shape (len(models),)
        Only the first panel carries the x₂ label; one legend below the panels serves all.
    """
    from l2book.plots import subplots

    models = list(models)
    if not models:
        raise ValueError("models is empty; pass at least one model to draw")
    if titles is not None and len(titles) != len(models):
        raise ValueError(
            f"titles has {len(titles)} entries but models has {len(models)}; give one title per model"
        )
    X, Y = _check_points(X, Y)
    k = len(models)
    extent = data_extent(X)
    if height is None:
        # Square data units per panel, plus room for titles, axis labels and the legend row.
        aspect = (extent[3] - extent[2]) / (extent[1] - extent[0])
        height = min(width / k * aspect + 1.3, 8.0)
    fig, axes = subplots(1, k, width=width, height=height, sharex=True, sharey=True, squeeze=False)
    axes = axes[0]
    for i, (ax, model) in enumerate(zip(axes, models, strict=True)):
        decision_boundary(ax, model, X, Y, title=None if titles is None else titles[i],
                          extent=extent, resolution=resolution, legend=False)
        if i > 0:
            ax.set_ylabel("")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=len(labels), fontsize=9)
    return fig, axes


def train_dev_curves(
    ax: Any,
    x: Sequence[float] | np.ndarray,
    train: Sequence[float] | np.ndarray,
    dev: Sequence[float] | np.ndarray,
    *,
    xlabel: str,
    ylabel: str = "error",
    log_x: bool = False,
    log_y: bool = False,
    mark_best: bool = True,
    best: int | None = None,
    markers: bool = True,
) -> Any:
    """Train and dev error against a varied quantity (λ, degree, epoch), the best dev point marked.

    Parameters
    ----------
    ax : matplotlib Axes
    x : array of shape (K,)
        The varied quantity, e.g. λ values or polynomial degrees.
    train, dev : arrays of shape (K,)
        Error on the training set and on the dev set at each ``x``.
    xlabel : str
        Label of the x axis, e.g. ``"λ"`` or ``"polynomial degree"``.
    ylabel : str, default "error"
    log_x, log_y : bool, default False
        Logarithmic axes (λ sweeps usually want ``log_x``). A log x axis needs x > 0, a log y axis
        errors > 0.
    mark_best : bool, default True
        Circle the point of lowest dev error (the first one on ties) and label it.
    best : int or None, default None
        Index of the point to circle instead, e.g. the λ that
        :func:`l2book.select.best_lambda_index` chose (the largest on ties).
    markers : bool, default True
        Draw a marker at every point (natural for a few values; turn off for long curves).

    Returns
    -------
    The ``ax`` passed in.
    """
    x = v.as_float_array("x", x)
    train = v.as_float_array("train", train)
    dev = v.as_float_array("dev", dev)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty 1-D array, got shape {x.shape}")
    for name, values in (("train", train), ("dev", dev)):
        if values.shape != x.shape:
            raise ValueError(
                f"{name} has shape {values.shape} but x has shape {x.shape}; give one {name} error "
                f"per value of x"
            )
    for name, values, log in (("x", x, log_x), ("train", train, log_y), ("dev", dev, log_y)):
        if log and not (values > 0).all():
            raise ValueError(
                f"a logarithmic axis needs {name} > 0 but its smallest value is {values.min():g}; "
                f"drop non-positive values or use a linear axis"
            )
    colors = _colors()
    marker = dict(marker="o", markersize=4) if markers else {}
    ax.plot(x, train, color=colors["blue"], label="train", **marker)
    ax.plot(x, dev, color=colors["vermillion"], linestyle="--", label="dev",
            **({**marker, "marker": "s"} if markers else {}))
    if mark_best:
        k = int(np.argmin(dev)) if best is None else v.check_int_range("best", best, lo=0, hi=x.size - 1)
        ax.plot([x[k]], [dev[k]], linestyle="none", marker="o", markersize=11, markerfacecolor="none",
                markeredgecolor=colors["black"], markeredgewidth=1.2, label="lowest dev error")
    if log_x:
        ax.set_xscale("log")
    if log_y:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax


def history_curves(ax: Any, history: Any, *, log_y: bool = False) -> Any:
    """Train and dev error over the epochs of a :class:`l2book.History` (from :func:`l2book.fit`).

    Parameters
    ----------
    ax : matplotlib Axes
    history : l2book.History
        Recorded with a dev set (``fit(..., X_dev=..., Y_dev=...)``).
    log_y : bool, default False
        Logarithmic error axis.

    Returns
    -------
    The ``ax`` passed in.
    """
    for attribute in ("epochs", "train_error", "dev_error", "metric"):
        if not hasattr(history, attribute):
            raise TypeError(
                f"history must be an l2book.History (returned by l2book.fit), got "
                f"{type(history).__name__}"
            )
    if history.dev_error is None:
        raise ValueError("history has no dev error; train with fit(..., X_dev=X_dev, Y_dev=Y_dev)")
    return train_dev_curves(ax, history.epochs, history.train_error, history.dev_error,
                            xlabel="epoch", ylabel=history.metric, log_y=log_y, markers=False,
                            mark_best=False)

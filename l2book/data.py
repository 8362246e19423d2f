"""Data for the book: seeded synthetic sets, train/dev/test splits, standardization, prostate data.

Layout: ``X`` has shape ``(n_x, m)`` (one column per example) and ``Y`` shape ``(1, m)``. To use a
set with scikit-learn, pass ``X.T`` and ``Y.ravel()``; to bring scikit-learn data here, ``X_sk.T``
and ``y.reshape(1, -1)``.

Every generator takes a ``seed`` and draws from ``np.random.default_rng(seed)`` only, so the same
arguments always give the same arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

import numpy as np

from l2book import _validate as v

__all__ = [
    "Prostate",
    "Split",
    "Standardizer",
    "load_prostate",
    "make_circles",
    "make_moons",
    "make_polynomial_data",
    "polynomial_features",
    "train_dev_test_split",
]


def _check_seed(seed: object) -> int:
    return v.check_int_range("seed", seed, lo=0)


def _flip_labels(Y: np.ndarray, flip: float, rng: np.random.Generator) -> np.ndarray:
    """Flip each label independently with probability ``flip`` (label noise no model can fit)."""
    flipped = rng.random(Y.shape) < flip
    return np.where(flipped, 1.0 - Y, Y)


def _finish_classification(
    points: np.ndarray, labels: np.ndarray, noise: float, flip: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    X = points + noise * rng.standard_normal(points.shape)  # isotropic Gaussian jitter
    Y = _flip_labels(labels.reshape(1, -1), flip, rng)
    order = rng.permutation(X.shape[1])  # mix the classes so any prefix is a fair sample
    return X[:, order], Y[:, order]


def make_moons(
    m: int = 200, noise: float = 0.2, seed: int = 0, flip: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: class 0 on (cos t, sin t), class 1 on (1 − cos t, ½ − sin t).

    t ~ Uniform(0, π) per example, then Gaussian noise of standard deviation ``noise`` is added to
    both coordinates. With noise ≈ 0.2–0.3 and a few hundred points, a large unregularized network
    carves islands around single points: the overfitting the book regularizes away.

    Parameters
    ----------
    m : int, default 200
        Number of examples (⌈m/2⌉ of class 0, ⌊m/2⌋ of class 1 before label flips).
    noise : float, default 0.2
        Standard deviation of the Gaussian noise, ≥ 0.
    seed : int, default 0
        Seed of ``np.random.default_rng``.
    flip : float, default 0.0
        Probability of flipping each label (0 ↔ 1), in [0, 1].

    Returns
    -------
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m), values in {0, 1}
    """
    m = v.check_int_range("m", m, lo=2)
    noise = v.check_nonnegative("noise", noise)
    flip = v.check_probability("flip", flip)
    rng = np.random.default_rng(_check_seed(seed))
    m0 = m - m // 2
    t = rng.uniform(0.0, np.pi, size=m)
    outer = np.vstack([np.cos(t[:m0]), np.sin(t[:m0])])
    inner = np.vstack([1.0 - np.cos(t[m0:]), 0.5 - np.sin(t[m0:])])
    labels = np.concatenate([np.zeros(m0), np.ones(m - m0)])
    return _finish_classification(np.hstack([outer, inner]), labels, noise, flip, rng)


def make_circles(
    m: int = 200, noise: float = 0.1, factor: float = 0.5, seed: int = 0, flip: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles: class 0 on radius 1, class 1 on radius ``factor``, angles uniform.

    Parameters
    ----------
    m : int, default 200
        Number of examples (⌈m/2⌉ outer, ⌊m/2⌋ inner before label flips).
    noise : float, default 0.1
        Standard deviation of the Gaussian noise added to both coordinates, ≥ 0.
    factor : float, default 0.5
        Radius of the inner circle, in (0, 1).
    seed : int, default 0
        Seed of ``np.random.default_rng``.
    flip : float, default 0.0
        Probability of flipping each label, in [0, 1].

    Returns
    -------
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m), values in {0, 1}
    """
    m = v.check_int_range("m", m, lo=2)
    noise = v.check_nonnegative("noise", noise)
    factor = v.check_positive("factor", factor)
    if factor >= 1:
        raise ValueError(
            f"factor is the inner radius relative to the outer one and must lie in (0, 1), "
            f"got factor={factor!r}"
        )
    flip = v.check_probability("flip", flip)
    rng = np.random.default_rng(_check_seed(seed))
    m0 = m - m // 2
    theta = rng.uniform(0.0, 2 * np.pi, size=m)
    radius = np.concatenate([np.ones(m0), np.full(m - m0, factor)])
    points = radius * np.vstack([np.cos(theta), np.sin(theta)])
    labels = np.concatenate([np.zeros(m0), np.ones(m - m0)])
    return _finish_classification(points, labels, noise, flip, rng)


def _default_true_fn(x: np.ndarray) -> np.ndarray:
    return np.sin(np.pi * x)


def make_polynomial_data(
    m: int = 20,
    noise: float = 0.2,
    seed: int = 0,
    true_fn: Callable[[np.ndarray], np.ndarray] | None = None,
    x_range: tuple[float, float] = (-1.0, 1.0),
) -> tuple[np.ndarray, np.ndarray]:
    """1-D regression data y = f(x) + ε, x ~ Uniform(x_range), ε ~ N(0, noise²).

    Fitting a high-degree polynomial (:func:`polynomial_features`) to a few such points overfits;
    ridge on the same features shows what λ does.

    Parameters
    ----------
    m : int, default 20
        Number of examples.
    noise : float, default 0.2
        Standard deviation of ε, ≥ 0.
    seed : int, default 0
        Seed of ``np.random.default_rng``.
    true_fn : callable, default ``sin(πx)``
        f, applied elementwise to an array of shape (m,).
    x_range : (float, float), default (-1, 1)
        Interval from which x is drawn.

    Returns
    -------
    x : ndarray of shape (1, m), sorted increasingly (convenient for line plots)
    y : ndarray of shape (1, m)
    """
    m = v.check_count("m", m)
    noise = v.check_nonnegative("noise", noise)
    rng = np.random.default_rng(_check_seed(seed))
    f = _default_true_fn if true_fn is None else true_fn
    if not callable(f):
        raise TypeError(f"true_fn must be a function of x, got {type(f).__name__} {f!r}")
    lo, hi = (float(a) for a in x_range)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"x_range must be (low, high) with low < high, both finite; got {x_range}")
    x = np.sort(rng.uniform(lo, hi, size=m))
    fx = np.asarray(f(x), dtype=float)
    if fx.shape != x.shape:
        raise ValueError(
            f"true_fn must map x of shape {x.shape} to an array of the same shape, "
            f"got shape {fx.shape}; make it elementwise (use np.sin, not math.sin)"
        )
    v.check_finite("true_fn(x)", fx)
    y = fx + noise * rng.standard_normal(m)
    return x.reshape(1, -1), y.reshape(1, -1)


def polynomial_features(x: np.ndarray, degree: int) -> np.ndarray:
    """Rows x, x², …, x^degree of a 1-D input: the feature matrix of polynomial regression.

    There is no constant row: the intercept b plays that role (and stays unpenalized).

    Parameters
    ----------
    x : array of shape (1, m) or (m,)
        One input value per example.
    degree : int
        Highest power, ≥ 1.

    Returns
    -------
    ndarray of shape (degree, m); row k−1 is x**k.
    """
    degree = v.check_count("degree", degree)
    arr = v.as_float_array("x", x)
    if arr.ndim == 2 and arr.shape[0] == 1:
        arr = arr[0]
    elif arr.ndim != 1:
        hint = "; did you mean x.T?" if arr.ndim == 2 and arr.shape[1] == 1 else ""
        raise ValueError(f"x must have shape (1, m) or (m,), got shape {arr.shape}{hint}")
    v.check_nonempty("x", arr)
    v.check_finite("x", arr)
    powers = np.arange(1, degree + 1)[:, None]
    return arr[None, :] ** powers  # row k−1 = x^k


class Split(NamedTuple):
    """A train/dev/test split; every ``X_*`` is (n_x, m_part), every ``Y_*`` (n_y, m_part)."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_dev: np.ndarray
    Y_dev: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray


def train_dev_test_split(
    X: np.ndarray, Y: np.ndarray, fractions: Sequence[float] = (0.6, 0.2, 0.2), seed: int = 0
) -> Split:
    """Shuffle the m examples and cut them into train, dev and test parts.

    Sizes: m_train = round(f_train·m), m_dev = round(f_dev·m), m_test = the rest. Tune λ on dev,
    report on test once.

    Parameters
    ----------
    X : array of shape (n_x, m)
        Inputs, one column per example (pass scikit-learn's layout as ``X_sk.T``).
    Y : array of shape (n_y, m) or (m,)
        Labels or targets (a 1-D Y is returned as (1, m_part) parts).
    fractions : (float, float, float), default (0.6, 0.2, 0.2)
        Non-negative fractions for train, dev, test; they must sum to 1.
    seed : int, default 0
        Seed of the shuffle.

    Returns
    -------
    Split
        Named tuple ``(X_train, Y_train, X_dev, Y_dev, X_test, Y_test)``.
    """
    X = v.as_float_matrix("X", X)
    Y = v.check_targets("Y", Y, X, n_outputs=None)
    fr = v.as_float_array("fractions", fractions)
    if fr.shape != (3,) or not np.isfinite(fr).all() or (fr < 0).any():
        raise ValueError(
            f"fractions must be three non-negative numbers (train, dev, test), got {fractions!r}"
        )
    if abs(fr.sum() - 1.0) > 1e-9:
        raise ValueError(
            f"fractions must sum to 1, got {fractions!r} (sum {fr.sum():.6g}); e.g. (0.6, 0.2, 0.2)"
        )
    m = X.shape[1]
    n_train = int(round(fr[0] * m))
    n_dev = min(int(round(fr[1] * m)), m - n_train)
    if n_train == 0:
        raise ValueError(
            f"the training part would be empty (m={m}, fractions={fractions!r}); "
            f"use more examples or a larger training fraction"
        )
    order = np.random.default_rng(_check_seed(seed)).permutation(m)
    parts = np.split(order, [n_train, n_train + n_dev])
    return Split(*(A[:, idx] for idx in parts for A in (X, Y)))


@dataclass(frozen=True)
class Standardizer:
    """z = (x − μ) / σ per feature, with μ and σ estimated on the training set only.

    Create it with :meth:`fit` on the training inputs, then :meth:`transform` train, dev and test
    with the same μ and σ (estimating them on dev or test would leak information).

    Attributes
    ----------
    mean : ndarray of shape (n_x, 1)
        μ, the per-feature mean over training examples.
    std : ndarray of shape (n_x, 1)
        σ, the per-feature standard deviation (``ddof`` as fitted); a constant feature gets σ = 1,
        so it maps to 0 instead of dividing by zero.
    constant : ndarray of shape (n_x,), bool
        Which features were constant on the training set.
    """

    mean: np.ndarray
    std: np.ndarray
    constant: np.ndarray

    @classmethod
    def fit(cls, X: np.ndarray, ddof: int = 0) -> Standardizer:
        """Estimate μ = mean and σ = std (with ``ddof``) of each row of ``X`` (n_x, m)."""
        X = v.as_float_matrix("X", X)
        ddof = v.check_int_range("ddof", ddof, lo=0, hi=X.shape[1] - 1)
        mean = X.mean(axis=1, keepdims=True)
        std = X.std(axis=1, ddof=ddof, keepdims=True)
        # Relative test: a feature whose spread is rounding noise around its mean is constant.
        constant = (std <= 1e-12 * np.maximum(1.0, np.abs(mean)))[:, 0]
        std[constant] = 1.0
        return cls(mean=mean, std=std, constant=constant)

    def transform(self, X: np.ndarray) -> np.ndarray:
        """z = (x − μ)/σ for ``X`` of shape (n_x, m)."""
        X = v.check_matrix("X", X, n_rows=self.mean.shape[0])
        return (X - self.mean) / self.std

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        """x = σz + μ for ``Z`` of shape (n_x, m)."""
        Z = v.check_matrix("Z", Z, n_rows=self.mean.shape[0])
        return Z * self.std + self.mean


class Prostate(NamedTuple):
    """The prostate cancer data (Stamey et al. 1989) as used in ESL §3.2–3.4.

    Attributes
    ----------
    X : ndarray of shape (8, 97)
        Inputs, rows in the order of ``feature_names``, unstandardized.
    y : ndarray of shape (1, 97)
        lpsa, the log of prostate-specific antigen.
    feature_names : tuple of str
        ``("lcavol", "lweight", "age", "lbph", "svi", "lcp", "gleason", "pgg45")``.
    train : ndarray of shape (97,), bool
        ESL's split: True for the 67 training rows, False for the 30 test rows.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    train: np.ndarray


def load_prostate() -> Prostate:
    """Load the prostate data shipped with l2book (97 men, 8 inputs, response lpsa).

    The file is ESL's ``prostate.data`` with the corrected lweight of row 32 (3.804438).
    Source: Stamey et al. (1989), *J. Urology* 141(5); Hastie, Tibshirani & Friedman,
    *The Elements of Statistical Learning*, 2nd ed., §3.2 and Table 3.3.

    Returns
    -------
    Prostate
        Named tuple ``(X, y, feature_names, train)``; ``X`` is (8, 97), ``y`` is (1, 97).
    """
    text = resources.files("l2book").joinpath("datasets/prostate.data").read_text("utf-8")
    lines = [line.split() for line in text.splitlines() if line.strip()]
    header, rows = lines[0], lines[1:]
    # Data rows start with a row number that the header does not name.
    table = np.array([[float(x) for x in row[1:]] for row in rows])
    if table.shape[1] != len(header):
        raise RuntimeError(f"prostate.data is malformed: {len(header)} names, {table.shape[1]} columns")
    names = tuple(header[:8])
    X = table[:, :8].T.copy()
    y = table[:, header.index("lpsa")].reshape(1, -1)
    train = table[:, header.index("train")] == 1
    return Prostate(X=X, y=y, feature_names=names, train=train)

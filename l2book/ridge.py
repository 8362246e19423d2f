"""Ridge regression in closed form, its whole λ path from one SVD, and its degrees of freedom.

The objective, in the book's λ (examples are the columns of ``X``)::

    J(w, b) = 1/(2m) Σ_i (wᵀx⁽ⁱ⁾ + b − y⁽ⁱ⁾)² + λ/(2m) ‖w‖²

Multiplying by 2m gives ``Σ_i (wᵀx⁽ⁱ⁾ + b − y⁽ⁱ⁾)² + λ‖w‖²``, the objective of scikit-learn's
``Ridge(alpha=λ)``: the two λ are the same number. The intercept ``b`` is never penalized.

Layout: ``X`` has shape ``(n_x, m)`` (one column per example), ``y`` shape ``(1, m)`` or ``(m,)``.
Data in scikit-learn's ``(m, n_x)`` layout is passed as ``X.T``. Fitted weights ``w`` have shape
``(n_x,)``, like scikit-learn's ``coef_``; a path stacks them as rows, shape ``(K, n_x)``.

With x̄, ȳ the means over examples, X̃ = X − x̄ and ỹ = y − ȳ, setting ∂J/∂w = ∂J/∂b = 0 gives::

    ŵ = (X̃X̃ᵀ + λI)⁻¹ X̃ỹᵀ,        b̂ = ȳ − ŵᵀx̄.

With the thin SVD X̃ᵀ = U D Vᵀ (singular values d_j), the fitted values are
X̃ᵀŵ = Σ_j u_j · d_j²/(d_j² + λ) · u_jᵀỹ: ridge shrinks the component of y along the j-th principal
direction by d_j²/(d_j² + λ), and its effective degrees of freedom are df(λ) = Σ_j d_j²/(d_j² + λ)
(Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2nd ed., §3.4.1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from l2book import _validate as v

__all__ = [
    "RidgeFit",
    "RidgePath",
    "effective_df",
    "lambda_for_df",
    "ridge",
    "ridge_path",
    "shrinkage_factors",
]


@dataclass(frozen=True)
class RidgeFit:
    """A fitted ridge model ŷ = wᵀx + b.

    Attributes
    ----------
    w : ndarray of shape (n_x,)
        Weights (scikit-learn's ``coef_``).
    b : float
        Unpenalized intercept (scikit-learn's ``intercept_``); 0 when ``fit_intercept=False``.
    lam : float
        The λ that was used.
    """

    w: np.ndarray
    b: float
    lam: float

    def predict(self, X: np.ndarray) -> np.ndarray:
        """ŷ = wᵀX + b for ``X`` of shape (n_x, m); returns shape (1, m)."""
        return v.predict_linear(self.w, self.b, X)


@dataclass(frozen=True)
class RidgePath:
    """Ridge solutions for many λ, computed from one SVD.

    Attributes
    ----------
    lams : ndarray of shape (K,)
        The λ values, in the order given.
    coefs : ndarray of shape (K, n_x)
        Row k holds ŵ(λ_k).
    intercepts : ndarray of shape (K,)
        b̂(λ_k) = ȳ − ŵ(λ_k)ᵀx̄ (all 0 when ``fit_intercept=False``).
    singular_values : ndarray of shape (r,)
        The nonzero singular values d_1 ≥ … ≥ d_r of the centered X (r = its rank).
    """

    lams: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    singular_values: np.ndarray

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predictions of every λ, shape (K, m): row k is ŵ(λ_k)ᵀX + b̂(λ_k)."""
        return v.predict_linear_path(self.coefs, self.intercepts, X)


def _check_xy(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    X = v.as_float_matrix("X", X)
    y = v.check_targets("y", y, X, n_outputs=1)
    return X, y[0]


def _centered_svd(
    X: np.ndarray, fit_intercept: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Thin SVD X̃ᵀ = U D Vᵀ of the (centered) data, truncated to its numerical rank.

    Returns ``(x_mean, U, d, Vt)`` with U of shape (m, r), d of shape (r,), Vt of shape (r, n_x).
    """
    x_mean = X.mean(axis=1) if fit_intercept else np.zeros(X.shape[0])
    Xc_t = (X - x_mean[:, None]).T  # (m, n_x): one row per example, as the SVD view needs
    U, d, Vt = np.linalg.svd(Xc_t, full_matrices=False)
    # Directions with d_j ≈ 0 carry no information; dropping them gives the minimum-norm solution
    # at λ = 0 and changes nothing measurable for λ > 0 (their factor d_j/(d_j²+λ) ≈ 0).
    tol = (d[0] if d.size else 0.0) * max(Xc_t.shape) * np.finfo(float).eps
    r = int(np.sum(d > tol))
    return x_mean, U[:, :r], d[:r], Vt[:r]


def ridge(X: np.ndarray, y: np.ndarray, lam: float, fit_intercept: bool = True) -> RidgeFit:
    """Ridge regression in closed form: ŵ = (X̃X̃ᵀ + λI)⁻¹X̃ỹᵀ, b̂ = ȳ − ŵᵀx̄.

    Minimizes J(w, b) = 1/(2m) Σ_i (wᵀx⁽ⁱ⁾ + b − y⁽ⁱ⁾)² + λ/(2m)‖w‖², which is
    scikit-learn's ``Ridge(alpha=lam)``. The intercept is not penalized: the data are centered,
    w is solved for, and b is recovered from the means.

    Parameters
    ----------
    X : array of shape (n_x, m)
        Inputs, one column per example (scikit-learn's layout transposed: pass ``X_sk.T``).
    y : array of shape (1, m) or (m,)
        Targets.
    lam : float
        λ ≥ 0. With λ = 0 this is least squares (the minimum-norm solution if X̃ is rank deficient).
    fit_intercept : bool, default True
        If False, no centering and b = 0.

    Returns
    -------
    RidgeFit
        ``w`` of shape (n_x,), ``b`` a float, ``lam``.

    Notes
    -----
    The normal equations are solved as the equivalent least-squares problem
    ``[X̃ᵀ; √λ I] w ≈ [ỹᵀ; 0]`` (ESL Exercise 3.12), which avoids squaring the condition
    number of X̃.
    """
    lam = v.check_lam(lam)
    fit_intercept = v.check_bool("fit_intercept", fit_intercept)
    X, y = _check_xy(X, y)
    n_x = X.shape[0]
    x_mean = X.mean(axis=1) if fit_intercept else np.zeros(n_x)
    y_mean = float(y.mean()) if fit_intercept else 0.0
    A = np.vstack([(X - x_mean[:, None]).T, np.sqrt(lam) * np.eye(n_x)])
    rhs = np.concatenate([y - y_mean, np.zeros(n_x)])
    w = np.linalg.lstsq(A, rhs, rcond=None)[0]
    b = y_mean - float(w @ x_mean)  # b̂ = ȳ − ŵᵀx̄
    return RidgeFit(w=w, b=b, lam=lam)


def ridge_path(X: np.ndarray, y: np.ndarray, lams: np.ndarray, fit_intercept: bool = True) -> RidgePath:
    """Ridge solutions for every λ in ``lams`` from ONE SVD: ŵ(λ) = V diag(d_j/(d_j²+λ)) Uᵀỹ.

    Same objective and λ as :func:`ridge`. The SVD X̃ᵀ = U D Vᵀ of the centered data costs
    O(m n_x²) once; each extra λ then costs only O(n_x r).

    Parameters
    ----------
    X : array of shape (n_x, m)
        Inputs, one column per example (pass scikit-learn's layout as ``X_sk.T``).
    y : array of shape (1, m) or (m,)
        Targets.
    lams : array-like of shape (K,)
        λ values ≥ 0, any order.
    fit_intercept : bool, default True
        If False, no centering and all intercepts are 0.

    Returns
    -------
    RidgePath
        ``coefs`` of shape (K, n_x), ``intercepts`` of shape (K,), ``lams``, ``singular_values``.
    """
    lams = v.check_lams(lams)
    fit_intercept = v.check_bool("fit_intercept", fit_intercept)
    X, y = _check_xy(X, y)
    x_mean, U, d, Vt = _centered_svd(X, fit_intercept)
    y_mean = float(y.mean()) if fit_intercept else 0.0
    uty = U.T @ (y - y_mean)  # u_jᵀỹ, shape (r,)
    factors = d / (d**2 + lams[:, None])  # d_j/(d_j² + λ_k), shape (K, r)
    coefs = (factors * uty) @ Vt  # ŵ(λ_k) = Σ_j v_j d_j/(d_j²+λ_k) u_jᵀỹ
    intercepts = y_mean - coefs @ x_mean
    return RidgePath(lams=lams, coefs=coefs, intercepts=intercepts, singular_values=d)


def _lam_array(lam: object) -> tuple[np.ndarray, bool]:
    """λ as a 1-D array plus whether the caller passed a scalar."""
    if np.ndim(lam) == 0:
        return np.array([v.check_lam(lam)]), True
    return v.check_lams(lam, name="lam"), False


def shrinkage_factors(X: np.ndarray, lam: float | np.ndarray, fit_intercept: bool = True) -> np.ndarray:
    """Shrinkage of each principal direction, s_j(λ) = d_j²/(d_j² + λ).

    d_j are the nonzero singular values of the centered X (of X itself if ``fit_intercept=False``),
    in decreasing order. Ridge multiplies the least-squares fit along the j-th principal direction
    by s_j(λ): directions of small variance are shrunk the most.

    Parameters
    ----------
    X : array of shape (n_x, m)
        Inputs, one column per example.
    lam : float or array of shape (K,)
        λ ≥ 0.
    fit_intercept : bool, default True
        Center X first (as :func:`ridge` does).

    Returns
    -------
    ndarray of shape (r,) for a scalar λ, (K, r) for an array, r = rank of the centered X.
    """
    lams, scalar = _lam_array(lam)
    fit_intercept = v.check_bool("fit_intercept", fit_intercept)
    X = v.as_float_matrix("X", X)
    d = _centered_svd(X, fit_intercept)[2]
    s = d**2 / (d**2 + lams[:, None])  # d_j²/(d_j² + λ)
    return s[0] if scalar else s


def effective_df(X: np.ndarray, lam: float | np.ndarray, fit_intercept: bool = True) -> float | np.ndarray:
    """Effective degrees of freedom of ridge, df(λ) = tr H_λ = Σ_j d_j²/(d_j² + λ).

    df(0) is the rank of the centered X (n_x when it has full column rank); df decreases strictly
    toward 0 as λ → ∞. The intercept is not counted.

    Parameters
    ----------
    X : array of shape (n_x, m)
        Inputs, one column per example.
    lam : float or array of shape (K,)
        λ ≥ 0.
    fit_intercept : bool, default True
        Center X first (as :func:`ridge` does).

    Returns
    -------
    float for a scalar λ, ndarray of shape (K,) for an array.
    """
    s = shrinkage_factors(X, lam, fit_intercept)
    return float(s.sum()) if s.ndim == 1 else s.sum(axis=1)


def lambda_for_df(
    X: np.ndarray,
    df: float | np.ndarray,
    fit_intercept: bool = True,
    tol: float = 1e-12,
    max_iter: int = 1000,
) -> float | np.ndarray:
    """The λ at which ridge has ``df`` effective degrees of freedom: solves Σ_j d_j²/(d_j²+λ) = df.

    f(λ) = Σ_j d_j²/(d_j² + λ) − df is decreasing and convex in λ, so Newton's method started at
    λ = 0 (left of the root) increases monotonically to the root without overshooting.

    Parameters
    ----------
    X : array of shape (n_x, m)
        Inputs, one column per example.
    df : float or array of shape (K,)
        Target degrees of freedom in [0, r], r = rank of the centered X. df = r gives λ = 0 and
        df = 0 gives λ = inf.
    fit_intercept : bool, default True
        Center X first (as :func:`ridge` does).
    tol : float, default 1e-12
        Relative tolerance on λ: stop when a Newton step is smaller than tol · λ.
    max_iter : int, default 1000
        Newton iterations allowed before giving up with ``RuntimeError``.

    Returns
    -------
    float for a scalar df, ndarray of shape (K,) for an array.
    """
    fit_intercept = v.check_bool("fit_intercept", fit_intercept)
    tol = v.check_positive("tol", tol)
    max_iter = v.check_count("max_iter", max_iter)
    X = v.as_float_matrix("X", X)
    target = v.as_float_array("df", df)
    scalar = target.ndim == 0
    target = target.reshape(-1)
    if target.size == 0:
        raise ValueError("df is empty; pass a number or a non-empty 1-D array of degrees of freedom")
    v.check_finite("df", target)
    d2 = _centered_svd(X, fit_intercept)[2] ** 2
    rank = d2.size
    outside = (target < 0) | (target > rank)
    if outside.any():
        bad = float(target[np.argmax(outside)])
        raise ValueError(
            f"df={bad!r} is outside [0, rank={rank}]: ridge on this X has between 0 (λ → ∞) "
            f"and {rank} (λ = 0) degrees of freedom; choose df in that range"
        )
    lam = np.zeros_like(target)
    active = (target > 0) & (target < rank)
    lam[target == 0] = np.inf
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        ratio = d2 / (d2 + lam[idx, None])
        f = ratio.sum(axis=1) - target[idx]  # f(λ) = df(λ) − df, > 0 left of the root
        fprime = -(ratio**2 / d2).sum(axis=1)  # f'(λ) = −Σ d_j²/(d_j²+λ)²
        step = np.where(f > 0, -f / fprime, 0.0)
        lam[idx] += step
        # Quadratic convergence: once a step is below tol·λ the remaining error is far smaller.
        # f ≤ 0 can only come from rounding at the root, since the iterates never pass it.
        active[idx[(f <= 0) | (step <= tol * lam[idx])]] = False
    else:
        if active.any():
            raise RuntimeError(
                f"lambda_for_df did not reach tol={tol} in max_iter={max_iter} Newton steps; "
                f"increase max_iter or tol"
            )
    return float(lam[0]) if scalar else lam

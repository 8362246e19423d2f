"""L1-regularized least squares (the lasso) by coordinate descent, and its λ path.

The objective, in the book's λ (examples are the columns of ``X``)::

    J(w, b) = 1/(2m) Σ_i (wᵀx⁽ⁱ⁾ + b − y⁽ⁱ⁾)² + (λ/m) ‖w‖₁

Multiplying by m gives ``½ Σ_i (wᵀx⁽ⁱ⁾ + b − y⁽ⁱ⁾)² + λ‖w‖₁`` (the form of Hastie, Tibshirani &
Friedman, *The Elements of Statistical Learning*, 2nd ed., eq. 3.52). The penalty's (sub)gradient,
(λ/m)·sign(w), sits next to the L2 penalty's gradient (λ/m)·w of :mod:`l2book.ridge`, so the same
λ pulls with the same strength on a weight of size 1. scikit-learn's ``Lasso`` minimizes
``1/(2m)‖y − Xw‖² + α‖w‖₁``, hence ``Lasso(alpha=λ/m)`` is this function's ``lam=λ``.
The intercept ``b`` is never penalized.

Layout: ``X`` has shape ``(n_x, m)`` (one column per example), ``y`` shape ``(1, m)`` or ``(m,)``.
Fitted weights ``w`` have shape ``(n_x,)``; a path stacks them as rows, shape ``(K, n_x)``.

Algorithm: with X̃, ỹ centered, G = X̃X̃ᵀ and c = X̃ỹᵀ, one coordinate step sets

    w_j ← S(c_j − Σ_{k≠j} G_jk w_k, λ) / G_jj,      S(z, λ) = sign(z)·max(|z| − λ, 0)

(the exact minimizer of J over w_j alone; Friedman, Hastie & Tibshirani, "Regularization paths
for generalized linear models via coordinate descent", *J. Stat. Softw.* 33(1), 2010). Sweeps
repeat until the optimality (KKT) conditions hold to ``tol``; the soft-threshold S is what puts
weights at exactly zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from l2book import _validate as v

__all__ = ["LassoFit", "LassoPath", "lasso", "lasso_lambda_max", "lasso_path"]


@dataclass(frozen=True)
class LassoFit:
    """A fitted lasso model ŷ = wᵀx + b.

    Attributes
    ----------
    w : ndarray of shape (n_x,)
        Weights (scikit-learn's ``coef_``); many are exactly 0.0 for large λ.
    b : float
        Unpenalized intercept (scikit-learn's ``intercept_``); 0 when ``fit_intercept=False``.
    lam : float
        The λ that was used.
    n_sweeps : int
        Coordinate-descent sweeps until the optimality conditions held to ``tol``.
    """

    w: np.ndarray
    b: float
    lam: float
    n_sweeps: int

    def predict(self, X: np.ndarray) -> np.ndarray:
        """ŷ = wᵀX + b for ``X`` of shape (n_x, m); returns shape (1, m)."""
        return v.predict_linear(self.w, self.b, X)


@dataclass(frozen=True)
class LassoPath:
    """Lasso solutions for many λ, computed with warm starts from the largest λ down.

    Attributes
    ----------
    lams : ndarray of shape (K,)
        The λ values, in the order given (decreasing when generated).
    coefs : ndarray of shape (K, n_x)
        Row k holds ŵ(λ_k).
    intercepts : ndarray of shape (K,)
        b̂(λ_k) = ȳ − ŵ(λ_k)ᵀx̄ (all 0 when ``fit_intercept=False``).
    n_sweeps : ndarray of shape (K,)
        Coordinate-descent sweeps spent on each λ.
    """

    lams: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    n_sweeps: np.ndarray

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predictions of every λ, shape (K, m): row k is ŵ(λ_k)ᵀX + b̂(λ_k)."""
        return v.predict_linear_path(self.coefs, self.intercepts, X)

    @property
    def n_nonzero(self) -> np.ndarray:
        """Number of weights that are not exactly 0.0, for each λ; shape (K,)."""
        return np.count_nonzero(self.coefs, axis=1)


@dataclass(frozen=True)
class _Problem:
    """The centered problem in Gram form: everything coordinate descent needs."""

    G: np.ndarray  # X̃X̃ᵀ, (n_x, n_x)
    c: np.ndarray  # X̃ỹᵀ, (n_x,)
    x_mean: np.ndarray
    y_mean: float


def _problem(X: object, y: object, fit_intercept: object) -> _Problem:
    fit_intercept = v.check_bool("fit_intercept", fit_intercept)
    X = v.as_float_matrix("X", X)
    y = v.check_targets("y", y, X, n_outputs=1)[0]
    x_mean = X.mean(axis=1) if fit_intercept else np.zeros(X.shape[0])
    y_mean = float(y.mean()) if fit_intercept else 0.0
    Xc = X - x_mean[:, None]
    return _Problem(G=Xc @ Xc.T, c=Xc @ (y - y_mean), x_mean=x_mean, y_mean=y_mean)


def _kkt_violation(G: np.ndarray, c: np.ndarray, w: np.ndarray, lam: float) -> float:
    """Largest violation of the lasso optimality conditions at w.

    With g = Gw − c (the gradient of ½‖ỹ − X̃ᵀw‖²), w is optimal iff g_j = −λ·sign(w_j) where
    w_j ≠ 0 and |g_j| ≤ λ where w_j = 0.
    """
    g = G @ w - c
    # np.sign(0) = 0, so zero weights get |g_j| there; their condition is |g_j| ≤ λ instead.
    violation = np.where(w != 0, np.abs(g + lam * np.sign(w)), np.abs(g) - lam)
    return float(max(violation.max(), 0.0))


def _coordinate_descent(
    prob: _Problem, lam: float, w: np.ndarray, tol: float, max_sweeps: int
) -> tuple[np.ndarray, int]:
    G, c = prob.G, prob.c
    diag = np.diag(G).copy()
    usable = np.flatnonzero(diag > 0)  # a constant feature (G_jj = 0) stays at w_j = 0
    w = w.copy()
    w[diag <= 0] = 0.0
    # KKT residuals are measured against the scale of the data so tol is dimensionless.
    scale = max(float(np.abs(c).max(initial=0.0)), np.finfo(float).tiny)
    # Python floats for the scalar work of each coordinate step: numpy scalars cost ~10x more.
    c_list, d_list, cols = c.tolist(), diag.tolist(), [G[:, j] for j in range(G.shape[0])]
    q = G @ w  # q = Gw, updated in O(n_x) per coordinate
    for sweep in range(1, max_sweeps + 1):
        for j in usable.tolist():
            old = float(w[j])
            z = c_list[j] - float(q[j]) + d_list[j] * old  # c_j − Σ_{k≠j} G_jk w_k
            # new = S(z, λ)/G_jj with the soft-threshold S(z, λ) = sign(z)·max(|z| − λ, 0)
            new = (z - lam) / d_list[j] if z > lam else (z + lam) / d_list[j] if z < -lam else 0.0
            if new != old:
                q += cols[j] * (new - old)
                w[j] = new
        if _kkt_violation(G, c, w, lam) <= tol * scale:
            return w, sweep
        # Rounding drift in q over many sweeps would otherwise limit the attainable accuracy.
        q = G @ w
    raise RuntimeError(
        f"lasso coordinate descent did not meet tol={tol} after max_sweeps={max_sweeps} sweeps "
        f"(λ={lam!r}); increase max_sweeps or tol, or standardize X (strongly correlated or badly "
        f"scaled features converge slowly)"
    )


def lasso_lambda_max(X: np.ndarray, y: np.ndarray, fit_intercept: bool = True) -> float:
    """The smallest λ at which every lasso weight is zero: λ_max = max_j |x̃_jᵀỹ| = ‖X̃ỹᵀ‖_∞.

    At w = 0 the optimality condition is |X̃ỹᵀ|_j ≤ λ for every j, so any λ ≥ λ_max gives ŵ = 0
    (in the book's scaling; scikit-learn's ``alpha_max`` is λ_max/m).

    Parameters
    ----------
    X : array of shape (n_x, m)
        Inputs, one column per example.
    y : array of shape (1, m) or (m,)
        Targets.
    fit_intercept : bool, default True
        Center X and y first.

    Returns
    -------
    float
    """
    prob = _problem(X, y, fit_intercept)
    return float(np.abs(prob.c).max())


def lasso(
    X: np.ndarray,
    y: np.ndarray,
    lam: float,
    fit_intercept: bool = True,
    tol: float = 1e-10,
    max_sweeps: int = 100_000,
) -> LassoFit:
    """The lasso: minimizes J(w, b) = 1/(2m) Σ_i (wᵀx⁽ⁱ⁾ + b − y⁽ⁱ⁾)² + (λ/m)‖w‖₁.

    Equals scikit-learn's ``Lasso(alpha=lam / m)``. The intercept is not penalized: the data are
    centered, w is found by coordinate descent (soft-thresholding one weight at a time), and
    b̂ = ȳ − ŵᵀx̄.

    Parameters
    ----------
    X : array of shape (n_x, m)
        Inputs, one column per example (scikit-learn's layout transposed: pass ``X_sk.T``).
    y : array of shape (1, m) or (m,)
        Targets.
    lam : float
        λ ≥ 0. λ = 0 is least squares; λ ≥ :func:`lasso_lambda_max` gives ŵ = 0.
    fit_intercept : bool, default True
        If False, no centering and b = 0.
    tol : float, default 1e-10
        Stop when every optimality condition holds to ``tol · max_j |x̃_jᵀỹ|``.
    max_sweeps : int, default 100000
        Sweeps over all coordinates allowed before ``RuntimeError``.

    Returns
    -------
    LassoFit
        ``w`` of shape (n_x,) with exact zeros, ``b``, ``lam``, ``n_sweeps``.
    """
    lam = v.check_lam(lam)
    tol = v.check_positive("tol", tol)
    max_sweeps = v.check_count("max_sweeps", max_sweeps)
    prob = _problem(X, y, fit_intercept)
    w, sweeps = _coordinate_descent(prob, lam, np.zeros(prob.c.shape[0]), tol, max_sweeps)
    b = prob.y_mean - float(w @ prob.x_mean)  # b̂ = ȳ − ŵᵀx̄
    return LassoFit(w=w, b=b, lam=lam, n_sweeps=sweeps)


def lasso_path(
    X: np.ndarray,
    y: np.ndarray,
    lams: np.ndarray | None = None,
    n_lams: int = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    tol: float = 1e-10,
    max_sweeps: int = 100_000,
) -> LassoPath:
    """Lasso solutions ŵ(λ) for many λ, each warm-started from the previous (larger) λ.

    Same objective and λ as :func:`lasso`. The λ values are solved from the largest to the
    smallest, because a solution with few nonzeros is an excellent start for a slightly smaller λ,
    and returned in the order given.

    Parameters
    ----------
    X : array of shape (n_x, m)
        Inputs, one column per example (pass scikit-learn's layout as ``X_sk.T``).
    y : array of shape (1, m) or (m,)
        Targets.
    lams : array-like of shape (K,), optional
        λ values ≥ 0, any order. Default: ``n_lams`` values spaced geometrically from
        λ_max (:func:`lasso_lambda_max`, where ŵ = 0) down to ``eps · λ_max``, decreasing.
    n_lams : int, default 100
        Grid size when ``lams`` is None.
    eps : float, default 1e-3
        Ratio λ_min/λ_max of the default grid, in (0, 1).
    fit_intercept : bool, default True
        If False, no centering and all intercepts are 0.
    tol, max_sweeps :
        As in :func:`lasso`, for each λ.

    Returns
    -------
    LassoPath
        ``coefs`` of shape (K, n_x), ``intercepts`` of shape (K,), ``lams``, ``n_sweeps``.
    """
    tol = v.check_positive("tol", tol)
    max_sweeps = v.check_count("max_sweeps", max_sweeps)
    prob = _problem(X, y, fit_intercept)
    if lams is None:
        n_lams = v.check_count("n_lams", n_lams)
        eps = v.check_positive("eps", eps)
        if eps >= 1:
            raise ValueError(f"eps must lie in (0, 1) (it is λ_min/λ_max), got eps={eps!r}; e.g. eps=1e-3")
        lam_max = float(np.abs(prob.c).max())
        lams = lam_max * np.geomspace(1.0, eps, n_lams)
    else:
        lams = v.check_lams(lams)
    n_x = prob.c.shape[0]
    coefs = np.zeros((lams.size, n_x))
    sweeps = np.zeros(lams.size, dtype=int)
    w = np.zeros(n_x)
    for k in np.argsort(-lams, kind="stable"):
        w, sweeps[k] = _coordinate_descent(prob, float(lams[k]), w, tol, max_sweeps)
        coefs[k] = w
    intercepts = prob.y_mean - coefs @ prob.x_mean
    return LassoPath(lams=lams, coefs=coefs, intercepts=intercepts, n_sweeps=sweeps)

"""The lasso against scikit-learn's Lasso (alpha = λ/m) and its optimality conditions."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import Lasso

from l2book.lasso import lasso, lasso_lambda_max, lasso_path


def _data(m: int = 60, n_x: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # Correlated features and a sparse truth: the hard, interesting case for the lasso.
    A = rng.normal(size=(n_x, n_x))
    X = A @ rng.normal(size=(n_x, m)) + rng.normal(size=(n_x, 1))
    w = np.zeros(n_x)
    w[:3] = [2.0, -1.5, 0.5]
    y = w @ X + 3.0 + 0.5 * rng.normal(size=m)
    return X, y


def _sklearn(X: np.ndarray, y: np.ndarray, lam: float, fit_intercept: bool = True) -> Lasso:
    m = X.shape[1]
    return Lasso(alpha=lam / m, fit_intercept=fit_intercept, tol=1e-14, max_iter=1_000_000).fit(X.T, y)


@pytest.mark.parametrize("fraction", [0.9, 0.3, 0.05, 0.005])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_matches_sklearn_lasso(fraction: float, fit_intercept: bool) -> None:
    X, y = _data()
    lam = fraction * lasso_lambda_max(X, y, fit_intercept=fit_intercept)
    ours = lasso(X, y, lam, fit_intercept=fit_intercept)
    ref = _sklearn(X, y, lam, fit_intercept)
    np.testing.assert_allclose(ours.w, ref.coef_, rtol=0, atol=1e-6)
    assert ours.b == pytest.approx(ref.intercept_, abs=1e-6)
    # Same sparsity pattern: the zeros are exact in both.
    np.testing.assert_array_equal(ours.w == 0, ref.coef_ == 0)


def test_path_matches_sklearn_at_every_lambda() -> None:
    X, y = _data(m=40, n_x=6, seed=1)
    path = lasso_path(X, y, n_lams=15, eps=1e-2)
    for lam, w, b in zip(path.lams, path.coefs, path.intercepts, strict=True):
        ref = _sklearn(X, y, float(lam))
        np.testing.assert_allclose(w, ref.coef_, rtol=0, atol=1e-6)
        assert b == pytest.approx(ref.intercept_, abs=1e-6)


def test_path_returns_lambdas_in_the_given_order() -> None:
    X, y = _data(seed=2)
    lams = np.array([5.0, 50.0, 0.5, 20.0])
    path = lasso_path(X, y, lams)
    np.testing.assert_array_equal(path.lams, lams)
    for k, lam in enumerate(lams):
        np.testing.assert_allclose(path.coefs[k], lasso(X, y, lam).w, atol=1e-6)


def test_default_grid_starts_at_lambda_max_with_all_zeros() -> None:
    X, y = _data(seed=3)
    path = lasso_path(X, y, n_lams=20, eps=1e-3)
    lam_max = lasso_lambda_max(X, y)
    assert path.lams[0] == pytest.approx(lam_max)
    assert path.lams[-1] == pytest.approx(1e-3 * lam_max)
    assert np.all(np.diff(path.lams) < 0)
    assert path.n_nonzero[0] == 0
    # Just below λ_max exactly one weight leaves zero (the most correlated feature).
    assert np.count_nonzero(lasso(X, y, 0.99 * lam_max).w) == 1
    # At the small end the three truly active features are all in the model.
    assert np.all(path.coefs[-1, :3] != 0)


def test_lambda_zero_is_least_squares() -> None:
    X, y = _data(seed=4)
    fit = lasso(X, y, 0.0)
    Xa = np.vstack([X, np.ones(X.shape[1])])
    coef = np.linalg.lstsq(Xa.T, y, rcond=None)[0]
    np.testing.assert_allclose(fit.w, coef[:-1], atol=1e-7)
    assert fit.b == pytest.approx(coef[-1], abs=1e-6)


def test_solution_satisfies_subgradient_conditions() -> None:
    # Independent of scikit-learn: ∂J/∂w_j = 0 at nonzero w_j, |∂(data term)/∂w_j| ≤ λ/m at zeros.
    X, y = _data(seed=5)
    m = X.shape[1]
    lam = 0.2 * lasso_lambda_max(X, y)
    fit = lasso(X, y, lam)
    residual = fit.w @ X + fit.b - y
    grad = X @ residual / m  # gradient of 1/(2m) Σ (ŷ − y)²
    nz = fit.w != 0
    np.testing.assert_allclose(grad[nz], -(lam / m) * np.sign(fit.w[nz]), atol=1e-9)
    assert np.all(np.abs(grad[~nz]) <= lam / m + 1e-9)
    assert abs(residual.mean()) < 1e-10  # unpenalized intercept: residuals average to zero


def test_objective_is_below_nearby_points() -> None:
    X, y = _data(seed=6)
    m = X.shape[1]
    lam = 0.1 * lasso_lambda_max(X, y)
    fit = lasso(X, y, lam)

    def J(w: np.ndarray, b: float) -> float:
        return float(np.sum((w @ X + b - y) ** 2) / (2 * m) + lam / m * np.abs(w).sum())

    best = J(fit.w, fit.b)
    rng = np.random.default_rng(0)
    for _ in range(200):
        dw, db = 1e-3 * rng.normal(size=fit.w.shape), 1e-3 * rng.normal()
        assert J(fit.w + dw, fit.b + db) >= best - 1e-12


def test_constant_feature_gets_zero_weight() -> None:
    X, y = _data(seed=7)
    X = np.vstack([X, np.full(X.shape[1], 4.0)])
    fit = lasso(X, y, 1.0)
    assert fit.w[-1] == 0.0
    ref = _sklearn(X, y, 1.0)
    np.testing.assert_allclose(fit.w, ref.coef_, atol=1e-6)


def test_predict_and_shapes() -> None:
    X, y = _data(seed=8)
    fit = lasso(X, y.reshape(1, -1), 2.0)
    assert fit.w.shape == (X.shape[0],)
    np.testing.assert_allclose(fit.predict(X), (fit.w @ X + fit.b).reshape(1, -1))
    path = lasso_path(X, y, [1.0, 2.0])
    assert path.predict(X).shape == (2, X.shape[1])
    np.testing.assert_allclose(path.predict(X)[1], fit.predict(X)[0], atol=1e-8)


def test_bad_inputs_have_helpful_messages() -> None:
    X, y = _data(seed=9)
    with pytest.raises(ValueError, match=r"lam \(λ\) must be finite and >= 0, got lam=-1"):
        lasso(X, y, -1.0)
    with pytest.raises(ValueError, match=r"did you mean X\.T\?"):
        lasso(X.T, y, 1.0)
    with pytest.raises(TypeError, match="fit_intercept must be True or False"):
        lasso(X, y, 1.0, fit_intercept="yes")
    with pytest.raises(ValueError, match=r"eps must lie in \(0, 1\).*eps=2"):
        lasso_path(X, y, eps=2.0)
    with pytest.raises(ValueError, match=r"lams\[1\]=-3.0: every λ must be finite and >= 0"):
        lasso_path(X, y, [1.0, -3.0])
    with pytest.raises(ValueError, match="tol must be finite and > 0"):
        lasso(X, y, 1.0, tol=0.0)
    with pytest.raises(RuntimeError, match=r"did not meet tol=1e-10 after max_sweeps=1 sweeps"):
        lasso(X, y, 0.01, max_sweeps=1)
